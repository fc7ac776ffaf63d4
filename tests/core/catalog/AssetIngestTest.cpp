// An image a provider's reply was decoded from in full travels to the ingest with its
// pixels, tied to the bytes by their hash: the pixels stand in for a second decode only
// when the file holds exactly those bytes; anything else is decoded and judged again.
#include "catalog/AssetIngest.h"

#include "catalog/Library.h"
#include "common/Sha256.h"
#include "imaging/ImageDecoder.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

TEST_CASE("A decode handed to the ingest counts only for the bytes it was made from",
          "[catalog][ingest]") {
    TempDir dir;
    auto library = Library::open(dir / "library");
    REQUIRE(library);
    const std::string received = encodeTestImage(makeTestImage(64, 48, 5), ".png");
    auto pixels = decodeImage(received);
    REQUIRE(pixels);
    const DecodedImage decoded{Sha256::ofBytes(received), *pixels};
    const auto file = dir / "generated.png";
    NullProgress progress;

    SECTION("the same bytes are stored as received, with their thumbnail") {
        writeBytes(file, received);
        auto prepared = AssetIngest(**library).prepare(file, Asset{}, progress, &decoded);
        REQUIRE(prepared);
        CHECK(prepared->sha256 == decoded.sha256);
        CHECK(prepared->width == 64);
        CHECK(prepared->height == 48);
        CHECK(readBytes((*library)->root() / prepared->blobPath) == received);
        auto thumbnail = decodeImage(readBytes((*library)->thumbnailFile(prepared->sha256)));
        REQUIRE(thumbnail);
        CHECK(thumbnail->cols == 64);
        CHECK(thumbnail->rows == 48);
    }
    SECTION("a file cut after the decode is decoded again, refused, and nothing is stored") {
        writeBytes(file, received.substr(0, received.size() - 20));
        auto prepared = AssetIngest(**library).prepare(file, Asset{}, progress, &decoded);
        REQUIRE_FALSE(prepared);
        CHECK(prepared.error().code == ErrorCode::Corrupt);
        CHECK(countFilesUnder((*library)->root() / "blobs") == 0);
        CHECK(countFilesUnder((*library)->root() / "thumbs") == 0);
    }
}
