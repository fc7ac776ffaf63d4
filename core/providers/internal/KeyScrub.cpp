#include "providers/internal/KeyScrub.h"

#include <cctype>

namespace ripen::providers {
namespace {

constexpr std::string_view kRedacted = "<redacted>";
constexpr std::string_view kKeyPrefix = "sk-";

// Characters that may follow "sk-" in a key or in a provider's masked echo of one.
bool isKeyChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '*' ||
           c == '.';
}

bool startsToken(const std::string& text, std::size_t at) {
    return at == 0 || !isKeyChar(text[at - 1]);
}

void replaceExact(std::string& text, std::string_view key) {
    if (key.empty()) {
        return;
    }
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
        text.replace(at, key.size(), kRedacted);
        at += kRedacted.size();
    }
}

void replaceKeyShapedTokens(std::string& text) {
    for (auto at = text.find(kKeyPrefix); at != std::string::npos; at = text.find(kKeyPrefix, at)) {
        if (!startsToken(text, at)) {
            at += kKeyPrefix.size();
            continue;
        }
        auto end = at + kKeyPrefix.size();
        while (end < text.size() && isKeyChar(text[end])) {
            ++end;
        }
        text.replace(at, end - at, kRedacted);
        at += kRedacted.size();
    }
}

} // namespace

std::string scrubKeys(std::string text, std::string_view key) {
    replaceExact(text, key);
    replaceKeyShapedTokens(text);
    return text;
}

} // namespace ripen::providers
