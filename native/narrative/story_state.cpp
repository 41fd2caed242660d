#include "narrative/story_state.h"

namespace tessera {

StoryState initial_story_state(const Programme& programme, const ordered_json& context_in) {
  static const ordered_json kEmpty = ordered_json::object();
  const ordered_json& context = context_in.is_object() ? context_in : kEmpty;
  StoryState state;
  for (const Variable& v : programme.variables) {
    ordered_json value = v.default_value;
    bool from_context = false;
    if (!v.context.empty() && context.contains(v.context)) { value = context[v.context]; from_context = true; }
    if (context.contains(v.name)) { value = context[v.name]; from_context = true; }
    if (from_context) {
      const std::string problem = variable_value_problem(v, value);
      if (!problem.empty()) {
        state.warnings.push_back("context: " + problem + "; the default " + v.default_value.dump() + " is used");
        value = v.default_value;
      }
    }
    state.values[v.name] = value;
    if (!v.context.empty()) state.values[v.context] = value;
  }
  // Context keys the programme did not declare are still visible to conditions.
  for (auto it = context.begin(); it != context.end(); ++it)
    if (it.key() != "choices" && it.key() != "path" && !state.values.contains(it.key())) state.values[it.key()] = it.value();
  if (context.contains("choices") && context["choices"].is_object()) state.choices = context["choices"];
  return state;
}

void apply_assignments(const Programme& programme, ordered_json& values, const Assignments& set) {
  for (const auto& [name, value] : set) {
    values[name] = value;
    if (const Variable* v = programme.variable(name); v && !v->context.empty()) values[v->context] = value;
  }
}

}  // namespace tessera
