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

// Encodes to memory; `extension` as ".png", ".jpg", ...
std::string encodeTestImage(const cv::Mat& image, const std::string& extension);

// A PNG whose IHDR claims `width` x `height` (with a correct CRC) over a tiny real image:
// the shape of a decompression bomb, used to prove the header is checked before decoding.
std::string pngClaimingSize(std::uint32_t width, std::uint32_t height);

// Reads a whole file as bytes.
std::string readBytes(const std::filesystem::path& path);
void writeBytes(const std::filesystem::path& path, const std::string& bytes);

} // namespace ripen::test
