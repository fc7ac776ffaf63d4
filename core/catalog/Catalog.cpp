#include "catalog/Catalog.h"

#include "catalog/internal/AssetQuerySql.h"
#include "catalog/internal/CatalogMigrations.h"
#include "catalog/internal/SqliteIntegrity.h"
#include "common/Clock.h"
#include "common/TextEncoding.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

namespace ripen {
namespace {

constexpr const char* kAssetColumns = R"sql(
SELECT a.id, a.kind, a.sha256, a.blob_path, a.format, a.byte_size, a.width, a.height,
       a.duration_us, a.source_path, coalesce(p.name, ''), coalesce(c.name, ''), a.stage,
       a.rating, a.flag, a.color_label, a.prompt, a.negative_prompt, a.provider, a.model_id,
       a.model_version, a.seed, a.params_json, a.cost_micros, a.cost_currency, a.notes,
       a.created_at, a.imported_at,
       (SELECT group_concat(t.name, char(31)) FROM asset_tags x JOIN tags t ON t.id = x.tag_id
         WHERE x.asset_id = a.id),
       (SELECT group_concat(parent_id, ',') FROM asset_parents WHERE child_id = a.id)
FROM assets a LEFT JOIN projects p ON p.id = a.project_id LEFT JOIN clients c ON c.id = a.client_id
)sql";

std::vector<std::string> splitOn(const std::string& text, char separator) {
    std::vector<std::string> parts;
    if (text.empty()) {
        return parts;
    }
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) {
        parts.push_back(part);
    }
    return parts;
}

// The generation size rides in params_json under these keys; they are lifted back out on
// read so GenerationMetadata round-trips.
constexpr const char* kGenWidthKey = "width";
constexpr const char* kGenHeightKey = "height";

std::string paramsToJson(const GenerationMetadata& gen) {
    nlohmann::json params = gen.params.is_object() ? gen.params : nlohmann::json::object();
    if (gen.width) {
        params[kGenWidthKey] = *gen.width;
    }
    if (gen.height) {
        params[kGenHeightKey] = *gen.height;
    }
    return params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void paramsFromJson(const std::string& text, GenerationMetadata& gen) {
    auto params = nlohmann::json::parse(text, nullptr, false);
    if (!params.is_object()) {
        return;
    }
    const auto lift = [&](const char* key, std::optional<int>& out) {
        if (auto it = params.find(key); it != params.end() && it->is_number_integer()) {
            out = it->get<int>();
            params.erase(it);
        }
    };
    lift(kGenWidthKey, gen.width);
    lift(kGenHeightKey, gen.height);
    gen.params = std::move(params);
}

Asset assetFromRow(const sqlite::Statement& s) {
    Asset a;
    a.id = s.int64(0);
    a.kind = assetKindFromString(s.text(1)).value_or(AssetKind::Image);
    a.sha256 = s.text(2);
    a.blobPath = s.text(3);
    a.format = s.text(4);
    a.byteSize = s.int64(5);
    a.width = static_cast<int>(s.int64(6));
    a.height = static_cast<int>(s.int64(7));
    a.durationMicros = s.optionalInt64(8);
    a.sourcePath = s.text(9);
    a.project = s.text(10);
    a.client = s.text(11);
    a.stage = stageFromString(s.text(12)).value_or(Stage::None);
    a.rating = static_cast<int>(s.int64(13));
    a.flag = flagFromString(s.text(14)).value_or(Flag::None);
    a.colorLabel = colorLabelFromString(s.text(15)).value_or(ColorLabel::None);
    a.generation.prompt = s.text(16);
    a.generation.negativePrompt = s.text(17);
    a.generation.provider = s.text(18);
    a.generation.modelId = s.text(19);
    a.generation.modelVersion = s.text(20);
    a.generation.seed = s.optionalInt64(21);
    paramsFromJson(s.text(22), a.generation);
    a.costMicros = s.int64(23);
    a.costCurrency = s.text(24);
    a.notes = s.text(25);
    a.createdAtMs = s.int64(26);
    a.importedAtMs = s.int64(27);
    a.tags = splitOn(s.text(28), '\x1f');
    for (const auto& parent : splitOn(s.text(29), ',')) {
        a.parents.push_back(std::stoll(parent));
    }
    std::sort(a.parents.begin(), a.parents.end());
    return a;
}

std::string idList(std::span<const AssetId> ids) {
    std::string list;
    for (const AssetId id : ids) {
        if (!list.empty()) {
            list += ',';
        }
        list += std::to_string(id);
    }
    return list;
}

Status checkText(const std::string& value, const char* field) {
    if (!isValidUtf8(value)) {
        return fail(ErrorCode::InvalidArgument, std::string(field) + " is not valid UTF-8");
    }
    return {};
}

} // namespace

