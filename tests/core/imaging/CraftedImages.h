#pragma once

// Hand-made image bytes for the imaging tests: headers that lie, files cut short.

#include <catch2/catch.hpp>
#include <cstdint>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace ripen::test {

inline std::string encodeImage(const std::string& extension, const cv::Mat& image,
                               const std::vector<int>& params = {}) {
    std::vector<uchar> bytes;
    REQUIRE(cv::imencode(extension, image, bytes, params));
    return {bytes.begin(), bytes.end()};
}

// CRC-32 as PNG defines it, computed bit by bit so the tests do not share zlib with the
// code they check.
inline std::uint32_t pngCrc(const std::string& bytes) {
    std::uint32_t crc = 0xFFFFFFFFU;
    for (unsigned char byte : bytes) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
        }
    }
    return crc ^ 0xFFFFFFFFU;
}

inline std::string be32(std::uint32_t value) {
    return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
            static_cast<char>(value >> 8), static_cast<char>(value)};
}

inline std::string le16(std::uint32_t value) {
    return {static_cast<char>(value), static_cast<char>(value >> 8)};
}

inline std::string le32(std::uint32_t value) {
    return le16(value & 0xFFFF) + le16(value >> 16);
}

inline std::string pngChunk(const std::string& type, const std::string& data) {
    return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(pngCrc(type + data));
}

// A PNG whose IHDR claims `width` x `height` RGBA pixels, with a tiny IDAT and an IEND: a
// decompression bomb's header without the bomb.
inline std::string pngClaiming(std::uint32_t width, std::uint32_t height, char colourType = 6) {
    const std::string ihdr = be32(width) + be32(height) + std::string{8, colourType, 0, 0, 0};
    return std::string("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) +
           pngChunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8)) +
           pngChunk("IEND", "");
}

// Rewrites the size in the first SOF0 segment of a baseline JPEG.
inline std::string jpegClaiming(std::string jpeg, std::uint16_t width, std::uint16_t height) {
    const std::size_t sof = jpeg.find("\xff\xc0");
    REQUIRE(sof != std::string::npos);
    jpeg[sof + 5] = static_cast<char>(height >> 8);
    jpeg[sof + 6] = static_cast<char>(height);
    jpeg[sof + 7] = static_cast<char>(width >> 8);
    jpeg[sof + 8] = static_cast<char>(width);
    return jpeg;
}

} // namespace ripen::test
