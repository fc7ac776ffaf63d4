#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"
#include "video/CameraPath.h"
#include "video/H264Mp4Writer.h"

#include <filesystem>
#include <functional>
#include <opencv2/core/mat.hpp>

namespace ripen {

inline constexpr double kMaxMoveSeconds = 600;

struct MoveRender {
    CameraPath path;
    double durationSeconds = 0;
    H264Settings video; // output size, fps, crf, preset
};

// Frames in a render: the duration rounded to whole frames.
std::int64_t frameCount(double durationSeconds, int fps);

// Checks the duration against (0, kMaxMoveSeconds]; the error names "duration".
Status validateDuration(double durationSeconds);

// Refuses a still smaller than the output: every frame would be an upscale, which Ripen
// leaves to an upscaler (the error says so). `still` is the decoded image's size.
Status checkStillCoversOutput(int stillWidth, int stillHeight, const H264Settings& video);

// Renders the camera path over `still` (8-bit BGR, BGRA or grey) into an H.264 MP4 at
// `target`. Each frame samples its float crop rectangle with one bilinear affine warp,
// so motion is sub-pixel smooth. The still is first reduced once to about the finest
// resolution any frame needs, plus half-size levels below it; a frame warps from the
// smallest level that is still at least as fine as it needs, so per-frame work follows
// the output size rather than the still's.
// Progress counts frames; a cancel returns Cancelled and leaves no file at `target`.
Status renderMove(const cv::Mat& still, const MoveRender& render,
                  const std::filesystem::path& target, ProgressSink& progress);

// The frames renderMove would encode, each handed to `frame` (8-bit BGR at the render's
// size; the same buffer every call, so copy what you keep) instead of a file: the Motion
// view's preview at a small size. Checks the duration and the path, not the encoder's
// settings nor that the still covers the size. Stops at the first error `frame` returns;
// a cancel returns Cancelled.
using MoveFrameSink = std::function<Status(const cv::Mat& frame)>;
Status renderMoveFrames(const cv::Mat& still, const MoveRender& render, const MoveFrameSink& frame,
                        ProgressSink& progress);

} // namespace ripen
