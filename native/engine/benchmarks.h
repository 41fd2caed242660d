// Benchmark loops shared by every host (tessera-native and the wasm binding), so native and wasm
// numbers time exactly the same code. Only `npm run bench` and tessera-native use them.
#pragma once

#include <string>
#include <string_view>

namespace tessera {

// request: {"kind": "test-card"|"parse"|"validate"|"resolve"|"reresolve"|"logic", "runs": N,
//           "programme": text, "context": {...}, "then": {...}, "position": s,
//           "rule": …, "data": …, "batch": N (logic: evaluations per sample),
//           "font": (test-card: the engine must already hold a font named "sans"), "width", "height"}
// reply: {"ok":true,"unit":"ms","samples":[…]} (logic: ms per evaluation) | {"ok":false,"error"}
class Engine;
std::string run_benchmark(Engine& engine, std::string_view request_json);

}  // namespace tessera
