#include "programme/json_doc.h"

#include <doctest.h>

#include <cmath>
#include <string>

using tessera::JsonDoc;
using tessera::JsonView;

namespace {
std::string dump(std::string_view text) {
  const JsonDoc doc(text, 64);
  return doc.ok() ? doc.root().dump() : "error: " + doc.error().message;
}
}  // namespace

TEST_CASE("json_doc reads every kind of value") {
  const JsonDoc doc(R"( {"a": [1, -2.5, 3e2, true, false, null, "x"], "b": {}, "c": [], "d": {"e": "f"}} )", 64);
  REQUIRE(doc.ok());
  const JsonView root = doc.root();
  CHECK(root.is_object());
  CHECK(root.size() == 4);
  CHECK(root.key(0) == "a");
  const JsonView a = root.find("a");
  REQUIRE(a.is_array());
  CHECK(a.size() == 7);
  CHECK(a[0].is_number_integer());
  CHECK(a[0].number() == 1);
  CHECK_FALSE(a[1].is_number_integer());
  CHECK(a[1].number() == -2.5);
  CHECK(a[2].number() == 300);
  CHECK_FALSE(a[2].is_number_integer());
  CHECK(a[3].boolean());
  CHECK(a[4].is_boolean());
  CHECK_FALSE(a[4].boolean());
  CHECK(a[5].is_null());
  CHECK(a[6].string() == "x");
  CHECK(root.find("b").is_object());
  CHECK(root.find("b").empty());
  CHECK(root.find("c").is_array());
  CHECK(root.find("d").find("e").string() == "f");
  CHECK_FALSE(root.find("zzz"));
  CHECK_FALSE(a[99]);
}

TEST_CASE("json_doc keeps JSON.parse's rule for duplicate keys") {
  CHECK(dump(R"({"a":1,"b":2,"a":3})") == R"({"a":3,"b":2})");
  // Past the small-object threshold the index path is taken.
  CHECK(dump(R"({"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k1":"last","k9":9})") ==
        R"({"k0":0,"k1":"last","k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9})");
}

TEST_CASE("json_doc decodes escapes and checks UTF-8") {
  const JsonDoc doc(R"(["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20ac\ud83d\ude00", "ŵŷ"])", 8);
  REQUIRE(doc.ok());
  CHECK(doc.root()[0].string() == "\"\\/\b\f\n\r\t");
  CHECK(doc.root()[1].string() == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(doc.root()[2].string() == "ŵŷ");
  CHECK_FALSE(JsonDoc(R"(["\ud800"])", 8).ok());        // unpaired high surrogate
  CHECK_FALSE(JsonDoc(R"(["\udc00"])", 8).ok());        // lone low surrogate
  CHECK_FALSE(JsonDoc(R"(["\ud800\u0041"])", 8).ok());  // high surrogate, then not a low one
  CHECK_FALSE(JsonDoc("[\"\xC3\"]", 8).ok());            // truncated sequence
  CHECK_FALSE(JsonDoc("[\"\xC0\xAF\"]", 8).ok());        // overlong
  CHECK_FALSE(JsonDoc("[\"\xED\xA0\x80\"]", 8).ok());    // encoded surrogate
  CHECK_FALSE(JsonDoc("[\"\xF4\x90\x80\x80\"]", 8).ok());  // past U+10FFFF
  CHECK_FALSE(JsonDoc("[\"a\nb\"]", 8).ok());            // raw control character
  CHECK_FALSE(JsonDoc(R"(["\x"])", 8).ok());
}

TEST_CASE("json_doc accepts only JSON's grammar") {
  for (const char* bad : {"", " ", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[-]", "{a:1}",
                          "{'a':1}", "[1 2]", "{\"a\" 1}", "[1]x", "[true1]", "[nul]", "[NaN]", "[Infinity]", "[1e999]",
                          "[\"abc]", "{\"a\":1"}) {
    INFO(bad);
    CHECK_FALSE(JsonDoc(bad, 8).ok());
  }
  for (const char* good : {"0", "-0", "1.5e-3", "\"\"", "[]", "{}", " [ 1 , { } ] ", "1E+2", "12345678901234567890"}) {
    INFO(good);
    CHECK(JsonDoc(good, 8).ok());
  }
  CHECK(JsonDoc("\xEF\xBB\xBF{}", 8).ok());  // a byte order mark is skipped
  CHECK_FALSE(JsonDoc(std::string_view("1\0x", 3), 8).ok());  // a NUL is not the end of the text
  CHECK(JsonDoc("12345678901234567890", 8).root().number() == 12345678901234567890.0);
  CHECK(std::signbit(JsonDoc("-0", 8).root().number()));
}

TEST_CASE("json_doc reports where the text went wrong, and refuses deep nesting") {
  const std::string text = "{\n  \"a\": [1,\n    2,,\n  ]\n}";
  const JsonDoc doc(text, 8);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.error().message == "expected a value");
  const auto pos = doc.position(doc.error().offset);
  CHECK(pos.line == 3);
  CHECK(pos.column == 7);

  const JsonDoc deep(std::string(9, '[') + std::string(9, ']'), 8);
  CHECK_FALSE(deep.ok());
  CHECK(deep.error().too_deep);
  CHECK(JsonDoc(std::string(8, '[') + std::string(8, ']'), 8).ok());
  // Very deep input fails cleanly (the reader does not recurse).
  CHECK_FALSE(JsonDoc(std::string(1'000'000, '['), 1'000'000'000).ok());
}

TEST_CASE("json_doc locates pointers, falling back to the nearest ancestor") {
  const std::string text = "{\n  \"scenes\": {\n    \"a/b\": {\"objects\": [ {\"id\": 1} ]}\n  }\n}";
  const JsonDoc doc(text, 16);
  REQUIRE(doc.ok());
  auto at = [&](const char* pointer) {
    const auto p = doc.position(doc.locate(pointer));
    return std::to_string(p.line) + ":" + std::to_string(p.column);
  };
  CHECK(at("") == "1:1");
  CHECK(at("/scenes") == "2:13");
  CHECK(at("/scenes/a~1b") == "3:12");
  CHECK(at("/scenes/a~1b/objects/0/id") == "3:33");
  CHECK(at("/scenes/a~1b/objects/0/missing") == "3:26");
  CHECK(at("/scenes/a~1b/objects/7") == "3:24");
  CHECK(at("/nope") == "1:1");
}

TEST_CASE("json_doc converts to nlohmann documents") {
  const JsonDoc doc(R"({"n":[1,2.5,-3],"s":"é","o":{"t":true,"z":null}})", 8);
  REQUIRE(doc.ok());
  const nlohmann::ordered_json j = doc.root().to_json();
  CHECK(j["n"][0].is_number_integer());
  CHECK(j["n"][1].get<double>() == 2.5);
  CHECK(j.dump() == R"({"n":[1,2.5,-3],"s":"é","o":{"t":true,"z":null}})");
}
