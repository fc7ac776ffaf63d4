#include "providers/ProviderSupport.h"

#include "common/BoundedJson.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"
#include "imaging/MediaFormat.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <random>
#include <vector>

namespace ripen::providers {

namespace {

// JSON replies may be as large as HttpClient's default reply cap: a 4K Gemini image is
// several MiB of base64, an 8K one tens of MiB.
constexpr std::size_t kMaxJsonReplyBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxBodyExcerpt = 300;
// Enough of a downloaded file for any image header Ripen parses up to a JPEG's SOF.
constexpr std::size_t kHeaderPrefixBytes = std::size_t{1} << 20;

std::string_view trimmed(std::string_view text) {
    auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && isSpace(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

bool allDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
}

// At most `limit` bytes of `body`, cut on a UTF-8 character boundary, invalid bytes
// replaced, so that a binary or huge error page never floods a message.
std::string excerpt(std::string_view body) {
    body = trimmed(body);
    if (body.size() > kMaxBodyExcerpt) {
        std::size_t cut = kMaxBodyExcerpt;
        while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) {
            --cut; // do not split a multi-byte character
        }
        return sanitizeUtf8(body.substr(0, cut)) + "...";
    }
    return sanitizeUtf8(body);
}

const char* transportWhat(http::Failure::Kind kind) {
    switch (kind) {
    case http::Failure::Kind::Connect:
        return "cannot connect";
    case http::Failure::Kind::Timeout:
        return "timed out";
    case http::Failure::Kind::Network:
        return "connection failed";
    case http::Failure::Kind::Tls:
        return "TLS failed";
    case http::Failure::Kind::TooLarge:
        return "reply too large";
    case http::Failure::Kind::LocalIo:
        return "local file error";
    case http::Failure::Kind::InvalidRequest:
        return "invalid request";
    case http::Failure::Kind::Cancelled:
        return "cancelled";
    }
    return "failed";
}

int monthFromName(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (name.size() != 3) {
        return 0;
    }
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto it = std::find(kMonths.begin(), kMonths.end(), lower);
    return it == kMonths.end() ? 0 : static_cast<int>(it - kMonths.begin()) + 1;
}

// The three HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37
// GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37
// 1994"). Hand-written rather than strptime, whose month names follow the process locale.
std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view text) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '-')) {
            ++i;
        }
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '-') {
            ++i;
        }
        if (i > start) {
            tokens.push_back(text.substr(start, i - start));
        }
    }
    int month = 0;
    std::vector<int> numbers;
    std::vector<std::size_t> numberWidths;
    std::optional<std::array<int, 3>> clock;
    bool zoneSeen = false;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        std::string_view token = tokens[t];
        if (allDigits(token)) {
            if (token.size() > 4) {
                return std::nullopt;
            }
            int value = 0;
            std::from_chars(token.data(), token.data() + token.size(), value);
            numbers.push_back(value);
            numberWidths.push_back(token.size());
        } else if (token.find(':') != std::string_view::npos) {
            if (token.size() != 8 || token[2] != ':' || token[5] != ':' ||
                !allDigits(token.substr(0, 2)) || !allDigits(token.substr(3, 2)) ||
                !allDigits(token.substr(6, 2)) || clock) {
                return std::nullopt;
            }
            auto two = [&](std::size_t at) { return (token[at] - '0') * 10 + (token[at + 1] - '0'); };
            clock = std::array<int, 3>{two(0), two(3), two(6)};
        } else if (int m = monthFromName(token); m != 0 && month == 0) {
            month = m;
        } else if (token == "GMT" || token == "UTC") {
            zoneSeen = true;
        } else if (t != 0) {
            return std::nullopt; // only the leading weekday may be another word
        }
    }
    (void)zoneSeen; // asctime has no zone; every HTTP-date is in GMT anyway
    if (month == 0 || !clock || numbers.size() != 2) {
        return std::nullopt;
    }
    int day = numbers[0];
    int year = numbers[1];
    if (numberWidths[1] == 2) {
        year += year < 70 ? 2000 : 1900; // RFC 850's two-digit years
    } else if (numberWidths[1] != 4) {
        return std::nullopt;
    }
    const auto& [hour, minute, second] = *clock;
    if (hour > 23 || minute > 59 || second > 60) {
        return std::nullopt;
    }
    std::chrono::year_month_day date{std::chrono::year(year),
                                     std::chrono::month(static_cast<unsigned>(month)),
                                     std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || year > 2200) {
        return std::nullopt;
    }
    // system_clock counts nanoseconds: it spans 1678-2262 only, so an earlier date (long
    // past either way) is the epoch rather than an overflow (found by fuzz retry_after).
    if (year < 1970) {
        return std::chrono::system_clock::time_point{};
    }
    return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
           std::chrono::seconds(second);
}

