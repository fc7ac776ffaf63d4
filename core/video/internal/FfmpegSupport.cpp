#include "video/internal/FfmpegSupport.h"

#include "common/FileIo.h"
#include "common/TextEncoding.h"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include <cerrno>
#include <mutex>

namespace ripen::ffmpeg {
namespace {

// FFmpeg's defaults (5 MB, 5 s) are already bounded; stating them here keeps a future
// default change from making a hostile file more expensive to probe.
constexpr std::int64_t kProbeBytes = 16LL << 20;
constexpr std::int64_t kAnalyzeMicros = 10LL * AV_TIME_BASE;

} // namespace

std::string errorText(int averror) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(averror, text, sizeof text) < 0) {
        return "FFmpeg error " + std::to_string(averror);
    }
    return text;
}

Error toError(int averror, const std::string& action) {
    ErrorCode code = ErrorCode::Io;
    if (averror == AVERROR_INVALIDDATA || averror == AVERROR_EOF) {
        code = ErrorCode::Corrupt;
    } else if (averror == AVERROR(ENOMEM)) {
        code = ErrorCode::Internal;
    } else if (averror == AVERROR(ENOENT)) {
        code = ErrorCode::NotFound;
    } else if (averror == AVERROR_DEMUXER_NOT_FOUND || averror == AVERROR_DECODER_NOT_FOUND ||
               averror == AVERROR_STREAM_NOT_FOUND || averror == AVERROR_PATCHWELCOME ||
               averror == AVERROR_PROTOCOL_NOT_FOUND) {
        code = ErrorCode::Unsupported;
    }
    return Error{code, action + ": " + errorText(averror)};
}

void quietLogsOnce() {
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_level(AV_LOG_ERROR); });
}

Result<FormatContextPtr> openInput(const std::filesystem::path& path) {
    quietLogsOnce();
    const std::string shownName = escapeInvalidUtf8(path.native());
    if (auto file = openRegularFileForReading(path); !file) {
        return std::unexpected(file.error());
    }
    FormatContextPtr context(avformat_alloc_context());
    if (!context) {
        return fail(ErrorCode::Internal, "out of memory opening " + shownName);
    }
    if (av_opt_set(context.get(), "format_whitelist", kFormatWhitelist, 0) < 0 ||
        av_opt_set(context.get(), "protocol_whitelist", "file", 0) < 0) {
        return fail(ErrorCode::Internal, "FFmpeg refused the demuxer whitelists");
    }
    context->probesize = kProbeBytes;
    context->max_analyze_duration = kAnalyzeMicros;
    // "file:" stops a name such as "http:x.mp4" or "concat:a|b" being taken for a protocol.
    const std::string url = "file:" + path.native();
    // On failure avformat_open_input frees the context itself, so it must not stay owned.
    AVFormatContext* raw = context.release();
    if (const int rc = avformat_open_input(&raw, url.c_str(), nullptr, nullptr); rc < 0) {
        // EINVAL here means probing found a format, just not one on the whitelist.
        if (rc == AVERROR(EINVAL)) {
            return fail(ErrorCode::Unsupported,
                        shownName + " is not an MP4, QuickTime, WebM or Matroska video");
        }
        return std::unexpected(toError(rc, "cannot open video " + shownName));
    }
    context.reset(raw);
    if (const int rc = avformat_find_stream_info(context.get(), nullptr); rc < 0) {
        return std::unexpected(toError(rc, "cannot read the streams of " + shownName));
    }
    return context;
}

} // namespace ripen::ffmpeg
