#include "providers/http/HttpTypes.h"

#include <algorithm>
#include <cctype>

namespace ripen::http {

std::optional<std::string> Response::header(std::string_view name) const {
    auto sameName = [name](const Header& h) {
        return std::equal(h.name.begin(), h.name.end(), name.begin(), name.end(),
                          [](char a, char b) {
                              return std::tolower(static_cast<unsigned char>(a)) ==
                                     std::tolower(static_cast<unsigned char>(b));
                          });
    };
    // The last occurrence wins, as for a repeated Content-Length or Retry-After.
    auto it = std::find_if(headers.rbegin(), headers.rend(), sameName);
    if (it == headers.rend()) {
        return std::nullopt;
    }
    return it->value;
}

const char* toString(Failure::Kind kind) {
    switch (kind) {
    case Failure::Kind::InvalidRequest:
        return "invalid request";
    case Failure::Kind::Connect:
        return "connect";
    case Failure::Kind::Tls:
        return "TLS";
    case Failure::Kind::Timeout:
        return "timeout";
    case Failure::Kind::Network:
        return "network";
    case Failure::Kind::TooLarge:
        return "too large";
    case Failure::Kind::Cancelled:
        return "cancelled";
    case Failure::Kind::LocalIo:
        return "local I/O";
    }
    return "unknown";
}

} // namespace ripen::http
