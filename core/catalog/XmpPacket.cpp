#include "catalog/XmpPacket.h"

#include "catalog/internal/Exiv2Session.h"
#include "common/TextEncoding.h"

#include <charconv>
#include <exiv2/exiv2.hpp>

namespace ripen {
namespace {

// XML 1.0 forbids most control characters even as references; they are dropped. A
// carriage return is kept as a reference so parsers do not turn it into a newline.
std::string escapeXml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\r':
            out += "&#13;";
            break;
        default:
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') {
                out += c;
            }
        }
    }
    return out;
}

void appendProperty(std::string& out, std::string_view name, std::string_view value) {
    if (value.empty()) {
        return;
    }
    out += "   <";
    out += name;
    out += '>';
    out += escapeXml(value);
    out += "</";
    out += name;
    out += ">\n";
}

std::string xmpText(const Exiv2::XmpData& xmp, const char* key) {
    const auto it = xmp.findKey(Exiv2::XmpKey(key));
    if (it == xmp.end()) {
        return {};
    }
    if (const auto* langAlt = dynamic_cast<const Exiv2::LangAltValue*>(&it->value())) {
        const auto text = langAlt->value_.find("x-default");
        return text != langAlt->value_.end() ? text->second
               : langAlt->value_.empty()     ? std::string()
                                             : langAlt->value_.begin()->second;
    }
    return it->toString();
}

std::optional<std::int64_t> xmpInteger(const Exiv2::XmpData& xmp, const char* key) {
    const std::string text = xmpText(xmp, key);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

void readRipenFields(const Exiv2::XmpData& xmp, Provenance& provenance) {
    auto& generation = provenance.generation;
    generation.provider = xmpText(xmp, "Xmp.ripen.Provider");
    generation.modelId = xmpText(xmp, "Xmp.ripen.Model");
    generation.modelVersion = xmpText(xmp, "Xmp.ripen.ModelVersion");
    generation.negativePrompt = xmpText(xmp, "Xmp.ripen.NegativePrompt");
    generation.seed = xmpInteger(xmp, "Xmp.ripen.Seed");
    provenance.assetId = xmpInteger(xmp, "Xmp.ripen.Asset");
    provenance.stage = xmpText(xmp, "Xmp.ripen.Stage");
    provenance.jobId = xmpInteger(xmp, "Xmp.ripen.Job");
    provenance.recipeRun = xmpText(xmp, "Xmp.ripen.RecipeRun");
    // Parameters are a JSON object; anything else (damaged, hostile) is left out.
    const std::string params = xmpText(xmp, "Xmp.ripen.Parameters");
    if (!params.empty()) {
        auto parsed = nlohmann::json::parse(params, nullptr, false);
        if (parsed.is_object()) {
            generation.params = std::move(parsed);
        }
    }
}

} // namespace

std::string XmpPacket::write(const Provenance& provenance) {
    const auto& generation = provenance.generation;
    std::string out = "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                      " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                      "  <rdf:Description rdf:about=\"\"\n"
                      "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                      "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                      "    xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"\n"
                      "    xmlns:ripen=\"";
    out += kRipenXmpNamespace;
    out += "\">\n";
    if (!generation.prompt.empty()) {
        out += "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">";
        out += escapeXml(generation.prompt);
        out += "</rdf:li></rdf:Alt></dc:description>\n";
    }
    appendProperty(out, "xmp:CreatorTool", provenance.creatorTool);
    if (provenance.sourceType) {
        appendProperty(out, "Iptc4xmpExt:DigitalSourceType",
                       digitalSourceTypeUri(*provenance.sourceType));
    }
    appendProperty(out, "ripen:Provider", generation.provider);
    appendProperty(out, "ripen:Model", generation.modelId);
    appendProperty(out, "ripen:ModelVersion", generation.modelVersion);
    appendProperty(out, "ripen:NegativePrompt", generation.negativePrompt);
    if (generation.seed) {
        appendProperty(out, "ripen:Seed", std::to_string(*generation.seed));
    }
    if (!generation.params.empty()) {
        appendProperty(out, "ripen:Parameters", generation.params.dump());
    }
    if (provenance.assetId) {
        appendProperty(out, "ripen:Asset", std::to_string(*provenance.assetId));
    }
    appendProperty(out, "ripen:Stage", provenance.stage);
    if (provenance.jobId) {
        appendProperty(out, "ripen:Job", std::to_string(*provenance.jobId));
    }
    appendProperty(out, "ripen:RecipeRun", provenance.recipeRun);
    out += "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
    return out;
}

Result<Provenance> XmpPacket::read(std::string_view packet) {
    if (packet.size() > kMaxPacketBytes) {
        return fail(ErrorCode::LimitExceeded, "XMP packet of " + std::to_string(packet.size()) +
                                                  " bytes is over the limit of " +
                                                  std::to_string(kMaxPacketBytes));
    }
    if (!isValidUtf8(packet)) {
        return fail(ErrorCode::Corrupt, "XMP packet is not valid UTF-8");
    }
    ensureExiv2Ready();
    Exiv2::XmpData xmp;
    try {
        if (Exiv2::XmpParser::decode(xmp, std::string(packet)) != 0) {
            return fail(ErrorCode::Corrupt, "XMP packet could not be parsed");
        }
    } catch (const std::exception& error) {
        return fail(ErrorCode::Corrupt,
                    std::string("XMP packet could not be parsed: ") + error.what());
    }
    Provenance provenance;
    provenance.generation.prompt = xmpText(xmp, "Xmp.dc.description");
    provenance.creatorTool = xmpText(xmp, "Xmp.xmp.CreatorTool");
    provenance.sourceType = digitalSourceTypeFromUri(xmpText(xmp, "Xmp.iptcExt.DigitalSourceType"));
    readRipenFields(xmp, provenance);
    return provenance;
}

} // namespace ripen
