// Programme parsing and validation: JSON text → Programme + diagnostics. Structural checks
// (types, required fields, ranges) and cross-references (assets, scenes, regions, variables,
// JSONLogic operators) are all reported with a JSON pointer and line/column; unknown properties
// are warnings so newer programmes still load in older players.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>

#include "graphics/graphic.h"
#include "programme/json_doc.h"
#include "programme/json_locator.h"
#include "programme/programme.h"

namespace tessera {

const char* asset_type_name(AssetType t) {
  switch (t) {
    case AssetType::Video: return "video";
    case AssetType::Audio: return "audio";
    case AssetType::Captions: return "captions";
    case AssetType::Image: return "image";
    case AssetType::Graphic: return "graphic";
    case AssetType::Font: return "font";
  }
  return "video";
}

std::optional<double> Asset::playable_duration() const {
  if (trim_out) return std::max(0.0, *trim_out - trim_in);
  if (duration) return std::max(0.0, *duration - trim_in);
  return std::nullopt;
}

const Region* Layout::region(std::string_view name) const {
  for (const Region& r : regions)
    if (r.name == name) return &r;
  return nullptr;
}

const Variable* Programme::variable(std::string_view name) const {
  for (const Variable& v : variables)
    if (v.name == name) return &v;
  return nullptr;
}

const Asset* Programme::asset(std::string_view asset_id) const {
  auto it = assets.find(std::string(asset_id));
  return it == assets.end() ? nullptr : &it->second;
}

// ---- JSON ↔ JSONLogic values -------------------------------------------------------------

namespace {
std::u16string utf16(const std::string& s) { return logic::utf8_to_utf16(s); }
std::string utf8(const std::u16string& s) { return logic::utf16_to_utf8(s); }
}  // namespace

logic::Value to_logic_value(const ordered_json& j) {
  switch (j.type()) {
    case ordered_json::value_t::null: return logic::Value::null();
    case ordered_json::value_t::boolean: return logic::Value::boolean(j.get<bool>());
    case ordered_json::value_t::number_integer: return logic::Value::number(static_cast<double>(j.get<int64_t>()));
    case ordered_json::value_t::number_unsigned: return logic::Value::number(static_cast<double>(j.get<uint64_t>()));
    case ordered_json::value_t::number_float: return logic::Value::number(j.get<double>());
    case ordered_json::value_t::string: return logic::Value::string(utf16(j.get_ref<const std::string&>()));
    case ordered_json::value_t::array: {
      logic::Array items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(to_logic_value(e));
      return logic::Value::array(std::move(items));
    }
    case ordered_json::value_t::object: {
      std::vector<logic::Member> members;
      members.reserve(j.size());
      for (auto it = j.begin(); it != j.end(); ++it) members.emplace_back(utf16(it.key()), to_logic_value(it.value()));
      return logic::Value::object(std::move(members));
    }
    default: return logic::Value();
  }
}

ordered_json from_logic_value(const logic::Value& v) {
  switch (v.type()) {
    case logic::Type::Undefined:
    case logic::Type::Null: return nullptr;
    case logic::Type::Boolean: return v.boolean_value();
    case logic::Type::Number: {
      const double n = v.number_value();
      if (!std::isfinite(n)) return nullptr;
      if (n == std::floor(n) && std::fabs(n) < 9007199254740992.0) return static_cast<int64_t>(n);
      return n;
    }
    case logic::Type::String: return utf8(v.string_value());
    case logic::Type::Array: {
      ordered_json a = ordered_json::array();
      for (const auto& e : v.array_items()) a.push_back(from_logic_value(e));
      return a;
    }
    case logic::Type::Object: {
      ordered_json o = ordered_json::object();
      for (const auto& [k, e] : v.object_members()) o[utf8(k)] = from_logic_value(e);
      return o;
    }
  }
  return nullptr;
}

namespace {
logic::Value to_logic_value(JsonView j) {
  if (j.is_boolean()) return logic::Value::boolean(j.boolean());
  if (j.is_number()) return logic::Value::number(j.number());
  if (j.is_string()) return logic::Value::string(logic::utf8_to_utf16(j.string()));
  if (j.is_array()) {
    logic::Array items;
    items.reserve(j.size());
    for (const JsonView e : j) items.push_back(to_logic_value(e));
    return logic::Value::array(std::move(items));
  }
  if (j.is_object()) {
    std::vector<logic::Member> members;
    members.reserve(j.size());
    for (size_t i = 0; i < j.size(); ++i) members.emplace_back(logic::utf8_to_utf16(j.key(i)), to_logic_value(j[i]));
    return logic::Value::object(std::move(members));
  }
  return j ? logic::Value::null() : logic::Value();
}

// The variables a rule reads: the first segment of every constant "var" path. `opaque` is set
// when a "var" path is computed or empty (the whole data), so any name may be read.
void collect_reads(JsonView rule, std::set<std::string>& out, bool& opaque, int depth) {
  if (depth > 64) { opaque = true; return; }
  if (rule.is_array()) {
    for (const JsonView e : rule) collect_reads(e, out, opaque, depth + 1);
  } else if (rule.is_object() && rule.size() == 1) {
    if (rule.key(0) == "var") {
      const JsonView args = rule[0];
      if (args.is_array() && args.empty()) { opaque = true; return; }
      const JsonView a = args.is_array() ? args[0] : args;
      if (a.is_string() && !a.string().empty()) {
        const std::string_view s = a.string();
        out.emplace(s.substr(0, s.find('.')));
      } else if (!a.is_number()) {  // a number indexes the data: never a named variable
        opaque = true;
        collect_reads(a, out, opaque, depth + 1);
      }
      if (args.is_array() && args.size() > 1) collect_reads(args[1], out, opaque, depth + 1);  // the default
    } else {
      collect_reads(rule[0], out, opaque, depth + 1);
    }
  }
}
}  // namespace

std::string variable_value_problem(const Variable& v, const ordered_json& value) {
  switch (v.type) {
    case VariableType::Boolean:
      if (!value.is_boolean()) return "expected true or false for boolean variable \"" + v.name + "\"";
      break;
    case VariableType::Number:
      if (!value.is_number()) return "expected a number for variable \"" + v.name + "\"";
      if ((v.min && value.get<double>() < *v.min) || (v.max && value.get<double>() > *v.max))
        return "value " + value.dump() + " is outside the range of \"" + v.name + "\"";
      break;
    case VariableType::String:
      if (!value.is_string()) return "expected a string for variable \"" + v.name + "\"";
      break;
    case VariableType::List:
      if (!value.is_array()) return "expected a list for variable \"" + v.name + "\"";
      break;
  }
  if (!v.values.empty() && v.type != VariableType::List &&
      std::find(v.values.begin(), v.values.end(), value) == v.values.end())
    return "value " + value.dump() + " is not one of the allowed values of \"" + v.name + "\"";
  return {};
}

// ---- the validator ------------------------------------------------------------------------

namespace {

constexpr double kMaxLayoutSize = 8192;  // pixels, either side

const std::set<std::string> kLogicOperations = {
    "var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or", "and", ">", ">=", "<",
    "<=", "max", "min", "+", "-", "*", "/", "%", "map", "filter", "reduce", "all", "none", "some", "merge", "in",
    "cat", "substr", "log"};
// Operations whose later arguments are evaluated against each element, not the programme's data.
const std::set<std::string> kScopedOperations = {"map", "filter", "reduce", "all", "none", "some"};
// Names always present in the data conditions see.
const std::set<std::string> kBuiltInData = {"choices", "path"};

const std::set<std::string> kContextKeys = {"deviceClass", "orientation", "aspectRatio", "language", "captions",
                                            "captionsLanguage", "signLanguage", "audioDescription", "dialogueBalance",
                                            "timeAvailable", "timeOfDay", "dayOfWeek", "randomSeed"};

class Validator {
 public:
  Validator(Programme& p, Diagnostics& d, const ProgrammeLimits& limits) : p_(p), d_(d), limits_(limits) {}

