#include "catalog/internal/SqliteDatabase.h"

#include "common/TextEncoding.h"

#include <cerrno>
#include <sqlite3.h>
#include <string>
#include <utility>

namespace ripen::sqlite {

Error errorFromCode(sqlite3* db, int rc, std::string_view context) {
    const int primary = rc & 0xFF;
    ErrorCode code = ErrorCode::Database;
    if (primary == SQLITE_FULL) {
        code = ErrorCode::DiskFull;
    } else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
        code = ErrorCode::Corrupt;
    } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        code = ErrorCode::Busy; // another connection holds the lock past the busy timeout
    } else if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
               primary == SQLITE_READONLY || primary == SQLITE_PERM) {
        code = ErrorCode::Io;
    }
    // SQLite reports SQLITE_FULL only for a failed write to the database or its journal;
    // a full disk met while growing the -shm, syncing or truncating is a generic I/O error.
    const int systemErrno = db != nullptr ? sqlite3_system_errno(db) : 0;
    const bool diskFull = code == ErrorCode::Io && (systemErrno == ENOSPC || systemErrno == EDQUOT);
    if (diskFull) {
        code = ErrorCode::DiskFull;
    }
    std::string message(context);
    message += ": ";
    message +=
        (db != nullptr && sqlite3_errcode(db) == rc) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (diskFull) {
        message += " (disk full)";
    }
    return Error{code, std::move(message)};
}

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const {
    sqlite3_finalize(stmt);
}

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_stmt.get(), index, value);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(m_stmt.get(), index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text64(m_stmt.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
    return *this;
}

Statement& Statement::bindNull(int index) {
    sqlite3_bind_null(m_stmt.get(), index);
    return *this;
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    const char* sql = sqlite3_sql(m_stmt.get());
    return std::unexpected(errorFromCode(m_db, rc,
                                         sql != nullptr ? std::string_view(sql).substr(0, 60)
                                                        : std::string_view("statement")));
}

Status Statement::run() {
    auto stepped = step();
    if (!stepped) {
        return std::unexpected(stepped.error());
    }
    reset();
    return {};
}

void Statement::reset() {
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(m_stmt.get(), column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(m_stmt.get(), column);
}

std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(m_stmt.get(), column);
    const int size = sqlite3_column_bytes(m_stmt.get(), column);
    return data != nullptr ? std::string(reinterpret_cast<const char*>(data), size) : std::string();
}

std::optional<std::int64_t> Statement::optionalInt64(int column) const {
    if (isNull(column)) {
        return std::nullopt;
    }
    return int64(column);
}

void Database::Closer::operator()(sqlite3* db) const {
    sqlite3_close_v2(db);
}

Database::Database(std::unique_ptr<sqlite3, Closer> db, std::filesystem::path path)
    : m_db(std::move(db)), m_path(std::move(path)) {}

Result<Database> Database::open(const std::filesystem::path& path, Mode mode) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    std::unique_ptr<sqlite3, Closer> db(raw);
    if (rc != SQLITE_OK) {
        return std::unexpected(
            errorFromCode(raw, rc, "cannot open " + escapeInvalidUtf8(path.native())));
    }
    sqlite3_extended_result_codes(raw, 1);
    // A second process (ripen-cli beside the GUI) may hold the write lock briefly.
    sqlite3_busy_timeout(raw, 5000);
    return Database(std::move(db), path);
}

Status Database::exec(std::string_view sql) {
    const std::string owned(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db.get(), owned.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        Error error = errorFromCode(m_db.get(), rc, owned.substr(0, 60));
        sqlite3_free(message);
        return std::unexpected(std::move(error));
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        return std::unexpected(errorFromCode(m_db.get(), rc, sql.substr(0, 60)));
    }
    return Statement(m_db.get(), stmt);
}

std::int64_t Database::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_db.get());
}

int Database::changes() const {
    return sqlite3_changes(m_db.get());
}

Result<std::int64_t> Database::queryInt64(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return *row ? stmt->int64(0) : 0;
}

Error Database::lastError(std::string_view context) const {
    return errorFromCode(m_db.get(), sqlite3_extended_errcode(m_db.get()), context);
}

Result<Transaction> Transaction::begin(Database& db) {
    if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) {
        return std::unexpected(begun.error());
    }
    return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Transaction::~Transaction() {
    if (m_db != nullptr) {
        (void)m_db->exec("ROLLBACK");
    }
}

Status Transaction::commit() {
    auto committed = m_db->exec("COMMIT");
    if (committed) {
        m_db = nullptr;
    }
    return committed;
}

} // namespace ripen::sqlite
