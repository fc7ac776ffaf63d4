#include "video/ClipCutter.h"

#include "common/TextEncoding.h"
#include "video/H264Mp4Writer.h"
#include "video/VideoFrameReader.h"
#include "video/internal/FfmpegSupport.h"
#include "video/internal/Mp4Output.h"
#include "video/internal/SegmentAudio.h"
#include "video/internal/VideoStream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen {

using namespace ripen::ffmpeg;

namespace {

// 10 hours at 60 fps: the packet table of a longer stream is refused rather than grown.
constexpr std::size_t kMaxPackets = 2'160'000;
constexpr int kMaxSegments = 10'000;

struct FrameEntry {
    std::int64_t pts = 0; // stream time base
    bool key = false;
};

// The video stream's frames in presentation order, read from packet headers only.
struct PacketTable {
    std::vector<FrameEntry> frames;
    AVRational timeBase{1, 1};
    std::int64_t endPts = 0; // after the last frame
    double fps = 0;

    double seconds(std::size_t index) const {
        const std::int64_t pts = index < frames.size() ? frames[index].pts : endPts;
        return static_cast<double>(pts - frames.front().pts) * av_q2d(timeBase);
    }
    double duration() const { return seconds(frames.size()); }
    // The frame a cut at `t` starts: the first whose time is at least t less half a frame.
    std::size_t boundary(double t) const {
        const double half = fps > 0 ? 0.5 / fps : 0;
        std::size_t i = 0;
        while (i < frames.size() && seconds(i) < t - half) {
            ++i;
        }
        return i;
    }
    std::size_t indexOf(std::int64_t pts) const {
        const auto it =
            std::lower_bound(frames.begin(), frames.end(), pts,
                             [](const FrameEntry& e, std::int64_t v) { return e.pts < v; });
        return static_cast<std::size_t>(it - frames.begin());
    }
};

Result<PacketTable> readPacketTable(const std::filesystem::path& clip) {
    auto input = openVideoStream(clip);
    if (!input) {
        return std::unexpected(input.error());
    }
    const std::string name = escapeInvalidUtf8(clip.native());
    PacketTable table;
    table.timeBase = input->stream->time_base;
    const AVRational rate = av_guess_frame_rate(input->context.get(), input->stream, nullptr);
    table.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    PacketPtr packet(av_packet_alloc());
    if (!packet) {
        return fail(ErrorCode::Internal, "out of memory reading " + name);
    }
    std::int64_t lastDuration = 0;
    while (true) {
        const int rc = av_read_frame(input->context.get(), packet.get());
        if (rc == AVERROR_EOF) {
            break;
        }
        if (rc < 0) {
            return std::unexpected(toError(rc, "cannot read " + name));
        }
        if (packet->stream_index == input->stream->index) {
            if (packet->pts == AV_NOPTS_VALUE) {
                return fail(ErrorCode::Unsupported, name + ": packets without timestamps");
            }
            if (table.frames.size() >= kMaxPackets) {
                return fail(ErrorCode::LimitExceeded,
                            name + ": more than " + std::to_string(kMaxPackets) + " frames");
            }
            table.frames.push_back({packet->pts, (packet->flags & AV_PKT_FLAG_KEY) != 0});
            table.endPts = std::max(table.endPts, packet->pts + packet->duration);
            lastDuration = packet->duration;
        }
        av_packet_unref(packet.get());
    }
    if (table.frames.empty()) {
        return fail(ErrorCode::Corrupt, name + ": the video stream holds no frames");
    }
    std::sort(table.frames.begin(), table.frames.end(),
              [](const FrameEntry& a, const FrameEntry& b) { return a.pts < b.pts; });
    if (lastDuration <= 0 && table.fps > 0) {
        table.endPts = table.frames.back().pts +
                       av_rescale_q(1, av_inv_q(av_d2q(table.fps, 100000)), table.timeBase);
    }
    if (table.fps <= 0) {
        return fail(ErrorCode::Unsupported, name + ": the frame rate is unknown");
    }
    return table;
}

struct PlannedSegment {
    std::size_t first = 0; // frame indices, [first, end)
    std::size_t end = 0;
    bool copy = false;
    std::filesystem::path file;
    std::filesystem::path videoFile; // where the video goes first: `file` unless audio follows
};

// Removes the video-only intermediates however cutting ends.
struct IntermediateFiles {
    std::vector<std::filesystem::path> paths;
    ~IntermediateFiles() {
        for (const auto& path : paths) {
            std::error_code ignored;
            std::filesystem::remove(path, ignored);
        }
    }
};

std::string segmentName(const std::string& baseName, std::size_t index) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "-%03zu.mp4", index + 1);
    return baseName + suffix;
}

