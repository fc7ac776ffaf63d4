#include "video/internal/Mp4Output.h"

#include "common/TextEncoding.h"
#include "video/internal/FfmpegSupport.h"

namespace ripen::ffmpeg {

Mp4Output::Mp4Output(AtomicFileWriter file, std::string shownName)
    : m_file(std::move(file)), m_shownName(std::move(shownName)) {}

Result<std::unique_ptr<Mp4Output>> Mp4Output::create(const std::filesystem::path& target) {
    quietLogsOnce();
    auto file = AtomicFileWriter::create(target);
    if (!file) {
        return std::unexpected(file.error());
    }
    std::unique_ptr<Mp4Output> output(
        new Mp4Output(std::move(*file), escapeInvalidUtf8(target.native())));
    // The muxer reopens the file by name to move the index (faststart): it needs a URL,
    // and "file:" keeps a name with a colon from being read as a protocol.
    const std::string url = "file:" + output->m_file.tempPath().native();
    AVFormatContext* raw = nullptr;
    if (const int rc = avformat_alloc_output_context2(&raw, nullptr, "mp4", url.c_str()); rc < 0) {
        return std::unexpected(
            toError(rc, "cannot set up the MP4 muxer for " + output->m_shownName));
    }
    output->m_context.reset(raw);
    if (const int rc = avio_open(&raw->pb, url.c_str(), AVIO_FLAG_WRITE); rc < 0) {
        return std::unexpected(
            toError(rc, "cannot open a temporary file for " + output->m_shownName));
    }
    return output;
}

Status Mp4Output::writeHeader() {
    AVDictionary* options = nullptr;
    av_dict_set(&options, "movflags", "+faststart", 0);
    const int rc = avformat_write_header(m_context.get(), &options);
    av_dict_free(&options);
    if (rc < 0) {
        return std::unexpected(toError(rc, "cannot write the MP4 header of " + m_shownName));
    }
    return {};
}

Status Mp4Output::write(AVPacket* packet) {
    if (const int rc = av_interleaved_write_frame(m_context.get(), packet); rc < 0) {
        return std::unexpected(toError(rc, "cannot write " + m_shownName));
    }
    return {};
}

Status Mp4Output::finish() {
    if (m_finished) {
        return {};
    }
    if (const int rc = av_write_trailer(m_context.get()); rc < 0) {
        return std::unexpected(toError(rc, "cannot finish " + m_shownName));
    }
    if (const int rc = avio_closep(&m_context->pb); rc < 0) {
        return std::unexpected(toError(rc, "cannot close " + m_shownName));
    }
    m_finished = true;
    return m_file.commit();
}

Result<AVStream*> addStreamLike(AVFormatContext* muxer, const AVStream* source) {
    AVStream* stream = avformat_new_stream(muxer, nullptr);
    if (stream == nullptr) {
        return fail(ErrorCode::Internal, "out of memory");
    }
    if (const int rc = avcodec_parameters_copy(stream->codecpar, source->codecpar); rc < 0) {
        return std::unexpected(toError(rc, "cannot copy the stream description"));
    }
    stream->codecpar->codec_tag = 0; // another container's tag may mean nothing in MP4
    stream->time_base = source->time_base;
    stream->avg_frame_rate = source->avg_frame_rate;
    return stream;
}

} // namespace ripen::ffmpeg
