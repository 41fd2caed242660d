// Engine: the object the host (browser worker, Node CLI, native tools) talks to. It owns the
// fonts and the output frame; bindings/ wraps it for JavaScript, tools/ use it directly.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "raster/surface.h"
#include "text/font.h"

namespace tessera {

class Engine {
 public:
  static constexpr int kMaxFrameDimension = 8192;

  // Registers a font under `name`, replacing any font of that name. On failure returns false and
  // leaves a message in last_error().
  bool add_font(const std::string& name, std::vector<uint8_t> bytes);
  bool has_font(const std::string& name) const { return fonts_.count(name) != 0; }

  // Draws the test card into the output frame with the named font.
  bool render_test_card(int width, int height, const std::string& font_name);

  const Surface& frame() const { return frame_; }
  std::vector<uint8_t> frame_png() const;
  const std::string& last_error() const { return last_error_; }

 private:
  bool prepare_frame(int width, int height);

  std::map<std::string, std::unique_ptr<Font>> fonts_;
  Surface frame_;
  std::string last_error_;
};

}  // namespace tessera
