#pragma once

#include <cstddef>
#include <string_view>

namespace ripen {

// The file formats Ripen imports, decided by content (magic bytes), never by extension:
// a downloaded "image.png" is often a JPEG or a WebP.
enum class MediaFormat { Png, Jpeg, Webp, Tiff, Mp4, Mov, Webm, Unknown };

// How many leading bytes sniffMediaFormat looks at; fewer still work for most formats.
inline constexpr std::size_t kMediaSniffBytes = 64;

// Identifies a file from its first bytes (pass at least kMediaSniffBytes when the file has
// them). Rules that are a choice rather than a spec:
// - ISO BMFF ('ftyp' at offset 4): major brand "qt  " is Mov; image brands (HEIF, AVIF)
//   and audio-only brands (M4A, M4B, M4P) are Unknown; every other brand is Mp4.
// - EBML (1A 45 DF A3) is Webm only when its DocType says "webm". A "matroska" DocType is
//   Unknown: it may carry codecs no WebM player accepts, and storing it as .webm with
//   video/webm would be a lie. A DocType beyond the bytes given is also Unknown.
MediaFormat sniffMediaFormat(std::string_view firstBytes);

// "PNG", "JPEG", ... for messages.
const char* toString(MediaFormat format);

// "png", "jpeg", "webp", "tiff", "mp4", "mov", "webm" as the catalog stores the format;
// "unknown" for Unknown.
const char* catalogFormatName(MediaFormat format);

// The extension Ripen stores the format under, without the dot ("jpg", "tif"); empty for
// Unknown.
const char* fileExtension(MediaFormat format);

// IANA media type; "application/octet-stream" for Unknown.
const char* mimeType(MediaFormat format);

bool isVideo(MediaFormat format);
bool isImage(MediaFormat format);

} // namespace ripen
