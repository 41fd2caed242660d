#include "narrative/resolve.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "logic/json_logic.h"
#include "narrative/story_state.h"

namespace tessera {

namespace {

double round_time(double t) { return std::round(t * 1e6) / 1e6; }  // microsecond-stable output

// A number as a producer wrote it: 1 not 1.0, 2.5 as 2.5.
std::string number_text(double v) { return logic::number_to_string(v); }

// Why a decision was made, kept as data until the plan is written.
struct ReasonRec {
  const Condition* condition = nullptr;  // null: unconditional
  bool result = true;
  std::string error;
  std::vector<std::pair<const std::string*, ordered_json>> values;  // the values the rule read
  std::string message;
  std::string region_note;
};

struct ObjectRec {
  std::string id, scene;
  const Placement* placement = nullptr;
  const Asset* asset = nullptr;
  double start = 0, end = 0;  // scene-relative while walking (end < 0: until the scene ends)
  const Region* region = nullptr;
  ReasonRec reason;
};

struct ExcludedRec {
  std::string id;
  const Placement* placement = nullptr;
  ReasonRec reason;
};

// Appends JSON text; numbers as JavaScript prints them, strings quoted as JSON.stringify does.
class JsonText {
 public:
  std::string out;
  void raw(std::string_view s) { out.append(s.data(), s.size()); }
  void key(const char* k) { if (need_comma_) out.push_back(','); out.push_back('"'); out += k; out += "\":"; need_comma_ = false; }
  void str(const std::string& s) {
    need_comma_ = true;
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {  // escapes or non-ASCII: the full quoter
        out += logic::json_quote(s);
        return;
      }
    }
    out.push_back('"');
    out += s;
    out.push_back('"');
  }
  void num(double d) {
    need_comma_ = true;
    if (!std::isfinite(d)) { out += "null"; return; }
    if (d == std::floor(d) && std::fabs(d) < 1e15) {  // integers: the common case, formatted directly
      if (d == 0) { out.push_back('0'); return; }  // also -0, which JavaScript prints as 0
      char buffer[24];
      char* end = buffer + sizeof buffer;
      char* p = end;
      long long v = static_cast<long long>(d);
      const bool negative = v < 0;
      unsigned long long u = negative ? 0ull - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
      while (u) { *--p = static_cast<char>('0' + u % 10); u /= 10; }
      if (negative) *--p = '-';
      out.append(p, static_cast<size_t>(end - p));
      return;
    }
    out += logic::number_to_string(d);
  }
  void boolean(bool b) { out += b ? "true" : "false"; need_comma_ = true; }
  void null() { out += "null"; need_comma_ = true; }
  void json(const ordered_json& j) { out += j.dump(-1, ' ', false, ordered_json::error_handler_t::replace); need_comma_ = true; }
  void open(char c) { if (need_comma_) out.push_back(','); out.push_back(c); need_comma_ = false; }
  void open_value(char c) { out.push_back(c); need_comma_ = false; }  // after key()
  void close(char c) { out.push_back(c); need_comma_ = true; }
  void element() { if (need_comma_) out.push_back(','); need_comma_ = false; }

