#pragma once

#include "common/Error.h"
#include "imaging/inpaint/InpaintSettings.h"
#include "imaging/inpaint/LocalInpaint.h"

#include <opencv2/core/mat.hpp>

namespace ripen {

// The two halves of every inpaint, whoever the engine is: what the engine is given, and
// how its answer becomes the result. Between them the engine may be a local fill or a
// paid provider on the other side of the job queue; both halves are deterministic, so a
// job resumed after a restart sends and composites the same pixels.

struct EngineInput {
    cv::Mat image; // the whole image, or with onlyMasked the context box at its work size
    cv::Mat mask;  // Ripen's convention, the same size as `image`
};

// `mask` must already be checked (loadInpaintMask) against `original`.
EngineInput engineInput(const cv::Mat& original, const cv::Mat& mask,
                        const InpaintSettings& settings);

// The engine's answer pasted back (into the context box with onlyMasked) and composited
// through the mask: outside the mask and its feather the result is `original` bit for bit.
// Errors: those of compositeThroughMask.
Result<cv::Mat> resultFromEngine(const cv::Mat& original, const cv::Mat& mask,
                                 const cv::Mat& engineOutput, const InpaintSettings& settings);

// Both halves around a local engine, in memory (used by the benchmark and the editor).
Result<cv::Mat> inpaintLocally(const cv::Mat& original, const cv::Mat& mask,
                               LocalInpaintEngine engine, const InpaintSettings& settings);

} // namespace ripen
