#include "imaging/ImageDecoder.h"

#include "common/ByteOrder.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace ripen {
namespace {

std::unexpected<Error> truncatedFile(MediaFormat format, const std::string& what) {
    return fail(ErrorCode::Corrupt,
                std::string(toString(format)) + " file is truncated or damaged: " + what);
}

// Walks the chunk list to IEND without reading chunk data; libpng and OpenCV only notice a
// missing tail when the compressed stream runs dry, and not at all after a complete IDAT.
// Reports whether a tRNS chunk gives a palette or colour image transparency.
Status checkPngComplete(std::string_view b, bool& hasTransparencyChunk) {
    std::size_t pos = 8;
    while (true) {
        if (!fitsIn(b.size(), pos, 8)) {
            return truncatedFile(MediaFormat::Png, "it ends before its IEND chunk");
        }
        const std::uint32_t length = readBe32(b, pos);
        const std::string_view type = b.substr(pos + 4, 4);
        if (length > 0x7FFFFFFFU) {
            return truncatedFile(MediaFormat::Png,
                                 "chunk length out of range at byte " + std::to_string(pos));
        }
        if (!fitsIn(b.size(), pos + 8, std::uint64_t{length} + 4)) {
            return truncatedFile(MediaFormat::Png, "it ends inside its '" + std::string(type) +
                                                       "' chunk at byte " + std::to_string(pos));
        }
        if (type == "IEND") {
            return {};
        }
        if (type == "tRNS") {
            hasTransparencyChunk = true;
        }
        pos += 12 + std::size_t{length};
    }
}

bool isStandaloneJpegMarker(std::uint32_t marker) {
    return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
}

// Follows the marker segments and entropy-coded scans to EOI. Searching only the tail for
// FF D9 would refuse good files that carry data after the image (Motion Photos append a
// whole MP4) and could be fooled by an EXIF thumbnail's EOI; the walk does neither, since
// APPn payloads are skipped by length and scan data cannot contain an unstuffed marker.
Status checkJpegComplete(std::string_view b) {
    std::size_t pos = 2;
    while (true) {
        // Expect a marker, allowing fill bytes.
        if (pos >= b.size() || byteAt(b, pos) != 0xFF) {
            return pos >= b.size()
                       ? truncatedFile(MediaFormat::Jpeg, "it ends before its end-of-image marker")
                       : truncatedFile(MediaFormat::Jpeg, "no marker where one must be, at byte " +
                                                              std::to_string(pos));
        }
        while (pos < b.size() && byteAt(b, pos) == 0xFF) {
            ++pos;
        }
        if (pos >= b.size()) {
            return truncatedFile(MediaFormat::Jpeg, "it ends before its end-of-image marker");
        }
        const std::uint32_t marker = byteAt(b, pos++);
        if (marker == 0xD9) {
            return {};
        }
        if (isStandaloneJpegMarker(marker)) {
            continue;
        }
        if (!fitsIn(b.size(), pos, 2) || !fitsIn(b.size(), pos, readBe16(b, pos))) {
            return truncatedFile(MediaFormat::Jpeg, "it ends inside a marker segment");
        }
        const std::uint16_t length = readBe16(b, pos);
        if (length < 2) {
            return truncatedFile(MediaFormat::Jpeg,
                                 "bad segment length at byte " + std::to_string(pos));
        }
        pos += length;
        if (marker != 0xDA) {
            continue;
        }
        // Entropy-coded data: 0xFF is followed by 00 (stuffing), RSTn, or the next marker.
        while (true) {
            const void* hit = std::memchr(b.data() + pos, 0xFF, b.size() - pos);
            if (hit == nullptr) {
                return truncatedFile(MediaFormat::Jpeg,
                                     "it ends inside the compressed image data, before its "
                                     "end-of-image marker");
            }
            pos = static_cast<std::size_t>(static_cast<const char*>(hit) - b.data());
            std::size_t next = pos + 1;
            while (next < b.size() && byteAt(b, next) == 0xFF) {
                ++next;
            }
            if (next >= b.size()) {
                return truncatedFile(MediaFormat::Jpeg, "it ends before its end-of-image marker");
            }
            const std::uint32_t following = byteAt(b, next);
            if (following == 0x00 || (following >= 0xD0 && following <= 0xD7)) {
                pos = next + 1;
                continue;
            }
            pos = next - 1; // back onto the last 0xFF: the marker loop takes it from here
            break;
        }
    }
}

Status checkWebpComplete(std::string_view b) {
    const std::uint64_t riffEnd = std::uint64_t{readLe32(b, 4)} + 8;
    if (riffEnd > b.size()) {
        return truncatedFile(MediaFormat::Webp,
                             "its RIFF header declares " + std::to_string(riffEnd) +
                                 " bytes, the file has " + std::to_string(b.size()));
    }
    return {};
}

int reducedJpegFlag(const ImageHeader& header, int thumbnailSide) {
    if (thumbnailSide <= 0) {
        return cv::IMREAD_COLOR;
    }
    const std::uint32_t longer = std::max(header.width, header.height);
    const auto side = static_cast<std::uint32_t>(thumbnailSide);
    // libjpeg rounds the scaled size up, so ceil(longer / factor) is what comes back.
    const auto fits = [&](std::uint32_t factor) {
        return (longer + factor - 1) / factor >= side;
    };
    if (fits(8)) {
        return cv::IMREAD_REDUCED_COLOR_8;
    }
    if (fits(4)) {
        return cv::IMREAD_REDUCED_COLOR_4;
    }
    if (fits(2)) {
        return cv::IMREAD_REDUCED_COLOR_2;
    }
    return cv::IMREAD_COLOR;
}

// IMREAD_UNCHANGED keeps alpha but also bit depth and grey; bring it to 8-bit BGR(A).
Result<cv::Mat> toBgr8(cv::Mat image) {
    switch (image.depth()) {
    case CV_8U:
        break;
    case CV_16U:
        image.convertTo(image, CV_8U, 1.0 / 257.0);
        break;
    case CV_32F:
        image.convertTo(image, CV_8U, 255.0);
        break;
    default:
        return fail(ErrorCode::Unsupported, "unsupported sample type in the decoded image");
    }
    cv::Mat out;
    switch (image.channels()) {
    case 1:
        cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
        return out;
    case 2: {
        out.create(image.size(), CV_8UC4);
        const int fromTo[] = {0, 0, 0, 1, 0, 2, 1, 3};
        cv::mixChannels(&image, 1, &out, 1, fromTo, 4);
        return out;
    }
    case 3:
    case 4:
        return image;
    default:
        return fail(ErrorCode::Unsupported,
                    std::to_string(image.channels()) + "-channel images are not supported");
    }
}

Result<cv::Mat> decodeChecked(std::string_view bytes, const DecodeOptions& options) {
    if (bytes.size() > kMaxImageFileBytes) {
        return fail(ErrorCode::LimitExceeded,
                    "image file is " + std::to_string(bytes.size() >> 20) +
                        " MiB; Ripen reads images up to " +
                        std::to_string(kMaxImageFileBytes >> 20) + " MiB");
    }
    auto header = readImageHeader(bytes);
    if (!header) {
        return std::unexpected(header.error());
    }
    if (auto limits = checkImageLimits(*header); !limits) {
        return std::unexpected(limits.error());
    }
    bool keepAlpha = header->hasAlpha;
    int flags = cv::IMREAD_COLOR;
    switch (header->format) {
    case MediaFormat::Png: {
        bool hasTransparencyChunk = false;
        if (auto ok = checkPngComplete(bytes, hasTransparencyChunk); !ok) {
            return std::unexpected(ok.error());
        }
        keepAlpha = keepAlpha || hasTransparencyChunk;
        break;
    }
    case MediaFormat::Jpeg:
        if (auto ok = checkJpegComplete(bytes); !ok) {
            return std::unexpected(ok.error());
        }
        flags = reducedJpegFlag(*header, options.reducedForThumbnailSide);
        break;
    case MediaFormat::Webp:
        if (auto ok = checkWebpComplete(bytes); !ok) {
            return std::unexpected(ok.error());
        }
        break;
    default:
        break; // TIFF: libtiff reports short strips itself
    }
    if (keepAlpha) {
        flags = cv::IMREAD_UNCHANGED;
    }
    // imdecode wants a Mat; this one borrows the caller's bytes without copying.
    const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1,
                          const_cast<char*>(bytes.data()));
    cv::Mat image = cv::imdecode(encoded, flags);
    if (image.empty()) {
        return fail(ErrorCode::Corrupt, std::string("the ") + toString(header->format) +
                                            " decoder could not read the image data");
    }
    if (image.depth() == CV_8U && (image.channels() == 3 || image.channels() == 4)) {
        return image;
    }
    return toBgr8(std::move(image));
}

