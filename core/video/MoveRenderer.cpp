#include "video/MoveRenderer.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace ripen {
namespace {

// One reduction of the still; `scale` is its pixels per source pixel.
struct Level {
    cv::Mat image;
    double scale = 1;
};

cv::Mat toBgr(const cv::Mat& still) {
    cv::Mat bgr;
    if (still.channels() == 4) {
        cv::cvtColor(still, bgr, cv::COLOR_BGRA2BGR);
    } else if (still.channels() == 1) {
        cv::cvtColor(still, bgr, cv::COLOR_GRAY2BGR);
    } else {
        bgr = still;
    }
    return bgr;
}

// The levels a render needs: the still reduced (INTER_AREA, once) to the finest scale any
// frame asks for, then pyramid halvings down to the coarsest.
std::vector<Level> buildLevels(const cv::Mat& bgr, double finest, double coarsest) {
    std::vector<Level> levels;
    const double top = std::min(1.0, finest);
    Level first{bgr, 1};
    if (top < 0.999) {
        cv::resize(bgr, first.image,
                   cv::Size(std::max(1, static_cast<int>(std::lround(bgr.cols * top))),
                            std::max(1, static_cast<int>(std::lround(bgr.rows * top)))),
                   0, 0, cv::INTER_AREA);
        first.scale = static_cast<double>(first.image.cols) / bgr.cols;
    }
    levels.push_back(std::move(first));
    while (levels.back().scale / 2 >= coarsest && levels.back().image.cols >= 32) {
        Level half;
        cv::pyrDown(levels.back().image, half.image);
        half.scale = levels.back().scale * half.image.cols / levels.back().image.cols;
        levels.push_back(std::move(half));
    }
    return levels;
}

const Level& levelFor(const std::vector<Level>& levels, double needed) {
    const Level* best = &levels.front();
    for (const Level& level : levels) {
        if (level.scale + 1e-9 >= needed) {
            best = &level;
        }
    }
    return *best;
}

// Samples `rect` (source pixels) of the still into `out` through one of its levels. The
// inverse map takes an output pixel centre to the level's coordinates.
void sampleCrop(const Level& level, const CropRect& rect, cv::Mat& out) {
    const double sx = rect.width / out.cols * level.scale;
    const double sy = rect.height / out.rows * level.scale;
    const double tx = rect.x * level.scale + 0.5 * sx - 0.5;
    const double ty = rect.y * level.scale + 0.5 * sy - 0.5;
    const cv::Matx23d map(sx, 0, tx, 0, sy, ty);
    cv::warpAffine(level.image, out, map, out.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                   cv::BORDER_REPLICATE);
}

} // namespace

std::int64_t frameCount(double durationSeconds, int fps) {
    return std::max<std::int64_t>(1, std::llround(durationSeconds * fps));
}

Status validateDuration(double durationSeconds) {
    if (!std::isfinite(durationSeconds) || durationSeconds <= 0 ||
        durationSeconds > kMaxMoveSeconds) {
        return fail(ErrorCode::InvalidArgument,
                    "duration: must be more than 0 and at most " +
                        std::to_string(static_cast<int>(kMaxMoveSeconds)) + " seconds");
    }
    return {};
}

Status checkStillCoversOutput(int stillWidth, int stillHeight, const H264Settings& video) {
    const double aspect = static_cast<double>(video.width) / video.height;
    double cropWidth = std::min<double>(stillWidth, stillHeight * aspect);
    if (cropWidth + 0.5 < video.width) {
        return fail(ErrorCode::InvalidArgument,
                    "the still is " + std::to_string(stillWidth) + "x" +
                        std::to_string(stillHeight) + " px, smaller than the " +
                        std::to_string(video.width) + "x" + std::to_string(video.height) +
                        " output: upscale it first (ripen-cli generate --kind upscale)");
    }
    return {};
}

namespace {

// The crops of every frame, and the finest and coarsest scales they sample at.
struct FramePlan {
    std::vector<CropRect> rects;
    double finest = 0;
    double coarsest = 1e9;
};

Result<FramePlan> planFrames(const MoveRender& render) {
    const int fps = render.video.fps;
    const std::int64_t frames = frameCount(render.durationSeconds, fps);
    FramePlan plan;
    plan.rects.reserve(static_cast<std::size_t>(frames));
    for (std::int64_t i = 0; i < frames; ++i) {
        const CropRect rect = render.path.at(static_cast<double>(i) / fps);
        if (rect.width < 1 || rect.height < 1) {
            return fail(ErrorCode::InvalidArgument, "path: a crop is smaller than one pixel");
        }
        const double needed = render.video.width / rect.width;
        plan.finest = std::max(plan.finest, needed);
        plan.coarsest = std::min(plan.coarsest, needed);
        plan.rects.push_back(rect);
    }
    return plan;
}

Status checkStill(const cv::Mat& still) {
    if (still.empty() || still.depth() != CV_8U) {
        return fail(ErrorCode::InvalidArgument, "the still must be an 8-bit image");
    }
    return {};
}

} // namespace

Status renderMoveFrames(const cv::Mat& still, const MoveRender& render, const MoveFrameSink& frame,
                        ProgressSink& progress) {
    if (auto ok = validateDuration(render.durationSeconds); !ok) {
        return ok;
    }
    if (auto ok = checkStill(still); !ok) {
        return ok;
    }
    if (render.video.width < 1 || render.video.height < 1 || render.video.fps < 1) {
        return fail(ErrorCode::InvalidArgument, "size: the frames must be at least 1x1 at 1 fps");
    }
    auto plan = planFrames(render);
    if (!plan) {
        return std::unexpected(plan.error());
    }
    const std::vector<Level> levels = buildLevels(toBgr(still), plan->finest, plan->coarsest);
    const auto frames = static_cast<std::int64_t>(plan->rects.size());
    cv::Mat out(render.video.height, render.video.width, CV_8UC3);
    for (std::int64_t i = 0; i < frames; ++i) {
        if (progress.cancelled()) {
            return fail(ErrorCode::Cancelled, "rendering cancelled");
        }
        const CropRect& rect = plan->rects[static_cast<std::size_t>(i)];
        sampleCrop(levelFor(levels, render.video.width / rect.width), rect, out);
        if (auto ok = frame(out); !ok) {
            return ok;
        }
        progress.report(i + 1, frames, "rendering frames");
    }
    return {};
}

Status renderMove(const cv::Mat& still, const MoveRender& render,
                  const std::filesystem::path& target, ProgressSink& progress) {
    if (auto ok = validateDuration(render.durationSeconds); !ok) {
        return ok;
    }
    if (auto ok = validateH264Settings(render.video); !ok) {
        return ok;
    }
    if (auto ok = checkStill(still); !ok) {
        return ok;
    }
    if (auto ok = checkStillCoversOutput(still.cols, still.rows, render.video); !ok) {
        return ok;
    }
    auto writer = H264Mp4Writer::create(target, render.video);
    if (!writer) {
        return std::unexpected(writer.error());
    }
    auto written = renderMoveFrames(
        still, render, [&](const cv::Mat& frame) { return (*writer)->write(frame); }, progress);
    if (!written) {
        return written;
    }
    return (*writer)->finish();
}

} // namespace ripen
