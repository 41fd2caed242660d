// libFuzzer target for the programme parser, validator, analyses, resolution and path
// enumeration: the input is programme JSON text. Any crash, sanitizer report, hang or
// out-of-memory is a bug. Seeds: native/fuzz/corpus/programme/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "narrative/analyse.h"
#include "narrative/resolve.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  tessera::ProgrammeLimits limits;
  limits.max_bytes = 1u << 20;
  tessera::ParsedProgramme parsed = tessera::parse_programme(text, limits);
  if (!parsed.ok) return 0;
  tessera::analyse_programme(parsed.programme, parsed.diagnostics);
  tessera::ResolveLimits resolve_limits;
  resolve_limits.max_path_scenes = 200;
  resolve_limits.max_logic_steps = 5000;
  const tessera::ResolvedPlan plan = tessera::resolve(parsed.programme, tessera::ordered_json::object(), resolve_limits);
  tessera::reresolve(parsed.programme, plan, {{"signLanguage", true}, {"timeAvailable", 5}}, 1.0, resolve_limits);
  tessera::PathLimits path_limits;
  path_limits.max_paths = 50;
  path_limits.max_steps = 5000;
  tessera::enumerate_paths(parsed.programme, tessera::ordered_json::object(), path_limits);
  return 0;
}
