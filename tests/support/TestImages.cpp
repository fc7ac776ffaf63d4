#include "support/TestImages.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <zlib.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace ripen::test {

cv::Mat makeTestImage(int width, int height, int seed) {
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
        auto* row = image.ptr<cv::Vec3b>(y);
        for (int x = 0; x < width; ++x) {
            row[x] = cv::Vec3b(static_cast<uchar>((x * 255) / std::max(1, width - 1)),
                               static_cast<uchar>((y * 255) / std::max(1, height - 1)),
                               static_cast<uchar>((x + y + seed * 37) & 0xFF));
        }
    }
    const int r = std::max(2, std::min(width, height) / 5);
    cv::circle(image, {(seed * 53) % std::max(1, width), (seed * 29) % std::max(1, height)}, r,
               cv::Scalar((seed * 71) & 0xFF, 40, 200), cv::FILLED);
    cv::rectangle(image, cv::Rect(width / 8, height / 8, width / 4 + 1, height / 4 + 1),
                  cv::Scalar(30, (seed * 13) & 0xFF, 90), cv::FILLED);
    return image;
}

void writeTestImage(const std::filesystem::path& path, const cv::Mat& image) {
    std::filesystem::create_directories(path.parent_path());
    if (!cv::imwrite(path.string(), image)) {
        throw std::runtime_error("cv::imwrite failed for " + path.string());
    }
}

std::string encodeTestImage(const cv::Mat& image, const std::string& extension) {
    std::vector<uchar> buffer;
    if (!cv::imencode(extension, image, buffer)) {
        throw std::runtime_error("cv::imencode failed for " + extension);
    }
    return {buffer.begin(), buffer.end()};
}

std::string pngClaimingSize(std::uint32_t width, std::uint32_t height) {
    std::string png = encodeTestImage(makeTestImage(8, 8, 1), ".png");
    const auto putBigEndian = [&](std::size_t offset, std::uint32_t value) {
        for (int i = 0; i < 4; ++i) {
            png[offset + static_cast<std::size_t>(i)] = static_cast<char>(value >> (24 - 8 * i));
        }
    };
    // Signature (8), IHDR length (4), "IHDR" at 12, width at 16, height at 20, CRC at 29.
    putBigEndian(16, width);
    putBigEndian(20, height);
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17);
    putBigEndian(29, static_cast<std::uint32_t>(crc));
    return png;
}

std::string readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

} // namespace ripen::test
