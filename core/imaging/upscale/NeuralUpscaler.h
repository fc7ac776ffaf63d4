#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"
#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/TiledUpscaler.h"

#include <opencv2/core.hpp>
#include <stop_token>

namespace ripen {

// One neural upscale from start to finish: reads the model, builds the engine and runs it
// tile by tile. For the queue's local provider and the upscale command.
class NeuralUpscaler {
public:
    // `image` is 8-bit BGR or BGRA (as decodeImage() returns it); the result has the same
    // channels at model.scale times the size. Alpha is not something the models were
    // trained on, so it is resampled with Lanczos. Refuses (LimitExceeded) an output over
    // kMaxImagePixels or kMaxImageSide before any work. Errors: the model's (named by
    // file), Cancelled.
    // With `backProject` (the default for every model, see BackProjection) the colour
    // result's low band is brought back to the input's after the tiles; progress then
    // gives the tiles 95% and the back-projection the rest.
    static Result<cv::Mat> run(const UpscaleModelInfo& model, const cv::Mat& image,
                               const TileSettings& tiles, std::stop_token stop,
                               ProgressSink& progress, bool backProject = true);
};

} // namespace ripen
