// libFuzzer target for the JSONLogic evaluator: the input is a rule and data, split at the first
// NUL or newline (no separator: the whole input is the rule and the data is null). Evaluation
// runs under reduced limits so each input finishes quickly; any crash, sanitizer report, hang or
// out-of-memory is a bug. Seeds: native/fuzz/corpus/json_logic/.
#include <cstddef>
#include <cstdint>
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
  return 0;
}
