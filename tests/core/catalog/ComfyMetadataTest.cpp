#include "catalog/ComfyMetadata.h"

#include "imaging/PngChunks.h"
#include "support/TestImages.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

using namespace ripen;

namespace {

// The graph ComfyUI's default text-to-image workflow queues, as its SaveImage node embeds it.
const std::string kDefaultGraph = R"({
  "3": {"class_type": "KSampler", "inputs": {"seed": 156680208700286, "steps": 20, "cfg": 8,
        "sampler_name": "euler", "scheduler": "normal", "denoise": 1, "model": ["4", 0],
        "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
  "4": {"class_type": "CheckpointLoaderSimple",
        "inputs": {"ckpt_name": "v1-5-pruned-emaonly.safetensors"}},
  "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 768, "batch_size": 1}},
  "6": {"class_type": "CLIPTextEncode", "inputs": {"text":
        "beautiful scenery nature glass bottle landscape, , purple galaxy bottle,",
        "clip": ["4", 1]}},
  "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "text, watermark", "clip": ["4", 1]}},
  "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
  "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}}
})";

// SDXL base + refiner: LoRA in the model chain, ControlNet on the conditioning, and a
// refiner pass whose prompt must not win over the base pass.
const std::string kSdxlGraph = R"({
  "10": {"class_type": "KSamplerAdvanced", "inputs": {"add_noise": "enable",
         "noise_seed": 721897303308196, "steps": 25, "cfg": 8, "sampler_name": "euler",
         "scheduler": "normal", "start_at_step": 0, "end_at_step": 20,
         "return_with_leftover_noise": "enable", "model": ["30", 0], "positive": ["40", 0],
         "negative": ["40", 1], "latent_image": ["5", 0]}},
  "11": {"class_type": "KSamplerAdvanced", "inputs": {"add_noise": "disable", "noise_seed": 1,
         "steps": 25, "cfg": 8, "sampler_name": "euler", "scheduler": "normal",
         "start_at_step": 20, "end_at_step": 10000, "return_with_leftover_noise": "disable",
         "model": ["12", 0], "positive": ["15", 0], "negative": ["16", 0],
         "latent_image": ["10", 0]}},
  "4": {"class_type": "CheckpointLoaderSimple",
        "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
  "12": {"class_type": "CheckpointLoaderSimple",
         "inputs": {"ckpt_name": "sd_xl_refiner_1.0.safetensors"}},
  "30": {"class_type": "LoraLoader", "inputs": {"lora_name": "detail.safetensors",
         "strength_model": 0.8, "strength_clip": 0.8, "model": ["4", 0], "clip": ["4", 1]}},
  "5": {"class_type": "EmptyLatentImage",
        "inputs": {"width": 1024, "height": 1024, "batch_size": 1}},
  "6": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"width": 4096, "height": 4096,
        "crop_w": 0, "crop_h": 0, "target_width": 4096, "target_height": 4096,
        "text_g": "a lighthouse at dusk, 猫", "text_l": "oil painting", "clip": ["30", 1]}},
  "7": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"width": 4096, "height": 4096,
        "crop_w": 0, "crop_h": 0, "target_width": 4096, "target_height": 4096,
        "text_g": "blurry", "text_l": "blurry", "clip": ["30", 1]}},
  "40": {"class_type": "ControlNetApplyAdvanced", "inputs": {"strength": 0.6,
         "start_percent": 0, "end_percent": 1, "positive": ["6", 0], "negative": ["7", 0],
         "control_net": ["41", 0], "image": ["42", 0]}},
  "41": {"class_type": "ControlNetLoader", "inputs": {"control_net_name": "canny.safetensors"}},
  "42": {"class_type": "LoadImage", "inputs": {"image": "edges.png"}},
  "15": {"class_type": "CLIPTextEncodeSDXLRefiner", "inputs": {"ascore": 6, "width": 1024,
         "height": 1024, "text": "refiner prompt", "clip": ["12", 1]}},
  "16": {"class_type": "CLIPTextEncodeSDXLRefiner", "inputs": {"ascore": 2.5, "width": 1024,
         "height": 1024, "text": "refiner negative", "clip": ["12", 1]}}
})";

