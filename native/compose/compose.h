// Composition: drawing pictures (premultiplied RGBA, or I420 video converted on the fly) into the
// output Surface, scaled, with opacity, by premultiplied source-over with exact div255; colour
// fills; and the opacities of transitions, which are compositions too (a crossfade draws B over A
// at an opacity, a dip to colour fills the colour over the picture at an opacity).
//
// Blend of a premultiplied source pixel s (alpha sa) at opacity o onto destination d, per channel:
//   out = div255(s * o + d * (255 - div255(sa * o)))
// which is s + d * (1 - sa) rounded once, exact at o = 255 (out = s + div255(d * (255 - sa))),
// leaves d unchanged at o = 0, and keeps colour <= alpha.
#pragma once

#include <cstdint>
#include <vector>

#include "compose/scale.h"
#include "raster/surface.h"
#include "video/yuv.h"

namespace tessera {

inline RgbaView view_of(const Surface& surface) {
  return {surface.data(), surface.width(), surface.height(), surface.width() * 4};
}

// Draws pictures into surfaces. Holds scratch buffers between draws (use one per output, not
// shared between threads).
class Compositor {
 public:
  // Draws src_rect of a premultiplied RGBA picture into dst_rect of `out` (clipped to `out`),
  // scaled to fit it exactly, at `opacity`.
  void draw(Surface& out, const RgbaView& src, RectF src_rect, RectI dst_rect, uint8_t opacity = 255);
  // The same for an I420 frame, converted with libyuv's formulas (video/yuv.h) as it is read: only
  // the rows and columns the drawing needs are converted. When the frame fills dst_rect 1:1 at
  // opacity 255 the conversion writes straight into the output.
  void draw(Surface& out, const I420View& src, RectF src_rect, RectI dst_rect, uint8_t opacity = 255);

 private:
  Resampler resampler_;
  std::vector<uint8_t> blend_row_;
};

// A whole I420 frame converted once (a cached RGBA copy to draw from several times).
void convert_to_surface(const I420View& src, Surface& out);

// Fills rect (clipped) with a straight colour at `opacity` (colour.a and opacity multiply).
void fill(Surface& out, RectI rect, Rgba colour, uint8_t opacity = 255);

// Premultiplied source-over of `pixels` RGBA pixels at `opacity` (the formula above).
void blend_row(uint8_t* dst, const uint8_t* src, int pixels, uint8_t opacity);

// A straight colour drawn through a coverage mask (anti-aliased shapes, glyphs) onto `pixels`
// RGBA pixels, exactly as Surface::blend_pixel draws each one: a = div255(colour.a * coverage),
// out = div255(colour * a + d * (255 - a)) for red, green and blue, a + div255(d * (255 - a))
// for alpha. Coverage 0 leaves the pixel as it is.
void blend_mask_row(uint8_t* dst, Rgba colour, const uint8_t* coverage, int pixels);

// Transitions are compositions of these: a crossfade draws the incoming picture over the
// outgoing one at a rising opacity, a dip fills a colour over everything (timeline/visuals.h
// decides the opacities from the plan).

namespace detail {
void blend_row_scalar(uint8_t* dst, const uint8_t* src, int pixels, uint8_t opacity);
void blend_row_vector(uint8_t* dst, const uint8_t* src, int pixels, uint8_t opacity);
// blend_row of a row of one premultiplied pixel (what fill does), without reading a source row.
void fill_row(uint8_t* dst, const uint8_t premultiplied[4], int pixels, uint8_t opacity);
void blend_mask_row_scalar(uint8_t* dst, Rgba colour, const uint8_t* coverage, int pixels);
void blend_mask_row_vector(uint8_t* dst, Rgba colour, const uint8_t* coverage, int pixels);
}  // namespace detail

}  // namespace tessera