 private:
  bool need_comma_ = false;
};

void write_reason(JsonText& w, const ReasonRec& r) {
  w.open_value('{');
  if (r.condition) {
    w.key("pointer"); w.str(r.condition->pointer);
    w.key("values"); w.open_value('{');
    for (const auto& [name, value] : r.values) { w.key(name->c_str()); w.json(value); }
    w.close('}');
    w.key("result"); w.boolean(r.result);
    if (!r.error.empty()) { w.key("error"); w.str(r.error); }
  }
  if (!r.message.empty()) { w.key("message"); w.str(r.message); }
  if (!r.region_note.empty()) { w.key("region"); w.str(r.region_note); }
  w.close('}');
}

void write_object(JsonText& w, const ObjectRec& o, bool with_reason) {
  const Asset* a = o.asset;
  const Placement& pl = *o.placement;
  w.open_value('{');
  w.key("id"); w.str(o.id);
  w.key("scene"); w.str(o.scene);
  w.key("placement"); w.str(pl.id);
  w.key("asset"); w.str(pl.asset);
  w.key("type"); w.str(a ? asset_type_name(a->type) : "unknown");
  if (a && !a->src.empty()) { w.key("src"); w.str(a->src); }
  if (a && !a->language.empty()) { w.key("language"); w.str(a->language); }
  if (a && !a->role.empty()) { w.key("role"); w.str(a->role); }
  if (a && (a->type == AssetType::Audio || a->type == AssetType::Video)) { w.key("importance"); w.num(a->importance); }
  w.key("start"); w.num(o.start);
  w.key("end"); w.num(o.end);
  w.key("mediaIn"); w.num(a ? a->trim_in : 0.0);
  w.key("layer"); w.num(pl.layer);
  w.key("region");
  if (o.region) {
    const Rect& r = o.region->rect;
    w.open_value('{');
    w.key("name"); w.str(o.region->name);
    w.key("x"); w.num(r.x); w.key("y"); w.num(r.y); w.key("width"); w.num(r.width); w.key("height"); w.num(r.height);
    w.key("fit"); w.str(o.region->fit);
    w.close('}');
  } else {
    w.null();
  }
  w.key("gainDb"); w.num(pl.gain_db);
  w.key("fadeIn"); w.num(pl.fade_in);
  w.key("fadeOut"); w.num(pl.fade_out);
  if (with_reason) { w.key("reason"); write_reason(w, o.reason); }
  w.close('}');
}

struct SceneVisit {
  const Scene* scene = nullptr;
  std::string key;     // unique in the plan: "scene", "scene#2" on a revisit, "parent/sub" inside sub-programmes
  std::string graph;   // "" main, else sub-programme id
  double start = 0;
  double duration = 0;
  double full_duration = 0;
  bool dropped = false;
  size_t parent = SIZE_MAX;    // the visit whose sub-programme this scene belongs to
  ordered_json entry;          // the path entry (without times)
  std::vector<ObjectRec> objects;
};

// Scene timing of a plan's path entry, kept for re-resolution.
struct PathTiming {
  std::string key;
  bool in_subprogramme = false;
  double start = 0, duration = 0;
};

}  // namespace

struct PlanState {
  std::vector<PathTiming> path;
  std::vector<ObjectRec> objects;  // absolute times, sorted as in the plan
  std::string layout;
  double duration = 0;
};

namespace {

class Walker {
 public:
  Walker(const Programme& p, const ordered_json& context, const ResolveLimits& limits)
      : p_(p), context_(context.is_object() ? context : ordered_json::object()), limits_(limits) {
    init_state();
  }

  // Forced prefix for re-resolution: scene keys with their previous start and duration.
  struct Forced {
    std::string key;
    double start, duration;
  };

  ResolvedPlan run(const std::vector<Forced>& forced = {}) {
    forced_ = &forced;
    const ordered_json layout = choose_layout();
    walk_graph(p_.main, "", "", 0);
    fit_and_time();
    auto state = std::make_shared<PlanState>();
    state->layout = layout_ ? layout_->id : "";
    double total = 0;
    for (SceneVisit& v : visits_) {
      if (v.dropped) continue;
      state->path.push_back({v.key, !v.graph.empty(), round_time(v.start), round_time(v.duration)});
      for (ObjectRec& o : v.objects) {
        if (o.start >= v.duration - 1e-9 && v.duration > 0) continue;  // trimmed away
        const double rel_end = std::min(o.end, v.duration);
        o.start = round_time(v.start + o.start);
        o.end = round_time(v.start + rel_end);
        state->objects.push_back(std::move(o));
      }
      total = std::max(total, v.start + v.duration);
    }
    std::stable_sort(state->objects.begin(), state->objects.end(), [](const ObjectRec& x, const ObjectRec& y) {
      if (x.start != y.start) return x.start < y.start;
      return x.placement->layer < y.placement->layer;
    });
    state->duration = round_time(total);

    JsonText w;
    w.open('{');
    w.key("programme"); w.str(p_.id);
    w.key("layout"); w.json(layout);
    w.key("context"); w.json(state_);
    w.key("duration"); w.num(state->duration);
    w.key("timeAvailable");
    if (time_available_) w.num(*time_available_); else w.null();
    w.key("fit"); w.json(fit_);
    w.key("path"); w.open_value('[');
    for (SceneVisit& v : visits_) {
      if (v.dropped) continue;
      v.entry["start"] = round_time(v.start);
      v.entry["duration"] = round_time(v.duration);
      v.entry["end"] = round_time(v.start + v.duration);
      w.element();
      w.json(v.entry);
    }
    w.close(']');
    w.key("objects"); w.open_value('[');
    for (const ObjectRec& o : state->objects) { w.element(); write_object(w, o, true); }
    w.close(']');
    w.key("excluded"); w.open_value('[');
    for (const ExcludedRec& e : excluded_) {
      w.element();
      w.open_value('{');
      w.key("id"); w.str(e.id);
      w.key("asset"); w.str(e.placement->asset);
      w.key("reason"); write_reason(w, e.reason);
      w.close('}');
    }
    w.close(']');
    w.key("end"); w.json(end_);
    w.key("warnings"); w.json(warnings_);
    w.close('}');
    return {std::move(w.out), std::move(state)};
  }

