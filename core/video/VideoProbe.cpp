#include "video/VideoProbe.h"

#include "common/TextEncoding.h"
#include "imaging/ImageLimits.h"
#include "video/internal/ContainerCompleteness.h"
#include "video/internal/FfmpegSupport.h"

extern "C" {
#include <libavutil/imgutils.h>
}

#include <utility>

namespace ripen {
namespace {

using namespace ripen::ffmpeg;

struct VideoStream {
    FormatContextPtr context;
    AVStream* stream = nullptr; // owned by context
    const AVCodec* decoder = nullptr;
};

Status checkFrameSize(int width, int height, const std::string& name) {
    if (width <= 0 || height <= 0) {
        return fail(ErrorCode::Corrupt, name + ": the video stream has no frame size");
    }
    if (static_cast<std::uint32_t>(width) > kMaxImageSide ||
        static_cast<std::uint32_t>(height) > kMaxImageSide) {
        return fail(ErrorCode::LimitExceeded, name + ": video frames are " + std::to_string(width) +
                                                  "x" + std::to_string(height) +
                                                  " pixels; Ripen accepts at most " +
                                                  std::to_string(kMaxImageSide) + " px a side");
    }
    return {};
}

Result<VideoStream> openVideoStream(const std::filesystem::path& path) {
    const std::string name = escapeInvalidUtf8(path.native());
    if (auto complete = checkContainerComplete(path); !complete) {
        return std::unexpected(complete.error());
    }
    auto context = openInput(path);
    if (!context) {
        return std::unexpected(context.error());
    }
    VideoStream result;
    result.context = std::move(*context);
    const int index =
        av_find_best_stream(result.context.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &result.decoder, 0);
    if (index == AVERROR_STREAM_NOT_FOUND) {
        return fail(ErrorCode::Unsupported, name + " has no video stream");
    }
    if (index == AVERROR_DECODER_NOT_FOUND) {
        return fail(ErrorCode::Unsupported, name + ": no decoder for its video codec");
    }
    if (index < 0) {
        return std::unexpected(toError(index, "cannot find the video stream of " + name));
    }
    result.stream = result.context->streams[index];
    const AVCodecParameters* params = result.stream->codecpar;
    if (auto ok = checkFrameSize(params->width, params->height, name); !ok) {
        return std::unexpected(ok.error());
    }
    return result;
}

} // namespace

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
    const std::string name = escapeInvalidUtf8(path.native());
    auto opened = openVideoStream(path);
    if (!opened) {
        return std::unexpected(opened.error());
    }
    CodecContextPtr codec(avcodec_alloc_context3(opened->decoder));
    FramePtr frame(av_frame_alloc());
    PacketPtr packet(av_packet_alloc());
    if (!codec || !frame || !packet) {
        return fail(ErrorCode::Internal, "out of memory decoding " + name);
    }
    if (const int rc = avcodec_parameters_to_context(codec.get(), opened->stream->codecpar);
        rc < 0) {
        return std::unexpected(toError(rc, "cannot set up the decoder for " + name));
    }
    if (const int rc = avcodec_open2(codec.get(), opened->decoder, nullptr); rc < 0) {
        return std::unexpected(toError(rc, "cannot open the " + std::string(opened->decoder->name) +
                                               " decoder for " + name));
    }
    const int streamIndex = opened->stream->index;
    int lastError = 0;
    bool gotFrame = false;
    bool flushed = false;
    for (int packets = 0; !gotFrame && !flushed && packets < kMaxPacketsForFirstFrame; ++packets) {
        const int readRc = av_read_frame(opened->context.get(), packet.get());
        if (readRc == AVERROR_EOF) {
            avcodec_send_packet(codec.get(), nullptr); // drain frames the decoder still holds
            flushed = true;
        } else if (readRc < 0) {
            lastError = readRc;
            flushed = true; // a read error mid-file: try what the decoder already has
            avcodec_send_packet(codec.get(), nullptr);
        } else {
            const bool ours = packet->stream_index == streamIndex;
            const int sendRc = ours ? avcodec_send_packet(codec.get(), packet.get()) : 0;
            av_packet_unref(packet.get());
            if (sendRc < 0 && sendRc != AVERROR(EAGAIN)) {
                lastError = sendRc; // a damaged packet: later ones may still decode
                continue;
            }
        }
        const int receiveRc = avcodec_receive_frame(codec.get(), frame.get());
        if (receiveRc == 0) {
            gotFrame = true;
        } else if (receiveRc != AVERROR(EAGAIN) && receiveRc != AVERROR_EOF) {
            lastError = receiveRc;
        }
    }
    if (!gotFrame) {
        std::string message = name + ": no video frame could be decoded";
        if (!flushed) {
            message += " within the first " + std::to_string(kMaxPacketsForFirstFrame) + " packets";
        }
        if (lastError < 0) {
            message += " (" + errorText(lastError) + ")";
        }
        return fail(ErrorCode::Corrupt, message);
    }
    if (auto ok = checkFrameSize(frame->width, frame->height, name); !ok) {
        return std::unexpected(ok.error());
    }
    const auto format = static_cast<AVPixelFormat>(frame->format);
    SwsContextPtr scaler(sws_getContext(frame->width, frame->height, format, frame->width,
                                        frame->height, AV_PIX_FMT_BGR24, SWS_BILINEAR, nullptr,
                                        nullptr, nullptr));
    if (!scaler) {
        return fail(
            ErrorCode::Unsupported,
            name + ": cannot convert pixel format " +
                (av_get_pix_fmt_name(format) != nullptr ? av_get_pix_fmt_name(format) : "unknown"));
    }
    cv::Mat bgr(frame->height, frame->width, CV_8UC3);
    uint8_t* const destination[] = {bgr.data};
    const int destinationStride[] = {static_cast<int>(bgr.step[0])};
    const int rows = sws_scale(scaler.get(), frame->data, frame->linesize, 0, frame->height,
                               destination, destinationStride);
    if (rows != frame->height) {
        return fail(ErrorCode::Internal, name + ": pixel format conversion failed");
    }
    return bgr;
}

} // namespace ripen
