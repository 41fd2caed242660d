// Anti-aliased polygon filling for graphics: a scanline coverage rasterizer with 16 sub-scanlines
// per pixel row and exact horizontal coverage in 1/256 pixel, non-zero or even-odd. Edge crossings
// are computed in double with + - * / only and rounded once to fixed point, so coverage is the
// same on every platform; blending is Surface::blend_pixel's (exact div255), a row at a time
// (blend_mask_row).
#pragma once

#include <vector>

#include "graphics/path.h"
#include "raster/rect.h"
#include "raster/surface.h"

namespace tessera {

enum class FillRule { NonZero, EvenOdd };

constexpr int kSubScanlines = 16;

// Fills the polygons (device pixels; each implicitly closed) inside `clip`. A pixel's coverage is
// the covered fraction of its 16 sub-scanline samples, each measured exactly along x; 255 only
// where the pixel is fully inside. Polylines with fewer than 3 points are ignored.
void fill_polygons(Surface& surface, const std::vector<Polyline>& polygons, FillRule rule, Rgba colour,
                   const RectI& clip);

}  // namespace tessera