 private:
  const Programme& p_;
  ordered_json context_;
  const ResolveLimits& limits_;
  const std::vector<Forced>* forced_ = nullptr;
  ordered_json state_ = ordered_json::object();  // variable values as conditions see them
  ordered_json choices_ = ordered_json::object();
  ordered_json played_ = ordered_json::array();  // scene ids so far ("path" in conditions)
  std::optional<double> time_available_;
  const Layout* layout_ = nullptr;
  std::vector<SceneVisit> visits_;
  std::map<std::string, int> visit_counts_;
  std::vector<ExcludedRec> excluded_;
  ordered_json warnings_ = ordered_json::array();
  ordered_json end_ = ordered_json::object();
  ordered_json fit_ = ordered_json::object();
  bool stopped_ = false;
  size_t main_visits_ = 0;  // visits of main-graph scenes (the forced prefix counts only these)
  std::vector<size_t> parents_;  // visits whose sub-programmes are being walked
  // What conditions see, kept as JSONLogic values: rebuilt only when the state changes.
  std::vector<logic::Member> state_members_;
  bool state_dirty_ = true;
  logic::Value choices_value_;
  std::vector<logic::Value> path_values_;

  void warn(const std::string& message) { warnings_.push_back(message); }

  void init_state() {
    StoryState initial = initial_story_state(p_, context_);
    state_ = std::move(initial.values);
    choices_ = std::move(initial.choices);
    for (std::string& w : initial.warnings) warn(w);
    if (state_.contains("timeAvailable") && state_["timeAvailable"].is_number() && state_["timeAvailable"].get<double>() > 0)
      time_available_ = state_["timeAvailable"].get<double>();
  }

  static std::u16string u16(const std::string& s) { return to_logic_value(ordered_json(s)).string_value(); }

  logic::Value data_value() {
    if (state_dirty_) {
      state_members_.clear();
      for (auto it = state_.begin(); it != state_.end(); ++it)
        if (it.key() != "choices" && it.key() != "path") state_members_.emplace_back(u16(it.key()), to_logic_value(it.value()));
      choices_value_ = to_logic_value(choices_);
      state_dirty_ = false;
    }
    std::vector<logic::Member> members = state_members_;
    members.emplace_back(u"choices", choices_value_);
    members.emplace_back(u"path", logic::Value::array(path_values_));
    return logic::Value::object(std::move(members));
  }

  // Evaluates a condition; returns its truth and records why in `reason`.
  bool test(const Condition& c, const logic::Value& data, ReasonRec& reason) {
    if (!c.present) return true;
    logic::Limits limits;
    limits.max_steps = limits_.max_logic_steps;
    const logic::EvalResult r = logic::evaluate(c.rule, data, limits);
    reason.condition = &c;
    reason.values.reserve(c.reads.size());
    for (const std::string& n : c.reads) {
      if (n == "choices") reason.values.emplace_back(&n, choices_);
      else if (n == "path") reason.values.emplace_back(&n, played_);
      else {
        auto it = state_.find(n);
        reason.values.emplace_back(&n, it != state_.end() ? *it : ordered_json(nullptr));
      }
    }
    if (!r.ok) {
      reason.result = false;
      reason.error = r.error;
      warn("condition at " + c.pointer + " failed: " + r.error + " (treated as false)");
      return false;
    }
    reason.result = logic::logic_truthy(r.value);
    return reason.result;
  }

