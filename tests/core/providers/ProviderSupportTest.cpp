#include "providers/ProviderSupport.h"

#include "providers/Credentials.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

using namespace ripen;
using namespace ripen::providers;
using namespace ripen::test;
using namespace std::chrono_literals;
using Kind = ProviderFailure::Kind;
using TransportKind = http::Failure::Kind;

namespace {

http::Failure transport(TransportKind kind, bool sent) {
    return http::Failure{kind, sent, "GET http://h/x: boom"};
}

http::Response reply(int status, std::string body = {}, std::vector<http::Header> headers = {}) {
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

std::size_t filesIn(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) {
        ++n;
    }
    return n;
}

// 2024-05-01 12:00:00 UTC
const auto kNow = std::chrono::sys_days(std::chrono::year(2024) / 5 / 1) + 12h;

} // namespace

TEST_CASE("Transport failures are classified by whether the request went out", "[support]") {
    struct Row {
        TransportKind kind;
        bool sent;
        bool idempotent;
        Kind expected;
    };
    const Row rows[] = {
        {TransportKind::Connect, false, false, Kind::Retryable},
        {TransportKind::Connect, false, true, Kind::Retryable},
        {TransportKind::Timeout, true, false, Kind::Ambiguous},
        {TransportKind::Timeout, true, true, Kind::Retryable},
        {TransportKind::Network, true, false, Kind::Ambiguous},
        {TransportKind::Network, false, false, Kind::Retryable},
        {TransportKind::Network, true, true, Kind::Retryable},
        {TransportKind::Cancelled, true, false, Kind::Cancelled},
        {TransportKind::Cancelled, false, true, Kind::Cancelled},
        {TransportKind::InvalidRequest, false, false, Kind::Permanent},
        {TransportKind::Tls, false, true, Kind::Permanent},
        {TransportKind::TooLarge, true, true, Kind::Permanent},
        {TransportKind::TooLarge, true, false, Kind::Ambiguous},
        {TransportKind::LocalIo, false, false, Kind::Permanent},
        {TransportKind::LocalIo, true, true, Kind::Retryable},
    };
    for (const auto& row : rows) {
        INFO(http::toString(row.kind) << " sent=" << row.sent << " idempotent=" << row.idempotent);
        auto f = failureFromTransport(transport(row.kind, row.sent), row.idempotent);
        CHECK(f.kind == row.expected);
        CHECK(f.message.find("boom") != std::string::npos);
        CHECK(f.httpStatus == 0);
    }
}

TEST_CASE("Status failures: retryable set, Retry-After and messages", "[support]") {
    for (int status : {408, 429, 500, 502, 503, 504}) {
        INFO(status);
        CHECK(failureFromStatus(reply(status), "").kind == Kind::Retryable);
    }
    for (int status : {400, 401, 403, 404, 409, 413, 422, 501}) {
        INFO(status);
        CHECK(failureFromStatus(reply(status), "").kind == Kind::Permanent);
    }

    auto limited = failureFromStatus(reply(429, "{}", {{"Retry-After", "7"}}), "quota exceeded");
    CHECK(limited.httpStatus == 429);
    CHECK(limited.retryAfter == 7000ms);
    CHECK(limited.message == "HTTP 429: quota exceeded");

    auto precise = failureFromStatus(
        reply(429, "{}", {{"retry-after", "7"}, {"retry-after-ms", "1250"}}), "");
    CHECK(precise.retryAfter == 1250ms);

    auto garbage = failureFromStatus(reply(503, "", {{"Retry-After", "soon"}}), "");
    CHECK_FALSE(garbage.retryAfter.has_value());

    // A 400 never carries a retry delay, even if the server sends one.
    CHECK_FALSE(failureFromStatus(reply(400, "", {{"Retry-After", "5"}}), "").retryAfter);

    SECTION("the body excerpt is short and valid UTF-8") {
        std::string body = std::string(298, 'a') + "\xC3\xA9" + std::string(500, 'b');
        auto f = failureFromStatus(reply(500, body), "");
        CHECK(f.message.size() <= std::string("HTTP 500: ").size() + 300 + 3);
        CHECK(f.message.find("\xC3\xA9") != std::string::npos);
        auto binary = failureFromStatus(reply(502, "\xFF\xFE<html>"), "");
        CHECK(binary.message.find('\xFF') == std::string::npos);
    }
}

