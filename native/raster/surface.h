// Surface: an RGBA8 pixel buffer owned by the engine, and the basic ways to paint into it.
// Pixels are stored premultiplied, row-major, 4 bytes per pixel, no row padding, so a JS
// Uint8ClampedArray over the buffer is directly an ImageData for opaque frames.
// All blending is integer arithmetic with exact rounding: identical bytes on every platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera {

// A straight (non-premultiplied) colour as authors write it.
struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 255;
};

// round(x / 255) for x in [0, 255*255], exactly, without a division.
inline uint32_t div255(uint32_t x) {
  x += 128;
  return (x + (x >> 8)) >> 8;
}

class Surface {
 public:
  Surface() = default;
  Surface(int width, int height) { resize(width, height); }

  // Reallocates only when the pixel count grows; contents are cleared to transparent black.
  void resize(int width, int height);
  void clear(Rgba colour);

  int width() const { return width_; }
  int height() const { return height_; }
  size_t byte_size() const { return static_cast<size_t>(width_) * height_ * 4; }
  uint8_t* data() { return pixels_.data(); }
  const uint8_t* data() const { return pixels_.data(); }
  const uint8_t* pixel(int x, int y) const { return pixels_.data() + (static_cast<size_t>(y) * width_ + x) * 4; }

  // Source-over of `colour` scaled by coverage (0..255) onto one pixel; clipped to the surface.
  void blend_pixel(int x, int y, Rgba colour, uint32_t coverage);
  // Solid or translucent axis-aligned rectangle, pixel-aligned, clipped.
  void fill_rect(int x, int y, int w, int h, Rgba colour);
  // Horizontal grey ramp from `from` to `to` (inclusive) across the rectangle.
  void fill_horizontal_ramp(int x, int y, int w, int h, uint8_t from, uint8_t to);
  // Anti-aliased disc (exact area coverage approximated analytically at each pixel centre).
  void fill_circle(float cx, float cy, float radius, Rgba colour);
  // Anti-aliased ring of the given stroke width centred on the radius.
  void stroke_circle(float cx, float cy, float radius, float stroke_width, Rgba colour);
  // Blends an 8-bit coverage mask (e.g. a glyph) at (x, y) in `colour`.
  void blend_mask(int x, int y, const uint8_t* mask, int mask_w, int mask_h, int mask_stride, Rgba colour);

 private:
  template <typename CoverageFn>
  void fill_circle_shape(float cx, float cy, float outer_radius, Rgba colour, CoverageFn coverage);

  int width_ = 0;
  int height_ = 0;
  std::vector<uint8_t> pixels_;
};

}  // namespace tessera
