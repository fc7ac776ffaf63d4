#include "providers/local/LocalProvider.h"

#include "common/FileIo.h"
#include "common/PartProgress.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageLimits.h"
#include "imaging/inpaint/InpaintMask.h"
#include "imaging/inpaint/LocalInpaint.h"
#include "imaging/upscale/ClassicUpscaler.h"
#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/NeuralUpscaler.h"
#include "imaging/upscale/UpscaleTarget.h"
#include "providers/ProviderSupport.h"
#include "providers/UpscaleOptions.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

ProviderFailure permanent(std::string message) {
    return ProviderFailure{ProviderFailure::Kind::Permanent, std::move(message), 0, std::nullopt,
                           std::nullopt};
}

ProviderOutcome<cv::Mat> loadInput(const std::filesystem::path& path, const char* what) {
    auto bytes = readFileBounded(path, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(permanent(std::string(what) + ": " + bytes.error().message));
    }
    auto image = decodeImage(*bytes);
    if (!image) {
        return std::unexpected(permanent(std::string(what) + ": " + image.error().message));
    }
    return *image;
}

ProviderFailure cancelled() {
    return ProviderFailure{ProviderFailure::Kind::Cancelled, "canceled", 0, std::nullopt,
                           std::nullopt};
}

bool stopped(const ProviderContext& context, const ProgressSink& progress) {
    return context.stop.stop_requested() || progress.cancelled();
}

ProviderOutcome<cv::Mat> classicPass(const cv::Mat& image, int factor,
                                     const ProviderContext& context, ProgressSink& progress) {
    auto upscaled = ClassicUpscaler::run(image, factor, context.stop, progress);
    if (!upscaled) {
        if (upscaled.error().code == ErrorCode::Cancelled) {
            return std::unexpected(cancelled());
        }
        return std::unexpected(permanent(upscaled.error().message));
    }
    return std::move(*upscaled);
}

// The engine fills the marked pixels; everything else is copied from the input here, and
// the job runner composites the result through the feathered mask once more before it
// becomes an asset, so neither step can change a pixel outside the mask.
ProviderOutcome<cv::Mat> inpaint(const cv::Mat& input, const std::filesystem::path& maskPath,
                                 const std::string& model) {
    const auto engine = localInpaintEngine(model);
    if (!engine) {
        return std::unexpected(permanent("no local inpaint engine named '" + model +
                                         "' (telea, navier-stokes, fsr-fast, fsr-best)"));
    }
    auto mask = loadMaskPlane(maskPath, input.size());
    if (!mask) {
        return std::unexpected(permanent(mask.error().message));
    }
    auto filled = fillLocally(input, *mask, *engine);
    if (!filled) {
        return std::unexpected(permanent(filled.error().message));
    }
    cv::Mat result = input.clone();
    filled->copyTo(result, *mask != 0);
    return result;
}

// The job's work folder is <library>/jobs/<key> (JobRunner), so the library's own models
// folder is two levels up.
ProviderOutcome<UpscaleModelInfo> findNeuralModel(const std::vector<std::filesystem::path>& folders,
                                                  const ProviderContext& context,
                                                  const std::string& name) {
    std::vector<std::filesystem::path> search = folders;
    for (auto& folder :
         ModelRegistry::defaultFolders(context.workDir.parent_path().parent_path())) {
        search.push_back(std::move(folder));
    }
    auto model = ModelRegistry(search).find(name);
    if (!model) {
        return std::unexpected(permanent("no local upscale model named '" + name +
                                         "' (classic-upscale, or one `ripen-cli models` lists)"));
    }
    return std::move(*model);
}

ProviderOutcome<cv::Mat> neuralPass(const UpscaleModelInfo& model, const cv::Mat& image,
                                    const GenerationRequest& request,
                                    const ProviderContext& context, ProgressSink& progress) {
    TileSettings tiles;
    if (const auto tile = request.options.find("tile");
        tile != request.options.end() && tile->is_number_integer() && tile->get<int>() > 0) {
        tiles.tile = tile->get<int>();
    }
    // Back-projection is on unless the request turns it off ("back_projection": false).
    const auto projection = request.options.find("back_projection");
    const bool backProject =
        projection == request.options.end() || !projection->is_boolean() || projection->get<bool>();
    auto upscaled = NeuralUpscaler::run(model, image, tiles, context.stop, progress, backProject);
    if (!upscaled) {
        if (upscaled.error().code == ErrorCode::Cancelled) {
            return std::unexpected(cancelled());
        }
        return std::unexpected(permanent(upscaled.error().message));
    }
    return std::move(*upscaled);
}

