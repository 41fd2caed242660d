#include "narrative/resolve.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "logic/json_logic.h"
#include "narrative/plan.h"
#include "narrative/story_state.h"

namespace tessera {

namespace {

double round_time(double t) { return std::round(t * 1e6) / 1e6; }  // microsecond-stable output

// A number as a producer wrote it: 1 not 1.0, 2.5 as 2.5.
std::string number_text(double v) { return logic::number_to_string(v); }

// Appends JSON text; numbers as JavaScript prints them, strings quoted as JSON.stringify does.
class JsonText {
 public:
  std::string out;
  void raw(std::string_view s) { out.append(s.data(), s.size()); }
  void key(const char* k) { if (need_comma_) out.push_back(','); out.push_back('"'); out += k; out += "\":"; need_comma_ = false; }
  void str(std::string_view s) {
    need_comma_ = true;
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {  // escapes or non-ASCII: the full quoter
        out += logic::json_quote(s);
        return;
      }
    }
    out.push_back('"');
    out.append(s.data(), s.size());
    out.push_back('"');
  }
  // Pieces of one string ("a" + "b" + …), quoted as one.
  void str_concat(std::initializer_list<std::string_view> parts) {
    std::string s;
    for (std::string_view p : parts) s.append(p.data(), p.size());
    str(s);
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
  void value(const logic::Value& v) {
    logic::Budget budget(limits_);
    if (!logic::to_json(v, out, budget)) out += "null";
    need_comma_ = true;
  }
  void open(char c) { if (need_comma_) out.push_back(','); out.push_back(c); need_comma_ = false; }
  void open_value(char c) { out.push_back(c); need_comma_ = false; }  // after key()
  void close(char c) { out.push_back(c); need_comma_ = true; }
  void element() { if (need_comma_) out.push_back(','); need_comma_ = false; }

 private:
  bool need_comma_ = false;
  logic::Limits limits_;
};

}  // namespace


namespace {

// ---- writing the plan ------------------------------------------------------------------------

// The fields of a test, inside an object already opened.
void write_test_fields(JsonText& w, const PlanTest& t) {
  if (!t.condition) return;
  w.key("pointer"); w.str(t.condition->pointer);
  w.key("values"); w.open_value('{');
  for (const auto& [name, value] : t.values) { w.key(name->c_str()); w.value(value); }
  w.close('}');
  w.key("result"); w.boolean(t.result);
  if (!t.error.empty()) { w.key("error"); w.str(t.error); }
}

void write_test(JsonText& w, const PlanTest& t) {
  w.open_value('{');
  write_test_fields(w, t);
  w.close('}');
}

std::string object_id(const PlanState& s, uint32_t visit, const Placement& pl) { return s.visits[visit].key + "/" + pl.id; }

void write_object(JsonText& w, const PlanState& s, const PlanObject& o, bool with_reason) {
  const Asset* a = o.asset;
  const Placement& pl = *o.placement;
  w.open_value('{');
  w.key("id"); w.str(object_id(s, o.visit, pl));
  w.key("scene"); w.str(s.visits[o.visit].key);
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
  if (with_reason) {
    w.key("reason"); w.open_value('{');
    write_test_fields(w, s.tests[o.test]);
    w.key("message"); w.str(pl.when.present ? "its condition held" : "unconditional");
    if (o.region_fallback) {
      w.key("region");
      w.str_concat({"layout \"", s.layout.chosen ? std::string_view(s.layout.chosen->id) : "", "\" has no region \"", pl.region, "\": full frame"});
    }
    w.close('}');
  }
  w.close('}');
}

// "rejected": [{ scene, reason }] for beginnings or links whose conditions failed.
template <class T>
void write_rejected_scenes(JsonText& w, const std::vector<PlanTried<T>>& rejected) {
  w.key("rejected"); w.open_value('[');
  for (const auto& t : rejected) {
    w.element(); w.open_value('{');
    w.key("scene"); w.str(t.item->scene);
    w.key("reason"); write_test(w, t.test);
    w.close('}');
  }
  w.close(']');
}

// The same list as a document (for the plan's "end", which is kept as JSON).
template <class T>
ordered_json rejected_scenes_json(const std::vector<PlanTried<T>>& rejected) {
  JsonText w;
  w.open('{');
  write_rejected_scenes(w, rejected);
  w.close('}');
  return ordered_json::parse(w.out)["rejected"];
}

void write_layout(JsonText& w, const PlanLayout& d) {
  const Layout* l = d.chosen;
  if (!l) { w.null(); return; }
  auto rejected = [&] {
    w.key("rejected"); w.open_value('[');
    for (const auto& t : d.rejected) {
      w.element(); w.open_value('{');
      w.key("id"); w.str(t.item->id);
      w.key("reason"); write_test(w, t.test);
      w.close('}');
    }
    w.close(']');
  };
  w.open_value('{');
  w.key("id"); w.str(l->id);
  w.key("width"); w.num(l->width);
  w.key("height"); w.num(l->height);
  w.key("reason"); w.open_value('{');
  if (d.fallback) {
    w.key("message"); w.str("no layout's condition held; the first is used");
    w.close('}');
    rejected();
    w.close('}');
    return;
  }
  write_test_fields(w, d.test);
  w.key("message");
  if (l->when.present) w.str_concat({"layout \"", l->id, "\": its condition held"});
  else w.str_concat({"layout \"", l->id, "\" applies unconditionally"});
  w.close('}');
  if (l->safe_area) {
    const Rect& r = *l->safe_area;
    w.key("safeArea"); w.open_value('{');
    w.key("x"); w.num(r.x); w.key("y"); w.num(r.y); w.key("width"); w.num(r.width); w.key("height"); w.num(r.height);
    w.close('}');
  }
  if (!d.rejected.empty()) rejected();
  w.close('}');
}

void write_beginning(JsonText& w, const PlanVisit& v) {
  w.open_value('{');
  if (v.via == ViaKind::KeptBeginning) {
    w.key("message"); w.str("kept from the previous plan (already playing)");
    w.close('}');
    return;
  }
  const PlanBeginning& b = v.beginning;
  write_test_fields(w, b.test);
  w.key("message");
  if (b.chosen->when.present) w.str_concat({"beginning \"", b.chosen->scene, "\": its condition held"});
  else w.str_concat({"beginning \"", b.chosen->scene, "\" (unconditional)"});
  if (!b.rejected.empty()) write_rejected_scenes(w, b.rejected);
  w.close('}');
}

void write_via(JsonText& w, const PlanVisit& v) {
  w.key("via"); w.open_value('{');
  if (v.via == ViaKind::Choice) {
    w.key("choice"); w.str(v.choice.taken->id);
  } else {
    w.key("beginning"); write_beginning(w, v);
  }
  w.close('}');
}

void write_choice(JsonText& w, const PlanVisit& v) {
  const Choice& c = v.scene->choice;
  const PlanChoice& d = v.choice;
  w.key("choice"); w.open_value('{');
  w.key("prompt"); w.str(c.prompt);
  w.key("options"); w.open_value('[');
  for (const auto& t : d.options) {
    w.element(); w.open_value('{');
    w.key("id"); w.str(t.item->id);
    w.key("label"); w.str(t.item->label);
    w.key("scene"); w.str(t.item->scene);
    w.key("available"); w.boolean(t.test.result);
    w.key("reason"); write_test(w, t.test);
    w.close('}');
  }
  w.close(']');
  w.key("at"); w.num(c.at ? *c.at : v.full_duration);
  w.key("timeout"); if (c.timeout) w.num(*c.timeout); else w.null();
  w.key("default"); if (c.default_option.empty()) w.null(); else w.str(c.default_option);
  w.key("oneShot"); w.boolean(c.one_shot);
  if (d.taken) {
    w.key("taken"); w.str(d.taken->id);
    w.key("reason"); w.str_concat({"the viewer chose \"", d.taken->id, "\""});
  } else if (d.assumed) {
    w.key("taken"); w.null();
    w.key("assumed"); w.str(d.assumed->id);
    w.key("reason");
    if (d.made.empty()) w.str_concat({"not chosen yet: the path assumes the default \"", d.assumed->id, "\""});
    else w.str_concat({"the choice \"", d.made, "\" is not available: the default \"", d.assumed->id, "\" applies"});
  } else {
    w.key("taken"); w.null();
    w.key("reason"); w.str("waiting for the viewer (no default)");
  }
  w.close('}');
}

void write_next(JsonText& w, const PlanVisit& v) {
  w.key("next"); w.open_value('{');
  if (v.next == NextKind::Kept) {
    w.key("scene"); w.str(v.kept_next);
    w.key("reason"); w.open_value('{');
    w.key("message"); w.str("kept from the previous plan (already played)");
    w.close('}');
    w.close('}');
    return;
  }
  const Link& l = *v.link;
  w.key("scene"); w.str(l.scene);
  w.key("reason"); w.open_value('{');
  write_test_fields(w, v.link_test);
  w.key("message");
  if (l.when.present) w.str_concat({"link to \"", l.scene, "\": its condition held"});
  else w.str_concat({"link to \"", l.scene, "\" (unconditional)"});
  w.close('}');
  if (!v.rejected_links.empty()) write_rejected_scenes(w, v.rejected_links);
  w.close('}');
}

void write_visit(JsonText& w, const PlanVisit& v) {
  const Scene& s = *v.scene;
  w.open_value('{');
  w.key("scene"); w.str(v.key);
  w.key("id"); w.str(s.id);
  if (!v.graph.empty()) { w.key("programme"); w.str(v.graph); }
  if (!s.title.empty()) { w.key("title"); w.str(s.title); }
  if (!s.source_id.empty()) {
    w.key("source"); w.open_value('{');
    w.key("format"); w.str(s.source_format);
    w.key("id"); w.str(s.source_id);
    w.close('}');
  }
  w.key("alternative"); if (v.alternative) w.str(v.alternative->id); else w.null();
  if (!s.alternatives.empty()) {
    w.key("alternatives"); w.open_value('[');
    for (const auto& t : v.alternatives) {
      w.element(); w.open_value('{');
      write_test_fields(w, t.test);
      w.key("alternative"); w.str(t.item->id);
      w.close('}');
    }
    w.close(']');
  }
  w.key("fullDuration"); w.num(round_time(v.full_duration));
  if (s.optional.present) {
    w.key("optional"); w.open_value('{');
    w.key("priority"); w.num(s.optional.priority);
    w.key("minDuration"); w.num(s.optional.min_duration);
    w.close('}');
  }
  if (s.transition.kind != TransitionKind::Cut) {
    const Transition& t = s.transition;
    w.key("transition"); w.open_value('{');
    w.key("kind"); w.str(t.kind == TransitionKind::Crossfade ? "crossfade" : "dip");
    w.key("duration"); w.num(t.duration);
    if (t.kind == TransitionKind::Dip) {
      static const char* kHex = "0123456789abcdef";
      const char colour[8] = {'#', kHex[t.r >> 4], kHex[t.r & 15], kHex[t.g >> 4], kHex[t.g & 15], kHex[t.b >> 4], kHex[t.b & 15], 0};
      w.key("colour"); w.str(colour);
    }
    if (v.overlap > 0) { w.key("overlap"); w.num(round_time(v.overlap)); }
    w.close('}');
  }
  if (v.via != ViaKind::None && (v.via_before_choice || !v.has_choice)) write_via(w, v);
  if (v.has_choice) write_choice(w, v);
  if (v.via != ViaKind::None && !v.via_before_choice && v.has_choice) write_via(w, v);
  if (v.next != NextKind::None) write_next(w, v);
  w.key("start"); w.num(round_time(v.start));
  w.key("duration"); w.num(round_time(v.duration));
  w.key("end"); w.num(round_time(v.start + v.duration));
  w.close('}');
}

std::string write_plan(const PlanState& s) {
  JsonText w;
  w.out.reserve(256 + 160 * s.objects.size() + 400 * s.visits.size());
  w.open('{');
  w.key("programme"); w.str(s.programme_id);
  w.key("layout"); write_layout(w, s.layout);
  w.key("context"); w.json(s.context);
  w.key("duration"); w.num(s.duration);
  w.key("timeAvailable");
  if (s.time_available) w.num(*s.time_available); else w.null();
  w.key("fit"); w.json(s.fit);
  w.key("path"); w.open_value('[');
  for (const PlanVisit& v : s.visits) {
    if (v.dropped) continue;
    w.element();
    write_visit(w, v);
  }
  w.close(']');
  w.key("objects"); w.open_value('[');
  for (const PlanObject& o : s.objects) { w.element(); write_object(w, s, o, true); }
  w.close(']');
  w.key("excluded"); w.open_value('[');
  for (const PlanExcluded& e : s.excluded) {
    w.element();
    w.open_value('{');
    w.key("id"); w.str(object_id(s, e.visit, *e.placement));
    w.key("asset"); w.str(e.placement->asset);
    w.key("reason"); w.open_value('{');
    write_test_fields(w, s.tests[e.test]);
    w.key("message"); w.str("its condition did not hold");
    w.close('}');
    w.close('}');
  }
  w.close(']');
  w.key("end"); w.json(s.end);
  w.key("warnings"); w.open_value('[');
  for (const std::string& warning : s.warnings) { w.element(); w.str(warning); }
  w.close(']');
  w.close('}');
  return std::move(w.out);
}

// ---- walking the programme ----------------------------------------------------------------------

class Walker {
 public:
  Walker(const Programme& p, const ordered_json& context, const ResolveLimits& limits)
      : p_(p), limits_(limits), s_(std::make_shared<PlanState>()) {
    static const ordered_json kEmpty = ordered_json::object();
    init_state(context.is_object() ? context : kEmpty);
  }

