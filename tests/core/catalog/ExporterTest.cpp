#include "catalog/Exporter.h"

#include "catalog/Importer.h"
#include "catalog/Library.h"
#include "imaging/ImageDecoder.h"
#include "imaging/PngChunks.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

struct ExportFixture {
    ExportFixture() {
        auto opened = Library::open(dir / "library");
        REQUIRE(opened);
        library = std::move(*opened);
        image = makeTestImage(96, 64, 7);
        writeTestImage(dir / "source.png", image);
        NullProgress progress;
        AssetId imported = 0;
        const std::vector<std::filesystem::path> paths{dir / "source.png"};
        Importer(*library).importPaths(
            paths, {}, [&](const ImportOutcome& o) { imported = o.id; }, progress);
        REQUIRE(imported != 0);
        id = imported;
        std::filesystem::create_directories(dir / "out");
    }

    cv::Mat decodeFile(const std::filesystem::path& file) const {
        auto decoded = decodeImage(readBytes(file));
        REQUIRE(decoded);
        return *decoded;
    }

    TempDir dir;
    std::unique_ptr<Library> library;
    cv::Mat image;
    AssetId id = 0;
};

double meanAbsoluteDifference(const cv::Mat& a, const cv::Mat& b) {
    const cv::Scalar diff = cv::mean(cv::abs(a - b));
    return (diff[0] + diff[1] + diff[2]) / 3.0;
}

} // namespace

TEST_CASE("Export converts to JPEG, WebP and TIFF and keeps the picture", "[export]") {
    ExportFixture f;
    for (const std::string format : {"jpeg", "webp", "tiff"}) {
        ExportOptions options;
        options.format = format;
        options.quality = 95;
        auto written = Exporter(*f.library).exportAsset(f.id, f.dir / "out", options);
        REQUIRE(written);
        CHECK(written->stem() == "source");
        const cv::Mat back = f.decodeFile(*written);
        REQUIRE(back.size() == f.image.size());
        // Lossy formats stay close; TIFF is exact.
        if (format == "tiff") {
            CHECK(cv::countNonZero(back.reshape(1) != f.image.reshape(1)) == 0);
        } else {
            CHECK(meanAbsoluteDifference(back, f.image) < 6.0);
        }
    }
    CHECK(std::filesystem::exists(f.dir / "out" / "source.jpg"));
    CHECK(std::filesystem::exists(f.dir / "out" / "source.webp"));
    CHECK(std::filesystem::exists(f.dir / "out" / "source.tif"));
}

TEST_CASE("Export to PNG from a PNG keeps every pixel and states the resolution", "[export]") {
    ExportFixture f;
    ExportOptions options;
    options.format = "png";
    options.dpi = 300;
    auto written = Exporter(*f.library).exportAsset(f.id, f.dir / "out" / "print.png", options);
    REQUIRE(written);
    const cv::Mat back = f.decodeFile(*written);
    REQUIRE(back.size() == f.image.size());
    CHECK(cv::countNonZero(back.reshape(1) != f.image.reshape(1)) == 0);
    const std::string bytes = readBytes(*written);
    auto chunks = PngChunks::parse(bytes);
    REQUIRE(chunks);
    int phys = 0;
    for (const auto& chunk : *chunks) {
        if (chunk.type == "pHYs") {
            ++phys;
            CHECK(chunk.crcValid);
            // 300 dpi = 11811 pixels per metre (0x2E23), unit 1.
            CHECK(chunk.data == std::string_view("\x00\x00\x2E\x23\x00\x00\x2E\x23\x01", 9));
        }
    }
    CHECK(phys == 1);
}

TEST_CASE("Export to JPEG states the DPI in its JFIF header", "[export]") {
    ExportFixture f;
    ExportOptions options;
    options.format = "jpeg";
    options.dpi = 240;
    auto written = Exporter(*f.library).exportAsset(f.id, f.dir / "out" / "web.jpg", options);
    REQUIRE(written);
    const std::string bytes = readBytes(*written);
    REQUIRE(bytes.size() > 18);
    REQUIRE(bytes.compare(6, 4, "JFIF") == 0);
    CHECK(bytes[13] == 1);
    CHECK(static_cast<unsigned char>(bytes[14]) * 256 + static_cast<unsigned char>(bytes[15]) ==
          240);
    CHECK(f.decodeFile(*written).size() == f.image.size());
}

TEST_CASE("Export refuses a bad quality and a name that contradicts the format", "[export]") {
    ExportFixture f;
    ExportOptions options;
    options.format = "jpeg";
    options.quality = 0;
    auto bad = Exporter(*f.library).exportAsset(f.id, f.dir / "out", options);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("quality") != std::string::npos);
    options.quality = 80;
    auto misnamed = Exporter(*f.library).exportAsset(f.id, f.dir / "out" / "x.png", options);
    REQUIRE_FALSE(misnamed);
    CHECK(misnamed.error().message.find(".jpg") != std::string::npos);
    options.format = "gif";
    CHECK_FALSE(Exporter(*f.library).exportAsset(f.id, f.dir / "out", options));
}

TEST_CASE("exports carry provenance that exiftool reads in every format", "[export][metadata]") {
    TempDir dir;
    auto library = Library::open(dir / "library");
    REQUIRE(library);
    auto png = PngChunks::withTextChunk(
        encodeTestImage(makeTestImage(64, 48, 3), ".png"), "parameters",
        "a teal kettle on linen\nNegative prompt: clutter\nSteps: 20, Seed: 31337, "
        "Size: 64x48, Model: juggernaut_xl");
    REQUIRE(png);
    writeBytes(dir / "kettle.png", *png);
    NullProgress progress;
    AssetId id = 0;
    const std::vector<std::filesystem::path> paths{dir / "kettle.png"};
    Importer(**library).importPaths(
        paths, {}, [&](const ImportOutcome& o) { id = o.id; }, progress);
    REQUIRE(id != 0);
    std::filesystem::create_directories(dir / "out");

    for (const std::string format : {"png", "jpeg", "webp", "tiff"}) {
        INFO(format);
        ExportOptions options;
        options.format = format;
        options.dpi = 300;
        auto written = Exporter(**library).exportAsset(id, dir / "out", options);
        REQUIRE(written);
        const auto tags =
            runProcess({"exiftool", "-json", "-n", "-G1", "-charset", "UTF8", written->string()});
        REQUIRE(tags.exitCode == 0);
        const auto json = nlohmann::json::parse(tags.out)[0];
        CHECK(json.value("XMP-dc:Description", "") == "a teal kettle on linen");
        CHECK(json.value("XMP-iptcExt:DigitalSourceType", "") ==
              "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
        CHECK(json.value("XMP-ripen:Seed", 0) == 31337);
        CHECK(json.contains("ICC_Profile:ProfileDescription"));
        if (format != "png") {
            // A1111, Forge and InvokeAI read a JPEG's parameters from EXIF UserComment.
            CHECK(json.value("ExifIFD:UserComment", "").find("Steps: 20") != std::string::npos);
        }
    }

    ExportOptions bare;
    bare.format = "jpeg";
    bare.writeMetadata = false;
    auto written = Exporter(**library).exportAsset(id, dir / "out" / "bare.jpg", bare);
    REQUIRE(written);
    const auto tags = runProcess({"exiftool", "-json", "-G1", written->string()});
    CHECK(tags.out.find("XMP-dc") == std::string::npos);
}
