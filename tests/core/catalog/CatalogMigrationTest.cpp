#include "catalog/Catalog.h"
#include "catalog/internal/CatalogMigrations.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

using namespace ripen;
using ripen::test::TempDir;

namespace {

sqlite::Database openRaw(const std::filesystem::path& file) {
    auto db = sqlite::Database::open(file, sqlite::Database::Mode::ReadWriteCreate);
    REQUIRE(db);
    return std::move(*db);
}

// Rows as a catalog of schema version 1 held them, written with that version's SQL.
void fillVersion1(sqlite::Database& db) {
    REQUIRE(db.exec(R"sql(
        INSERT INTO clients(id, name, created_at) VALUES (1, 'Acme', 1);
        INSERT INTO projects(id, name, client_id, created_at) VALUES (1, 'Spring', 1, 1);
        INSERT INTO tags(id, name) VALUES (1, 'hero');
        INSERT INTO assets(id, kind, sha256, blob_path, format, byte_size, width, height,
                           project_id, client_id, prompt, notes, created_at, imported_at)
        VALUES (1, 'image', printf('%064d', 1), 'blobs/00/x.png', 'png', 10, 64, 64, 1, 1,
                'lavender field at dawn', 'keep', 1, 1),
               (2, 'image', printf('%064d', 2), 'blobs/00/y.png', 'png', 10, 64, 64, NULL,
                NULL, 'city at night', '', 2, 2);
        INSERT INTO asset_tags(asset_id, tag_id) VALUES (2, 1);
        INSERT INTO asset_parents(child_id, parent_id) VALUES (2, 1);
    )sql"));
}

} // namespace

TEST_CASE("A new catalog is created at the latest schema version", "[catalog][migration]") {
    TempDir dir;
    auto catalog = Catalog::open(dir / "catalog.sqlite");
    REQUIRE(catalog);
    CHECK((*catalog)->schemaVersion() == CatalogMigrations::kLatestVersion);
    CHECK(*(*catalog)->database().queryInt64("PRAGMA user_version") ==
          CatalogMigrations::kLatestVersion);
}

TEST_CASE("A catalog from every earlier schema version migrates with its data",
          "[catalog][migration]") {
    for (int from = 1; from < CatalogMigrations::kLatestVersion; ++from) {
        DYNAMIC_SECTION("from version " << from) {
            TempDir dir;
            {
                auto db = openRaw(dir / "catalog.sqlite");
                REQUIRE(CatalogMigrations::migrate(db, from));
                fillVersion1(db);
            }
            auto catalog = Catalog::open(dir / "catalog.sqlite");
            REQUIRE(catalog);
            auto& c = **catalog;
            CHECK(c.schemaVersion() == CatalogMigrations::kLatestVersion);
            REQUIRE(c.verifyIntegrity());
            auto first = c.asset(1);
            REQUIRE(first);
            CHECK(first->project == "Spring");
            CHECK(first->client == "Acme");
            CHECK(c.asset(2)->parents == std::vector<AssetId>{1});
            // Rows that existed before the search index are searchable after it.
            AssetQuery q;
            q.search = "lavender";
            CHECK(c.find(q)->size() == 1);
            q.search = "hero";
            CHECK(c.find(q)->size() == 1);
        }
    }
}

TEST_CASE("A catalog from a newer Ripen is refused and left untouched", "[catalog][migration]") {
    TempDir dir;
    const auto file = dir / "catalog.sqlite";
    {
        auto db = openRaw(file);
        REQUIRE(CatalogMigrations::migrate(db));
        REQUIRE(db.exec("PRAGMA user_version = 99"));
    }
    const std::string before = test::readBytes(file);
    auto refused = Catalog::open(file);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::SchemaTooNew);
    CHECK_THAT(refused.error().message, Catch::Contains("99") && Catch::Contains("newer Ripen"));
    CHECK(test::readBytes(file) == before);
    CHECK_FALSE(std::filesystem::exists(dir / "catalog.sqlite-wal"));
}

TEST_CASE("A file that is not a catalog is reported as such", "[catalog][migration]") {
    TempDir dir;
    test::writeBytes(dir / "catalog.sqlite", std::string(4096, 'x'));
    auto refused = Catalog::open(dir / "catalog.sqlite");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Corrupt);
    CHECK_THAT(refused.error().message, Catch::Contains("catalog.sqlite"));
}