  // Forced prefix for re-resolution: scene keys with their previous start and duration.
  struct Forced {
    std::string key;
    double start, duration;
  };

  std::shared_ptr<PlanState> run(const std::vector<Forced>& forced = {}) {
    forced_ = &forced;
    choose_layout();
    walk_graph(p_.main, "", "", 0);
    fit_and_time();
    PlanState& s = *s_;
    s.programme_id = p_.id;
    s.context = state_;
    s.time_available = time_available_;
    double total = 0;
    for (uint32_t i = 0; i < s.visits.size(); ++i) {
      PlanVisit& v = s.visits[i];
      if (v.dropped) continue;
      total = std::max(total, v.start + v.duration);
    }
    // Objects to absolute times; those trimmed away with their scene's end are left out.
    std::vector<PlanObject> kept;
    kept.reserve(s.objects.size());
    for (PlanObject& o : s.objects) {
      const PlanVisit& v = s.visits[o.visit];
      if (v.dropped) continue;
      if (o.start >= v.duration - 1e-9 && v.duration > 0) continue;
      const double rel_end = std::min(o.end, v.duration);
      o.start = round_time(v.start + o.start);
      o.end = round_time(v.start + rel_end);
      kept.push_back(o);
    }
    std::stable_sort(kept.begin(), kept.end(), [](const PlanObject& x, const PlanObject& y) {
      if (x.start != y.start) return x.start < y.start;
      return x.placement->layer < y.placement->layer;
    });
    s.objects = std::move(kept);
    s.duration = round_time(total);
    return std::move(s_);
  }

