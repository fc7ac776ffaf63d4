#include "providers/localsd/SdRequestSupport.h"

#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"
#include "imaging/MediaFormat.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace ripen::providers::localsd {

namespace {

int roundSide(double side) {
    const int rounded = static_cast<int>(std::lround(side / kLatentCell)) * kLatentCell;
    return std::clamp(rounded, kMinSide, kMaxSide);
}

// "1024x1536" or "16:9" split at `separator` into two positive integers.
std::optional<std::pair<int, int>> parsePair(std::string_view text, char separator) {
    const auto at = text.find(separator);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    int first = 0;
    int second = 0;
    const auto a = text.substr(0, at);
    const auto b = text.substr(at + 1);
    const auto r1 = std::from_chars(a.data(), a.data() + a.size(), first);
    const auto r2 = std::from_chars(b.data(), b.data() + b.size(), second);
    if (r1.ec != std::errc{} || r1.ptr != a.data() + a.size() || r2.ec != std::errc{} ||
        r2.ptr != b.data() + b.size() || first <= 0 || second <= 0) {
        return std::nullopt;
    }
    return std::pair{first, second};
}

const nlohmann::json* optionValue(const nlohmann::json& options, std::string_view key) {
    if (!options.is_object()) {
        return nullptr;
    }
    const auto it = options.find(std::string(key));
    if (it == options.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

Error wrongType(std::string_view key, std::string_view expected) {
    return Error{ErrorCode::InvalidArgument,
                 "option \"" + std::string(key) + "\" must be " + std::string(expected)};
}

} // namespace

Result<ImageDimensions> requestedDimensions(const GenerationRequest& request, int defaultSide) {
    auto width = integerOption(request.options, "width", 0);
    auto height = integerOption(request.options, "height", 0);
    if (!width || !height) {
        return std::unexpected(!width ? width.error() : height.error());
    }
    if (*width > 0 && *height > 0) {
        return ImageDimensions{roundSide(static_cast<double>(*width)),
                               roundSide(static_cast<double>(*height))};
    }
    if (!request.imageSize.empty()) {
        const auto pair = parsePair(request.imageSize, 'x');
        if (!pair) {
            return fail(ErrorCode::InvalidArgument,
                        "image size \"" + request.imageSize + "\" is not WIDTHxHEIGHT");
        }
        return ImageDimensions{roundSide(pair->first), roundSide(pair->second)};
    }
    if (!request.aspectRatio.empty()) {
        const auto pair = parsePair(request.aspectRatio, ':');
        if (!pair) {
            return fail(ErrorCode::InvalidArgument,
                        "aspect ratio \"" + request.aspectRatio + "\" is not W:H");
        }
        // Keep the pixel count of the default square so the model stays in its comfort zone.
        const double ratio = static_cast<double>(pair->first) / pair->second;
        const double area = static_cast<double>(defaultSide) * defaultSide;
        return ImageDimensions{roundSide(std::sqrt(area * ratio)),
                               roundSide(std::sqrt(area / ratio))};
    }
    return ImageDimensions{roundSide(defaultSide), roundSide(defaultSide)};
}

std::int64_t seedFor(const GenerationRequest& request, std::string_view jobKey) {
    if (request.seed && *request.seed >= 0) {
        return *request.seed & 0xffffffffLL;
    }
    // FNV-1a: stable across runs and platforms, unlike std::hash.
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : jobKey) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(hash & 0xffffffffULL);
}

Result<double> numberOption(const nlohmann::json& options, std::string_view key, double fallback) {
    const auto* value = optionValue(options, key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->is_number()) {
        return std::unexpected(wrongType(key, "a number"));
    }
    return value->get<double>();
}

Result<std::int64_t> integerOption(const nlohmann::json& options, std::string_view key,
                                   std::int64_t fallback) {
    const auto* value = optionValue(options, key);
    if (value == nullptr) {
        return fallback;
    }
    if (value->is_number_integer()) {
        return value->get<std::int64_t>();
    }
    if (value->is_number_float()) {
        const double number = value->get<double>();
        if (std::isfinite(number) && number == std::floor(number) && std::abs(number) < 9e15) {
            return static_cast<std::int64_t>(number);
        }
    }
    return std::unexpected(wrongType(key, "a whole number"));
}

Result<bool> boolOption(const nlohmann::json& options, std::string_view key, bool fallback) {
    const auto* value = optionValue(options, key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->is_boolean()) {
        return std::unexpected(wrongType(key, "true or false"));
    }
    return value->get<bool>();
}

Result<std::string> stringOption(const nlohmann::json& options, std::string_view key,
                                 std::string fallback) {
    const auto* value = optionValue(options, key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->is_string()) {
        return std::unexpected(wrongType(key, "a string"));
    }
    return value->get<std::string>();
}

Result<InputImage> readInputImage(const std::filesystem::path& path) {
    auto bytes = readFileBounded(path, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto header = readImageHeader(*bytes);
    if (!header) {
        return std::unexpected(withContext(header.error(), path.string()));
    }
    if (auto limits = checkImageLimits(*header); !limits) {
        return std::unexpected(withContext(limits.error(), path.string()));
    }
    if (header->format != MediaFormat::Png && header->format != MediaFormat::Jpeg &&
        header->format != MediaFormat::Webp) {
        return fail(ErrorCode::Unsupported, path.string() + " is " + toString(header->format) +
                                                "; send a PNG, JPEG or WebP");
    }
    InputImage image;
    image.bytes = std::move(*bytes);
    image.size = {static_cast<int>(header->width), static_cast<int>(header->height)};
    image.extension = fileExtension(header->format);
    image.mimeType = mimeType(header->format);
    return image;
}

Result<std::string> greyMaskPng(const std::filesystem::path& maskPath, ImageDimensions size) {
    auto bytes = readFileBounded(maskPath, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto decoded = decodeImage(*bytes);
    if (!decoded) {
        return std::unexpected(withContext(decoded.error(), "mask " + maskPath.string()));
    }
    try {
        cv::Mat grey;
        if (decoded->channels() == 1) {
            grey = *decoded;
        } else if (decoded->channels() == 4) {
            cv::cvtColor(*decoded, grey, cv::COLOR_BGRA2GRAY);
        } else {
            cv::cvtColor(*decoded, grey, cv::COLOR_BGR2GRAY);
        }
        if (size.width > 0 && size.height > 0 &&
            (grey.cols != size.width || grey.rows != size.height)) {
            cv::Mat resized;
            cv::resize(grey, resized, cv::Size(size.width, size.height), 0, 0, cv::INTER_NEAREST);
            grey = resized;
        }
        std::vector<unsigned char> png;
        if (!cv::imencode(".png", grey, png)) {
            return fail(ErrorCode::Internal, "OpenCV could not encode the mask as PNG");
        }
        return std::string(png.begin(), png.end());
    } catch (const cv::Exception& error) {
        return fail(ErrorCode::Internal, std::string("mask conversion failed: ") + error.what());
    }
}

ProviderFailure permanentFailure(std::string message) {
    return ProviderFailure{ProviderFailure::Kind::Permanent, std::move(message), 0, std::nullopt,
                           std::nullopt};
}

std::string clipServerText(std::string text) {
    constexpr std::size_t kMaxServerText = 300;
    if (text.size() <= kMaxServerText) {
        return text;
    }
    text.resize(kMaxServerText);
    // Do not leave half a UTF-8 sequence at the cut.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) {
        text.pop_back();
    }
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) {
        text.pop_back();
    }
    return text + "...";
}

} // namespace ripen::providers::localsd
