#pragma once

#include "providers/ProviderTypes.h"

#include <optional>
#include <string>
#include <string_view>

namespace ripen::providers::google {

// URL building and checking for the Gemini API. Every piece that goes into a path
// (model ids from settings, operation names from a server reply stored in the catalog)
// is checked first, so nothing can turn a path into another URL.
class GoogleUrls {
public:
    // The public endpoint; also the one other origin (besides the configured base) that
    // may receive the API key, so that a proxy base URL still downloads Google's files.
    static constexpr std::string_view kDefaultBase = "https://generativelanguage.googleapis.com";

    // "{base}/v1beta/models/{model}:{method}". `model` may carry a "models/" prefix.
    // Permanent failure for an empty model id or one with characters outside
    // [A-Za-z0-9._-].
    static ProviderOutcome<std::string> modelMethod(std::string_view base, std::string_view model,
                                                    std::string_view method);

    // "{base}/v1beta/{operationName}". Names look like
    // "models/veo-3.1-generate-preview/operations/abc123" (or "operations/abc123").
    static ProviderOutcome<std::string> operation(std::string_view base,
                                                  std::string_view operationName);
    static bool isValidOperationName(std::string_view name);

    // Scheme, lowercase host and port of an http(s) URL: "https://host:443".
    // Empty when the URL is not absolute http(s) or carries user info.
    static std::string origin(std::string_view url);

    // A Location header resolved against the URL that sent it (absolute, "//host/p",
    // "/p" or "p"). Empty when the result is not http(s).
    static std::string resolve(std::string_view from, std::string_view location);

    // Whether the API key may be sent to `url`: only to the configured base's origin and
    // to Google's own https endpoint; never over a scheme change to plain http.
    static bool keyAllowed(std::string_view url, std::string_view base);
};

} // namespace ripen::providers::google
