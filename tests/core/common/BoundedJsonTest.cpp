#include "common/BoundedJson.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <random>
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

TEST_CASE("Bounded JSON keeps long plain strings exactly, wherever they stand", "[common][json]") {
    // Long printable-ASCII strings (base64 images in replies) take a faster path through
    // the parser; what comes out must be what the plain parse gives.
    std::string image;
    for (int i = 0; i < 300000; ++i) {
        image.push_back("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64]);
    }
    const std::string other(5000, 'x');
    const std::string text = R"({"created": 1, "data": [{"b64_json": ")" + image +
                             R"(", "revised_prompt": "a \"mug\""}, {"b64_json": ")" + other +
                             R"("}], "tail": ")" + other + R"(", "n": [1, "short"]})";
    const auto parsed = parseBoundedJson(text, "reply");
    REQUIRE(parsed);
    CHECK(*parsed == nlohmann::json::parse(text));
    CHECK((*parsed)["data"][0]["b64_json"].get<std::string>() == image);
    CHECK((*parsed)["data"][0]["revised_prompt"] == "a \"mug\"");
    CHECK((*parsed)["data"][1]["b64_json"].get<std::string>() == other);
    CHECK((*parsed)["tail"].get<std::string>() == other);
    CHECK((*parsed)["n"][1] == "short");

    // A long string as a key, one with an escape or a non-ASCII character after a long
    // plain stretch, and a string that spells the stand-in used on the fast path all parse
    // as they are.
    const std::string escapedLater = other + "\\n" + other;
    const std::string accentedLater = other + "caf\xC3\xA9";
    const std::string spoof = "\\u0000ripen-long-literal-0";
    for (const std::string& tricky :
         {"{\"" + other + "\": 1, \"v\": \"" + other + "\"}",
          "[\"" + escapedLater + "\", \"" + other + "\"]",
          "[\"" + accentedLater + "\", \"" + other + "\"]",
          "[\"" + spoof + "\", \"" + other + "\"]", "[\"" + other + "\", \"" + spoof + "\"]",
          // A long key, the stand-in as a value, and a duplicate key that drops the first.
          "{\"" + other + "\": [\"" + spoof + "\"], \"v\": \"" + image + "\"}",
          "{\"d\": {\"" + other + "\": 1}, \"s\": \"" + spoof + "\", \"d\": 2}",
          "{\"d\": \"" + other + "\", \"d\": \"" + image + "\"}"}) {
        const auto got = parseBoundedJson(tricky, "t");
        REQUIRE(got);
        CHECK(*got == nlohmann::json::parse(tricky));
    }

    // Broken text around a long string is refused with the offset of the plain parse.
    const std::string broken = "[\"" + other + "\", tru]";
    const auto refused = parseBoundedJson(broken, "reply");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Corrupt);
    CHECK(refused.error().message.find("at byte " + std::to_string(other.size() + 9)) !=
          std::string::npos);
    const std::string unterminated = "[\"" + other;
    CHECK_FALSE(parseBoundedJson(unterminated, "reply"));
    // Brackets inside a long string are not nesting.
    const std::string brackets = "[\"" + std::string(5000, '[') + "\"]";
    const auto deep = parseBoundedJson(brackets, "t", 1);
    REQUIRE(deep);
    CHECK((*deep)[0].get<std::string>().size() == 5000);
}

TEST_CASE("Bounded JSON agrees with the plain parse on random documents with long strings",
          "[common][json]") {
    // Long strings as values and keys, strings that spell the fast path's stand-in,
    // escapes after long plain stretches, duplicate keys, and one in ten texts broken.
    std::mt19937 random(7);
    const auto pick = [&](unsigned n) {
        return static_cast<unsigned>(random() % n);
    };
    const auto string = [&]() -> std::string {
        switch (pick(7)) {
        case 0:
            return "\"" + std::string(4096 + pick(50), "AZaz09+/"[pick(8)]) + "\"";
        case 1:
            return "\"" + std::string(4100, 'x') + "\\n\"";
        case 2:
            return "\"\\u0000ripen-long-literal-" + std::to_string(pick(4)) + "\"";
        case 3:
            return "\"" + std::string(5000, 'y') + "\xC3\xA9\"";
        case 4:
            return "\"k\"";
        case 5:
            return "\"" + std::string(4095, 'z') + "\"";
        default:
            return "\"\"";
        }
    };
    const std::function<std::string(int)> value = [&](int depth) -> std::string {
        const unsigned kind = depth > 4 ? pick(3) : pick(5);
        if (kind == 0) {
            return string();
        }
        if (kind == 1) {
            return std::to_string(pick(100));
        }
        if (kind == 2) {
            return "null";
        }
        std::string text = kind == 3 ? "[" : "{";
        for (unsigned i = 0, n = pick(4); i < n; ++i) {
            text += (i > 0 ? "," : "") + (kind == 4 ? string() + ":" : "") + value(depth + 1);
        }
        return text + (kind == 3 ? "]" : "}");
    };
    int refused = 0;
    for (int i = 0; i < 2000; ++i) {
        std::string text = value(0);
        if (pick(10) == 0) {
            text.erase(pick(static_cast<unsigned>(text.size())), 1);
        }
        const auto got = parseBoundedJson(text, "t");
        const auto plain = nlohmann::json::parse(text, nullptr, false);
        INFO("document " << i << " of " << text.size() << " bytes");
        REQUIRE(got.has_value() == !plain.is_discarded());
        refused += got ? 0 : 1;
        if (got) {
            REQUIRE(*got == plain);
        }
    }
    CHECK(refused > 0);
}
