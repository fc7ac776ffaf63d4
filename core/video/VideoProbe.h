#pragma once

#include "common/Error.h"

#include <cstdint>
#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <string>

namespace ripen {

struct VideoInfo {
    int width = 0;                   // pixels, of the best video stream
    int height = 0;                  // pixels
    std::int64_t durationMicros = 0; // container duration; 0 when the file does not say
    int frameRateNum = 0;            // average frame rate as num/den; 0/0 when unknown
    int frameRateDen = 0;
    std::string codecName;     // FFmpeg's short name: "h264", "mpeg4", "vp8"
    std::string containerName; // the demuxer: "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm"
    bool hasAudio = false;
};

// Reads an untrusted MP4, MOV or WebM/Matroska file with FFmpeg, restricted to those
// demuxers and to local files, with bounded probing. Blocks; call off the GUI thread.
// A file whose top-level structure runs past its end (an MP4 box, a Matroska Segment) is
// refused as truncated before FFmpeg sees it: FFmpeg itself happily reports the duration
// a cut file's index claims. Matroska written live with an open-ended Segment cannot be
// checked this way and probes with whatever FFmpeg reads.
// Errors: NotFound/Io for the file; Unsupported for a FIFO or folder, a format outside the
// whitelist, no video stream or no decoder for it; Corrupt for truncated or unparsable
// files; LimitExceeded when a side is over kMaxImageSide.
Result<VideoInfo> probeVideo(const std::filesystem::path& path);

// Decodes the first picture of the best video stream into 8-bit BGR, for a thumbnail.
// Reads at most kMaxPacketsWithoutFrame packets so a damaged file cannot spin forever.
// Errors as probeVideo, plus Corrupt when no frame decodes within that budget.
Result<cv::Mat> decodeFirstVideoFrame(const std::filesystem::path& path);

} // namespace ripen
