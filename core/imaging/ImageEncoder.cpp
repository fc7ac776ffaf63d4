#include "imaging/ImageEncoder.h"

#include "imaging/PngChunks.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>
#include <zlib.h>

namespace ripen {
namespace {

constexpr std::string_view kJpegStart{"\xFF\xD8", 2};

void appendBigEndian(std::string& out, std::uint32_t value, int bytes) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
    }
}

std::string pngChunk(std::string_view type, std::string_view data) {
    std::string chunk;
    appendBigEndian(chunk, static_cast<std::uint32_t>(data.size()), 4);
    chunk.append(type);
    chunk.append(data);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(type.data()), static_cast<uInt>(type.size()));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
    appendBigEndian(chunk, static_cast<std::uint32_t>(crc), 4);
    return chunk;
}

Result<std::string> pngWithResolution(std::string_view png, int dpi) {
    auto chunks = PngChunks::parse(png);
    if (!chunks) {
        return std::unexpected(chunks.error());
    }
    // Pixels per metre, as pHYs counts them.
    const auto perMetre = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
    std::string phys;
    appendBigEndian(phys, perMetre, 4);
    appendBigEndian(phys, perMetre, 4);
    phys.push_back('\x01'); // unit: metre
    std::string out(PngChunks::kSignature);
    for (const auto& chunk : *chunks) {
        if (chunk.type == "pHYs") {
            continue;
        }
        out.append(png.substr(chunk.offset, 12 + chunk.data.size()));
        if (chunk.type == "IHDR") {
            out += pngChunk("pHYs", phys);
        }
    }
    return out;
}

Result<std::string> jpegWithResolution(std::string_view jpeg, int dpi) {
    if (!jpeg.starts_with(kJpegStart)) {
        return fail(ErrorCode::Corrupt, "not a JPEG: the start marker is missing");
    }
    const auto density = static_cast<std::uint32_t>(std::min(dpi, 65535));
    std::string out(jpeg);
    // SOI, then APP0 "JFIF\0": version at 11, units at 13, densities at 14 and 16.
    if (out.size() > 18 && out.compare(2, 2, "\xFF\xE0") == 0 &&
        out.compare(6, 5, std::string_view("JFIF\0", 5)) == 0) {
        out[13] = '\x01'; // dots per inch
        out[14] = static_cast<char>(density >> 8);
        out[15] = static_cast<char>(density & 0xFF);
        out[16] = static_cast<char>(density >> 8);
        out[17] = static_cast<char>(density & 0xFF);
        return out;
    }
    std::string app0("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x01", 14);
    appendBigEndian(app0, density, 2);
    appendBigEndian(app0, density, 2);
    app0.append("\x00\x00", 2); // no embedded thumbnail
    out.insert(2, app0);
    return out;
}

} // namespace

Result<std::string> encodeImage(const cv::Mat& image, const EncodeOptions& options) {
    if (image.empty() || image.depth() != CV_8U ||
        (image.channels() != 3 && image.channels() != 4)) {
        return fail(ErrorCode::InvalidArgument, "only 8-bit BGR or BGRA images can be encoded");
    }
    if (options.quality < 1 || options.quality > 100) {
        return fail(ErrorCode::InvalidArgument,
                    "quality must be 1-100, not " + std::to_string(options.quality));
    }
    std::string extension;
    std::vector<int> params;
    cv::Mat pixels = image;
    if (options.format == "png") {
        extension = ".png";
    } else if (options.format == "jpeg") {
        extension = ".jpg";
        params = {cv::IMWRITE_JPEG_QUALITY, options.quality};
        if (image.channels() == 4) {
            // Alpha over white, as a viewer would show it.
            cv::Mat bgr, alpha, alpha3, white(image.size(), CV_8UC3, cv::Scalar::all(255));
            cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
            cv::extractChannel(image, alpha, 3);
            cv::cvtColor(alpha, alpha3, cv::COLOR_GRAY2BGR);
            bgr.convertTo(bgr, CV_32FC3);
            white.convertTo(white, CV_32FC3);
            alpha3.convertTo(alpha3, CV_32FC3, 1.0 / 255.0);
            cv::Mat blended = bgr.mul(alpha3) + white.mul(cv::Scalar::all(1.0) - alpha3);
            blended.convertTo(pixels, CV_8UC3);
        }
    } else if (options.format == "webp") {
        extension = ".webp";
        params = {cv::IMWRITE_WEBP_QUALITY, options.quality};
    } else if (options.format == "tiff") {
        extension = ".tiff";
        if (options.dpi > 0) {
            params = {cv::IMWRITE_TIFF_RESUNIT, 2,          cv::IMWRITE_TIFF_XDPI, options.dpi,
                      cv::IMWRITE_TIFF_YDPI,    options.dpi};
        }
    } else {
        return fail(ErrorCode::InvalidArgument, "cannot write images as '" + options.format +
                                                    "'; choose png, jpeg, webp or tiff");
    }
    if (!cv::haveImageWriter(extension)) {
        return fail(ErrorCode::Unsupported, "this build cannot write " + options.format + " files");
    }
    std::vector<uchar> buffer;
    try {
        if (!cv::imencode(extension, pixels, buffer, params)) {
            return fail(ErrorCode::Internal, "the " + options.format + " encoder failed");
        }
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, "the " + options.format + " encoder failed: " + e.what());
    }
    std::string bytes(buffer.begin(), buffer.end());
    if (options.dpi > 0 && (options.format == "png" || options.format == "jpeg")) {
        return withResolution(bytes, options.format, options.dpi);
    }
    return bytes;
}

Result<std::string> withResolution(std::string_view bytes, std::string_view format, int dpi) {
    if (dpi <= 0) {
        return fail(ErrorCode::InvalidArgument, "the resolution must be positive");
    }
    if (format == "png") {
        return pngWithResolution(bytes, dpi);
    }
    if (format == "jpeg") {
        return jpegWithResolution(bytes, dpi);
    }
    return fail(ErrorCode::Unsupported, "cannot set the resolution of a " + std::string(format) +
                                            " file without re-encoding it");
}

} // namespace ripen
