#include <doctest.h>

#include <string>

#include "programme/programme.h"
#include "tests/test_font.h"

namespace {
std::string sample() {
  const auto bytes = tessera::testing::read_repo_file("docs/examples/sample-programme.json");
  return {bytes.begin(), bytes.end()};
}
const tessera::Diagnostic* find(const tessera::ParsedProgramme& p, const std::string& pointer) {
  for (const auto& d : p.diagnostics.items())
    if (d.pointer == pointer) return &d;
  return nullptr;
}
std::string minimal(const std::string& scenes_extra = "", const std::string& top_extra = "") {
  return R"({"format":"tessera-programme","version":1,"id":"p","title":"T",
  "assets":{"v":{"type":"video","src":"v.webm","duration":5}},
  "layouts":{"tv":{"width":1280,"height":720,"regions":{"main":{"x":0,"y":0,"width":1280,"height":720}}}},
  "beginnings":[{"scene":"a"}],
  "scenes":{"a":{"objects":[{"id":"o","asset":"v","region":"main"}]})" + scenes_extra + "}" + top_extra + "}";
}
}  // namespace

TEST_CASE("the sample programme, which uses every feature, validates without errors") {
  const auto parsed = tessera::parse_programme(sample());
  for (const auto& d : parsed.diagnostics.items())
    if (d.severity == tessera::Severity::Error) MESSAGE(d.pointer << ": " << d.message);
  CHECK(parsed.ok);
  const tessera::Programme& p = parsed.programme;
  CHECK(p.id == "sample-explainer");
  CHECK(p.layouts.size() == 3);
  CHECK(p.layouts[1].id == "square");
  CHECK(p.layouts[2].id == "landscape");
  CHECK(p.layouts[0].id == "portrait");  // declaration order is kept: layouts are tried in order
  CHECK(p.layouts[0].region("full"));     // implied full-frame region
  CHECK(p.main.scenes.at("intro").choice.options.size() == 3);
  CHECK(p.main.scenes.at("intro").alternatives.at(0).id == "welsh");
  CHECK(p.programmes.at("deep-dive").scenes.size() == 2);
  CHECK(p.asset("clip-a-short")->playable_duration().value() == doctest::Approx(3.0));
}

TEST_CASE("syntax errors give the line and column") {
  const auto parsed = tessera::parse_programme("{\n  \"format\": \"tessera-programme\",\n  \"version\": 1,,\n}");
  REQUIRE(parsed.diagnostics.items().size() == 1);
  const auto& d = parsed.diagnostics.items()[0];
  CHECK(d.message.find("invalid JSON") == 0);
  CHECK(d.line == 3);
  CHECK(d.column == 16);
}

TEST_CASE("cross-reference errors carry JSON pointers and text positions") {
  const std::string text = minimal(R"(,"b":{"objects":[{"id":"x","asset":"nope","region":"side"}],"next":[{"scene":"zzz"}]})");
  const auto parsed = tessera::parse_programme(text);
  CHECK_FALSE(parsed.ok);
  const auto* missing_asset = find(parsed, "/scenes/b/objects/0/asset");
  REQUIRE(missing_asset);
  CHECK(missing_asset->message == "no asset named \"nope\"");
  CHECK(missing_asset->line == 5);  // the scenes line of minimal()
  CHECK(missing_asset->column == 104);
  const auto* region = find(parsed, "/scenes/b/objects/0/region");
  REQUIRE(region);
  CHECK(region->message.find("no layout defines a region named \"side\"") == 0);
  CHECK(find(parsed, "/scenes/b/next/0/scene")->message == "no scene named \"zzz\"");
}

TEST_CASE("types, ranges and enumerations are checked") {
  const std::string text = minimal("", R"(,"variables":{
    "n":{"type":"number","default":5,"min":0,"max":3},
    "s":{"type":"string","default":"fr","values":["en","cy"]},
    "q":{"type":"colour","default":1},
    "c":{"type":"boolean","default":false,"context":"mood"}})");
  const auto parsed = tessera::parse_programme(text);
  CHECK(find(parsed, "/variables/n/default")->message.find("outside the range") != std::string::npos);
  CHECK(find(parsed, "/variables/s/default")->message.find("not one of the allowed values") != std::string::npos);
  CHECK(find(parsed, "/variables/q/type")->message.find("expected one of") == 0);
  CHECK(find(parsed, "/variables/c/context")->message == "unknown context key \"mood\"");
}

