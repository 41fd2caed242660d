// Caption ink: the coverage masks captions are drawn through. Glyphs are rendered into an 8-bit
// mask (with synthetic bold and oblique), edge effects are morphology on that mask (a max filter
// for outlines, shifted copies for shadows), and a mask is blended onto the picture in one colour.
// Integer work only, so every build draws the same bytes. Shared by the WebVTT/SRT renderer
// (render.cpp) and the TTML renderer (ttml_render.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "captions/caption_text.h"
#include "raster/rect.h"
#include "raster/surface.h"

namespace tessera::captions {

// An 8-bit coverage mask over a rectangle of the surface.
struct Mask {
  RectI rect;
  std::vector<uint8_t> a;
  void reset(const RectI& r) {
    rect = r;
    a.assign(static_cast<size_t>(std::max(0, r.width)) * static_cast<size_t>(std::max(0, r.height)), 0);
  }
  uint8_t* row(int y) { return a.data() + static_cast<size_t>(y - rect.y) * static_cast<size_t>(rect.width); }
  const uint8_t* row(int y) const {
    return a.data() + static_cast<size_t>(y - rect.y) * static_cast<size_t>(rect.width);
  }
};

// The colour with its alpha multiplied by opacity / 255.
Rgba with_opacity(Rgba c, uint8_t opacity);
bool same(Rgba a, Rgba b);

// d[i] = max(d[i], s[i]) for n bytes.
void max_into(uint8_t* d, const uint8_t* s, int n);

// A glyph's coverage into a mask (max with what is there) with its pen at `pen` (pixels, sub-pixel)
// on `baseline`, at the glyph's own em (CaptionGlyph::em) or else `em`; `bold` is the synthetic
// emboldening width; `acc` is scratch. Hidden glyphs and spaces put nothing.
void put_glyph(Mask& mask, const CaptionGlyph& g, double pen, int baseline, float em, int bold,
               std::vector<uint32_t>& acc);

// A glyph of vertical text (CaptionGlyph::orient) into a mask: its cell starts `pen_y` pixels down
// (sub-pixel) in a column centred on `centre_x`. Upright glyphs stand centred in the column, in an
// em-high cell; sideways ones are turned 90° clockwise about the column's
// centre line (their ascent and descent centred on it). No synthetic bold or oblique.
void put_glyph_vertical(Mask& mask, const CaptionGlyph& g, double pen_y, double centre_x);

// Max filter of radius r (a square): an outline r pixels wide around the ink.
void dilate(const Mask& in, Mask& out, int r, std::vector<uint8_t>& tmp);

// The mask moved by each (k * dx, k * dy) for k = 1..steps, combined by max.
void shifted(const Mask& in, Mask& out, int dx, int dy, int steps);

// Edges, in the edge colour under the text, e pixels wide (caption_edge_pixels): Outline, the
// glyphs' coverage dilated by a square max filter of radius e; DropShadow, the coverage moved
// (e, e); Raised, the coverage extruded down-right 1..e pixels; Depressed, extruded up-left.
enum class CaptionEdge { None, Outline, DropShadow, Raised, Depressed };

// The edge effect of the ink in `ink`, e pixels, blended in `colour`; `effect` and `tmp` are scratch.
void draw_edge(Surface& surface, const Mask& ink, CaptionEdge edge, int e, Rgba colour, Mask& effect,
               std::vector<uint8_t>& tmp);

// Blends `colour` onto the surface through the mask (coverage 0 leaves a pixel untouched).
void blend_mask(Surface& surface, const Mask& mask, Rgba colour);

}  // namespace tessera::captions
