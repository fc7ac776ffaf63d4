#pragma once

#include "catalog/AssetQuery.h"
#include "catalog/internal/SqliteStatement.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace ripen {

// Translates an AssetQuery into a WHERE clause with bound values, so user text never
// becomes SQL. Columns refer to the aliases used by Catalog: a (assets), p (projects),
// c (clients).
class AssetQuerySql {
public:
    explicit AssetQuerySql(const AssetQuery& query);

    const std::string& where() const { return m_where; } // "" or " WHERE ..."
    // The joins the filter needs (projects and clients only when filtered by name).
    std::string joins() const;
    std::string orderAndLimit(const AssetQuery& query) const;
    // Binds the values of where() starting at parameter `first`; returns the next index.
    int bind(sqlite::Statement& stmt, int first = 1) const;

    // "red cat" -> "\"red\"* \"cat\"*": each word a quoted prefix term, so FTS5 syntax
    // characters in user input cannot change the query.
    static std::string ftsExpression(const std::string& userText);

private:
    void add(std::string condition, std::variant<std::int64_t, std::string> value);

    std::string m_where;
    bool m_needsProject = false;
    bool m_needsClient = false;
    std::vector<std::variant<std::int64_t, std::string>> m_values;
};

} // namespace ripen