  void run(JsonView root) {
    if (!root.is_object()) {
      d_.error("", "a programme must be a JSON object");
      return;
    }
    known_keys(root, "", {"$schema", "format", "version", "id", "title", "description", "variables", "assets",
                          "layouts", "beginnings", "scenes", "programmes", "source"});
    JsonView format = get(root, "format", "", true);
    if (format && format->string() != "tessera-programme")
      d_.error("/format", "expected \"tessera-programme\"");
    JsonView version = get(root, "version", "", true);
    if (version && !(version->is_number_integer() && version->number() == 1))
      d_.error("/version", version->is_number() ? "unsupported format version (this engine reads version 1)"
                                                 : "expected the number 1");
    p_.id = string(root, "id", "", true);
    p_.title = string(root, "title", "", true);
    p_.description = string(root, "description", "", false);
    if (JsonView src = get(root, "source", "", false); src && src->is_object() && src->find("format").is_string())
      p_.source_format = std::string(src->find("format").string());

    if (JsonView v = object_field(root, "variables", "", false)) variables(*v, "/variables");
    if (JsonView a = object_field(root, "assets", "", true)) assets(*a, "/assets");
    if (JsonView l = object_field(root, "layouts", "", true)) layouts(*l, "/layouts");
    if (JsonView s = object_field(root, "scenes", "", true)) scenes(*s, "/scenes", p_.main);
    if (JsonView b = array_field(root, "beginnings", "", true)) beginnings(*b, "/beginnings", p_.main);
    if (JsonView subs = object_field(root, "programmes", "", false)) {
      for (auto it = subs->begin(); it != subs->end(); ++it) {
        const std::string ptr = pointer_join("/programmes", it.key());
        if (!expect_object(it.value(), ptr)) continue;
        known_keys(it.value(), ptr, {"title", "beginnings", "scenes"});
        SceneGraph& graph = p_.programmes[it.key()];
        if (JsonView s = object_field(it.value(), "scenes", ptr, true)) scenes(*s, ptr + "/scenes", graph);
        if (JsonView b = array_field(it.value(), "beginnings", ptr, true)) beginnings(*b, ptr + "/beginnings", graph);
      }
    }
    cross_references();
  }

 private:
  Programme& p_;
  Diagnostics& d_;
  const ProgrammeLimits& limits_;
  std::set<std::string> used_assets_;
  struct GraphicReferences {
    std::string asset;
    std::vector<GraphicAssetReference> assets;
    std::vector<GraphicVariableReference> variables;
  };
  std::vector<GraphicReferences> graphic_references_;
  std::set<std::string> all_region_names_;