// The passes of the request ("upscale_passes", else one of upscaleFactor, else the
// model's own scale) in order, each by the classic engine or the named neural model; the
// queue's finishing step brings the result to the exact target size. Cancel is honoured
// between passes and inside them (between a model's tiles, between the classic engine's
// bands). Stage texts name the pass: "pass 1/2 x4: tile 3/24".
ProviderOutcome<cv::Mat> upscaleInPasses(const std::vector<std::filesystem::path>& folders,
                                         const ProviderContext& context, const cv::Mat& input,
                                         const GenerationRequest& request, ProgressSink& progress) {
    std::optional<UpscaleModelInfo> model;
    if (!request.model.empty() && request.model != "classic-upscale") {
        auto found = findNeuralModel(folders, context, request.model);
        if (!found) {
            return std::unexpected(found.error());
        }
        model = std::move(*found);
    }
    std::vector<int> passes = upscalePassesOf(request);
    if (passes.empty() && !upscaleTargetOf(request)) {
        passes.push_back(request.upscaleFactor != 0 ? request.upscaleFactor
                         : model                    ? model->scale
                                                    : 2);
    }
    cv::Mat image = input;
    for (std::size_t i = 0; i < passes.size(); ++i) {
        const int factor = passes[i];
        if (model && factor != model->scale) {
            return std::unexpected(permanent(model->name + " upscales by " +
                                             std::to_string(model->scale) + ", the job asks for x" +
                                             std::to_string(factor)));
        }
        if (factor != 2 && factor != 3 && factor != 4 && factor != 8) {
            return std::unexpected(permanent("upscale factor must be 2, 3, 4 or 8"));
        }
        const cv::Size next(image.cols * factor, image.rows * factor);
        if (auto within = checkWithinImageLimits(next, "a x" + std::to_string(factor) +
                                                           " upscale of this image");
            !within) {
            return std::unexpected(permanent(within.error().message));
        }
        if (stopped(context, progress)) {
            return std::unexpected(cancelled());
        }
        PartProgress pass(progress, static_cast<std::int64_t>(i),
                          static_cast<std::int64_t>(passes.size()),
                          "pass " + std::to_string(i + 1) + "/" + std::to_string(passes.size()) +
                              " x" + std::to_string(factor) + ": ");
        pass.report(0, 1, "starting");
        auto upscaled = model ? neuralPass(*model, image, request, context, pass)
                              : classicPass(image, factor, context, pass);
        if (!upscaled) {
            return std::unexpected(upscaled.error());
        }
        image = std::move(*upscaled);
    }
    return image;
}

} // namespace

LocalProvider::LocalProvider(std::vector<std::filesystem::path> modelFolders)
    : m_modelFolders(std::move(modelFolders)) {}

bool LocalProvider::supports(JobKind kind) const {
    return kind == JobKind::Upscale || kind == JobKind::Inpaint || kind == JobKind::Erase;
}

ProviderOutcome<ProviderResult> LocalProvider::submit(const ProviderContext& context,
                                                      const GenerationRequest& request) {
    if (request.images.empty()) {
        return std::unexpected(permanent("local engines need an input image"));
    }
    auto input = loadInput(request.images.front(), "input image");
    if (!input) {
        return std::unexpected(input.error());
    }
    NullProgress none;
    ProgressSink& progress = context.progress != nullptr ? *context.progress : none;
    if (stopped(context, progress)) {
        return std::unexpected(cancelled());
    }
    cv::Mat output;
    if (request.kind == JobKind::Upscale) {
        auto upscaled = upscaleInPasses(m_modelFolders, context, *input, request, progress);
        if (!upscaled) {
            return std::unexpected(upscaled.error());
        }
        output = std::move(*upscaled);
    } else {
        if (!request.mask) {
            return std::unexpected(permanent("inpaint needs a mask (white = the region to fill)"));
        }
        // One OpenCV call that cannot be interrupted: cancel is honoured on either side.
        progress.report(0, 1, "filling the masked region");
        auto filled = inpaint(*input, *request.mask, request.model);
        if (!filled) {
            return std::unexpected(filled.error());
        }
        output = std::move(*filled);
    }
    // A canceled job leaves no output behind: nothing is written after the stop.
    if (stopped(context, progress)) {
        return std::unexpected(cancelled());
    }
    progress.report(1, 1, "saving the result");
    std::vector<uchar> png;
    if (!cv::imencode(".png", output, png)) {
        return std::unexpected(permanent("could not encode the result as PNG"));
    }
    auto saved = providers::saveGeneratedImage(
        context.workDir, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
    if (!saved) {
        return std::unexpected(permanent(saved.error().message));
    }
    ProviderResult result;
    result.outputs.push_back(*saved);
    result.modelVersion = "opencv " CV_VERSION;
    result.usage.costMicros = 0;
    return result;
}

} // namespace ripen
