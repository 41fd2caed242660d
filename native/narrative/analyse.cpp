#include "narrative/analyse.h"

#include <algorithm>
#include <functional>
#include <set>

#include "logic/json_logic.h"
#include "narrative/story_state.h"

namespace tessera {

namespace {

bool holds(const Condition& c, const ordered_json& state) {
  if (!c.present) return true;
  logic::Limits limits;
  limits.max_steps = 100000;
  const logic::EvalResult r = logic::evaluate(*c.program, to_logic_value(state), limits);
  return r.ok && logic::logic_truthy(r.value);
}

// Path enumeration's state: the story state plus what conditions also read (choices, path).
ordered_json initial_state(const Programme& p, const ordered_json& context) {
  StoryState initial = initial_story_state(p, context);
  ordered_json state = std::move(initial.values);
  state["choices"] = std::move(initial.choices);
  state["path"] = ordered_json::array();
  return state;
}

class PathEnumerator {
 public:
  PathEnumerator(const Programme& p, const PathLimits& limits) : p_(p), limits_(limits) {}

  ordered_json run(const ordered_json& context) {
    ordered_json state = initial_state(p_, context);
    std::string begin;
    for (const Beginning& b : p_.main.beginnings)
      if (holds(b.when, state)) { begin = b.scene; break; }
    if (!begin.empty()) {
      std::vector<std::string> path;
      walk(begin, state, path);
    }
    ordered_json unreachable = ordered_json::array();
    for (const std::string& id : structurally_unreachable(p_)) unreachable.push_back(id);
    ordered_json cycles = ordered_json::array();
    for (const auto& c : cycles_) cycles.push_back(c);
    ordered_json dead = ordered_json::array();
    for (const auto& d : dead_ends_) dead.push_back(d);
    return {{"paths", paths_}, {"truncated", truncated_}, {"cycles", cycles}, {"unreachable", unreachable}, {"deadEnds", dead}};
  }

  static std::set<std::string> structurally_unreachable(const Programme& p) {
    std::set<std::string> seen;
    std::vector<std::string> stack;
    for (const Beginning& b : p.main.beginnings) stack.push_back(b.scene);
    while (!stack.empty()) {
      const std::string id = stack.back();
      stack.pop_back();
      if (!seen.insert(id).second) continue;
      auto it = p.main.scenes.find(id);
      if (it == p.main.scenes.end()) continue;
      for (const Link& l : it->second.next) stack.push_back(l.scene);
      for (const ChoiceOption& o : it->second.choice.options) stack.push_back(o.scene);
    }
    std::set<std::string> out;
    for (const auto& [id, s] : p.main.scenes)
      if (!seen.count(id)) out.insert(id);
    return out;
  }

 private:
  const Programme& p_;
  const PathLimits& limits_;
  ordered_json paths_ = ordered_json::array();
  std::set<std::vector<std::string>> cycles_;
  std::set<std::string> dead_ends_;
  bool truncated_ = false;
  size_t steps_ = 0;

  void finish(const std::vector<std::string>& path) {
    if (paths_.size() >= limits_.max_paths) { truncated_ = true; return; }
    paths_.push_back(path);
  }

