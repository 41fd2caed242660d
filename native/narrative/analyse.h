// Producer analyses over a programme: narrative path enumeration (branching at every viewer
// choice, following conditions under a context; bounded, with cycles reported), reachability of
// scenes and assets, dead ends, and conditions that can never be true for the declared
// variable domains.
#pragma once

#include "programme/programme.h"

namespace tessera {

struct PathLimits {
  size_t max_paths = 1000;
  size_t max_path_length = 500;
  size_t max_steps = 200000;  // scene visits over the whole enumeration
};

// { "paths": [[sceneId…]…], "truncated": bool, "cycles": [[sceneId…]…], "unreachable": [...],
//   "deadEnds": [...] } — the `tessera paths --json` contract.
ordered_json enumerate_paths(const Programme& programme, const ordered_json& context, const PathLimits& limits = {});

// Diagnostics that need the whole programme: unreachable scenes and assets, possible dead ends,
// never-true conditions. Appended to `out`.
void analyse_programme(const Programme& programme, Diagnostics& out);

}  // namespace tessera
