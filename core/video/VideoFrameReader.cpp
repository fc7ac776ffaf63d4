#include "video/VideoFrameReader.h"

#include "common/TextEncoding.h"
#include "video/internal/FfmpegSupport.h"
#include "video/internal/VideoStream.h"

#include <algorithm>
#include <cmath>

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace ripen {

using namespace ripen::ffmpeg;

struct VideoFrameReader::State {
    std::string name;
    VideoStream input;
    CodecContextPtr decoder;
    FramePtr frame;
    PacketPtr packet;
    SwsContextPtr scaler;
    cv::Size outputSize;
    cv::Mat rows; // BGR rows padded to 64 pixels: swscale's SIMD writes whole blocks
    std::int64_t startPts = 0;
    bool draining = false;
    bool finished = false;
    int lastError = 0;
};

VideoFrameReader::VideoFrameReader(std::unique_ptr<State> state) : m_state(std::move(state)) {}
VideoFrameReader::~VideoFrameReader() = default;

Result<std::unique_ptr<VideoFrameReader>> VideoFrameReader::open(const std::filesystem::path& path,
                                                                 cv::Size outputSize) {
    auto state = std::make_unique<State>();
    state->name = escapeInvalidUtf8(path.native());
    auto input = openVideoStream(path);
    if (!input) {
        return std::unexpected(input.error());
    }
    state->input = std::move(*input);
    auto decoder = openDecoder(state->input, state->name);
    if (!decoder) {
        return std::unexpected(decoder.error());
    }
    state->decoder = std::move(*decoder);
    state->frame.reset(av_frame_alloc());
    state->packet.reset(av_packet_alloc());
    if (!state->frame || !state->packet) {
        return fail(ErrorCode::Internal, "out of memory decoding " + state->name);
    }
    const AVStream* stream = state->input.stream;
    state->startPts = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    const int width = stream->codecpar->width;
    const int height = stream->codecpar->height;
    if (outputSize.width <= 0) {
        outputSize = cv::Size(width, height);
    } else if (outputSize.height <= 0) {
        const auto scaled = static_cast<int>(
            std::lround(static_cast<double>(outputSize.width) * height / width / 2));
        outputSize.height = std::max(2, 2 * scaled);
    }
    state->outputSize = outputSize;
    return std::unique_ptr<VideoFrameReader>(new VideoFrameReader(std::move(state)));
}

int VideoFrameReader::width() const {
    return m_state->input.stream->codecpar->width;
}
int VideoFrameReader::height() const {
    return m_state->input.stream->codecpar->height;
}

double VideoFrameReader::fps() const {
    const AVRational rate =
        av_guess_frame_rate(m_state->input.context.get(), m_state->input.stream, nullptr);
    return rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
}

double VideoFrameReader::durationSeconds() const {
    const AVFormatContext* context = m_state->input.context.get();
    return context->duration > 0 ? static_cast<double>(context->duration) / AV_TIME_BASE : 0;
}

Result<bool> VideoFrameReader::next(DecodedFrame& out) {
    State& s = *m_state;
    if (s.finished) {
        return false;
    }
    AVCodecContext* decoder = s.decoder.get();
    for (int packets = 0; packets <= kMaxPacketsWithoutFrame; ++packets) {
        const int receiveRc = avcodec_receive_frame(decoder, s.frame.get());
        if (receiveRc == 0) {
            if (auto ok = convert(out); !ok) {
                return std::unexpected(ok.error());
            }
            return true;
        }
        if (receiveRc == AVERROR_EOF) {
            s.finished = true;
            return false;
        }
        if (receiveRc != AVERROR(EAGAIN)) {
            return std::unexpected(toError(receiveRc, "cannot decode " + s.name));
        }
        if (s.draining) {
            s.finished = true;
            return false;
        }
        const int readRc = av_read_frame(s.input.context.get(), s.packet.get());
        if (readRc < 0) {
            if (readRc != AVERROR_EOF) {
                s.lastError = readRc; // a read error mid-file: keep what the decoder holds
            }
            avcodec_send_packet(decoder, nullptr);
            s.draining = true;
            continue;
        }
        const bool ours = s.packet->stream_index == s.input.stream->index;
        const int sendRc = ours ? avcodec_send_packet(decoder, s.packet.get()) : 0;
        av_packet_unref(s.packet.get());
        if (sendRc < 0 && sendRc != AVERROR(EAGAIN)) {
            s.lastError = sendRc; // a damaged packet: later ones may still decode
        }
    }
    std::string message = s.name + ": no video frame decoded within " +
                          std::to_string(kMaxPacketsWithoutFrame) + " packets";
    if (s.lastError < 0) {
        message += " (" + errorText(s.lastError) + ")";
    }
    return fail(ErrorCode::Corrupt, message);
}

Status VideoFrameReader::convert(DecodedFrame& out) {
    State& s = *m_state;
    AVFrame* frame = s.frame.get();
    if (auto ok = checkFrameSize(frame->width, frame->height, s.name); !ok) {
        return ok;
    }
    const auto format = static_cast<AVPixelFormat>(frame->format);
    const bool shrinking = s.outputSize.width < frame->width;
    s.scaler.reset(sws_getCachedContext(s.scaler.release(), frame->width, frame->height, format,
                                        s.outputSize.width, s.outputSize.height, AV_PIX_FMT_BGR24,
                                        shrinking ? SWS_AREA : SWS_BILINEAR, nullptr, nullptr,
                                        nullptr));
    if (!s.scaler) {
        const char* formatName = av_get_pix_fmt_name(format);
        return fail(ErrorCode::Unsupported, s.name + ": cannot convert pixel format " +
                                                (formatName != nullptr ? formatName : "unknown"));
    }
    // The stream's own matrix and range: swscale otherwise assumes BT.601 limited range,
    // which shifts the colours of HD clips (BT.709) and of full-range phone video.
    const int matrix = frame->colorspace == AVCOL_SPC_BT709        ? SWS_CS_ITU709
                       : frame->colorspace == AVCOL_SPC_BT2020_NCL ? SWS_CS_BT2020
                                                                   : SWS_CS_DEFAULT;
    const int fullRange = frame->color_range == AVCOL_RANGE_JPEG ? 1 : 0;
    sws_setColorspaceDetails(s.scaler.get(), sws_getCoefficients(matrix), fullRange,
                             sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
    const int paddedWidth = (s.outputSize.width + 63) / 64 * 64;
    if (s.rows.rows != s.outputSize.height || s.rows.cols != paddedWidth) {
        s.rows.create(s.outputSize.height, paddedWidth, CV_8UC3);
    }
    out.bgr = s.rows(cv::Rect(cv::Point(0, 0), s.outputSize));
    uint8_t* const destination[] = {out.bgr.data};
    const int destinationStride[] = {static_cast<int>(out.bgr.step[0])};
    const int rows = sws_scale(s.scaler.get(), frame->data, frame->linesize, 0, frame->height,
                               destination, destinationStride);
    if (rows != s.outputSize.height) {
        return fail(ErrorCode::Internal, s.name + ": pixel format conversion failed");
    }
    const std::int64_t pts =
        frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : 0;
    out.seconds = static_cast<double>(pts - s.startPts) * av_q2d(s.input.stream->time_base);
    out.keyframe = frame->key_frame != 0;
    av_frame_unref(frame);
    return {};
}

Status forEachFrame(const std::filesystem::path& clip, cv::Size outputSize, ProgressSink& progress,
                    const std::function<Status(int index, const DecodedFrame& frame)>& visit) {
    auto reader = VideoFrameReader::open(clip, outputSize);
    if (!reader) {
        return std::unexpected(reader.error());
    }
    DecodedFrame frame;
    for (int index = 0;; ++index) {
        if (progress.cancelled()) {
            return fail(ErrorCode::Cancelled, "cancelled");
        }
        auto got = (*reader)->next(frame);
        if (!got) {
            return std::unexpected(got.error());
        }
        if (!*got) {
            return {};
        }
        if (auto ok = visit(index, frame); !ok) {
            return ok;
        }
        progress.report(index + 1, 0, "reading frames");
    }
}

} // namespace ripen
