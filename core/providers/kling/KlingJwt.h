#pragma once

#include "common/Error.h"

#include <chrono>
#include <string>
#include <string_view>

namespace ripen::providers::kling {

// How long a token is valid and how far back its start is dated, as Kling's own examples
// do: 30 minutes, and 5 seconds of grace for a client clock that runs slightly ahead.
inline constexpr std::chrono::seconds kJwtLifetime{1800};
inline constexpr std::chrono::seconds kJwtNotBeforeSkew{5};

// RFC 4648 §5 base64url without padding, as JWT (RFC 7515) requires.
std::string base64UrlEncode(std::string_view bytes);

// The bearer token Kling expects: an HS256 JWT whose payload is
// {"iss": accessKey, "exp": now + 1800, "nbf": now - 5}, signed with the secret key.
// A fresh token is built for every request, so expiry (Kling code 1004) only happens
// when the local clock is wrong. Errors: InvalidArgument for an empty key, Internal when
// OpenSSL refuses the HMAC. The keys never appear in an error message.
Result<std::string> makeKlingJwt(std::string_view accessKey, std::string_view secretKey,
                                 std::chrono::system_clock::time_point now);

} // namespace ripen::providers::kling