  // The same, for the decisions kept as JSON (layouts, beginnings, alternatives, links, choices).
  bool test(const Condition& c, const logic::Value& data, ordered_json& reason) {
    ReasonRec rec;
    const bool truth = test(c, data, rec);
    reason = ordered_json::object();
    if (rec.condition) {
      reason["pointer"] = c.pointer;
      ordered_json values = ordered_json::object();
      for (const auto& [name, value] : rec.values) values[*name] = value;
      reason["values"] = std::move(values);
      reason["result"] = rec.result;
      if (!rec.error.empty()) reason["error"] = rec.error;
    }
    return truth;
  }

  ordered_json choose_layout() {
    const logic::Value data = data_value();
    ordered_json tried = ordered_json::array();
    for (const Layout& l : p_.layouts) {
      ordered_json reason;
      if (test(l.when, data, reason)) {
        layout_ = &l;
        reason["message"] = l.when.present ? "layout \"" + l.id + "\": its condition held" : "layout \"" + l.id + "\" applies unconditionally";
        ordered_json out = {{"id", l.id}, {"width", l.width}, {"height", l.height}, {"reason", reason}};
        if (l.safe_area) out["safeArea"] = {{"x", l.safe_area->x}, {"y", l.safe_area->y}, {"width", l.safe_area->width}, {"height", l.safe_area->height}};
        if (!tried.empty()) out["rejected"] = tried;
        return out;
      }
      tried.push_back({{"id", l.id}, {"reason", reason}});
    }
    layout_ = p_.layouts.empty() ? nullptr : &p_.layouts.front();
    if (!layout_) return nullptr;
    warn("no layout's condition held; the first layout is used");
    return {{"id", layout_->id}, {"width", layout_->width}, {"height", layout_->height},
            {"reason", {{"message", "no layout's condition held; the first is used"}}}, {"rejected", tried}};
  }

  void apply(const Assignments& set) {
    if (!set.empty()) state_dirty_ = true;
    apply_assignments(p_, state_, set);
  }

  double placement_end(const Placement& pl) const {
    if (pl.end) return *pl.end;
    const Asset* a = p_.asset(pl.asset);
    if (a) if (auto d = a->playable_duration()) return pl.start + *d;
    return -1;  // open-ended: until the scene ends
  }

  // Visits one scene: alternatives, objects, duration. Returns the index of the visit.
  size_t visit(const Scene& s, const std::string& graph, const std::string& prefix) {
    SceneVisit v;
    v.scene = &s;
    v.graph = graph;
    if (!parents_.empty()) v.parent = parents_.back();
    const std::string base = prefix + s.id;
    const int count = ++visit_counts_[base];
    v.key = count == 1 ? base : base + "#" + std::to_string(count);
    apply(s.set);
    const logic::Value data = data_value();
    ordered_json entry = {{"scene", v.key}, {"id", s.id}};
    if (!graph.empty()) entry["programme"] = graph;
    if (!s.title.empty()) entry["title"] = s.title;
    if (!s.source_id.empty()) entry["source"] = {{"format", s.source_format}, {"id", s.source_id}};

    const std::vector<Placement>* objects = &s.objects;
    entry["alternative"] = nullptr;
    ordered_json alt_reasons = ordered_json::array();
    for (const Alternative& alt : s.alternatives) {
      ordered_json reason;
      const bool chosen = test(alt.when, data, reason);
      reason["alternative"] = alt.id;
      alt_reasons.push_back(reason);
      if (chosen) {
        objects = &alt.objects;
        entry["alternative"] = alt.id;
        break;
      }
    }
    if (!s.alternatives.empty()) entry["alternatives"] = alt_reasons;

    double longest = 0;
    for (const Placement& pl : *objects) {
      ObjectRec o;
      o.id = v.key + "/" + pl.id;
      if (!test(pl.when, data, o.reason)) {
        o.reason.message = "its condition did not hold";
        excluded_.push_back({std::move(o.id), &pl, std::move(o.reason)});
        continue;
      }
      o.reason.message = pl.when.present ? "its condition held" : "unconditional";
      o.scene = v.key;
      o.placement = &pl;
      o.asset = p_.asset(pl.asset);
      o.start = pl.start;
      o.end = placement_end(pl);  // -1 = until the scene ends; fixed below
      longest = std::max(longest, o.end);
      const bool visual = o.asset && (o.asset->type == AssetType::Video || o.asset->type == AssetType::Image ||
                                      o.asset->type == AssetType::Graphic);
      if (visual && layout_) {
        o.region = layout_->region(pl.region);
        if (!o.region) {
          o.reason.region_note = "layout \"" + layout_->id + "\" has no region \"" + pl.region + "\": full frame";
          o.region = layout_->region("full");
        }
      }
      v.objects.push_back(std::move(o));
    }
    v.full_duration = s.duration ? *s.duration : longest;
    if (!s.duration && longest <= 0 && s.programme.empty()) warn("scene \"" + v.key + "\" has no duration and no timed objects");
    for (ObjectRec& o : v.objects)
      if (o.end < 0) o.end = v.full_duration;
    v.duration = v.full_duration;
    entry["fullDuration"] = round_time(v.full_duration);
    if (s.optional.present) entry["optional"] = {{"priority", s.optional.priority}, {"minDuration", s.optional.min_duration}};
    v.entry = std::move(entry);
    played_.push_back(s.id);
    path_values_.push_back(to_logic_value(ordered_json(s.id)));
    if (graph.empty()) ++main_visits_;
    visits_.push_back(std::move(v));
    return visits_.size() - 1;
  }

