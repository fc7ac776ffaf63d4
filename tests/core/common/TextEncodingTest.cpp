#include "common/TextEncoding.h"

#include <catch2/catch.hpp>

using namespace ripen;

TEST_CASE("UTF-8 validation rejects the byte sequences RFC 3629 forbids", "[common]") {
    CHECK(isValidUtf8("plain ascii"));
    CHECK(isValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\xA8"));
    CHECK_FALSE(isValidUtf8("\xFF" "bad"));
    CHECK_FALSE(isValidUtf8("\xC0\xAF"));         // overlong '/'
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));     // surrogate half
    CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80")); // above U+10FFFF
    CHECK_FALSE(isValidUtf8("\xE2\x82"));         // truncated
}

TEST_CASE("Invalid bytes in a file name are shown escaped, valid text unchanged", "[common]") {
    CHECK(escapeInvalidUtf8("\xFF" "bad\xFE.png") == "\\xffbad\\xfe.png");
    CHECK(escapeInvalidUtf8("caf\xC3\xA9.png") == "caf\xC3\xA9.png");
    CHECK(sanitizeUtf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(latin1ToUtf8("caf\xE9") == "caf\xC3\xA9");
}
