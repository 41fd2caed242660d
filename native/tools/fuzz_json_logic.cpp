// libFuzzer target for the JSONLogic evaluator: the input is a rule and data, split at the first
// NUL or newline (no separator: the whole input is the rule and the data is null). Evaluation
// runs under reduced limits so each input finishes quickly; any crash, sanitizer report, hang or
// out-of-memory is a bug, and so is a compiled program (compile once, evaluate twice) whose
// result, error or pointer differs from the text-in, text-out path's. Seeds:
// native/fuzz/corpus/json_logic/.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "logic/json_logic.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  size_t split = input.find_first_of(std::string_view("\0\n", 2));
  std::string_view rule = input;
  std::string_view data = "null";
  if (split != std::string_view::npos) {
    rule = input.substr(0, split);
    data = input.substr(split + 1);
  }
  tessera::logic::Limits limits;
  limits.max_steps = 20'000;
  limits.max_string_length = 100'000;
  limits.max_array_length = 10'000;
  limits.max_allocation_bytes = 8u << 20;
  limits.max_result_bytes = 1u << 20;
  const tessera::logic::JsonResult result = tessera::logic::evaluate_json(rule, data, limits);
  if (result.ok) {
    // The result must be JSON the engine can read back, except for escaped unpaired surrogates
    // ("\udc00", from substr cutting a pair), which JSON.parse accepts and nlohmann does not.
    const tessera::logic::ParseResult back = tessera::logic::parse_json(result.json, limits.max_json_depth + 1);
    if (!back.ok && result.json.find("\\ud") == std::string::npos) __builtin_trap();
  }
  (void)tessera::logic::to_envelope(result);

  // The compiled path: compile once, evaluate twice; both must equal evaluate_json's answer.
  if (rule.size() > limits.max_input_bytes || data.size() > limits.max_input_bytes) return 0;
  const tessera::logic::ParseResult parsed_rule = tessera::logic::parse_json(rule, limits.max_json_depth);
  const tessera::logic::ParseResult parsed_data = tessera::logic::parse_json(data, limits.max_json_depth);
  if (!parsed_rule.ok || !parsed_data.ok) return 0;
  const std::shared_ptr<const tessera::logic::Program> program = tessera::logic::compile(parsed_rule.value);
  for (int round = 0; round < 2; ++round) {
    const tessera::logic::EvalResult evaluated = tessera::logic::evaluate(*program, parsed_data.value, limits);
    std::string json;
    std::string error = evaluated.error;
    bool ok = evaluated.ok;
    if (ok) {
      tessera::logic::Budget budget(limits);
      ok = tessera::logic::to_json(evaluated.value, json, budget);
      if (!ok) error = budget.error();
    }
    const std::string pointer = evaluated.ok ? std::string() : evaluated.pointer;
    if (ok != result.ok || (ok && json != result.json) || error != result.error || pointer != result.pointer) {
      __builtin_trap();
    }
  }
  return 0;
}
