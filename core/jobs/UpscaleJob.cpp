#include "jobs/UpscaleJob.h"

#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageEncoder.h"
#include "imaging/ImageLimits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

constexpr const char* kLanczos = "lanczos";
constexpr const char* kClassicModel = "classic-upscale";
constexpr const char* kDefaultGoogleModel = "gemini-3-pro-image";
// What a re-render is asked for: the same picture, more pixels. The model sees the image
// as its reference and draws it again at its largest size.
constexpr const char* kRerenderPrompt =
    "Re-render this exact image at the highest resolution. Keep the composition, framing, "
    "subjects, colours and lighting identical; add only fine natural detail and texture. "
    "Do not add, remove or move anything.";
const std::vector<std::string> kStabilityModes = {"fast", "conservative", "creative"};
// AUTOMATIC1111's extras and the ComfyUI workflow resize by any whole factor up to x8 per
// request (running their x4 models as often as needed inside); beyond that they chain.
const std::vector<int> kAnyFactorUpTo8 = {2, 3, 4, 5, 6, 7, 8};
// A provider's passes are paid one by one: past this many the exact resize does the rest.
constexpr int kMaxProviderPasses = 3;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

// The local engines by name: the catalog's (classic-upscale), then the neural models found
// on disk.
std::vector<std::string> localUpscaleModels(const ModelCatalog& models,
                                            const std::vector<UpscaleModelInfo>& neural) {
    std::vector<std::string> names;
    for (const ModelInfo* model : models.modelsOf("local")) {
        if (model->id != "*" &&
            std::ranges::find(model->kinds, JobKind::Upscale) != model->kinds.end()) {
            names.push_back(model->id);
        }
    }
    for (const auto& model : neural) {
        names.push_back(model.name);
    }
    return names;
}

Error unknownEngine(std::string_view name, const ModelCatalog& models,
                    const std::vector<UpscaleModelInfo>& neural) {
    std::vector<std::string> known{kLanczos};
    for (auto& model : localUpscaleModels(models, neural)) {
        known.push_back(std::move(model));
    }
    known.insert(known.end(), {"stability[:fast|conservative|creative]", "automatic1111[:UPSCALER]",
                               "comfyui[:TEMPLATE]", "google[:MODEL]"});
    return Error{ErrorCode::InvalidArgument, "unknown engine '" + std::string(name.substr(0, 64)) +
                                                 "'; known: " + joined(known)};
}

// The classic engine enlarges by any of x2..x8 per pass; a neural model by its own scale.
// Nullopt when `model` is neither.
std::optional<UpscaleEngine> localEngine(std::string_view name, std::string_view model,
                                         const std::vector<UpscaleModelInfo>& neural) {
    UpscaleEngine engine;
    engine.name = name;
    engine.provider = "local";
    engine.local = true;
    engine.model = model;
    if (model == kClassicModel) {
        engine.factors = {2, 3, 4, 8};
        return engine;
    }
    const auto found = std::ranges::find_if(
        neural, [&](const UpscaleModelInfo& info) { return info.name == model; });
    if (found == neural.end()) {
        return std::nullopt;
    }
    engine.factors = {found->scale};
    return engine;
}

