#pragma once

#include "providers/ProviderTypes.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace ripen::providers::google {

// An input image ready to be sent inline (Gemini inlineData, Veo bytesBase64Encoded).
struct InlineImage {
    std::string mimeType; // from the content, never from the file name
    std::string base64;
    std::uint64_t byteCount = 0; // before encoding

    // Reads `path` (at most `maxBytes`) and checks that it is a PNG, JPEG or WebP within
    // the image limits — the formats every Gemini image model and Veo accept. Failures are
    // Permanent (nothing was sent) and name the file.
    static ProviderOutcome<InlineImage> load(const std::filesystem::path& path,
                                             std::uint64_t maxBytes);
};

// True when the encoded image ends where its own structure says it should: a PNG ends
// with its IEND chunk, a JPEG with the EOI marker, a WebP is as long as its RIFF header
// says. A base64 string cut at a multiple of 4 characters still decodes, to a picture
// missing its bottom rows; this catches that before the file becomes an asset.
bool encodedImageLooksComplete(std::string_view bytes);

} // namespace ripen::providers::google
