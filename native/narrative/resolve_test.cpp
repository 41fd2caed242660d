#include <doctest.h>

#include <algorithm>
#include <string>

#include "narrative/resolve.h"
#include "programme/programme.h"
#include "tests/test_font.h"

using tessera::ordered_json;

namespace {
// Re-resolution through the engine's API, as DOM for the assertions.
ordered_json reresolve_json(const tessera::Programme& p, const ordered_json& context, const ordered_json& then, double at) {
  const tessera::ResolvedPlan before = tessera::resolve(p, context);
  const tessera::Reresolution r = tessera::reresolve(p, before, then, at);
  return {{"plan", ordered_json::parse(r.plan.json())}, {"changes", ordered_json::parse(r.changes_json())}};
}
const tessera::Programme& sample() {
  static const tessera::ParsedProgramme parsed = [] {
    const auto bytes = tessera::testing::read_repo_file("docs/examples/sample-programme.json");
    return tessera::parse_programme(std::string(bytes.begin(), bytes.end()));
  }();
  return parsed.programme;
}
std::vector<std::string> path_of(const ordered_json& plan) {
  std::vector<std::string> out;
  for (const auto& e : plan["path"]) out.push_back(e["scene"].get<std::string>());
  return out;
}
const ordered_json* object(const ordered_json& plan, const std::string& id) {
  for (const auto& o : plan["objects"])
    if (o["id"] == id) return &o;
  return nullptr;
}
}  // namespace

TEST_CASE("default context: beginning by time of day, default choice assumed, path to the ending") {
  const ordered_json plan = tessera::resolve_plan(sample(), ordered_json::object());
  CHECK(path_of(plan) == std::vector<std::string>{"greeting-day", "intro", "summary", "credits"});
  CHECK(plan["layout"]["id"] == "landscape");
  CHECK(plan["end"]["kind"] == "ending");
  const ordered_json& intro = plan["path"][1];
  CHECK(intro["choice"]["assumed"] == "summary");
  CHECK(intro["choice"]["taken"].is_null());
  // The phone-only option is offered only on phones, and the plan says why.
  CHECK(intro["choice"]["options"][2]["available"] == false);
  CHECK(intro["choice"]["options"][2]["reason"]["values"]["deviceClass"] == "desktop");
  // Times are absolute and contiguous: greeting 3 s (clip-b), intro 6.53 s.
  CHECK(intro["start"].get<double>() == doctest::Approx(3.0));
  CHECK(plan["path"][2]["start"].get<double>() == doctest::Approx(9.53));
}

TEST_CASE("every decision carries its reason: which condition, which values") {
  const ordered_json plan = tessera::resolve_plan(sample(), {{"timeOfDay", 8.5}, {"language", "cy"}, {"signLanguage", true}});
  CHECK(plan["path"][0]["scene"] == "greeting-morning");
  const ordered_json& begin = plan["path"][0]["via"]["beginning"];
  CHECK(begin["pointer"] == "/beginnings/0/when");
  CHECK(begin["values"]["timeOfDay"] == 8.5);
  CHECK(begin["result"] == true);
  const ordered_json& intro = plan["path"][1];
  CHECK(intro["alternative"] == "welsh");
  CHECK(intro["alternatives"][0]["values"]["language"] == "cy");
  const ordered_json* signer = object(plan, "intro/signer");
  REQUIRE(signer);
  CHECK((*signer)["region"]["name"] == "pip");
  CHECK((*signer)["reason"]["pointer"] == "/scenes/intro/alternatives/0/objects/2/when");
  CHECK(object(plan, "intro/narration")->at("asset") == "narration-cy");
}

TEST_CASE("objects excluded by their condition are listed with the reason") {
  const ordered_json plan = tessera::resolve_plan(sample(), ordered_json::object());
  bool found = false;
  for (const auto& e : plan["excluded"])
    if (e["id"] == "intro/ad") {
      found = true;
      CHECK(e["reason"]["values"]["audioDescription"] == false);
    }
  CHECK(found);
  CHECK(object(plan, "intro/ad") == nullptr);
}

