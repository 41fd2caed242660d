// Tests for the JavaScript semantics under the JSONLogic evaluator: Number::toString (shortest
// round-trip), StringToNumber, parseFloat, and JSON.stringify's string escapes. Expected strings
// are what Node 20 prints.
#include <doctest.h>

#include <cmath>
#include <cstring>

#include "logic/js_value.h"

using namespace tessera::logic;

namespace {
double from_bits(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}
}  // namespace

TEST_CASE("Number.prototype.toString layout and shortest digits") {
  CHECK(number_to_string(0) == "0");
  CHECK(number_to_string(-0.0) == "0");
  CHECK(number_to_string(NAN) == "NaN");
  CHECK(number_to_string(-HUGE_VAL) == "-Infinity");
  CHECK(number_to_string(1e21) == "1e+21");
  CHECK(number_to_string(1e20) == "100000000000000000000");
  CHECK(number_to_string(123456789012345680000.0) == "123456789012345680000");
  CHECK(number_to_string(1e-7) == "1e-7");
  CHECK(number_to_string(1.5e-7) == "1.5e-7");
  CHECK(number_to_string(0.000001) == "0.000001");
  CHECK(number_to_string(0.1 + 0.2) == "0.30000000000000004");
  CHECK(number_to_string(1.0 / 3) == "0.3333333333333333");
  CHECK(number_to_string(-2.5) == "-2.5");
  CHECK(number_to_string(5e-324) == "5e-324");
  CHECK(number_to_string(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(number_to_string(9007199254740993.0) == "9007199254740992");
  CHECK(number_to_string(2.0 / 3) == "0.6666666666666666");
  CHECK(number_to_string(123e-20) == "1.23e-18");
  CHECK(number_to_string(4.35) == "4.35");
  CHECK(number_to_string(from_bits(0x0010000000000000)) == "2.2250738585072014e-308");  // smallest normal
  CHECK(number_to_string(from_bits(0x44B52D02C7E14AF6)) == "1e+23");  // 9.999999999999999e22 < 1e23 < next
  CHECK(number_to_string(1e23) == "1e+23");
  CHECK(number_to_string(from_bits(0x4340000000000001)) == "9007199254740994");
  CHECK(number_to_string(from_bits(0x3FF0000000000001)) == "1.0000000000000002");
  CHECK(number_to_string(from_bits(0x3FEFFFFFFFFFFFFF)) == "0.9999999999999999");
  // Powers of two are where the rounding interval is asymmetric.
  CHECK(number_to_string(std::ldexp(1.0, -1074)) == "5e-324");
  CHECK(number_to_string(std::ldexp(1.0, 100)) == "1.2676506002282294e+30");
  CHECK(number_to_string(std::ldexp(1.0, -100)) == "7.888609052210118e-31");
  CHECK(number_to_string(std::ldexp(1.0, 1023)) == "8.98846567431158e+307");
}

TEST_CASE("StringToNumber") {
  CHECK(string_to_number(u"") == 0);
  CHECK(string_to_number(u" \t\n") == 0);
  CHECK(string_to_number(u" 12 ") == 12);
  CHECK(string_to_number(u"\u00a0\ufeff7\u2028\u3000") == 7);
  CHECK(string_to_number(u"0x1f") == 31);
  CHECK(string_to_number(u"0X1F") == 31);
  CHECK(string_to_number(u"0b101") == 5);
  CHECK(string_to_number(u"0o17") == 15);
  CHECK(std::isnan(string_to_number(u"-0x10")));
  CHECK(std::isnan(string_to_number(u"0x")));
  CHECK(std::isnan(string_to_number(u"0b2")));
  CHECK(string_to_number(u"0x20000000000001") == 9007199254740992.0);  // ties to even
  CHECK(string_to_number(u"0x20000000000003") == 9007199254740996.0);
  CHECK(string_to_number(u"0x20000000000001000000000001") == std::ldexp(9007199254740994.0, 48));
  CHECK(string_to_number(u"1e3") == 1000);
  CHECK(string_to_number(u"1.") == 1);
  CHECK(string_to_number(u".5") == 0.5);
  CHECK(string_to_number(u"+.5e1") == 5);
  CHECK(std::signbit(string_to_number(u"-0")));
  CHECK(string_to_number(u"-Infinity") == -HUGE_VAL);
  CHECK(string_to_number(u"1e400") == HUGE_VAL);
  CHECK(std::isnan(string_to_number(u"infinity")));
  CHECK(std::isnan(string_to_number(u"1_000")));
  CHECK(std::isnan(string_to_number(u".")));
  CHECK(std::isnan(string_to_number(u"1e")));
  CHECK(std::isnan(string_to_number(u"abc")));
  CHECK(std::isnan(string_to_number(u"\u180e1")));  // U+180E is not whitespace any more
  CHECK(string_to_number(u"0.1") == 0.1);
}

TEST_CASE("parseFloat") {
  CHECK(parse_float_string(u"  12abc") == 12);
  CHECK(parse_float_string(u"0x1f") == 0);
  CHECK(parse_float_string(u"1e3x") == 1000);
  CHECK(parse_float_string(u"1e") == 1);
  CHECK(parse_float_string(u"1e+") == 1);
  CHECK(parse_float_string(u"-.5e-1z") == -0.05);
  CHECK(parse_float_string(u"Infinityx") == HUGE_VAL);
  CHECK(parse_float_string(u"1.2.3") == 1.2);
  CHECK(std::isnan(parse_float_string(u"")));
  CHECK(std::isnan(parse_float_string(u"-")));
  CHECK(std::isnan(parse_float_string(u"+-1")));
  CHECK(std::isnan(parse_float_string(u"null")));
}

TEST_CASE("UTF-16 strings and JSON.stringify escapes") {
  CHECK(utf8_to_utf16("h\xC3\xA9\xF0\x9F\x98\x80") == u"h\u00e9\U0001F600");
  CHECK(utf8_to_utf16("\xC0\xAF") == u"\uFFFD\uFFFD");
  CHECK(utf16_to_utf8(u"\U0001F600") == "\xF0\x9F\x98\x80");
  CHECK(utf16_to_utf8(std::u16string(1, char16_t(0xD83D))) == "\xEF\xBF\xBD");
  Limits limits;
  Budget budget(limits);
  std::string json;
  REQUIRE(to_json(Value::string(std::u16string(u"a\"\\\b\f\n\r\t\x01\x7f") + char16_t(0xD83D) + u"\u2028"), json, budget));
  CHECK(json == "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\x7f\\ud83d\xE2\x80\xA8\"");
  CHECK(json_quote("bad \xff") == "\"bad \xEF\xBF\xBD\"");
}
