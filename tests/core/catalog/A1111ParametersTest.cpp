#include "catalog/A1111Parameters.h"

#include "imaging/PngChunks.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <limits>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

using namespace ripen;

namespace {

const std::string kWebUiSample =
    "masterpiece, best quality, 1girl, red hair, <lora:add_detail:0.8>, (smile:1.2)\n"
    "forest background, volumetric lighting\n"
    "Negative prompt: (worst quality, low quality:1.4), bad hands,\n"
    "extra fingers\n"
    "Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567890, "
    "Size: 512x768, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: "
    "0.45, Clip skip: 2, ADetailer model: face_yolov8n.pt, ADetailer prompt: \"a, b\", Hires "
    "upscale: 2, Hires steps: 15, Hires upscaler: \"4x-UltraSharp\", Lora hashes: "
    "\"add_detail: 7c6bad76eb54\", Version: v1.10.1";

void checkSameMetadata(const GenerationMetadata& a, const GenerationMetadata& b) {
    CHECK(a.prompt == b.prompt);
    CHECK(a.negativePrompt == b.negativePrompt);
    CHECK(a.provider == b.provider);
    CHECK(a.modelId == b.modelId);
    CHECK(a.modelVersion == b.modelVersion);
    CHECK(a.seed == b.seed);
    CHECK(a.width == b.width);
    CHECK(a.height == b.height);
    CHECK(a.params == b.params);
}

} // namespace

TEST_CASE("A1111 parameters from the web UI parse into fields and params", "[catalog][a1111]") {
    const GenerationMetadata m = A1111Parameters::parse(kWebUiSample);
    CHECK(m.prompt == "masterpiece, best quality, 1girl, red hair, <lora:add_detail:0.8>, "
                      "(smile:1.2)\nforest background, volumetric lighting");
    CHECK(m.negativePrompt == "(worst quality, low quality:1.4), bad hands,\nextra fingers");
    CHECK(m.provider == "automatic1111");
    CHECK(m.modelId == "v1-5-pruned-emaonly");
    CHECK(m.modelVersion.empty());
    CHECK(m.seed == 1234567890);
    CHECK(m.width == 512);
    CHECK(m.height == 768);
    CHECK(m.params["Steps"] == "30");
    CHECK(m.params["Sampler"] == "DPM++ 2M");
    CHECK(m.params["Schedule type"] == "Karras");
    CHECK(m.params["CFG scale"] == "7");
    CHECK(m.params["Model hash"] == "6ce0161689");
    CHECK(m.params["Denoising strength"] == "0.45");
    CHECK(m.params["Clip skip"] == "2");
    CHECK(m.params["ADetailer model"] == "face_yolov8n.pt");
    CHECK(m.params["ADetailer prompt"] == "a, b");
    CHECK(m.params["Hires upscaler"] == "4x-UltraSharp");
    CHECK(m.params["Lora hashes"] == "add_detail: 7c6bad76eb54");
    CHECK(m.params["Version"] == "v1.10.1");
    CHECK_FALSE(m.params.contains("Seed"));
    CHECK_FALSE(m.params.contains("Size"));
    CHECK_FALSE(m.params.contains("Model"));
    CHECK(m.params.size() == 14);
}

TEST_CASE("A1111 text without a settings line is all prompt", "[catalog][a1111]") {
    GenerationMetadata m = A1111Parameters::parse("just a prompt, with: one colon");
    CHECK(m.prompt == "just a prompt, with: one colon");
    CHECK(m.provider.empty());
    CHECK(m.params.empty());

    // Two pairs are not enough for A1111 to call a line settings.
    m = A1111Parameters::parse("a cat\nSteps: 20, Seed: 5");
    CHECK(m.prompt == "a cat\nSteps: 20, Seed: 5");
    CHECK_FALSE(m.seed);

    m = A1111Parameters::parse("");
    CHECK(m.empty());
    CHECK(m.provider.empty());

    m = A1111Parameters::parse("  \n  \n");
    CHECK(m.empty());
}