// The 6-bit value of each base64 symbol, -1 for anything else: a table, because a reply
// carries megabytes of them (one image is 2 MB of base64).
constexpr std::array<std::int8_t, 256> kBase64Values = [] {
    std::array<std::int8_t, 256> values{};
    values.fill(-1);
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    }
    return values;
}();

int base64Value(unsigned char c) {
    return kBase64Values[c];
}

bool isBase64Space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string randomHex(std::size_t bytes) {
    static thread_local std::random_device device;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) {
        unsigned value = device() & 0xFFu;
        out.push_back(kHex[value >> 4]);
        out.push_back(kHex[value & 0xF]);
    }
    return out;
}

// Image format and limits of a provider's file; the message says what came instead.
Status checkImageBytes(std::string_view bytes, MediaFormat format) {
    auto header = readImageHeader(bytes);
    if (!header) {
        return std::unexpected(withContext(header.error(), "the provider's image"));
    }
    if (header->format != format) {
        return fail(ErrorCode::Corrupt, "the provider's image header does not match its format");
    }
    if (auto limits = checkImageLimits(*header); !limits) {
        return std::unexpected(withContext(limits.error(), "the provider's image"));
    }
    return {};
}

bool isProviderImage(MediaFormat format) {
    return format == MediaFormat::Png || format == MediaFormat::Jpeg ||
           format == MediaFormat::Webp;
}

} // namespace

ProviderFailure failureFromTransport(const http::Failure& failure, bool requestIsIdempotent) {
    ProviderFailure result;
    result.message = std::string(transportWhat(failure.kind)) + ": " + failure.message;
    using Kind = http::Failure::Kind;
    switch (failure.kind) {
    case Kind::Cancelled:
        result.kind = ProviderFailure::Kind::Cancelled;
        return result;
    case Kind::InvalidRequest:
    case Kind::Tls:
        // A bad URL or a certificate that does not verify fails the same way every time.
        result.kind = ProviderFailure::Kind::Permanent;
        return result;
    case Kind::TooLarge:
        // The provider answered (and may have charged); asking again gets the same reply.
        result.kind = failure.requestSent && !requestIsIdempotent
                          ? ProviderFailure::Kind::Ambiguous
                          : ProviderFailure::Kind::Permanent;
        return result;
    case Kind::LocalIo:
        if (!failure.requestSent) {
            result.kind = ProviderFailure::Kind::Permanent; // e.g. an input file is missing
            return result;
        }
        break;
    case Kind::Connect:
    case Kind::Timeout:
    case Kind::Network:
        break;
    }
    if (!failure.requestSent || requestIsIdempotent) {
        result.kind = ProviderFailure::Kind::Retryable;
    } else {
        result.kind = ProviderFailure::Kind::Ambiguous;
    }
    return result;
}

ProviderFailure failureFromStatus(const http::Response& response, std::string providerMessage) {
    ProviderFailure result;
    result.httpStatus = response.status;
    static constexpr std::array<int, 6> kRetryable = {408, 429, 500, 502, 503, 504};
    const bool retryable =
        std::find(kRetryable.begin(), kRetryable.end(), response.status) != kRetryable.end();
    result.kind = retryable ? ProviderFailure::Kind::Retryable : ProviderFailure::Kind::Permanent;
    if (retryable) {
        // OpenAI's retry-after-ms is more precise than Retry-After when both are sent.
        if (auto ms = response.header("retry-after-ms")) {
            std::string_view text = trimmed(*ms);
            std::int64_t value = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec == std::errc() && end == text.data() + text.size() && value >= 0) {
                result.retryAfter = std::chrono::milliseconds(value);
            }
        }
        if (!result.retryAfter) {
            if (auto header = response.header("Retry-After")) {
                result.retryAfter = parseRetryAfter(*header, std::chrono::system_clock::now());
            }
        }
    }
    std::string text = providerMessage.empty() ? excerpt(response.body)
                                               : sanitizeUtf8(providerMessage);
    result.message = "HTTP " + std::to_string(response.status);
    if (!text.empty()) {
        result.message += ": " + text;
    }
    return result;
}

