#include "imaging/upscale/NeuralUpscaler.h"

#include "imaging/ImageLimits.h"
#include "imaging/upscale/BackProjection.h"
#include "imaging/upscale/SrEngine.h"

#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

// Reports a step's own (done, total) as the share [from, to) of per-mille of the whole.
class ShareOfProgress final : public ProgressSink {
public:
    ShareOfProgress(ProgressSink& parent, std::int64_t from, std::int64_t to)
        : m_parent(parent), m_from(from), m_to(to) {}

    void report(std::int64_t done, std::int64_t total, std::string_view message) override {
        const std::int64_t within = total > 0 ? done * (m_to - m_from) / total : 0;
        m_parent.report(m_from + within, kWhole, message);
    }
    bool cancelled() const override { return m_parent.cancelled(); }

    static constexpr std::int64_t kWhole = 1000;

private:
    ProgressSink& m_parent;
    std::int64_t m_from;
    std::int64_t m_to;
};

constexpr std::int64_t kTilesShare = 950;

// The tiles, then (with `backProject`) the back-projection onto `colour`.
Result<cv::Mat> upscaleColour(SrEngine& engine, const cv::Mat& colour, const TileSettings& tiles,
                              std::stop_token stop, ProgressSink& progress, bool backProject) {
    if (!backProject) {
        return TiledUpscaler(engine, tiles).run(colour, stop, progress);
    }
    ShareOfProgress tileProgress(progress, 0, kTilesShare);
    auto upscaled = TiledUpscaler(engine, tiles).run(colour, stop, tileProgress);
    if (!upscaled) {
        return upscaled;
    }
    ShareOfProgress projectionProgress(progress, kTilesShare, ShareOfProgress::kWhole);
    if (auto projected = BackProjection::apply(colour, *upscaled, stop, projectionProgress);
        !projected) {
        return std::unexpected(projected.error());
    }
    return upscaled;
}

} // namespace

Result<cv::Mat> NeuralUpscaler::run(const UpscaleModelInfo& model, const cv::Mat& image,
                                    const TileSettings& tiles, std::stop_token stop,
                                    ProgressSink& progress, bool backProject) {
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
    auto upscaled = upscaleColour(*engine, colour, tiles, stop, progress, backProject);
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