  // Next scene id from this scene's choice or links, or "" to stop (end_ says why).
  std::string next_of(const Scene& s, size_t visit_index) {
    const logic::Value data = data_value();
    SceneVisit& v = visits_[visit_index];
    if (s.choice.present) {
      const Choice& c = s.choice;
      ordered_json options = ordered_json::array();
      const ChoiceOption* taken = nullptr;
      const ChoiceOption* fallback = nullptr;
      const std::string made = choices_.contains(s.id) && choices_[s.id].is_string() ? choices_[s.id].get<std::string>() : "";
      for (const ChoiceOption& o : c.options) {
        ordered_json reason;
        const bool available = test(o.when, data, reason);
        options.push_back({{"id", o.id}, {"label", o.label}, {"scene", o.scene}, {"available", available}, {"reason", reason}});
        if (!available) continue;
        if (o.id == made) taken = &o;
        if (o.id == c.default_option) fallback = &o;
      }
      ordered_json choice = {{"prompt", c.prompt}, {"options", options}, {"at", c.at ? *c.at : v.full_duration}};
      choice["timeout"] = c.timeout ? ordered_json(*c.timeout) : ordered_json(nullptr);
      choice["default"] = c.default_option.empty() ? ordered_json(nullptr) : ordered_json(c.default_option);
      choice["oneShot"] = c.one_shot;
      const ChoiceOption* follow = taken ? taken : fallback;
      if (taken) {
        choice["taken"] = taken->id;
        choice["reason"] = "the viewer chose \"" + taken->id + "\"";
      } else if (fallback) {
        choice["taken"] = nullptr;
        choice["assumed"] = fallback->id;
        choice["reason"] = made.empty() ? "not chosen yet: the path assumes the default \"" + fallback->id + "\""
                                        : "the choice \"" + made + "\" is not available: the default \"" + fallback->id + "\" applies";
      } else {
        choice["taken"] = nullptr;
        choice["reason"] = "waiting for the viewer (no default)";
      }
      v.entry["choice"] = choice;
      if (!follow) {
        end_ = {{"kind", "awaiting-choice"}, {"scene", v.key}, {"message", "the path waits for the viewer's choice at \"" + v.key + "\""}};
        return {};
      }
      apply(follow->set);
      if (taken) {
        v.entry["via"] = {{"choice", follow->id}};
      }
      return follow->scene;
    }
    ordered_json tried = ordered_json::array();
    for (size_t i = 0; i < s.next.size(); ++i) {
      ordered_json reason;
      if (test(s.next[i].when, data, reason)) {
        reason["message"] = s.next[i].when.present ? "link to \"" + s.next[i].scene + "\": its condition held"
                                                   : "link to \"" + s.next[i].scene + "\" (unconditional)";
        v.entry["next"] = {{"scene", s.next[i].scene}, {"reason", reason}};
        if (!tried.empty()) v.entry["next"]["rejected"] = tried;
        return s.next[i].scene;
      }
      tried.push_back({{"scene", s.next[i].scene}, {"reason", reason}});
    }
    if (s.next.empty()) {
      end_ = {{"kind", "ending"}, {"scene", v.key}, {"message", "\"" + v.key + "\" is an ending (it has no links)"}};
    } else {
      end_ = {{"kind", "dead-end"}, {"scene", v.key}, {"message", "dead end: no link's condition held at \"" + v.key + "\""}, {"rejected", tried}};
    }
    return {};
  }

