#include "support/TestVideos.h"

#include "support/Process.h"
#include "video/H264Mp4Writer.h"
#include "video/VideoFrameReader.h"

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
