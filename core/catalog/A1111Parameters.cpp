#include "catalog/A1111Parameters.h"

#include "common/BoundedJson.h"
#include "common/TextEncoding.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace ripen {
namespace {

constexpr std::string_view kNegativePrefix = "Negative prompt:";
constexpr std::string_view kWhitespace = " \t\r\n\v\f";
// A1111's own threshold for "this is a settings line".
constexpr std::size_t kMinSettingsPairs = 3;
constexpr std::string_view kDefaultProvider = "automatic1111";

// Settings A1111 writes first, in its order; the rest follow sorted, and "Version" last.
constexpr std::string_view kLeadingKeys[] = {
    "Steps", "Sampler",    "Schedule type", "CFG scale",     "Seed",
    "Size",  "Model hash", "Model",         "Model version", "Provider"};
constexpr std::string_view kTrailingKey = "Version";

bool isSpace(char c) {
    return kWhitespace.find(c) != std::string_view::npos;
}

// Python's \w for str patterns covers non-ASCII letters too; every byte of a multi-byte
// UTF-8 sequence stands in for that.
bool isWordChar(char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' ||
           b >= 0x80;
}

bool isKeyChar(char c) {
    return isWordChar(c) || c == ' ' || c == '-' || c == '/';
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

struct SettingMatch {
    std::string_view key;
    std::string_view value; // raw, quotes included
    std::size_t end{};
};

// One "Key: value" pair starting at `pos`, following A1111's pattern
// \s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$) including its backtracking: a
// quoted value counts only when a comma or the end of the line follows its closing quote.
std::optional<SettingMatch> matchSetting(std::string_view line, std::size_t pos) {
    const std::size_t n = line.size();
    while (pos < n && isSpace(line[pos])) {
        ++pos;
    }
    if (pos >= n || !isWordChar(line[pos])) {
        return std::nullopt;
    }
    const std::size_t keyStart = pos++;
    while (pos < n && isKeyChar(line[pos])) {
        ++pos;
    }
    if (pos - keyStart < 2 || pos >= n || line[pos] != ':') {
        return std::nullopt;
    }
    SettingMatch match;
    match.key = line.substr(keyStart, pos - keyStart);
    ++pos;
    while (pos < n && isSpace(line[pos])) {
        ++pos;
    }
    const std::size_t valueStart = pos;
    if (pos < n && line[pos] == '"') {
        std::size_t q = pos + 1;
        std::size_t inner = 0;
        bool closed = false;
        while (q < n) {
            if (line[q] == '\\' && q + 1 < n) {
                q += 2;
            } else if (line[q] == '"') {
                closed = true;
                break;
            } else {
                ++q;
            }
            ++inner;
        }
        const std::size_t after = q + 1;
        if (closed && inner > 0 && (after == n || line[after] == ',')) {
            match.value = line.substr(valueStart, after - valueStart);
            match.end = after == n ? n : after + 1;
            return match;
        }
    }
    const std::size_t comma = line.find(',', valueStart);
    const std::size_t valueEnd = comma == std::string_view::npos ? n : comma;
    match.value = line.substr(valueStart, valueEnd - valueStart);
    match.end = comma == std::string_view::npos ? n : comma + 1;
    return match;
}

// A1111's unquote(): a value in double quotes is a JSON string; if it does not decode, it
// is kept as written.
std::string unquote(std::string_view value) {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        if (auto decoded = parseBoundedJson(value, "A1111 setting", 1);
            decoded && decoded->is_string()) {
            return decoded->get<std::string>();
        }
    }
    return std::string(value);
}

bool needsQuotes(std::string_view value) {
    if (value.empty() || value.front() == '"' || isSpace(value.front()) || isSpace(value.back())) {
        return true;
    }
    return std::any_of(value.begin(), value.end(), [](char c) {
        return c == ',' || c == ':' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
    });
}

std::string quoteIfNeeded(std::string_view value) {
    if (!needsQuotes(value)) {
        return std::string(value);
    }
    return nlohmann::json(std::string(value))
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string paramText(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <class T> std::optional<T> parseInteger(std::string_view text) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// "512x768" as A1111 writes Size; anything else stays a plain parameter.
std::optional<std::pair<int, int>> parseSize(std::string_view text) {
    const auto x = text.find('x');
    if (x == std::string_view::npos) {
        return std::nullopt;
    }
    const auto digitsOnly = [](std::string_view s) {
        return !s.empty() &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const auto w = text.substr(0, x);
    const auto h = text.substr(x + 1);
    if (!digitsOnly(w) || !digitsOnly(h)) {
        return std::nullopt;
    }
    const auto width = parseInteger<int>(w);
    const auto height = parseInteger<int>(h);
    if (!width || !height) {
        return std::nullopt;
    }
    return std::pair{*width, *height};
}

// Joins as A1111 does: no separator while the text so far is empty, so "a\n\nb" keeps its
// blank line but a blank first line vanishes.
void appendLine(std::string& to, std::string_view line) {
    if (!to.empty()) {
        to += '\n';
    }
    to += line;
}

} // namespace

std::vector<std::pair<std::string, std::string>>
A1111Parameters::parseSettingsLine(std::string_view line) {
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t pos = 0;
    while (pos < line.size()) {
        if (const auto match = matchSetting(line, pos)) {
            pairs.emplace_back(std::string(match->key), unquote(match->value));
            pos = match->end;
        } else {
            ++pos;
        }
    }
    return pairs;
}

GenerationMetadata A1111Parameters::parse(std::string_view input) {
    const std::string sanitized = isValidUtf8(input) ? std::string(input) : sanitizeUtf8(input);
    std::vector<std::string_view> lines;
    const std::string_view text = trim(sanitized);
    for (std::size_t start = 0;;) {
        const auto newline = text.find('\n', start);
        lines.push_back(text.substr(start, newline - start));
        if (newline == std::string_view::npos) {
            break;
        }
        start = newline + 1;
    }

    std::vector<std::pair<std::string, std::string>> settings = parseSettingsLine(lines.back());
    if (settings.size() >= kMinSettingsPairs) {
        lines.pop_back();
    } else {
        settings.clear();
    }

    GenerationMetadata metadata;
    bool inNegative = false;
    for (std::string_view line : lines) {
        line = trim(line);
        if (line.starts_with(kNegativePrefix)) {
            inNegative = true;
            line = trim(line.substr(kNegativePrefix.size()));
        }
        appendLine(inNegative ? metadata.negativePrompt : metadata.prompt, line);
    }

    for (auto& [key, value] : settings) {
        if (key == "Seed") {
            if (const auto seed = parseInteger<std::int64_t>(value)) {
                metadata.seed = *seed;
                continue;
            }
        } else if (key == "Size") {
            if (const auto size = parseSize(value)) {
                metadata.width = size->first;
                metadata.height = size->second;
                continue;
            }
        } else if (key == "Model") {
            metadata.modelId = std::move(value);
            continue;
        } else if (key == "Model version") {
            metadata.modelVersion = std::move(value);
            continue;
        } else if (key == "Provider") {
            metadata.provider = std::move(value);
            continue;
        }
        metadata.params[key] = std::move(value);
    }
    if (!settings.empty() && metadata.provider.empty()) {
        metadata.provider = kDefaultProvider;
    }
    return metadata;
}

std::string A1111Parameters::format(const GenerationMetadata& metadata) {
    std::vector<std::pair<std::string, std::string>> settings;
    const auto param = [&](std::string_view key) -> const nlohmann::json* {
        if (!metadata.params.is_object()) {
            return nullptr;
        }
        const auto it = metadata.params.find(std::string(key));
        return it == metadata.params.end() || it->is_null() ? nullptr : &*it;
    };
    // A dedicated field wins over a params entry of the same name.
    const auto fieldOrParam = [&](std::string_view key) -> std::optional<std::string> {
        if (key == "Seed" && metadata.seed) {
            return std::to_string(*metadata.seed);
        }
        if (key == "Size" && metadata.width && metadata.height) {
            return std::to_string(*metadata.width) + "x" + std::to_string(*metadata.height);
        }
        if (key == "Model" && !metadata.modelId.empty()) {
            return metadata.modelId;
        }
        if (key == "Model version" && !metadata.modelVersion.empty()) {
            return metadata.modelVersion;
        }
        if (key == "Provider" && !metadata.provider.empty()) {
            return metadata.provider;
        }
        if (const auto* value = param(key)) {
            return paramText(*value);
        }
        return std::nullopt;
    };
    for (const std::string_view key : kLeadingKeys) {
        if (auto value = fieldOrParam(key)) {
            settings.emplace_back(std::string(key), std::move(*value));
        }
    }
    if (metadata.params.is_object()) {
        for (const auto& [key, value] : metadata.params.items()) {
            const bool leading = std::find(std::begin(kLeadingKeys), std::end(kLeadingKeys), key) !=
                                 std::end(kLeadingKeys);
            const bool excluded = std::find(std::begin(kNotWritten), std::end(kNotWritten), key) !=
                                  std::end(kNotWritten);
            if (leading || excluded || key == kTrailingKey || value.is_null() ||
                !isWritableKey(key)) {
                continue;
            }
            settings.emplace_back(key, paramText(value));
        }
    }
    if (auto version = fieldOrParam(kTrailingKey)) {
        settings.emplace_back(std::string(kTrailingKey), std::move(*version));
    }

    // A1111 is the provider parse() assumes for a settings line, so its files re-export
    // byte-for-byte unless dropping the pair would leave too few to be read as settings.
    const auto provider = std::find_if(settings.begin(), settings.end(),
                                       [](const auto& pair) { return pair.first == "Provider"; });
    if (provider != settings.end() && provider->second == kDefaultProvider &&
        settings.size() > kMinSettingsPairs) {
        settings.erase(provider);
    }

    std::string out = metadata.prompt;
    if (!metadata.negativePrompt.empty()) {
        out += "\n";
        out += kNegativePrefix;
        out += " ";
        out += metadata.negativePrompt;
    }
    if (!settings.empty()) {
        std::string line;
        for (const auto& [key, value] : settings) {
            if (!line.empty()) {
                line += ", ";
            }
            line += key + ": " + quoteIfNeeded(value);
        }
        out += "\n" + line;
    }
    return std::string(trim(out));
}

bool A1111Parameters::isWritableKey(std::string_view key) {
    return key.size() >= 2 && isWordChar(key.front()) &&
           std::all_of(key.begin(), key.end(), isKeyChar);
}

} // namespace ripen