// Flux through SamplerCustomAdvanced: the prompt sits behind a guider, the seed on a
// RandomNoise node, the model on a UNETLoader, the text on a primitive.
const std::string kFluxGraph = R"({
  "13": {"class_type": "SamplerCustomAdvanced", "inputs": {"noise": ["25", 0],
         "guider": ["22", 0], "sampler": ["16", 0], "sigmas": ["17", 0],
         "latent_image": ["27", 0]}},
  "25": {"class_type": "RandomNoise", "inputs": {"noise_seed": ["50", 0]}},
  "50": {"class_type": "PrimitiveInt", "inputs": {"value": 424242}},
  "22": {"class_type": "CFGGuider", "inputs": {"cfg": 1, "model": ["12", 0],
         "positive": ["60", 0], "negative": ["61", 0]}},
  "12": {"class_type": "UNETLoader", "inputs": {"unet_name": "flux1-dev.safetensors",
         "weight_dtype": "default"}},
  "60": {"class_type": "FluxGuidance", "inputs": {"guidance": 3.5, "conditioning": ["6", 0]}},
  "6": {"class_type": "CLIPTextEncode", "inputs": {"text": ["70", 0], "clip": ["11", 0]}},
  "70": {"class_type": "PrimitiveString", "inputs": {"value": "a neon sign that says \"Ripen\""}},
  "61": {"class_type": "ConditioningZeroOut", "inputs": {"conditioning": ["6", 0]}},
  "11": {"class_type": "DualCLIPLoader", "inputs": {"clip_name1": "t5xxl.safetensors",
         "clip_name2": "clip_l.safetensors", "type": "flux"}},
  "16": {"class_type": "KSamplerSelect", "inputs": {"sampler_name": "euler"}},
  "17": {"class_type": "BasicScheduler", "inputs": {"scheduler": "simple", "steps": 20,
         "denoise": 1, "model": ["12", 0]}},
  "27": {"class_type": "EmptySD3LatentImage", "inputs": {"width": 1344, "height": 768,
         "batch_size": 1}}
})";