  // -- field access --
  JsonView get(JsonView obj, const char* key, const std::string& ptr, bool required) {
    const JsonView it = obj.find(key);
    if (!it) {
      if (required) d_.error(ptr, std::string("missing required property \"") + key + "\"");
      return {};
    }
    return it;
  }
  bool expect_object(JsonView j, const std::string& ptr) {
    if (j.is_object()) return true;
    d_.error(ptr, "expected an object");
    return false;
  }
  JsonView object_field(JsonView obj, const char* key, const std::string& ptr, bool required) {
    JsonView j = get(obj, key, ptr, required);
    if (j && !j->is_object()) { d_.error(pointer_join(ptr, key), "expected an object"); return {}; }
    return j;
  }
  JsonView array_field(JsonView obj, const char* key, const std::string& ptr, bool required) {
    JsonView j = get(obj, key, ptr, required);
    if (j && !j->is_array()) { d_.error(pointer_join(ptr, key), "expected an array"); return {}; }
    return j;
  }
  std::string string(JsonView obj, const char* key, const std::string& ptr, bool required) {
    JsonView j = get(obj, key, ptr, required);
    if (!j) return {};
    if (!j->is_string()) { d_.error(pointer_join(ptr, key), "expected a string"); return {}; }
    if (required && j->string().empty()) d_.error(pointer_join(ptr, key), "must not be empty");
    return std::string(j->string());
  }
  std::optional<double> number(JsonView obj, const char* key, const std::string& ptr, bool required,
                               std::optional<double> min = std::nullopt) {
    JsonView j = get(obj, key, ptr, required);
    if (!j) return std::nullopt;
    if (!j->is_number()) { d_.error(pointer_join(ptr, key), "expected a number"); return std::nullopt; }
    const double v = j->number();
    if (min && v < *min) {
      d_.error(pointer_join(ptr, key), "must be at least " + ordered_json(*min).dump());
      return std::nullopt;
    }
    return v;
  }
  bool boolean(JsonView obj, const char* key, const std::string& ptr) {
    JsonView j = get(obj, key, ptr, false);
    if (!j) return false;
    if (!j->is_boolean()) { d_.error(pointer_join(ptr, key), "expected true or false"); return false; }
    return j->boolean();
  }
  void known_keys(JsonView obj, const std::string& ptr, std::initializer_list<const char*> known) {
    for (size_t i = 0; i < obj.size(); ++i) {
      const std::string_view key = obj.key(i);
      bool ok = false;
      for (const char* k : known) ok = ok || key == k;
      if (!ok) d_.warning(pointer_join(ptr, std::string(key)), "unknown property \"" + std::string(key) + "\" is ignored");
    }
  }

  // -- conditions --
  Condition condition(JsonView obj, const char* key, const std::string& ptr) {
    Condition c;
    JsonView j = get(obj, key, ptr, false);
    if (!j) return c;
    c.present = true;
    c.pointer = pointer_join(ptr, key);
    check_rule(*j, c.pointer, false);
    c.rule = to_logic_value(j);
    c.program = logic::compile(c.rule);
    std::set<std::string> reads;
    bool opaque = false;
    collect_reads(j, reads, opaque, 0);
    c.reads.assign(reads.begin(), reads.end());
    p_.conditions_read_path = p_.conditions_read_path || opaque || reads.count("path") != 0;
    for (const std::string& name : c.reads) p_.conditions_read_path = p_.conditions_read_path || name == "path";
    return c;
  }
  void check_rule(JsonView rule, const std::string& ptr, bool scoped) {
    if (rule.is_array()) {
      for (size_t i = 0; i < rule.size(); ++i) check_rule(rule[i], pointer_join(ptr, i), scoped);
      return;
    }
    if (!rule.is_object() || rule.size() != 1) return;  // data, not an operation
    const std::string op(rule.key(0));
    JsonView args = rule[0];
    const std::string op_ptr = pointer_join(ptr, op);
    if (!kLogicOperations.count(op)) {
      d_.error(op_ptr, "unknown JSONLogic operation \"" + op + "\"");
      return;
    }
    if (op == "var" && !scoped) check_var(args, op_ptr);
    if (kScopedOperations.count(op) && args.is_array()) {
      for (size_t i = 0; i < args.size(); ++i) check_rule(args[i], pointer_join(op_ptr, i), scoped || i > 0);
      return;
    }
    check_rule(args, op_ptr, scoped);
  }
  void check_var(JsonView args, const std::string& ptr) {
    JsonView path = args;
    if (args.is_array()) {
      if (args.empty()) return;
      path = args[0];
    }
    if (!path->is_string()) return;  // computed or numeric: cannot check statically
    const std::string s(path->string());
    if (s.empty()) return;
    const std::string head = s.substr(0, s.find('.'));
    if (kBuiltInData.count(head) || p_.variable(head) || kContextKeys.count(head)) return;
    d_.warning(ptr, "condition reads \"" + head + "\", which is not a declared variable (it is null unless the context sets it)");
  }

