#include "engine/benchmarks.h"

#include <chrono>
#include <vector>

#include "engine/engine.h"
#include "logic/json_logic.h"
#include "narrative/analyse.h"
#include "narrative/resolve.h"

namespace tessera {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string reply_error(const std::string& message) {
  return ordered_json({{"ok", false}, {"error", message}}).dump();
}
}  // namespace

std::string run_benchmark(Engine& engine, std::string_view request_json) {
  const ordered_json request = ordered_json::parse(request_json, nullptr, false);
  if (request.is_discarded() || !request.is_object()) return reply_error("benchmark request must be a JSON object");
  const std::string kind = request.value("kind", "");
  const int runs = std::max(1, request.value("runs", 30));
  std::vector<double> samples;
  samples.reserve(static_cast<size_t>(runs));
  auto measure = [&](auto&& once) {
    once();  // warm-up
    for (int r = 0; r < runs; ++r) {
      const auto t0 = Clock::now();
      once();
      samples.push_back(ms_since(t0));
    }
  };

  if (kind == "test-card") {
    const int w = request.value("width", 1280), h = request.value("height", 720);
    if (!engine.has_font("sans")) return reply_error("add a font named sans first");
    measure([&] { engine.render_test_card(w, h, "sans"); });
  } else if (kind == "parse" || kind == "validate" || kind == "resolve" || kind == "reresolve" || kind == "plan-json" ||
             kind == "changes-json") {
    const std::string text = request.value("programme", "");
    ParsedProgramme parsed = parse_programme(text);
    if (!parsed.ok) return reply_error("the benchmark programme is invalid");
    const ordered_json context = request.value("context", ordered_json::object());
    if (kind == "parse") {
      measure([&] { parse_programme(text); });
    } else if (kind == "validate") {
      measure([&] {
        ParsedProgramme p = parse_programme(text);
        analyse_programme(p.programme, p.diagnostics);
      });
    } else if (kind == "resolve") {
      measure([&] { resolve(parsed.programme, context); });
    } else if (kind == "plan-json") {
      const ResolvedPlan plan = resolve(parsed.programme, context);
      measure([&] { plan.json(); });
    } else {
      const ResolvedPlan plan = resolve(parsed.programme, context);
      const ordered_json then = request.value("then", ordered_json::object());
      const double position = request.value("position", 0.0);
      if (kind == "reresolve") {
        measure([&] { reresolve(parsed.programme, plan, then, position); });
      } else {
        const Reresolution r = reresolve(parsed.programme, plan, then, position);
        measure([&] { r.changes_json(); });
      }
    }
  } else if (kind == "logic") {
    const logic::Value rule = to_logic_value(request.value("rule", ordered_json(nullptr)));
    const logic::Value data = to_logic_value(request.value("data", ordered_json(nullptr)));
    const int batch = std::max(1, request.value("batch", 10000));
    // Compiled once, as the engine does for programme conditions; only evaluation is timed.
    const std::shared_ptr<const logic::Program> program = logic::compile(rule);
    bool ok = true;
    measure([&] {
      for (int i = 0; i < batch; ++i) ok = logic::evaluate(*program, data).ok && ok;
    });
    if (!ok) return reply_error("the benchmark rule failed to evaluate");
    for (double& s : samples) s /= batch;
  } else {
    return reply_error("unknown benchmark kind '" + kind + "'");
  }
  return ordered_json({{"ok", true}, {"unit", "ms"}, {"samples", samples}}).dump();
}

}  // namespace tessera
