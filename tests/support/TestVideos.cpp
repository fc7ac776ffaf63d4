#include "support/TestVideos.h"

#include "support/Process.h"
#include "video/H264Mp4Writer.h"
#include "video/VideoFrameReader.h"
#include "video/internal/FfmpegSupport.h"
#include "video/internal/Mp4Output.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace ripen::test {
namespace {

std::optional<std::filesystem::path> onPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream folders(path != nullptr ? path : "/usr/bin");
    std::string folder;
    while (std::getline(folders, folder, ':')) {
        const std::filesystem::path candidate = std::filesystem::path(folder) / program;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    return std::nullopt;
}

} // namespace

cv::Mat makeTexturedStill(int width, int height, int seed) {
    cv::RNG rng(static_cast<std::uint64_t>(seed) * 7919 + 1);
    cv::Mat coarse(std::max(2, height / 24), std::max(2, width / 24), CV_8UC3);
    rng.fill(coarse, cv::RNG::UNIFORM, 0, 256);
    cv::Mat still;
    cv::resize(coarse, still, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
    for (int i = 0; i < 40; ++i) {
        const cv::Point centre(rng.uniform(0, width), rng.uniform(0, height));
        const cv::Scalar colour(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
        if (i % 2 == 0) {
            cv::circle(still, centre, rng.uniform(3, std::max(4, width / 12)), colour, cv::FILLED);
        } else {
            cv::rectangle(still,
                          cv::Rect(centre, cv::Size(rng.uniform(4, std::max(5, width / 8)),
                                                    rng.uniform(4, std::max(5, height / 8)))),
                          colour, cv::FILLED);
        }
    }
    cv::Mat grain(height, width, CV_16SC3);
    rng.fill(grain, cv::RNG::NORMAL, 0, 4);
    cv::Mat wide;
    still.convertTo(wide, CV_16SC3);
    wide += grain;
    cv::Mat noisy;
    wide.convertTo(noisy, CV_8UC3);
    return noisy;
}

void writeTestClip(const std::filesystem::path& path, int width, int height, int fps, int frames,
                   const std::function<cv::Mat(int)>& draw) {
    H264Settings settings;
    settings.width = width;
    settings.height = height;
    settings.fps = fps;
    settings.preset = "veryfast";
    auto writer = H264Mp4Writer::create(path, settings);
    if (!writer) {
        throw std::runtime_error(writer.error().message);
    }
    for (int i = 0; i < frames; ++i) {
        if (auto ok = (*writer)->write(draw(i)); !ok) {
            throw std::runtime_error(ok.error().message);
        }
    }
    if (auto ok = (*writer)->finish(); !ok) {
        throw std::runtime_error(ok.error().message);
    }
}

double lumaPsnr(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat greyA;
    cv::Mat greyB;
    cv::cvtColor(a, greyA, cv::COLOR_BGR2GRAY);
    cv::cvtColor(b, greyB, cv::COLOR_BGR2GRAY);
    return cv::PSNR(greyA, greyB);
}

std::vector<cv::Mat> decodeAllFrames(const std::filesystem::path& path) {
    auto reader = VideoFrameReader::open(path);
    if (!reader) {
        throw std::runtime_error(reader.error().message);
    }
    std::vector<cv::Mat> frames;
    DecodedFrame frame;
    while (true) {
        auto got = (*reader)->next(frame);
        if (!got) {
            throw std::runtime_error(got.error().message);
        }
        if (!*got) {
            return frames;
        }
        frames.push_back(frame.bgr.clone());
    }
}

std::optional<FfprobeFacts> ffprobe(const std::filesystem::path& path) {
    const auto program = onPath("ffprobe");
    if (!program) {
        return std::nullopt;
    }
    const ProcessResult result =
        runProcess({program->string(), "-v", "error", "-select_streams", "v:0", "-count_frames",
                    "-show_entries",
                    "stream=codec_name,width,height,avg_frame_rate,nb_read_frames:format=duration",
                    "-of", "default=noprint_wrappers=1", path.string()});
    if (result.exitCode != 0) {
        throw std::runtime_error("ffprobe failed on " + path.string() + ": " + result.err);
    }
    FfprobeFacts facts;
    std::stringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line)) {
        const auto eq = line.find('=');
        const std::string key = line.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : line.substr(eq + 1);
        if (key == "codec_name") {
            facts.codec = value;
        } else if (key == "width") {
            facts.width = std::stoi(value);
        } else if (key == "height") {
            facts.height = std::stoi(value);
        } else if (key == "avg_frame_rate") {
            facts.frameRate = value;
        } else if (key == "nb_read_frames") {
            facts.frames = std::stoi(value);
        } else if (key == "duration") {
            facts.durationSeconds = std::stod(value);
        }
    }
    return facts;
}

} // namespace ripen::test

