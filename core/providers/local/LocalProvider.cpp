#include "providers/local/LocalProvider.h"

#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageLimits.h"
#include "imaging/inpaint/InpaintMask.h"
#include "imaging/inpaint/LocalInpaint.h"
#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/NeuralUpscaler.h"
#include "providers/ProviderSupport.h"

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

// Lanczos for the resample; then add back high frequencies only where the upscale has
// edges, which sharpens contours without lifting noise in flat skies and skin.
cv::Mat classicUpscale(const cv::Mat& input, int factor) {
    cv::Mat up;
    cv::resize(input, up, cv::Size(), factor, factor, cv::INTER_LANCZOS4);
    cv::Mat blurred;
    cv::GaussianBlur(up, blurred, cv::Size(0, 0), 1.0 + 0.25 * factor);
    cv::Mat grey;
    cv::cvtColor(up, grey, up.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    cv::Mat edges;
    cv::Canny(grey, edges, 40, 120);
    cv::dilate(edges, edges, cv::Mat(), cv::Point(-1, -1), factor);
    cv::Mat sharpened;
    cv::addWeighted(up, 1.5, blurred, -0.5, 0, sharpened);
    sharpened.copyTo(up, edges);
    return up;
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
ProviderOutcome<cv::Mat> neuralUpscale(const std::vector<std::filesystem::path>& folders,
                                       const ProviderContext& context,
                                       const GenerationRequest& request, const cv::Mat& input) {
    std::vector<std::filesystem::path> search = folders;
    for (auto& folder :
         ModelRegistry::defaultFolders(context.workDir.parent_path().parent_path())) {
        search.push_back(std::move(folder));
    }
    const auto model = ModelRegistry(search).find(request.model);
    if (!model) {
        return std::unexpected(permanent("no local upscale model named '" + request.model +
                                         "' (classic-upscale, or one `ripen-cli models` lists)"));
    }
    if (request.upscaleFactor != 0 && request.upscaleFactor != model->scale) {
        return std::unexpected(permanent(model->name + " upscales by " +
                                         std::to_string(model->scale) + ", the job asks for x" +
                                         std::to_string(request.upscaleFactor)));
    }
    NullProgress none;
    auto upscaled = NeuralUpscaler::run(*model, input, TileSettings{}, context.stop,
                                        context.progress != nullptr ? *context.progress : none);
    if (!upscaled) {
        if (upscaled.error().code == ErrorCode::Cancelled) {
            return std::unexpected(ProviderFailure{ProviderFailure::Kind::Cancelled, "canceled", 0,
                                                   std::nullopt, std::nullopt});
        }
        return std::unexpected(permanent(upscaled.error().message));
    }
    return std::move(*upscaled);
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
    if (context.stop.stop_requested()) {
        return std::unexpected(ProviderFailure{ProviderFailure::Kind::Cancelled, "canceled", 0,
                                               std::nullopt, std::nullopt});
    }
    cv::Mat output;
    if (request.kind == JobKind::Upscale && !request.model.empty() &&
        request.model != "classic-upscale") {
        auto upscaled = neuralUpscale(m_modelFolders, context, request, *input);
        if (!upscaled) {
            return std::unexpected(upscaled.error());
        }
        output = std::move(*upscaled);
    } else if (request.kind == JobKind::Upscale) {
        const int factor = request.upscaleFactor == 0 ? 2 : request.upscaleFactor;
        if (factor != 2 && factor != 3 && factor != 4 && factor != 8) {
            return std::unexpected(permanent("upscale factor must be 2, 3, 4 or 8"));
        }
        const auto pixels = static_cast<std::uint64_t>(input->cols) * input->rows * factor * factor;
        if (pixels > kMaxImagePixels) {
            return std::unexpected(permanent("a x" + std::to_string(factor) +
                                             " upscale of this image "
                                             "would pass Ripen's 268 million pixel limit"));
        }
        output = classicUpscale(*input, factor);
    } else {
        if (!request.mask) {
            return std::unexpected(permanent("inpaint needs a mask (white = the region to fill)"));
        }
        auto filled = inpaint(*input, *request.mask, request.model);
        if (!filled) {
            return std::unexpected(filled.error());
        }
        output = std::move(*filled);
    }
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