 private:
  const Programme& p_;
  const ResolveLimits& limits_;
  std::shared_ptr<PlanState> s_;
  const std::vector<Forced>* forced_ = nullptr;
  ordered_json state_ = ordered_json::object();  // variable values (the plan's "context")
  std::optional<double> time_available_;
  std::unordered_map<std::string, int> visit_counts_;
  bool stopped_ = false;
  size_t main_visits_ = 0;  // visits of main-graph scenes (the forced prefix counts only these)
  std::vector<size_t> parents_;  // visits whose sub-programmes are being walked
  // What conditions see, as JSONLogic values, rebuilt only when the state changes.
  std::vector<std::string> names_;  // state names (not "choices"/"path") …
  std::vector<logic::Value> values_;  // … and their values
  logic::Value choices_value_;
  std::vector<logic::Value> path_values_;  // scene ids so far ("path" in conditions)
  logic::Value data_;
  bool data_dirty_ = true;
  bool path_dirty_ = true;
  logic::Value path_value_;

  void warn(std::string message) { s_->warnings.push_back(std::move(message)); }

  void init_state(const ordered_json& context) {
    StoryState initial = initial_story_state(p_, context);
    state_ = std::move(initial.values);
    choices_value_ = to_logic_value(initial.choices);
    choices_ = std::move(initial.choices);
    for (std::string& w : initial.warnings) warn(std::move(w));
    auto ta = state_.find("timeAvailable");
    if (ta != state_.end() && ta->is_number() && ta->get<double>() > 0) time_available_ = ta->get<double>();
    sync_values();
  }
  ordered_json choices_ = ordered_json::object();