  std::string first_beginning(const SceneGraph& g, ordered_json& reason_out) {
    const logic::Value data = data_value();
    ordered_json tried = ordered_json::array();
    for (const Beginning& b : g.beginnings) {
      ordered_json reason;
      if (test(b.when, data, reason)) {
        reason["message"] = b.when.present ? "beginning \"" + b.scene + "\": its condition held" : "beginning \"" + b.scene + "\" (unconditional)";
        reason_out = reason;
        if (!tried.empty()) reason_out["rejected"] = tried;
        return b.scene;
      }
      tried.push_back({{"scene", b.scene}, {"reason", reason}});
    }
    reason_out = {{"message", "no beginning's condition held"}, {"rejected", tried}};
    return {};
  }

  void walk_graph(const SceneGraph& g, const std::string& graph, const std::string& prefix, int depth) {
    ordered_json begin_reason;
    std::string current;
    if (forced_ && main_visits_ < forced_->size() && graph.empty() && prefix.empty()) {
      current = strip_visit((*forced_)[main_visits_].key);
      begin_reason = {{"message", "kept from the previous plan (already playing)"}};
    } else {
      current = first_beginning(g, begin_reason);
    }
    if (current.empty()) {
      end_ = {{"kind", "no-beginning"}, {"message", "no beginning applies"}, {"reason", begin_reason}};
      stopped_ = true;
      return;
    }
    bool first = true;
    while (!current.empty() && !stopped_) {
      if (visits_.size() >= limits_.max_path_scenes) {
        end_ = {{"kind", "truncated"}, {"scene", current}, {"message", "path cut after " + std::to_string(limits_.max_path_scenes) + " scenes (a loop?)"}};
        stopped_ = true;
        return;
      }
      auto it = g.scenes.find(current);
      if (it == g.scenes.end()) {
        end_ = {{"kind", "dead-end"}, {"scene", current}, {"message", "no scene named \"" + current + "\""}};
        stopped_ = true;
        return;
      }
      const Scene& s = it->second;
      const size_t index = visit(s, graph, prefix);
      if (first) { visits_[index].entry["via"] = {{"beginning", begin_reason}}; first = false; }
      if (!s.programme.empty()) {
        auto sub = p_.programmes.find(s.programme);
        if (sub != p_.programmes.end() && depth < limits_.max_subprogramme_depth) {
          parents_.push_back(index);
          walk_graph(sub->second, s.programme, visits_[index].key + "/", depth + 1);
          parents_.pop_back();
          if (stopped_ && end_.value("kind", "") != "ending") return;
          stopped_ = false;
          end_ = ordered_json::object();
        } else if (depth >= limits_.max_subprogramme_depth) {
          warn("sub-programmes nested deeper than " + std::to_string(limits_.max_subprogramme_depth) + " are not played");
        }
      }
      // Re-resolution: follow the previous plan's scenes while they last.
      if (forced_ && graph.empty() && prefix.empty() && main_visits_ < forced_->size()) {
        current = strip_visit((*forced_)[main_visits_].key);
        visits_[index].entry["next"] = {{"scene", current}, {"reason", {{"message", "kept from the previous plan (already played)"}}}};
        continue;
      }
      current = next_of(s, index);
      if (current.empty()) {
        if (!graph.empty()) { stopped_ = true; }  // sub-programme finished; caller continues
        else stopped_ = true;
      }
    }
  }

  static std::string strip_visit(const std::string& key) {
    const size_t hash = key.find('#');
    return hash == std::string::npos ? key : key.substr(0, hash);
  }