TEST_CASE("a layout larger than 8192 pixels is an error, however large the number (no overflow)") {
  for (const std::string height : {"8193", "1e300", "37777777777777777777777777777777777777777777777777777777777777777777777776"}) {
    std::string text = minimal();
    const std::string from = R"("width":1280,"height":720,"regions")";
    text.replace(text.find(from), from.size(), R"("width":1280,"height":)" + height + R"(,"regions")");
    const auto parsed = tessera::parse_programme(text);
    CHECK_FALSE(parsed.ok);
    const tessera::Diagnostic* d = find(parsed, "/layouts/tv");
    REQUIRE_MESSAGE(d, height);
    CHECK(d->message == "layout larger than 8192 pixels");
  }
}

TEST_CASE("unknown JSONLogic operations are errors; undeclared variables are warnings") {
  const std::string text = minimal(R"(,"b":{"objects":[{"id":"x","asset":"v","when":{"frobnicate":[1]}}]},
    "c":{"objects":[{"id":"y","asset":"v","when":{"==":[{"var":"moon.phase"},"full"]}}]})");
  const auto parsed = tessera::parse_programme(text);
  const auto* op = find(parsed, "/scenes/b/objects/0/when/frobnicate");
  REQUIRE(op);
  CHECK(op->severity == tessera::Severity::Error);
  const auto* var = find(parsed, "/scenes/c/objects/0/when/==/0/var");
  REQUIRE(var);
  CHECK(var->severity == tessera::Severity::Warning);
  CHECK(var->message.find("\"moon\"") != std::string::npos);
}

TEST_CASE("unknown properties are warnings, so newer programmes still load") {
  const auto parsed = tessera::parse_programme(minimal("", R"(,"sparkle":true)"));
  CHECK(parsed.ok);
  const auto* d = find(parsed, "/sparkle");
  REQUIRE(d);
  CHECK(d->severity == tessera::Severity::Warning);
}

TEST_CASE("limits: size and nesting are refused before parsing") {
  tessera::ProgrammeLimits limits;
  limits.max_bytes = 100;
  CHECK(tessera::parse_programme(minimal(), limits).diagnostics.items().at(0).message.find("the limit is 100") != std::string::npos);
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  const auto parsed = tessera::parse_programme(deep);
  CHECK(parsed.diagnostics.items().at(0).message.find("nested deeper than 128") != std::string::npos);
}

TEST_CASE("not an object, wrong format and version") {
  CHECK(tessera::parse_programme("[]").diagnostics.items().at(0).message == "a programme must be a JSON object");
  const auto v2 = tessera::parse_programme(R"({"format":"other","version":2})");
  CHECK(find(v2, "/format"));
  CHECK(find(v2, "/version")->message.find("unsupported format version") == 0);
}

TEST_CASE("graphic assets are validated, and what they draw with is checked and counted as used") {
  const std::string text = R"({"format":"tessera-programme","version":1,"id":"p","title":"T",
  "variables":{"viewerName":{"type":"string","default":"you"}},
  "assets":{"f":{"type":"font","src":"f.ttf"},"v":{"type":"video","src":"v.webm","duration":5},
            "strap":{"type":"graphic","graphic":{"width":100,"height":20,"elements":[
              {"type":"text","x":0,"y":0,"width":100,"text":"Hi {viewerName} {nobody}","font":"f"},
              {"type":"image","asset":"v","x":0,"y":0,"width":10,"height":10},
              {"type":"rect","x":0,"y":0,"width":10,"height":10,"fill":"blue"}]}}},
  "layouts":{"tv":{"width":1280,"height":720,"regions":{}}},
  "beginnings":[{"scene":"a"}],
  "scenes":{"a":{"duration":5,"objects":[{"id":"s","asset":"strap"},{"id":"o","asset":"v"}]}}})";
  const auto parsed = tessera::parse_programme(text);
  CHECK_FALSE(parsed.ok);
  const auto* not_image = find(parsed, "/assets/strap/graphic/elements/1/asset");
  REQUIRE(not_image);
  CHECK(not_image->message == "asset \"v\" is not an image");
  REQUIRE(find(parsed, "/assets/strap/graphic/elements/2/fill"));  // not a colour
  const auto* placeholder = find(parsed, "/assets/strap/graphic/elements/0/text");
  REQUIRE(placeholder);
  CHECK(placeholder->severity == tessera::Severity::Warning);
  CHECK(placeholder->message.find("{nobody}") != std::string::npos);
  CHECK_FALSE(find(parsed, "/assets/f"));  // the font is used by the graphic
  CHECK(placeholder->line == 5);  // located in the text like every diagnostic
}

