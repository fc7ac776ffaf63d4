#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>
#include <string_view>
#include <vector>

namespace ripen {

// What an upscaler invented, measured against the original resampled with Lanczos (the
// honest enlargement a reviewer compares with):
//   micro-noise: high-frequency energy in the upscale where the original is smooth (sky,
//   skin, studio backdrops), beyond what the resampled original has there;
//   over-sharpening: overshoot and ringing along edges, i.e. upscale values outside the
//   range the resampled original spans around each pixel (halos, white or dark fringes).
// Both are scored per tile, the worst tiles ranked, and a verdict given. The analysis
// works on luma and walks the image in bands, so an 8K upscale needs a few hundred MB.
class ArtifactAnalysis {
public:
    enum class Verdict { Clean, Check, LikelyArtifacts };

    struct Tile {
        cv::Rect rect;          // in the upscale's pixels
        double noise = 0;       // extra high-frequency energy in smooth parts, luma levels RMS
        double overshoot = 0;   // mean overshoot beyond the local range at edges, luma levels
        double smoothShare = 0; // share of the tile that is smooth in the original
        double score = 0;       // max(noise / kNoiseCheck, overshoot / kOvershootCheck)
    };

    struct Report {
        cv::Size original;
        cv::Size upscaled;
        Verdict verdict = Verdict::Clean;
        double worstNoise = 0; // over tiles with enough smooth area
        double worstOvershoot = 0;
        double meanNoise = 0;
        double meanOvershoot = 0;
        std::vector<Tile> worstTiles; // highest score first, at most Settings::worstTileCount
        // Per-tile maps (one pixel per tile, CV_32F) for an overlay scaled up in the view.
        cv::Mat noiseMap;
        cv::Mat overshootMap;
        // The same figures per block of Settings::mapBlock pixels (CV_32F, luma levels),
        // zero where the measure does not apply (noise outside smooth areas, overshoot
        // away from edges): where in a tile the artifact sits.
        cv::Mat noiseBlocks;
        cv::Mat overshootBlocks;
        int mapBlock = 0; // pixels of the upscale per block
    };

    struct Settings {
        int tileSize = 128;
        int worstTileCount = 10;
        int mapBlock = 8; // divides tileSize
    };

    // Thresholds in luma levels (0-255), set on a x4 Lanczos enlargement of a synthetic
    // scene: Gaussian RGB noise of sigma 1, 2, 3, 6 scores 0.9, 1.5, 2.2, 4.4; an unsharp
    // mask (sigma 3) of amount 0.3, 0.6, 1.0, 1.5 scores 0.5, 1.7, 4.1, 7.3; honest cubic
    // and bilinear enlargements score at most 0.6 on both.
    static constexpr double kNoiseCheck = 1.5;
    static constexpr double kNoiseLikely = 3.0;
    static constexpr double kOvershootCheck = 2.0;
    static constexpr double kOvershootLikely = 4.0;

    // `original` and `upscaled` as decodeImage returns them (8-bit BGR or BGRA). Errors:
    // InvalidArgument when the upscale is smaller than the original or its aspect ratio
    // differs by more than 1% (the message gives both sizes).
    static Result<Report> analyse(const cv::Mat& original, const cv::Mat& upscaled,
                                  const Settings& settings);
    static Result<Report> analyse(const cv::Mat& original, const cv::Mat& upscaled) {
        return analyse(original, upscaled, Settings{});
    }
};

std::string_view toString(ArtifactAnalysis::Verdict verdict);

} // namespace ripen
