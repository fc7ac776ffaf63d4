#pragma once

#include "common/Error.h"
#include "video/H264Settings.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <string>

namespace ripen {

// Encodes 8-bit BGR frames to H.264 (libx264 through libavcodec, yuv420p, BT.709 limited
// range) in an MP4 with the index at the front (movflags +faststart), so a browser or a
// player starts before the whole file is read.
//
// The file is written beside `target` under a temporary name and appears at `target` only
// when finish() succeeds (fsync, rename, fsync of the folder); a writer destroyed before
// that, by an error or a cancel, removes the temporary file. Memory is bounded by the
// encoder's lookahead, not by the clip length: frames are converted and sent one at a time.
// Not thread-safe; one thread drives a writer.
class H264Mp4Writer {
public:
    static Result<std::unique_ptr<H264Mp4Writer>> create(const std::filesystem::path& target,
                                                         const H264Settings& settings);
    ~H264Mp4Writer();
    H264Mp4Writer(const H264Mp4Writer&) = delete;
    H264Mp4Writer& operator=(const H264Mp4Writer&) = delete;

    // Appends one frame: CV_8UC3 BGR of exactly the settings' size.
    Status write(const cv::Mat& bgr);
    // Drains the encoder, writes the index and moves the file into place.
    Status finish();

    std::int64_t framesWritten() const;

private:
    struct State;
    explicit H264Mp4Writer(std::unique_ptr<State> state);
    Status openEncoder();
    Status drain(bool flushing);

    std::unique_ptr<State> m_state;
};

} // namespace ripen
