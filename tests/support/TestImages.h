#pragma once

#include <opencv2/core.hpp>

#include <filesystem>
#include <string>

namespace ripen::test {

// A deterministic, non-trivial colour image (gradients plus shapes) so encoders do real
// work and different seeds give different content hashes.
cv::Mat makeTestImage(int width, int height, int seed);

// Encodes `image` by the extension of `path` (png, jpg, webp, tif) and writes it.
void writeTestImage(const std::filesystem::path& path, const cv::Mat& image);

// Reads a whole file as bytes.
std::string readBytes(const std::filesystem::path& path);
void writeBytes(const std::filesystem::path& path, const std::string& bytes);

} // namespace ripen::test