cv::Rect reframeRect(int width, int height, double aspect, CropAnchor anchor) {
    int w = width;
    int h = static_cast<int>(std::lround(width / aspect));
    if (h > height) {
        h = height;
        w = static_cast<int>(std::lround(height * aspect));
    }
    w -= w % 2;
    h -= h % 2;
    int x = (width - w) / 2;
    int y = (height - h) / 2;
    if (anchor == CropAnchor::Left) {
        x = 0;
    } else if (anchor == CropAnchor::Right) {
        x = width - w;
    } else if (anchor == CropAnchor::Top) {
        y = 0;
    } else if (anchor == CropAnchor::Bottom) {
        y = height - h;
    }
    return {x, y, w, h};
}

Status copySegments(const std::filesystem::path& clip, const PacketTable& table,
                    const std::vector<PlannedSegment>& segments, ProgressSink& progress) {
    auto input = openVideoStream(clip);
    if (!input) {
        return std::unexpected(input.error());
    }
    std::vector<std::unique_ptr<Mp4Output>> outputs(segments.size());
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (!segments[i].copy) {
            continue;
        }
        auto output = Mp4Output::create(segments[i].videoFile);
        if (!output) {
            return std::unexpected(output.error());
        }
        if (auto stream = addStreamLike((*output)->context(), input->stream); !stream) {
            return std::unexpected(stream.error());
        }
        if (auto ok = (*output)->writeHeader(); !ok) {
            return ok;
        }
        outputs[i] = std::move(*output);
    }
    // Segment k in frame indices [first, end) -> its slot, for routing packets by pts.
    std::vector<std::size_t> segmentOf(table.frames.size());
    for (std::size_t k = 0; k < segments.size(); ++k) {
        std::fill(segmentOf.begin() + static_cast<std::ptrdiff_t>(segments[k].first),
                  segmentOf.begin() + static_cast<std::ptrdiff_t>(segments[k].end), k);
    }
    PacketPtr packet(av_packet_alloc());
    std::int64_t done = 0;
    while (true) {
        if (progress.cancelled()) {
            return fail(ErrorCode::Cancelled, "cutting cancelled");
        }
        const int rc = av_read_frame(input->context.get(), packet.get());
        if (rc == AVERROR_EOF) {
            break;
        }
        if (rc < 0) {
            return std::unexpected(toError(rc, "cannot read " + escapeInvalidUtf8(clip.native())));
        }
        const std::size_t index =
            packet->stream_index == input->stream->index ? table.indexOf(packet->pts) : SIZE_MAX;
        if (index < segmentOf.size() && outputs[segmentOf[index]]) {
            const std::size_t k = segmentOf[index];
            const std::int64_t offset = table.frames[segments[k].first].pts;
            packet->pts -= offset;
            packet->dts = packet->dts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : packet->dts - offset;
            packet->stream_index = 0;
            packet->pos = -1;
            AVStream* out = outputs[k]->context()->streams[0];
            av_packet_rescale_ts(packet.get(), input->stream->time_base, out->time_base);
            if (auto ok = outputs[k]->write(packet.get()); !ok) {
                return ok;
            }
            progress.report(++done, static_cast<std::int64_t>(table.frames.size()), "copying");
        }
        av_packet_unref(packet.get());
    }
    for (auto& output : outputs) {
        if (output) {
            if (auto ok = output->finish(); !ok) {
                return ok;
            }
        }
    }
    return {};
}

