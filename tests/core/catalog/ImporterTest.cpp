#include "catalog/Importer.h"
#include "catalog/Library.h"
#include "common/Sha256.h"
#include "imaging/PngChunks.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <map>

using namespace ripen;
using namespace ripen::test;

namespace {

struct ImportRun {
    ImportSummary summary;
    std::vector<ImportOutcome> outcomes;

    const ImportOutcome& outcomeFor(const std::string& fileName) const {
        for (const auto& o : outcomes) {
            if (o.displayPath.size() >= fileName.size() &&
                o.displayPath.compare(o.displayPath.size() - fileName.size(), fileName.size(),
                                      fileName) == 0) {
                return o;
            }
        }
        FAIL("no outcome for " << fileName);
        return outcomes.front();
    }
};

ImportRun importAll(Library& library, std::vector<std::filesystem::path> paths,
                    const ImportOptions& options = {}) {
    ImportRun run;
    NullProgress progress;
    run.summary = Importer(library).importPaths(
        paths, options, [&](const ImportOutcome& o) { run.outcomes.push_back(o); }, progress);
    return run;
}

std::unique_ptr<Library> openLibrary(const TempDir& dir) {
    auto library = Library::open(dir / "library");
    REQUIRE(library);
    return std::move(*library);
}

} // namespace

TEST_CASE("Every supported image format is imported with its size and a thumbnail",
          "[import]") {
    TempDir dir;
    auto library = openLibrary(dir);
    const std::filesystem::path in = dir / "in";
    std::filesystem::create_directories(in);
    const std::map<std::string, std::string> formats{
        {"a.png", "png"}, {"b.jpg", "jpeg"}, {"c.webp", "webp"}, {"d.tif", "tiff"}};
    int seed = 0;
    for (const auto& [name, format] : formats) {
        writeTestImage(in / name, makeTestImage(320, 200, ++seed));
    }
    const auto run = importAll(*library, {in});
    CHECK(run.summary.imported == 4);
    CHECK(run.summary.skipped == 0);
    for (const auto& [name, format] : formats) {
        const auto& outcome = run.outcomeFor(name);
        REQUIRE(outcome.imported);
        auto asset = library->catalog().asset(outcome.id);
        REQUIRE(asset);
        CHECK(asset->format == format);
        CHECK(asset->width == 320);
        CHECK(asset->height == 200);
        CHECK(asset->kind == AssetKind::Image);
        const std::string stored = readBytes(library->blobFile(*asset));
        CHECK(stored == readBytes(in / name));
        CHECK(Sha256::ofBytes(stored) == asset->sha256);
        CHECK(std::filesystem::file_size(library->thumbnailFile(asset->sha256)) > 0);
    }
}

TEST_CASE("Files are judged by content, not by name", "[import]") {
    TempDir dir;
    auto library = openLibrary(dir);
    // A JPEG saved as .png, as downloads often are.
    writeBytes(dir / "really-a-jpeg.png", encodeTestImage(makeTestImage(64, 48, 3), ".jpg"));
    const auto run = importAll(*library, {dir / "really-a-jpeg.png"});
    REQUIRE(run.outcomes.at(0).imported);
    auto asset = library->catalog().asset(run.outcomes[0].id);
    CHECK(asset->format == "jpeg");
    CHECK(asset->blobPath.ends_with(".jpg"));
}

TEST_CASE("The same content is imported once", "[import]") {
    TempDir dir;
    auto library = openLibrary(dir);
    writeTestImage(dir / "one.png", makeTestImage(64, 64, 7));
    std::filesystem::copy_file(dir / "one.png", dir / "copy.png");
    const auto run = importAll(*library, {dir / "one.png", dir / "copy.png"});
    CHECK(run.summary.imported == 1);
    CHECK(run.summary.skipped == 1);
    const auto& dup = run.outcomeFor("copy.png");
    CHECK(dup.error.code == ErrorCode::Duplicate);
    CHECK_THAT(dup.error.message, Catch::Contains("already in the library as asset " +
                                                  std::to_string(run.outcomeFor("one.png").id)));
}