void flattenOnGrey(cv::Mat& bgra) {
    constexpr int kGrey = 128;
    cv::Mat bgr(bgra.size(), CV_8UC3);
    for (int y = 0; y < bgra.rows; ++y) {
        const auto* in = bgra.ptr<cv::Vec4b>(y);
        auto* out = bgr.ptr<cv::Vec3b>(y);
        for (int x = 0; x < bgra.cols; ++x) {
            const int alpha = in[x][3];
            for (int c = 0; c < 3; ++c) {
                out[x][c] =
                    static_cast<uchar>((in[x][c] * alpha + kGrey * (255 - alpha) + 127) / 255);
            }
        }
    }
    bgra = bgr;
}

} // namespace

Result<cv::Mat> decodeImage(std::string_view bytes, const DecodeOptions& options) {
    // OpenCV reports codec failures by exception in some paths (libpng longjmp, libtiff
    // errors, allocation) and by an empty Mat in others; callers see only Error.
    try {
        return decodeChecked(bytes, options);
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Corrupt, std::string("image decoder failed: ") + e.what());
    } catch (const std::bad_alloc&) {
        return fail(ErrorCode::Internal, "out of memory while decoding an image");
    }
}

Result<std::string> makeThumbnailJpeg(const cv::Mat& image, int maxSide, int quality) {
    if (image.empty() || image.depth() != CV_8U ||
        (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
        return fail(ErrorCode::InvalidArgument,
                    "thumbnails need a non-empty 8-bit grey, BGR or BGRA image");
    }
    if (maxSide < 1 || maxSide > static_cast<int>(kMaxImageSide) || quality < 1 || quality > 100) {
        return fail(ErrorCode::InvalidArgument, "thumbnail side must be 1.." +
                                                    std::to_string(kMaxImageSide) +
                                                    " and quality 1..100");
    }
    try {
        cv::Mat work = image;
        if (work.channels() == 4) {
            // Flatten before resizing so colour hidden under alpha 0 never bleeds in.
            flattenOnGrey(work);
        }
        const int longer = std::max(work.cols, work.rows);
        if (longer > maxSide) {
            const double scale = static_cast<double>(maxSide) / longer;
            const cv::Size size(std::clamp(static_cast<int>(work.cols * scale + 0.5), 1, maxSide),
                                std::clamp(static_cast<int>(work.rows * scale + 0.5), 1, maxSide));
            cv::Mat resized;
            cv::resize(work, resized, size, 0, 0, cv::INTER_AREA);
            work = resized;
        }
        std::vector<uchar> encoded;
        if (!cv::imencode(".jpg", work, encoded, {cv::IMWRITE_JPEG_QUALITY, quality})) {
            return fail(ErrorCode::Internal, "JPEG encoder refused the thumbnail");
        }
        return std::string(encoded.begin(), encoded.end());
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, std::string("thumbnail encoding failed: ") + e.what());
    } catch (const std::bad_alloc&) {
        return fail(ErrorCode::Internal, "out of memory while making a thumbnail");
    }
}

} // namespace ripen
