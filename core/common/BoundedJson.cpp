#include "common/BoundedJson.h"

#include "common/TextEncoding.h"

#include <optional>
#include <string>

namespace ripen {
namespace {

// Where the first array or object deeper than `maxDepth` opens, counting brackets outside
// strings as the parser will. A scan of our own rather than nlohmann's parser callback:
// with any callback installed, nlohmann 3.11 walks the parent object at the end of every
// member object, so a 470 KB object of 40 000 empty objects took 8 s (quadratic) and a
// 16 MiB one would take hours. Text that is not JSON may be counted wrongly here, but the
// parser then refuses it without building anything deeper than its own (iterative) stack.
std::optional<std::size_t> firstTooDeep(std::string_view text, int maxDepth) {
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth) {
                return i;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
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
    if (const auto offset = firstTooDeep(text, maxDepth)) {
        return fail(ErrorCode::LimitExceeded, what + ": JSON nested deeper than " +
                                                  std::to_string(maxDepth) + " levels at byte " +
                                                  std::to_string(*offset));
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
