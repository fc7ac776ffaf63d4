#include "video/H264Mp4Writer.h"

#include "common/TextEncoding.h"
#include "video/internal/FfmpegSupport.h"
#include "video/internal/Mp4Output.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <algorithm>
#include <array>
#include <string_view>

namespace ripen {

using namespace ripen::ffmpeg;

namespace {

constexpr std::array<std::string_view, 10> kPresets = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo"};

// 8K UHD: larger outputs are beyond what H.264 level 6.2 players decode anyway.
constexpr int kMaxOutputSide = 7680;

} // namespace

Status validateH264Settings(const H264Settings& s) {
    if (s.width < 16 || s.height < 16 || s.width > kMaxOutputSide || s.height > kMaxOutputSide) {
        return fail(ErrorCode::InvalidArgument, "size: " + std::to_string(s.width) + "x" +
                                                    std::to_string(s.height) + " is outside 16-" +
                                                    std::to_string(kMaxOutputSide) + " px a side");
    }
    if (s.width % 2 != 0 || s.height % 2 != 0) {
        return fail(ErrorCode::InvalidArgument, "size: " + std::to_string(s.width) + "x" +
                                                    std::to_string(s.height) +
                                                    " must have even sides for H.264 yuv420p");
    }
    if (s.fps < 1 || s.fps > 120) {
        return fail(ErrorCode::InvalidArgument,
                    "fps: " + std::to_string(s.fps) + " is outside 1-120");
    }
    if (s.crf < 0 || s.crf > 51) {
        return fail(ErrorCode::InvalidArgument,
                    "crf: " + std::to_string(s.crf) + " is outside 0-51");
    }
    if (std::find(kPresets.begin(), kPresets.end(), s.preset) == kPresets.end()) {
        return fail(ErrorCode::InvalidArgument,
                    "preset: '" + s.preset + "' is not an x264 preset (ultrafast ... veryslow)");
    }
    if (s.keyframeIntervalFrames < 0 || s.keyframeIntervalFrames > 100 * s.fps) {
        return fail(ErrorCode::InvalidArgument, "keyframe interval: out of range");
    }
    return {};
}

struct H264Mp4Writer::State {
    H264Settings settings;
    std::string shownName;
    std::unique_ptr<Mp4Output> output;
    CodecContextPtr encoder;
    AVStream* stream = nullptr; // owned by output
    SwsContextPtr toYuv;
    FramePtr frame;
    PacketPtr packet;
    std::int64_t frames = 0;
    bool finished = false;