Status reencodeSegments(const std::filesystem::path& clip, const PacketTable& table,
                        const CutPlan& plan, const std::vector<PlannedSegment>& segments,
                        ProgressSink& progress) {
    auto reader = VideoFrameReader::open(clip);
    if (!reader) {
        return std::unexpected(reader.error());
    }
    const int width = (*reader)->width();
    const int height = (*reader)->height();
    const cv::Rect crop = plan.aspect ? reframeRect(width, height, *plan.aspect, plan.anchor)
                                      : cv::Rect(0, 0, width - width % 2, height - height % 2);
    H264Settings settings;
    settings.width = crop.width;
    settings.height = crop.height;
    settings.fps = std::max(1, static_cast<int>(std::lround(table.fps)));
    settings.crf = plan.crf;
    settings.preset = plan.preset;
    std::unique_ptr<H264Mp4Writer> writer;
    std::size_t segment = 0;
    DecodedFrame frame;
    for (std::size_t index = 0; index < table.frames.size(); ++index) {
        if (progress.cancelled()) {
            return fail(ErrorCode::Cancelled, "cutting cancelled");
        }
        auto got = (*reader)->next(frame);
        if (!got) {
            return std::unexpected(got.error());
        }
        if (!*got) {
            break; // fewer decodable frames than packets: the segment ends early
        }
        while (segment < segments.size() && index >= segments[segment].end) {
            ++segment;
        }
        if (segment == segments.size() || segments[segment].copy) {
            continue;
        }
        if (!writer) {
            auto created = H264Mp4Writer::create(segments[segment].videoFile, settings);
            if (!created) {
                return std::unexpected(created.error());
            }
            writer = std::move(*created);
        }
        if (auto ok = writer->write(frame.bgr(crop)); !ok) {
            return ok;
        }
        if (index + 1 == segments[segment].end) {
            if (auto ok = writer->finish(); !ok) {
                return ok;
            }
            writer.reset();
        }
        progress.report(static_cast<std::int64_t>(index + 1),
                        static_cast<std::int64_t>(table.frames.size()), "re-encoding");
    }
    return writer ? writer->finish() : Status{};
}

// Writes `s.file`: the video of `s.videoFile`, packet for packet, with the clip's audio for
// [startSeconds, endSeconds) (to the end when nullopt).
Status muxWithAudio(const PlannedSegment& s, double startSeconds, std::optional<double> endSeconds,
                    SegmentAudio& audio) {
    auto input = openVideoStream(s.videoFile);
    if (!input) {
        return std::unexpected(input.error());
    }
    auto output = Mp4Output::create(s.file);
    if (!output) {
        return std::unexpected(output.error());
    }
    auto video = addStreamLike((*output)->context(), input->stream);
    if (!video) {
        return std::unexpected(video.error());
    }
    auto sound = audio.addStream((*output)->context());
    if (!sound) {
        return std::unexpected(sound.error());
    }
    if (auto ok = (*output)->writeHeader(); !ok) {
        return ok;
    }
    PacketPtr packet(av_packet_alloc());
    if (!packet) {
        return fail(ErrorCode::Internal, "out of memory");
    }
    while (true) {
        const int rc = av_read_frame(input->context.get(), packet.get());
        if (rc == AVERROR_EOF) {
            break;
        }
        if (rc < 0) {
            return std::unexpected(
                toError(rc, "cannot read " + escapeInvalidUtf8(s.videoFile.native())));
        }
        if (packet->stream_index != input->stream->index) {
            av_packet_unref(packet.get());
            continue;
        }
        packet->stream_index = (*video)->index;
        packet->pos = -1;
        av_packet_rescale_ts(packet.get(), input->stream->time_base, (*video)->time_base);
        if (auto ok = (*output)->write(packet.get()); !ok) {
            return ok;
        }
    }
    if (auto ok = audio.writeSegment(startSeconds, endSeconds, **output, *sound); !ok) {
        return ok;
    }
    return (*output)->finish();
}

} // namespace

