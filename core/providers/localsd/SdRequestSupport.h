#pragma once

#include "common/Error.h"
#include "providers/GenerationRequest.h"
#include "providers/ProviderTypes.h"

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

// Request-building pieces shared by the two self-hosted Stable Diffusion back-ends
// (ComfyUI and AUTOMATIC1111/Forge): sizes, seeds, option lookups, input images and masks.
namespace ripen::providers::localsd {

struct ImageDimensions {
    int width = 0;  // pixels
    int height = 0; // pixels
};

// Stable Diffusion works on 8x8 latent cells; sides are rounded to multiples of this.
inline constexpr int kLatentCell = 8;
inline constexpr int kMinSide = 64;
inline constexpr int kMaxSide = 4096;

// The output size a text-to-image request asks for, in this order: options "width" and
// "height", imageSize "WxH", aspectRatio "W:H" fitted to about defaultSide^2 pixels, and
// defaultSide square. Sides are rounded to kLatentCell and kept within [kMinSide, kMaxSide].
// Errors: InvalidArgument naming the malformed setting.
Result<ImageDimensions> requestedDimensions(const GenerationRequest& request, int defaultSide);

// The seed to send: the request's own, else one derived from the job key, so that a
// resubmitted job asks for the same picture. Always within [0, 2^32 - 1], which every
// Stable Diffusion front-end accepts.
std::int64_t seedFor(const GenerationRequest& request, std::string_view jobKey);

// Typed look-ups in GenerationRequest::options: the fallback when the key is absent or
// null, InvalidArgument when it holds the wrong type.
Result<double> numberOption(const nlohmann::json& options, std::string_view key, double fallback);
Result<std::int64_t> integerOption(const nlohmann::json& options, std::string_view key,
                                   std::int64_t fallback);
Result<bool> boolOption(const nlohmann::json& options, std::string_view key, bool fallback);
Result<std::string> stringOption(const nlohmann::json& options, std::string_view key,
                                 std::string fallback);

// An input image read from disk (bounded by the image limits) whose header says it is a
// PNG, JPEG or WebP within the limits. Returns the file bytes unchanged.
struct InputImage {
    std::string bytes;
    ImageDimensions size;
    std::string extension; // "png", "jpg", "webp"
    std::string mimeType;
};
Result<InputImage> readInputImage(const std::filesystem::path& path);

// Ripen's mask (8-bit grey, white = change) as an 8-bit single-channel PNG with the same
// convention, resized (nearest neighbour, so it stays hard-edged) to `size` when it differs.
// Both ComfyUI's LoadImageMask (red channel) and A1111's img2img `mask` read white as
// "inpaint here", so no inversion is needed for either.
Result<std::string> greyMaskPng(const std::filesystem::path& maskPath, ImageDimensions size);

// A Permanent failure with `message`, for requests that cannot be sent as they are.
ProviderFailure permanentFailure(std::string message);

// Server text shown to the user, cut to at most 300 bytes at a UTF-8 boundary ("...").
std::string clipServerText(std::string text);

} // namespace ripen::providers::localsd