    State(H264Settings s, std::string name, std::unique_ptr<Mp4Output> o)
        : settings(std::move(s)), shownName(std::move(name)), output(std::move(o)) {}
};

H264Mp4Writer::H264Mp4Writer(std::unique_ptr<State> state) : m_state(std::move(state)) {}

H264Mp4Writer::~H264Mp4Writer() = default; // an unfinished file is removed by AtomicFileWriter

std::int64_t H264Mp4Writer::framesWritten() const {
    return m_state->frames;
}

Result<std::unique_ptr<H264Mp4Writer>> H264Mp4Writer::create(const std::filesystem::path& target,
                                                             const H264Settings& settings) {
    quietLogsOnce();
    if (auto valid = validateH264Settings(settings); !valid) {
        return std::unexpected(valid.error());
    }
    auto output = Mp4Output::create(target);
    if (!output) {
        return std::unexpected(output.error());
    }
    auto state =
        std::make_unique<State>(settings, escapeInvalidUtf8(target.native()), std::move(*output));
    std::unique_ptr<H264Mp4Writer> writer(new H264Mp4Writer(std::move(state)));
    if (auto ok = writer->openEncoder(); !ok) {
        return std::unexpected(withContext(ok.error(), "writing " + writer->m_state->shownName));
    }
    return writer;
}

Status H264Mp4Writer::openEncoder() {
    State& s = *m_state;
    const H264Settings& cfg = s.settings;
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (codec == nullptr) {
        return fail(ErrorCode::Unsupported, "this FFmpeg has no libx264 encoder");
    }
    AVFormatContext* muxer = s.output->context();
    s.encoder.reset(avcodec_alloc_context3(codec));
    s.frame.reset(av_frame_alloc());
    s.packet.reset(av_packet_alloc());
    if (!s.encoder || !s.frame || !s.packet) {
        return fail(ErrorCode::Internal, "out of memory");
    }
    AVCodecContext* enc = s.encoder.get();
    enc->width = cfg.width;
    enc->height = cfg.height;
    enc->pix_fmt = AV_PIX_FMT_YUV420P;
    enc->time_base = AVRational{1, cfg.fps};
    enc->framerate = AVRational{cfg.fps, 1};
    // libavcodec's default is one thread; 0 lets x264 pick (frame threads on every core), as
    // the ffmpeg command line does. Memory stays bounded by x264's own lookahead.
    enc->thread_count = 0;
    enc->gop_size = cfg.keyframeIntervalFrames > 0 ? cfg.keyframeIntervalFrames : cfg.fps;
    enc->color_range = AVCOL_RANGE_MPEG;
    enc->colorspace = AVCOL_SPC_BT709;
    enc->color_primaries = AVCOL_PRI_BT709;
    enc->color_trc = AVCOL_TRC_BT709;
    if ((muxer->oformat->flags & AVFMT_GLOBALHEADER) != 0) {
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    av_opt_set(enc->priv_data, "preset", cfg.preset.c_str(), 0);
    av_opt_set(enc->priv_data, "crf", std::to_string(cfg.crf).c_str(), 0);
    // A fixed GOP: scene-cut keyframes would move the whole-second cut points.
    av_opt_set(enc->priv_data, "x264-params", "scenecut=0", 0);
    if (const int rc = avcodec_open2(enc, codec, nullptr); rc < 0) {
        return std::unexpected(toError(rc, "cannot open the libx264 encoder"));
    }
    s.stream = avformat_new_stream(muxer, nullptr);
    if (s.stream == nullptr) {
        return fail(ErrorCode::Internal, "out of memory");
    }
    s.stream->time_base = enc->time_base;
    s.stream->avg_frame_rate = enc->framerate;
    if (const int rc = avcodec_parameters_from_context(s.stream->codecpar, enc); rc < 0) {
        return std::unexpected(toError(rc, "cannot describe the H.264 stream"));
    }
    if (auto ok = s.output->writeHeader(); !ok) {
        return ok;
    }
    s.frame->format = AV_PIX_FMT_YUV420P;
    s.frame->width = cfg.width;
    s.frame->height = cfg.height;
    if (const int rc2 = av_frame_get_buffer(s.frame.get(), 0); rc2 < 0) {
        return std::unexpected(toError(rc2, "cannot allocate a frame"));
    }
    s.toYuv.reset(sws_getContext(cfg.width, cfg.height, AV_PIX_FMT_BGR24, cfg.width, cfg.height,
                                 AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr));
    if (!s.toYuv) {
        return fail(ErrorCode::Internal, "cannot set up the BGR to YUV conversion");
    }
    // Full-range RGB in, BT.709 limited-range YUV out, matching what the stream declares.
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(s.toYuv.get(), bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    return {};
}

Status H264Mp4Writer::write(const cv::Mat& bgr) {
    State& s = *m_state;
    if (s.finished) {
        return fail(ErrorCode::Internal, s.shownName + ": write after finish");
    }
    if (bgr.type() != CV_8UC3 || bgr.cols != s.settings.width || bgr.rows != s.settings.height) {
        return fail(ErrorCode::InvalidArgument,
                    s.shownName + ": a frame must be 8-bit BGR of the output size");
    }
    if (const int rc = av_frame_make_writable(s.frame.get()); rc < 0) {
        return std::unexpected(toError(rc, "cannot reuse the frame buffer"));
    }
    const cv::Mat packed = bgr.isContinuous() ? bgr : bgr.clone();
    const uint8_t* const source[] = {packed.data};
    const int sourceStride[] = {static_cast<int>(packed.step[0])};
    sws_scale(s.toYuv.get(), source, sourceStride, 0, bgr.rows, s.frame->data, s.frame->linesize);
    s.frame->pts = s.frames;
    if (const int rc = avcodec_send_frame(s.encoder.get(), s.frame.get()); rc < 0) {
        return std::unexpected(toError(rc, s.shownName + ": the encoder refused a frame"));
    }
    ++s.frames;
    return drain(false);
}

Status H264Mp4Writer::drain(bool flushing) {
    State& s = *m_state;
    while (true) {
        const int rc = avcodec_receive_packet(s.encoder.get(), s.packet.get());
        if (rc == AVERROR(EAGAIN) || (flushing && rc == AVERROR_EOF)) {
            return {};
        }
        if (rc < 0) {
            return std::unexpected(toError(rc, s.shownName + ": encoding failed"));
        }
        av_packet_rescale_ts(s.packet.get(), s.encoder->time_base, s.stream->time_base);
        s.packet->stream_index = s.stream->index;
        if (auto ok = s.output->write(s.packet.get()); !ok) {
            return ok;
        }
    }
}

Status H264Mp4Writer::finish() {
    State& s = *m_state;
    if (s.finished) {
        return {};
    }
    if (s.frames == 0) {
        return fail(ErrorCode::InvalidArgument, s.shownName + ": no frames to write");
    }
    if (const int rc = avcodec_send_frame(s.encoder.get(), nullptr); rc < 0) {
        return std::unexpected(toError(rc, s.shownName + ": cannot flush the encoder"));
    }
    if (auto ok = drain(true); !ok) {
        return ok;
    }
    s.finished = true;
    return s.output->finish();
}

} // namespace ripen