TEST_CASE("choices made and story state steer the path, through a nested sub-programme") {
  const ordered_json plan = tessera::resolve_plan(sample(), {{"choices", {{"intro", "detail"}}}, {"dayOfWeek", 6}});
  CHECK(path_of(plan) == std::vector<std::string>{"greeting-day", "intro", "detail", "extra", "extra/part-1", "extra/part-2",
                                                  "summary", "weekend-bonus", "credits"});
  CHECK(plan["path"][1]["choice"]["taken"] == "detail");
  CHECK(plan["path"][2]["next"]["scene"] == "extra");  // wantsDetail was set by the option
  CHECK(plan["path"][4]["programme"] == "deep-dive");
}

TEST_CASE("portrait viewers get the portrait layout and its regions") {
  const ordered_json plan = tessera::resolve_plan(sample(), {{"orientation", "portrait"}, {"signLanguage", true}});
  CHECK(plan["layout"]["id"] == "portrait");
  CHECK(plan["layout"]["height"] == 1280);
  CHECK(object(plan, "intro/signer")->at("region")["y"] == 900);
}

TEST_CASE("time available: optional scenes dropped or trimmed in priority order, deterministically") {
  const ordered_json ctx = {{"choices", {{"intro", "detail"}}}, {"dayOfWeek", 0}};
  const ordered_json full = tessera::resolve_plan(sample(), ctx);
  const double length = full["duration"].get<double>();
  ordered_json limited = ctx;
  limited["timeAvailable"] = length - 4.0;
  const ordered_json plan = tessera::resolve_plan(sample(), limited);
  CHECK(plan["fit"]["applied"] == true);
  CHECK(plan["duration"].get<double>() <= length - 4.0 + 1e-6);
  // Priority 0 (weekend bonus, 3 s) goes first, then priority 1 (extra) is dropped or trimmed.
  CHECK(plan["fit"]["decisions"][0]["scene"] == "weekend-bonus");
  CHECK(plan["fit"]["decisions"][0]["action"] == "dropped");
  CHECK(tessera::resolve_plan(sample(), limited) == plan);  // deterministic
  // Impossible fits are reported, not hidden.
  limited["timeAvailable"] = 1.0;
  const ordered_json tight = tessera::resolve_plan(sample(), limited);
  CHECK(tight["fit"]["shortfall"].get<double>() > 0);
  CHECK_FALSE(tight["warnings"].empty());
}

TEST_CASE("bad context values fall back to defaults with a warning") {
  const ordered_json plan = tessera::resolve_plan(sample(), {{"language", "fr"}, {"dialogueBalance", 7}});
  CHECK(plan["context"]["language"] == "en");
  CHECK(plan["context"]["dialogueBalance"] == 0);
  CHECK(plan["warnings"].size() >= 2);
}

TEST_CASE("re-resolution keeps the position and reports only what changed") {
  const ordered_json before = tessera::resolve_plan(sample(), ordered_json::object());
  // 5 s in: inside the intro (3 .. 9.53). The viewer turns sign language on.
  const ordered_json result = reresolve_json(sample(), ordered_json::object(), {{"signLanguage", true}}, 5.0);
  const ordered_json& changes = result["changes"];
  CHECK(changes["pathChanged"] == false);
  CHECK(changes["layoutChanged"] == false);
  REQUIRE(changes["added"].size() == 1);
  CHECK(changes["added"][0]["id"] == "intro/signer");
  CHECK(changes["removed"].empty());
  CHECK(result["plan"]["path"][1]["start"] == before["path"][1]["start"]);
  // Switching language mid-intro swaps the narration; the path already played is kept.
  const ordered_json welsh = reresolve_json(sample(), ordered_json::object(), {{"language", "cy"}}, 5.0);
  CHECK(welsh["plan"]["path"][0]["scene"] == "greeting-day");
  bool narration_changed = false;
  for (const auto& c : welsh["changes"]["changed"])
    if (c["id"] == "intro/narration") narration_changed = c["fields"]["asset"][1] == "narration-cy";
  CHECK(narration_changed);
}

TEST_CASE("a changed morning context does not rewrite a beginning already played") {
  const ordered_json after = reresolve_json(sample(), {{"timeOfDay", 8}}, {{"timeOfDay", 13}}, 1.0);
  CHECK(after["plan"]["path"][0]["scene"] == "greeting-morning");
  CHECK(after["changes"]["pathChanged"] == false);
}

