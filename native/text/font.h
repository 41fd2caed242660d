// Font: a TrueType font the engine owns (bytes handed in by the host, never a system font), and
// text drawing with kerning and sub-pixel horizontal positioning through stb_truetype.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "raster/surface.h"

namespace tessera {

enum class TextAlign { Left, Centre, Right };

struct TextMetrics {
  float width = 0;    // advance width in pixels, including kerning
  float ascent = 0;   // pixels above the baseline
  float descent = 0;  // pixels below the baseline (positive)
  float line_gap = 0;
};

class Font {
 public:
  // Fonts are untrusted input: sizes are bounded and the table directory is checked before use.
  static constexpr size_t kMaxBytes = 32u << 20;

  // Returns nullptr and sets `error` when the bytes are not a usable TrueType/OpenType font.
  static std::unique_ptr<Font> load(std::vector<uint8_t> bytes, std::string* error);
  ~Font();
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  TextMetrics measure(std::string_view utf8, float pixel_size) const;
  // Draws one line of text with its baseline at y; x is the left edge, centre or right edge
  // depending on `align`. Returns the metrics of what was drawn.
  TextMetrics draw(Surface& surface, std::string_view utf8, float pixel_size, float x, float y, TextAlign align,
                   Rgba colour) const;
  bool has_glyph(char32_t codepoint) const;

 private:
  Font();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