Catalog::Catalog(sqlite::Database db, int schemaVersion)
    : m_db(std::move(db)), m_schemaVersion(schemaVersion) {}

Result<std::unique_ptr<Catalog>> Catalog::open(const std::filesystem::path& file) {
    auto db = sqlite::Database::open(file, sqlite::Database::Mode::ReadWriteCreate);
    if (!db) {
        return std::unexpected(db.error());
    }
    // The version is checked before anything else touches the file, so a newer catalog is
    // refused without being changed (not even switched to WAL).
    auto version = CatalogMigrations::currentVersion(*db);
    if (!version) {
        return std::unexpected(
            withContext(version.error(), "reading " + escapeInvalidUtf8(file.native())));
    }
    if (*version > CatalogMigrations::kLatestVersion) {
        return std::unexpected(CatalogMigrations::migrate(*db).error());
    }
    // FULL sync: a commit is on disk when it returns; the cost is one fsync (~0.2 ms here).
    for (const char* pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
        if (auto set = db->exec(pragma); !set) {
            return std::unexpected(set.error());
        }
    }
    if (auto migrated = CatalogMigrations::migrate(*db); !migrated) {
        return std::unexpected(migrated.error());
    }
    return std::unique_ptr<Catalog>(new Catalog(std::move(*db), CatalogMigrations::kLatestVersion));
}