  void fit_and_time() {
    // Forced prefix (main-graph scenes already playing) keeps its timing; sub-programme scenes
    // inside it follow their parent's start.
    size_t forced_count = 0;
    double fixed_end = 0;
    if (forced_) {
      size_t j = 0;
      for (size_t i = 0; i < visits_.size() && j < forced_->size(); ++i) {
        if (!visits_[i].graph.empty()) {
          visits_[i].start = fixed_end;
          fixed_end += visits_[i].duration;
          forced_count = i + 1;
          continue;
        }
        if (visits_[i].key != (*forced_)[j].key) break;
        visits_[i].start = (*forced_)[j].start;
        visits_[i].duration = (*forced_)[j].duration;
        fixed_end = std::max(fixed_end, visits_[i].start + visits_[i].duration);
        forced_count = i + 1;
        ++j;
      }
    }
    double total = fixed_end;
    for (size_t i = forced_count; i < visits_.size(); ++i) total += visits_[i].duration;
    fit_ = {{"applied", false}, {"originalDuration", round_time(total)}, {"decisions", ordered_json::array()}};
    if (time_available_ && total > *time_available_ + 1e-9) {
      std::vector<size_t> candidates;
      for (size_t i = forced_count; i < visits_.size(); ++i)
        if (visits_[i].scene->optional.present) candidates.push_back(i);
      // Lowest priority first; among equals the later scene goes first; then by key (stable, deterministic).
      std::sort(candidates.begin(), candidates.end(), [&](size_t a, size_t b) {
        const double pa = visits_[a].scene->optional.priority, pb = visits_[b].scene->optional.priority;
        if (pa != pb) return pa < pb;
        if (a != b) return a > b;
        return visits_[a].key < visits_[b].key;
      });
      double excess = total - *time_available_;
      auto descends_from = [&](size_t i, size_t ancestor) {
        for (size_t p = visits_[i].parent; p != SIZE_MAX; p = visits_[p].parent)
          if (p == ancestor) return true;
        return false;
      };
      auto ancestor_dropped = [&](size_t i) {
        for (size_t p = visits_[i].parent; p != SIZE_MAX; p = visits_[p].parent)
          if (visits_[p].dropped) return true;
        return false;
      };
      for (size_t i : candidates) {
        if (excess <= 1e-9) break;
        if (ancestor_dropped(i)) continue;
        SceneVisit& v = visits_[i];
        // A scene that plays a sub-programme spans its sub-scenes: it can be dropped, not trimmed.
        double span = v.duration;
        bool has_children = false;
        for (size_t k = i + 1; k < visits_.size(); ++k)
          if (descends_from(k, i)) { span += visits_[k].duration; has_children = true; }
        const double min_d = has_children ? 0 : v.scene->optional.min_duration;
        const double cut_possible = v.duration - min_d;
        const std::string priority = number_text(v.scene->optional.priority);
        ordered_json decision = {{"scene", v.key}, {"priority", v.scene->optional.priority}, {"from", round_time(span)}};
        if (min_d > 0 && cut_possible >= excess - 1e-9) {
          v.duration -= excess;
          decision["action"] = "trimmed";
          decision["to"] = round_time(v.duration);
          decision["reason"] = "optional (priority " + priority + "): trimmed by " + number_text(round_time(excess)) +
                               " s to fit the time available";
          excess = 0;
        } else if (min_d > 0 && cut_possible > 0) {
          v.duration = min_d;
          excess -= cut_possible;
          decision["action"] = "trimmed";
          decision["to"] = round_time(v.duration);
          decision["reason"] = "optional (priority " + priority + "): trimmed to its minimum " + number_text(min_d) + " s";
        } else {
          excess -= span;
          v.dropped = true;
          for (size_t k = i + 1; k < visits_.size(); ++k)
            if (descends_from(k, i)) visits_[k].dropped = true;
          decision["action"] = "dropped";
          decision["to"] = 0;
          decision["reason"] = "optional (priority " + priority + "): dropped to fit the time available" +
                               (has_children ? " (with its sub-programme)" : "");
        }
        fit_["decisions"].push_back(decision);
      }
      fit_["applied"] = true;
      if (excess > 1e-9) {
        fit_["shortfall"] = round_time(excess);
        warn("the programme cannot fit the time available: " + number_text(round_time(excess)) + " s over after all optional content");
      }
    }
    double t = fixed_end;
    for (size_t i = forced_count; i < visits_.size(); ++i) {
      if (visits_[i].dropped) continue;
      visits_[i].start = t;
      t += visits_[i].duration;
    }
    fit_["duration"] = round_time(t);
  }
};

}  // namespace