Result<UpscaleEngine> providerEngine(std::string_view name, std::string provider, std::string model,
                                     const ModelCatalog& models,
                                     const std::vector<UpscaleModelInfo>& neural) {
    UpscaleEngine engine;
    engine.name = name;
    engine.provider = provider;
    if (provider == "stability") {
        const std::string mode = model.empty() ? "fast" : model;
        if (std::ranges::find(kStabilityModes, mode) == kStabilityModes.end()) {
            return fail(ErrorCode::InvalidArgument, "stability upscales are fast, conservative "
                                                    "or creative, not '" +
                                                        mode.substr(0, 32) + "'");
        }
        engine.model = "upscale-" + mode;
        engine.upscaleMode = mode;
        engine.factors = mode == "fast" ? std::vector<int>{4} : std::vector<int>{};
    } else if (provider == "automatic1111") {
        engine.model = "*";
        engine.factors = kAnyFactorUpTo8;
        if (!model.empty()) {
            engine.options["upscaler"] = model;
        }
    } else if (provider == "comfyui") {
        engine.model = "*";
        engine.factors = kAnyFactorUpTo8;
        engine.options["template"] = model.empty() ? "upscale" : model;
    } else if (provider == "google") {
        engine.model = model.empty() ? kDefaultGoogleModel : model;
        const ModelInfo* info = models.find("google", engine.model);
        if (info == nullptr ||
            std::ranges::find(info->imageSizes, "4K") == info->imageSizes.end()) {
            return fail(ErrorCode::InvalidArgument,
                        "google:" + engine.model.substr(0, 64) +
                            " cannot re-render at 4K; use a Nano Banana Pro model such as "
                            "google:" +
                            kDefaultGoogleModel);
        }
        engine.kind = JobKind::EditImage;
        engine.aspectRatios = info->aspectRatios;
    } else if (provider == "local") {
        if (auto local = localEngine(name, model.empty() ? kClassicModel : model, neural)) {
            return std::move(*local);
        }
        return std::unexpected(unknownEngine(name, models, neural));
    } else {
        return fail(ErrorCode::InvalidArgument,
                    "provider " + provider +
                        " does not upscale; use stability, automatic1111, "
                        "comfyui, google or a local engine");
    }
    return engine;
}

// The aspect ratio the model offers nearest to the image's, so the re-render needs the
// least cropping.
std::string nearestAspect(const std::vector<std::string>& ratios, cv::Size image) {
    const double wanted = std::log(static_cast<double>(image.width) / image.height);
    std::string best;
    double bestDistance = 1e9;
    for (const auto& ratio : ratios) {
        int w = 0;
        int h = 0;
        if (std::sscanf(ratio.c_str(), "%d:%d", &w, &h) != 2 || w <= 0 || h <= 0) {
            continue;
        }
        const double distance = std::abs(std::log(static_cast<double>(w) / h) - wanted);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = ratio;
        }
    }
    return best;
}

// The centre of `image` with the aspect ratio of `target`.
cv::Mat croppedToAspect(const cv::Mat& image, cv::Size target) {
    const double wanted = static_cast<double>(target.width) / target.height;
    const double have = static_cast<double>(image.cols) / image.rows;
    if (std::abs(have / wanted - 1.0) <= 0.01) {
        return image;
    }
    cv::Rect keep(0, 0, image.cols, image.rows);
    if (have > wanted) {
        keep.width = std::max(1, static_cast<int>(std::lround(image.rows * wanted)));
        keep.x = (image.cols - keep.width) / 2;
    } else {
        keep.height = std::max(1, static_cast<int>(std::lround(image.cols / wanted)));
        keep.y = (image.rows - keep.height) / 2;
    }
    return image(keep);
}

} // namespace

Result<UpscaleEngine> resolveUpscaleEngine(std::string_view name, const ModelCatalog& models,
                                           const ProviderRegistry& registry,
                                           const std::vector<UpscaleModelInfo>& neuralModels) {
    std::vector<std::string> ids;
    for (const Provider* provider : registry.all()) {
        ids.push_back(provider->id());
    }
    return resolveUpscaleEngine(name, models, ids, neuralModels);
}

Result<UpscaleEngine> resolveUpscaleEngine(std::string_view name, const ModelCatalog& models,
                                           const std::vector<std::string>& providerIds,
                                           const std::vector<UpscaleModelInfo>& neuralModels) {
    const auto has = [&](const std::string& id) {
        return std::ranges::find(providerIds, id) != providerIds.end();
    };
    if (name.empty()) {
        return std::unexpected(unknownEngine(name, models, neuralModels));
    }
    if (name == kLanczos) {
        return *localEngine(name, kClassicModel, neuralModels);
    }
    const auto colon = name.find(':');
    const std::string provider(name.substr(0, colon));
    if (colon != std::string_view::npos || has(provider)) {
        if (!has(provider)) {
            return std::unexpected(unknownEngine(name, models, neuralModels));
        }
        const std::string model(colon == std::string_view::npos ? "" : name.substr(colon + 1));
        return providerEngine(name, provider, model, models, neuralModels);
    }
    if (auto local = localEngine(name, name, neuralModels)) {
        return std::move(*local);
    }
    return std::unexpected(unknownEngine(name, models, neuralModels));
}

