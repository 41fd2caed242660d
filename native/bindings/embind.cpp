// The only code that knows about JavaScript: exposes tessera::Engine through embind.
// Hand-written TypeScript declarations for this surface live in
// src/engine/generated/tessera-engine.d.mts; keep the two in step.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>

#include "engine/benchmarks.h"
#include "engine/engine.h"
#include "logic/json_logic.h"

using emscripten::val;

namespace {

std::vector<uint8_t> bytes_from_js(const val& array) {
  return emscripten::convertJSArrayToNumberVector<uint8_t>(array);
}

bool add_font(tessera::Engine& engine, const std::string& name, const val& bytes) {
  return engine.add_font(name, bytes_from_js(bytes));
}

// A fresh view each call: views must never outlive a memory growth, so JS never caches them.
val frame_view(const tessera::Engine& engine) {
  const tessera::Surface& frame = engine.frame();
  return val(emscripten::typed_memory_view(frame.byte_size(), frame.data()));
}

// Returns a JS-owned copy (the PNG is small and the caller keeps it).
val frame_png(const tessera::Engine& engine) {
  const std::vector<uint8_t> png = engine.frame_png();
  val view(emscripten::typed_memory_view(png.size(), png.data()));
  return val::global("Uint8Array").new_(view);
}

int frame_width(const tessera::Engine& engine) { return engine.frame().width(); }
int frame_height(const tessera::Engine& engine) { return engine.frame().height(); }
std::string last_error(const tessera::Engine& engine) { return engine.last_error(); }

double heap_bytes() { return static_cast<double>(emscripten_get_heap_size()); }

// JSONLogic: JSON text in, {"ok":true,"value":...} or {"ok":false,"error":...,"pointer":...} out.
std::string evaluate_logic(const std::string& rule, const std::string& data) {
  return tessera::logic::to_envelope(tessera::logic::evaluate_json(rule, data));
}

// Programmes: JSON text in, JSON text out (see Engine in native/engine/engine.h).
std::string load_programme(tessera::Engine& engine, const std::string& text) { return engine.load_programme(text); }
std::string resolve(tessera::Engine& engine, const std::string& context) { return engine.resolve(context); }
std::string reresolve(tessera::Engine& engine, const std::string& context, double position) {
  return engine.reresolve(context, position);
}
std::string paths(tessera::Engine& engine, const std::string& context) { return engine.paths(context); }

// For `npm run bench` only: the same timing loops as tessera-native.
std::string run_benchmark(tessera::Engine& engine, const std::string& request) { return tessera::run_benchmark(engine, request); }

}  // namespace

EMSCRIPTEN_BINDINGS(tessera_engine) {
  emscripten::class_<tessera::Engine>("Engine")
      .constructor<>()
      .function("addFont", &add_font)
      .function("hasFont", &tessera::Engine::has_font)
      .function("renderTestCard", &tessera::Engine::render_test_card)
      .function("frameWidth", &frame_width)
      .function("frameHeight", &frame_height)
      .function("frameView", &frame_view)
      .function("framePng", &frame_png)
      .function("lastError", &last_error)
      .function("loadProgramme", &load_programme)
      .function("hasProgramme", &tessera::Engine::has_programme)
      .function("resolve", &resolve)
      .function("reresolve", &reresolve)
      .function("paths", &paths)
      .function("runBenchmark", &run_benchmark);
  emscripten::function("heapBytes", &heap_bytes);
  emscripten::function("evaluateLogic", &evaluate_logic);
}
