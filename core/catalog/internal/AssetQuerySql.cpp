#include "catalog/internal/AssetQuerySql.h"

#include <sstream>

namespace ripen {

AssetQuerySql::AssetQuerySql(const AssetQuery& q) {
    if (const std::string fts = ftsExpression(q.search); !fts.empty()) {
        add("a.id IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?)", fts);
    }
    if (q.project) {
        m_needsProject = true;
        add("p.name = ? COLLATE NOCASE", *q.project);
    }
    if (q.client) {
        m_needsClient = true;
        add("c.name = ? COLLATE NOCASE", *q.client);
    }
    if (q.kind) {
        add("a.kind = ?", std::string(toString(*q.kind)));
    }
    if (q.stage) {
        add("a.stage = ?", std::string(toString(*q.stage)));
    }
    if (q.flag) {
        add("a.flag = ?", std::string(toString(*q.flag)));
    }
    if (q.colorLabel) {
        add("a.color_label = ?", std::string(toString(*q.colorLabel)));
    }
    if (q.minRating) {
        add("a.rating >= ?", static_cast<std::int64_t>(*q.minRating));
    }
    if (q.provider) {
        add("a.provider = ?", *q.provider);
    }
    if (q.modelId) {
        add("a.model_id = ?", *q.modelId);
    }
    if (q.tag) {
        add("a.id IN (SELECT x.asset_id FROM asset_tags x WHERE x.tag_id = "
            "(SELECT id FROM tags WHERE name = ? COLLATE NOCASE))",
            *q.tag);
    }
    if (q.collection) {
        // The primary key (collection_id, asset_id) serves this lookup.
        add("a.id IN (SELECT m.asset_id FROM collection_assets m WHERE m.collection_id = ?)",
            *q.collection);
    }
    if (q.importedAfterMs) {
        add("a.imported_at >= ?", *q.importedAfterMs);
    }
    if (q.importedBeforeMs) {
        add("a.imported_at < ?", *q.importedBeforeMs);
    }
    if (q.idAbove) {
        add("a.id > ?", *q.idAbove);
    }
}

std::string AssetQuerySql::joins() const {
    std::string sql;
    if (m_needsProject) {
        sql += " JOIN projects p ON p.id = a.project_id";
    }
    if (m_needsClient) {
        sql += " JOIN clients c ON c.id = a.client_id";
    }
    return sql;
}

void AssetQuerySql::add(std::string condition, std::variant<std::int64_t, std::string> value) {
    m_where += m_where.empty() ? " WHERE " : " AND ";
    m_where += condition;
    m_values.push_back(std::move(value));
}

std::string AssetQuerySql::orderAndLimit(const AssetQuery& q) const {
    std::string sql = q.order == AssetQuery::Order::NewestFirst
                          ? " ORDER BY a.imported_at DESC, a.id DESC"
                          : " ORDER BY a.imported_at ASC, a.id ASC";
    sql += " LIMIT " + std::to_string(q.limit < 0 ? -1 : q.limit);
    sql += " OFFSET " + std::to_string(q.offset < 0 ? 0 : q.offset);
    return sql;
}

int AssetQuerySql::bind(sqlite::Statement& stmt, int first) const {
    int index = first;
    for (const auto& value : m_values) {
        std::visit([&](const auto& v) { stmt.bind(index, v); }, value);
        ++index;
    }
    return index;
}

std::string AssetQuerySql::ftsExpression(const std::string& userText) {
    std::istringstream words(userText);
    std::string word;
    std::string expression;
    while (words >> word) {
        std::string quoted;
        for (const char ch : word) {
            if (ch != '"') {
                quoted += ch;
            }
        }
        if (quoted.empty()) {
            continue;
        }
        if (!expression.empty()) {
            expression += ' ';
        }
        expression += '"' + quoted + "\"*";
    }
    return expression;
}

} // namespace ripen
