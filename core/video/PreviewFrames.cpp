#include "video/PreviewFrames.h"

#include "video/MoveRenderer.h"
#include "video/VideoFrameReader.h"

#include <opencv2/core.hpp>

namespace ripen {
namespace {

Pixels3 pixelsOf(const cv::Mat& mat) {
    return Pixels3{mat.data, mat.cols, mat.rows, mat.step};
}

} // namespace

Status renderMovePreview(const Pixels3& still, const MovePreviewRequest& request,
                         const PreviewFrameSink& frame, ProgressSink& progress) {
    if (still.data == nullptr || still.width < 1 || still.height < 1) {
        return fail(ErrorCode::InvalidArgument, "the still is empty");
    }
    // A view of the caller's pixels; core only reads them.
    const cv::Mat source(still.height, still.width, CV_8UC3, const_cast<std::uint8_t*>(still.data),
                         still.stride);
    MoveRender render;
    render.durationSeconds = request.durationSeconds;
    render.path = request.path ? *request.path
                               : cameraMovePath(request.move, still.width, still.height,
                                                request.outputAspect, request.durationSeconds);
    render.video.width = request.width;
    render.video.height = request.height;
    render.video.fps = request.fps;
    std::int64_t index = 0;
    return renderMoveFrames(
        source, render,
        [&](const cv::Mat& out) {
            const CropRect crop = render.path.at(static_cast<double>(index++) / request.fps);
            return frame(pixelsOf(out), crop);
        },
        progress);
}

Status decodeClipFrames(const std::filesystem::path& clip, int width,
                        const std::function<Status(int index, const Pixels3& frame)>& frame,
                        ProgressSink& progress) {
    return forEachFrame(clip, cv::Size(width, 0), progress,
                        [&](int index, const DecodedFrame& decoded) {
                            return frame(index, pixelsOf(decoded.bgr));
                        });
}

} // namespace ripen
