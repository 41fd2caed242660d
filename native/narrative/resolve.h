// Resolution: programme + viewer context → plan. The plan is what plays, when, where and how
// loud, and why: every decision carries the condition (pointer and rule), its result and the
// values it read. Re-resolution after a context change keeps the position and reports only
// what changed. Output is JSON (ordered, deterministic) so every host reads the same plan.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "programme/programme.h"

namespace tessera {

struct ResolveLimits {
  size_t max_path_scenes = 1000;  // a longer path (a loop) is cut and reported as truncated
  int max_subprogramme_depth = 8;
  uint64_t max_logic_steps = 100000;  // per condition
};

struct PlanState;  // narrative/plan.h

// A resolved plan: what the walk decided, kept as data (pointers into the Programme, which must
// outlive it). json() writes it (docs/programme-format.md, "The plan"); a re-resolution starts
// from it. Writing is separate from deciding because the plan's explanations are large (every
// condition with the values it read) and a player re-resolving mid-play needs only the changes.
struct ResolvedPlan {
  std::shared_ptr<const PlanState> state;
  std::string json() const;
};

// `context` is an object: viewer-context keys (language, captions, timeAvailable, …) and/or
// variable names, plus "choices": { sceneId: optionId } for choices already made.
ResolvedPlan resolve(const Programme& programme, const ordered_json& context, const ResolveLimits& limits = {});

// Re-resolves at `position` (seconds) after a context change: scenes up to and including the one
// playing keep their place and timing; what follows is resolved afresh. The changes are kept as
// data too; changes_json() writes { position, added, removed, changed, layoutChanged,
// pathChanged, duration }.
struct ChangeSet;  // internal to resolve.cpp
struct Reresolution {
  ResolvedPlan plan;
  std::shared_ptr<const ChangeSet> changes;
  std::string changes_json() const;
};
Reresolution reresolve(const Programme& programme, const ResolvedPlan& previous, const ordered_json& context,
                       double position, const ResolveLimits& limits = {});

// DOM conveniences for tests and tools (parse the JSON text).
ordered_json resolve_plan(const Programme& programme, const ordered_json& context, const ResolveLimits& limits = {});

}  // namespace tessera
