#include "narrative/resolve.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "logic/json_logic.h"

namespace tessera {

namespace {

double round_time(double t) { return std::round(t * 1e6) / 1e6; }  // microsecond-stable output

// A number as a producer wrote it: 1 not 1.0, 2.5 as 2.5.
std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return ordered_json(v).dump();
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
  std::vector<ordered_json> objects;  // with scene-relative times in "start"/"end"
};

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

  ordered_json run(const std::vector<Forced>& forced = {}) {
    forced_ = &forced;
    ordered_json plan = ordered_json::object();
    plan["programme"] = p_.id;
    plan["layout"] = choose_layout();
    walk_graph(p_.main, "", "", 0);
    fit_and_time();
    plan["context"] = state_;
    double total = 0;
    ordered_json path = ordered_json::array();
    ordered_json objects = ordered_json::array();
    for (SceneVisit& v : visits_) {
      if (v.dropped) continue;
      v.entry["start"] = round_time(v.start);
      v.entry["duration"] = round_time(v.duration);
      v.entry["end"] = round_time(v.start + v.duration);
      path.push_back(v.entry);
      for (ordered_json& o : v.objects) {
        const double rel_start = o["start"].get<double>();
        if (rel_start >= v.duration - 1e-9 && v.duration > 0) continue;  // trimmed away
        const double rel_end = std::min(o["end"].get<double>(), v.duration);
        o["start"] = round_time(v.start + rel_start);
        o["end"] = round_time(v.start + rel_end);
        objects.push_back(std::move(o));
      }
      total = std::max(total, v.start + v.duration);
    }
    std::stable_sort(objects.begin(), objects.end(), [](const ordered_json& a, const ordered_json& b) {
      if (a["start"] != b["start"]) return a["start"].get<double>() < b["start"].get<double>();
      return a["layer"].get<int>() < b["layer"].get<int>();
    });
    plan["duration"] = round_time(total);
    plan["timeAvailable"] = time_available_ ? ordered_json(*time_available_) : ordered_json(nullptr);
    plan["fit"] = fit_;
    plan["path"] = std::move(path);
    plan["objects"] = std::move(objects);
    plan["excluded"] = excluded_;
    plan["end"] = end_;
    plan["warnings"] = warnings_;
    return plan;
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
  ordered_json excluded_ = ordered_json::array();
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
    for (const Variable& v : p_.variables) {
      ordered_json value = v.default_value;
      const char* from = "default";
      if (!v.context.empty() && context_.contains(v.context)) { value = context_[v.context]; from = "context"; }
      if (context_.contains(v.name)) { value = context_[v.name]; from = "context"; }
      if (std::string(from) == "context") {
        const std::string problem = value_problem(v, value);
        if (!problem.empty()) {
          warn("context: " + problem + "; the default " + v.default_value.dump() + " is used");
          value = v.default_value;
        }
      }
      state_[v.name] = value;
      if (!v.context.empty()) state_[v.context] = value;
    }
    // Context keys the programme did not declare are still visible to conditions.
    for (auto it = context_.begin(); it != context_.end(); ++it)
      if (it.key() != "choices" && !state_.contains(it.key())) state_[it.key()] = it.value();
    if (context_.contains("choices") && context_["choices"].is_object()) choices_ = context_["choices"];
    if (state_.contains("timeAvailable") && state_["timeAvailable"].is_number() && state_["timeAvailable"].get<double>() > 0)
      time_available_ = state_["timeAvailable"].get<double>();
  }