TEST_CASE("A version 3 catalog with jobs and a ledger gains accounts and a ledger roll-up",
          "[catalog][migration][credits]") {
    TempDir dir;
    {
        auto db = openRaw(dir / "catalog.sqlite");
        REQUIRE(CatalogMigrations::migrate(db, 3));
        fillVersion1(db);
        // Two days of money on one project: a settled job and a failed one that was refunded.
        REQUIRE(db.exec(R"sql(
            INSERT INTO jobs(id, job_key, provider, model, kind, request_json, state, project_id,
                             client_id, stage, estimate_micros, estimate_usd_micros, created_at,
                             updated_at)
            VALUES (1, 'k1', 'openai', 'gpt-image-1', 'text-to-image', '{}', 'succeeded', 1, 1,
                    'master', 40000, 40000, 1, 1),
                   (2, 'k2', 'openai', 'gpt-image-1', 'text-to-image', '{}', 'failed', 1, 1,
                    'concept', 40000, 40000, 1, 1);
            INSERT INTO ledger(at, job_id, kind, amount_micros, unit, usd_micros, provider, model,
                               project_id, client_id)
            VALUES (1000, 1, 'reserve', 40000, 'USD', 40000, 'openai', 'gpt-image-1', 1, 1),
                   (2000, 1, 'release', 40000, 'USD', 40000, 'openai', 'gpt-image-1', 1, 1),
                   (3000, 1, 'charge', 42000, 'USD', 42000, 'openai', 'gpt-image-1', 1, 1),
                   (86400000 + 5, 2, 'reserve', 40000, 'USD', 40000, 'openai', 'gpt-image-1', 1, 1),
                   (86400000 + 9, 2, 'release', 40000, 'USD', 40000, 'openai', 'gpt-image-1', 1, 1);
        )sql"));
    }
    auto catalog = Catalog::open(dir / "catalog.sqlite");
    REQUIRE(catalog);
    auto& db = (*catalog)->database();
    CHECK((*catalog)->schemaVersion() == CatalogMigrations::kLatestVersion);
    REQUIRE((*catalog)->verifyIntegrity());
    // The roll-up holds what the ledger held, by day and by the job's stage.
    CHECK(*db.queryInt64("SELECT count(*) FROM ledger_daily") == 5);
    CHECK(*db.queryInt64("SELECT usd_micros FROM ledger_daily WHERE kind = 'charge' AND "
                         "job_stage = 'master' AND day = 0") == 42000);
    CHECK(*db.queryInt64("SELECT entries FROM ledger_daily WHERE kind = 'release' AND day = 1 "
                         "AND job_stage = 'concept'") == 1);
    // New ledger rows keep it current in the same statement.
    REQUIRE(db.exec("INSERT INTO ledger(at, job_id, kind, amount_micros, unit, usd_micros, "
                    "provider, model, project_id, client_id) VALUES (4000, 1, 'charge', 1000, "
                    "'USD', 1000, 'openai', 'gpt-image-1', 1, 1)"));
    CHECK(*db.queryInt64("SELECT usd_micros FROM ledger_daily WHERE kind = 'charge' AND "
                         "day = 0") == 43000);
    CHECK(*db.queryInt64("SELECT sum(usd_micros) FROM ledger WHERE kind = 'charge'") ==
          *db.queryInt64("SELECT sum(usd_micros) FROM ledger_daily WHERE kind = 'charge'"));
    // Accounts, subscriptions and grants exist; money rows refuse edits.
    REQUIRE(db.exec("INSERT INTO accounts(id, provider, currency, usd_micros_per_credit, "
                    "created_at) VALUES (1, 'kling', 'credits', 10000, 1)"));
    REQUIRE(db.exec("INSERT INTO grants(account_id, granted_on, amount_micros, created_at) "
                    "VALUES (1, '2026-11-02', 66000000, 1)"));
    CHECK_FALSE(db.exec("UPDATE grants SET amount_micros = 1"));
    CHECK_FALSE(db.exec("DELETE FROM grants"));
    CHECK_FALSE(db.exec("INSERT INTO grants(account_id, granted_on, amount_micros, created_at) "
                        "VALUES (1, '2026-02-30', 1, 1)"));
    CHECK_FALSE(db.exec("INSERT INTO accounts(provider, currency, created_at) "
                        "VALUES ('x', 'EUR', 1)"));
}

TEST_CASE("A version 8 catalog with flagged assets gains their index with its data intact",
          "[catalog][migration][credits]") {
    TempDir dir;
    {
        auto db = openRaw(dir / "catalog.sqlite");
        REQUIRE(CatalogMigrations::migrate(db, 8));
        fillVersion1(db);
        REQUIRE(db.exec("UPDATE assets SET flag = 'pick' WHERE id = 1; "
                        "UPDATE assets SET flag = 'reject', project_id = 1 WHERE id = 2"));
    }
    auto catalog = Catalog::open(dir / "catalog.sqlite");
    REQUIRE(catalog);
    auto& db = (*catalog)->database();
    CHECK((*catalog)->schemaVersion() == CatalogMigrations::kLatestVersion);
    REQUIRE((*catalog)->verifyIntegrity());
    CHECK(*db.queryInt64("SELECT count(*) FROM assets") == 2);
    CHECK(*db.queryInt64("SELECT count(*) FROM asset_parents WHERE child_id = 2") == 1);
    CHECK(*db.queryInt64("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH 'lavender'") == 1);
    // The picks and rejects of a project, read from the new index alone, as the yield does.
    const std::string flagged = "FROM assets INDEXED BY assets_flagged WHERE flag IN ('pick', "
                                "'reject') AND project_id = 1";
    CHECK(*db.queryInt64("SELECT sum(flag = 'pick') " + flagged) == 1);
    CHECK(*db.queryInt64("SELECT sum(flag = 'reject') " + flagged) == 1);
    // Assets flagged later are in it too.
    REQUIRE(db.exec("UPDATE assets SET flag = 'pick' WHERE id = 2"));
    CHECK(*db.queryInt64("SELECT sum(flag = 'pick') " + flagged) == 2);
}

TEST_CASE("A version 9 catalog with a queue gains provider holds with its data intact",
          "[catalog][migration][jobs]") {
    TempDir dir;
    {
        auto db = openRaw(dir / "catalog.sqlite");
        REQUIRE(CatalogMigrations::migrate(db, 9));
        fillVersion1(db);
        REQUIRE(db.exec(R"sql(
            INSERT INTO jobs(id, job_key, provider, model, kind, request_json, state, project_id,
                             client_id, stage, estimate_micros, estimate_usd_micros, not_before,
                             error, created_at, updated_at)
            VALUES (1, 'k1', 'openai', 'gpt-image-1', 'text-to-image', '{}', 'queued', 1, 1,
                    'concept', 40000, 40000, 5000, 'rate limited by OpenAI', 1, 1);
        )sql"));
    }
    auto catalog = Catalog::open(dir / "catalog.sqlite");
    REQUIRE(catalog);
    auto& db = (*catalog)->database();
    CHECK((*catalog)->schemaVersion() == 10);
    REQUIRE((*catalog)->verifyIntegrity());
    CHECK(*db.queryInt64("SELECT count(*) FROM assets") == 2);
    CHECK(*db.queryInt64("SELECT not_before FROM jobs WHERE id = 1") == 5000);
    CHECK(*db.queryInt64("SELECT count(*) FROM provider_holds") == 0);
    // One hold per provider, a later refusal replacing it; nonsense is refused.
    REQUIRE(db.exec("INSERT INTO provider_holds(provider, held_until, reason, updated_at) "
                    "VALUES ('openai', 9000, 'HTTP 429', 8000)"));
    CHECK(*db.queryInt64("SELECT recovering FROM provider_holds WHERE provider = 'openai'") == 1);
    CHECK_FALSE(db.exec("INSERT INTO provider_holds(provider, held_until, updated_at) "
                        "VALUES ('openai', 9500, 8500)"));
    CHECK_FALSE(db.exec("INSERT INTO provider_holds(provider, held_until, updated_at) "
                        "VALUES ('', 9500, 8500)"));
    CHECK_FALSE(db.exec("INSERT INTO provider_holds(provider, held_until, updated_at) "
                        "VALUES ('gemini', -1, 8500)"));
}