  // -- sections --
  void variables(JsonView vars, const std::string& ptr) {
    if (vars.size() > limits_.max_variables) { d_.error(ptr, "too many variables (limit " + std::to_string(limits_.max_variables) + ")"); return; }
    for (auto it = vars.begin(); it != vars.end(); ++it) {
      const std::string vp = pointer_join(ptr, it.key());
      if (!expect_object(it.value(), vp)) continue;
      JsonView j = it.value();
      known_keys(j, vp, {"type", "default", "description", "context", "min", "max", "values"});
      Variable v;
      v.name = it.key();
      v.pointer = vp;
      const std::string type = string(j, "type", vp, true);
      if (type == "boolean") v.type = VariableType::Boolean;
      else if (type == "number") v.type = VariableType::Number;
      else if (type == "string") v.type = VariableType::String;
      else if (type == "list") v.type = VariableType::List;
      else if (!type.empty()) d_.error(vp + "/type", "expected one of boolean, number, string, list");
      v.description = string(j, "description", vp, false);
      v.context = string(j, "context", vp, false);
      if (!v.context.empty() && !kContextKeys.count(v.context))
        d_.error(vp + "/context", "unknown context key \"" + v.context + "\"");
      v.min = number(j, "min", vp, false);
      v.max = number(j, "max", vp, false);
      if (v.min && v.max && *v.min > *v.max) d_.error(vp, "min is greater than max");
      if (JsonView values = array_field(j, "values", vp, false)) {
        for (const JsonView e : *values) v.values.push_back(e.to_json());
        if (v.values.empty()) d_.error(vp + "/values", "must list at least one value");
      }
      if (JsonView def = get(j, "default", vp, true)) {
        v.default_value = def.to_json();
        check_value(v, v.default_value, vp + "/default");
      }
      p_.variables.push_back(std::move(v));
    }
  }

 private:
  void check_value(const Variable& v, const ordered_json& value, const std::string& ptr) {
    const std::string problem = variable_value_problem(v, value);
    if (!problem.empty()) d_.error(ptr, problem);
  }

  void assets(JsonView assets, const std::string& ptr) {
    if (assets.size() > limits_.max_assets) { d_.error(ptr, "too many assets"); return; }
    for (auto it = assets.begin(); it != assets.end(); ++it) {
      const std::string ap = pointer_join(ptr, it.key());
      if (!expect_object(it.value(), ap)) continue;
      JsonView j = it.value();
      known_keys(j, ap, {"type", "src", "duration", "trim", "language", "role", "importance", "loudness", "duck",
                         "regionsOfInterest", "format", "graphic", "description"});
      Asset a;
      a.id = it.key();
      a.pointer = ap;
      const std::string type = string(j, "type", ap, true);
      static const std::pair<const char*, AssetType> kTypes[] = {
          {"video", AssetType::Video}, {"audio", AssetType::Audio},     {"captions", AssetType::Captions},
          {"image", AssetType::Image}, {"graphic", AssetType::Graphic}, {"font", AssetType::Font}};
      bool known = false;
      for (const auto& [name, t] : kTypes)
        if (type == name) { a.type = t; known = true; }
      if (!known && !type.empty()) d_.error(ap + "/type", "expected one of video, audio, captions, image, graphic, font");
      a.src = string(j, "src", ap, known && a.type != AssetType::Graphic);
      a.duration = number(j, "duration", ap, false, 0.0);
      if (JsonView trim = object_field(j, "trim", ap, false)) {
        known_keys(*trim, ap + "/trim", {"in", "out"});
        a.trim_in = number(*trim, "in", ap + "/trim", false, 0.0).value_or(0);
        a.trim_out = number(*trim, "out", ap + "/trim", false, 0.0);
        if (a.trim_out && *a.trim_out <= a.trim_in) d_.error(ap + "/trim", "out must be after in");
        if (a.duration && a.trim_out && *a.trim_out > *a.duration + 1e-9)
          d_.error(ap + "/trim/out", "trims past the end of the asset's duration");
      }
      a.language = string(j, "language", ap, false);
      a.role = string(j, "role", ap, false);
      static const std::set<std::string> kRoles = {"dialogue", "narration", "music",     "effects", "ambience",
                                                   "description", "sign",   "presenter", "other"};
      if (!a.role.empty() && !kRoles.count(a.role)) d_.error(ap + "/role", "unknown role \"" + a.role + "\"");
      if (JsonView imp = get(j, "importance", ap, false)) {
        if (!imp->is_number_integer() || imp->number() < 0 || imp->number() > 3)
          d_.error(ap + "/importance", "expected 0, 1, 2 or 3 (3 = essential)");
        else a.importance = static_cast<int>(imp->number());
      }
      audio_fields(j, ap, a);
      if (JsonView rois = array_field(j, "regionsOfInterest", ap, false)) {
        for (size_t i = 0; i < rois->size(); ++i) {
          const std::string rp = pointer_join(ap + "/regionsOfInterest", i);
          if (!expect_object((*rois)[i], rp)) continue;
          RegionOfInterest r;
          r.at = number((*rois)[i], "at", rp, true, 0.0).value_or(0);
          r.x = number((*rois)[i], "x", rp, true, 0.0).value_or(0);
          r.y = number((*rois)[i], "y", rp, true, 0.0).value_or(0);
          r.width = number((*rois)[i], "width", rp, true, 0.0).value_or(1);
          r.height = number((*rois)[i], "height", rp, true, 0.0).value_or(1);
          if (r.x + r.width > 1 + 1e-9 || r.y + r.height > 1 + 1e-9) d_.error(rp, "region of interest extends outside 0..1");
          if (!a.regions_of_interest.empty() && r.at < a.regions_of_interest.back().at)
            d_.error(rp + "/at", "regions of interest must be in time order");
          a.regions_of_interest.push_back(r);
        }
      }
      a.format = string(j, "format", ap, false);
      if (!a.format.empty() && a.format != "webvtt" && a.format != "srt" && a.format != "ttml")
        d_.error(ap + "/format", "expected webvtt, srt or ttml");
      if (JsonView g = get(j, "graphic", ap, a.type == AssetType::Graphic)) {
        a.graphic = g.to_json();
        GraphicParseResult parsed = parse_graphic(a.graphic, ap + "/graphic");
        for (Diagnostic& item : parsed.diagnostics.items()) d_.add(item.severity, std::move(item.pointer), std::move(item.message));
        if (parsed.ok) a.graphic_model = std::make_shared<const Graphic>(std::move(parsed.graphic));
        graphic_references_.push_back({a.id, std::move(parsed.assets), std::move(parsed.variables)});
      }
      p_.assets.emplace(a.id, std::move(a));
    }
  }

