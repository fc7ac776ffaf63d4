#include "providers/comfyui/ComfyUiProvider.h"

#include "providers/comfyui/ComfyWorkflowTemplate.h"
#include "support/TestCredentials.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/ComfyUiFakeServer.h"

#include <catch2/catch.hpp>
#include <map>
#include <opencv2/imgcodecs.hpp>

using namespace ripen;
using namespace ripen::test;
using providers::comfyui::ComfyUiProvider;
using providers::comfyui::ComfyWorkflowTemplate;
using Kind = ProviderFailure::Kind;
using namespace std::chrono_literals;

namespace {

constexpr const char* kJobKey = "6f1c2a9e-3b7d-4e0a-9c55-1d2e3f4a5b6c";

struct Fixture {
    ComfyUiFakeServer fake;
    http::HttpClient http;
    test::TestCredentials credentials;
    TempDir work;
    GenerationRequest request;

    Fixture() {
        request.kind = JobKind::TextToImage;
        request.provider = "comfyui";
        request.prompt = "a \"quoted\" lighthouse, {{seed}} stays literal";
        request.negativePrompt = "blurry";
        request.seed = 42;
        request.aspectRatio = "16:9";
    }

    ProviderContext context() {
        return ProviderContext{http, fake.baseUrl(), credentials, work.path(), kJobKey,
                               {},   nullptr};
    }
};

ComfyUiProvider::Settings quickSettings() {
    ComfyUiProvider::Settings settings;
    settings.requestDeadline = 1500ms;
    settings.downloadDeadline = 1500ms;
    return settings;
}

ProviderOutcome<ProviderResult> runToEnd(Fixture& f, ComfyUiProvider& provider) {
    auto submitted = provider.submit(f.context(), f.request);
    if (!submitted) {
        return submitted;
    }
    for (int attempt = 0; attempt < 10; ++attempt) {
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        if (!result || result->state == ProviderResult::State::Done) {
            return result;
        }
    }
    FAIL("ComfyUI prompt never finished");
    return std::unexpected(ProviderFailure{});
}

const nlohmann::json* nodeOfClass(const nlohmann::json& graph, const std::string& type) {
    for (const auto& [id, node] : graph.items()) {
        if (node["class_type"] == type) {
            return &node;
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("ComfyUI templates fill placeholders type-correctly in the parsed graph", "[comfyui]") {
    auto workflow = ComfyWorkflowTemplate::fromJson(
        {{"1",
          {{"class_type", "KSampler"},
           {"inputs",
            {{"seed", "{{seed}}"},
             {"cfg", "{{cfg}}"},
             {"text", "{{prompt}}"},
             {"prefix", "ripen_{{seed}}_{{name}}"},
             {"link", {"2", 0}}}}}},
         {"2", {{"class_type", "X"}, {"inputs", nlohmann::json::object()}}}},
        "test");
    REQUIRE(workflow.has_value());
    CHECK(workflow->placeholders() == std::set<std::string>{"seed", "cfg", "prompt", "name"});

    auto graph = workflow->fill(
        {{"seed", 7}, {"cfg", 6.5}, {"name", "x"}, {"prompt", "say \"{{seed}}\"\n}"}});
    REQUIRE(graph.has_value());
    const auto& inputs = (*graph)["1"]["inputs"];
    CHECK(inputs["seed"].is_number_integer());
    CHECK(inputs["seed"] == 7);
    CHECK(inputs["cfg"] == 6.5);
    CHECK(inputs["text"] == "say \"{{seed}}\"\n}"); // filled values are not expanded again
    CHECK(inputs["prefix"] == "ripen_7_x");
    CHECK(inputs["link"] == nlohmann::json::array({"2", 0}));

    auto missing = workflow->fill({{"seed", 1}});
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message.find("{{cfg}}") != std::string::npos);

    CHECK_FALSE(ComfyWorkflowTemplate::fromJson({{"1", {{"inputs", {}}}}}, "bad").has_value());
    CHECK_FALSE(ComfyWorkflowTemplate::fromJson(nlohmann::json::array(), "bad").has_value());
}

TEST_CASE("ComfyUI bundled templates load and use the documented nodes", "[comfyui]") {
    ComfyUiProvider provider;
    Fixture f;
    CHECK(provider.missingConfiguration(f.credentials).empty());
    for (const auto* name : {"txt2img", "inpaint", "upscale"}) {
        auto workflow =
            ComfyWorkflowTemplate::load(provider.templatesDir() / (std::string(name) + ".json"));
        INFO(name);
        REQUIRE(workflow.has_value());
    }
    auto upscale = ComfyWorkflowTemplate::load(provider.templatesDir() / "upscale.json");
    CHECK(upscale->uses("upscale_model"));
    CHECK(upscale->uses("image"));
    auto inpaint = ComfyWorkflowTemplate::load(provider.templatesDir() / "inpaint.json");
    CHECK(inpaint->uses("mask"));
}

TEST_CASE("ComfyUI text-to-image: prompt, history, view", "[comfyui]") {
    Fixture f;
    f.fake.setPollsBeforeDone(2);
    ComfyUiProvider provider(quickSettings());
    CHECK(provider.id() == "comfyui");
    CHECK(provider.supports(JobKind::Inpaint));
    CHECK_FALSE(provider.supports(JobKind::ImageToVideo));
    CHECK(provider.defaultBaseUrls() == std::vector<std::string>{"http://127.0.0.1:8188"});
    CHECK(provider.baseUrlVariable() == "RIPEN_COMFYUI_BASE_URL");

    auto submitted = provider.submit(f.context(), f.request);
    REQUIRE(submitted.has_value());
    CHECK(submitted->state == ProviderResult::State::Running);
    REQUIRE(f.fake.graphs().size() == 1);
    CHECK(f.fake.clientIds().front() == kJobKey);
    const auto graph = f.fake.graphs().front();
    const auto* sampler = nodeOfClass(graph, "KSampler");
    REQUIRE(sampler != nullptr);
    CHECK((*sampler)["inputs"]["seed"] == 42);
    CHECK((*sampler)["inputs"]["steps"].is_number_integer());
    const auto* latent = nodeOfClass(graph, "EmptyLatentImage");
    REQUIRE(latent != nullptr);
    CHECK((*latent)["inputs"]["width"].get<int>() > (*latent)["inputs"]["height"].get<int>());
    CHECK((*latent)["inputs"]["width"].get<int>() % 8 == 0);
    bool promptFound = false;
    for (const auto& [id, node] : graph.items()) {
        promptFound |= node["inputs"].value("text", "") == f.request.prompt;
    }
    CHECK(promptFound);

    auto queued = provider.poll(f.context(), submitted->operationId, f.request);
    REQUIRE(queued.has_value());
    CHECK(queued->state == ProviderResult::State::Running);
    CHECK(queued->info.contains("queue_position"));

    ProviderOutcome<ProviderResult> done = queued;
    for (int i = 0; i < 5 && done && done->state == ProviderResult::State::Running; ++i) {
        done = provider.poll(f.context(), submitted->operationId, f.request);
    }
    REQUIRE(done.has_value());
    REQUIRE(done->state == ProviderResult::State::Done);
    REQUIRE(done->outputs.size() == 1);
    CHECK(done->outputs[0].mimeType == "image/png");
    CHECK(done->outputs[0].seed == 42);
    CHECK(done->outputs[0].file.parent_path() == f.work.path());
    CHECK(done->info["server_files"][0]["filename"] == "ComfyUI_00001_.png");
    const auto views = f.fake.server().requestsTo("/view");
    REQUIRE(views.size() == 1);
    CHECK(views[0].param("type") == "output");
    CHECK(views[0].param("subfolder") == "");
}

TEST_CASE("ComfyUI inpaint uploads the image and a grey mask, then references them", "[comfyui]") {
    Fixture f;
    f.request.kind = JobKind::Inpaint;
    f.request.images = {f.work / "source.jpg"};
    writeTestImage(f.request.images[0], makeTestImage(96, 64, 4));
    cv::Mat mask(64, 96, CV_8UC1, cv::Scalar(0));
    mask(cv::Rect(10, 10, 30, 20)).setTo(255);
    f.request.mask = f.work / "mask.png";
    writeTestImage(*f.request.mask, mask);
    ComfyUiProvider provider(quickSettings());

    auto result = runToEnd(f, provider);
    REQUIRE(result.has_value());
    const auto uploads = f.fake.server().requestsTo("/upload/image");
    REQUIRE(uploads.size() == 2);
    for (const auto& upload : uploads) {
        CHECK(upload.formFields.at("type") == "input");
        CHECK(upload.formFields.at("overwrite") == "true");
        REQUIRE(upload.file("image") != nullptr);
    }
    CHECK(uploads[0].file("image")->content == readBytes(f.request.images[0]));
    const auto* maskFile = uploads[1].file("image");
    const std::vector<unsigned char> maskBytes(maskFile->content.begin(), maskFile->content.end());
    const cv::Mat sent = cv::imdecode(maskBytes, cv::IMREAD_UNCHANGED);
    REQUIRE(sent.channels() == 1);
    CHECK(sent.at<unsigned char>(15, 15) == 255); // white = inpaint, unchanged
    CHECK(sent.at<unsigned char>(50, 80) == 0);

    const auto graph = f.fake.graphs().front();
    CHECK((*nodeOfClass(graph, "LoadImage"))["inputs"]["image"] ==
          uploads[0].file("image")->fileName);
    CHECK((*nodeOfClass(graph, "LoadImageMask"))["inputs"]["image"] == maskFile->fileName);
    CHECK((*nodeOfClass(graph, "LoadImageMask"))["inputs"]["channel"] == "red");
    // Nothing but the results (and the inputs) stays in the work folder.
    for (const auto& entry : std::filesystem::directory_iterator(f.work.path())) {
        CHECK(entry.path().filename().string().find("mask_upload") == std::string::npos);
    }
}

TEST_CASE("ComfyUI upscale fills the model and the rescale factor", "[comfyui]") {
    Fixture f;
    f.request.kind = JobKind::Upscale;
    f.request.upscaleFactor = 2;
    f.request.images = {f.work / "small.png"};
    writeTestImage(f.request.images[0], makeTestImage(32, 32, 5));
    ComfyUiProvider provider(quickSettings());
    auto result = runToEnd(f, provider);
    REQUIRE(result.has_value());
    const auto graph = f.fake.graphs().front();
    CHECK((*nodeOfClass(graph, "UpscaleModelLoader"))["inputs"]["model_name"] ==
          "RealESRGAN_x4plus.pth");
    CHECK((*nodeOfClass(graph, "ImageScaleBy"))["inputs"]["scale_by"] == 0.5);
    CHECK(result->modelVersion == "RealESRGAN_x4plus.pth");
}

TEST_CASE("ComfyUI hostile output names only ever go back to /view", "[comfyui]") {
    Fixture f;
    f.fake.setPollsBeforeDone(0);
    const std::vector<std::pair<std::string, std::string>> hostile = {
        {"../../x.png", ""},       {"/etc/passwd", ""},        {"ok.png", "../../../tmp"},
        {"a&type=input.png", "/"}, {"..\\..\\x.png", "C:\\w"}, {std::string(300, 'n'), ""}};
    nlohmann::json images = nlohmann::json::array();
    for (const auto& [name, subfolder] : hostile) {
        images.push_back({{"filename", name}, {"subfolder", subfolder}, {"type", "output"}});
    }
    images.push_back({{"filename", "preview.png"}, {"subfolder", ""}, {"type", "temp"}});
    f.fake.setOutputs({{"9", {{"images", images}}}});
    ComfyUiProvider provider(quickSettings());

    auto result = runToEnd(f, provider);
    REQUIRE(result.has_value());
    CHECK(result->outputs.size() == hostile.size()); // the temp preview is skipped
    const auto views = f.fake.server().requestsTo("/view");
    REQUIRE(views.size() == hostile.size());
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        CHECK(views[i].param("filename") == hostile[i].first); // verbatim after decoding
        CHECK(views[i].param("subfolder") == hostile[i].second);
        CHECK(views[i].param("type") == "output");
    }
    for (const auto& output : result->outputs) {
        CHECK(output.file.parent_path() == f.work.path());
    }
    CHECK_FALSE(std::filesystem::exists(f.work.path().parent_path() / "x.png"));
}

TEST_CASE("ComfyUI validation and execution errors are permanent with the node's words",
          "[comfyui]") {
    Fixture f;
    ComfyUiProvider provider(quickSettings());

    SECTION("node_errors from /prompt") {
        f.fake.server().reply(
            "POST", "/prompt",
            FakeReply::json(400, {{"error",
                                   {{"type", "prompt_outputs_failed_validation"},
                                    {"message", "Prompt outputs failed validation"},
                                    {"details", ""}}},
                                  {"node_errors",
                                   {{"4",
                                     {{"errors",
                                       {{{"type", "value_not_in_list"},
                                         {"message", "Value not in list"},
                                         {"details", "ckpt_name: 'x.safetensors' not in []"}}}},
                                      {"class_type", "CheckpointLoaderSimple"}}}}}}));
        auto result = provider.submit(f.context(), f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
        CHECK(result.error().message.find("ckpt_name") != std::string::npos);
        CHECK(result.error().message.find("CheckpointLoaderSimple") != std::string::npos);
    }
    SECTION("execution_error in history") {
        f.fake.setExecutionError("CUDA out of memory");
        auto result = runToEnd(f, provider);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
        CHECK(result.error().message.find("CUDA out of memory") != std::string::npos);
    }
    SECTION("a prompt the server forgot (restart) fails instead of polling forever") {
        auto submitted = provider.submit(f.context(), f.request);
        REQUIRE(submitted.has_value());
        f.fake.forgetPrompts();
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
    SECTION("finished without saved images") {
        f.fake.setOutputs(nlohmann::json::object());
        auto result = runToEnd(f, provider);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
    SECTION("unknown or unsafe template names") {
        f.request.options = {{"template", "../../etc/passwd"}};
        auto result = provider.submit(f.context(), f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
        f.request.options = {{"template", "nope"}};
        result = provider.submit(f.context(), f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::NotConfigured);
        CHECK(f.fake.server().totalCount() == 0);
    }
    SECTION("inpaint without a mask") {
        f.request.kind = JobKind::Inpaint;
        f.request.images = {f.work / "in.png"};
        writeTestImage(f.request.images[0], makeTestImage(64, 64, 1));
        auto result = provider.submit(f.context(), f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
}

TEST_CASE("ComfyUI transport faults", "[comfyui]") {
    Fixture f;
    ComfyUiProvider provider(quickSettings());

    SECTION("malformed /prompt reply is ambiguous") {
        f.fake.server().reply("POST", "/prompt", FakeReply::malformedJson());
        auto result = provider.submit(f.context(), f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Ambiguous);
    }
    SECTION("503 on /prompt is retryable") {
        f.fake.server().reply("POST", "/prompt", FakeReply::text(503, "busy"));
        auto result = provider.submit(f.context(), f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Retryable);
    }
    SECTION("a stalled /prompt is cut at the deadline") {
        f.fake.server().reply("POST", "/prompt", FakeReply::stall(10s));
        const auto started = std::chrono::steady_clock::now();
        auto result = provider.submit(f.context(), f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Ambiguous);
        CHECK(std::chrono::steady_clock::now() - started < 6s);
    }
    SECTION("a /view cut mid-body is retryable and leaves no file") {
        f.fake.server().reply("GET", "/view", FakeReply::cutBody("\x89PNG", 5000));
        auto result = runToEnd(f, provider);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Retryable);
        CHECK(std::filesystem::is_empty(f.work.path()));
    }
    SECTION("a /view that is not an image is permanent") {
        f.fake.server().reply("GET", "/view", FakeReply::bytes("<html>", "image/png"));
        auto result = runToEnd(f, provider);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
    SECTION("an oversized history is aborted") {
        auto submitted = provider.submit(f.context(), f.request);
        REQUIRE(submitted.has_value());
        f.fake.server().reply("GET", "/history/.*", FakeReply::endlessChunked());
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind != Kind::Ambiguous);
    }
}

TEST_CASE("ComfyUI optional bearer auth is sent as a secret header", "[comfyui]") {
    Fixture f;
    f.credentials.values["COMFYUI_TOKEN"] = "CANARY-comfy-token";
    ComfyUiProvider provider(quickSettings());
    f.fake.server().reply("POST", "/prompt", FakeReply::text(500, "boom"));
    auto result = provider.submit(f.context(), f.request);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().message.find("CANARY") == std::string::npos);
    const auto sent = f.fake.server().requestsTo("/prompt");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].header("Authorization") == "Bearer CANARY-comfy-token");
}