std::string_view toString(CropAnchor anchor) {
    switch (anchor) {
    case CropAnchor::Center:
        return "center";
    case CropAnchor::Left:
        return "left";
    case CropAnchor::Right:
        return "right";
    case CropAnchor::Top:
        return "top";
    case CropAnchor::Bottom:
        return "bottom";
    }
    return "center";
}

std::optional<CropAnchor> cropAnchorFromString(std::string_view text) {
    for (const CropAnchor anchor : {CropAnchor::Center, CropAnchor::Left, CropAnchor::Right,
                                    CropAnchor::Top, CropAnchor::Bottom}) {
        if (toString(anchor) == text) {
            return anchor;
        }
    }
    return std::nullopt;
}

Result<std::vector<double>> cutsEvery(double every, double durationSeconds, double fps) {
    if (!std::isfinite(every) || every <= 0) {
        return fail(ErrorCode::InvalidArgument, "every: must be more than 0 seconds");
    }
    if (durationSeconds / every > kMaxSegments) {
        return fail(ErrorCode::LimitExceeded,
                    "every: more than " + std::to_string(kMaxSegments) + " segments");
    }
    std::vector<double> cuts;
    const double half = fps > 0 ? 0.5 / fps : 0;
    for (double t = every; t < durationSeconds - half; t += every) {
        cuts.push_back(t);
    }
    return cuts;
}

Result<std::vector<double>> cutsAt(std::vector<double> times, double durationSeconds) {
    if (times.size() > static_cast<std::size_t>(kMaxSegments)) {
        return fail(ErrorCode::LimitExceeded,
                    "at: more than " + std::to_string(kMaxSegments) + " cut points");
    }
    std::sort(times.begin(), times.end());
    for (double t : times) {
        if (!std::isfinite(t) || t <= 0 || t >= durationSeconds) {
            return fail(ErrorCode::InvalidArgument, "at: the cut point " + std::to_string(t) +
                                                        " s is not inside the clip (0 to " +
                                                        std::to_string(durationSeconds) + " s)");
        }
    }
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return times;
}

Result<ClipTiming> clipTiming(const std::filesystem::path& clip) {
    auto table = readPacketTable(clip);
    if (!table) {
        return std::unexpected(table.error());
    }
    return ClipTiming{table->duration(), table->fps, static_cast<int>(table->frames.size())};
}

