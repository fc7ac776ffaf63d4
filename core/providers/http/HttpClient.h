#pragma once

#include "providers/http/HttpTypes.h"

#include <expected>
#include <memory>
#include <stop_token>

namespace ripen::http {

// The one HTTP client of Ripen, over libcurl. TLS verification is always on; proxies come
// from the environment (http_proxy, https_proxy, no_proxy) as curl reads them; only http
// and https are allowed, also on redirects.
//
// Thread-safety: perform() may be called from many threads at once; each call uses its
// own easy handle. Cancellation: request_stop() on the token aborts the transfer within a
// second (curl's progress callback runs at least once a second).
class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    std::expected<Response, Failure> perform(const Request& request,
                                             std::stop_token stop = {}) const;

    // "https://host/path?key=<redacted>": for messages about a URL that may carry a key.
    static std::string redactUrl(const std::string& url);
};

} // namespace ripen::http
