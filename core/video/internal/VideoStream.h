#pragma once

#include "common/Error.h"
#include "video/internal/FfmpegHandles.h"

#include <filesystem>
#include <string>

namespace ripen::ffmpeg {

// An untrusted file opened for its best video stream (see probeVideo for the checks).
struct VideoStream {
    FormatContextPtr context;
    AVStream* stream = nullptr; // owned by context
    const AVCodec* decoder = nullptr;
};

// Refuses a missing or oversized frame size, naming `name`.
Status checkFrameSize(int width, int height, const std::string& name);

// Checks completeness, opens with the whitelists and finds the video stream and decoder.
Result<VideoStream> openVideoStream(const std::filesystem::path& path);

// A decoder opened for `stream`.
Result<CodecContextPtr> openDecoder(const VideoStream& stream, const std::string& name);

} // namespace ripen::ffmpeg
