#include "catalog/MasterChoice.h"

#include "catalog/Catalog.h"
#include "common/Sha256.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>

using namespace ripen;
using ripen::test::TempDir;

namespace {

AssetId addAsset(Catalog& catalog, const std::string& name, AssetKind kind,
                 std::vector<AssetId> parents = {}) {
    Asset a;
    a.kind = kind;
    a.sha256 = Sha256::ofBytes(name);
    a.blobPath = "blobs/" + a.sha256.substr(0, 2) + "/" + a.sha256 + ".png";
    a.format = "png";
    a.byteSize = 100;
    a.width = 64;
    a.height = 48;
    a.stage = kind == AssetKind::Image && parents.empty() ? Stage::Master : Stage::Inpainted;
    a.parents = std::move(parents);
    auto id = catalog.addAsset(a);
    REQUIRE(id);
    return *id;
}

} // namespace

TEST_CASE("Accepting an inpaint result makes it a picked master and keeps its lineage",
          "[catalog][inpaint]") {
    TempDir dir;
    auto catalog = Catalog::open(dir / "catalog.sqlite");
    REQUIRE(catalog);
    const AssetId image = addAsset(**catalog, "image", AssetKind::Image);
    const AssetId result = addAsset(**catalog, "result", AssetKind::Image, {image});
    const AssetId mask = addAsset(**catalog, "mask", AssetKind::Mask, {image});

    REQUIRE(acceptAsMaster(**catalog, result));
    auto accepted = (*catalog)->asset(result);
    REQUIRE(accepted);
    CHECK(accepted->stage == Stage::Master);
    CHECK(accepted->flag == Flag::Pick);
    CHECK(accepted->parents == std::vector<AssetId>{image});
    auto original = (*catalog)->asset(image);
    REQUIRE(original);
    CHECK(original->stage == Stage::Master); // left as it was

    auto refused = acceptAsMaster(**catalog, mask);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    auto missing = acceptAsMaster(**catalog, 9999);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
}
