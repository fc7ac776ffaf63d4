#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"
#include "imaging/upscale/SrEngine.h"

#include <opencv2/core.hpp>
#include <stop_token>

namespace ripen {

// Tile geometry in input pixels.
struct TileSettings {
    int tile = 192;  // side of the part of the input each tile is responsible for
    int blend = 8;   // width over which neighbouring tiles cross-fade (linear ramps)
    int margin = -1; // context read beyond the blend zone and discarded; -1 = the model's
                     // receptive radius, capped at kMaxAutoMargin
    static constexpr int kMaxAutoMargin = 48;
};

// Upscales an image of any size with an SrEngine in bounded memory: the input is cut into
// tiles, each tile is run with `margin` pixels of real context around it, and neighbours
// cross-fade over `blend` pixels, accumulated in float and rounded to 8 bits once. With a
// margin at least the model's receptive radius every tile sees what the whole image would
// show it, so the result equals untiled inference up to float rounding (image borders are
// the image's, never a tile's; with the model's edgePad, the mirrored border's). Memory: one
// float strip of tile rows across the output width plus one tile's activations, whatever the image
// size.
class TiledUpscaler {
public:
    TiledUpscaler(SrEngine& engine, TileSettings settings);

    // `bgr` is CV_8UC3. Reports (tiles done, tiles, message) after each tile; checks `stop`
    // and `progress.cancelled()` before each tile (Cancelled).
    Result<cv::Mat> run(const cv::Mat& bgr, std::stop_token stop, ProgressSink& progress);

private:
    Result<cv::Mat> runTiles(const cv::Mat& bgr, std::stop_token stop, ProgressSink& progress);

    SrEngine& m_engine;
    TileSettings m_settings;
};

} // namespace ripen