TEST_CASE("Bad files are reported by name with a reason and the import goes on", "[import]") {
    TempDir dir;
    auto library = openLibrary(dir);
    const auto in = dir / "in";
    std::filesystem::create_directories(in / "sub");
    const std::string png = encodeTestImage(makeTestImage(256, 256, 1), ".png");
    const std::string jpeg = encodeTestImage(makeTestImage(256, 256, 2), ".jpg");
    writeBytes(in / "good.png", png);
    writeBytes(in / "sub" / "good2.jpg", encodeTestImage(makeTestImage(90, 90, 4), ".jpg"));
    writeBytes(in / "truncated.png", png.substr(0, png.size() / 2));
    writeBytes(in / "truncated.jpg", jpeg.substr(0, jpeg.size() / 2));
    writeBytes(in / "notes.png", "this is a text file with the wrong name\n");
    writeBytes(in / "empty.webp", "");
    writeBytes(in / "bomb.png", pngClaimingSize(50000, 50000));
    writeBytes(in / "wide.png", pngClaimingSize(16385, 16));
    writeBytes(in / "anim.gif", "GIF89a\x01\x00\x01\x00");
    writeBytes(in / "readme.txt", "sidecar files are not media and are left alone");
    REQUIRE(::mkfifo((in / "pipe.png").c_str(), 0644) == 0);
    std::filesystem::create_symlink("/dev/zero", in / "device.png");
    writeBytes(in / std::string("bad-\xFF\xFEname.png"),
               encodeTestImage(makeTestImage(32, 32, 9), ".png"));

    const auto run = importAll(*library, {in});
    CHECK(run.summary.imported == 2);
    CHECK(run.summary.skipped == 10);
    CHECK(run.outcomeFor("good.png").imported);
    CHECK(run.outcomeFor("good2.jpg").imported);

    const auto reason = [&](const std::string& name) {
        const auto& o = run.outcomeFor(name);
        CHECK_FALSE(o.imported);
        return o.error;
    };
    CHECK(reason("truncated.png").code == ErrorCode::Corrupt);
    CHECK(reason("truncated.jpg").code == ErrorCode::Corrupt);
    CHECK(reason("notes.png").code == ErrorCode::Unsupported);
    CHECK_THAT(reason("empty.webp").message, Catch::Contains("empty"));
    CHECK(reason("bomb.png").code == ErrorCode::LimitExceeded);
    CHECK_THAT(reason("bomb.png").message, Catch::Contains("50000x50000"));
    CHECK(reason("wide.png").code == ErrorCode::LimitExceeded);
    CHECK(reason("anim.gif").code == ErrorCode::Unsupported);
    CHECK_THAT(reason("pipe.png").message, Catch::Contains("FIFO"));
    CHECK_THAT(reason("device.png").message, Catch::Contains("device"));
    CHECK_THAT(reason("name.png").message, Catch::Contains("UTF-8"));
    CHECK(run.outcomeFor("name.png").displayPath.find("bad-\\xff\\xfename.png") !=
          std::string::npos);

    // Nothing of the skipped files reached the library.
    CHECK(*library->catalog().count({}) == 2);
    REQUIRE(library->catalog().verifyIntegrity());
    CHECK(std::filesystem::is_empty(dir / "library" / "blobs" / ".incoming"));
}

TEST_CASE("An unreadable folder is reported and its siblings still import", "[import]") {
    if (::geteuid() == 0) {
        // Root reads every folder; the CLI test covers this case as an unprivileged user.
        WARN("running as root: folder permissions cannot be tested in-process");
        return;
    }
    TempDir dir;
    auto library = openLibrary(dir);
    std::filesystem::create_directories(dir / "in" / "locked");
    writeTestImage(dir / "in" / "ok.png", makeTestImage(40, 40, 1));
    std::filesystem::permissions(dir / "in" / "locked", std::filesystem::perms::none);
    const auto run = importAll(*library, {dir / "in"});
    CHECK(run.summary.imported == 1);
    CHECK(run.summary.skipped == 1);
    CHECK_THAT(run.outcomeFor("locked").error.message, Catch::Contains("cannot read folder"));
}