  // A number in [lo, hi], or nullopt with an error at ptr/key.
  std::optional<double> number_between(JsonView obj, const char* key, const std::string& ptr, double lo, double hi,
                                       const char* unit) {
    const std::optional<double> v = number(obj, key, ptr, false);
    if (!v) return std::nullopt;
    if (*v < lo || *v > hi) {
      d_.error(pointer_join(ptr, key), "expected " + logic::number_to_string(lo) + ".." + logic::number_to_string(hi) + " " + unit);
      return std::nullopt;
    }
    return v;
  }

  // The mix's two per-asset audio fields: loudness (normalisation) and duck (audio description).
  void audio_fields(JsonView j, const std::string& ap, Asset& a) {
    if (j.find("loudness")) {
      a.loudness = number_between(j, "loudness", ap, -70, 0, "LUFS");
      if (a.type != AssetType::Audio) d_.warning(ap + "/loudness", "loudness is only used for audio assets");
    }
    if (JsonView duck = object_field(j, "duck", ap, false)) {
      known_keys(*duck, ap + "/duck", {"depth", "attack", "release"});
      AudioDuck d;
      const std::string dp = ap + "/duck";
      if (const auto v = number_between(*duck, "depth", dp, -40, 0, "dB")) d.depth = *v;
      if (const auto v = number_between(*duck, "attack", dp, 0, 2, "seconds")) d.attack = *v;
      if (const auto v = number_between(*duck, "release", dp, 0, 5, "seconds")) d.release = *v;
      a.duck = d;
      if (a.type != AssetType::Audio || a.role != "description")
        d_.warning(dp, "duck is only used for audio assets with role \"description\"");
    }
  }

  Rect rect(JsonView j, const std::string& ptr) {
    Rect r;
    if (!expect_object(j, ptr)) return r;
    r.x = number(j, "x", ptr, true).value_or(0);
    r.y = number(j, "y", ptr, true).value_or(0);
    r.width = number(j, "width", ptr, true, 0.0).value_or(0);
    r.height = number(j, "height", ptr, true, 0.0).value_or(0);
    return r;
  }

  void layouts(JsonView layouts, const std::string& ptr) {
    if (layouts.empty()) d_.error(ptr, "declare at least one layout");
    for (auto it = layouts.begin(); it != layouts.end(); ++it) {
      const std::string lp = pointer_join(ptr, it.key());
      if (!expect_object(it.value(), lp)) continue;
      JsonView j = it.value();
      known_keys(j, lp, {"when", "width", "height", "safeArea", "regions"});
      Layout l;
      l.id = it.key();
      l.pointer = lp;
      l.when = condition(j, "when", lp);
      // Checked as numbers before they become ints: a huge value must not overflow the cast.
      const double width = number(j, "width", lp, true, 1.0).value_or(0);
      const double height = number(j, "height", lp, true, 1.0).value_or(0);
      if (width > kMaxLayoutSize || height > kMaxLayoutSize) d_.error(lp, "layout larger than 8192 pixels");
      l.width = static_cast<int>(std::min(width, kMaxLayoutSize));
      l.height = static_cast<int>(std::min(height, kMaxLayoutSize));
      if (JsonView s = get(j, "safeArea", lp, false)) l.safe_area = rect(*s, lp + "/safeArea");
      if (JsonView regions = object_field(j, "regions", lp, true)) {
        for (auto r = regions->begin(); r != regions->end(); ++r) {
          const std::string rp = pointer_join(lp + "/regions", r.key());
          Region region;
          region.name = r.key();
          region.rect = rect(r.value(), rp);
          if (r.value().is_object()) {
            region.fit = string(r.value(), "fit", rp, false);
            if (region.fit.empty()) region.fit = "cover";
            else if (region.fit != "cover" && region.fit != "contain" && region.fit != "roi")
              d_.error(rp + "/fit", "expected cover, contain or roi");
          }
          const Rect& rr = region.rect;
          if (rr.x < 0 || rr.y < 0 || rr.x + rr.width > l.width + 1e-9 || rr.y + rr.height > l.height + 1e-9)
            d_.warning(rp, "region extends outside the " + std::to_string(l.width) + "x" + std::to_string(l.height) + " frame");
          all_region_names_.insert(region.name);
          l.regions.push_back(std::move(region));
        }
      }
      if (!l.region("full")) l.regions.push_back({"full", {0, 0, double(l.width), double(l.height)}, "cover"});
      p_.layouts.push_back(std::move(l));
    }
  }