  void walk(const std::string& id, ordered_json state, std::vector<std::string>& path) {
    if (truncated_) return;
    if (++steps_ > limits_.max_steps || path.size() >= limits_.max_path_length) {
      truncated_ = true;
      finish(path);
      return;
    }
    auto found = std::find(path.begin(), path.end(), id);
    if (found != path.end()) {  // a cycle: report it and end this path where it would repeat
      std::vector<std::string> cycle(found, path.end());
      cycle.push_back(id);
      cycles_.insert(cycle);
      finish(path);
      return;
    }
    auto it = p_.main.scenes.find(id);
    if (it == p_.main.scenes.end()) { finish(path); return; }
    const Scene& s = it->second;
    path.push_back(id);
    apply_assignments(p_, state, s.set);
    state["path"].push_back(id);
    if (s.choice.present) {
      bool any = false;
      for (const ChoiceOption& o : s.choice.options) {
        if (!holds(o.when, state)) continue;
        any = true;
        ordered_json branch = state;
        apply_assignments(p_, branch, o.set);
        branch["choices"][id] = o.id;
        walk(o.scene, branch, path);
      }
      if (!any) { dead_ends_.insert(id); finish(path); }
    } else {
      std::string next;
      for (const Link& l : s.next)
        if (holds(l.when, state)) { next = l.scene; break; }
      if (next.empty()) {
        if (!s.next.empty()) dead_ends_.insert(id);
        finish(path);
      } else {
        walk(next, state, path);
      }
    }
    path.pop_back();
  }
};

// ---- never-true conditions ---------------------------------------------------------------

void collect_constants(const ordered_json& rule, std::vector<ordered_json>& out, int depth = 0) {
  if (depth > 64 || out.size() > 64) return;
  if (rule.is_array()) for (const auto& e : rule) collect_constants(e, out, depth + 1);
  else if (rule.is_object()) for (auto it = rule.begin(); it != rule.end(); ++it) collect_constants(it.value(), out, depth + 1);
  else if (rule.is_number() || rule.is_string() || rule.is_boolean()) out.push_back(rule);
}

void collect_var_names(const ordered_json& rule, std::set<std::string>& out, bool& opaque, int depth = 0) {
  if (depth > 64) { opaque = true; return; }
  if (rule.is_array()) { for (const auto& e : rule) collect_var_names(e, out, opaque, depth + 1); return; }
  if (!rule.is_object() || rule.size() != 1) return;
  const auto it = rule.begin();
  if (it.key() == "var" || it.key() == "missing" || it.key() == "missing_some") {
    const ordered_json& a = it.value().is_array() && !it.value().empty() ? it.value()[0] : it.value();
    if (it.key() == "var" && a.is_string()) {
      const std::string& s = a.get_ref<const std::string&>();
      out.insert(s.substr(0, s.find('.')));
    } else {
      opaque = true;  // computed paths, missing checks: not analysed
    }
    return;
  }
  if (it.key() == "map" || it.key() == "filter" || it.key() == "reduce" || it.key() == "all" || it.key() == "none" || it.key() == "some") {
    opaque = true;  // element scopes: not analysed
    return;
  }
  collect_var_names(it.value(), out, opaque, depth + 1);
}

std::vector<ordered_json> sample_values(const Variable& v, const std::vector<ordered_json>& constants,
                                        const std::vector<ordered_json>& assigned) {
  std::vector<ordered_json> out;
  auto add = [&](const ordered_json& x) {
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  };
  add(v.default_value);
  for (const auto& a : assigned) add(a);
  switch (v.type) {
    case VariableType::Boolean: add(true); add(false); break;
    case VariableType::String:
      if (!v.values.empty()) { for (const auto& x : v.values) add(x); }
      else { for (const auto& c : constants) if (c.is_string()) add(c); add(""); add("\x01other"); }
      break;
    case VariableType::Number: {
      std::vector<double> points;
      if (v.min) points.push_back(*v.min);
      if (v.max) points.push_back(*v.max);
      if (!v.min) points.push_back(-1e9);
      if (!v.max) points.push_back(1e9);
      for (const auto& c : constants)
        if (c.is_number()) for (double d : {c.get<double>() - 0.5, c.get<double>(), c.get<double>() + 0.5}) points.push_back(d);
      for (const auto& x : v.values) if (x.is_number()) points.push_back(x.get<double>());
      for (double d : points) {
        if ((v.min && d < *v.min) || (v.max && d > *v.max)) continue;
        if (!v.values.empty() && std::find(v.values.begin(), v.values.end(), ordered_json(d)) == v.values.end()) continue;
        add(d);
      }
      break;
    }
    case VariableType::List: add(ordered_json::array()); break;
  }
  return out;
}

}  // namespace

ordered_json enumerate_paths(const Programme& programme, const ordered_json& context, const PathLimits& limits) {
  return PathEnumerator(programme, limits).run(context);
}

void analyse_programme(const Programme& p, Diagnostics& out) {
  const std::set<std::string> unreachable = PathEnumerator::structurally_unreachable(p);
  for (const std::string& id : unreachable)
    out.warning(p.main.scenes.at(id).pointer, "scene \"" + id + "\" cannot be reached from any beginning");

  // Assets used only by unreachable scenes.
  std::set<std::string> used_reachable;
  auto use = [&](const std::vector<Placement>& list) { for (const Placement& pl : list) used_reachable.insert(pl.asset); };
  for (const auto& [id, s] : p.main.scenes) {
    if (unreachable.count(id)) continue;
    use(s.objects);
    for (const Alternative& a : s.alternatives) use(a.objects);
  }
  for (const auto& [gid, g] : p.programmes)
    for (const auto& [id, s] : g.scenes) { use(s.objects); for (const Alternative& a : s.alternatives) use(a.objects); }
  for (const auto& [id, s] : p.main.scenes) {
    if (!unreachable.count(id)) continue;
    for (const Placement& pl : s.objects)
      if (!used_reachable.count(pl.asset) && p.asset(pl.asset))
        out.warning(p.asset(pl.asset)->pointer, "asset \"" + pl.asset + "\" is used only by unreachable scenes");
  }

  // Possible dead ends: every link conditional and no choice.
  for (const auto& [id, s] : p.main.scenes) {
    if (s.choice.present || s.next.empty()) continue;
    const bool fallback = std::any_of(s.next.begin(), s.next.end(), [](const Link& l) { return !l.when.present; });
    if (!fallback) out.info(s.pointer + "/next", "every link of \"" + id + "\" is conditional: if none holds the programme ends here");
  }

  // Never-true conditions, by exhaustive evaluation over sampled declared domains.
  std::map<std::string, std::vector<ordered_json>> assigned;
  auto record = [&](const Assignments& set) { for (const auto& [n, v] : set) assigned[n].push_back(v); };
  std::vector<const Condition*> conditions;
  auto scan_graph = [&](const SceneGraph& g) {
    for (const Beginning& b : g.beginnings) conditions.push_back(&b.when);
    for (const auto& [id, s] : g.scenes) {
      record(s.set);
      for (const Placement& pl : s.objects) conditions.push_back(&pl.when);
      for (const Alternative& a : s.alternatives) {
        conditions.push_back(&a.when);
        for (const Placement& pl : a.objects) conditions.push_back(&pl.when);
      }
      for (const Link& l : s.next) conditions.push_back(&l.when);
      for (const ChoiceOption& o : s.choice.options) { conditions.push_back(&o.when); record(o.set); }
    }
  };
  scan_graph(p.main);
  for (const auto& [gid, g] : p.programmes) scan_graph(g);
  for (const Layout& l : p.layouts) conditions.push_back(&l.when);

  for (const Condition* c : conditions) {
    if (!c->present) continue;
    std::set<std::string> names;
    bool opaque = false;
    const ordered_json source = from_logic_value(c->rule);
    collect_var_names(source, names, opaque);
    if (opaque) continue;
    std::vector<ordered_json> constants;
    collect_constants(source, constants);
    std::vector<std::pair<std::string, std::vector<ordered_json>>> domains;
    size_t combos = 1;
    bool analysable = true;
    for (const std::string& n : names) {
      const Variable* v = p.variable(n);
      if (!v) { analysable = false; break; }  // context keys without declarations: unknown domain
      auto values = sample_values(*v, constants, assigned[n]);
      combos *= values.size();
      if (combos > 4096) { analysable = false; break; }
      domains.emplace_back(n, std::move(values));
    }
    if (!analysable) continue;
    bool ever = false;
    std::vector<size_t> index(domains.size(), 0);
    for (size_t k = 0; k < combos && !ever; ++k) {
      ordered_json state = ordered_json::object();
      size_t rest = k;
      for (size_t d = 0; d < domains.size(); ++d) {
        state[domains[d].first] = domains[d].second[rest % domains[d].second.size()];
        rest /= domains[d].second.size();
      }
      ever = holds(*c, state);
    }
    if (!ever)
      out.warning(c->pointer, "this condition is never true for the declared values of " +
                                  (names.empty() ? std::string("(no variables)") : [&] {
                                    std::string s;
                                    for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
                                    return s;
                                  }()));
  }
}

}  // namespace tessera
