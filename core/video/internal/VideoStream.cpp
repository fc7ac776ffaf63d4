#include "video/internal/VideoStream.h"

#include "common/TextEncoding.h"
#include "imaging/ImageLimits.h"
#include "video/internal/ContainerCompleteness.h"
#include "video/internal/FfmpegSupport.h"

namespace ripen::ffmpeg {

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

Result<CodecContextPtr> openDecoder(const VideoStream& stream, const std::string& name) {
    CodecContextPtr codec(avcodec_alloc_context3(stream.decoder));
    if (!codec) {
        return fail(ErrorCode::Internal, "out of memory decoding " + name);
    }
    if (const int rc = avcodec_parameters_to_context(codec.get(), stream.stream->codecpar);
        rc < 0) {
        return std::unexpected(toError(rc, "cannot set up the decoder for " + name));
    }
    codec->pkt_timebase = stream.stream->time_base;
    if (const int rc = avcodec_open2(codec.get(), stream.decoder, nullptr); rc < 0) {
        return std::unexpected(toError(rc, "cannot open the " + std::string(stream.decoder->name) +
                                               " decoder for " + name));
    }
    return codec;
}

} // namespace ripen::ffmpeg
