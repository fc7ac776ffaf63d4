#include "imaging/upscale/NeuralUpscaler.h"

#include "imaging/ImageLimits.h"
#include "imaging/upscale/SrEngine.h"

#include <opencv2/imgproc.hpp>

namespace ripen {

Result<cv::Mat> NeuralUpscaler::run(const UpscaleModelInfo& model, const cv::Mat& image,
                                    const TileSettings& tiles, std::stop_token stop,
                                    ProgressSink& progress) {
    if (image.depth() != CV_8U || (image.channels() != 3 && image.channels() != 4)) {
        return fail(ErrorCode::InvalidArgument, "the image must be 8-bit BGR or BGRA");
    }
    const auto width = static_cast<std::uint64_t>(image.cols) * model.scale;
    const auto height = static_cast<std::uint64_t>(image.rows) * model.scale;
    if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels) {
        return fail(ErrorCode::LimitExceeded,
                    "a x" + std::to_string(model.scale) + " upscale of this " +
                        std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                        " image would pass Ripen's limit of 16384 px a side, 268 million pixels");
    }
    auto network = ModelRegistry::load(model);
    if (!network) {
        return std::unexpected(network.error());
    }
    auto engine = SrEngine::create(std::move(*network));
    if (!engine) {
        return std::unexpected(withContext(engine.error(), model.path.string()));
    }
    cv::Mat colour = image;
    if (image.channels() == 4) {
        cv::cvtColor(image, colour, cv::COLOR_BGRA2BGR);
    }
    auto upscaled = TiledUpscaler(*engine, tiles).run(colour, stop, progress);
    if (!upscaled || image.channels() == 3) {
        return upscaled;
    }
    cv::Mat alpha;
    cv::extractChannel(image, alpha, 3);
    cv::resize(alpha, alpha, upscaled->size(), 0, 0, cv::INTER_LANCZOS4);
    cv::Mat withAlpha;
    cv::merge(std::vector<cv::Mat>{*upscaled, alpha}, withAlpha);
    return withAlpha;
}

} // namespace ripen