  static std::string value_problem(const Variable& v, const ordered_json& value) {
    switch (v.type) {
      case VariableType::Boolean: if (!value.is_boolean()) return "\"" + v.name + "\" must be true or false"; break;
      case VariableType::Number:
        if (!value.is_number()) return "\"" + v.name + "\" must be a number";
        if ((v.min && value.get<double>() < *v.min) || (v.max && value.get<double>() > *v.max))
          return "\"" + v.name + "\" = " + value.dump() + " is out of range";
        break;
      case VariableType::String: if (!value.is_string()) return "\"" + v.name + "\" must be a string"; break;
      case VariableType::List: if (!value.is_array()) return "\"" + v.name + "\" must be a list"; break;
    }
    if (!v.values.empty() && v.type != VariableType::List && std::find(v.values.begin(), v.values.end(), value) == v.values.end())
      return "\"" + v.name + "\" = " + value.dump() + " is not an allowed value";
    return {};
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

  // Evaluates a condition; returns its truth and fills `reason`.
  bool test(const Condition& c, const logic::Value& data, ordered_json& reason) {
    reason = ordered_json::object();
    if (!c.present) return true;
    logic::Limits limits;
    limits.max_steps = limits_.max_logic_steps;
    const logic::EvalResult r = logic::evaluate(c.rule, data, limits);
    reason["pointer"] = c.pointer;
    ordered_json values = ordered_json::object();
    for (const std::string& n : c.reads) {
      if (n == "choices") values[n] = choices_;
      else if (n == "path") values[n] = played_;
      else values[n] = state_.contains(n) ? state_[n] : ordered_json(nullptr);
    }
    reason["values"] = values;
    if (!r.ok) {
      reason["result"] = false;
      reason["error"] = r.error;
      warn("condition at " + c.pointer + " failed: " + r.error + " (treated as false)");
      return false;
    }
    const bool truth = logic::logic_truthy(r.value);
    reason["result"] = truth;
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
    for (const auto& [name, value] : set) {
      state_[name] = value;
      if (const Variable* v = p_.variable(name); v && !v->context.empty()) state_[v->context] = value;
    }
  }

  double placement_end(const Placement& pl) const {
    if (pl.end) return *pl.end;
    const Asset* a = p_.asset(pl.asset);
    if (a) if (auto d = a->playable_duration()) return pl.start + *d;
    return -1;  // open-ended: until the scene ends
  }

  ordered_json region_json(const Placement& pl, ordered_json& reason) {
    const Region* r = layout_ ? layout_->region(pl.region) : nullptr;
    if (!r && layout_) {
      reason["region"] = "layout \"" + layout_->id + "\" has no region \"" + pl.region + "\": full frame";
      r = layout_->region("full");
    }
    if (!r) return nullptr;
    return {{"name", r->name}, {"x", r->rect.x}, {"y", r->rect.y}, {"width", r->rect.width}, {"height", r->rect.height}, {"fit", r->fit}};
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
      ordered_json reason;
      const std::string id = v.key + "/" + pl.id;
      if (!test(pl.when, data, reason)) {
        reason["message"] = "its condition did not hold";
        excluded_.push_back({{"id", id}, {"asset", pl.asset}, {"reason", reason}});
        continue;
      }
      reason["message"] = pl.when.present ? "its condition held" : "unconditional";
      const Asset* a = p_.asset(pl.asset);
      const double end = placement_end(pl);
      longest = std::max(longest, end);
      ordered_json o = {{"id", id}, {"scene", v.key}, {"placement", pl.id}, {"asset", pl.asset}};
      o["type"] = a ? asset_type_name(a->type) : "unknown";
      if (a && !a->src.empty()) o["src"] = a->src;
      if (a && !a->language.empty()) o["language"] = a->language;
      if (a && !a->role.empty()) o["role"] = a->role;
      if (a && (a->type == AssetType::Audio || a->type == AssetType::Video)) o["importance"] = a->importance;
      o["start"] = pl.start;
      o["end"] = end;  // -1 = until the scene ends; fixed below
      o["mediaIn"] = a ? a->trim_in : 0.0;
      o["layer"] = pl.layer;
      const bool visual = a && (a->type == AssetType::Video || a->type == AssetType::Image || a->type == AssetType::Graphic);
      o["region"] = visual ? region_json(pl, reason) : ordered_json(nullptr);
      o["gainDb"] = pl.gain_db;
      o["fadeIn"] = pl.fade_in;
      o["fadeOut"] = pl.fade_out;
      o["reason"] = reason;
      v.objects.push_back(std::move(o));
    }
    v.full_duration = s.duration ? *s.duration : longest;
    if (!s.duration && longest <= 0 && s.programme.empty()) warn("scene \"" + v.key + "\" has no duration and no timed objects");
    for (ordered_json& o : v.objects)
      if (o["end"].get<double>() < 0) o["end"] = v.full_duration;
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

ordered_json resolve_plan(const Programme& programme, const ordered_json& context, const ResolveLimits& limits) {
  return Walker(programme, context, limits).run();
}

namespace {
// Field-by-field differences between two plan objects, ignoring their reasons.
ordered_json object_changes(const ordered_json& before, const ordered_json& after) {
  ordered_json fields = ordered_json::object();
  for (auto f = after.begin(); f != after.end(); ++f) {
    if (f.key() == "reason") continue;
    auto old = before.find(f.key());
    if (old == before.end()) fields[f.key()] = {nullptr, f.value()};
    else if (*old != f.value()) fields[f.key()] = {*old, f.value()};
  }
  return fields;
}
}  // namespace

ordered_json reresolve_plan(const Programme& programme, const ordered_json& previous_plan, const ordered_json& context,
                            double position, const ResolveLimits& limits) {
  std::vector<Walker::Forced> forced;
  if (previous_plan.contains("path") && previous_plan["path"].is_array()) {
    for (const auto& e : previous_plan["path"]) {
      const double start = e.value("start", 0.0), duration = e.value("duration", 0.0);
      if (start > position + 1e-9) break;
      if (e.contains("programme")) continue;  // sub-programme scenes are re-walked from their parent
      forced.push_back({e.value("scene", ""), start, duration});
    }
  }
  ordered_json plan = Walker(programme, context, limits).run(forced);

  // Changes from `position` on, matched by object id and start time.
  using Key = std::pair<std::string, double>;
  std::map<Key, const ordered_json*> before, after;
  static const ordered_json empty = ordered_json::array();
  const ordered_json& old_objects = previous_plan.contains("objects") ? previous_plan["objects"] : empty;
  for (const auto& o : old_objects)
    if (o.value("end", 0.0) > position + 1e-9) before[{o.value("id", ""), o.value("start", 0.0)}] = &o;
  for (const auto& o : plan["objects"])
    if (o.value("end", 0.0) > position + 1e-9) after[{o.value("id", ""), o.value("start", 0.0)}] = &o;
  ordered_json added = ordered_json::array(), removed = ordered_json::array(), changed = ordered_json::array();
  for (const auto& [k, o] : after) {
    auto it = before.find(k);
    if (it == before.end()) { added.push_back(*o); continue; }
    ordered_json fields = object_changes(*it->second, *o);
    if (!fields.empty()) changed.push_back({{"id", (*o)["id"]}, {"fields", std::move(fields)}});
  }
  for (const auto& [k, o] : before)
    if (!after.count(k)) removed.push_back({{"id", (*o)["id"]}, {"asset", (*o)["asset"]}});
  std::vector<std::string> old_path, new_path;
  for (const auto& e : previous_plan.value("path", ordered_json::array())) old_path.push_back(e.value("scene", ""));
  for (const auto& e : plan["path"]) new_path.push_back(e.value("scene", ""));
  ordered_json changes = {{"position", position},
                          {"added", added},
                          {"removed", removed},
                          {"changed", changed},
                          {"layoutChanged", previous_plan.value("layout", ordered_json::object()).value("id", "") != plan["layout"].value("id", "")},
                          {"pathChanged", old_path != new_path},
                          {"duration", {previous_plan.value("duration", 0.0), plan["duration"]}}};
  return {{"plan", plan}, {"changes", changes}};
}

}  // namespace tessera
