#include <doctest.h>

#include <string>

#include "narrative/analyse.h"
#include "tests/test_font.h"

using tessera::ordered_json;

namespace {
tessera::ParsedProgramme load(const std::string& text) { return tessera::parse_programme(text); }
const tessera::Programme& sample() {
  static const tessera::ParsedProgramme parsed = [] {
    const auto bytes = tessera::testing::read_repo_file("docs/examples/sample-programme.json");
    return tessera::parse_programme(std::string(bytes.begin(), bytes.end()));
  }();
  return parsed.programme;
}
std::string graph(const std::string& scenes, const std::string& variables = "{}") {
  return R"({"format":"tessera-programme","version":1,"id":"g","title":"G","variables":)" + variables +
         R"(,"assets":{"v":{"type":"video","src":"v","duration":1}},
    "layouts":{"l":{"width":10,"height":10,"regions":{}}},"beginnings":[{"scene":"a"}],"scenes":)" + scenes + "}";
}
}  // namespace

TEST_CASE("paths branch at every choice and follow conditions under the context") {
  const ordered_json r = tessera::enumerate_paths(sample(), ordered_json::object());
  // intro offers detail and summary (phone-only is unavailable on desktop).
  CHECK(r["paths"].size() == 2);
  CHECK(r["paths"][0] == ordered_json({"greeting-day", "intro", "detail", "extra", "summary", "credits"}));
  CHECK(r["paths"][1] == ordered_json({"greeting-day", "intro", "summary", "credits"}));
  CHECK(r["truncated"] == false);
  CHECK(r["cycles"].empty());
  CHECK(r["unreachable"].empty());
  const ordered_json phone = tessera::enumerate_paths(sample(), {{"deviceClass", "phone"}, {"dayOfWeek", 6}});
  CHECK(phone["paths"].size() == 3);
  CHECK(phone["paths"][1] == ordered_json({"greeting-day", "intro", "summary", "weekend-bonus", "credits"}));
}

TEST_CASE("cycles are reported and enumeration stays bounded") {
  const auto parsed = load(graph(R"({"a":{"choice":{"options":[{"id":"again","label":"Again","scene":"a"},{"id":"on","label":"On","scene":"b"}]}},
    "b":{"next":[{"scene":"a"}]},"orphan":{}})"));
  REQUIRE(parsed.ok);
  const ordered_json r = tessera::enumerate_paths(parsed.programme, ordered_json::object());
  CHECK(r["cycles"].size() == 2);
  CHECK(r["unreachable"] == ordered_json({"orphan"}));
  tessera::PathLimits tiny;
  tiny.max_paths = 1;
  CHECK(tessera::enumerate_paths(parsed.programme, ordered_json::object(), tiny)["truncated"] == true);
}

TEST_CASE("a dead end: no link holds under the context") {
  const auto parsed = load(graph(R"({"a":{"next":[{"scene":"b","when":{"var":"go"}}]},"b":{}})",
                                 R"({"go":{"type":"boolean","default":false}})"));
  REQUIRE(parsed.ok);
  CHECK(tessera::enumerate_paths(parsed.programme, ordered_json::object())["deadEnds"] == ordered_json({"a"}));
  CHECK(tessera::enumerate_paths(parsed.programme, {{"go", true}})["deadEnds"].empty());
}

TEST_CASE("analysis: unreachable scenes, assets only they use, never-true conditions") {
  const auto parsed = load(graph(R"({"a":{"next":[{"scene":"b","when":{"and":[{"==":[{"var":"lang"},"fr"]},{">":[{"var":"n"},5]}]}},{"scene":"b"}]},
     "b":{"objects":[{"id":"o","asset":"v","when":{">":[{"var":"n"},10]}}]},
     "lost":{"objects":[{"id":"o","asset":"v"}]}})",
                                 R"({"lang":{"type":"string","default":"en","values":["en","cy"]},"n":{"type":"number","default":1,"min":0,"max":10}})"));
  tessera::Diagnostics d;
  tessera::analyse_programme(parsed.programme, d);
  auto has = [&](const std::string& pointer, const std::string& text) {
    for (const auto& item : d.items())
      if (item.pointer == pointer && item.message.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK(has("/scenes/lost", "cannot be reached"));
  CHECK(has("/scenes/a/next/0/when", "never true"));    // lang is never "fr"
  CHECK(has("/scenes/b/objects/0/when", "never true")); // n is at most 10
  CHECK_FALSE(has("/scenes/a/next/1/when", "never true"));
}

TEST_CASE("the sample programme has no never-true conditions and no unreachable scenes") {
  tessera::Diagnostics d;
  tessera::analyse_programme(sample(), d);
  for (const auto& item : d.items()) {
    CHECK_MESSAGE(item.message.find("never true") == std::string::npos, item.pointer << ": " << item.message);
    CHECK_MESSAGE(item.message.find("cannot be reached") == std::string::npos, item.pointer);
  }
}

TEST_CASE("paths read a context the way resolution does: a bad value falls back to the default") {
  // deviceClass "watch" is not an allowed value, so it is "desktop" and the phone option stays hidden.
  CHECK(tessera::enumerate_paths(sample(), {{"deviceClass", "watch"}})["paths"] ==
        tessera::enumerate_paths(sample(), ordered_json::object())["paths"]);
}