  Assignments assignments(JsonView obj, const char* key, const std::string& ptr) {
    Assignments out;
    JsonView j = object_field(obj, key, ptr, false);
    if (!j) return out;
    for (auto it = j->begin(); it != j->end(); ++it) out.emplace_back(it.key(), it.value().to_json());
    return out;
  }

  std::vector<Placement> placements(JsonView list, const std::string& ptr) {
    std::vector<Placement> out;
    if (list.size() > limits_.max_objects_per_scene) { d_.error(ptr, "too many objects in one scene"); return out; }
    out.reserve(list.size());
    std::set<std::string_view> ids;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string op = pointer_join(ptr, i);
      if (!expect_object(list[i], op)) continue;
      JsonView j = list[i];
      known_keys(j, op, {"id", "asset", "start", "end", "layer", "region", "when", "gain", "fadeIn", "fadeOut"});
      Placement pl;
      pl.pointer = op;
      pl.id = string(j, "id", op, true);
      pl.id_hash = std::hash<std::string>()(pl.id);
      if (!pl.id.empty() && !ids.insert(list[i].find("id").string()).second) d_.error(op + "/id", "duplicate object id \"" + pl.id + "\" in this scene");
      pl.asset = string(j, "asset", op, true);
      pl.start = number(j, "start", op, false, 0.0).value_or(0);
      pl.end = number(j, "end", op, false, 0.0);
      if (pl.end && *pl.end <= pl.start) d_.error(op + "/end", "end must be after start");
      if (JsonView layer = get(j, "layer", op, false)) {
        if (!layer->is_number_integer() || std::fabs(layer->number()) > 1e9) d_.error(op + "/layer", "expected a whole number");
        else pl.layer = static_cast<int>(layer->number());
      }
      const std::string region = string(j, "region", op, false);
      if (!region.empty()) pl.region = region;
      pl.when = condition(j, "when", op);
      pl.gain_db = number(j, "gain", op, false).value_or(0);
      if (pl.gain_db > 24) d_.error(op + "/gain", "gain above +24 dB");
      pl.fade_in = number(j, "fadeIn", op, false, 0.0).value_or(0);
      pl.fade_out = number(j, "fadeOut", op, false, 0.0).value_or(0);
      out.push_back(std::move(pl));
    }
    return out;
  }

  void scenes(JsonView scenes, const std::string& ptr, SceneGraph& graph) {
    if (scenes.empty()) d_.error(ptr, "declare at least one scene");
    if (scenes.size() > limits_.max_scenes) { d_.error(ptr, "too many scenes"); return; }
    for (auto it = scenes.begin(); it != scenes.end(); ++it) {
      const std::string sp = pointer_join(ptr, it.key());
      if (!expect_object(it.value(), sp)) continue;
      JsonView j = it.value();
      known_keys(j, sp, {"title", "duration", "objects", "alternatives", "optional", "next", "choice", "programme", "set",
                         "source", "transition"});
      Scene s;
      s.id = it.key();
      s.pointer = sp;
      s.title = string(j, "title", sp, false);
      s.duration = number(j, "duration", sp, false, 0.0);
      if (JsonView objs = array_field(j, "objects", sp, false)) s.objects = placements(*objs, sp + "/objects");
      if (JsonView alts = array_field(j, "alternatives", sp, false)) {
        std::set<std::string> ids;
        for (size_t i = 0; i < alts->size(); ++i) {
          const std::string ap = pointer_join(sp + "/alternatives", i);
          if (!expect_object((*alts)[i], ap)) continue;
          known_keys((*alts)[i], ap, {"id", "when", "objects"});
          Alternative alt;
          alt.pointer = ap;
          alt.id = string((*alts)[i], "id", ap, true);
          if (!alt.id.empty() && !ids.insert(alt.id).second) d_.error(ap + "/id", "duplicate alternative id \"" + alt.id + "\"");
          alt.when = condition((*alts)[i], "when", ap);
          if (JsonView objs = array_field((*alts)[i], "objects", ap, true)) alt.objects = placements(*objs, ap + "/objects");
          s.alternatives.push_back(std::move(alt));
        }
      }
      if (JsonView opt = object_field(j, "optional", sp, false)) {
        known_keys(*opt, sp + "/optional", {"priority", "minDuration"});
        s.optional.present = true;
        s.optional.priority = number(*opt, "priority", sp + "/optional", true).value_or(0);
        s.optional.min_duration = number(*opt, "minDuration", sp + "/optional", false, 0.0).value_or(0);
      }
      if (JsonView next = array_field(j, "next", sp, false)) {
        for (size_t i = 0; i < next->size(); ++i) {
          const std::string lp = pointer_join(sp + "/next", i);
          if (!expect_object((*next)[i], lp)) continue;
          known_keys((*next)[i], lp, {"scene", "when"});
          Link link;
          link.pointer = lp;
          link.scene = string((*next)[i], "scene", lp, true);
          link.when = condition((*next)[i], "when", lp);
          s.next.push_back(std::move(link));
        }
      }
      if (JsonView ch = object_field(j, "choice", sp, false)) choice(*ch, sp + "/choice", s.choice);
      if (JsonView tr = object_field(j, "transition", sp, false)) s.transition = transition(tr, sp + "/transition");
      s.programme = string(j, "programme", sp, false);
      s.set = assignments(j, "set", sp);
      if (JsonView src = object_field(j, "source", sp, false)) {
        s.source_format = string(*src, "format", sp + "/source", true);
        s.source_id = string(*src, "id", sp + "/source", true);
      }
      graph.scenes.emplace(s.id, std::move(s));
    }
  }