  void sync_values() {
    names_.clear();
    values_.clear();
    for (auto it = state_.begin(); it != state_.end(); ++it) {
      if (it.key() == "choices" || it.key() == "path") continue;
      names_.push_back(it.key());
      values_.push_back(to_logic_value(it.value()));
    }
    data_dirty_ = true;
  }

  const logic::Value& path_value() {
    if (path_dirty_) {
      path_value_ = logic::Value::array(path_values_);
      path_dirty_ = false;
    }
    return path_value_;
  }

  // The data object conditions see: state, then "choices" and "path".
  const logic::Value& data() {
    if (data_dirty_ || (path_dirty_ && p_.conditions_read_path)) {
      std::vector<logic::Member> members;
      members.reserve(names_.size() + 2);
      for (size_t i = 0; i < names_.size(); ++i) members.emplace_back(logic::utf8_to_utf16(names_[i]), values_[i]);
      members.emplace_back(u"choices", choices_value_);
      members.emplace_back(u"path", path_value());
      data_ = logic::Value::object(std::move(members));
      data_dirty_ = false;
    }
    return data_;
  }

  const logic::Value* value_of(const std::string& name) {
    if (name == "choices") return &choices_value_;
    if (name == "path") return &path_value();
    for (size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return &values_[i];
    return nullptr;
  }

  // Evaluates a condition; returns its truth and records why in `t`.
  bool test(const Condition& c, PlanTest& t) {
    if (!c.present) return true;
    logic::Limits limits;
    limits.max_steps = limits_.max_logic_steps;
    const logic::EvalResult r = logic::evaluate(*c.program, data(), limits);
    t.condition = &c;
    t.values.reserve(c.reads.size());
    for (const std::string& n : c.reads) {
      const logic::Value* v = value_of(n);
      t.values.emplace_back(&n, v ? *v : logic::Value::null());
    }
    if (!r.ok) {
      t.result = false;
      t.error = r.error;
      warn("condition at " + c.pointer + " failed: " + r.error + " (treated as false)");
      return false;
    }
    t.result = logic::logic_truthy(r.value);
    return t.result;
  }

  void choose_layout() {
    PlanLayout& d = s_->layout;
    for (const Layout& l : p_.layouts) {
      PlanTest t;
      if (test(l.when, t)) {
        d.chosen = &l;
        d.test = std::move(t);
        return;
      }
      d.rejected.push_back({&l, std::move(t)});
    }
    if (p_.layouts.empty()) return;
    d.chosen = &p_.layouts.front();
    d.fallback = true;
    warn("no layout's condition held; the first layout is used");
  }

  void apply(const Assignments& set) {
    if (set.empty()) return;
    apply_assignments(p_, state_, set);
    sync_values();
  }

  double placement_end(const Placement& pl) const {
    if (pl.end) return *pl.end;
    const Asset* a = pl.asset_ref;
    if (a) if (auto d = a->playable_duration()) return pl.start + *d;
    return -1;  // open-ended: until the scene ends
  }

  // Visits one scene: alternatives, objects, duration. Returns the index of the visit.
  size_t visit(const Scene& s, const std::string& graph, const std::string& prefix) {
    std::vector<PlanVisit>& visits = s_->visits;
    const auto index = static_cast<uint32_t>(visits.size());
    visits.emplace_back();
    PlanVisit& v = visits.back();
    v.scene = &s;
    v.graph = graph;
    if (!parents_.empty()) v.parent = parents_.back();
    std::string base = prefix + s.id;
    const int count = ++visit_counts_[base];
    v.key = count == 1 ? std::move(base) : base + "#" + std::to_string(count);
    v.key_hash = std::hash<std::string_view>()(v.key);
    apply(s.set);

    const std::vector<Placement>* objects = &s.objects;
    for (const Alternative& alt : s.alternatives) {
      PlanTest t;
      const bool chosen = test(alt.when, t);
      v.alternatives.push_back({&alt, std::move(t)});
      if (chosen) {
        objects = &alt.objects;
        v.alternative = &alt;
        break;
      }
    }

    const Layout* layout = s_->layout.chosen;
    double longest = 0;
    const size_t first_object = s_->objects.size();
    for (const Placement& pl : *objects) {
      const auto test_index = static_cast<uint32_t>(s_->tests.size());
      s_->tests.emplace_back();
      if (!test(pl.when, s_->tests.back())) {
        s_->excluded.push_back({index, test_index, &pl});
        continue;
      }
      PlanObject o;
      o.visit = index;
      o.test = test_index;
      o.placement = &pl;
      o.asset = pl.asset_ref;
      o.start = pl.start;
      o.end = placement_end(pl);  // -1 = until the scene ends; fixed below
      longest = std::max(longest, o.end);
      const bool visual = o.asset && (o.asset->type == AssetType::Video || o.asset->type == AssetType::Image ||
                                      o.asset->type == AssetType::Graphic);
      if (visual && layout) {
        o.region = layout->region(pl.region);
        if (!o.region) {
          o.region_fallback = true;
          o.region = layout->region("full");
        }
      }
      s_->objects.push_back(std::move(o));
    }
    v.full_duration = s.duration ? *s.duration : longest;
    if (!s.duration && longest <= 0 && s.programme.empty()) warn("scene \"" + v.key + "\" has no duration and no timed objects");
    for (size_t i = first_object; i < s_->objects.size(); ++i)
      if (s_->objects[i].end < 0) s_->objects[i].end = v.full_duration;
    v.duration = v.full_duration;
    path_values_.push_back(logic::Value::string(logic::utf8_to_utf16(s.id)));
    path_dirty_ = true;
    if (graph.empty()) ++main_visits_;
    return index;
  }

  // Next scene id from this scene's choice or links, or "" to stop (the plan's end says why).
  std::string next_of(const Scene& s, size_t visit_index) {
    if (s.choice.present) {
      const Choice& c = s.choice;
      PlanChoice d;
      auto made = choices_.find(s.id);
      if (made != choices_.end() && made->is_string()) d.made = made->get<std::string>();
      for (const ChoiceOption& o : c.options) {
        PlanTest t;
        const bool available = test(o.when, t);
        t.result = available;
        d.options.push_back({&o, std::move(t)});
        if (!available) continue;
        if (o.id == d.made) d.taken = &o;
        if (o.id == c.default_option) d.assumed = &o;
      }
      if (d.taken) d.assumed = nullptr;
      const ChoiceOption* follow = d.taken ? d.taken : d.assumed;
      PlanVisit& v = s_->visits[visit_index];
      v.has_choice = true;
      v.choice = std::move(d);
      if (!follow) {
        s_->end = {{"kind", "awaiting-choice"}, {"scene", v.key}, {"message", "the path waits for the viewer's choice at \"" + v.key + "\""}};
        return {};
      }
      apply(follow->set);
      if (v.choice.taken) {
        v.via_before_choice = v.via != ViaKind::None;
        v.via = ViaKind::Choice;
      }
      return follow->scene;
    }
    std::vector<PlanTried<Link>> tried;
    for (const Link& link : s.next) {
      PlanTest t;
      if (test(link.when, t)) {
        PlanVisit& v = s_->visits[visit_index];
        v.next = NextKind::Link;
        v.link = &link;
        v.link_test = std::move(t);
        v.rejected_links = std::move(tried);
        return link.scene;
      }
      tried.push_back({&link, std::move(t)});
    }
    const std::string& key = s_->visits[visit_index].key;
    if (s.next.empty()) {
      s_->end = {{"kind", "ending"}, {"scene", key}, {"message", "\"" + key + "\" is an ending (it has no links)"}};
    } else {
      s_->end = {{"kind", "dead-end"}, {"scene", key}, {"message", "dead end: no link's condition held at \"" + key + "\""},
                 {"rejected", rejected_scenes_json(tried)}};
    }
    return {};
  }

  PlanBeginning first_beginning(const SceneGraph& g) {
    PlanBeginning d;
    for (const Beginning& b : g.beginnings) {
      PlanTest t;
      if (test(b.when, t)) {
        d.chosen = &b;
        d.test = std::move(t);
        return d;
      }
      d.rejected.push_back({&b, std::move(t)});
    }
    return d;
  }

  void walk_graph(const SceneGraph& g, const std::string& graph, const std::string& prefix, int depth) {
    PlanBeginning begin;
    std::string current;
    const bool kept = forced_ && main_visits_ < forced_->size() && graph.empty() && prefix.empty();
    if (kept) {
      current = strip_visit((*forced_)[main_visits_].key);
    } else {
      begin = first_beginning(g);
      if (begin.chosen) current = begin.chosen->scene;
    }
    if (current.empty()) {
      s_->end = {{"kind", "no-beginning"}, {"message", "no beginning applies"},
                 {"reason", {{"message", "no beginning's condition held"}, {"rejected", rejected_scenes_json(begin.rejected)}}}};
      stopped_ = true;
      return;
    }
    bool first = true;
    while (!current.empty() && !stopped_) {
      if (s_->visits.size() >= limits_.max_path_scenes) {
        s_->end = {{"kind", "truncated"}, {"scene", current}, {"message", "path cut after " + std::to_string(limits_.max_path_scenes) + " scenes (a loop?)"}};
        stopped_ = true;
        return;
      }
      auto it = g.scenes.find(current);
      if (it == g.scenes.end()) {
        s_->end = {{"kind", "dead-end"}, {"scene", current}, {"message", "no scene named \"" + current + "\""}};
        stopped_ = true;
        return;
      }
      const Scene& s = it->second;
      const size_t index = visit(s, graph, prefix);
      if (first) {
        PlanVisit& v = s_->visits[index];
        v.via = kept ? ViaKind::KeptBeginning : ViaKind::Beginning;
        v.beginning = std::move(begin);
        first = false;
      }
      if (!s.programme.empty()) {
        auto sub = p_.programmes.find(s.programme);
        if (sub != p_.programmes.end() && depth < limits_.max_subprogramme_depth) {
          parents_.push_back(index);
          walk_graph(sub->second, s.programme, s_->visits[index].key + "/", depth + 1);
          parents_.pop_back();
          if (stopped_ && s_->end.value("kind", "") != "ending") return;
          stopped_ = false;
          s_->end = ordered_json::object();
        } else if (depth >= limits_.max_subprogramme_depth) {
          warn("sub-programmes nested deeper than " + std::to_string(limits_.max_subprogramme_depth) + " are not played");
        }
      }
      // Re-resolution: follow the previous plan's scenes while they last.
      if (forced_ && graph.empty() && prefix.empty() && main_visits_ < forced_->size()) {
        current = strip_visit((*forced_)[main_visits_].key);
        PlanVisit& v = s_->visits[index];
        v.next = NextKind::Kept;
        v.kept_next = current;
        continue;
      }
      current = next_of(s, index);
      if (current.empty()) stopped_ = true;  // an ending, a dead end or a wait; a sub-programme's caller continues
    }
  }

  static std::string strip_visit(const std::string& key) {
    const size_t hash = key.find('#');
    return hash == std::string::npos ? key : key.substr(0, hash);
  }

  // A crossfade overlaps a scene with the one before it, by at most either's length.
  static double crossfade_overlap(const PlanVisit* previous, const PlanVisit& v) {
    const Transition& tr = v.scene->transition;
    if (!previous || tr.kind != TransitionKind::Crossfade) return 0;
    return std::max(0.0, std::min({tr.duration, previous->duration, v.duration}));
  }

  void fit_and_time() {
    std::vector<PlanVisit>& visits = s_->visits;
    ordered_json& fit = s_->fit;
    // Forced prefix (main-graph scenes already playing) keeps its timing; sub-programme scenes
    // inside it follow their parent's start.
    size_t forced_count = 0;
    double fixed_end = 0;
    if (forced_) {
      size_t j = 0;
      for (size_t i = 0; i < visits.size() && j < forced_->size(); ++i) {
        if (!visits[i].graph.empty()) {
          visits[i].start = fixed_end;
          fixed_end += visits[i].duration;
          forced_count = i + 1;
          continue;
        }
        if (visits[i].key != (*forced_)[j].key) break;
        visits[i].start = (*forced_)[j].start;
        visits[i].duration = (*forced_)[j].duration;
        fixed_end = std::max(fixed_end, visits[i].start + visits[i].duration);
        forced_count = i + 1;
        ++j;
      }
    }
    double total = fixed_end;
    {
      const PlanVisit* previous = forced_count > 0 ? &visits[forced_count - 1] : nullptr;
      for (size_t i = forced_count; i < visits.size(); ++i) {
        total += visits[i].duration - crossfade_overlap(previous, visits[i]);
        previous = &visits[i];
      }
    }
    fit = {{"applied", false}, {"originalDuration", round_time(total)}, {"decisions", ordered_json::array()}};
    if (time_available_ && total > *time_available_ + 1e-9) {
      std::vector<size_t> candidates;
      for (size_t i = forced_count; i < visits.size(); ++i)
        if (visits[i].scene->optional.present) candidates.push_back(i);
      // Lowest priority first; among equals the later scene goes first; then by key (stable, deterministic).
      std::sort(candidates.begin(), candidates.end(), [&](size_t a, size_t b) {
        const double pa = visits[a].scene->optional.priority, pb = visits[b].scene->optional.priority;
        if (pa != pb) return pa < pb;
        if (a != b) return a > b;
        return visits[a].key < visits[b].key;
      });
      double excess = total - *time_available_;
      auto descends_from = [&](size_t i, size_t ancestor) {
        for (size_t p = visits[i].parent; p != SIZE_MAX; p = visits[p].parent)
          if (p == ancestor) return true;
        return false;
      };
      auto ancestor_dropped = [&](size_t i) {
        for (size_t p = visits[i].parent; p != SIZE_MAX; p = visits[p].parent)
          if (visits[p].dropped) return true;
        return false;
      };
      for (size_t i : candidates) {
        if (excess <= 1e-9) break;
        if (ancestor_dropped(i)) continue;
        PlanVisit& v = visits[i];
        // A scene that plays a sub-programme spans its sub-scenes: it can be dropped, not trimmed.
        double span = v.duration;
        bool has_children = false;
        for (size_t k = i + 1; k < visits.size(); ++k)
          if (descends_from(k, i)) { span += visits[k].duration; has_children = true; }
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
          for (size_t k = i + 1; k < visits.size(); ++k)
            if (descends_from(k, i)) visits[k].dropped = true;
          decision["action"] = "dropped";
          decision["to"] = 0;
          decision["reason"] = "optional (priority " + priority + "): dropped to fit the time available" +
                               (has_children ? " (with its sub-programme)" : "");
        }
        fit["decisions"].push_back(decision);
      }
      fit["applied"] = true;
      if (excess > 1e-9) {
        fit["shortfall"] = round_time(excess);
        warn("the programme cannot fit the time available: " + number_text(round_time(excess)) + " s over after all optional content");
      }
    }
    double t = fixed_end;
    const PlanVisit* previous = nullptr;
    for (size_t i = 0; i < forced_count; ++i)
      if (!visits[i].dropped) previous = &visits[i];
    for (size_t i = forced_count; i < visits.size(); ++i) {
      PlanVisit& v = visits[i];
      if (v.dropped) continue;
      v.overlap = crossfade_overlap(previous, v);
      v.start = t - v.overlap;
      t = v.start + v.duration;
      previous = &v;
    }
    fit["duration"] = round_time(t);
  }
};

}  // namespace

std::string ResolvedPlan::json() const { return state ? write_plan(*state) : "null"; }

ResolvedPlan resolve(const Programme& programme, const ordered_json& context, const ResolveLimits& limits) {
  return {Walker(programme, context, limits).run()};
}

ordered_json resolve_plan(const Programme& programme, const ordered_json& context, const ResolveLimits& limits) {
  return ordered_json::parse(resolve(programme, context, limits).json());
}

namespace {
std::string object_text(const PlanState& s, const PlanObject& o, bool with_reason) {
  JsonText w;
  write_object(w, s, o, with_reason);
  return std::move(w.out);
}

// Every written field of a plan object derives from these, so equal here means equal in the plan.
bool same_object(const PlanState& sa, const PlanObject& a, const PlanState& sb, const PlanObject& b) {
  return a.placement == b.placement && a.asset == b.asset && a.start == b.start && a.end == b.end &&
         a.region == b.region && sa.visits[a.visit].key == sb.visits[b.visit].key;
}

// Field-by-field differences between two plan objects (reasons ignored).
ordered_json object_changes(const PlanState& sa, const PlanObject& before, const PlanState& sb, const PlanObject& after) {
  const ordered_json a = ordered_json::parse(object_text(sa, before, false));
  const ordered_json b = ordered_json::parse(object_text(sb, after, false));
  ordered_json fields = ordered_json::object();
  for (auto f = b.begin(); f != b.end(); ++f) {
    auto old = a.find(f.key());
    if (old == a.end()) fields[f.key()] = {nullptr, f.value()};
    else if (*old != f.value()) fields[f.key()] = {*old, f.value()};
  }
  return fields;
}

// An object's identity across plans: its id (scene visit key + placement id) and start. An
// alternative's placement with the same id as the one it replaces is the same object, changed.
struct ObjectKey {
  const PlanVisit* visit;
  const Placement* placement;
  double start;
  bool operator==(const ObjectKey& o) const {
    return start == o.start && (placement == o.placement || placement->id == o.placement->id) && visit->key == o.visit->key;
  }
};
struct ObjectKeyHash {
  size_t operator()(const ObjectKey& k) const {
    return k.visit->key_hash ^ (k.placement->id_hash * 31) ^ (std::hash<double>()(k.start) * 131);
  }
};
struct Indexed {
  const PlanObject* object;
  bool matched;
};
using ObjectIndex = std::unordered_map<ObjectKey, Indexed, ObjectKeyHash>;

ObjectIndex index_objects(const PlanState& s, double position) {
  ObjectIndex index;
  index.reserve(s.objects.size());
  for (const PlanObject& o : s.objects)
    if (o.end > position + 1e-9) index.emplace(ObjectKey{&s.visits[o.visit], o.placement, o.start}, Indexed{&o, false});
  return index;
}

}  // namespace

// What re-resolution found, as references into the two plans (kept alive here).
struct ChangeSet {
  std::shared_ptr<const PlanState> was, now;
  double position = 0;
  std::vector<const PlanObject*> added;                               // in `now`
  std::vector<const PlanObject*> removed;                             // in `was`
  std::vector<std::pair<const PlanObject*, const PlanObject*>> changed;  // (was, now)
  bool layout_changed = false;
  bool path_changed = false;
};

Reresolution reresolve(const Programme& programme, const ResolvedPlan& previous, const ordered_json& context,
                       double position, const ResolveLimits& limits) {
  std::vector<Walker::Forced> forced;
  if (previous.state) {
    for (const PlanVisit& v : previous.state->visits) {
      if (v.dropped) continue;
      const double start = round_time(v.start);
      if (start > position + 1e-9) break;
      if (!v.graph.empty()) continue;  // sub-programme scenes are re-walked from their parent
      forced.push_back({v.key, start, round_time(v.duration)});
    }
  }
  static const auto kNothing = std::make_shared<const PlanState>();
  auto changes = std::make_shared<ChangeSet>();
  changes->was = previous.state ? previous.state : kNothing;
  changes->now = Walker(programme, context, limits).run(forced);
  changes->position = position;
  const PlanState& was = *changes->was;
  const PlanState& now = *changes->now;

  // Changes from `position` on, matched by object id and start time.
  ObjectIndex before = index_objects(was, position);
  for (const PlanObject& o : now.objects) {
    if (o.end <= position + 1e-9) continue;
    auto it = before.find(ObjectKey{&now.visits[o.visit], o.placement, o.start});
    if (it == before.end()) {
      changes->added.push_back(&o);
      continue;
    }
    it->second.matched = true;
    if (!same_object(was, *it->second.object, now, o)) changes->changed.emplace_back(it->second.object, &o);
  }
  for (const auto& [key, entry] : before)
    if (!entry.matched) changes->removed.push_back(entry.object);
  const std::string_view old_layout = was.layout.chosen ? std::string_view(was.layout.chosen->id) : "";
  const std::string_view new_layout = now.layout.chosen ? std::string_view(now.layout.chosen->id) : "";
  changes->layout_changed = old_layout != new_layout;
  bool path_changed = !previous.state;
  size_t i = 0, j = 0;
  while (!path_changed) {
    while (i < was.visits.size() && was.visits[i].dropped) ++i;
    while (j < now.visits.size() && now.visits[j].dropped) ++j;
    if (i == was.visits.size() || j == now.visits.size()) {
      path_changed = (i == was.visits.size()) != (j == now.visits.size());
      break;
    }
    path_changed = was.visits[i++].key != now.visits[j++].key;
  }
  changes->path_changed = path_changed;

  Reresolution out;
  out.plan.state = changes->now;
  out.changes = std::move(changes);
  return out;
}

std::string Reresolution::changes_json() const {
  if (!changes) return "null";
  const ChangeSet& c = *changes;
  const PlanState& was = *c.was;
  const PlanState& now = *c.now;
  // Each list in the order of object id, then start.
  struct Listed {
    std::string id;
    const PlanObject* object;
    const PlanObject* before;
    bool operator<(const Listed& o) const { return id != o.id ? id < o.id : object->start < o.object->start; }
  };
  auto listed = [](const PlanState& s, const PlanObject* o, const PlanObject* before = nullptr) {
    return Listed{object_id(s, o->visit, *o->placement), o, before};
  };
  std::vector<Listed> added, removed, changed;
  for (const PlanObject* o : c.added) added.push_back(listed(now, o));
  for (const PlanObject* o : c.removed) removed.push_back(listed(was, o));
  for (const auto& [b, a] : c.changed) changed.push_back(listed(now, a, b));
  std::sort(added.begin(), added.end());
  std::sort(removed.begin(), removed.end());
  std::sort(changed.begin(), changed.end());

  JsonText w;
  w.out.reserve(128 + 600 * added.size() + 64 * (removed.size() + changed.size()));
  w.open('{');
  w.key("position"); w.num(c.position);
  w.key("added"); w.open_value('[');
  for (const Listed& l : added) { w.element(); write_object(w, now, *l.object, true); }
  w.close(']');
  w.key("removed"); w.open_value('[');
  for (const Listed& l : removed) {
    w.element();
    w.open_value('{');
    w.key("id"); w.str(l.id);
    w.key("asset"); w.str(l.object->placement->asset);
    w.close('}');
  }
  w.close(']');
  w.key("changed"); w.open_value('[');
  for (const Listed& l : changed) {
    w.element();
    w.json({{"id", l.id}, {"fields", object_changes(was, *l.before, now, *l.object)}});
  }
  w.close(']');
  w.key("layoutChanged"); w.boolean(c.layout_changed);
  w.key("pathChanged"); w.boolean(c.path_changed);
  w.key("duration"); w.open_value('[');
  w.num(was.duration);
  w.element();
  w.num(now.duration);
  w.close(']');
  w.close('}');
  return std::move(w.out);
}

}  // namespace tessera