TEST_CASE("A1111 parsing handles the shapes other tools write", "[catalog][a1111]") {
    SECTION("no negative prompt, numbers kept as written") {
        const auto m = A1111Parameters::parse(
            "a cat\nSteps: 20, Sampler: Euler a, CFG scale: 7.0, Seed: -1, Size: 1024x1024");
        CHECK(m.prompt == "a cat");
        CHECK(m.negativePrompt.empty());
        CHECK(m.params["CFG scale"] == "7.0");
        CHECK(m.seed == -1);
        CHECK(m.width == 1024);
    }
    SECTION("negative prompt only, Windows line ends, blank lines kept inside") {
        const auto m = A1111Parameters::parse(
            "Negative prompt: ugly\r\n\r\nworse  \r\nSteps: 1, Sampler: x, CFG scale: 2\r\n");
        CHECK(m.prompt.empty());
        CHECK(m.negativePrompt == "ugly\n\nworse");
        CHECK(m.params["Sampler"] == "x");
    }
    SECTION("multi-line prompt with a blank line") {
        const auto m = A1111Parameters::parse(
            "line one\n\n  line three  \nSteps: 1, Sampler: x, CFG scale: 2");
        CHECK(m.prompt == "line one\n\nline three");
    }
    SECTION("Ripen's own keys and values that do not parse") {
        const auto m = A1111Parameters::parse(
            "p\nSteps: 4, Seed: abc, Size: big, Provider: google, Model: gemini-3-pro-image, "
            "Model version: \"2025-11-20\"");
        CHECK(m.provider == "google");
        CHECK(m.modelId == "gemini-3-pro-image");
        CHECK(m.modelVersion == "2025-11-20");
        CHECK_FALSE(m.seed);
        CHECK(m.params["Seed"] == "abc");
        CHECK(m.params["Size"] == "big");
        CHECK_FALSE(m.width);
    }
    SECTION("seeds and sizes out of range stay as text") {
        const auto m = A1111Parameters::parse(
            "p\nSteps: 4, Seed: 99999999999999999999, Size: 99999999999x2, Sampler: a");
        CHECK_FALSE(m.seed);
        CHECK(m.params["Seed"] == "99999999999999999999");
        CHECK(m.params["Size"] == "99999999999x2");
        const auto extremes =
            A1111Parameters::parse("p\nSteps: 4, Seed: -9223372036854775808, Sampler: a");
        CHECK(extremes.seed == std::numeric_limits<std::int64_t>::min());
    }
    SECTION("quoted values: escapes, and a closing quote not followed by a comma") {
        const auto m = A1111Parameters::parse(
            "p\nTemplate: \"say \\\"hi\\\", ok\", Odd: \"a\" b, Unicode: \"caf\\u00e9\", "
            "Broken: \"\\x\", Empty: \"\", Steps: 3");
        CHECK(m.params["Template"] == "say \"hi\", ok");
        CHECK(m.params["Odd"] == "\"a\" b");
        CHECK(m.params["Unicode"] == "caf\xC3\xA9");
        CHECK(m.params["Broken"] == "\"\\x\"");
        CHECK(m.params["Empty"] == "");
        CHECK(m.params["Steps"] == "3");
    }
    SECTION("invalid UTF-8 is replaced, not passed on") {
        const auto m = A1111Parameters::parse("caf\xE9\nSteps: 1, Sampler: \xFF, CFG scale: 2");
        CHECK(m.prompt == "caf\xEF\xBF\xBD");
        CHECK(m.params["Sampler"] == "\xEF\xBF\xBD");
    }
}

TEST_CASE("A1111 settings lines are scanned like A1111 does", "[catalog][a1111]") {
    using Pairs = std::vector<std::pair<std::string, std::string>>;
    CHECK(A1111Parameters::parseSettingsLine("Steps: 20, Sampler: Euler a,CFG scale:7") ==
          Pairs{{"Steps", "20"}, {"Sampler", "Euler a"}, {"CFG scale", "7"}});
    // A one-letter key does not match; the scanner moves on to the next pair.
    CHECK(A1111Parameters::parseSettingsLine("x: 1, Steps: 2") == Pairs{{"Steps", "2"}});
    CHECK(A1111Parameters::parseSettingsLine("no pairs here").empty());
    CHECK(A1111Parameters::parseSettingsLine("Hires resize-1/2: 3, Trailing: ") ==
          Pairs{{"Hires resize-1/2", "3"}, {"Trailing", ""}});
}

TEST_CASE("A1111 formatting writes the web UI's layout", "[catalog][a1111]") {
    GenerationMetadata m;
    m.prompt = "a cat, <lora:cat:0.7>";
    m.negativePrompt = "blurry";
    m.provider = "automatic1111";
    m.modelId = "sd15";
    m.seed = 42;
    m.width = 512;
    m.height = 768;
    m.params["Steps"] = "20";
    m.params["Sampler"] = "Euler a";
    m.params["CFG scale"] = "7";
    m.params["Version"] = "v1.10.1";
    m.params["ADetailer prompt"] = "a, b";
    m.params["Hires upscaler"] = "4x-UltraSharp";
    m.params["Multi"] = "line\nbreak";
    m.params["Guidance"] = 3.5;
    m.params["comfyui_prompt"] = "{\"3\": {}}";
    m.params["x"] = "unwritable key";
    m.params["Seed"] = "ignored, the field wins";

    CHECK(A1111Parameters::format(m) ==
          "a cat, <lora:cat:0.7>\nNegative prompt: blurry\n"
          "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 512x768, Model: sd15, "
          "ADetailer prompt: \"a, b\", Guidance: 3.5, Hires upscaler: 4x-UltraSharp, "
          "Multi: \"line\\nbreak\", Version: v1.10.1");

    GenerationMetadata ours;
    ours.prompt = "猫";
    ours.provider = "google";
    ours.modelId = "gemini-3-pro-image";
    ours.modelVersion = "preview";
    CHECK(A1111Parameters::format(ours) ==
          "猫\nModel: gemini-3-pro-image, Model version: preview, Provider: google");

    CHECK(A1111Parameters::format(GenerationMetadata{}).empty());
    CHECK(A1111Parameters::isWritableKey("Hires upscaler"));
    CHECK_FALSE(A1111Parameters::isWritableKey("x"));
    CHECK_FALSE(A1111Parameters::isWritableKey("a:b"));
    CHECK_FALSE(A1111Parameters::isWritableKey(" lead"));
}

