#pragma once

#include "common/Error.h"
#include "video/internal/FfmpegHandles.h"

#include <filesystem>
#include <string>

namespace ripen::ffmpeg {

// The demuxers an untrusted file may pick. FFmpeg otherwise probes for hundreds of
// formats, among them playlists (HLS, concat) that open further files or URLs.
inline constexpr const char* kFormatWhitelist = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";

// FFmpeg's text for an AVERROR code.
std::string errorText(int averror);

// Turns an AVERROR into an Error: INVALIDDATA and EOF become Corrupt, ENOMEM Internal,
// a missing demuxer or decoder Unsupported, the rest Io. `action` says what was tried.
Error toError(int averror, const std::string& action);

// Keeps FFmpeg's warnings about damaged input off stderr (errors still show); once per
// process, safe from any thread.
void quietLogsOnce();

// Opens `path` for demuxing with the format whitelist, only the "file" protocol, and
// bounded probing, then reads the stream info. The path is checked to be a regular file
// first, so a FIFO or device cannot block or feed FFmpeg forever.
Result<FormatContextPtr> openInput(const std::filesystem::path& path);

} // namespace ripen::ffmpeg