  Transition transition(JsonView j, const std::string& ptr) {
    known_keys(j, ptr, {"kind", "duration", "colour"});
    Transition t;
    const std::string kind = string(j, "kind", ptr, true);
    if (kind == "crossfade") t.kind = TransitionKind::Crossfade;
    else if (kind == "dip") t.kind = TransitionKind::Dip;
    else if (kind != "cut" && !kind.empty()) d_.error(ptr + "/kind", "expected cut, crossfade or dip");
    t.duration = number(j, "duration", ptr, t.kind != TransitionKind::Cut, 0.0).value_or(0);
    if (t.duration > 10) d_.error(ptr + "/duration", "a transition lasts at most 10 s");
    if (t.kind != TransitionKind::Cut && t.duration <= 0) t.kind = TransitionKind::Cut;
    const std::string colour = string(j, "colour", ptr, false);
    if (!colour.empty()) {
      auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
      bool ok = colour.size() == 7 && colour[0] == '#';
      for (size_t i = 1; ok && i < 7; ++i) ok = hex(colour[i]) >= 0;
      if (!ok) {
        d_.error(ptr + "/colour", "expected a colour as #rrggbb");
      } else {
        t.r = static_cast<uint8_t>(hex(colour[1]) * 16 + hex(colour[2]));
        t.g = static_cast<uint8_t>(hex(colour[3]) * 16 + hex(colour[4]));
        t.b = static_cast<uint8_t>(hex(colour[5]) * 16 + hex(colour[6]));
      }
    }
    return t;
  }

  void choice(JsonView j, const std::string& ptr, Choice& c) {
    known_keys(j, ptr, {"prompt", "options", "timeout", "default", "at", "oneShot"});
    c.present = true;
    c.pointer = ptr;
    c.prompt = string(j, "prompt", ptr, false);
    if (JsonView options = array_field(j, "options", ptr, true)) {
      if (options->empty()) d_.error(ptr + "/options", "a choice needs at least one option");
      std::set<std::string> ids;
      for (size_t i = 0; i < options->size(); ++i) {
        const std::string op = pointer_join(ptr + "/options", i);
        if (!expect_object((*options)[i], op)) continue;
        known_keys((*options)[i], op, {"id", "label", "scene", "when", "set"});
        ChoiceOption o;
        o.pointer = op;
        o.id = string((*options)[i], "id", op, true);
        if (!o.id.empty() && !ids.insert(o.id).second) d_.error(op + "/id", "duplicate option id \"" + o.id + "\"");
        o.label = string((*options)[i], "label", op, true);
        o.scene = string((*options)[i], "scene", op, true);
        o.when = condition((*options)[i], "when", op);
        o.set = assignments((*options)[i], "set", op);
        c.options.push_back(std::move(o));
      }
    }
    c.timeout = number(j, "timeout", ptr, false, 0.0);
    c.default_option = string(j, "default", ptr, false);
    c.at = number(j, "at", ptr, false, 0.0);
    c.one_shot = boolean(j, "oneShot", ptr);
    if (c.timeout && c.default_option.empty())
      d_.warning(ptr, "a choice with a timeout but no default waits for the viewer when the time runs out");
  }

  void beginnings(JsonView list, const std::string& ptr, SceneGraph& graph) {
    if (list.empty()) d_.error(ptr, "declare at least one beginning");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string bp = pointer_join(ptr, i);
      if (!expect_object(list[i], bp)) continue;
      known_keys(list[i], bp, {"scene", "when"});
      Beginning b;
      b.pointer = bp;
      b.scene = string(list[i], "scene", bp, true);
      b.when = condition(list[i], "when", bp);
      graph.beginnings.push_back(std::move(b));
    }
  }

  // -- references between sections --
  void check_placements(std::vector<Placement>& list) {
    for (Placement& pl : list) {
      if (pl.asset.empty()) continue;
      const Asset* a = p_.asset(pl.asset);
      pl.asset_ref = a;
      if (!a) d_.error(pl.pointer + "/asset", "no asset named \"" + pl.asset + "\"");
      else used_assets_.insert(pl.asset);
      if (a && !pl.end && !a->playable_duration() && a->type != AssetType::Captions && a->type != AssetType::Font)
        d_.warning(pl.pointer, "no end time and asset \"" + pl.asset + "\" has no duration: it lasts until the scene ends");
      if (pl.region != "full" && !all_region_names_.count(pl.region))
        d_.error(pl.pointer + "/region", "no layout defines a region named \"" + pl.region + "\"");
      else if (pl.region != "full")
        for (const Layout& l : p_.layouts)
          if (!l.region(pl.region))
            d_.warning(pl.pointer + "/region", "layout \"" + l.id + "\" has no region \"" + pl.region + "\": the full frame is used there");
    }
  }

