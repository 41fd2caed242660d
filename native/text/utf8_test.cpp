#include <doctest.h>

#include "text/utf8.h"

using tessera::decode_utf8;

TEST_CASE("decodes ASCII, two-, three- and four-byte sequences") {
  const auto cps = decode_utf8("a\xC5\xB5\xE2\x82\xAC\xF0\x9F\x98\x80");
  REQUIRE(cps.size() == 4);
  CHECK(cps[0] == U'a');
  CHECK(cps[1] == U'\u0175');  // ŵ
  CHECK(cps[2] == U'\u20AC');
  CHECK(cps[3] == U'\U0001F600');
}

TEST_CASE("invalid and truncated sequences become U+FFFD without over-reading") {
  CHECK(decode_utf8("\xC0\xAF") == std::vector<char32_t>{0xFFFD, 0xFFFD});     // overlong
  CHECK(decode_utf8("\xED\xA0\x80").front() == 0xFFFD);                        // surrogate
  CHECK(decode_utf8(std::string_view("\xE2\x82", 2)) == std::vector<char32_t>{0xFFFD, 0xFFFD});
  CHECK(decode_utf8("\xF5\x80\x80\x80").front() == 0xFFFD);                    // > U+10FFFF
}
