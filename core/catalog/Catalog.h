#pragma once

#include "catalog/Asset.h"
#include "catalog/AssetQuery.h"
#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ripen {

struct Project {
    std::int64_t id = 0;
    std::string name;
    std::string client; // empty when the project has no client
    std::int64_t assetCount = 0;
};

struct Client {
    std::int64_t id = 0;
    std::string name;
    std::int64_t assetCount = 0;
};

// A provider and model that made assets in the catalog (either may be empty).
struct GenerationSource {
    std::string provider;
    std::string modelId;
    std::int64_t assetCount = 0;
};

// The asset catalog: one SQLite database (WAL, foreign keys, FULL sync) holding assets,
// projects, clients, tags and lineage. Every public write is one transaction.
//
// Thread affinity: a Catalog is one connection and must be used from one thread at a
// time; worker threads open their own Catalog on the same file.
class Catalog {
public:
    static Result<std::unique_ptr<Catalog>> open(const std::filesystem::path& file);

    Result<AssetId> addAsset(const Asset& asset);
    // As addAsset, for a caller that already holds a transaction on database() and
    // commits the asset together with its own rows (the job queue does).
    Result<AssetId> addAssetInTransaction(const Asset& asset);
    Result<Asset> asset(AssetId id);
    Result<std::optional<AssetId>> findBySha256(const std::string& sha256);
    Result<std::vector<Asset>> find(const AssetQuery& query);
    Result<std::int64_t> count(const AssetQuery& query);
    Result<std::vector<AssetId>> children(AssetId id);

    Status setRating(std::span<const AssetId> ids, int rating);
    Status setFlag(std::span<const AssetId> ids, Flag flag);
    Status setColorLabel(std::span<const AssetId> ids, ColorLabel label);
    Status setStage(std::span<const AssetId> ids, Stage stage);
    Status setNotes(AssetId id, const std::string& notes);
    Status setTags(AssetId id, const std::vector<std::string>& tags);
    Status setProject(std::span<const AssetId> ids, const std::string& project);
    Status addParent(AssetId child, AssetId parent, const std::string& relation = "derived");

    // Creates the project (and its client) if missing; an empty client leaves it unchanged.
    Result<std::int64_t> ensureProject(const std::string& name, const std::string& client);
    Result<std::int64_t> ensureClient(const std::string& name);
    Result<std::vector<Project>> projects();
    Result<std::vector<Client>> clients();
    // Every distinct (provider, model) pair among the assets, ordered by provider then
    // model; assets with neither are left out.
    Result<std::vector<GenerationSource>> generationSources();

    // PRAGMA integrity_check and foreign_key_check; an error lists what is wrong.
    Status verifyIntegrity();
    int schemaVersion() const { return m_schemaVersion; }
    sqlite::Database& database() { return m_db; }

private:
    Catalog(sqlite::Database db, int schemaVersion);

    Status insertAssetRows(const Asset& asset);
    Status updateColumn(std::span<const AssetId> ids, const char* column,
                        const std::string& value);
    Result<std::int64_t> ensureNamed(const char* table, const std::string& name);

    sqlite::Database m_db;
    int m_schemaVersion;
};

} // namespace ripen