ResolvedPlan resolve(const Programme& programme, const ordered_json& context, const ResolveLimits& limits) {
  return Walker(programme, context, limits).run();
}

ordered_json resolve_plan(const Programme& programme, const ordered_json& context, const ResolveLimits& limits) {
  return ordered_json::parse(resolve(programme, context, limits).json);
}

namespace {
std::string object_text(const ObjectRec& o, bool with_reason) {
  JsonText w;
  write_object(w, o, with_reason);
  return std::move(w.out);
}

// Every written field of a plan object derives from these, so equal here means equal in the plan.
bool same_object(const ObjectRec& a, const ObjectRec& b) {
  return a.placement == b.placement && a.asset == b.asset && a.start == b.start && a.end == b.end &&
         a.region == b.region && a.scene == b.scene;
}

// Field-by-field differences between two plan objects (reasons ignored).
ordered_json object_changes(const ObjectRec& before, const ObjectRec& after) {
  const ordered_json a = ordered_json::parse(object_text(before, false));
  const ordered_json b = ordered_json::parse(object_text(after, false));
  ordered_json fields = ordered_json::object();
  for (auto f = b.begin(); f != b.end(); ++f) {
    auto old = a.find(f.key());
    if (old == a.end()) fields[f.key()] = {nullptr, f.value()};
    else if (*old != f.value()) fields[f.key()] = {*old, f.value()};
  }
  return fields;
}
}  // namespace

Reresolution reresolve(const Programme& programme, const ResolvedPlan& previous, const ordered_json& context,
                       double position, const ResolveLimits& limits) {
  std::vector<Walker::Forced> forced;
  if (previous.state) {
    for (const PathTiming& e : previous.state->path) {
      if (e.start > position + 1e-9) break;
      if (e.in_subprogramme) continue;  // sub-programme scenes are re-walked from their parent
      forced.push_back({e.key, e.start, e.duration});
    }
  }
  Reresolution out;
  out.plan = Walker(programme, context, limits).run(forced);

  // Changes from `position` on, matched by object id and start time.
  using Key = std::pair<std::string, double>;
  std::map<Key, const ObjectRec*> before, after;
  if (previous.state)
    for (const ObjectRec& o : previous.state->objects)
      if (o.end > position + 1e-9) before[{o.id, o.start}] = &o;
  for (const ObjectRec& o : out.plan.state->objects)
    if (o.end > position + 1e-9) after[{o.id, o.start}] = &o;

  JsonText w;
  w.open('{');
  w.key("position"); w.num(position);
  w.key("added"); w.open_value('[');
  for (const auto& [k, o] : after)
    if (!before.count(k)) { w.element(); write_object(w, *o, true); }
  w.close(']');
  w.key("removed"); w.open_value('[');
  for (const auto& [k, o] : before)
    if (!after.count(k)) {
      w.element();
      w.open_value('{');
      w.key("id"); w.str(o->id);
      w.key("asset"); w.str(o->placement->asset);
      w.close('}');
    }
  w.close(']');
  w.key("changed"); w.open_value('[');
  for (const auto& [k, o] : after) {
    auto it = before.find(k);
    if (it == before.end() || same_object(*it->second, *o)) continue;
    w.element();
    w.json({{"id", o->id}, {"fields", object_changes(*it->second, *o)}});
  }
  w.close(']');
  const std::string old_layout = previous.state ? previous.state->layout : "";
  w.key("layoutChanged"); w.boolean(old_layout != out.plan.state->layout);
  bool path_changed = !previous.state || previous.state->path.size() != out.plan.state->path.size();
  for (size_t i = 0; !path_changed && i < out.plan.state->path.size(); ++i)
    path_changed = previous.state->path[i].key != out.plan.state->path[i].key;
  w.key("pathChanged"); w.boolean(path_changed);
  w.key("duration"); w.open_value('[');
  w.num(previous.state ? previous.state->duration : 0.0);
  w.element();
  w.num(out.plan.state->duration);
  w.close(']');
  w.close('}');
  out.changes_json = std::move(w.out);
  return out;
}

}  // namespace tessera
