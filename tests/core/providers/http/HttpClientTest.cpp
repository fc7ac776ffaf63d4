#include "providers/http/HttpClient.h"

#include "support/FakeHttpServer.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace ripen;
using namespace ripen::http;
using namespace ripen::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kCanary = "AIzaCANARY-0123456789abcdef";

using Clock = std::chrono::steady_clock;

Request get(const std::string& url) {
    Request r;
    r.url = url;
    return r;
}

std::size_t filesIn(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) {
        ++n;
    }
    return n;
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

TEST_CASE("HttpClient GET and POST JSON, headers reach the server", "[http]") {
    FakeHttpServer server;
    server.reply("GET", "/v1/models", FakeReply::json(200, {{"models", {"a", "b"}}}));
    server.on("POST", "/v1/generate", [](const RecordedRequest& r) {
        return FakeReply::json(200, {{"echo", nlohmann::json::parse(r.body)}})
            .withHeader("x-request-id", "req-7");
    });
    HttpClient client;

    Request g = get(server.baseUrl() + "/v1/models?pageSize=5");
    g.headers = {{"x-goog-api-key", kCanary, true}, {"Accept", "application/json"}};
    auto got = client.perform(g);
    REQUIRE(got.has_value());
    CHECK(got->status == 200);
    CHECK(nlohmann::json::parse(got->body)["models"].size() == 2);
    CHECK(got->bodyBytes == got->body.size());
    CHECK_FALSE(got->file.has_value());
    auto seen = server.lastRequest().value();
    CHECK(seen.header("x-goog-api-key") == kCanary);
    CHECK(seen.param("pageSize") == "5");
    CHECK_FALSE(seen.header("Expect").has_value());

    Request p;
    p.method = "POST";
    p.url = server.baseUrl() + "/v1/generate";
    p.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-CANARY", true}};
    p.body = R"({"prompt":"a fox","n":1})";
    auto posted = client.perform(p);
    REQUIRE(posted.has_value());
    CHECK(posted->status == 200);
    CHECK(posted->header("X-Request-Id") == "req-7");
    CHECK(nlohmann::json::parse(posted->body)["echo"]["prompt"] == "a fox");
    auto seenPost = server.lastRequest().value();
    CHECK(seenPost.method == "POST");
    CHECK(seenPost.header("content-type") == "application/json");
    CHECK(seenPost.header("Authorization") == "Bearer sk-CANARY");
}

TEST_CASE("HttpClient DELETE and empty POST", "[http]") {
    FakeHttpServer server;
    server.reply("*", "/v1/ops/1", FakeReply::json(200, nlohmann::json::object()));
    HttpClient client;
    Request d = get(server.baseUrl() + "/v1/ops/1");
    d.method = "DELETE";
    REQUIRE(client.perform(d).has_value());
    CHECK(server.lastRequest()->method == "DELETE");
    Request p = get(server.baseUrl() + "/v1/ops/1");
    p.method = "POST";
    REQUIRE(client.perform(p).has_value());
    CHECK(server.lastRequest()->method == "POST");
    CHECK(server.lastRequest()->body.empty());
}

TEST_CASE("HttpClient sends multipart fields and streams files", "[http]") {
    TempDir dir;
    const std::string png = encodeTestImage(makeTestImage(64, 48, 3), ".png");
    writeBytes(dir / "input.png", png);
    FakeHttpServer server;
    server.reply("POST", "/v1/images/edits", FakeReply::json(200, {{"ok", true}}));
    HttpClient client;

    Request r;
    r.method = "POST";
    r.url = server.baseUrl() + "/v1/images/edits";
    r.multipart = {
        {"prompt", "make it blue", std::nullopt, "", ""},
        {"image", "", dir / "input.png", "image.png", "image/png"},
        {"mask", "", dir / "input.png", "", ""},
    };
    auto reply = client.perform(r);
    REQUIRE(reply.has_value());
    CHECK(reply->status == 200);
    auto seen = server.lastRequest().value();
    CHECK(seen.header("Content-Type").value_or("").starts_with("multipart/form-data; boundary="));
    CHECK(seen.formFields.at("prompt") == "make it blue");
    REQUIRE(seen.file("image") != nullptr);
    CHECK(seen.file("image")->fileName == "image.png");
    CHECK(seen.file("image")->contentType == "image/png");
    CHECK(seen.file("image")->content == png);
    REQUIRE(seen.file("mask") != nullptr);
    CHECK(seen.file("mask")->fileName == "input.png"); // curl's default: the base name

    SECTION("a missing file fails before anything is sent") {
        r.multipart[1].file = dir / "missing.png";
        auto failed = client.perform(r);
        REQUIRE_FALSE(failed.has_value());
        CHECK(failed.error().kind == Failure::Kind::LocalIo);
        CHECK_FALSE(failed.error().requestSent);
    }
}