namespace ripen::test {
namespace {

using namespace ripen::ffmpeg;

constexpr int kSampleRate = 48000;

void check(int rc, const std::string& action) {
    if (rc < 0) {
        throw std::runtime_error(toError(rc, action).message);
    }
}

template <typename T> T check(Result<T> result) {
    if (!result) {
        throw std::runtime_error(result.error().message);
    }
    return std::move(*result);
}

CodecContextPtr openToneEncoder(bool globalHeader) {
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (codec == nullptr) {
        throw std::runtime_error("this FFmpeg has no AAC encoder");
    }
    CodecContextPtr encoder(avcodec_alloc_context3(codec));
    encoder->sample_fmt = AV_SAMPLE_FMT_FLTP;
    encoder->sample_rate = kSampleRate;
    encoder->bit_rate = 96000;
    encoder->time_base = AVRational{1, kSampleRate};
    const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    check(av_channel_layout_copy(&encoder->ch_layout, &mono), "mono layout");
    if (globalHeader) {
        encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    check(avcodec_open2(encoder.get(), codec, nullptr), "cannot open the aac encoder");
    return encoder;
}

// Sends `frame` (nullptr: flush) and writes every packet the encoder gives back.
void encodeTone(AVCodecContext* encoder, AVFrame* frame, Mp4Output& output, AVStream* stream) {
    check(avcodec_send_frame(encoder, frame), "aac encode");
    PacketPtr packet(av_packet_alloc());
    while (true) {
        const int rc = avcodec_receive_packet(encoder, packet.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            return;
        }
        check(rc, "aac encode");
        packet->stream_index = stream->index;
        av_packet_rescale_ts(packet.get(), encoder->time_base, stream->time_base);
        if (auto ok = output.write(packet.get()); !ok) {
            throw std::runtime_error(ok.error().message);
        }
    }
}

} // namespace

void writeTestClipWithTone(const std::filesystem::path& path, int width, int height, int fps,
                           int frames, const std::function<cv::Mat(int)>& draw, double toneHz) {
    const auto silent = path.parent_path() / (path.filename().string() + ".silent.mp4");
    writeTestClip(silent, width, height, fps, frames, draw);
    FormatContextPtr input = check(openInput(silent));
    AVStream* inVideo = input->streams[0];
    auto output = check(Mp4Output::create(path));
    AVStream* video = check(addStreamLike(output->context(), inVideo));
    CodecContextPtr encoder =
        openToneEncoder((output->context()->oformat->flags & AVFMT_GLOBALHEADER) != 0);
    AVStream* audio = avformat_new_stream(output->context(), nullptr);
    check(avcodec_parameters_from_context(audio->codecpar, encoder.get()), "aac parameters");
    audio->time_base = encoder->time_base;
    if (auto ok = output->writeHeader(); !ok) {
        throw std::runtime_error(ok.error().message);
    }
    PacketPtr packet(av_packet_alloc());
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        packet->stream_index = video->index;
        packet->pos = -1;
        av_packet_rescale_ts(packet.get(), inVideo->time_base, video->time_base);
        if (auto ok = output->write(packet.get()); !ok) {
            throw std::runtime_error(ok.error().message);
        }
    }
    const std::int64_t samples = static_cast<std::int64_t>(frames) * kSampleRate / fps;
    FramePtr frame(av_frame_alloc());
    for (std::int64_t done = 0; done < samples; done += encoder->frame_size) {
        frame->format = encoder->sample_fmt;
        frame->sample_rate = kSampleRate;
        frame->nb_samples =
            static_cast<int>(std::min<std::int64_t>(encoder->frame_size, samples - done));
        check(av_channel_layout_copy(&frame->ch_layout, &encoder->ch_layout), "layout");
        check(av_frame_get_buffer(frame.get(), 0), "audio frame");
        auto* data = reinterpret_cast<float*>(frame->data[0]);
        for (int i = 0; i < frame->nb_samples; ++i) {
            data[i] = static_cast<float>(
                0.3 * std::sin(2 * M_PI * toneHz * static_cast<double>(done + i) / kSampleRate));
        }
        frame->pts = done;
        encodeTone(encoder.get(), frame.get(), *output, audio);
        av_frame_unref(frame.get());
    }
    encodeTone(encoder.get(), nullptr, *output, audio);
    if (auto ok = output->finish(); !ok) {
        throw std::runtime_error(ok.error().message);
    }
    std::filesystem::remove(silent);
}

std::optional<double> audioSeconds(const std::filesystem::path& path) {
    FormatContextPtr input = check(openInput(path));
    const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (index < 0) {
        return std::nullopt;
    }
    const AVStream* stream = input->streams[index];
    return static_cast<double>(stream->duration) * av_q2d(stream->time_base);
}

} // namespace ripen::test