std::optional<std::chrono::milliseconds>
parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now) {
    value = trimmed(value);
    if (value.empty()) {
        return std::nullopt;
    }
    if (allDigits(value)) {
        std::int64_t seconds = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        // Beyond ~290 years the milliseconds would overflow; such a value is garbage.
        if (ec != std::errc() || seconds > std::int64_t{9'000'000'000}) {
            return std::nullopt;
        }
        return std::chrono::milliseconds(seconds * 1000);
    }
    auto date = parseHttpDate(value);
    if (!date) {
        return std::nullopt; // "-5", "soon", "1.5": use the default backoff
    }
    if (*date <= now) {
        return std::chrono::milliseconds(0);
    }
    return std::chrono::ceil<std::chrono::milliseconds>(*date - now);
}

std::optional<std::chrono::milliseconds> parseProtobufDuration(std::string_view value) {
    value = trimmed(value);
    if (value.size() < 2 || value.back() != 's') {
        return std::nullopt;
    }
    value.remove_suffix(1);
    auto dot = value.find('.');
    std::string_view whole = value.substr(0, dot);
    std::string_view fraction =
        dot == std::string_view::npos ? std::string_view() : value.substr(dot + 1);
    if (!allDigits(whole) || whole.size() > 12 ||
        (dot != std::string_view::npos && (!allDigits(fraction) || fraction.size() > 9))) {
        return std::nullopt;
    }
    std::int64_t seconds = 0;
    std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
    std::int64_t nanos = 0;
    if (!fraction.empty()) {
        std::from_chars(fraction.data(), fraction.data() + fraction.size(), nanos);
        for (std::size_t i = fraction.size(); i < 9; ++i) {
            nanos *= 10;
        }
    }
    // Rounded up: waiting a little longer than asked never earns another 429.
    return std::chrono::milliseconds(seconds * 1000 + (nanos + 999'999) / 1'000'000);
}

Result<nlohmann::json> parseJsonReply(const http::Response& response, std::string_view what) {
    if (response.file) {
        return fail(ErrorCode::Internal,
                    std::string(what) + " was downloaded to a file, not kept as JSON");
    }
    if (trimmed(response.body).empty()) {
        return fail(ErrorCode::Corrupt, std::string(what) + " is empty (HTTP " +
                                            std::to_string(response.status) + ")");
    }
    return parseBoundedJson(response.body, what, kDefaultMaxJsonDepth, kMaxJsonReplyBytes);
}

Result<std::string> decodeBase64(std::string_view text, std::size_t maxDecodedBytes) {
    // First pass: validate and count, so that the output is sized (and refused) before any
    // allocation proportional to untrusted input.
    std::size_t symbols = 0;
    std::size_t padding = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isBase64Space(c)) {
            continue;
        }
        if (c == '=') {
            ++padding;
            continue;
        }
        if (padding > 0 || base64Value(static_cast<unsigned char>(c)) < 0) {
            return fail(ErrorCode::Corrupt, "base64 data has an invalid character at offset " +
                                                std::to_string(i));
        }
        ++symbols;
    }
    if (padding > 2 || symbols % 4 == 1 || (padding > 0 && (symbols + padding) % 4 != 0)) {
        return fail(ErrorCode::Corrupt, "base64 data is truncated or badly padded");
    }
    const std::size_t decodedSize = symbols / 4 * 3 + (symbols % 4 == 0 ? 0 : symbols % 4 - 1);
    if (decodedSize > maxDecodedBytes) {
        return fail(ErrorCode::LimitExceeded, "base64 data decodes to " +
                                                  std::to_string(decodedSize) +
                                                  " bytes, more than the limit of " +
                                                  std::to_string(maxDecodedBytes));
    }
    // Four symbols make three bytes, written in place; a last group of 2 or 3 symbols
    // makes 1 or 2 bytes (their spare low bits are zero in canonical base64).
    std::string out(decodedSize, '\0');
    auto* next = reinterpret_cast<unsigned char*>(out.data());
    std::uint32_t group = 0;
    int held = 0;
    for (char c : text) {
        const int value = base64Value(static_cast<unsigned char>(c));
        if (value < 0) {
            continue; // whitespace and padding, checked above
        }
        group = (group << 6) | static_cast<std::uint32_t>(value);
        if (++held == 4) {
            next[0] = static_cast<unsigned char>(group >> 16);
            next[1] = static_cast<unsigned char>(group >> 8);
            next[2] = static_cast<unsigned char>(group);
            next += 3;
            group = 0;
            held = 0;
        }
    }
    if (held == 3) {
        next[0] = static_cast<unsigned char>(group >> 10);
        next[1] = static_cast<unsigned char>(group >> 2);
    } else if (held == 2) {
        next[0] = static_cast<unsigned char>(group >> 4);
    }
    return out;
}

std::string encodeBase64(std::string_view bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                          (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                          static_cast<unsigned char>(bytes[i + 2]);
        out.push_back(kAlphabet[(n >> 18) & 63]);
        out.push_back(kAlphabet[(n >> 12) & 63]);
        out.push_back(kAlphabet[(n >> 6) & 63]);
        out.push_back(kAlphabet[n & 63]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) {
            n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        }
        out.push_back(kAlphabet[(n >> 18) & 63]);
        out.push_back(kAlphabet[(n >> 12) & 63]);
        out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

Result<GeneratedFile> saveGeneratedImage(const std::filesystem::path& workDir,
                                         std::string_view bytes) {
    if (bytes.size() > kMaxImageFileBytes) {
        return fail(ErrorCode::LimitExceeded, "the provider's image is " +
                                                  std::to_string(bytes.size()) +
                                                  " bytes, more than Ripen accepts");
    }
    const MediaFormat format = sniffMediaFormat(bytes.substr(0, kMediaSniffBytes));
    if (!isProviderImage(format)) {
        return fail(ErrorCode::Unsupported,
                    "the provider returned " + std::to_string(bytes.size()) + " bytes of " +
                        (format == MediaFormat::Unknown ? std::string("unknown data")
                                                        : std::string(toString(format))) +
                        ", not a PNG, JPEG or WebP image");
    }
    if (auto checked = checkImageBytes(bytes, format); !checked) {
        return std::unexpected(checked.error());
    }
    std::error_code ec;
    std::filesystem::create_directories(workDir, ec);
    if (ec) {
        return std::unexpected(errnoError(ec.value(), "cannot create", workDir));
    }
    // A name of our own, never one a server chose (RELIABILITY.md I8).
    std::filesystem::path target;
    do {
        target = workDir / ("generated-" + randomHex(12) + "." + fileExtension(format));
    } while (std::filesystem::exists(target, ec));
    if (auto written = writeFileAtomically(target, bytes); !written) {
        return std::unexpected(written.error());
    }
    return GeneratedFile{target, mimeType(format), std::nullopt, {}};
}

ProviderFailure failureOf(ProviderFailure::Kind kind, std::string message) {
    return ProviderFailure{kind, std::move(message), 0, std::nullopt, std::nullopt};
}

std::string missingApiKey(const Credentials& credentials, std::string_view variable,
                          std::string_view providerName) {
    const auto key = credentials.get(variable);
    if (!key || key->empty()) {
        return "set " + std::string(variable) + " or add " + std::string(providerName) +
               " key in Settings";
    }
    const bool controlCharacters = std::any_of(key->begin(), key->end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (controlCharacters) {
        return std::string(variable) + " contains control characters; paste the key again";
    }
    return {};
}

Result<GeneratedFile> adoptDownloadedFile(const std::filesystem::path& file) {
    auto fd = openRegularFileForReading(file);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    auto prefix = readPrefix(fd->get(), kHeaderPrefixBytes, file);
    if (!prefix) {
        return std::unexpected(prefix.error());
    }
    const MediaFormat format = sniffMediaFormat(std::string_view(*prefix).substr(
        0, std::min(prefix->size(), kMediaSniffBytes)));
    if (isProviderImage(format)) {
        if (auto checked = checkImageBytes(*prefix, format); !checked) {
            return std::unexpected(checked.error());
        }
    } else if (!isVideo(format)) {
        return fail(ErrorCode::Unsupported,
                    "the downloaded file is " +
                        (format == MediaFormat::Unknown ? std::string("of an unknown type")
                                                        : std::string(toString(format))) +
                        ", not a PNG, JPEG or WebP image or a video");
    }
    // The file keeps its name: callers remove the path they passed when they reject the
    // result, and the blob store names files by content and mimeType anyway.
    return GeneratedFile{file, mimeType(format), std::nullopt, {}};
}

} // namespace ripen::providers
