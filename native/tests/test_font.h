// Shared by native tests: loads the committed UI font from public/fonts.
#pragma once

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

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

}  // namespace tessera::testing
