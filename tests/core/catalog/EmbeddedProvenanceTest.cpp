// Provenance written into exported files must be readable by the tools buyers and print
// shops use, so every field is checked with exiftool, an independent reader.
#include "catalog/EmbeddedProvenance.h"

#include "catalog/XmpPacket.h"
#include "imaging/PngChunks.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

using namespace ripen;

namespace {

const std::string kPrompt =
    "a red fox in paper-cut style \xE2\x80\x94 \"bold\" & <warm>, caf\xC3\xA9";

Provenance sampleProvenance() {
    Provenance provenance;
    provenance.generation.prompt = kPrompt;
    provenance.generation.negativePrompt = "blurry, text";
    provenance.generation.provider = "google";
    provenance.generation.modelId = "gemini-3-pro-image";
    provenance.generation.modelVersion = "2026-09";
    provenance.generation.seed = 4242;
    provenance.generation.params = {{"aspect_ratio", "4:5"}, {"image_size", "2K"}};
    provenance.sourceType = DigitalSourceType::TrainedAlgorithmicMedia;
    provenance.creatorTool = "Ripen 0.1.0";
    provenance.assetId = 17;
    provenance.stage = "master";
    provenance.jobId = 99;
    provenance.recipeRun = "autumn-kit-2026-11-25";
    return provenance;
}

// exiftool's view of a file: numeric values (-n), group-qualified names (-G1).
nlohmann::json exiftool(const std::filesystem::path& file) {
    const auto result =
        test::runProcess({"exiftool", "-json", "-n", "-G1", "-charset", "UTF8", "-XMP:all",
                          "-EXIF:all", "-ICC_Profile:all", "-PNG:all", file.string()});
    INFO(result.err);
    REQUIRE(result.exitCode == 0);
    const auto json = nlohmann::json::parse(result.out);
    REQUIRE(json.is_array());
    REQUIRE(json.size() == 1);
    return json[0];
}

std::string text(const nlohmann::json& tags, const char* key) {
    const auto it = tags.find(key);
    if (it == tags.end()) {
        return "<missing " + std::string(key) + ">";
    }
    return it->is_string() ? it->get<std::string>() : it->dump();
}

cv::Mat decode(const std::string& bytes) {
    return cv::imdecode(
        cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data())),
        cv::IMREAD_UNCHANGED);
}

} // namespace