std::string defaultUpscaleEngine(const std::vector<UpscaleModelInfo>& neuralModels) {
    const bool installed = std::ranges::any_of(neuralModels, [](const UpscaleModelInfo& model) {
        return model.name == kDefaultNeuralEngine;
    });
    return installed ? std::string(kDefaultNeuralEngine) : std::string(kLanczos);
}

Result<GenerationRequest> upscaleRequest(const UpscaleEngine& engine,
                                         const std::filesystem::path& image, cv::Size source,
                                         const UpscaleTarget& target, int tilePixels) {
    auto size = target.sizeFor(source);
    if (!size) {
        return std::unexpected(size.error());
    }
    GenerationRequest request;
    request.kind = engine.kind;
    request.provider = engine.provider;
    request.model = engine.model;
    request.upscaleMode = engine.upscaleMode;
    request.options = engine.options;
    request.images = {image};
    const double factor = std::max(static_cast<double>(size->width) / source.width,
                                   static_cast<double>(size->height) / source.height);
    if (engine.local) {
        auto plan = UpscalePlan::make(source, *size, engine.factors);
        if (!plan) {
            return std::unexpected(plan.error());
        }
        request.options["upscale_passes"] = plan->passes;
        request.upscaleFactor = plan->passes.empty() ? 0 : plan->passes.front();
    } else if (engine.kind == JobKind::EditImage) {
        request.prompt = kRerenderPrompt;
        request.imageSize = std::max(size->width, size->height) > 2048 ? "4K" : "2K";
        request.aspectRatio = nearestAspect(engine.aspectRatios, source);
    } else if (engine.factors.empty()) {
        // An engine of its own size (Stability conservative and creative): one request.
        request.upscaleFactor = std::min(8, static_cast<int>(std::ceil(factor - 1e-9)));
    } else {
        // A request per pass (UpscaleChain runs them in turn through the queue), the fewest
        // that reach the target: x4 for Stability fast, up to x8 for A1111 and ComfyUI.
        auto plan = UpscalePlan::make(source, *size, engine.factors, kMaxProviderPasses);
        if (!plan) {
            return std::unexpected(plan.error());
        }
        if (plan->passes.empty()) {
            plan->passes.push_back(engine.factors.front()); // a shrink still needs one pass
        }
        request.options["upscale_passes"] = plan->passes;
        request.upscaleFactor = plan->passes.front();
    }
    if (const auto* print = std::get_if<PrintSize>(&target.spec())) {
        request.options["print_dpi"] = *print->dpi;
    }
    request.options["upscale_engine"] = engine.name;
    request.options["upscale_target"] = {
        {"width", size->width}, {"height", size->height}, {"spec", target.text()}};
    if (tilePixels > 0) {
        request.options["tile"] = tilePixels;
    }
    return request;
}

Result<std::filesystem::path> finishUpscaleOutput(const GenerationRequest& request,
                                                  const std::filesystem::path& output) {
    const auto target = upscaleTargetOf(request);
    if (!target) {
        return output;
    }
    if (auto within = checkWithinImageLimits(*target, "the upscale target"); !within) {
        return std::unexpected(within.error());
    }
    auto bytes = readFileBounded(output, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(withContext(bytes.error(), "the provider's result"));
    }
    auto image = decodeImage(*bytes);
    if (!image) {
        return std::unexpected(withContext(image.error(), "the provider's result"));
    }
    if (image->size() == *target && !request.options.contains("print_dpi")) {
        return output;
    }
    const cv::Mat framed = croppedToAspect(*image, *target);
    cv::Mat resized;
    const bool enlarging = target->width > framed.cols || target->height > framed.rows;
    if (framed.size() == *target) {
        resized = framed;
    } else {
        cv::resize(framed, resized, *target, 0, 0, enlarging ? cv::INTER_LANCZOS4 : cv::INTER_AREA);
    }
    EncodeOptions options;
    options.dpi = request.options.value("print_dpi", 0);
    auto png = encodeImage(resized, options);
    if (!png) {
        return std::unexpected(png.error());
    }
    const auto finished =
        output.parent_path() / (output.stem().string() + "-" + std::to_string(target->width) + "x" +
                                std::to_string(target->height) + ".png");
    if (auto written = writeFileAtomically(finished, *png); !written) {
        return std::unexpected(written.error());
    }
    return finished;
}

} // namespace ripen