  void check_assignments(const Assignments& set, const std::string& ptr) {
    for (const auto& [name, value] : set) {
      const Variable* v = p_.variable(name);
      const std::string vp = pointer_join(ptr, name);
      if (!v) d_.error(vp, "sets \"" + name + "\", which is not a declared variable");
      else if (!v->context.empty()) d_.warning(vp, "sets \"" + name + "\", a viewer-context variable: the viewer's setting is overridden");
      else if (const std::string problem = variable_value_problem(*v, value); !problem.empty()) d_.error(vp, problem);
    }
  }

  void check_graph(SceneGraph& graph, const std::string& prefix) {
    auto scene_exists = [&](const std::string& id) { return graph.scenes.count(id) != 0; };
    for (const Beginning& b : graph.beginnings)
      if (!b.scene.empty() && !scene_exists(b.scene)) d_.error(b.pointer + "/scene", "no scene named \"" + b.scene + "\"" + prefix);
    for (auto& [id, s] : graph.scenes) {
      check_placements(s.objects);
      for (Alternative& alt : s.alternatives) check_placements(alt.objects);
      for (const Link& l : s.next)
        if (!l.scene.empty() && !scene_exists(l.scene)) d_.error(l.pointer + "/scene", "no scene named \"" + l.scene + "\"" + prefix);
      if (s.choice.present) {
        bool default_found = s.choice.default_option.empty();
        for (const ChoiceOption& o : s.choice.options) {
          if (!o.scene.empty() && !scene_exists(o.scene)) d_.error(o.pointer + "/scene", "no scene named \"" + o.scene + "\"" + prefix);
          default_found = default_found || o.id == s.choice.default_option;
          check_assignments(o.set, o.pointer + "/set");
        }
        if (!default_found) d_.error(s.choice.pointer + "/default", "no option with id \"" + s.choice.default_option + "\"");
        if (!s.next.empty()) d_.warning(s.pointer + "/next", "a scene with a choice follows the choice; its next links are ignored");
      }
      if (!s.programme.empty() && !p_.programmes.count(s.programme))
        d_.error(s.pointer + "/programme", "no sub-programme named \"" + s.programme + "\"");
      check_assignments(s.set, s.pointer + "/set");
      if (s.optional.present && s.duration && s.optional.min_duration > *s.duration)
        d_.error(s.pointer + "/optional/minDuration", "minDuration is longer than the scene");
    }
  }

  // Fonts and images a graphic draws with must exist with the right type; placeholders should name
  // something a condition could read.
  void check_graphic_references() {
    for (const GraphicReferences& g : graphic_references_) {
      for (const GraphicAssetReference& r : g.assets) {
        const Asset* a = p_.asset(r.asset);
        const AssetType wanted = r.kind == "font" ? AssetType::Font : AssetType::Image;
        if (!a) d_.error(r.pointer, "no asset named \"" + r.asset + "\"");
        else if (a->type != wanted) d_.error(r.pointer, "asset \"" + r.asset + "\" is not " + (r.kind == "font" ? "a font" : "an image"));
        else used_assets_.insert(r.asset);
      }
      for (const GraphicVariableReference& v : g.variables)
        if (!p_.variable(v.name) && !kContextKeys.count(v.name))
          d_.warning(v.pointer, "placeholder {" + v.name + "} is not a declared variable or a context key (it shows as empty)");
    }
  }

  void cross_references() {
    check_graphic_references();
    check_graph(p_.main, "");
    for (auto& [id, g] : p_.programmes) check_graph(g, " in sub-programme \"" + id + "\"");
    for (const auto& [id, a] : p_.assets)
      if (!used_assets_.count(id) && a.type != AssetType::Font)
        d_.warning(a.pointer, "asset \"" + id + "\" is not used by any scene");
  }
};


}  // namespace

ParsedProgramme parse_programme(std::string_view text, const ProgrammeLimits& limits) {
  ParsedProgramme out;
  Diagnostics& d = out.diagnostics;
  if (text.size() > limits.max_bytes) {
    d.error("", "programme is " + std::to_string(text.size()) + " bytes; the limit is " + std::to_string(limits.max_bytes));
    return out;
  }
  const JsonDoc doc(text, limits.max_nesting);
  if (doc.error().too_deep) {
    d.error("", "JSON nested deeper than " + std::to_string(limits.max_nesting) + " levels");
    return out;
  }
  if (!doc.ok()) {
    const TextPosition pos = doc.position(doc.error().offset);
    d.error("", "invalid JSON: " + doc.error().message);
    d.items().back().line = pos.line;
    d.items().back().column = pos.column;
    return out;
  }
  Validator(out.programme, d, limits).run(doc.root());
  for (Diagnostic& item : d.items()) {
    const TextPosition pos = doc.position(doc.locate(item.pointer));
    item.line = pos.line;
    item.column = pos.column;
  }
  out.ok = !d.has_errors();
  return out;
}

}  // namespace tessera
