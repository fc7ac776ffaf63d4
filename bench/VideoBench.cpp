// bench_video: Ripen's camera move from a 4096² still (1080p and 2160p, 6 s at 30 fps) against
// the ffmpeg command line's zoompan with the same encoder settings (PERFORMANCE.md §5), and
// the cut of a 60 s clip into 2 s segments against ffmpeg's segment muxer, both re-measured
// here in the same run. Needs Debian's ffmpeg on PATH for the anchors (scripts/setup.sh).

#include "BenchCommon.h"
#include "CommandLine.h"
#include "ResultTable.h"
#include "common/ProgressSink.h"
#include "video/ClipCutter.h"
#include "video/H264Mp4Writer.h"
#include "video/StillMove.h"

#include <fstream>
#include <iostream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace rb = ripen::bench;

namespace {

constexpr int kStillSide = 4096;
constexpr int kFps = 30;
constexpr int kMoveFrames = 180; // 6 s
constexpr int kCrf = 18;
const std::string kPreset = "medium";

// PERFORMANCE.md §5's Ken Burns: crop to 16:9, zoom 1.00 -> 1.25 while panning left to right.
std::string zoompanFilter(int width, int height) {
    return "crop=4096:2304:0:896,zoompan=z='1+0.25*on/179':x='(iw-iw/zoom)*on/179':"
           "y='(ih-ih/zoom)/2':d=180:fps=30:s=" +
           std::to_string(width) + "x" + std::to_string(height);
}

// The same move as a Ripen path: at frame 179 the crop is 1/1.25 of 4096x2304 at the right.
std::string zoompanPath() {
    const double w = 4096 / 1.25;
    const double h = 2304 / 1.25;
    std::ostringstream json;
    json << R"({"keys": [{"t": 0, "x": 0, "y": 896, "w": 4096, "h": 2304},)"
         << R"({"t": )" << (kMoveFrames - 1) / double(kFps) << R"(, "x": )" << 4096 - w
         << R"(, "y": )" << 896 + (2304 - h) / 2 << R"(, "w": )" << w << R"(, "h": )" << h << "}]}";
    return json.str();
}

int runProgram(const std::vector<std::string>& argv) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool haveFfmpeg() {
    return runProgram({"sh", "-c", "command -v ffmpeg >/dev/null"}) == 0;
}

// A 4096² JPEG with detail at every scale, cached: both sides decode the same file.
std::filesystem::path still() {
    const auto path = rb::cacheRoot() / "video" / "still4096.jpg";
    if (std::filesystem::exists(path)) {
        return path;
    }
    std::filesystem::create_directories(path.parent_path());
    cv::RNG rng(4096);
    cv::Mat coarse(64, 64, CV_8UC3);
    rng.fill(coarse, cv::RNG::UNIFORM, 0, 256);
    cv::Mat image;
    cv::resize(coarse, image, cv::Size(kStillSide, kStillSide), 0, 0, cv::INTER_CUBIC);
    for (int i = 0; i < 400; ++i) {
        cv::circle(
            image, {rng.uniform(0, kStillSide), rng.uniform(0, kStillSide)}, rng.uniform(4, 200),
            cv::Scalar(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256)), cv::FILLED);
    }
    cv::Mat grain(image.size(), CV_16SC3);
    rng.fill(grain, cv::RNG::NORMAL, 0, 10);
    cv::Mat wide;
    image.convertTo(wide, CV_16SC3);
    wide += grain;
    wide.convertTo(image, CV_8UC3);
    cv::imwrite(path.string(), image, {cv::IMWRITE_JPEG_QUALITY, 92});
    return path;
}

double timeRipenMove(const std::filesystem::path& stillFile, const std::filesystem::path& pathFile,
                     int width, int height, const std::filesystem::path& out) {
    ripen::StillMoveRequest request;
    request.move = "path:" + pathFile.string();
    request.durationSeconds = kMoveFrames / double(kFps);
    request.video = {width, height, kFps, kCrf, kPreset, 0};
    ripen::NullProgress progress;
    const auto start = rb::Clock::now();
    if (auto ok = ripen::renderStillMove(stillFile, request, out, progress); !ok) {
        throw std::runtime_error("Ripen move: " + ok.error().message);
    }
    return rb::secondsSince(start);
}

double timeZoompan(const std::filesystem::path& stillFile, int width, int height,
                   const std::filesystem::path& out) {
    const auto start = rb::Clock::now();
    const int rc = runProgram({"ffmpeg", "-y", "-v", "error", "-i", stillFile.string(), "-vf",
                               zoompanFilter(width, height), "-c:v", "libx264", "-preset", kPreset,
                               "-crf", std::to_string(kCrf), "-pix_fmt", "yuv420p", "-movflags",
                               "+faststart", out.string()});
    if (rc != 0) {
        throw std::runtime_error("ffmpeg zoompan failed");
    }
    return rb::secondsSince(start);
}

