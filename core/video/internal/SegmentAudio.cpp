#include "video/internal/SegmentAudio.h"

#include "common/TextEncoding.h"
#include "video/internal/FfmpegSupport.h"

#include <cmath>

namespace ripen::ffmpeg {

SegmentAudio::SegmentAudio(FormatContextPtr context, AVStream* stream, double originSeconds,
                           std::string shownName)
    : m_context(std::move(context)), m_stream(stream), m_originSeconds(originSeconds),
      m_shownName(std::move(shownName)), m_pending(av_packet_alloc()) {}

Result<std::unique_ptr<SegmentAudio>> SegmentAudio::open(const std::filesystem::path& clip,
                                                         double originSeconds) {
    auto context = openInput(clip);
    if (!context) {
        return std::unexpected(context.error());
    }
    const int index = av_find_best_stream(context->get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (index < 0) {
        return std::unique_ptr<SegmentAudio>();
    }
    AVStream* stream = (*context)->streams[index];
    // Copying is all this does; a codec MP4 cannot hold (PCM from a MOV, say) would fail
    // the whole cut at the header, so such a clip is cut as before, without its sound.
    if (avformat_query_codec(av_guess_format("mp4", nullptr, nullptr), stream->codecpar->codec_id,
                             FF_COMPLIANCE_NORMAL) != 1) {
        return std::unique_ptr<SegmentAudio>();
    }
    std::unique_ptr<SegmentAudio> audio(new SegmentAudio(std::move(*context), stream, originSeconds,
                                                         escapeInvalidUtf8(clip.native())));
    if (!audio->m_pending) {
        return fail(ErrorCode::Internal, "out of memory reading " + audio->m_shownName);
    }
    return audio;
}

Result<AVStream*> SegmentAudio::addStream(AVFormatContext* muxer) const {
    return addStreamLike(muxer, m_stream);
}

Result<bool> SegmentAudio::readPending() {
    while (true) {
        const int rc = av_read_frame(m_context.get(), m_pending.get());
        if (rc == AVERROR_EOF) {
            return false;
        }
        if (rc < 0) {
            return std::unexpected(toError(rc, "cannot read the audio of " + m_shownName));
        }
        if (m_pending->stream_index == m_stream->index &&
            (m_pending->pts != AV_NOPTS_VALUE || m_pending->dts != AV_NOPTS_VALUE)) {
            if (m_pending->pts == AV_NOPTS_VALUE) {
                m_pending->pts = m_pending->dts;
            }
            return true;
        }
        av_packet_unref(m_pending.get());
    }
}

Status SegmentAudio::writeSegment(double startSeconds, std::optional<double> endSeconds,
                                  Mp4Output& output, const AVStream* stream) {
    const double tick = av_q2d(m_stream->time_base);
    const auto offset =
        static_cast<std::int64_t>(std::llround((m_originSeconds + startSeconds) / tick));
    while (true) {
        if (!m_havePending) {
            auto got = readPending();
            if (!got) {
                return std::unexpected(got.error());
            }
            if (!*got) {
                return {};
            }
            m_havePending = true;
        }
        // By its middle, so each packet lands in exactly one segment and a segment's audio
        // ends within half a packet of its video.
        const double middle = static_cast<double>(m_pending->pts) * tick +
                              0.5 * static_cast<double>(m_pending->duration) * tick -
                              m_originSeconds;
        if (endSeconds && middle >= *endSeconds) {
            return {};
        }
        m_pending->pts -= offset;
        m_pending->dts =
            m_pending->dts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : m_pending->dts - offset;
        m_pending->stream_index = stream->index;
        m_pending->pos = -1;
        av_packet_rescale_ts(m_pending.get(), m_stream->time_base, stream->time_base);
        m_havePending = false;
        if (auto ok = output.write(m_pending.get()); !ok) {
            return ok;
        }
    }
}

} // namespace ripen::ffmpeg
