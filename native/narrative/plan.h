// A resolved plan as the engine keeps it: every decision as a record pointing into the
// Programme (which must outlive it). Resolution (resolve.cpp) writes it; composition and mixing
// read it; ResolvedPlan::json() turns it into the documented JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "logic/js_value.h"
#include "programme/programme.h"

namespace tessera {

// One evaluated condition: what it read and what it gave. Kept as data; text is written only
// when the plan is asked for.
struct PlanTest {
  const Condition* condition = nullptr;  // null: unconditional
  bool result = true;
  std::vector<std::pair<const std::string*, logic::Value>> values;  // the values the rule read
  std::string error;
};

// Objects are small and trivially copyable (they are sorted); their tests live in PlanState::tests.
struct PlanObject {
  uint32_t visit = 0;  // index into PlanState::visits
  uint32_t test = 0;   // index into PlanState::tests
  const Placement* placement = nullptr;
  const Asset* asset = nullptr;
  double start = 0, end = 0;  // scene-relative while walking (end < 0: until the scene ends)
  const Region* region = nullptr;
  bool region_fallback = false;  // the layout lacks the region: full frame
};

struct PlanExcluded {
  uint32_t visit = 0;
  uint32_t test = 0;
  const Placement* placement = nullptr;
};

template <class T>
struct PlanTried {
  const T* item;
  PlanTest test;
};

enum class ViaKind : uint8_t { None, Beginning, KeptBeginning, Choice };
enum class NextKind : uint8_t { None, Link, Kept };

struct PlanBeginning {
  const Beginning* chosen = nullptr;  // null: none held
  PlanTest test;
  std::vector<PlanTried<Beginning>> rejected;
};

struct PlanChoice {
  std::vector<PlanTried<ChoiceOption>> options;  // every option with its availability
  const ChoiceOption* taken = nullptr;
  const ChoiceOption* assumed = nullptr;
  std::string made;  // the option the context named ("" none)
};

struct PlanVisit {
  const Scene* scene = nullptr;
  std::string key;     // unique in the plan: "scene", "scene#2" on a revisit, "parent/sub" inside sub-programmes
  size_t key_hash = 0;
  std::string graph;   // "" main, else sub-programme id
  double start = 0;
  double duration = 0;
  double full_duration = 0;
  double overlap = 0;  // a crossfade from the scene before: this scene starts that much before it ends
  bool dropped = false;
  size_t parent = SIZE_MAX;  // the visit whose sub-programme this scene belongs to
  const Alternative* alternative = nullptr;
  std::vector<PlanTried<Alternative>> alternatives;
  ViaKind via = ViaKind::None;
  bool via_before_choice = false;  // "via" was set before the choice was written (JSON key order)
  PlanBeginning beginning;
  bool has_choice = false;
  PlanChoice choice;
  NextKind next = NextKind::None;
  const Link* link = nullptr;
  PlanTest link_test;
  std::vector<PlanTried<Link>> rejected_links;
  std::string kept_next;  // NextKind::Kept: the scene kept from the previous plan
};

struct PlanLayout {
  const Layout* chosen = nullptr;
  bool fallback = false;  // no condition held: the first layout
  PlanTest test;
  std::vector<PlanTried<Layout>> rejected;
};

struct PlanState {
  std::string programme_id;
  PlanLayout layout;
  ordered_json context = ordered_json::object();
  std::optional<double> time_available;
  ordered_json fit = ordered_json::object();
  std::vector<PlanVisit> visits;
  std::vector<PlanObject> objects;  // absolute times, sorted as in the plan
  std::vector<PlanExcluded> excluded;
  std::vector<PlanTest> tests;  // of objects and excluded objects
  ordered_json end = ordered_json::object();
  std::vector<std::string> warnings;
  double duration = 0;
};

}  // namespace tessera
