#pragma once

#include "catalog/internal/SqliteStatement.h"
#include "common/Error.h"

#include <filesystem>
#include <memory>
#include <string_view>

struct sqlite3;

namespace ripen::sqlite {

// One SQLite connection. Not thread-safe: each thread that needs the catalog opens its own
// connection (WAL lets readers and one writer work side by side).
class Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };

    static Result<Database> open(const std::filesystem::path& path, Mode mode);

    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    std::int64_t lastInsertRowId() const;
    int changes() const;
    Result<std::int64_t> queryInt64(std::string_view sql);

    // Turns the connection's last error into an Error naming `context`.
    Error lastError(std::string_view context) const;
    sqlite3* handle() const { return m_db.get(); }
    const std::filesystem::path& path() const { return m_path; }

private:
    struct Closer {
        void operator()(sqlite3* db) const;
    };
    Database(std::unique_ptr<sqlite3, Closer> db, std::filesystem::path path);

    std::unique_ptr<sqlite3, Closer> m_db;
    std::filesystem::path m_path;
};

Error errorFromCode(sqlite3* db, int rc, std::string_view context);

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
// IMMEDIATE takes the write lock up front, so two writers never deadlock half-way.
class Transaction {
public:
    static Result<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    Status commit();

private:
    explicit Transaction(Database* db) : m_db(db) {}
    Database* m_db;
};

} // namespace ripen::sqlite