bool contains(const std::vector<std::string>& warnings, std::string_view needle) {
    for (const auto& w : warnings) {
        if (w.find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_CASE("ComfyUI's default graph gives prompt, seed, model and size", "[catalog][comfy]") {
    std::vector<std::string> warnings;
    const auto m = ComfyMetadata::extract(kDefaultGraph, "", &warnings);
    CHECK(warnings.empty());
    CHECK(m.provider == "comfyui");
    CHECK(m.prompt == "beautiful scenery nature glass bottle landscape, , purple galaxy bottle,");
    CHECK(m.negativePrompt == "text, watermark");
    CHECK(m.seed == 156680208700286);
    CHECK(m.modelId == "v1-5-pruned-emaonly.safetensors");
    CHECK(m.width == 512);
    CHECK(m.height == 768);
    CHECK(m.params["Steps"] == "20");
    CHECK(m.params["CFG scale"] == "8");
    CHECK(m.params["Sampler"] == "euler");
    CHECK(m.params["Schedule type"] == "normal");
    CHECK(m.params["Denoising strength"] == "1");
    CHECK(m.params["comfyui_prompt"] == kDefaultGraph);
    CHECK_FALSE(m.params.contains("comfyui_workflow"));
}

TEST_CASE("SDXL graphs: text_g/text_l, LoRA, ControlNet, and the base pass wins",
          "[catalog][comfy]") {
    const auto m = ComfyMetadata::extract(kSdxlGraph);
    CHECK(m.prompt == "a lighthouse at dusk, 猫\noil painting");
    CHECK(m.negativePrompt == "blurry");
    CHECK(m.seed == 721897303308196);
    CHECK(m.modelId == "sd_xl_base_1.0.safetensors");
    CHECK(m.width == 1024);
    CHECK(m.params["Steps"] == "25");
}

TEST_CASE("Flux graphs: guider, RandomNoise, UNETLoader, primitives, zeroed negative",
          "[catalog][comfy]") {
    const auto m = ComfyMetadata::extract(kFluxGraph);
    CHECK(m.prompt == "a neon sign that says \"Ripen\"");
    CHECK(m.negativePrompt.empty());
    CHECK(m.seed == 424242);
    CHECK(m.modelId == "flux1-dev.safetensors");
    CHECK(m.width == 1344);
    CHECK(m.height == 768);
}

TEST_CASE("Conditioning cycles and long chains end", "[catalog][comfy]") {
    // 10 combines 11 (which loops back to 10) and the real encoder 6.
    const std::string cycle = R"({
      "3": {"class_type": "KSampler", "inputs": {"seed": 1, "positive": ["10", 0],
            "negative": ["20", 0], "model": ["3", 0], "latent_image": ["3", 0]}},
      "10": {"class_type": "ConditioningCombine",
             "inputs": {"conditioning_1": ["11", 0], "conditioning_2": ["6", 0]}},
      "11": {"class_type": "ConditioningSetArea", "inputs": {"conditioning": ["10", 0]}},
      "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "inside a loop"}},
      "20": {"class_type": "Mystery", "inputs": {"a": ["21", 0]}},
      "21": {"class_type": "Mystery", "inputs": {"a": ["20", 0]}}
    })";
    std::vector<std::string> warnings;
    const auto m = ComfyMetadata::extract(cycle, "", &warnings);
    CHECK(m.prompt == "inside a loop");
    CHECK(m.negativePrompt.empty());
    CHECK(m.seed == 1);

    // A chain longer than kMaxLinkHops stops short of its text instead of walking on.
    nlohmann::json chain;
    chain["1"] = {{"class_type", "KSampler"}, {"inputs", {{"positive", {"100", 0}}}}};
    for (int i = 100; i < 100 + 2 * ComfyMetadata::kMaxLinkHops; ++i) {
        chain[std::to_string(i)] = {{"class_type", "ConditioningSetArea"},
                                    {"inputs", {{"conditioning", {std::to_string(i + 1), 0}}}}};
    }
    chain[std::to_string(100 + 2 * ComfyMetadata::kMaxLinkHops)] = {
        {"class_type", "CLIPTextEncode"}, {"inputs", {{"text", "too far"}}}};
    CHECK(ComfyMetadata::extract(chain.dump()).prompt.empty());

    // A wide fan-out is cut by the visited-node budget: 20000 encoders, far fewer read.
    nlohmann::json wide;
    nlohmann::json fanInputs = nlohmann::json::object();
    for (int i = 0; i < 20000; ++i) {
        const std::string id = "t" + std::to_string(i);
        fanInputs["conditioning_" + std::to_string(i)] = {id, 0};
        wide[id] = {{"class_type", "CLIPTextEncode"}, {"inputs", {{"text", id}}}};
    }
    wide["1"] = {{"class_type", "KSampler"}, {"inputs", {{"positive", {"2", 0}}}}};
    wide["2"] = {{"class_type", "ConditioningCombine"}, {"inputs", fanInputs}};
    const std::string widePrompt = ComfyMetadata::extract(wide.dump()).prompt;
    const auto lines = std::count(widePrompt.begin(), widePrompt.end(), '\n') + 1;
    CHECK(lines > 100);
    CHECK(lines < static_cast<long>(ComfyMetadata::kMaxVisitedNodes));
}

TEST_CASE("Missing links, odd shapes and garbage give warnings, never a crash",
          "[catalog][comfy]") {
    SECTION("a link to a node that is not there") {
        const std::string graph = R"({
          "3": {"class_type": "KSampler", "inputs": {"seed": 7, "positive": ["6", 0],
                "negative": ["99", 0], "model": ["98", 0], "latent_image": ["97", 0]}},
          "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "kept"}}
        })";
        const auto m = ComfyMetadata::extract(graph);
        CHECK(m.prompt == "kept");
        CHECK(m.negativePrompt.empty());
        CHECK(m.modelId.empty());
        CHECK_FALSE(m.width);
    }
    SECTION("text that is not JSON, or JSON that is not a graph") {
        const std::vector<std::string> bads = {
            "not json at all", "",
            "[1, 2, 3]",       "\"string\"",
            "{\"a\": \xFF}",   std::string(100000, '[') + std::string(100000, ']')};
        for (const std::string& bad : bads) {
            std::vector<std::string> warnings;
            const auto m = ComfyMetadata::extract(bad, "", &warnings);
            CHECK(m.empty());
            CHECK(m.provider.empty());
            CHECK(warnings.size() == 1);
            CHECK(contains(warnings, "ComfyUI prompt"));
        }
    }
    SECTION("nodes of the wrong types everywhere") {
        const std::string graph = R"({
          "1": 5, "2": null, "3": {"class_type": 7}, "4": {"class_type": "KSampler"},
          "5": {"class_type": "KSampler", "inputs": [1, 2]},
          "6": {"class_type": "KSampler", "inputs": {"seed": "x", "positive": ["7"],
                "negative": [8, 0], "steps": {"deep": true}, "cfg": ["1", "a"],
                "model": 3, "latent_image": null}},
          "7": {"inputs": {"text": 12}},
          "8": {"class_type": "CLIPTextEncode", "inputs": {"text": "numeric id link"}},
          "9": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "fallback.ckpt"}}
        })";
        std::vector<std::string> warnings;
        const auto m = ComfyMetadata::extract(graph, "{not a workflow", &warnings);
        CHECK(m.provider == "comfyui");
        CHECK(m.prompt.empty());
        CHECK(m.negativePrompt == "numeric id link");
        CHECK_FALSE(m.seed);
        CHECK_FALSE(m.params.contains("Steps"));
        CHECK(m.modelId == "fallback.ckpt");
        CHECK(m.params.contains("comfyui_prompt"));
        CHECK_FALSE(m.params.contains("comfyui_workflow"));
        CHECK(contains(warnings, "ComfyUI workflow"));
    }
    SECTION("a graph without a sampler still keeps the graph and any checkpoint") {
        std::vector<std::string> warnings;
        const auto m = ComfyMetadata::extract(
            R"({"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "a"}}})", "",
            &warnings);
        CHECK(m.prompt.empty());
        CHECK(m.modelId == "a");
        CHECK(contains(warnings, "no sampler"));
    }
}

