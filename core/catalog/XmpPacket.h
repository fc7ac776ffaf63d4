#pragma once

#include "catalog/Provenance.h"
#include "common/Error.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace ripen {

// Provenance as an XMP packet (ISO 16684-1), the one metadata form every format Ripen
// exports can carry: dc:description (the prompt), xmp:CreatorTool,
// Iptc4xmpExt:DigitalSourceType, and Ripen's own fields in its namespace
// (kRipenXmpNamespace): Provider, Model, ModelVersion, Seed, NegativePrompt, Parameters
// (JSON), Asset, Stage, Job, RecipeRun.
class XmpPacket {
public:
    static constexpr std::string_view kRipenXmpNamespace = "https://ripen.app/ns/provenance/1.0/";
    // Packets larger than this are refused on read: real ones are a few KiB, and the XMP
    // toolkit's memory grows with the document.
    static constexpr std::size_t kMaxPacketBytes = std::size_t{1} << 20;

    // A complete packet (with the xpacket wrapper), UTF-8.
    static std::string write(const Provenance& provenance);

    // Reads the fields above back from any packet, also ones other tools wrote (only the
    // standard fields are then found). Unknown properties are ignored. Errors: Corrupt for
    // a packet the XMP toolkit cannot parse; LimitExceeded above kMaxPacketBytes.
    static Result<Provenance> read(std::string_view packet);
};

} // namespace ripen
