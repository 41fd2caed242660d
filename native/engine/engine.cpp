#include "engine/engine.h"

#include "raster/png.h"
#include "testcard/test_card.h"

namespace tessera {

bool Engine::add_font(const std::string& name, std::vector<uint8_t> bytes) {
  std::string error;
  std::unique_ptr<Font> font = Font::load(std::move(bytes), &error);
  if (!font) {
    last_error_ = "font '" + name + "': " + error;
    return false;
  }
  fonts_[name] = std::move(font);
  return true;
}

bool Engine::prepare_frame(int width, int height) {
  if (width <= 0 || height <= 0 || width > kMaxFrameDimension || height > kMaxFrameDimension) {
    last_error_ = "frame size " + std::to_string(width) + "x" + std::to_string(height) + " is outside 1.." +
                  std::to_string(kMaxFrameDimension);
    return false;
  }
  if (frame_.width() != width || frame_.height() != height) frame_.resize(width, height);
  return true;
}

bool Engine::render_test_card(int width, int height, const std::string& font_name) {
  auto it = fonts_.find(font_name);
  if (it == fonts_.end()) {
    last_error_ = "no font named '" + font_name + "' has been added";
    return false;
  }
  if (!prepare_frame(width, height)) return false;
  tessera::render_test_card(frame_, *it->second);
  return true;
}

std::vector<uint8_t> Engine::frame_png() const { return encode_png(frame_); }

}  // namespace tessera