Result<std::vector<double>> detectSceneCuts(const std::filesystem::path& clip,
                                            ProgressSink& progress) {
    std::vector<double> times;
    std::vector<double> changes; // mean absolute difference to the previous frame, 0-255
    cv::Mat previous;
    cv::Mat gray;
    auto ok = forEachFrame(clip, cv::Size(64, 0), progress, [&](int, const DecodedFrame& frame) {
        if (times.size() >= kMaxPackets) {
            return Status(fail(ErrorCode::LimitExceeded, "scenes: the clip is too long"));
        }
        cv::cvtColor(frame.bgr, gray, cv::COLOR_BGR2GRAY);
        if (!previous.empty()) {
            cv::Mat difference;
            cv::absdiff(gray, previous, difference);
            times.push_back(frame.seconds);
            changes.push_back(cv::mean(difference)[0]);
        }
        gray.copyTo(previous);
        return Status{};
    });
    if (!ok) {
        return std::unexpected(ok.error());
    }
    if (changes.empty()) {
        return std::vector<double>{};
    }
    std::vector<double> sorted = changes;
    std::nth_element(sorted.begin(),
                     sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const double typical = sorted[sorted.size() / 2];
    // A hard cut changes most of the picture; a pan or zoom changes it steadily.
    const double threshold = std::max(30.0, 6 * typical);
    std::vector<double> cuts;
    for (std::size_t i = 0; i < changes.size(); ++i) {
        if (changes[i] > threshold && (cuts.empty() || times[i] - cuts.back() >= 1.0) &&
            times[i] >= 0.5) {
            cuts.push_back(times[i]);
        }
    }
    return cuts;
}

Result<std::vector<CutSegment>> cutClip(const std::filesystem::path& clip, const CutPlan& plan,
                                        const std::filesystem::path& outDir,
                                        ProgressSink& progress) {
    auto table = readPacketTable(clip);
    if (!table) {
        return std::unexpected(table.error());
    }
    if (plan.aspect &&
        (!std::isfinite(*plan.aspect) || *plan.aspect <= 0.01 || *plan.aspect > 100)) {
        return fail(ErrorCode::InvalidArgument, "aspect: out of range");
    }
    std::error_code ec;
    std::filesystem::create_directories(outDir, ec);
    if (ec) {
        return fail(ErrorCode::Io,
                    "cannot create " + escapeInvalidUtf8(outDir.native()) + ": " + ec.message());
    }
    const std::string baseName = plan.baseName.empty() ? clip.stem().string() : plan.baseName;
    std::vector<std::size_t> bounds = {0};
    for (double cut : plan.cutsSeconds) {
        const std::size_t b = table->boundary(cut);
        if (b > bounds.back() && b < table->frames.size()) {
            bounds.push_back(b);
        }
    }
    bounds.push_back(table->frames.size());
    const double origin = static_cast<double>(table->frames.front().pts) * av_q2d(table->timeBase);
    auto audio = SegmentAudio::open(clip, origin);
    if (!audio) {
        return std::unexpected(audio.error());
    }
    IntermediateFiles intermediates;
    std::vector<PlannedSegment> segments;
    bool anyCopy = false;
    bool anyEncode = false;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
        PlannedSegment s;
        s.first = bounds[k];
        s.end = bounds[k + 1];
        s.copy = !plan.aspect && table->frames[s.first].key &&
                 (s.end == table->frames.size() || table->frames[s.end].key);
        s.file = outDir / segmentName(baseName, k);
        s.videoFile = s.file;
        if (*audio) {
            s.videoFile = outDir / ("." + segmentName(baseName, k) + ".video-only.mp4");
            intermediates.paths.push_back(s.videoFile);
        }
        anyCopy = anyCopy || s.copy;
        anyEncode = anyEncode || !s.copy;
        segments.push_back(std::move(s));
    }
    if (anyCopy) {
        if (auto ok = copySegments(clip, *table, segments, progress); !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (anyEncode) {
        if (auto ok = reencodeSegments(clip, *table, plan, segments, progress); !ok) {
            return std::unexpected(ok.error());
        }
    }
    // Why the audio is copied, not re-encoded, even into re-encoded segments: AAC frames
    // decode on their own (bar the overlap with the frame before, so a later segment's first
    // ~21 ms fade in), copying costs no generation loss and no second encoder, and the
    // segment's audio still ends within half a frame of its video. The audio joins after
    // the video is cut, so both cutting paths share it.
    for (std::size_t k = 0; *audio && k < segments.size(); ++k) {
        if (progress.cancelled()) {
            return fail(ErrorCode::Cancelled, "cutting cancelled");
        }
        const PlannedSegment& s = segments[k];
        const std::optional<double> end =
            k + 1 < segments.size() ? std::optional<double>(table->seconds(s.end)) : std::nullopt;
        if (auto ok = muxWithAudio(s, table->seconds(s.first), end, **audio); !ok) {
            return std::unexpected(ok.error());
        }
    }
    std::vector<CutSegment> result;
    for (const PlannedSegment& s : segments) {
        result.push_back({s.file, table->seconds(s.first), table->seconds(s.end),
                          static_cast<int>(s.end - s.first), s.copy});
    }
    return result;
}

Result<std::vector<double>> cutPointsFor(const std::filesystem::path& clip, const CutChoice& choice,
                                         ProgressSink& progress) {
    if (choice.mode == CutMode::Scenes) {
        return detectSceneCuts(clip, progress);
    }
    auto timing = clipTiming(clip);
    if (!timing) {
        return std::unexpected(timing.error());
    }
    if (choice.mode == CutMode::Every) {
        return cutsEvery(choice.everySeconds, timing->durationSeconds, timing->fps);
    }
    return cutsAt(choice.times, timing->durationSeconds);
}

} // namespace ripen