TEST_CASE("provenance written into PNG, JPEG, WebP and TIFF is read back by exiftool",
          "[metadata]") {
    const std::string format = GENERATE("png", "jpeg", "webp", "tiff");
    const std::string extension = format == "jpeg" ? ".jpg" : "." + format;
    INFO(format);
    const std::string original = test::encodeTestImage(test::makeTestImage(96, 64, 5), extension);
    auto written = EmbeddedProvenance::embed(original, format, sampleProvenance(),
                                             {.srgbProfile = true, .dpi = 300, .userComment = {}});
    REQUIRE(written);

    // Only metadata changed: the decoded pixels are identical.
    const cv::Mat before = decode(original);
    const cv::Mat after = decode(*written);
    REQUIRE(after.size() == before.size());
    CHECK(cv::norm(before, after, cv::NORM_INF) == 0);

    test::TempDir temp;
    const auto file = temp.path() / ("exported" + extension);
    test::writeBytes(file, *written);
    const auto tags = exiftool(file);
    CHECK(text(tags, "XMP-dc:Description") == kPrompt);
    CHECK(text(tags, "XMP-xmp:CreatorTool") == "Ripen 0.1.0");
    CHECK(text(tags, "XMP-iptcExt:DigitalSourceType") ==
          "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
    CHECK(text(tags, "XMP-ripen:Provider") == "google");
    CHECK(text(tags, "XMP-ripen:Model") == "gemini-3-pro-image");
    CHECK(text(tags, "XMP-ripen:Seed") == "4242");
    CHECK(text(tags, "XMP-ripen:Job") == "99");
    CHECK(text(tags, "XMP-ripen:RecipeRun") == "autumn-kit-2026-11-25");
    CHECK(text(tags, "ICC-header:ColorSpaceData").find("RGB") != std::string::npos);
    CHECK(text(tags, "ICC_Profile:ProfileDescription").find("sRGB") != std::string::npos);
    if (format != "png") {
        CHECK(text(tags, "IFD0:ImageDescription") == kPrompt);
        CHECK(text(tags, "IFD0:Software") == "Ripen 0.1.0");
        if (format != "tiff") { // a TIFF's resolution is an image tag its encoder writes
            CHECK(text(tags, "IFD0:XResolution") == "300");
        }
        CHECK(text(tags, "ExifIFD:UserComment") == kPrompt);
    }

    // And Ripen reads its own fields back.
    const auto found = EmbeddedProvenance::read(*written, format);
    REQUIRE(found);
    REQUIRE(found->xmp);
    CHECK(found->xmp->generation.prompt == kPrompt);
    CHECK(found->xmp->generation.negativePrompt == "blurry, text");
    CHECK(found->xmp->generation.seed == 4242);
    CHECK(found->xmp->generation.params == sampleProvenance().generation.params);
    CHECK(found->xmp->sourceType == DigitalSourceType::TrainedAlgorithmicMedia);
    CHECK(found->xmp->assetId == 17);
    CHECK(found->xmp->jobId == 99);
    CHECK(found->iccDescription.find("sRGB") != std::string::npos);
}

TEST_CASE("a second export keeps one XMP packet and the file's own colour profile", "[metadata]") {
    const std::string png = test::encodeTestImage(test::makeTestImage(32, 32, 1), ".png");
    auto once = EmbeddedProvenance::embed(png, "png", sampleProvenance(), {});
    REQUIRE(once);
    Provenance changed = sampleProvenance();
    changed.generation.prompt = "second prompt";
    auto twice = EmbeddedProvenance::embed(*once, "png", changed, {});
    REQUIRE(twice);
    auto chunks = PngChunks::parse(*twice);
    REQUIRE(chunks);
    int iccp = 0;
    int xmp = 0;
    for (const auto& chunk : *chunks) {
        iccp += chunk.type == "iCCP" ? 1 : 0;
        xmp += chunk.type == "iTXt" && chunk.data.starts_with("XML:com.adobe.xmp") ? 1 : 0;
    }
    CHECK(iccp == 1);
    CHECK(xmp == 1);
    CHECK(EmbeddedProvenance::read(*twice, "png")->xmp->generation.prompt == "second prompt");
}

TEST_CASE("a user's own photo is not labelled as AI-made", "[metadata]") {
    Asset photo;
    photo.id = 3;
    photo.format = "jpeg";
    CHECK_FALSE(provenanceOf(photo, false).sourceType);
    CHECK(XmpPacket::write(provenanceOf(photo, false)).find("DigitalSourceType") ==
          std::string::npos);
    photo.parents = {1};
    CHECK(provenanceOf(photo, true).sourceType ==
          DigitalSourceType::CompositeWithTrainedAlgorithmicMedia);
}

TEST_CASE("the job and recipe run the queue recorded reach the XMP", "[metadata]") {
    Asset made;
    made.id = 4;
    made.format = "png";
    made.generation.provider = "openai";
    made.generation.modelId = "gpt-image-1";
    // The keys JobRunner::storeResults writes on every asset it stores.
    made.generation.params = {{"job_id", 17}, {"ripen_recipe_run", "run-1"}, {"quality", "low"}};
    const Provenance provenance = provenanceOf(made, false);
    CHECK(provenance.jobId == 17);
    CHECK(provenance.recipeRun == "run-1");
    CHECK_FALSE(provenance.generation.params.contains("job_id"));
    CHECK(XmpPacket::write(provenance).find("ripen:Job") != std::string::npos);
}

TEST_CASE("damaged files and hostile XMP give clear errors or warnings", "[metadata]") {
    SECTION("a file that is not the stated format") {
        auto result =
            EmbeddedProvenance::embed("not a jpeg at all", "jpeg", sampleProvenance(), {});
        REQUIRE_FALSE(result);
        CHECK(result.error().message.find("jpeg") != std::string::npos);
    }
    SECTION("an unsupported format") {
        auto result = EmbeddedProvenance::embed("....", "mp4", sampleProvenance(), {});
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::Unsupported);
    }
    SECTION("an oversized packet") {
        auto result = XmpPacket::read(std::string(XmpPacket::kMaxPacketBytes + 1, ' '));
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::LimitExceeded);
    }
    SECTION("broken XML inside a PNG is skipped with a warning, the image still reads") {
        const std::string png = test::encodeTestImage(test::makeTestImage(16, 16, 2), ".png");
        auto withBadXmp = PngChunks::withTextChunk(png, "XML:com.adobe.xmp", "<x:xmpmeta><unclosed",
                                                   PngChunks::TextForm::International);
        REQUIRE(withBadXmp);
        auto found = EmbeddedProvenance::read(*withBadXmp, "png");
        REQUIRE(found);
        CHECK_FALSE(found->xmp);
        REQUIRE_FALSE(found->warnings.empty());
        CHECK(found->warnings.front().find("XMP") != std::string::npos);
    }
}
