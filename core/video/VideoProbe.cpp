#include "video/VideoProbe.h"

#include "common/TextEncoding.h"
#include "video/VideoFrameReader.h"
#include "video/internal/FfmpegSupport.h"
#include "video/internal/VideoStream.h"

#include <utility>

namespace ripen {

using namespace ripen::ffmpeg;

Result<VideoInfo> probeVideo(const std::filesystem::path& path) {
    auto opened = openVideoStream(path);
    if (!opened) {
        return std::unexpected(opened.error());
    }
    AVFormatContext* context = opened->context.get();
    const AVStream* stream = opened->stream;
    VideoInfo info;
    info.width = stream->codecpar->width;
    info.height = stream->codecpar->height;
    if (context->duration != AV_NOPTS_VALUE && context->duration > 0) {
        info.durationMicros = context->duration; // AV_TIME_BASE is microseconds
    } else if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0) {
        info.durationMicros = av_rescale_q(stream->duration, stream->time_base, AV_TIME_BASE_Q);
    }
    const AVRational rate = av_guess_frame_rate(context, opened->stream, nullptr);
    if (rate.num > 0 && rate.den > 0) {
        info.frameRateNum = rate.num;
        info.frameRateDen = rate.den;
    }
    info.codecName = avcodec_get_name(stream->codecpar->codec_id);
    info.containerName = context->iformat->name;
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        if (context->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
            info.hasAudio = true;
        }
    }
    return info;
}

Result<cv::Mat> decodeFirstVideoFrame(const std::filesystem::path& path) {
    auto reader = VideoFrameReader::open(path);
    if (!reader) {
        return std::unexpected(reader.error());
    }
    DecodedFrame frame;
    auto got = (*reader)->next(frame);
    if (!got) {
        return std::unexpected(got.error());
    }
    if (!*got) {
        return fail(ErrorCode::Corrupt,
                    escapeInvalidUtf8(path.native()) + ": no video frame could be decoded");
    }
    return frame.bgr;
}

} // namespace ripen
