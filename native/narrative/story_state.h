// The values conditions see: declared variables from their defaults and the viewer's context,
// then story `set`s. Resolution and path enumeration both start here, so they read a context the
// same way (a value that does not fit its variable falls back to the default, with a warning).
#pragma once

#include <string>
#include <vector>

#include "programme/programme.h"

namespace tessera {

struct StoryState {
  ordered_json values = ordered_json::object();   // variable names and context keys → values
  ordered_json choices = ordered_json::object();  // scene id → option id taken
  std::vector<std::string> warnings;
};

StoryState initial_story_state(const Programme& programme, const ordered_json& context);

// A scene's or option's `set`: the variable, and the context key it is bound to, take the value.
void apply_assignments(const Programme& programme, ordered_json& values, const Assignments& set);

}  // namespace tessera
