#pragma once

#include "common/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ripen::sqlite {

// One prepared statement. Binding is 1-based as in SQLite; columns are 0-based.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt);

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bindNull(int index);
    template <class T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // True when a row is ready, false when the statement is done.
    Result<bool> step();
    // Runs a statement that returns no rows.
    Status run();
    // Steps through every row, turning each into a T with `convert(*this)`.
    template <class T, class Convert> Result<std::vector<T>> collect(Convert convert) {
        std::vector<T> rows;
        while (true) {
            auto row = step();
            if (!row) {
                return std::unexpected(row.error());
            }
            if (!*row) {
                return rows;
            }
            rows.push_back(convert(*this));
        }
    }
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::int64_t> optionalInt64(int column) const;

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* stmt) const;
    };
    sqlite3* m_db;
    std::unique_ptr<sqlite3_stmt, Finalizer> m_stmt;
};

} // namespace ripen::sqlite
