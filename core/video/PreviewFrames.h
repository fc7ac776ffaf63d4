#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"
#include "video/CameraMove.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

namespace ripen {

// 8-bit pixels, three bytes each, rows `stride` bytes apart: the form a UI's decoded image
// or frame takes, so the Motion view can preview without linking OpenCV. The channel order
// is the caller's (warping keeps it); decoded clip frames are B, G, R.
struct Pixels3 {
    const std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    std::size_t stride = 0;
};

// A preview frame and, for a move, the crop of the still it shows (source pixels).
using PreviewFrameSink = std::function<Status(const Pixels3& frame, const CropRect& crop)>;

struct MovePreviewRequest {
    CameraMove move = CameraMove::ZoomIn;
    std::optional<CameraPath> path; // a keyframed path (source pixels) instead of `move`
    double durationSeconds = 0;
    double outputAspect = 16.0 / 9.0; // the video's width / height
    int width = 0;                    // the preview frame, pixels
    int height = 0;
    int fps = 0; // the preview's rate
};

// Renders the preset `move` (or the keyframed `path`) over `still` frame by frame at the preview's
// size, with the sampling of the MP4 render (renderMoveFrames), and hands each frame to `frame`
// (the buffer is reused: copy what you keep). Errors: those of renderMoveFrames.
Status renderMovePreview(const Pixels3& still, const MovePreviewRequest& request,
                         const PreviewFrameSink& frame, ProgressSink& progress);

// Decodes every frame of `clip` at `width` pixels wide (the height keeps the aspect) and
// hands it to `frame` with its index (crop empty). Errors: those of forEachFrame.
Status decodeClipFrames(const std::filesystem::path& clip, int width,
                        const std::function<Status(int index, const Pixels3& frame)>& frame,
                        ProgressSink& progress);

} // namespace ripen
