#include "imaging/review/ArtifactOverlay.h"

#include "common/FileIo.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>

namespace ripen {
namespace {

struct Thresholds {
    double check;
    double likely;
};

Thresholds thresholdsOf(ArtifactMap map) {
    return map == ArtifactMap::Noise
               ? Thresholds{ArtifactAnalysis::kNoiseCheck, ArtifactAnalysis::kNoiseLikely}
               : Thresholds{ArtifactAnalysis::kOvershootCheck, ArtifactAnalysis::kOvershootLikely};
}

const cv::Mat& blocksOf(const ArtifactAnalysis::Report& report, ArtifactMap map) {
    return map == ArtifactMap::Noise ? report.noiseBlocks : report.overshootBlocks;
}

cv::Vec4b colourFor(float value, Thresholds t) {
    if (value < t.check) {
        return {0, 0, 0, 0};
    }
    // From amber at "check" to red at "likely"; opacity climbs on to twice "likely".
    const double toLikely = std::clamp((value - t.check) / (t.likely - t.check), 0.0, 1.0);
    const double beyond = std::clamp((value - t.likely) / t.likely, 0.0, 1.0);
    const auto green = static_cast<uchar>(190 * (1.0 - toLikely));
    const auto alpha = static_cast<uchar>(70 + 50 * toLikely + 30 * beyond);
    return {0, green, 255, alpha};
}

Status writeEncoded(const std::filesystem::path& file, const cv::Mat& image) {
    std::vector<uchar> bytes;
    try {
        if (!cv::imencode(file.extension().string(), image, bytes)) {
            return fail(ErrorCode::Io, "could not encode " + file.string());
        }
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Io, "could not encode " + file.string() + ": " + e.what());
    }
    return writeFileAtomically(
        file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

} // namespace

cv::Mat artifactOverlay(const ArtifactAnalysis::Report& report, ArtifactMap map) {
    const cv::Mat& blocks = blocksOf(report, map);
    const Thresholds t = thresholdsOf(map);
    cv::Mat overlay(blocks.size(), CV_8UC4);
    for (int y = 0; y < blocks.rows; ++y) {
        const float* in = blocks.ptr<float>(y);
        auto* out = overlay.ptr<cv::Vec4b>(y);
        for (int x = 0; x < blocks.cols; ++x) {
            out[x] = colourFor(in[x], t);
        }
    }
    return overlay;
}

Status writeArtifactMaps(const ArtifactAnalysis::Report& report, const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return fail(ErrorCode::Io, "could not create " + dir.string() + ": " + ec.message());
    }
    for (const auto& [map, name] : {std::pair{ArtifactMap::Noise, "noise-map"},
                                    std::pair{ArtifactMap::Overshoot, "overshoot-map"}}) {
        if (auto png =
                writeEncoded(dir / (std::string(name) + ".png"), artifactOverlay(report, map));
            !png) {
            return png;
        }
        if (auto tiff = writeEncoded(dir / (std::string(name) + ".tiff"), blocksOf(report, map));
            !tiff) {
            return tiff;
        }
    }
    return {};
}

} // namespace ripen
