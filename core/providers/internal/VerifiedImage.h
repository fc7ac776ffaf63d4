#pragma once

#include "common/Error.h"
#include "providers/ProviderTypes.h"

#include <filesystem>
#include <string_view>

namespace ripen::providers {

// Saves an image a provider sent as base64 after decoding it completely: a truncated
// payload keeps a valid header (which is all saveGeneratedImage looks at), and nothing
// but a Content-Length would otherwise notice that the PNG ends early. decodeImage checks
// that the container reaches its end (PNG IEND, JPEG EOI, all WebP RIFF bytes). The decoded
// pixels travel on with the file (GeneratedFile::decoded), tied to the bytes by their hash,
// so that the catalog's ingest makes its thumbnail from them instead of decoding again.
// Errors: those of decodeImage and saveGeneratedImage.
Result<GeneratedFile> saveVerifiedImage(const std::filesystem::path& workDir,
                                        std::string_view bytes);

} // namespace ripen::providers