TEST_CASE("Retry-After: seconds, HTTP-dates, garbage", "[support]") {
    CHECK(parseRetryAfter("0", kNow) == 0ms);
    CHECK(parseRetryAfter(" 120 ", kNow) == 120'000ms);
    CHECK(parseRetryAfter("86400", kNow) == 86'400'000ms);
    CHECK(parseRetryAfter("Wed, 01 May 2024 12:00:30 GMT", kNow) == 30'000ms);
    CHECK(parseRetryAfter("Wednesday, 01-May-24 12:01:00 GMT", kNow) == 60'000ms);
    CHECK(parseRetryAfter("Wed May  1 12:00:05 2024", kNow) == 5'000ms);
    CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kNow) == 0ms); // in the past
    CHECK(parseRetryAfter("Wed, 01 May 2024 11:59:59 GMT", kNow) == 0ms);
    for (const char* bad : {"", "-5", "-0", "1.5", "soon", "5s", "Wed, 32 May 2024 12:00:00 GMT",
                            "Wed, 01 Foo 2024 12:00:00 GMT", "Wed, 01 May 2024 25:00:00 GMT",
                            "99999999999999999999", "Wed, 01 May 2024 GMT", "12:00:00"}) {
        INFO(bad);
        CHECK_FALSE(parseRetryAfter(bad, kNow).has_value());
    }
}

TEST_CASE("Protobuf durations (Gemini RetryInfo)", "[support]") {
    CHECK(parseProtobufDuration("37s") == 37'000ms);
    CHECK(parseProtobufDuration("1.5s") == 1'500ms);
    CHECK(parseProtobufDuration("0s") == 0ms);
    CHECK(parseProtobufDuration("0.000001s") == 1ms); // rounded up
    CHECK(parseProtobufDuration("2.123456789s") == 2'124ms);
    for (const char* bad : {"", "s", "37", "-1s", "1.s5", "abc", "1.1234567890s", "1e3s"}) {
        INFO(bad);
        CHECK_FALSE(parseProtobufDuration(bad).has_value());
    }
}

TEST_CASE("JSON replies are parsed with limits", "[support]") {
    auto ok = parseJsonReply(reply(200, R"({"a":[1,2]})"), "test reply");
    REQUIRE(ok.has_value());
    CHECK((*ok)["a"][1] == 2);

    auto malformed = parseJsonReply(reply(200, R"({"a": [1, )"), "test reply");
    REQUIRE_FALSE(malformed.has_value());
    CHECK(malformed.error().code == ErrorCode::Corrupt);
    CHECK(malformed.error().message.find("test reply") != std::string::npos);

    auto empty = parseJsonReply(reply(200, "  "), "test reply");
    REQUIRE_FALSE(empty.has_value());

    std::string deep(100'000, '[');
    auto hostile = parseJsonReply(reply(200, deep), "test reply");
    REQUIRE_FALSE(hostile.has_value());
    CHECK(hostile.error().code == ErrorCode::LimitExceeded);
}

TEST_CASE("Base64 round trip and bad input", "[support]") {
    for (std::string bytes : {std::string(), std::string("f"), std::string("fo"),
                              std::string("foo"), std::string("foob"), std::string("\0\xFF\x10", 3)}) {
        auto encoded = encodeBase64(bytes);
        auto decoded = decodeBase64(encoded, 1 << 20);
        REQUIRE(decoded.has_value());
        CHECK(*decoded == bytes);
    }
    CHECK(encodeBase64("foobar") == "Zm9vYmFy");
    CHECK(encodeBase64("fo") == "Zm8=");
    CHECK(decodeBase64("Zm8", 10) == std::string("fo"));     // padding optional
    CHECK(decodeBase64("Zm9v\nYmFy\r\n", 10) == std::string("foobar")); // whitespace ignored

    std::string big(100'000, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) {
        big[i] = static_cast<char>(i * 7);
    }
    CHECK(decodeBase64(encodeBase64(big), big.size()) == big);

    for (const char* bad : {"Zm9v!", "Zm9-", "Zm_v", "Z", "Zm9vY", "Zm=9", "Zg===", "=Zm9"}) {
        INFO(bad);
        auto decoded = decodeBase64(bad, 100);
        REQUIRE_FALSE(decoded.has_value());
        CHECK(decoded.error().code == ErrorCode::Corrupt);
    }
    auto tooBig = decodeBase64(encodeBase64(std::string(1000, 'x')), 999);
    REQUIRE_FALSE(tooBig.has_value());
    CHECK(tooBig.error().code == ErrorCode::LimitExceeded);
}

TEST_CASE("Generated images are checked before they are written", "[support]") {
    TempDir dir;
    const std::string png = encodeTestImage(makeTestImage(40, 30, 1), ".png");
    auto saved = saveGeneratedImage(dir.path(), png);
    REQUIRE(saved.has_value());
    CHECK(saved->mimeType == "image/png");
    CHECK(saved->file.parent_path() == dir.path());
    CHECK(saved->file.extension() == ".png");
    CHECK(readBytes(saved->file) == png);

    const std::string jpeg = encodeTestImage(makeTestImage(40, 30, 2), ".jpg");
    auto savedJpeg = saveGeneratedImage(dir.path(), jpeg);
    REQUIRE(savedJpeg.has_value());
    CHECK(savedJpeg->mimeType == "image/jpeg");
    CHECK(savedJpeg->file != saved->file);
    CHECK(filesIn(dir.path()) == 2);

    SECTION("not an image") {
        auto text = saveGeneratedImage(dir.path(), R"({"error":"blocked"})");
        REQUIRE_FALSE(text.has_value());
        CHECK(text.error().code == ErrorCode::Unsupported);
        auto empty = saveGeneratedImage(dir.path(), "");
        REQUIRE_FALSE(empty.has_value());
        CHECK(filesIn(dir.path()) == 2);
    }
    SECTION("a decompression bomb") {
        auto bomb = saveGeneratedImage(dir.path(), pngClaimingSize(50000, 50000));
        REQUIRE_FALSE(bomb.has_value());
        CHECK(bomb.error().code == ErrorCode::LimitExceeded);
        CHECK(filesIn(dir.path()) == 2);
    }
    SECTION("a truncated header") {
        auto cut = saveGeneratedImage(dir.path(), png.substr(0, 20));
        REQUIRE_FALSE(cut.has_value());
        CHECK(filesIn(dir.path()) == 2);
    }
}

TEST_CASE("Downloaded files are adopted by their content", "[support]") {
    TempDir dir;
    writeBytes(dir / "a.part", encodeTestImage(makeTestImage(16, 16, 5), ".webp"));
    auto image = adoptDownloadedFile(dir / "a.part");
    REQUIRE(image.has_value());
    CHECK(image->mimeType == "image/webp");
    CHECK(image->file == dir / "a.part");

    // A minimal ISO BMFF header: 'ftyp' box with the isom brand.
    std::string mp4("\0\0\0\x18" "ftypisom\0\0\x02\0isomiso2", 24);
    mp4 += std::string(100, '\0');
    writeBytes(dir / "v.part", mp4);
    auto video = adoptDownloadedFile(dir / "v.part");
    REQUIRE(video.has_value());
    CHECK(video->mimeType == "video/mp4");

    writeBytes(dir / "html.part", "<html>expired</html>");
    auto html = adoptDownloadedFile(dir / "html.part");
    REQUIRE_FALSE(html.has_value());
    CHECK(html.error().code == ErrorCode::Unsupported);

    writeBytes(dir / "bomb.part", pngClaimingSize(100000, 100000));
    auto bomb = adoptDownloadedFile(dir / "bomb.part");
    REQUIRE_FALSE(bomb.has_value());
    CHECK(bomb.error().code == ErrorCode::LimitExceeded);

    CHECK_FALSE(adoptDownloadedFile(dir / "missing.part").has_value());
}

TEST_CASE("Environment credentials", "[support]") {
    EnvironmentCredentials credentials;
    ::setenv("RIPEN_TEST_CANARY_KEY", "sk-CANARY", 1);
    CHECK(credentials.get("RIPEN_TEST_CANARY_KEY") == "sk-CANARY");
    ::setenv("RIPEN_TEST_CANARY_KEY", "", 1);
    CHECK_FALSE(credentials.get("RIPEN_TEST_CANARY_KEY").has_value());
    ::unsetenv("RIPEN_TEST_CANARY_KEY");
    CHECK_FALSE(credentials.get("RIPEN_TEST_CANARY_KEY").has_value());
}
