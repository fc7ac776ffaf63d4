#include "common/BoundedJson.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

using namespace ripen;

TEST_CASE("Bounded JSON parses ordinary documents", "[common][json]") {
    const auto parsed =
        parseBoundedJson(R"({"a": [1, 2, {"b": "caf\u00e9"}], "c": null, "d": "€"})", "test");
    REQUIRE(parsed);
    CHECK((*parsed)["a"][2]["b"] == "caf\xC3\xA9");
    CHECK((*parsed)["d"] == "\xE2\x82\xAC");
    CHECK(parsed->dump().size() > 10);

    CHECK(parseBoundedJson("42", "test").value() == 42);
    CHECK(parseBoundedJson("[]", "test").value().is_array());
}

TEST_CASE("Bounded JSON refuses 100000-deep nesting without crashing", "[common][json]") {
    for (const char open : {'[', '{'}) {
        std::string text;
        if (open == '[') {
            text = std::string(100000, '[') + std::string(100000, ']');
        } else {
            for (int i = 0; i < 100000; ++i) {
                text += "{\"a\":";
            }
            text += "1" + std::string(100000, '}');
        }
        const auto parsed = parseBoundedJson(text, "deep.json");
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::LimitExceeded);
        CHECK(parsed.error().message.find("deep.json") != std::string::npos);
        CHECK(parsed.error().message.find("64") != std::string::npos);
    }
}

TEST_CASE("Bounded JSON depth limit counts containers exactly", "[common][json]") {
    const auto nested = [](int depth) {
        return std::string(static_cast<std::size_t>(depth), '[') + "1" +
               std::string(static_cast<std::size_t>(depth), ']');
    };
    CHECK(parseBoundedJson(nested(64), "t"));
    CHECK_FALSE(parseBoundedJson(nested(65), "t"));
    CHECK(parseBoundedJson(nested(1), "t", 1));
    CHECK_FALSE(parseBoundedJson(nested(2), "t", 1));
    CHECK(parseBoundedJson("1", "t", 0));
    CHECK_FALSE(parseBoundedJson("[]", "t", 0));
    // Brackets inside strings, escaped quotes included, are text, not nesting.
    CHECK(parseBoundedJson(R"(["[[[{{{\"[[[", "]]]}"])", "t", 1));
    CHECK(parseBoundedJson(R"({"a": [1], "b": {"c": [2]}})", "t", 3));
    CHECK_FALSE(parseBoundedJson(R"({"a": [1], "b": {"c": [2]}})", "t", 2));

    // A document exactly at the limit copies and dumps like any other.
    const auto atLimit = parseBoundedJson(nested(64), "t");
    REQUIRE(atLimit);
    const nlohmann::json copy = *atLimit;
    CHECK(copy.dump() == nested(64));
}

TEST_CASE("Bounded JSON refuses ill-formed UTF-8 and names the offset", "[common][json]") {
    const auto badString = parseBoundedJson("{\"k\": \"ab\xFF\"}", "prompt chunk");
    REQUIRE_FALSE(badString);
    CHECK(badString.error().code == ErrorCode::Corrupt);
    CHECK(badString.error().message.find("prompt chunk") != std::string::npos);
    CHECK(badString.error().message.find("byte 10") != std::string::npos);

    CHECK_FALSE(parseBoundedJson("\"\xC0\xAF\"", "t"));     // overlong '/'
    CHECK_FALSE(parseBoundedJson("\"\xED\xA0\x80\"", "t")); // surrogate half
    CHECK_FALSE(parseBoundedJson("\xEF\xBB\xBF\xFF", "t")); // junk after a BOM
}

TEST_CASE("Bounded JSON reports syntax errors and size as values", "[common][json]") {
    const auto truncated = parseBoundedJson("{\"a\": [1, 2", "reply");
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().code == ErrorCode::Corrupt);
    CHECK(truncated.error().message.rfind("reply: not valid JSON at byte ", 0) == 0);
    CHECK(truncated.error().message.find("[json.exception") == std::string::npos);

    CHECK_FALSE(parseBoundedJson("", "t"));
    CHECK_FALSE(parseBoundedJson("{} trailing", "t"));
    CHECK_FALSE(parseBoundedJson("// comment\n{}", "t"));

    const auto big = parseBoundedJson("[1, 2, 3]", "big.json", 64, 4);
    REQUIRE_FALSE(big);
    CHECK(big.error().code == ErrorCode::LimitExceeded);
    CHECK(big.error().message.find("big.json") != std::string::npos);
    CHECK(parseBoundedJson("[1]", "t", 64, 3));
}

TEST_CASE("Bounded JSON parses wide objects in linear time", "[common][json]") {
    // nlohmann's parser callback rescans the parent object after every member object, which
    // makes this shape quadratic (minutes at this size); the depth check must not.
    std::string text = "{";
    for (int i = 0; i < 200000; ++i) {
        text += (i == 0 ? "\"k" : ",\"k") + std::to_string(i) + "\":{}";
    }
    text += "}";
    const auto start = std::chrono::steady_clock::now();
    const auto parsed = parseBoundedJson(text, "wide");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(parsed);
    CHECK(parsed->size() == 200000);
    CHECK(elapsed < std::chrono::seconds(10));
}