TEST_CASE("a valid graphic is kept parsed for drawing") {
  const auto parsed = tessera::parse_programme(sample());
  REQUIRE(parsed.ok);
  const tessera::Asset* strap = parsed.programme.asset("name-strap");
  REQUIRE(strap);
  CHECK(strap->graphic_model != nullptr);
}

namespace {
// A programme whose audio assets carry the given extra fields (JSON members, may be empty).
tessera::ParsedProgramme with_audio(const std::string& speech_fields, const std::string& music_fields = "") {
  return tessera::parse_programme(R"({"format":"tessera-programme","version":1,"id":"p","title":"T",
  "assets":{"ad":{"type":"audio","src":"ad.webm","duration":5,"role":"description")" + speech_fields + R"(},
            "bed":{"type":"audio","src":"bed.webm","duration":5,"role":"music")" + music_fields + R"(}},
  "layouts":{"tv":{"width":1280,"height":720,"regions":{}}},
  "beginnings":[{"scene":"a"}],
  "scenes":{"a":{"duration":5,"objects":[{"id":"d","asset":"ad"},{"id":"m","asset":"bed"}]}}})");
}
}  // namespace

TEST_CASE("audio assets take loudness (LUFS) and an audio description's duck, with defaults") {
  const auto parsed = with_audio(R"(,"loudness":-27.5,"duck":{"depth":-18,"attack":0.1})", R"(,"loudness":-70)");
  for (const auto& d : parsed.diagnostics.items()) MESSAGE(d.pointer << ": " << d.message);
  REQUIRE(parsed.ok);
  CHECK(parsed.diagnostics.items().empty());
  const tessera::Asset* ad = parsed.programme.asset("ad");
  REQUIRE(ad->loudness);
  CHECK(*ad->loudness == -27.5);
  REQUIRE(ad->duck);
  CHECK(ad->duck->depth == -18);
  CHECK(ad->duck->attack == 0.1);
  CHECK(ad->duck->release == 0.5);  // default
  CHECK(*parsed.programme.asset("bed")->loudness == -70);
  CHECK_FALSE(parsed.programme.asset("bed")->duck);
  const auto none = with_audio("");
  REQUIRE(none.ok);
  CHECK_FALSE(none.programme.asset("ad")->loudness);
  CHECK_FALSE(none.programme.asset("ad")->duck);
}

TEST_CASE("out-of-range or mistyped loudness and duck values are errors at their pointers") {
  const auto parsed = with_audio(R"(,"loudness":3,"duck":{"depth":-41,"attack":2.5,"release":-1})", R"(,"loudness":"loud")");
  CHECK_FALSE(parsed.ok);
  const auto* loud = find(parsed, "/assets/ad/loudness");
  REQUIRE(loud);
  CHECK(loud->message == "expected -70..0 LUFS");
  CHECK(loud->line == 2);  // located in the text
  REQUIRE(find(parsed, "/assets/ad/duck/depth"));
  CHECK(find(parsed, "/assets/ad/duck/depth")->message == "expected -40..0 dB");
  CHECK(find(parsed, "/assets/ad/duck/attack")->message == "expected 0..2 seconds");
  CHECK(find(parsed, "/assets/ad/duck/release")->message == "expected 0..5 seconds");
  CHECK(find(parsed, "/assets/bed/loudness")->message == "expected a number");
  CHECK(with_audio(R"(,"duck":-12)").diagnostics.items().at(0).pointer == "/assets/ad/duck");  // not an object
  CHECK_FALSE(with_audio(R"(,"loudness":-70.1)").ok);
  CHECK(with_audio(R"(,"loudness":0,"duck":{"depth":0,"attack":0,"release":5})").ok);  // the bounds are allowed
}

TEST_CASE("a duck on anything but an audio description, and unknown duck keys, are warnings") {
  const auto parsed = with_audio(R"(,"duck":{"depth":-12,"hold":1})", R"(,"duck":{})");
  CHECK(parsed.ok);
  const auto* unknown = find(parsed, "/assets/ad/duck/hold");
  REQUIRE(unknown);
  CHECK(unknown->severity == tessera::Severity::Warning);
  const auto* misplaced = find(parsed, "/assets/bed/duck");
  REQUIRE(misplaced);
  CHECK(misplaced->severity == tessera::Severity::Warning);
  CHECK(misplaced->message == "duck is only used for audio assets with role \"description\"");
  std::string text = minimal();
  text.replace(text.find("\"duration\":5"), 12, "\"duration\":5,\"loudness\":-20");  // on the video asset
  const auto video = tessera::parse_programme(text);
  const auto* not_audio = find(video, "/assets/v/loudness");
  REQUIRE(not_audio);
  CHECK(not_audio->severity == tessera::Severity::Warning);
}
