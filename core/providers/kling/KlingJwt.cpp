#include "providers/kling/KlingJwt.h"

#include <array>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace ripen::providers::kling {

std::string base64UrlEncode(std::string_view bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const auto b0 = static_cast<unsigned char>(bytes[i]);
        const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
        const auto b2 = static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[b0 >> 2];
        out += kAlphabet[((b0 & 0x03) << 4) | (b1 >> 4)];
        out += kAlphabet[((b1 & 0x0f) << 2) | (b2 >> 6)];
        out += kAlphabet[b2 & 0x3f];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const auto b0 = static_cast<unsigned char>(bytes[i]);
        out += kAlphabet[b0 >> 2];
        out += kAlphabet[(b0 & 0x03) << 4];
    } else if (rest == 2) {
        const auto b0 = static_cast<unsigned char>(bytes[i]);
        const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
        out += kAlphabet[b0 >> 2];
        out += kAlphabet[((b0 & 0x03) << 4) | (b1 >> 4)];
        out += kAlphabet[(b1 & 0x0f) << 2];
    }
    return out;
}

Result<std::string> makeKlingJwt(std::string_view accessKey, std::string_view secretKey,
                                 std::chrono::system_clock::time_point now) {
    if (accessKey.empty() || secretKey.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    "the Kling access key and secret key must both be set");
    }
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    // Key order is fixed by nlohmann's sorted objects; JWT does not care about order.
    const nlohmann::json header = {{"alg", "HS256"}, {"typ", "JWT"}};
    const nlohmann::json payload = {{"iss", std::string(accessKey)},
                                    {"exp", seconds + kJwtLifetime.count()},
                                    {"nbf", seconds - kJwtNotBeforeSkew.count()}};
    std::string signingInput =
        base64UrlEncode(header.dump()) + "." + base64UrlEncode(payload.dump());

    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int macLength = 0;
    const unsigned char* ok =
        HMAC(EVP_sha256(), secretKey.data(), static_cast<int>(secretKey.size()),
             reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size(),
             mac.data(), &macLength);
    if (ok == nullptr || macLength != 32) {
        return fail(ErrorCode::Internal,
                    "OpenSSL could not compute the HMAC-SHA256 for the Kling token");
    }
    signingInput += '.';
    signingInput +=
        base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), macLength));
    return signingInput;
}

} // namespace ripen::providers::kling
