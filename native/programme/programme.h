// The programme model (format v1, docs/programme-format.md) as the engine holds it after parsing
// and validation: plain structs, conditions pre-converted to JSONLogic values, every element
// remembering its JSON pointer so later decisions and diagnostics can name their source.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "logic/js_value.h"
#include "logic/json_logic.h"
#include "programme/diagnostics.h"

namespace tessera {

using ordered_json = nlohmann::ordered_json;

struct Condition {
  bool present = false;   // absent = always true
  logic::Value rule;      // as written
  std::shared_ptr<const logic::Program> program;  // compiled once; what is evaluated
  std::string pointer;
  std::vector<std::string> reads;  // top-level data names read through literal {"var": …} paths
};

enum class VariableType { Boolean, Number, String, List };

struct Variable {
  std::string name;
  VariableType type = VariableType::Boolean;
  ordered_json default_value;
  std::string description;
  std::string context;  // context key, or "" for story state
  std::optional<double> min, max;
  std::vector<ordered_json> values;
  std::string pointer;
};

struct Graphic;  // graphics/graphic.h

enum class AssetType { Video, Audio, Captions, Image, Graphic, Font };
const char* asset_type_name(AssetType t);

struct RegionOfInterest {
  double at = 0, x = 0, y = 0, width = 1, height = 1;
};

// How an audio-description asset ducks the rest of the mix while it speaks.
struct AudioDuck {
  double depth = -12;    // dB, -40..0
  double attack = 0.25;  // seconds, 0..2
  double release = 0.5;  // seconds, 0..5
};

struct Asset {
  std::string id;
  AssetType type = AssetType::Video;
  std::string src;
  std::optional<double> duration;
  double trim_in = 0;
  std::optional<double> trim_out;
  std::string language;
  std::string role;
  int importance = 2;
  std::optional<double> loudness;  // audio: integrated loudness (LUFS, BS.1770) for normalisation
  std::optional<AudioDuck> duck;   // audio description: ducking of the rest of the mix
  std::vector<RegionOfInterest> regions_of_interest;
  std::string format;
  ordered_json graphic;  // as written
  std::shared_ptr<const Graphic> graphic_model;  // parsed and validated (graphics/graphic.h)
  std::string pointer;
  // Playable length after trimming, when known.
  std::optional<double> playable_duration() const;
};

struct Placement {
  std::string id;
  size_t id_hash = 0;  // std::hash of id
  std::string asset;
  const Asset* asset_ref = nullptr;  // set by validation when the asset exists
  double start = 0;
  std::optional<double> end;
  int layer = 0;
  std::string region = "full";
  Condition when;
  double gain_db = 0, fade_in = 0, fade_out = 0;
  std::string pointer;
};

struct Alternative {
  std::string id;
  Condition when;
  std::vector<Placement> objects;
  std::string pointer;
};

struct Link {
  std::string scene;
  Condition when;
  std::string pointer;
};

using Assignments = std::vector<std::pair<std::string, ordered_json>>;

struct ChoiceOption {
  std::string id, label, scene;
  Condition when;
  Assignments set;
  std::string pointer;
};

struct Choice {
  bool present = false;
  std::string prompt;
  std::vector<ChoiceOption> options;
  std::optional<double> timeout;
  std::string default_option;
  std::optional<double> at;
  bool one_shot = false;
  std::string pointer;
};

struct Optional {
  bool present = false;
  double priority = 0;
  double min_duration = 0;
};

// How a scene comes in from the one before it. A crossfade overlaps the two scenes by its
// duration (the path gets shorter by it); a dip fades out to a colour and in from it.
enum class TransitionKind { Cut, Crossfade, Dip };
struct Transition {
  TransitionKind kind = TransitionKind::Cut;
  double duration = 0;
  uint8_t r = 0, g = 0, b = 0;  // dip colour
};

struct Scene {
  std::string id;
  std::string title;
  std::optional<double> duration;
  Transition transition;
  std::vector<Placement> objects;
  std::vector<Alternative> alternatives;
  Optional optional;
  std::vector<Link> next;
  Choice choice;
  std::string programme;
  Assignments set;
  std::string source_format, source_id;
  std::string pointer;
};

struct Rect {
  double x = 0, y = 0, width = 0, height = 0;
};

struct Region {
  std::string name;
  Rect rect;
  std::string fit = "cover";
};

struct Layout {
  std::string id;
  Condition when;
  int width = 0, height = 0;
  std::optional<Rect> safe_area;
  std::vector<Region> regions;  // declaration order; "full" added when absent
  std::string pointer;
  const Region* region(std::string_view name) const;
};

struct Beginning {
  std::string scene;
  Condition when;
  std::string pointer;
};

struct SceneGraph {
  std::vector<Beginning> beginnings;
  std::map<std::string, Scene> scenes;
};

// Placements point at their assets, so a Programme is moved, never copied (a std::map keeps its
// nodes when moved).
struct Programme {
  Programme() = default;
  Programme(Programme&&) = default;
  Programme& operator=(Programme&&) = default;
  Programme(const Programme&) = delete;
  Programme& operator=(const Programme&) = delete;

  std::string id, title, description;
  std::vector<Variable> variables;
  std::map<std::string, Asset> assets;
  std::vector<Layout> layouts;
  SceneGraph main;
  std::map<std::string, SceneGraph> programmes;
  std::string source_format;
  bool conditions_read_path = false;  // some condition reads "path" (the scenes played so far)

  const Variable* variable(std::string_view name) const;
  const Asset* asset(std::string_view asset_id) const;
};

// Limits that keep untrusted programmes from exhausting memory or time.
struct ProgrammeLimits {
  size_t max_bytes = 16u << 20;
  int max_nesting = 128;
  size_t max_scenes = 20000;
  size_t max_objects_per_scene = 2000;
  size_t max_assets = 50000;
  size_t max_variables = 2000;
};

struct ParsedProgramme {
  bool ok = false;  // no errors (warnings allowed)
  Programme programme;
  Diagnostics diagnostics;
};

// Parses and validates programme JSON text. Diagnostics carry pointers and text positions.
ParsedProgramme parse_programme(std::string_view text, const ProgrammeLimits& limits = {});

// Why `value` does not fit the variable's type and domain ("" when it fits).
std::string variable_value_problem(const Variable& v, const ordered_json& value);


// Converts a JSON document to a JSONLogic value (JSON.parse semantics).
logic::Value to_logic_value(const ordered_json& j);
ordered_json from_logic_value(const logic::Value& v);

}  // namespace tessera
