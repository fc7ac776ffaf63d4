#include "catalog/EmbeddedProvenance.h"

#include "catalog/XmpPacket.h"
#include "catalog/internal/Exiv2Session.h"
#include "common/ByteOrder.h"
#include "imaging/PngChunks.h"
#include "imaging/SrgbProfile.h"
#include "imaging/WebpContainer.h"

#include <exiv2/exiv2.hpp>
#include <lcms2.h>
#include <memory>
#include <vector>
#include <zlib.h>

namespace ripen {
namespace {

constexpr std::string_view kXmpKeyword = "XML:com.adobe.xmp";
constexpr std::string_view kSrgbProfileName = "sRGB IEC61966-2.1";
constexpr double kInchesPerMetre = 39.3700787;

// exiv2 writes JPEG and TIFF well; WebP is muxed by WebpContainer (see there why).
bool isExiv2Format(std::string_view format) {
    return format == "jpeg" || format == "tiff";
}

Result<std::string> deflate(std::string_view bytes) {
    uLongf size = compressBound(static_cast<uLong>(bytes.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                  reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uLong>(bytes.size()),
                  Z_BEST_COMPRESSION) != Z_OK) {
        return fail(ErrorCode::Internal, "zlib could not compress the ICC profile");
    }
    out.resize(size);
    return out;
}

bool hasColourSpaceChunk(const std::vector<PngChunks::Chunk>& chunks) {
    for (const auto& chunk : chunks) {
        if (chunk.type == "iCCP" || chunk.type == "sRGB") {
            return true;
        }
    }
    return false;
}

Result<std::string> embedInPng(std::string_view png, const Provenance& provenance,
                               const EmbeddedProvenance::Options& options) {
    auto out = PngChunks::withTextChunk(png, kXmpKeyword, XmpPacket::write(provenance),
                                        PngChunks::TextForm::International);
    if (!out || !options.srgbProfile) {
        return out;
    }
    auto chunks = PngChunks::parse(*out);
    if (!chunks) {
        return std::unexpected(chunks.error());
    }
    if (hasColourSpaceChunk(*chunks)) {
        return out;
    }
    auto compressed = deflate(srgbIccProfile());
    if (!compressed) {
        return std::unexpected(compressed.error());
    }
    std::string iccp(kSrgbProfileName);
    iccp.append(2, '\0'); // name terminator, compression method 0 (zlib)
    iccp += *compressed;
    return PngChunks::withChunk(*out, "iCCP", iccp);
}

void setExif(Exiv2::ExifData& exif, const Provenance& provenance,
             const EmbeddedProvenance::Options& options) {
    const auto& prompt = provenance.generation.prompt;
    if (!prompt.empty()) {
        exif["Exif.Image.ImageDescription"] = prompt;
    }
    const std::string& comment = options.userComment.empty() ? prompt : options.userComment;
    if (!comment.empty()) {
        exif["Exif.Photo.UserComment"] = "charset=Unicode " + comment;
    }
    const int dpi = options.dpi;
    if (!provenance.creatorTool.empty()) {
        exif["Exif.Image.Software"] = provenance.creatorTool;
    }
    if (dpi > 0) {
        exif["Exif.Image.XResolution"] = Exiv2::Rational(dpi, 1);
        exif["Exif.Image.YResolution"] = Exiv2::Rational(dpi, 1);
        exif["Exif.Image.ResolutionUnit"] = static_cast<std::uint16_t>(2); // inches
    }
}

std::string readAll(Exiv2::BasicIo& io) {
    io.open();
    io.seek(static_cast<long>(0), Exiv2::BasicIo::beg);
    std::string out(io.size(), '\0');
    const long read =
        io.read(reinterpret_cast<Exiv2::byte*>(out.data()), static_cast<long>(out.size()));
    io.close();
    out.resize(read > 0 ? static_cast<std::size_t>(read) : 0);
    return out;
}

Result<Exiv2::Image::AutoPtr> openWithExiv2(std::string_view bytes, std::string_view format) {
    ensureExiv2Ready();
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                           static_cast<long>(bytes.size()));
    const std::string expected = format == "jpeg" ? "image/jpeg" : "image/" + std::string(format);
    if (image.get() == nullptr || image->mimeType() != expected) {
        return fail(ErrorCode::Corrupt, "the file is not a " + std::string(format) + " image");
    }
    image->readMetadata();
    return image;
}

Result<std::string> embedWithExiv2(std::string_view bytes, std::string_view format,
                                   const Provenance& provenance,
                                   const EmbeddedProvenance::Options& options) {
    try {
        auto image = openWithExiv2(bytes, format);
        if (!image) {
            return std::unexpected(image.error());
        }
        auto& file = **image;
        setExif(file.exifData(), provenance, options);
        file.setXmpPacket(XmpPacket::write(provenance));
        file.writeXmpFromPacket(true);
        if (options.srgbProfile && !file.iccProfileDefined()) {
            const std::string& profile = srgbIccProfile();
            Exiv2::DataBuf icc(reinterpret_cast<const Exiv2::byte*>(profile.data()),
                               static_cast<long>(profile.size()));
            file.setIccProfile(icc, true);
        }
        file.writeMetadata();
        return readAll(file.io());
    } catch (const std::exception& error) {
        return fail(ErrorCode::Corrupt, "could not write metadata into the " + std::string(format) +
                                            " file: " + error.what());
    }
}

// A WebP EXIF chunk is a bare TIFF-structured block; exiv2 parses and writes those.
void decodeExif(std::string_view block, Exiv2::ExifData& exif) {
    ensureExiv2Ready();
    Exiv2::ExifParser::decode(exif, reinterpret_cast<const Exiv2::byte*>(block.data()),
                              static_cast<std::uint32_t>(block.size()));
}

Result<std::string> embedInWebp(std::string_view webp, const Provenance& provenance,
                                const EmbeddedProvenance::Options& options) {
    auto existing = WebpContainer::read(webp);
    if (!existing) {
        return std::unexpected(existing.error());
    }
    WebpContainer::Metadata update;
    try {
        Exiv2::ExifData exif;
        if (!existing->exif.empty()) {
            decodeExif(existing->exif, exif); // keep the camera's or another tool's fields
        }
        setExif(exif, provenance, options);
        Exiv2::Blob blob;
        Exiv2::ExifParser::encode(blob, Exiv2::littleEndian, exif);
        update.exif.assign(blob.begin(), blob.end());
    } catch (const std::exception& error) {
        return fail(ErrorCode::Corrupt,
                    std::string("could not write EXIF into the webp file: ") + error.what());
    }
    update.xmp = XmpPacket::write(provenance);
    if (options.srgbProfile && existing->icc.empty()) {
        update.icc = srgbIccProfile();
    }
    return WebpContainer::withMetadata(webp, update);
}

std::string iccDescription(std::string_view icc) {
    const std::unique_ptr<void, decltype(&cmsCloseProfile)> profile(
        cmsOpenProfileFromMem(icc.data(), static_cast<cmsUInt32Number>(icc.size())),
        &cmsCloseProfile);
    if (!profile) {
        return "unreadable ICC profile";
    }
    std::string text(256, '\0');
    const auto size =
        cmsGetProfileInfoASCII(profile.get(), cmsInfoDescription, "en", "US", text.data(),
                               static_cast<cmsUInt32Number>(text.size()));
    text.resize(size > 0 ? size - 1 : 0);
    return text;
}

std::string exifText(const Exiv2::ExifData& exif, const char* key) {
    const auto it = exif.findKey(Exiv2::ExifKey(key));
    if (it == exif.end()) {
        return {};
    }
    if (const auto* comment = dynamic_cast<const Exiv2::CommentValue*>(&it->value())) {
        return comment->comment();
    }
    return it->toString();
}

std::optional<double> exifDpi(const Exiv2::ExifData& exif) {
    const auto x = exif.findKey(Exiv2::ExifKey("Exif.Image.XResolution"));
    if (x == exif.end() || x->count() == 0) {
        return std::nullopt;
    }
    const auto unit = exif.findKey(Exiv2::ExifKey("Exif.Image.ResolutionUnit"));
    const double perUnit = x->toFloat(0);
    const bool centimetres = unit != exif.end() && unit->count() > 0 && unit->toLong(0) == 3;
    return centimetres ? perUnit * 2.54 : perUnit;
}

void readExif(const Exiv2::ExifData& exif, EmbeddedProvenance::Found& found) {
    found.exifDescription = exifText(exif, "Exif.Image.ImageDescription");
    found.exifSoftware = exifText(exif, "Exif.Image.Software");
    found.exifUserComment = exifText(exif, "Exif.Photo.UserComment");
    found.dpi = exifDpi(exif);
}

void readXmp(std::string_view packet, EmbeddedProvenance::Found& found) {
    if (packet.empty()) {
        return;
    }
    if (auto xmp = XmpPacket::read(packet)) {
        found.xmp = std::move(*xmp);
    } else {
        found.warnings.push_back("XMP skipped: " + xmp.error().message);
    }
}

Result<EmbeddedProvenance::Found> readWithExiv2(std::string_view bytes, std::string_view format) {
    EmbeddedProvenance::Found found;
    try {
        auto image = openWithExiv2(bytes, format);
        if (!image) {
            return std::unexpected(image.error());
        }
        auto& file = **image;
        readXmp(file.xmpPacket(), found);
        readExif(file.exifData(), found);
        if (file.iccProfileDefined()) {
            const Exiv2::DataBuf& icc = *file.iccProfile();
            found.iccDescription = iccDescription(
                {reinterpret_cast<const char*>(icc.pData_), static_cast<std::size_t>(icc.size_)});
        }
    } catch (const std::exception& error) {
        found.warnings.push_back("metadata skipped: " + std::string(error.what()));
    }
    return found;
}

Result<EmbeddedProvenance::Found> readWebp(std::string_view webp) {
    auto metadata = WebpContainer::read(webp);
    if (!metadata) {
        return std::unexpected(metadata.error());
    }
    EmbeddedProvenance::Found found;
    readXmp(metadata->xmp, found);
    if (!metadata->icc.empty()) {
        found.iccDescription = iccDescription(metadata->icc);
    }
    if (!metadata->exif.empty()) {
        try {
            Exiv2::ExifData exif;
            decodeExif(metadata->exif, exif);
            readExif(exif, found);
        } catch (const std::exception& error) {
            found.warnings.push_back("EXIF skipped: " + std::string(error.what()));
        }
    }
    return found;
}

std::optional<double> pngDpi(std::string_view phys) {
    if (phys.size() != 9 || phys[8] != 1) { // unit 1: pixels per metre
        return std::nullopt;
    }
    return readBe32(phys, 0) / kInchesPerMetre;
}

Result<EmbeddedProvenance::Found> readPng(std::string_view png) {
    EmbeddedProvenance::Found found;
    auto chunks = PngChunks::parse(png);
    if (!chunks) {
        return std::unexpected(chunks.error());
    }
    for (const auto& chunk : *chunks) {
        if (chunk.type == "iCCP" && chunk.crcValid) {
            found.iccDescription = std::string(chunk.data.substr(0, chunk.data.find('\0')));
        } else if (chunk.type == "pHYs" && chunk.crcValid) {
            found.dpi = pngDpi(chunk.data);
        }
    }
    auto texts = PngChunks::readTextChunks(png);
    if (texts) {
        for (const auto& text : texts->chunks) {
            if (text.keyword == kXmpKeyword) {
                readXmp(text.text, found);
            }
        }
        found.warnings.insert(found.warnings.end(), texts->warnings.begin(), texts->warnings.end());
    }
    return found;
}

} // namespace

Result<std::string> EmbeddedProvenance::embed(std::string_view fileBytes, std::string_view format,
                                              const Provenance& provenance,
                                              const Options& options) {
    if (format == "png") {
        return embedInPng(fileBytes, provenance, options);
    }
    if (format == "webp") {
        return embedInWebp(fileBytes, provenance, options);
    }
    if (isExiv2Format(format)) {
        return embedWithExiv2(fileBytes, format, provenance, options);
    }
    return fail(ErrorCode::Unsupported,
                "provenance cannot be written into " + std::string(format) + " files");
}

Result<EmbeddedProvenance::Found> EmbeddedProvenance::read(std::string_view fileBytes,
                                                           std::string_view format) {
    if (format == "png") {
        return readPng(fileBytes);
    }
    if (format == "webp") {
        return readWebp(fileBytes);
    }
    if (isExiv2Format(format)) {
        return readWithExiv2(fileBytes, format);
    }
    return fail(ErrorCode::Unsupported,
                "provenance cannot be read from " + std::string(format) + " files");
}

} // namespace ripen
