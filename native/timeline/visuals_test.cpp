#include "timeline/visuals.h"

#include <doctest.h>

#include <string>

#include "narrative/resolve.h"

namespace {
// Scene a (0–5 s): a video x (fades in over 1 s) and an image logo on a higher layer.
// Scene b (4 s long) comes in with `transition`.
tessera::ParsedProgramme programme(const std::string& transition) {
  return tessera::parse_programme(R"({"format":"tessera-programme","version":1,"id":"t","title":"T",
    "assets":{"v":{"type":"video","src":"v.webm","duration":20,"trim":{"in":2},
                   "regionsOfInterest":[{"at":2,"x":0,"y":0,"width":0.5,"height":0.5},{"at":4,"x":0.5,"y":0.5,"width":0.5,"height":0.5}]},
              "logo":{"type":"image","src":"logo.png"},
              "music":{"type":"audio","src":"m.webm","duration":30}},
    "layouts":{"tv":{"width":1280,"height":720,"regions":{}}},
    "beginnings":[{"scene":"a"}],
    "scenes":{"a":{"duration":5,"objects":[{"id":"x","asset":"v","fadeIn":1},{"id":"logo","asset":"logo","layer":5},
                                           {"id":"m","asset":"music"}],"next":[{"scene":"b"}]},
              "b":{"duration":4,)" + transition + R"("objects":[{"id":"y","asset":"v"}]}}})");
}

std::string ids(const tessera::Visuals& v) {
  std::string out;
  for (const auto& item : v.items) out += (out.empty() ? "" : ",") + item.object->placement->id;
  return out;
}
}  // namespace

TEST_CASE("visuals: active objects back to front, with media times and fades") {
  const auto parsed = programme("");
  REQUIRE(parsed.ok);
  const tessera::ResolvedPlan plan = tessera::resolve(parsed.programme, tessera::ordered_json::object());
  const tessera::Visuals at0 = tessera::visuals_at(*plan.state, 0.0);
  CHECK(ids(at0) == "logo");  // x is fading in from nothing; audio is not visual
  const tessera::Visuals half = tessera::visuals_at(*plan.state, 0.5);
  CHECK(ids(half) == "x,logo");  // layer 5 in front
  CHECK(half.items[1].opacity == 255);
  CHECK(half.items[0].opacity == 128);  // 0.5 × 255 rounded half up
  CHECK(half.items[0].media_time == doctest::Approx(2.5));  // trim-in 2 s
  CHECK(ids(tessera::visuals_at(*plan.state, 4.999)) == "x,logo");
  CHECK(ids(tessera::visuals_at(*plan.state, 5.0)) == "y");
  CHECK(tessera::visuals_at(*plan.state, 5.0).items[0].media_time == doctest::Approx(2.0));
  CHECK(tessera::visuals_at(*plan.state, 9.0).items.empty());
  CHECK_FALSE(tessera::visuals_at(*plan.state, 4.0).veil);
}

TEST_CASE("visuals: a crossfade draws the incoming scene over the outgoing one, fading in") {
  const auto parsed = programme(R"("transition":{"kind":"crossfade","duration":2},)");
  REQUIRE(parsed.ok);
  const tessera::ResolvedPlan plan = tessera::resolve(parsed.programme, tessera::ordered_json::object());
  const tessera::Visuals mid = tessera::visuals_at(*plan.state, 4.0);  // b starts at 3
  CHECK(ids(mid) == "x,logo,y");  // incoming y over outgoing (even the logo on layer 5)
  CHECK(mid.items[2].opacity == 128);
  CHECK(mid.items[0].opacity == 255);
  CHECK(ids(tessera::visuals_at(*plan.state, 5.0)) == "y");
  CHECK(tessera::visuals_at(*plan.state, 5.0).items[0].opacity == 255);
}

TEST_CASE("visuals: a dip veils the join in its colour") {
  const auto parsed = programme(R"("transition":{"kind":"dip","duration":2,"colour":"#102030"},)");
  REQUIRE(parsed.ok);
  const tessera::ResolvedPlan plan = tessera::resolve(parsed.programme, tessera::ordered_json::object());
  CHECK_FALSE(tessera::visuals_at(*plan.state, 3.9).veil);
  const auto before = tessera::visuals_at(*plan.state, 4.5).veil;
  REQUIRE(before);
  CHECK(before->opacity == 128);
  CHECK(before->r == 0x10);
  CHECK(before->g == 0x20);
  CHECK(before->b == 0x30);
  CHECK(tessera::visuals_at(*plan.state, 5.0).veil->opacity == 255);
  CHECK(tessera::visuals_at(*plan.state, 5.5).veil->opacity == 128);
  CHECK_FALSE(tessera::visuals_at(*plan.state, 6.0).veil);
}

TEST_CASE("region of interest follows its keyframes") {
  const auto parsed = programme("");
  REQUIRE(parsed.ok);
  const tessera::Asset& v = *parsed.programme.asset("v");
  CHECK(tessera::region_of_interest_at(v, 0)->x == 0);
  CHECK(tessera::region_of_interest_at(v, 3)->x == doctest::Approx(0.25));
  CHECK(tessera::region_of_interest_at(v, 9)->y == doctest::Approx(0.5));
  CHECK_FALSE(tessera::region_of_interest_at(*parsed.programme.asset("logo"), 1));
}