TEST_CASE("dropping a scene that plays a sub-programme drops its sub-scenes with it") {
  const ordered_json ctx = {{"choices", {{"intro", "detail"}}}, {"timeAvailable", 20}};
  const ordered_json plan = tessera::resolve_plan(sample(), ctx);
  for (const auto& scene : path_of(plan)) CHECK(scene.rfind("extra", 0) != 0);
  bool dropped = false;
  for (const auto& d : plan["fit"]["decisions"])
    if (d["scene"] == "extra") {
      dropped = d["action"] == "dropped";
      CHECK(d["from"].get<double>() == doctest::Approx(6.0));  // its two 3 s sub-scenes
      CHECK(d["reason"].get<std::string>().find("priority 1)") != std::string::npos);
    }
  CHECK(dropped);
  // Audio has no picture region.
  for (const auto& o : plan["objects"])
    if (o["type"] == "audio") CHECK(o["region"].is_null());
}

TEST_CASE("a square screen gets the square layout") {
  const ordered_json plan = tessera::resolve_plan(sample(), {{"orientation", "square"}, {"signLanguage", true}});
  CHECK(plan["layout"]["id"] == "square");
  CHECK(plan["layout"]["rejected"][0]["id"] == "portrait");
  CHECK(object(plan, "intro/signer")->at("region")["width"] == 330);
}

namespace {
tessera::ParsedProgramme two_scenes(const std::string& transition) {
  return tessera::parse_programme(R"({"format":"tessera-programme","version":1,"id":"t","title":"T",
    "assets":{"v":{"type":"video","src":"v.webm","duration":20}},
    "layouts":{"tv":{"width":1280,"height":720,"regions":{}}},
    "beginnings":[{"scene":"a"}],
    "scenes":{"a":{"duration":5,"objects":[{"id":"x","asset":"v"}],"next":[{"scene":"b"}]},
              "b":{"duration":4,)" + transition + R"("objects":[{"id":"y","asset":"v"}]}}})");
}
}  // namespace

TEST_CASE("a crossfade overlaps a scene with the one before it; a dip does not") {
  const auto cut = two_scenes("");
  REQUIRE(cut.ok);
  const ordered_json plain = tessera::resolve_plan(cut.programme, ordered_json::object());
  CHECK(plain["duration"] == 9);
  CHECK(plain["path"][1]["start"] == 5);
  CHECK_FALSE(plain["path"][1].contains("transition"));

  const auto fade = two_scenes(R"("transition":{"kind":"crossfade","duration":1.5},)");
  REQUIRE(fade.ok);
  const ordered_json crossfaded = tessera::resolve_plan(fade.programme, ordered_json::object());
  CHECK(crossfaded["duration"] == 7.5);
  CHECK(crossfaded["path"][1]["start"] == 3.5);
  CHECK(crossfaded["path"][1]["transition"] == ordered_json({{"kind", "crossfade"}, {"duration", 1.5}, {"overlap", 1.5}}));
  // The incoming scene's objects start with it, under the outgoing scene's last 1.5 s.
  CHECK(crossfaded["objects"][1]["start"] == 3.5);
  CHECK(crossfaded["objects"][0]["end"] == 5);

  const auto dip = two_scenes(R"("transition":{"kind":"dip","duration":1,"colour":"#FF8000"},)");
  REQUIRE(dip.ok);
  const ordered_json dipped = tessera::resolve_plan(dip.programme, ordered_json::object());
  CHECK(dipped["duration"] == 9);
  CHECK(dipped["path"][1]["transition"] == ordered_json({{"kind", "dip"}, {"duration", 1}, {"colour", "#ff8000"}}));

  // Never longer than either scene.
  const auto long_fade = two_scenes(R"("transition":{"kind":"crossfade","duration":9},)");
  REQUIRE(long_fade.ok);
  CHECK(tessera::resolve_plan(long_fade.programme, ordered_json::object())["path"][1]["start"] == 1);
}

TEST_CASE("transitions are validated") {
  const auto bad = two_scenes(R"("transition":{"kind":"wipe","duration":11,"colour":"red"},)");
  CHECK_FALSE(bad.ok);
  std::vector<std::string> pointers;
  for (const auto& d : bad.diagnostics.items()) pointers.push_back(d.pointer);
  CHECK(std::find(pointers.begin(), pointers.end(), "/scenes/b/transition/kind") != pointers.end());
  CHECK(std::find(pointers.begin(), pointers.end(), "/scenes/b/transition/duration") != pointers.end());
  CHECK(std::find(pointers.begin(), pointers.end(), "/scenes/b/transition/colour") != pointers.end());
}