Result<std::int64_t> Catalog::ensureNamed(const char* table, const std::string& name) {
    if (auto valid = checkText(name, table); !valid) {
        return std::unexpected(valid.error());
    }
    auto insert = m_db.prepare(std::string("INSERT INTO ") + table +
                               "(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
    if (!insert) {
        return std::unexpected(insert.error());
    }
    if (auto ran = insert->bind(1, name).run(); !ran) {
        return std::unexpected(ran.error());
    }
    auto select = m_db.prepare(std::string("SELECT id FROM ") + table + " WHERE name = ?");
    if (!select) {
        return std::unexpected(select.error());
    }
    select->bind(1, name);
    auto row = select->step();
    if (!row || !*row) {
        return std::unexpected(row ? Error{ErrorCode::Internal, "name vanished"} : row.error());
    }
    return select->int64(0);
}

Result<std::int64_t> Catalog::ensureClient(const std::string& name) {
    return ensureNamed("clients", name);
}

Result<std::int64_t> Catalog::ensureProject(const std::string& name, const std::string& client) {
    auto projectId = ensureNamed("projects", name);
    if (!projectId || client.empty()) {
        return projectId;
    }
    auto clientId = ensureClient(client);
    if (!clientId) {
        return std::unexpected(clientId.error());
    }
    auto link = m_db.prepare("UPDATE projects SET client_id = ? WHERE id = ?");
    if (!link) {
        return std::unexpected(link.error());
    }
    if (auto ran = link->bind(1, *clientId).bind(2, *projectId).run(); !ran) {
        return std::unexpected(ran.error());
    }
    return projectId;
}

Result<AssetId> Catalog::addAsset(const Asset& asset) {
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    auto id = addAssetInTransaction(asset);
    if (!id) {
        return id;
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    return id;
}

Result<AssetId> Catalog::addAssetInTransaction(const Asset& asset) {
    for (const auto& [text, field] : {std::pair{&asset.generation.prompt, "prompt"},
                                      {&asset.generation.negativePrompt, "negative prompt"},
                                      {&asset.notes, "notes"},
                                      {&asset.sourcePath, "source path"}}) {
        if (auto valid = checkText(*text, field); !valid) {
            return std::unexpected(valid.error());
        }
    }
    if (auto rows = insertAssetRows(asset); !rows) {
        return std::unexpected(rows.error());
    }
    const AssetId id = m_db.lastInsertRowId();
    if (auto tagged = setTags(id, asset.tags); !tagged) {
        return std::unexpected(tagged.error());
    }
    for (const AssetId parent : asset.parents) {
        if (auto linked = addParent(id, parent); !linked) {
            return std::unexpected(linked.error());
        }
    }
    return id;
}

Status Catalog::insertAssetRows(const Asset& a) {
    std::optional<std::int64_t> projectId;
    std::optional<std::int64_t> clientId;
    if (!a.client.empty()) {
        auto id = ensureClient(a.client);
        if (!id) {
            return std::unexpected(id.error());
        }
        clientId = *id;
    }
    if (!a.project.empty()) {
        auto id = ensureProject(a.project, a.client);
        if (!id) {
            return std::unexpected(id.error());
        }
        projectId = *id;
    }
    auto insert = m_db.prepare(R"sql(
        INSERT INTO assets(kind, sha256, blob_path, format, byte_size, width, height, duration_us,
            source_path, project_id, client_id, stage, rating, flag, color_label, prompt,
            negative_prompt, provider, model_id, model_version, seed, params_json, cost_micros,
            cost_currency, notes, created_at, imported_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    if (!insert) {
        return std::unexpected(insert.error());
    }
    const auto& g = a.generation;
    insert->bind(1, toString(a.kind)).bind(2, a.sha256).bind(3, a.blobPath).bind(4, a.format);
    insert->bind(5, a.byteSize).bind(6, a.width).bind(7, a.height).bind(8, a.durationMicros);
    insert->bind(9, a.sourcePath).bind(10, projectId).bind(11, clientId);
    insert->bind(12, toString(a.stage)).bind(13, a.rating).bind(14, toString(a.flag));
    insert->bind(15, toString(a.colorLabel)).bind(16, g.prompt).bind(17, g.negativePrompt);
    insert->bind(18, g.provider).bind(19, g.modelId).bind(20, g.modelVersion).bind(21, g.seed);
    insert->bind(22, paramsToJson(g)).bind(23, a.costMicros).bind(24, a.costCurrency);
    insert->bind(25, a.notes).bind(26, a.createdAtMs != 0 ? a.createdAtMs : unixMillis());
    insert->bind(27, a.importedAtMs != 0 ? a.importedAtMs : unixMillis());
    return insert->run();
}

Result<Asset> Catalog::asset(AssetId id) {
    auto stmt = m_db.prepare(std::string(kAssetColumns) + " WHERE a.id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, "no asset with id " + std::to_string(id));
    }
    return assetFromRow(*stmt);
}

Result<std::optional<AssetId>> Catalog::findBySha256(const std::string& sha256) {
    auto stmt = m_db.prepare("SELECT id FROM assets WHERE sha256 = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, sha256);
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return *row ? std::optional<AssetId>(stmt->int64(0)) : std::nullopt;
}

Result<std::vector<Asset>> Catalog::find(const AssetQuery& query) {
    const AssetQuerySql sql(query);
    // Two phases: pick the page of ids first, then build full rows (tags, lineage) for
    // those only; otherwise SQLite computes the row subqueries for every match before
    // sorting (70 ms instead of 1 ms for "newest 100 with a tag" over 100k assets).
    const std::string page =
        "SELECT a.id FROM assets a" + sql.joins() + sql.where() + sql.orderAndLimit(query);
    AssetQuery wholePage;
    wholePage.order = query.order;
    auto stmt = m_db.prepare(kAssetColumns + std::string(" WHERE a.id IN (") + page + ")" +
                             sql.orderAndLimit(wholePage));
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    sql.bind(*stmt);
    return stmt->collect<Asset>(assetFromRow);
}

Result<std::int64_t> Catalog::count(const AssetQuery& query) {
    const AssetQuerySql sql(query);
    auto stmt = m_db.prepare("SELECT count(*) FROM assets a" + sql.joins() + sql.where());
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    sql.bind(*stmt);
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return stmt->int64(0);
}

Result<std::vector<AssetId>> Catalog::children(AssetId id) {
    auto stmt = m_db.prepare("SELECT child_id FROM asset_parents WHERE parent_id = ? ORDER BY 1");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, id);
    return stmt->collect<AssetId>([](const sqlite::Statement& s) { return s.int64(0); });
}

Status Catalog::updateColumn(std::span<const AssetId> ids, const char* column,
                             const std::string& value) {
    if (ids.empty()) {
        return {};
    }
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    auto stmt = m_db.prepare(std::string("UPDATE assets SET ") + column + " = ? WHERE id IN (" +
                             idList(ids) + ")");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    if (auto ran = stmt->bind(1, value).run(); !ran) {
        return ran;
    }
    if (m_db.changes() != static_cast<int>(std::set<AssetId>(ids.begin(), ids.end()).size())) {
        return fail(ErrorCode::NotFound, "some of the assets " + idList(ids) + " do not exist");
    }
    return tx->commit();
}

Status Catalog::setRating(std::span<const AssetId> ids, int rating) {
    if (rating < 0 || rating > 5) {
        return fail(ErrorCode::InvalidArgument,
                    "rating " + std::to_string(rating) + " is outside 0-5 stars");
    }
    return updateColumn(ids, "rating", std::to_string(rating));
}

Status Catalog::setFlag(std::span<const AssetId> ids, Flag flag) {
    return updateColumn(ids, "flag", std::string(toString(flag)));
}

Status Catalog::setColorLabel(std::span<const AssetId> ids, ColorLabel label) {
    return updateColumn(ids, "color_label", std::string(toString(label)));
}

Status Catalog::setStage(std::span<const AssetId> ids, Stage stage) {
    return updateColumn(ids, "stage", std::string(toString(stage)));
}

Status Catalog::setNotes(AssetId id, const std::string& notes) {
    if (auto valid = checkText(notes, "notes"); !valid) {
        return valid;
    }
    const AssetId ids[] = {id};
    return updateColumn(ids, "notes", notes);
}

Status Catalog::setProject(std::span<const AssetId> ids, const std::string& project) {
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    auto projectId = ensureProject(project, "");
    if (!projectId) {
        return std::unexpected(projectId.error());
    }
    auto stmt = m_db.prepare("UPDATE assets SET project_id = ?1, client_id = (SELECT client_id "
                             "FROM projects WHERE id = ?1) WHERE id IN (" +
                             idList(ids) + ")");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    if (auto ran = stmt->bind(1, *projectId).run(); !ran) {
        return ran;
    }
    return tx->commit();
}

Status Catalog::setTags(AssetId id, const std::vector<std::string>& tags) {
    // Runs inside addAsset's transaction or on its own; SAVEPOINT nests in both cases.
    if (auto begun = m_db.exec("SAVEPOINT set_tags"); !begun) {
        return begun;
    }
    auto body = [&]() -> Status {
        auto clear = m_db.prepare("DELETE FROM asset_tags WHERE asset_id = ?");
        if (!clear) {
            return std::unexpected(clear.error());
        }
        if (auto ran = clear->bind(1, id).run(); !ran) {
            return ran;
        }
        for (const auto& tag : tags) {
            if (tag.empty()) {
                continue;
            }
            auto tagId = ensureNamed("tags", tag);
            if (!tagId) {
                return std::unexpected(tagId.error());
            }
            auto link =
                m_db.prepare("INSERT OR IGNORE INTO asset_tags(asset_id, tag_id) VALUES (?, ?)");
            if (!link) {
                return std::unexpected(link.error());
            }
            if (auto ran = link->bind(1, id).bind(2, *tagId).run(); !ran) {
                return ran;
            }
        }
        return {};
    };
    if (auto done = body(); !done) {
        (void)m_db.exec("ROLLBACK TO set_tags; RELEASE set_tags");
        return done;
    }
    return m_db.exec("RELEASE set_tags");
}

Status Catalog::addParent(AssetId child, AssetId parent, const std::string& relation) {
    auto stmt = m_db.prepare(
        "INSERT OR IGNORE INTO asset_parents(child_id, parent_id, relation) VALUES (?, ?, ?)");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    auto ran = stmt->bind(1, child).bind(2, parent).bind(3, relation).run();
    if (!ran) {
        return std::unexpected(withContext(ran.error(), "linking asset " + std::to_string(child) +
                                                            " to parent " +
                                                            std::to_string(parent)));
    }
    return {};
}

Result<std::vector<Project>> Catalog::projects() {
    auto stmt = m_db.prepare(R"sql(
        SELECT p.id, p.name, coalesce(c.name, ''), (SELECT count(*) FROM assets WHERE project_id = p.id)
        FROM projects p LEFT JOIN clients c ON c.id = p.client_id ORDER BY p.name COLLATE NOCASE)sql");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<Project>([](const sqlite::Statement& s) {
        return Project{s.int64(0), s.text(1), s.text(2), s.int64(3)};
    });
}

Result<std::vector<Client>> Catalog::clients() {
    auto stmt = m_db.prepare(R"sql(
        SELECT c.id, c.name, (SELECT count(*) FROM assets WHERE client_id = c.id)
        FROM clients c ORDER BY c.name COLLATE NOCASE)sql");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<Client>([](const sqlite::Statement& s) {
        return Client{s.int64(0), s.text(1), s.int64(2)};
    });
}

Result<std::vector<GenerationSource>> Catalog::generationSources() {
    auto stmt = m_db.prepare(R"sql(
        SELECT provider, model_id, count(*) FROM assets
        WHERE provider <> '' OR model_id <> ''
        GROUP BY provider, model_id ORDER BY provider COLLATE NOCASE, model_id COLLATE NOCASE)sql");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<GenerationSource>([](const sqlite::Statement& s) {
        return GenerationSource{s.text(0), s.text(1), s.int64(2)};
    });
}

Status Catalog::verifyIntegrity() {
    return checkIntegrity(m_db);
}

} // namespace ripen
