#include "catalog/Collections.h"

#include "catalog/Catalog.h"
#include "catalog/internal/CatalogMigrations.h"
#include "common/Sha256.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>

using namespace ripen;
using ripen::test::TempDir;

namespace {

std::unique_ptr<Catalog> openCatalog(const TempDir& dir) {
    auto catalog = Catalog::open(dir / "catalog.sqlite");
    REQUIRE(catalog);
    return std::move(*catalog);
}

AssetId addSample(Catalog& catalog, int n) {
    Asset a;
    a.kind = AssetKind::Image;
    a.sha256 = Sha256::ofBytes("collection asset " + std::to_string(n));
    a.blobPath = "blobs/" + a.sha256.substr(0, 2) + "/" + a.sha256 + ".png";
    a.format = "png";
    a.byteSize = 100 + n;
    a.width = 64;
    a.height = 64;
    a.importedAtMs = 1000 + n;
    auto id = catalog.addAsset(a);
    REQUIRE(id);
    return *id;
}

std::vector<AssetId> idsIn(Catalog& catalog, std::int64_t collection) {
    AssetQuery q;
    q.collection = collection;
    q.order = AssetQuery::Order::OldestFirst;
    auto found = catalog.find(q);
    REQUIRE(found);
    std::vector<AssetId> ids;
    for (const auto& a : *found) {
        ids.push_back(a.id);
    }
    return ids;
}

} // namespace

TEST_CASE("A collection holds exactly the assets added to it", "[catalog][collections]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    Collections collections(*catalog);
    std::vector<AssetId> assets;
    for (int n = 0; n < 5; ++n) {
        assets.push_back(addSample(*catalog, n));
    }
    auto portfolio = collections.create("Portfolio");
    REQUIRE(portfolio);
    auto shortlist = collections.create("Shortlist");
    REQUIRE(shortlist);

    const std::vector<AssetId> picked{assets[1], assets[3]};
    REQUIRE(collections.addAssets(*portfolio, picked));
    REQUIRE(collections.addAssets(*portfolio, picked)); // again: no duplicates, no error
    REQUIRE(collections.addAssets(*shortlist, std::vector<AssetId>{assets[0]}));
    CHECK(idsIn(*catalog, *portfolio) == picked);
    CHECK(idsIn(*catalog, *shortlist) == std::vector<AssetId>{assets[0]});

    AssetQuery count;
    count.collection = *portfolio;
    CHECK(*catalog->count(count) == 2);

    auto list = collections.list();
    REQUIRE(list);
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].name == "Portfolio");
    CHECK((*list)[0].assetCount == 2);
    CHECK((*list)[1].assetCount == 1);

    REQUIRE(collections.removeAssets(*portfolio, std::vector<AssetId>{assets[1]}));
    CHECK(idsIn(*catalog, *portfolio) == std::vector<AssetId>{assets[3]});
    CHECK(catalog->asset(assets[1])); // removed from the collection, not from the library
}

TEST_CASE("Collection names are unique without regard to case", "[catalog][collections]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    Collections collections(*catalog);
    auto first = collections.create("Portfolio");
    REQUIRE(first);
    auto clash = collections.create("portfolio");
    REQUIRE_FALSE(clash);
    CHECK(clash.error().code == ErrorCode::InvalidArgument);
    CHECK_FALSE(collections.create(""));

    auto other = collections.create("Drafts");
    REQUIRE(other);
    CHECK_FALSE(collections.rename(*other, "PORTFOLIO"));
    REQUIRE(collections.rename(*other, "Finals"));
    REQUIRE(collections.rename(*first, "portfolio")); // its own name in another case
    auto found = collections.byName("FINALS");
    REQUIRE(found);
    CHECK(found->id == *other);
    CHECK(found->name == "Finals");
    CHECK(collections.byName("Drafts").error().code == ErrorCode::NotFound);
}

TEST_CASE("Deleting an asset or a collection drops its memberships", "[catalog][collections]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    Collections collections(*catalog);
    const AssetId kept = addSample(*catalog, 1);
    const AssetId doomed = addSample(*catalog, 2);
    auto id = collections.create("Hero shots");
    REQUIRE(id);
    REQUIRE(collections.addAssets(*id, std::vector<AssetId>{kept, doomed}));

    auto drop = catalog->database().prepare("DELETE FROM assets WHERE id = ?");
    REQUIRE(drop);
    REQUIRE(drop->bind(1, doomed).run());
    CHECK(idsIn(*catalog, *id) == std::vector<AssetId>{kept});
    CHECK(collections.list()->front().assetCount == 1);

    REQUIRE(collections.remove(*id));
    CHECK(collections.list()->empty());
    CHECK(*catalog->database().queryInt64("SELECT count(*) FROM collection_assets") == 0);
    CHECK(catalog->asset(kept));
    REQUIRE(catalog->verifyIntegrity());
}

TEST_CASE("Unknown collections and assets are refused", "[catalog][collections]") {
    TempDir dir;
    auto catalog = openCatalog(dir);
    Collections collections(*catalog);
    const AssetId asset = addSample(*catalog, 1);
    CHECK(collections.addAssets(99, std::vector<AssetId>{asset}).error().code ==
          ErrorCode::NotFound);
    auto id = collections.create("Set");
    REQUIRE(id);
    CHECK(collections.addAssets(*id, std::vector<AssetId>{asset, 12345}).error().code ==
          ErrorCode::NotFound);
    CHECK(collections.list()->front().assetCount == 0); // nothing half-added
    CHECK(collections.remove(99).error().code == ErrorCode::NotFound);
}

TEST_CASE("A version 5 catalog gains collections and keeps its assets",
          "[catalog][collections][migration]") {
    TempDir dir;
    {
        auto db =
            sqlite::Database::open(dir / "catalog.sqlite", sqlite::Database::Mode::ReadWriteCreate);
        REQUIRE(db);
        REQUIRE(CatalogMigrations::migrate(*db, 5));
        REQUIRE(db->exec(R"sql(
            INSERT INTO assets(id, kind, sha256, blob_path, format, byte_size, width, height,
                               prompt, created_at, imported_at)
            VALUES (7, 'image', printf('%064d', 7), 'blobs/00/z.png', 'png', 10, 64, 64,
                    'harbour at dusk', 1, 1);
        )sql"));
    }
    auto catalog = openCatalog(dir);
    CHECK(catalog->schemaVersion() == CatalogMigrations::kLatestVersion);
    CHECK(catalog->asset(7)->generation.prompt == "harbour at dusk");
    Collections collections(*catalog);
    auto id = collections.create("Harbours");
    REQUIRE(id);
    REQUIRE(collections.addAssets(*id, std::vector<AssetId>{7}));
    CHECK(idsIn(*catalog, *id) == std::vector<AssetId>{7});
    auto plan = catalog->database().prepare(
        "EXPLAIN QUERY PLAN SELECT asset_id FROM collection_assets WHERE asset_id = 7");
    REQUIRE(plan);
    std::string detail;
    while (*plan->step()) {
        detail += plan->text(3);
    }
    CHECK(detail.find("collection_assets_by_asset") != std::string::npos);
}
