#include "common/BoundedJson.h"

#include "common/TextEncoding.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace ripen {
namespace {

// A string literal's content, [begin, end): `end` is its closing quote.
struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// String literals at least this long whose content is printable ASCII without escapes
// (base64 images in provider replies, megabytes each) are cut out before nlohmann parses
// the text and put back into the parsed value afterwards: its lexer appends such a string
// to two buffers a character at a time and then copies it, most of the parse of a reply
// that carries an image. The content needs no decoding, so it is copied as it is.
constexpr std::size_t kLongLiteral = 4096;

// How many bytes at `p` are plain string content: printable ASCII (0x20-0x7E) other than
// the quote and the backslash. Blocks of 32 bytes are judged without branching on each
// byte, so the compiler can test them with vector instructions.
std::size_t plainAsciiPrefix(const char* p, std::size_t n) {
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        unsigned bad = 0;
        for (std::size_t k = 0; k < 32; ++k) {
            const auto c = static_cast<unsigned char>(p[i + k]);
            bad |= static_cast<unsigned>(c < 0x20) | static_cast<unsigned>(c > 0x7E) |
                   static_cast<unsigned>(c == '"') | static_cast<unsigned>(c == '\\');
        }
        if (bad != 0) {
            break;
        }
    }
    for (; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
            break;
        }
    }
    return i;
}

struct Scan {
    std::optional<std::size_t> tooDeep; // where the first container deeper than allowed opens
    std::vector<Span> longLiterals;     // plain string literals of kLongLiteral bytes or more
    bool escapedNul = false;            // a string holds the escape for NUL (u0000)
};

// Counts brackets outside strings as the parser will, and notes the long plain literals. A
// scan of our own rather than nlohmann's parser callback: with any callback installed,
// nlohmann 3.11 walks the parent object at the end of every member object, so a 470 KB
// object of 40 000 empty objects took 8 s (quadratic) and a 16 MiB one would take hours.
// Text that is not JSON may be counted wrongly here, but the parser then refuses it
// without building anything deeper than its own (iterative) stack.
Scan scanText(std::string_view text, int maxDepth) {
    Scan scan;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped) {
                escaped = false;
                scan.escapedNul = scan.escapedNul || text.substr(i, 5) == "u0000";
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            const std::size_t begin = i + 1;
            const std::size_t end =
                begin + plainAsciiPrefix(text.data() + begin, text.size() - begin);
            if (end < text.size() && text[end] == '"') {
                if (end - begin >= kLongLiteral) {
                    scan.longLiterals.push_back({begin, end});
                }
                i = end; // the literal is closed
            } else {
                inString = true;
                i = end - 1; // the byte at `end` is judged as string content
            }
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth) {
                scan.tooDeep = i;
                return scan;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return scan;
}

// What stands in for the k-th long literal while the rest is parsed: a string that starts
// with NUL, which only an escape (backslash, u0000) can spell in JSON, so the fast path is
// not taken for text that holds one; no string of the text itself can pass for a marker.
constexpr std::string_view kMarker = "ripen-long-literal-";

bool isMarker(const std::string& text) {
    return text.size() > kMarker.size() && text[0] == '\0' &&
           std::string_view(text).substr(1, kMarker.size()) == kMarker;
}

// Puts the long literals back where their markers are; false when a marker is missing,
// repeated or an object's key (a long key is cut out like any literal, but put back only
// as a value: such text is parsed as it is).
bool restoreLongLiterals(nlohmann::json& value, std::string_view text,
                         const std::vector<Span>& spans, std::vector<bool>& restored) {
    if (value.is_object()) {
        for (auto member = value.begin(); member != value.end(); ++member) {
            if (isMarker(member.key()) ||
                !restoreLongLiterals(member.value(), text, spans, restored)) {
                return false;
            }
        }
        return true;
    }
    if (value.is_array()) {
        for (auto& element : value) {
            if (!restoreLongLiterals(element, text, spans, restored)) {
                return false;
            }
        }
        return true;
    }
    if (!value.is_string() || !isMarker(value.get_ref<const std::string&>())) {
        return true;
    }
    const auto& marker = value.get_ref<const std::string&>();
    std::size_t index = 0;
    const char* digits = marker.data() + 1 + kMarker.size();
    const char* end = marker.data() + marker.size();
    const auto parsed = std::from_chars(digits, end, index);
    if (parsed.ec != std::errc() || parsed.ptr != end || index >= spans.size() || restored[index]) {
        return false;
    }
    restored[index] = true;
    value = std::string(text.substr(spans[index].begin, spans[index].end - spans[index].begin));
    return true;
}

// The parse with the long literals cut out; nullopt when the text is not JSON or the
// markers do not come back exactly once each (the caller then parses the text itself).
std::optional<nlohmann::json> parseWithoutLongLiterals(std::string_view text,
                                                       const std::vector<Span>& spans) {
    std::string skeleton;
    std::size_t copied = 0;
    for (std::size_t k = 0; k < spans.size(); ++k) {
        skeleton.append(text.substr(copied, spans[k].begin - copied));
        // The marker starts with the escape that the parser turns into one NUL.
        skeleton += "\\u0000";
        skeleton += kMarker;
        skeleton += std::to_string(k);
        copied = spans[k].end;
    }
    skeleton.append(text.substr(copied));
    auto parsed = nlohmann::json::parse(skeleton, nullptr, false);
    if (parsed.is_discarded()) {
        return std::nullopt;
    }
    std::vector<bool> restored(spans.size(), false);
    if (!restoreLongLiterals(parsed, text, spans, restored) ||
        std::find(restored.begin(), restored.end(), false) != restored.end()) {
        return std::nullopt;
    }
    return parsed;
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need the rest.
std::string withoutExceptionTag(std::string message) {
    if (!message.empty() && message.front() == '[') {
        if (const auto end = message.find("] "); end != std::string::npos) {
            message.erase(0, end + 2);
        }
    }
    return message;
}

} // namespace

Result<nlohmann::json> parseBoundedJson(std::string_view text, std::string_view whatForErrors,
                                        int maxDepth, std::size_t maxBytes) {
    const std::string what(whatForErrors);
    if (text.size() > maxBytes) {
        return fail(ErrorCode::LimitExceeded, what + ": JSON of " + std::to_string(text.size()) +
                                                  " bytes is larger than the " +
                                                  std::to_string(maxBytes) + " bytes accepted");
    }
    const Scan scan = scanText(text, maxDepth);
    if (scan.tooDeep) {
        return fail(ErrorCode::LimitExceeded, what + ": JSON nested deeper than " +
                                                  std::to_string(maxDepth) + " levels at byte " +
                                                  std::to_string(*scan.tooDeep));
    }
    if (!scan.longLiterals.empty() && !scan.escapedNul) {
        if (auto parsed = parseWithoutLongLiterals(text, scan.longLiterals)) {
            return std::move(*parsed);
        }
    }
    try {
        return nlohmann::json::parse(text.data(), text.data() + text.size());
    } catch (const nlohmann::json::parse_error& e) {
        return fail(ErrorCode::Corrupt, what + ": not valid JSON at byte " +
                                            std::to_string(e.byte) + ": " +
                                            escapeInvalidUtf8(withoutExceptionTag(e.what())));
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorCode::Corrupt,
                    what + ": not valid JSON: " + escapeInvalidUtf8(withoutExceptionTag(e.what())));
    }
}

} // namespace ripen
