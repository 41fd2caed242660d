// JSONLogic (jsonlogic.com) evaluated in the engine with exactly the results of json-logic-js
// 2.0.5, its reference implementation: the same operations, the same JavaScript coercions and
// the same errors. Rules and data are untrusted: every evaluation runs under Limits and fails
// with an error (message + JSON pointer into the rule) instead of crashing or hanging.
// See docs/json-logic.md for the semantics notes.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "logic/js_value.h"

namespace tessera::logic {

struct ParseResult {
  bool ok = false;
  Value value;
  std::string error;
};

// JSON text → Value, keeping what JSON.parse keeps: -0, the last of duplicate keys (at the
// first one's position), key order. Nesting deeper than max_depth fails. Strings must be valid
// UTF-8; escaped unpaired surrogates ("\ud800") are rejected (JSON.parse would accept them).
ParseResult parse_json(std::string_view text, uint32_t max_depth);

struct EvalResult {
  bool ok = false;
  Value value;          // may be undefined, NaN or Infinity: to_json maps them to null
  std::string error;    // json-logic-js's message where it has one ("Unrecognized operation x")
  std::string pointer;  // RFC 6901 pointer to the rule node that failed ("" = the whole rule)
};

// Receives the argument of every "log" operation (json-logic-js calls console.log).
struct LogSink {
  void (*write)(void* user, const Value& value) = nullptr;
  void* user = nullptr;
};

// A rule compiled once (operations resolved, var paths split, constant arrays built) for many
// evaluations. Immutable: one Program may be evaluated from several threads at once. Compiling
// never fails; errors (unknown operations included) are reported by evaluate, as json-logic-js
// reports them when it meets them.
class Program {
 public:
  struct Impl;  // the compiled nodes (json_logic.cpp)
  explicit Program(std::unique_ptr<Impl> impl);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};
std::shared_ptr<const Program> compile(const Value& rule);
EvalResult evaluate(const Program& program, const Value& data, const Limits& limits = {}, LogSink log = {});

// compile + evaluate: the same results (values, errors, pointers, limits) as the two steps.
EvalResult evaluate(const Value& rule, const Value& data, const Limits& limits = {}, LogSink log = {});
// For callers holding nlohmann documents. nlohmann stores "-0" as the integer 0, so a DOM
// cannot carry -0 (parse_json and evaluate_json can).
EvalResult evaluate(const nlohmann::ordered_json& rule, const nlohmann::ordered_json& data,
                    const Limits& limits = {}, LogSink log = {});

struct JsonResult {
  bool ok = false;
  std::string json;     // the result as JSON.stringify would write it (undefined → null)
  std::string error;
  std::string pointer;
};

// Text in, text out: parses both documents, evaluates, serializes.
JsonResult evaluate_json(std::string_view rule, std::string_view data, const Limits& limits = {},
                         LogSink log = {});

// {"ok":true,"value":...} or {"ok":false,"error":"...","pointer":"/..."}: the wasm boundary's reply.
std::string to_envelope(const JsonResult& result);

}  // namespace tessera::logic