TEST_CASE("HttpClient passes error statuses through as responses", "[http]") {
    FakeHttpServer server;
    server.reply("POST", "/gen", FakeReply::rateLimited("7"));
    server.reply("GET", "/broken", FakeReply::malformedJson(500));
    HttpClient client;
    Request r = get(server.baseUrl() + "/gen");
    r.method = "POST";
    r.body = "{}";
    auto reply = client.perform(r);
    REQUIRE(reply.has_value());
    CHECK(reply->status == 429);
    CHECK(reply->header("retry-after") == "7");
    auto broken = client.perform(get(server.baseUrl() + "/broken"));
    REQUIRE(broken.has_value());
    CHECK(broken->status == 500);
}

TEST_CASE("HttpClient downloads into a verified temp file", "[http]") {
    TempDir dir;
    std::string payload(3 << 20, '\0');
    for (std::size_t i = 0; i < payload.size(); ++i) {
        payload[i] = static_cast<char>(i * 31 + 7);
    }
    FakeHttpServer server;
    server.reply("GET", "/files/video.mp4", FakeReply::bytes(payload, "video/mp4"));
    server.reply("GET", "/files/cut.mp4", FakeReply::cutBody(payload.substr(0, 100'000), 3 << 20));
    server.reply("GET", "/files/gone.mp4", FakeReply::json(404, {{"error", "expired"}}));
    HttpClient client;

    Request r = get(server.baseUrl() + "/files/video.mp4");
    r.downloadDir = dir.path();
    r.maxResponseBytes = 2ULL << 30;
    std::atomic<std::uint64_t> lastProgress{0};
    r.onProgress = [&](std::uint64_t received, std::uint64_t) { lastProgress = received; };
    auto reply = client.perform(r);
    REQUIRE(reply.has_value());
    REQUIRE(reply->file.has_value());
    CHECK(reply->file->parent_path() == dir.path());
    CHECK(reply->body.empty());
    CHECK(reply->bodyBytes == payload.size());
    CHECK(readBytes(*reply->file) == payload);
    CHECK(lastProgress.load() > 0);
    std::filesystem::remove(*reply->file);

    SECTION("a cut body fails as Network and leaves no file") {
        r.url = server.baseUrl() + "/files/cut.mp4";
        auto cut = client.perform(r);
        REQUIRE_FALSE(cut.has_value());
        CHECK(cut.error().kind == Failure::Kind::Network);
        CHECK(cut.error().requestSent);
        CHECK(filesIn(dir.path()) == 0);
    }
    SECTION("an error reply stays in memory and leaves no file") {
        r.url = server.baseUrl() + "/files/gone.mp4";
        auto gone = client.perform(r);
        REQUIRE(gone.has_value());
        CHECK(gone->status == 404);
        CHECK_FALSE(gone->file.has_value());
        CHECK(nlohmann::json::parse(gone->body)["error"] == "expired");
        CHECK(filesIn(dir.path()) == 0);
    }
    SECTION("a cut in-memory body fails too") {
        r.downloadDir.reset();
        r.url = server.baseUrl() + "/files/cut.mp4";
        auto cut = client.perform(r);
        REQUIRE_FALSE(cut.has_value());
        CHECK(cut.error().kind == Failure::Kind::Network);
    }
}

TEST_CASE("HttpClient gives up on a stalled server at the deadline", "[http]") {
    FakeHttpServer server;
    server.reply("POST", "/stall", FakeReply::stall(60s));
    HttpClient client;
    Request r = get(server.baseUrl() + "/stall");
    r.method = "POST";
    r.body = "{}";
    r.deadline = 1500ms;
    auto start = Clock::now();
    auto reply = client.perform(r);
    const double elapsed = secondsSince(start);
    WARN("stall aborted after " << elapsed << " s (deadline 1.5 s)");
    REQUIRE_FALSE(reply.has_value());
    CHECK(reply.error().kind == Failure::Kind::Timeout);
    CHECK(reply.error().requestSent);
    CHECK(elapsed >= 1.4);
    CHECK(elapsed < 1.5 + 1.0);
}

TEST_CASE("HttpClient aborts a transfer below the low-speed limit", "[http]") {
    FakeHttpServer server;
    server.reply("GET", "/trickle", FakeReply::trickle(std::string(100'000, 'a'), 10, 200ms));
    HttpClient client;
    Request r = get(server.baseUrl() + "/trickle");
    r.lowSpeedBytes = 1000;
    r.lowSpeedWindow = 2s;
    auto start = Clock::now();
    auto reply = client.perform(r);
    const double elapsed = secondsSince(start);
    WARN("low-speed abort after " << elapsed << " s (window 2 s)");
    REQUIRE_FALSE(reply.has_value());
    CHECK(reply.error().kind == Failure::Kind::Timeout);
    CHECK(elapsed < 2.0 * 3 + 1.0);
}

TEST_CASE("HttpClient enforces the size cap while the reply arrives", "[http]") {
    TempDir dir;
    FakeHttpServer server;
    server.reply("GET", "/bigchunked", FakeReply::endlessChunked());
    server.reply("GET", "/bigcl", FakeReply::hugeContentLength(2ULL << 30));
    server.reply("GET", "/fits", FakeReply::chunked(1 << 20));
    HttpClient client;

    SECTION("an endless chunked body stops at the cap") {
        Request r = get(server.baseUrl() + "/bigchunked");
        r.maxResponseBytes = 4 << 20;
        auto start = Clock::now();
        auto reply = client.perform(r);
        REQUIRE_FALSE(reply.has_value());
        CHECK(reply.error().kind == Failure::Kind::TooLarge);
        CHECK(secondsSince(start) < 5.0);
        r.downloadDir = dir.path();
        auto download = client.perform(r);
        REQUIRE_FALSE(download.has_value());
        CHECK(download.error().kind == Failure::Kind::TooLarge);
        CHECK(filesIn(dir.path()) == 0);
    }
    SECTION("a declared 2 GiB body is refused before it arrives") {
        Request r = get(server.baseUrl() + "/bigcl");
        auto start = Clock::now();
        auto reply = client.perform(r);
        const double elapsed = secondsSince(start);
        REQUIRE_FALSE(reply.has_value());
        CHECK(reply.error().kind == Failure::Kind::TooLarge);
        CHECK(reply.error().message.find("2147483648") != std::string::npos);
        CHECK(elapsed < 0.5);
    }
    SECTION("a chunked body under the cap is fine") {
        Request r = get(server.baseUrl() + "/fits");
        r.maxResponseBytes = 1 << 20;
        auto reply = client.perform(r);
        REQUIRE(reply.has_value());
        CHECK(reply->body.size() == std::size_t{1} << 20);
    }
}

TEST_CASE("HttpClient cancels many stalled transfers within a second", "[http]") {
    constexpr int kTransfers = 50;
    FakeHttpServer server;
    server.reply("*", "/stall/.*", FakeReply::stall(60s));
    HttpClient client;

    std::vector<std::stop_source> sources(kTransfers);
    std::vector<std::optional<Failure>> failures(kTransfers);
    std::vector<Clock::time_point> finished(kTransfers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kTransfers; ++i) {
        threads.emplace_back([&, i] {
            Request r = get(server.baseUrl() + "/stall/" + std::to_string(i));
            r.method = i % 2 == 0 ? "POST" : "GET";
            r.body = "{}";
            auto reply = client.perform(r, sources[i].get_token());
            if (!reply) {
                failures[i] = reply.error();
            }
            finished[i] = Clock::now();
        });
    }
    REQUIRE(server.waitForRequests(kTransfers, 20s));
    const auto cancelledAt = Clock::now();
    for (auto& source : sources) {
        source.request_stop();
    }
    for (auto& thread : threads) {
        thread.join();
    }
    double worst = 0;
    for (int i = 0; i < kTransfers; ++i) {
        REQUIRE(failures[i].has_value());
        CHECK(failures[i]->kind == Failure::Kind::Cancelled);
        CHECK(failures[i]->requestSent);
        worst = std::max(worst, std::chrono::duration<double>(finished[i] - cancelledAt).count());
    }
    WARN("slowest of " << kTransfers << " cancelled transfers stopped after " << worst << " s");
    CHECK(worst < 1.0);
}

TEST_CASE("HttpClient reports refused connections as not sent", "[http]") {
    int port = 0;
    {
        FakeHttpServer gone;
        port = gone.port();
    }
    HttpClient client;
    Request r = get("http://127.0.0.1:" + std::to_string(port) + "/v1/generate?key=" + kCanary);
    r.method = "POST";
    r.headers = {{"x-goog-api-key", kCanary, true}};
    auto reply = client.perform(r);
    REQUIRE_FALSE(reply.has_value());
    CHECK(reply.error().kind == Failure::Kind::Connect);
    CHECK_FALSE(reply.error().requestSent);
    CHECK(reply.error().message.find("CANARY") == std::string::npos);
    CHECK(reply.error().message.find("127.0.0.1") != std::string::npos);
}

TEST_CASE("HttpClient never puts a secret into a failure message", "[http]") {
    FakeHttpServer server;
    server.reply("GET", "/cut", FakeReply::cutBody("{\"a\":", 1000));
    server.reply("GET", "/stall", FakeReply::stall(60s));
    server.reply("GET", "/big", FakeReply::hugeContentLength(1ULL << 40));
    HttpClient client;
    std::stop_source cancelled;
    cancelled.request_stop();
    for (const std::string path : {"/cut", "/stall", "/big", "/cancel"}) {
        Request r = get(server.baseUrl() + path + "?alt=json&key=" + kCanary);
        r.headers = {{"x-goog-api-key", kCanary, true},
                     {"Authorization", std::string("Bearer ") + kCanary, true}};
        r.deadline = 500ms;
        auto reply = client.perform(r, path == "/cancel" ? cancelled.get_token()
                                                         : std::stop_token{});
        REQUIRE_FALSE(reply.has_value());
        INFO(reply.error().message);
        CHECK(reply.error().message.find("CANARY") == std::string::npos);
        CHECK(reply.error().message.find("alt=json") != std::string::npos);
    }
}

TEST_CASE("HttpClient sends keys over plain HTTP only to this machine or the local network",
          "[http][secrets]") {
    FakeHttpServer server;
    server.reply("GET", "/ok", FakeReply::json(200, {{"ok", true}}));
    HttpClient client;
    const auto withKey = [](std::string url) {
        Request r = get(std::move(url));
        r.headers = {{"Authorization", std::string("Bearer ") + kCanary, true}};
        r.connectTimeout = 200ms;
        r.deadline = 500ms;
        return r;
    };
    CHECK(client.perform(withKey(server.baseUrl() + "/ok"), {}).has_value()); // loopback
    for (const std::string url :
         {"http://api.openai.com/v1/images", "http://203.0.113.9:8188/prompt",
          "http://user@fcdn.example.com/x", "HTTP://Example.COM:80/x", "http://[2001:db8::1]/x"}) {
        INFO(url);
        auto refused = client.perform(withKey(url), {});
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().kind == Failure::Kind::InvalidRequest);
        CHECK_FALSE(refused.error().requestSent);
        CHECK(refused.error().message.find("plain HTTP") != std::string::npos);
        CHECK(refused.error().message.find("CANARY") == std::string::npos);
    }
    // Without a key, or to a LAN engine, plain HTTP is the user's choice (it fails here
    // only because nothing listens).
    for (const std::string url : {"http://192.168.1.20:8188/x", "http://comfy.local/x",
                                  "http://gpu-box:7860/x", "http://10.0.0.5/x"}) {
        INFO(url);
        auto attempted = client.perform(withKey(url), {});
        if (!attempted) {
            CHECK(attempted.error().message.find("plain HTTP") == std::string::npos);
        }
    }
}

TEST_CASE("HttpClient refuses bad requests", "[http]") {
    HttpClient client;
    auto ftp = client.perform(get("ftp://example.com/file"));
    REQUIRE_FALSE(ftp.has_value());
    CHECK(ftp.error().kind == Failure::Kind::InvalidRequest);
    CHECK_FALSE(ftp.error().requestSent);

    Request injected = get("http://127.0.0.1:1/");
    injected.headers = {{"X-Evil", "a\r\nHost: other", false}};
    auto bad = client.perform(injected);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().kind == Failure::Kind::InvalidRequest);

    Request method = get("http://127.0.0.1:1/");
    method.method = "TRACE";
    CHECK(client.perform(method).error().kind == Failure::Kind::InvalidRequest);
}

TEST_CASE("HttpClient follows redirects only when asked, without leaking keys", "[http]") {
    FakeHttpServer origin;
    FakeHttpServer other;
    other.reply("GET", "/blob", FakeReply::bytes("video-bytes", "video/mp4"));
    origin.reply("GET", "/blob", FakeReply::bytes("same-origin-bytes", "video/mp4"));
    origin.reply("GET", "/download/cross",
                 FakeReply::text(302, "").withHeader("Location", other.baseUrl() + "/blob"));
    origin.reply("GET", "/download/same", FakeReply::text(302, "").withHeader("Location", "/blob"));
    HttpClient client;

    Request r = get(origin.baseUrl() + "/download/cross");
    r.headers = {{"x-goog-api-key", kCanary, true}, {"Accept", "*/*"}};

    auto notFollowed = client.perform(r);
    REQUIRE(notFollowed.has_value());
    CHECK(notFollowed->status == 302);
    CHECK(other.totalCount() == 0);

    r.followRedirects = true;
    auto cross = client.perform(r);
    REQUIRE(cross.has_value());
    CHECK(cross->status == 200);
    CHECK(cross->body == "video-bytes");
    CHECK(cross->effectiveUrl == other.baseUrl() + "/blob");
    auto atOther = other.lastRequest().value();
    CHECK_FALSE(atOther.header("x-goog-api-key").has_value());
    CHECK(atOther.header("Accept") == "*/*");

    r.url = origin.baseUrl() + "/download/same";
    auto same = client.perform(r);
    REQUIRE(same.has_value());
    CHECK(same->body == "same-origin-bytes");
    CHECK(origin.lastRequest()->header("x-goog-api-key") == kCanary);
}

TEST_CASE("HttpClient::redactUrl hides keys in query and user info", "[http]") {
    CHECK(HttpClient::redactUrl("https://h/p?key=abc") == "https://h/p?key=<redacted>");
    CHECK(HttpClient::redactUrl("https://h/p?alt=sse&KEY=abc&x=1#frag") ==
          "https://h/p?alt=sse&KEY=<redacted>&x=1#frag");
    CHECK(HttpClient::redactUrl("https://h/p?access_token=t&keyframe=2") ==
          "https://h/p?access_token=<redacted>&keyframe=2");
    CHECK(HttpClient::redactUrl("https://user:pw@h:8443/p") == "https://<redacted>@h:8443/p");
    CHECK(HttpClient::redactUrl("https://h/p") == "https://h/p");
    CHECK(HttpClient::redactUrl("https://h/a@b?x=1") == "https://h/a@b?x=1");
    CHECK(HttpClient::redactUrl("") == "");
}