TEST_CASE("ComfyUI seeds above int64 stay as text", "[catalog][comfy]") {
    const auto m = ComfyMetadata::extract(
        R"({"3": {"class_type": "KSampler", "inputs": {"seed": 18446744073709551615}}})");
    CHECK_FALSE(m.seed);
    CHECK(m.params["Seed"] == "18446744073709551615");
}

TEST_CASE("ComfyUI graphs are kept in params only up to 4 MiB", "[catalog][comfy]") {
    const std::string workflow = R"({"last_node_id": 9, "nodes": [], "links": []})";
    auto m = ComfyMetadata::extract(kDefaultGraph, workflow);
    CHECK(m.params["comfyui_workflow"] == workflow);

    nlohmann::json big = nlohmann::json::parse(kDefaultGraph);
    big["9"]["inputs"]["filename_prefix"] = std::string(ComfyMetadata::kMaxStoredJsonBytes, 'x');
    const std::string bigText = big.dump();
    std::vector<std::string> warnings;
    m = ComfyMetadata::extract(bigText, bigText, &warnings);
    CHECK(m.prompt.starts_with("beautiful scenery"));
    CHECK_FALSE(m.params.contains("comfyui_prompt"));
    CHECK_FALSE(m.params.contains("comfyui_workflow"));
    CHECK(warnings.size() == 2);
    CHECK(contains(warnings, "prompt graph"));
    CHECK(contains(warnings, "workflow"));
}

TEST_CASE("A ComfyUI PNG's prompt chunk reads back through PngChunks", "[catalog][comfy]") {
    std::vector<uchar> encoded;
    REQUIRE(cv::imencode(".png", test::makeTestImage(16, 16, 2), encoded));
    auto png =
        PngChunks::withTextChunk(std::string(encoded.begin(), encoded.end()), "prompt", kSdxlGraph);
    REQUIRE(png);
    png = PngChunks::withTextChunk(*png, "workflow", R"({"nodes": []})");
    REQUIRE(png);
    const auto text = PngChunks::readTextChunks(*png);
    REQUIRE(text);
    std::string prompt;
    std::string workflow;
    for (const auto& chunk : text->chunks) {
        (chunk.keyword == "prompt" ? prompt : workflow) = chunk.text;
    }
    const auto m = ComfyMetadata::extract(prompt, workflow);
    CHECK(m.prompt == "a lighthouse at dusk, 猫\noil painting");
    CHECK(m.params["comfyui_workflow"] == R"({"nodes": []})");
}