TEST_CASE("Prompts written by AUTOMATIC1111 and ComfyUI are recovered", "[import][metadata]") {
    TempDir dir;
    auto library = openLibrary(dir);
    const std::string plain = encodeTestImage(makeTestImage(64, 64, 1), ".png");
    auto a1111 = PngChunks::withTextChunk(
        plain, "parameters",
        "masterpiece, a lighthouse at dusk, <lora:film:0.7>\n"
        "Negative prompt: lowres, watermark\n"
        "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 1234567890, "
        "Size: 832x1216, Model hash: 31e35c80fc, Model: sdxl_base_1.0, Version: v1.9.4");
    REQUIRE(a1111);
    writeBytes(dir / "a1111.png", *a1111);

    const std::string graph = R"({
      "3": {"class_type": "KSampler", "inputs": {"seed": 42, "steps": 20, "cfg": 7,
            "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0]}},
      "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "dreamshaper_8.safetensors"}},
      "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cosy reading nook", "clip": ["4", 1]}},
      "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "people, text", "clip": ["4", 1]}}
    })";
    auto comfy = PngChunks::withTextChunk(encodeTestImage(makeTestImage(64, 64, 2), ".png"),
                                          "prompt", graph);
    REQUIRE(comfy);
    writeBytes(dir / "comfy.png", *comfy);

    const auto run = importAll(*library, {dir / "a1111.png", dir / "comfy.png"});
    REQUIRE(run.summary.imported == 2);
    auto fromA1111 = library->catalog().asset(run.outcomeFor("a1111.png").id);
    REQUIRE(fromA1111);
    CHECK(fromA1111->generation.prompt == "masterpiece, a lighthouse at dusk, <lora:film:0.7>");
    CHECK(fromA1111->generation.negativePrompt == "lowres, watermark");
    CHECK(fromA1111->generation.seed == 1234567890);
    CHECK(fromA1111->generation.modelId == "sdxl_base_1.0");
    CHECK(fromA1111->generation.provider == "automatic1111");
    CHECK(fromA1111->generation.params.value("Sampler", "") == "DPM++ 2M Karras");

    auto fromComfy = library->catalog().asset(run.outcomeFor("comfy.png").id);
    REQUIRE(fromComfy);
    CHECK(fromComfy->generation.prompt == "a cosy reading nook");
    CHECK(fromComfy->generation.negativePrompt == "people, text");
    CHECK(fromComfy->generation.seed == 42);
    CHECK(fromComfy->generation.provider == "comfyui");

    AssetQuery q;
    q.search = "lighthouse";
    CHECK(library->catalog().find(q)->size() == 1);
}

TEST_CASE("A failure inside the catalog transaction leaves no trace of that file",
          "[import][atomicity]") {
    TempDir dir;
    auto library = openLibrary(dir);
    // A trigger makes the tag insert of one file fail after its asset row was written in
    // the same transaction: the whole file must roll back, and the others import.
    REQUIRE(library->catalog().database().exec(R"sql(
        CREATE TEMP TRIGGER forced_failure AFTER INSERT ON main.asset_tags
        WHEN (SELECT source_path FROM main.assets WHERE id = new.asset_id) LIKE '%poison%'
        BEGIN SELECT RAISE(ABORT, 'forced failure for the test'); END;)sql"));
    writeTestImage(dir / "a.png", makeTestImage(50, 50, 1));
    writeTestImage(dir / "poison.png", makeTestImage(50, 50, 2));
    writeTestImage(dir / "z.png", makeTestImage(50, 50, 3));
    ImportOptions options;
    options.tags = {"kit"};
    options.project = "Launch";
    const auto run = importAll(*library, {dir / "a.png", dir / "poison.png", dir / "z.png"},
                               options);
    CHECK(run.summary.imported == 2);
    CHECK_THAT(run.outcomeFor("poison.png").error.message, Catch::Contains("forced failure"));

    auto& db = library->catalog().database();
    CHECK(*db.queryInt64("SELECT count(*) FROM assets") == 2);
    CHECK(*db.queryInt64("SELECT count(*) FROM asset_tags") == 2);
    CHECK(*db.queryInt64("SELECT count(*) FROM assets_fts") == 2);
    REQUIRE(library->catalog().verifyIntegrity());

    // The file itself is fine: once the fault is gone it imports, adopting its blob.
    REQUIRE(db.exec("DROP TRIGGER temp.forced_failure"));
    const auto retry = importAll(*library, {dir / "poison.png"}, options);
    CHECK(retry.summary.imported == 1);
}
