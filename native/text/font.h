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

// A glyph's coverage mask, placed relative to the integer pixel of its pen origin (y grows down
// from the baseline, so x0/y0 are usually ≤ 0 above the baseline).
struct GlyphBitmap {
  int x0 = 0, y0 = 0;
  int width = 0, height = 0;
  std::vector<uint8_t> coverage;  // width × height, row-major, 0..255
};

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

  // Glyph-level access for text layout (text/layout.h). A `scale` converts font units to pixels;
  // advances and kerning are computed exactly as measure() and draw() compute them.
  float scale_for_em(float em_pixels) const;             // CSS-style font size (the em square)
  float scale_for_pixel_height(float pixel_size) const;  // the size measure() and draw() take
  int glyph_index(char32_t codepoint) const;             // 0 = not in the font (.notdef)
  float glyph_advance(int glyph, float scale) const;
  float kerning(int left_glyph, int right_glyph, float scale) const;
  TextMetrics vertical_metrics(float scale) const;       // ascent, descent, line gap; width 0
  // Rasterises a glyph whose pen origin lies shift_x, shift_y (each in [0, 1)) past an integer
  // pixel. `out` is left empty for blank glyphs and for masks larger than kMaxGlyphSide.
  static constexpr int kMaxGlyphSide = 4096;
  void rasterize_glyph(int glyph, float scale, float shift_x, float shift_y, GlyphBitmap* out) const;
  // rasterize_glyph's result through a cache of the glyphs drawn recently (text redrawn at the
  // same size and sub-pixel position, e.g. a caption line on every frame, is rasterised once):
  // the same mask, bit for bit. The reference is valid until the next call on this font, which
  // makes a Font, while it draws, usable from one thread at a time.
  const GlyphBitmap& cached_glyph(int glyph, float scale, float shift_x, float shift_y) const;
  // The cache's bounds: past either, it starts again empty.
  static constexpr size_t kGlyphCacheEntries = 4096;
  static constexpr size_t kGlyphCacheBytes = size_t{8} << 20;

 private:
  Font();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