TEST_CASE("A1111 web UI text survives parse, format and parse again", "[catalog][a1111]") {
    const auto first = A1111Parameters::parse(kWebUiSample);
    const auto second = A1111Parameters::parse(A1111Parameters::format(first));
    checkSameMetadata(first, second);
}

TEST_CASE("A1111 format then parse is lossless for varied metadata", "[catalog][a1111]") {
    std::mt19937_64 rng(20240611);
    const auto pick = [&](const auto& items) -> const auto& {
        return items[std::uniform_int_distribution<std::size_t>(0, std::size(items) - 1)(rng)];
    };
    const auto chance = [&](int percent) {
        return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
    };
    const std::vector<std::string> tokens = {"a red fox",
                                             "<lora:fox_v2:0.8>",
                                             "(masterpiece:1.2)",
                                             "猫",
                                             "café",
                                             "\"quoted\"",
                                             "Steps: 20",
                                             "key: value",
                                             ",",
                                             ":",
                                             "emoji 🎨",
                                             "back\\slash",
                                             "BREAK",
                                             "x, y, z",
                                             "[a|b]",
                                             "{c}",
                                             "Negative",
                                             "Seed: 1"};
    const std::vector<std::string> separators = {" ", ", ", "\n", "\n\n", ",", ": "};
    const std::vector<std::string> values = {
        "20",          "7.5",           "Euler a",   "",       " lead",           "trail ",
        "line\nbreak", "\"starts",      "ends\"",    "a\\\"b", "tab\tin",         "a, b",
        "x: y",        "4x-UltraSharp", "猫 café 🎨", "\"q\"",  "{\"json\": [1]}", "-"};
    const std::vector<std::string> keys = {
        "Steps",          "Sampler",          "Schedule type", "CFG scale",          "Model hash",
        "Hires upscaler", "ADetailer prompt", "Lora hashes",   "Denoising strength", "Version",
        "Clip skip",      "TI hashes",        "Ünicode key",   "Hires resize-1/2"};
    const std::vector<std::string> models = {"sd_xl_base_1.0.safetensors [31e35c80fc]",
                                             "model: with colon", "flux1-dev", "a, b", "猫"};
    const std::vector<std::string> providers = {"google", "comfyui", "automatic1111", "ripen-local",
                                                "byte, dance"};

    const auto text = [&](int maxTokens) {
        std::string out;
        const int count = std::uniform_int_distribution<int>(0, maxTokens)(rng);
        for (int i = 0; i < count; ++i) {
            if (i > 0) {
                out += pick(separators);
            }
            out += pick(tokens);
        }
        return out;
    };

    for (int round = 0; round < 500; ++round) {
        GenerationMetadata m;
        m.prompt = text(12);
        m.negativePrompt = text(6);
        m.provider = pick(providers);
        m.modelId = pick(models);
        m.modelVersion = chance(50) ? pick(values) : "";
        m.seed = std::uniform_int_distribution<std::int64_t>(
            std::numeric_limits<std::int64_t>::min(),
            std::numeric_limits<std::int64_t>::max())(rng);
        if (chance(70)) {
            m.width = std::uniform_int_distribution<int>(1, 8192)(rng);
            m.height = std::uniform_int_distribution<int>(1, 8192)(rng);
        }
        m.params["Steps"] = pick(values);
        const int extra = std::uniform_int_distribution<int>(0, 8)(rng);
        for (int i = 0; i < extra; ++i) {
            m.params[pick(keys)] = pick(values);
        }
        // Edge whitespace on a prompt line is lost on reading, as in A1111; the generator
        // makes none except in values, which are quoted.
        const std::string written = A1111Parameters::format(m);
        INFO("round " << round << ":\n" << written);
        checkSameMetadata(A1111Parameters::parse(written), m);
    }
}

TEST_CASE("A1111 parameters written into a PNG read back whole", "[catalog][a1111]") {
    std::vector<uchar> encoded;
    REQUIRE(cv::imencode(".png", test::makeTestImage(32, 32, 1), encoded));
    const std::string png(encoded.begin(), encoded.end());

    auto m = A1111Parameters::parse(kWebUiSample);
    m.prompt += "\n猫 🎨";
    const auto tagged = PngChunks::withTextChunk(png, "parameters", A1111Parameters::format(m));
    REQUIRE(tagged);
    const auto chunks = PngChunks::readTextChunks(*tagged);
    REQUIRE(chunks);
    REQUIRE(chunks->chunks.size() == 1);
    checkSameMetadata(A1111Parameters::parse(chunks->chunks[0].text), m);
}
