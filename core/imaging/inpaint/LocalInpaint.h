#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>
#include <optional>
#include <string_view>

namespace ripen {

// The inpaint engines that run on this machine, for object removal without credits.
enum class LocalInpaintEngine {
    Telea,        // OpenCV photo: fast marching (Telea 2004)
    NavierStokes, // OpenCV photo: fluid-dynamics based (Bertalmio 2001)
    FsrFast,      // OpenCV xphoto: frequency selective reconstruction, fast profile
    FsrBest,      // the same, best profile (much slower)
};

// The model ids of resources/models.json: "telea", "navier-stokes", "fsr-fast", "fsr-best".
std::optional<LocalInpaintEngine> localInpaintEngine(std::string_view modelId);

// Fills the marked pixels (mask != 0) of `image` (8-bit grey, BGR or BGRA; an alpha
// channel is carried through unchanged) with `engine`. Returns the engine's whole image:
// callers paste it back with compositeThroughMask, which is what keeps every other pixel
// exact. Blocks for the fill (seconds on a 4K image for FSR). Thread-safe.
// Errors: InvalidArgument (mask of another size or type), Internal (OpenCV failed).
Result<cv::Mat> fillLocally(const cv::Mat& image, const cv::Mat& mask, LocalInpaintEngine engine);

} // namespace ripen
