// Text layout: UTF-8 → positioned glyphs in lines, for graphics text and (later) captions.
// Greedy line breaking at spaces, after hyphens and between CJK ideographs; kerning; left, centre
// or right alignment; line height; a maximum line count with an ellipsis. Layout happens in the
// caller's units (e.g. a graphic's design units) so line breaks do not depend on the output size;
// drawing scales the result into pixels.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "raster/rect.h"
#include "raster/surface.h"
#include "text/font.h"

namespace tessera {

struct TextStyle {
  float size = 16.0f;         // CSS-style font size (the em square), in layout units
  float line_height = 1.2f;   // multiple of size; ≤ 0 = the font's own ascent + descent + gap
  TextAlign align = TextAlign::Left;
  float box_width = 0.0f;     // > 0: lines break to fit and align inside it; 0: only explicit newlines
  int max_lines = 0;          // > 0: text beyond this many lines is cut and the last line ends in "…"
};

struct PositionedGlyph {
  char32_t codepoint = 0;
  int glyph = 0;        // font glyph index
  float x = 0.0f;       // pen position from the line's left edge
  float advance = 0.0f;
};

struct TextLine {
  std::vector<PositionedGlyph> glyphs;
  float x = 0.0f;         // left edge after alignment: from the box's left edge, or from the anchor
                          // (0 = left, −width/2 = centre, −width = right) when there is no box
  float baseline = 0.0f;  // from the top of the text block
  float width = 0.0f;     // advance width, trailing spaces excluded
  bool ellipsis = false;  // ends with the ellipsis added by max_lines
};

struct TextLayout {
  std::vector<TextLine> lines;
  float scale = 0.0f;        // font units → layout units
  float ascent = 0.0f, descent = 0.0f;
  float line_height = 0.0f;  // distance between baselines
  float width = 0.0f;        // widest line
  float height = 0.0f;       // lines × line height
  bool truncated = false;    // max_lines cut some text
};

// Text longer than this many code points is cut before layout (untrusted input).
constexpr size_t kMaxLayoutCodepoints = 20000;

TextLayout layout_text(const Font& font, std::string_view utf8, const TextStyle& style);

// Draws a layout with its top-left (the box's left edge, or the anchor) at (x, y) in pixels,
// `scale` pixels per layout unit, glyphs positioned to sub-pixel precision, clipped to `clip`.
void draw_text_layout(Surface& surface, const Font& font, const TextLayout& layout, double x, double y, double scale,
                      Rgba colour, const RectI& clip);

}  // namespace tessera
