// `ripen-cli info` and import read provenance that Ripen and other tools wrote into files.
#include "catalog/EmbeddedProvenance.h"
#include "imaging/PngChunks.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ripen;
using namespace ripen::test;

namespace {

ProcessResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), ripenCli());
    return runProcess(args);
}

Provenance foxProvenance() {
    Provenance provenance;
    provenance.generation.prompt = "a red fox, paper cut";
    provenance.generation.provider = "google";
    provenance.generation.modelId = "gemini-3-pro-image";
    provenance.generation.seed = 77;
    provenance.sourceType = DigitalSourceType::CompositeWithTrainedAlgorithmicMedia;
    provenance.creatorTool = "Ripen 0.1.0";
    provenance.jobId = 12;
    return provenance;
}

std::filesystem::path writeExportedJpeg(const TempDir& temp) {
    const std::string jpeg = encodeTestImage(makeTestImage(80, 60, 4), ".jpg");
    auto exported = EmbeddedProvenance::embed(jpeg, "jpeg", foxProvenance(), {.srgbProfile = true, .dpi = 240, .userComment = {}});
    REQUIRE(exported);
    const auto file = temp.path() / "fox.jpg";
    writeBytes(file, *exported);
    return file;
}

} // namespace

TEST_CASE("ripen-cli info prints every provenance field of an exported file", "[cli][info]") {
    TempDir temp;
    const auto file = writeExportedJpeg(temp);

    const auto text = cli({"info", file.string()});
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.find("format: jpeg\n") != std::string::npos);
    CHECK(text.out.find("width: 80\nheight: 60\n") != std::string::npos);
    CHECK(text.out.find("prompt: a red fox, paper cut\n") != std::string::npos);
    CHECK(text.out.find("seed: 77\n") != std::string::npos);
    CHECK(text.out.find("xmp.digital_source_type: "
                        "http://cv.iptc.org/newscodes/digitalsourcetype/"
                        "compositeWithTrainedAlgorithmicMedia\n") != std::string::npos);
    CHECK(text.out.find("xmp.ripen_job: 12\n") != std::string::npos);
    CHECK(text.out.find("icc_profile: sRGB IEC61966-2.1\n") != std::string::npos);
    CHECK(text.out.find("dpi: 240\n") != std::string::npos);

    const auto json = cli({"info", "--json", file.string()});
    REQUIRE(json.exitCode == 0);
    const auto object = nlohmann::json::parse(json.out);
    CHECK(object["model"] == "gemini-3-pro-image");
    CHECK(object["exif.software"] == "Ripen 0.1.0");
}

TEST_CASE("import reads XMP and A1111's EXIF parameters from JPEG", "[cli][info]") {
    TempDir temp;
    const auto library = temp.path() / "library";
    const auto exported = writeExportedJpeg(temp);

    // AUTOMATIC1111 and Forge save JPEGs with their parameters in EXIF UserComment;
    // exiftool writes one the same way.
    const auto a1111 = temp.path() / "a1111.jpg";
    writeBytes(a1111, encodeTestImage(makeTestImage(64, 64, 8), ".jpg"));
    const auto tagged = runProcess({"exiftool", "-overwrite_original",
                                    "-UserComment=a lighthouse at dusk\nNegative prompt: "
                                    "fog\nSteps: 30, Sampler: Euler a, CFG scale: 6, "
                                    "Seed: 123456, Size: 64x64, Model: dreamshaper_8",
                                    a1111.string()});
    REQUIRE(tagged.exitCode == 0);

    REQUIRE(cli({"--library", library.string(), "import", exported.string(), a1111.string()})
                .exitCode == 0);
    const auto listed = cli({"--library", library.string(), "list", "--json"});
    REQUIRE(listed.exitCode == 0);
    std::map<std::string, nlohmann::json> byPrompt;
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
        const auto row = nlohmann::json::parse(line);
        byPrompt[row["prompt"].get<std::string>()] = row;
    }
    REQUIRE(byPrompt.contains("a red fox, paper cut"));
    CHECK(byPrompt["a red fox, paper cut"]["seed"] == 77);
    CHECK(byPrompt["a red fox, paper cut"]["model_id"] == "gemini-3-pro-image");
    REQUIRE(byPrompt.contains("a lighthouse at dusk"));
    CHECK(byPrompt["a lighthouse at dusk"]["seed"] == 123456);
    CHECK(byPrompt["a lighthouse at dusk"]["negative_prompt"] == "fog");
}

TEST_CASE("ripen-cli info reports damaged metadata and refuses non-images", "[cli][info]") {
    TempDir temp;
    const auto png = temp.path() / "broken-xmp.png";
    auto withBadXmp = PngChunks::withTextChunk(encodeTestImage(makeTestImage(16, 16, 1), ".png"),
                                               "XML:com.adobe.xmp", "<x:xmpmeta><rdf:RDF>",
                                               PngChunks::TextForm::International);
    REQUIRE(withBadXmp);
    writeBytes(png, *withBadXmp);
    const auto damaged = cli({"info", png.string()});
    CHECK(damaged.exitCode == 0);
    CHECK(damaged.out.find("warning: XMP skipped") != std::string::npos);

    const auto text = temp.path() / "notes.txt";
    writeBytes(text, "not an image");
    const auto refused = cli({"info", text.string()});
    CHECK(refused.exitCode == 1);
    CHECK(refused.err.find("notes.txt") != std::string::npos);
}
