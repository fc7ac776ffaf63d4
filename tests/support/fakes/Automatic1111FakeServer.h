#pragma once

#include "support/FakeHttpServer.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ripen::test {

// The AUTOMATIC1111 / Forge API as modules/api/api.py serves it (providers.md §7):
// POST /sdapi/v1/txt2img and /img2img -> {images: [base64], parameters, info: "<JSON
// string>"}, POST /sdapi/v1/extra-single-image -> {image, html_info}. Field types are
// checked as the pydantic models would (422 with a FastAPI `detail` list otherwise), and
// HTTP Basic auth is enforced when set, as --api-auth does (401 + WWW-Authenticate).
class Automatic1111FakeServer {
public:
    static constexpr const char* kModelName = "sd_xl_base_1.0";
    static constexpr const char* kModelHash = "31e35c80fc";

    Automatic1111FakeServer();

    FakeHttpServer& server() { return m_server; }
    std::string baseUrl() const { return m_server.baseUrl(); }

    void requireBasicAuth(std::string user, std::string password);
    // The PNG/JPEG returned by txt2img and img2img.
    void setImage(std::string bytes);
    std::vector<nlohmann::json> bodies() const; // every valid generation body received

private:
    FakeReply generate(const RecordedRequest& request, bool img2img);
    FakeReply extras(const RecordedRequest& request);
    std::optional<FakeReply> refuseAuth(const RecordedRequest& request) const;

    FakeHttpServer m_server;
    mutable std::mutex m_mutex;
    std::string m_expectedAuthorization; // empty: no auth
    std::string m_image;
    std::vector<nlohmann::json> m_bodies;
};

} // namespace ripen::test
