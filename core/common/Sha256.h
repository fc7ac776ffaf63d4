#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace ripen {

// Incremental SHA-256 (OpenSSL's EVP, which uses the CPU's SHA instructions where present).
// Content addresses of blobs are its lowercase hex digests.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::string_view bytes);
    std::string hexDigest(); // finishes the hash; call once

    static std::string ofBytes(std::string_view bytes);

private:
    struct Context;
    std::unique_ptr<Context> m_context;
};

} // namespace ripen
