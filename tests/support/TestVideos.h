#pragma once

#include <filesystem>
#include <functional>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>

namespace ripen::test {

// A still with detail at every scale (smooth blobs, edges, fine grain), deterministic per
// seed, so motion estimators and phase correlation lock on everywhere.
cv::Mat makeTexturedStill(int width, int height, int seed);

// Writes an H.264 MP4 of `frames` frames drawn by `draw(index)` (BGR, width x height),
// through Ripen's own writer with a fast preset.
void writeTestClip(const std::filesystem::path& path, int width, int height, int fps, int frames,
                   const std::function<cv::Mat(int)>& draw);

// Like writeTestClip, plus a mono 48 kHz AAC track (libavcodec's aac encoder) of a sine at
// `toneHz`, exactly as long as the video (the last AAC frame is a short one).
void writeTestClipWithTone(const std::filesystem::path& path, int width, int height, int fps,
                           int frames, const std::function<cv::Mat(int)>& draw,
                           double toneHz = 440);

// The duration of the first audio stream as libavformat reads it; nullopt without audio.
std::optional<double> audioSeconds(const std::filesystem::path& path);

// PSNR of the grey (luma) versions, in dB: what H.264's 4:2:0 chroma does not blur.
double lumaPsnr(const cv::Mat& a, const cv::Mat& b);

// Decodes every frame of a clip with Ripen's reader.
std::vector<cv::Mat> decodeAllFrames(const std::filesystem::path& path);

// What Debian's ffprobe says about the first video stream, counting frames by decoding.
struct FfprobeFacts {
    std::string codec;
    int width = 0;
    int height = 0;
    std::string frameRate; // "30/1"
    int frames = 0;
    double durationSeconds = 0;
};

// nullopt when no ffprobe is on PATH (scripts/setup.sh installs it).
std::optional<FfprobeFacts> ffprobe(const std::filesystem::path& path);

} // namespace ripen::test
