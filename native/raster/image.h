// Images drawn by the engine: PNG/JPEG decoding (stb_image from Debian's libstb-dev) into a
// premultiplied Surface, and bilinear drawing of one Surface into a rectangle of another.
// Image bytes are untrusted: dimensions are checked before anything is decoded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "raster/rect.h"
#include "raster/surface.h"

namespace tessera {

struct ImageLimits {
  static constexpr int kMaxSide = 8192;                    // pixels, either dimension
  static constexpr size_t kMaxBytes = size_t{64} << 20;    // encoded input, and decoded RGBA
};

// Decodes PNG or JPEG bytes into `out` (premultiplied RGBA8). On failure returns false, leaves
// `out` untouched and sets `error` to a sentence naming the problem.
bool decode_image(const uint8_t* data, size_t size, Surface* out, std::string* error);

// A rectangle in device pixels with fractional edges.
struct RectD {
  double x = 0, y = 0, width = 0, height = 0;
};

// Draws `image` scaled into `dest` with bilinear filtering (16.16 source positions, 8-bit weights,
// edge pixels clamped), premultiplied source-over. Only the part inside `clip` (and the surface)
// is drawn; partly covered edge pixels get their exact area coverage. `opacity` is 0..255.
// At 1:1 on whole pixels every source pixel is copied unchanged.
void draw_image(Surface& out, const Surface& image, const RectD& dest, const RectD& clip, uint8_t opacity);

}  // namespace tessera