// A 60 s 1080p30 clip with a keyframe every second (Ripen's writer), cached.
std::filesystem::path sixtySecondClip() {
    const auto path = rb::cacheRoot() / "video" / "clip60s.mp4";
    if (std::filesystem::exists(path)) {
        return path;
    }
    ripen::H264Settings settings{1920, 1080, kFps, 23, "ultrafast", 0};
    auto writer = ripen::H264Mp4Writer::create(path, settings);
    if (!writer) {
        throw std::runtime_error(writer.error().message);
    }
    cv::Mat frame(1080, 1920, CV_8UC3);
    for (int i = 0; i < 60 * kFps; ++i) {
        frame.setTo(cv::Scalar(i % 256, (i * 3) % 256, 128));
        cv::circle(frame, {(i * 7) % 1920, 540}, 200, cv::Scalar(255, 255, 255), cv::FILLED);
        if (auto ok = (*writer)->write(frame); !ok) {
            throw std::runtime_error(ok.error().message);
        }
    }
    if (auto ok = (*writer)->finish(); !ok) {
        throw std::runtime_error(ok.error().message);
    }
    return path;
}

double timeRipenCut(const std::filesystem::path& clip, const std::filesystem::path& outDir) {
    std::filesystem::remove_all(outDir);
    ripen::NullProgress progress;
    const auto start = rb::Clock::now();
    auto timing = ripen::clipTiming(clip);
    if (!timing) {
        throw std::runtime_error(timing.error().message);
    }
    auto cuts = ripen::cutsEvery(2, timing->durationSeconds, timing->fps);
    if (!cuts) {
        throw std::runtime_error(cuts.error().message);
    }
    ripen::CutPlan plan;
    plan.cutsSeconds = *cuts;
    auto segments = ripen::cutClip(clip, plan, outDir, progress);
    if (!segments || segments->size() != 30) {
        throw std::runtime_error("Ripen cut failed");
    }
    return rb::secondsSince(start);
}

double timeFfmpegSegments(const std::filesystem::path& clip, const std::filesystem::path& outDir) {
    std::filesystem::remove_all(outDir);
    std::filesystem::create_directories(outDir);
    std::string times;
    for (int t = 2; t < 60; t += 2) {
        times += (times.empty() ? "" : ",") + std::to_string(t);
    }
    const auto start = rb::Clock::now();
    const int rc = runProgram({"ffmpeg", "-y", "-v", "error", "-i", clip.string(), "-c", "copy",
                               "-f", "segment", "-segment_times", times, "-reset_timestamps", "1",
                               (outDir / "seg-%03d.mp4").string()});
    if (rc != 0) {
        throw std::runtime_error("ffmpeg segment failed");
    }
    return rb::secondsSince(start);
}

int run(int argc, char** argv) {
    const rb::CommandLine args(argc, argv, {"--runs"}, {"--quick"});
    const int runs = static_cast<int>(args.number("--runs", args.has("--quick") ? 1 : 3));
    if (!haveFfmpeg()) {
        std::cerr << "bench_video: no ffmpeg on PATH; run scripts/setup.sh\n";
        return 1;
    }
    const auto scratch = rb::makeScratchDir("ripen-bench-video");
    const auto stillFile = still();
    const auto pathFile = scratch / "zoompan.json";
    std::ofstream(pathFile) << zoompanPath();

    std::cout << "## Camera move: 6 s at 30 fps from a 4096x4096 JPEG, x264 " << kPreset << " crf "
              << kCrf << ", " << runs << " run(s), medians\n\n";
    rb::ResultTable moves({"output", "Ripen", "ffmpeg zoompan", "Ripen fps", "zoompan fps",
                           "time ratio Ripen/ffmpeg (lower is better)"});
    for (const auto& [width, height] : {std::pair{1920, 1080}, std::pair{3840, 2160}}) {
        std::vector<double> ripen;
        std::vector<double> anchor;
        for (int i = 0; i < runs; ++i) { // interleaved, so both see the same machine load
            ripen.push_back(timeRipenMove(stillFile, pathFile, width, height, scratch / "r.mp4"));
            anchor.push_back(timeZoompan(stillFile, width, height, scratch / "a.mp4"));
        }
        const double r = rb::median(ripen);
        const double a = rb::median(anchor);
        moves.addRow({std::to_string(width) + "x" + std::to_string(height), rb::formatDuration(r),
                      rb::formatDuration(a), rb::formatFixed(kMoveFrames / r, 1),
                      rb::formatFixed(kMoveFrames / a, 1), rb::ratioText(r, a)});
    }
    std::cout << moves.toMarkdown() << "\n" << std::flush; // the cut below takes minutes

    std::cout << "## Cut: 60 s 1080p30 clip (keyframe every second) into 2 s segments, " << runs
              << " run(s), medians\n\n";
    const auto clip = sixtySecondClip();
    std::vector<double> ripenCut;
    std::vector<double> anchorCut;
    for (int i = 0; i < std::max(runs, 3); ++i) {
        ripenCut.push_back(timeRipenCut(clip, scratch / "ripen-cut"));
        anchorCut.push_back(timeFfmpegSegments(clip, scratch / "ffmpeg-cut"));
    }
    rb::ResultTable cut(
        {"job", "Ripen (stream copy)", "ffmpeg -f segment -c copy", "time ratio Ripen/ffmpeg"});
    cut.addRow({"30 segments", rb::formatDuration(rb::median(ripenCut)),
                rb::formatDuration(rb::median(anchorCut)),
                rb::ratioText(rb::median(ripenCut), rb::median(anchorCut))});
    std::cout << cut.toMarkdown();
    std::filesystem::remove_all(scratch);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_video: " << e.what() << "\n";
        return 1;
    }
}
