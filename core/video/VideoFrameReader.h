#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <opencv2/core/mat.hpp>

namespace ripen {

struct DecodedFrame {
    cv::Mat
        bgr; // 8-bit BGR at the reader's output size (rows may be padded); reused by the next call
    double seconds = 0; // presentation time from the stream's start
    bool keyframe = false;
};

// Decodes the best video stream of an untrusted MP4/MOV/WebM file frame by frame, in
// presentation order, converted to BGR (optionally resized, for analysis at a small
// size). Opens with the same checks as probeVideo. Memory is one frame plus the decoder's
// own references. A stretch of kMaxPacketsWithoutFrame packets that yields no picture is
// Corrupt, so a damaged file cannot spin. Blocks; one thread per reader.
class VideoFrameReader {
public:
    // `outputSize` empty: frames at the stream's own size; a width with height 0: that
    // width, the height following the stream's aspect (rounded to even).
    static Result<std::unique_ptr<VideoFrameReader>> open(const std::filesystem::path& path,
                                                          cv::Size outputSize = {});
    ~VideoFrameReader();
    VideoFrameReader(const VideoFrameReader&) = delete;
    VideoFrameReader& operator=(const VideoFrameReader&) = delete;

    // The next frame into `frame`; false at the end of the stream.
    Result<bool> next(DecodedFrame& frame);

    int width() const; // the stream's own size, pixels
    int height() const;
    double fps() const;             // the average frame rate; 0 when unknown
    double durationSeconds() const; // the container's figure; 0 when unknown

private:
    struct State;
    explicit VideoFrameReader(std::unique_ptr<State> state);
    Status convert(DecodedFrame& frame);

    std::unique_ptr<State> m_state;
};

inline constexpr int kMaxPacketsWithoutFrame = 500;

// Decodes every frame of `clip` in order (at `outputSize`, as VideoFrameReader::open takes
// it) and hands each to `visit` with its index from 0. Stops at the end, at the first error
// `visit` returns, or with Cancelled when `progress` asks. Progress counts frames.
Status forEachFrame(const std::filesystem::path& clip, cv::Size outputSize, ProgressSink& progress,
                    const std::function<Status(int index, const DecodedFrame& frame)>& visit);

} // namespace ripen
