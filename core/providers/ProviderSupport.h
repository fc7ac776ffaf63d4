#pragma once

#include "common/Error.h"
#include "providers/Credentials.h"
#include "providers/ProviderTypes.h"
#include "providers/http/HttpTypes.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

// Helpers every provider shares, so that retry classification, Retry-After handling and
// result files behave the same for all of them.
namespace ripen::providers {

// A transfer that produced no reply. Before the request was sent it is Retryable; after
// (a reset, a timeout) a POST is Ambiguous because the provider may have executed it,
// while a GET (poll, download) is Retryable. Cancelled stays Cancelled.
ProviderFailure failureFromTransport(const http::Failure& failure, bool requestIsIdempotent);

// A reply with a non-2xx status: 408, 429, 500, 502, 503, 504 are Retryable (Retry-After
// or retry-after-ms honoured), every other status is Permanent. `providerMessage` is the
// provider's own error text (the caller extracts it from its error JSON); when empty an
// excerpt of the body (at most 300 bytes, valid UTF-8) is used.
ProviderFailure failureFromStatus(const http::Response& response, std::string providerMessage);

// Retry-After as delay-seconds or an HTTP-date. A date in the past gives 0; garbage or a
// negative number gives nullopt (use the default backoff).
std::optional<std::chrono::milliseconds>
parseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now);

// Gemini's google.rpc.RetryInfo "retryDelay": "37s" or "1.5s".
std::optional<std::chrono::milliseconds> parseProtobufDuration(std::string_view value);

// The JSON body of a reply, parsed with depth and size limits; errors name `what`.
Result<nlohmann::json> parseJsonReply(const http::Response& response, std::string_view what);

// Standard base64 (RFC 4648, padding optional, whitespace ignored). Fails on other
// characters or when the decoded size would pass maxDecodedBytes.
Result<std::string> decodeBase64(std::string_view text, std::size_t maxDecodedBytes);
std::string encodeBase64(std::string_view bytes);

// Writes an image a provider returned (decoded bytes) into `workDir` under a fresh name,
// after checking that it is a PNG/JPEG/WebP whose header is within the image limits.
// Never uses a server-supplied name for the local path.
Result<GeneratedFile> saveGeneratedImage(const std::filesystem::path& workDir,
                                         std::string_view bytes);

// A failure with no HTTP status or retry hint (bad input, a reply Ripen cannot use).
ProviderFailure failureOf(ProviderFailure::Kind kind, std::string message);

// Empty when the credential `variable` holds a usable key; otherwise what the user must do,
// e.g. "set OPENAI_API_KEY or add an OpenAI Images key in Settings". A key with control
// characters (a bad paste) is refused here, before it could break a request header.
std::string missingApiKey(const Credentials& credentials, std::string_view variable,
                          std::string_view providerName);

// Adopts a file that HttpClient downloaded (Request::downloadDir) as a generated file,
// checking its content type by magic bytes (image or video).
Result<GeneratedFile> adoptDownloadedFile(const std::filesystem::path& file);

} // namespace ripen::providers
