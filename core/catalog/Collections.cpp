#include "catalog/Collections.h"

#include "common/Clock.h"

#include <algorithm>

namespace ripen {

namespace {

constexpr const char* kListSql = R"sql(
    SELECT c.id, c.name, c.created_at,
           (SELECT count(*) FROM collection_assets m WHERE m.collection_id = c.id)
    FROM collections c)sql";

Collection toCollection(const sqlite::Statement& s) {
    return Collection{s.int64(0), s.text(1), s.int64(2), s.int64(3)};
}

// Runs `sql` with (collection id, asset id, now) for every asset, in one transaction.
Status forEachAsset(sqlite::Database& db, const std::string& sql, std::int64_t id,
                    std::span<const AssetId> assets, bool bindsTime) {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    const std::int64_t now = unixMillis();
    for (const AssetId asset : assets) {
        stmt->reset();
        stmt->bind(1, id).bind(2, asset);
        if (bindsTime) {
            stmt->bind(3, now);
        }
        if (auto ran = stmt->run(); !ran) {
            return ran;
        }
    }
    return tx->commit();
}

} // namespace

Status Collections::checkName(const std::string& name, std::int64_t exceptId) {
    if (name.empty() || std::all_of(name.begin(), name.end(), [](char c) { return c == ' '; })) {
        return fail(ErrorCode::InvalidArgument, "a collection needs a name");
    }
    auto stmt = m_catalog.database().prepare(
        "SELECT count(*) FROM collections WHERE name = ? COLLATE NOCASE AND id <> ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, name).bind(2, exceptId);
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (*row && stmt->int64(0) > 0) {
        return fail(ErrorCode::InvalidArgument, "a collection named \"" + name + "\" exists");
    }
    return {};
}

Status Collections::requireExists(std::int64_t id) {
    auto found = m_catalog.database().prepare("SELECT count(*) FROM collections WHERE id = ?");
    if (!found) {
        return std::unexpected(found.error());
    }
    found->bind(1, id);
    auto row = found->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row || found->int64(0) == 0) {
        return fail(ErrorCode::NotFound, "no collection with id " + std::to_string(id));
    }
    return {};
}

Result<std::int64_t> Collections::create(const std::string& name) {
    auto& db = m_catalog.database();
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    if (auto ok = checkName(name, 0); !ok) {
        return std::unexpected(ok.error());
    }
    auto insert = db.prepare("INSERT INTO collections(name, created_at) VALUES (?, ?)");
    if (!insert) {
        return std::unexpected(insert.error());
    }
    if (auto ran = insert->bind(1, name).bind(2, unixMillis()).run(); !ran) {
        return std::unexpected(ran.error());
    }
    const std::int64_t id = db.lastInsertRowId();
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    return id;
}

Status Collections::rename(std::int64_t id, const std::string& newName) {
    auto& db = m_catalog.database();
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    if (auto exists = requireExists(id); !exists) {
        return exists;
    }
    if (auto ok = checkName(newName, id); !ok) {
        return ok;
    }
    auto update = db.prepare("UPDATE collections SET name = ? WHERE id = ?");
    if (!update) {
        return std::unexpected(update.error());
    }
    if (auto ran = update->bind(1, newName).bind(2, id).run(); !ran) {
        return ran;
    }
    return tx->commit();
}

Status Collections::remove(std::int64_t id) {
    auto& db = m_catalog.database();
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    if (auto exists = requireExists(id); !exists) {
        return exists;
    }
    auto drop = db.prepare("DELETE FROM collections WHERE id = ?");
    if (!drop) {
        return std::unexpected(drop.error());
    }
    if (auto ran = drop->bind(1, id).run(); !ran) {
        return ran;
    }
    return tx->commit();
}

Status Collections::addAssets(std::int64_t id, std::span<const AssetId> assets) {
    if (auto exists = requireExists(id); !exists) {
        return exists;
    }
    for (const AssetId asset : assets) {
        if (auto known = m_catalog.asset(asset); !known) {
            return std::unexpected(known.error());
        }
    }
    return forEachAsset(m_catalog.database(),
                        "INSERT OR IGNORE INTO collection_assets(collection_id, asset_id, "
                        "added_at) VALUES (?1, ?2, ?3)",
                        id, assets, true);
}

Status Collections::removeAssets(std::int64_t id, std::span<const AssetId> assets) {
    if (auto exists = requireExists(id); !exists) {
        return exists;
    }
    return forEachAsset(m_catalog.database(),
                        "DELETE FROM collection_assets WHERE collection_id = ?1 AND asset_id = ?2",
                        id, assets, false);
}

Result<std::vector<Collection>> Collections::list() {
    auto stmt =
        m_catalog.database().prepare(std::string(kListSql) + " ORDER BY c.name COLLATE NOCASE");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<Collection>(toCollection);
}

Result<Collection> Collections::byName(const std::string& name) {
    auto stmt =
        m_catalog.database().prepare(std::string(kListSql) + " WHERE c.name = ? COLLATE NOCASE");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, name);
    auto rows = stmt->collect<Collection>(toCollection);
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return fail(ErrorCode::NotFound, "no collection named \"" + name + "\"");
    }
    return rows->front();
}

} // namespace ripen
