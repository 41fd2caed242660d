// Shared by native tests: the committed UI font from public/fonts, and the golden hashes.
#pragma once

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "text/font.h"

namespace tessera::testing {

inline std::vector<uint8_t> read_repo_file(const std::string& relative) {
  std::ifstream in(std::string(TESSERA_SOURCE_DIR) + "/" + relative, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::unique_ptr<Font> load_test_font() {
  std::string error;
  return Font::load(read_repo_file("public/fonts/DejaVuSans.ttf"), &error);
}

// The expected SHA-256 of a reference frame, from src/engine/golden.json (the one home of
// expected hashes, shared with the wasm tests in Node and the browsers).
inline std::string golden_sha256(const std::string& name) {
  const std::vector<uint8_t> bytes = read_repo_file("src/engine/golden.json");
  const nlohmann::json golden = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (!golden.is_object() || !golden.contains(name)) return "(missing from golden.json: " + name + ")";
  return golden[name].value("sha256", "");
}

}  // namespace tessera::testing
