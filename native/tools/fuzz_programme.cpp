// libFuzzer target for the programme parser, validator, analyses, resolution and path
// enumeration: the input is programme JSON text. Any crash, sanitizer report, hang or
// out-of-memory is a bug. Seeds: native/fuzz/corpus/programme/.
// It also checks the engine's JSON reader against nlohmann's: both must accept the same texts
// and read the same values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <cstdlib>

#include "narrative/analyse.h"
#include "narrative/resolve.h"
#include "programme/json_doc.h"

namespace {
// Same value, numbers compared as doubles (the reader keeps JavaScript's doubles).
bool same(tessera::JsonView a, const tessera::ordered_json& b) {
  if (b.is_number()) return a.is_number() && a.number() == b.get<double>();
  if (b.is_string()) return a.is_string() && a.string() == b.get_ref<const std::string&>();
  if (b.is_boolean()) return a.is_boolean() && a.boolean() == b.get<bool>();
  if (b.is_null()) return a.is_null();
  if (a.size() != b.size()) return false;
  if (b.is_array()) {
    if (!a.is_array()) return false;
    for (size_t i = 0; i < b.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  if (!a.is_object()) return false;
  size_t i = 0;
  for (auto it = b.begin(); it != b.end(); ++it, ++i)
    if (a.key(i) != it.key() || !same(a[i], it.value())) return false;
  return true;
}

void check_reader(std::string_view text) {
  // nlohmann's lexer takes a NUL byte for the end of the input (and would accept "1\0junk");
  // JSON.parse, and the engine, refuse it. Texts with NULs are compared with nothing.
  if (text.find('\0') != std::string_view::npos) return;
  const tessera::JsonDoc doc(text, 100000);
  const tessera::ordered_json reference = tessera::ordered_json::parse(text, nullptr, false);
  const bool nlohmann_ok = !reference.is_discarded();
  if (doc.ok() != nlohmann_ok || (doc.ok() && !same(doc.root(), reference))) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  check_reader(text);
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
