// Caption ink (see ink.h).
#include "captions/ink.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "compose/compose.h"
#include "video/simd.h"

namespace tessera::captions {

namespace {

int floor_div(int a, int b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

// Max over windows of `length` consecutive entries f[i .. i + length - 1], in place, by doubling:
// after the loop f[i] is the max of the p entries from i, p the largest power of two <= length,
// and one more pass joins two such windows. Entries past `count` count as 0. max_with(at,
// offset, n) does f[i] = max(f[i], f[i + offset]) for i = at .. at + n - 1 in ascending order,
// which reads only entries the pass has not yet written. (Entries are bytes along a row, or
// whole rows down a column.)
template <typename Max>
void window_max(size_t count, int length, Max&& max_with) {
  int p = 1;
  while (p * 2 <= length) {
    if (static_cast<size_t>(p) < count) max_with(0, static_cast<size_t>(p), count - static_cast<size_t>(p));
    p *= 2;
  }
  if (length > p && static_cast<size_t>(length - p) < count)
    max_with(0, static_cast<size_t>(length - p), count - static_cast<size_t>(length - p));
}

}  // namespace

Rgba with_opacity(Rgba c, uint8_t opacity) {
  c.a = static_cast<uint8_t>(div255(uint32_t{c.a} * opacity));
  return c;
}


// d[i] = max(d[i], s[i]) for n bytes: the one loop of the edge effects, in vectors where there are.
void max_into(uint8_t* d, const uint8_t* s, int n) {
  int i = 0;
#if TESSERA_PIXEL_VECTORS
  for (; i + 16 <= n; i += 16) {
    const simd::u8x16 a = simd::load16(d + i), b = simd::load16(s + i);
#if defined(__wasm_simd128__)
    simd::store16(d + i, (simd::u8x16)wasm_u8x16_max((v128_t)a, (v128_t)b));
#elif defined(__SSE2__)
    simd::store16(d + i, (simd::u8x16)_mm_max_epu8((__m128i)a, (__m128i)b));
#else
    const simd::u8x16 take = (simd::u8x16)(b > a);
    simd::store16(d + i, (b & take) | (a & ~take));
#endif
  }
#endif
  for (; i < n; ++i) d[i] = std::max(d[i], s[i]);
}


// A glyph's coverage into a mask (max with what is there), with synthetic emboldening (a max
// filter `bold` pixels wide along the row) and oblique (rows sheared by 51/256 ≈ 0.2 pixel per
// pixel above the baseline, split between two pixels by its fraction).
void put_glyph(Mask& mask, const CaptionGlyph& g, double pen, int baseline, float em, int bold,
               std::vector<uint32_t>& acc) {
  if (!g.font || g.codepoint == U' ' || (g.flags & kStyleHidden)) return;
  if (g.em > 0.0f) em = g.em;
  baseline -= static_cast<int>(g.rise);  // ruby annotations: whole pixels
  const float scale = g.font->scale_for_em(em);
  const double origin = std::floor(pen);
  const GlyphBitmap& bm = g.font->cached_glyph(g.glyph, scale, static_cast<float>(pen - origin), 0.0f);
  if (bm.width <= 0 || bm.height <= 0) return;
  const int k = g.synthetic_bold ? bold : 0;
  const int out_w = bm.width + k + 2;
  acc.assign(static_cast<size_t>(out_w), 0);
  const int gx = static_cast<int>(origin) + bm.x0;
  if (!g.synthetic_bold && !g.synthetic_italic) {  // the common case: the coverage as it is
    const int x0 = std::max(gx, mask.rect.x), x1 = std::min(gx + bm.width, mask.rect.right());
    for (int j = 0; j < bm.height && x0 < x1; ++j) {
      const int y = baseline + bm.y0 + j;
      if (y < mask.rect.y || y >= mask.rect.bottom()) continue;
      const uint8_t* src = bm.coverage.data() + static_cast<size_t>(j) * static_cast<size_t>(bm.width) + (x0 - gx);
      max_into(mask.row(y) + (x0 - mask.rect.x), src, x1 - x0);
    }
    return;
  }
  for (int j = 0; j < bm.height; ++j) {
    const int y = baseline + bm.y0 + j;
    if (y < mask.rect.y || y >= mask.rect.bottom()) continue;
    const uint8_t* src = bm.coverage.data() + static_cast<size_t>(j) * static_cast<size_t>(bm.width);
    int shift = 0, frac = 0;
    if (g.synthetic_italic) {
      // Shear about the baseline, measured at the pixel row's centre: (-(y0 + j) - 1/2) * 0.2.
      const int q = floor_div(-(2 * (bm.y0 + j) + 1) * 51, 2);
      shift = floor_div(q, 256);
      frac = q - shift * 256;
    }
    std::fill(acc.begin(), acc.end(), 0u);
    for (int x = 0; x < bm.width + k; ++x) {
      uint32_t v = 0;
      for (int t = std::max(0, x - k); t <= std::min(bm.width - 1, x); ++t) v = std::max<uint32_t>(v, src[t]);
      if (!v) continue;
      acc[static_cast<size_t>(x)] += v * static_cast<uint32_t>(256 - frac);
      acc[static_cast<size_t>(x + 1)] += v * static_cast<uint32_t>(frac);
    }
    uint8_t* dst = mask.row(y);
    for (int x = 0; x < out_w; ++x) {
      const int px = gx + x + shift;
      if (px < mask.rect.x || px >= mask.rect.right() || !acc[static_cast<size_t>(x)]) continue;
      const uint8_t v = static_cast<uint8_t>(std::min<uint32_t>(255, (acc[static_cast<size_t>(x)] + 128) >> 8));
      uint8_t& d = dst[px - mask.rect.x];
      d = std::max(d, v);
    }
  }
}


void put_glyph_vertical(Mask& mask, const CaptionGlyph& g, double pen_y, double centre_x) {
  if (!g.font || g.codepoint == U' ' || (g.flags & kStyleHidden) || !(g.em > 0.0f)) return;
  const float scale = g.font->scale_for_em(g.em);
  const TextMetrics m = g.font->vertical_metrics(scale);
  if (g.orient == 1) {
    const double pen_x = centre_x - static_cast<double>(g.font->glyph_advance(g.glyph, scale)) / 2;
    // The font's ascent-to-descent box scaled into the em cell (an ideograph's baseline sits about
    // 0.88 em down it).
    const double depth = static_cast<double>(m.ascent) + static_cast<double>(m.descent);
    const double down = depth > 0 ? static_cast<double>(g.em) * static_cast<double>(m.ascent) / depth : static_cast<double>(g.em);
    const int baseline = static_cast<int>(std::floor(pen_y + down + 0.5));
    CaptionGlyph flat = g;
    flat.synthetic_bold = flat.synthetic_italic = false;
    flat.rise = 0;
    std::vector<uint32_t> unused;
    put_glyph(mask, flat, pen_x, baseline, g.em, 0, unused);
    return;
  }
  // Sideways: glyph-space (x right along the advance, y down from the baseline) turns to picture
  // (X, Y) = (baseline_x - y, pen_y + x); the baseline sits (ascent - descent) / 2 left of centre.
  const double origin = std::floor(pen_y);
  const GlyphBitmap& bm = g.font->cached_glyph(g.glyph, scale, static_cast<float>(pen_y - origin), 0.0f);
  if (bm.width <= 0 || bm.height <= 0) return;
  const int baseline_x = static_cast<int>(std::floor(centre_x - static_cast<double>(m.ascent - m.descent) / 2 + 0.5));
  const int top = static_cast<int>(origin) + bm.x0;
  for (int j = 0; j < bm.height; ++j) {
    const int x = baseline_x - (bm.y0 + j) - 1;
    if (x < mask.rect.x || x >= mask.rect.right()) continue;
    const uint8_t* src = bm.coverage.data() + static_cast<size_t>(j) * static_cast<size_t>(bm.width);
    for (int i = 0; i < bm.width; ++i) {
      const int y = top + i;
      if (y < mask.rect.y || y >= mask.rect.bottom() || !src[i]) continue;
      uint8_t& d = mask.row(y)[x - mask.rect.x];
      d = std::max(d, src[i]);
    }
  }
}

// Max filter of radius r (a square), separable, each direction a windowed maximum computed by
// doubling (log2(2r + 1) + 1 passes instead of 2r): exact integer work.
void dilate(const Mask& in, Mask& out, int r, std::vector<uint8_t>& tmp) {
  out.reset(in.rect);
  const int w = in.rect.width, h = in.rect.height, length = 2 * r + 1;
  if (w <= 0 || h <= 0) return;
  // Along rows: each row padded with r zeros on each side, so window i covers pixels i - r .. i + r.
  const size_t pw = static_cast<size_t>(w) + 2 * static_cast<size_t>(r);
  tmp.assign(pw * (static_cast<size_t>(h) + 2 * static_cast<size_t>(r)), 0);
  uint8_t* rows = tmp.data() + pw * static_cast<size_t>(r);  // row y at rows + y * pw, its pixel x at + r + x
  for (int y = 0; y < h; ++y) {
    uint8_t* row = rows + static_cast<size_t>(y) * pw;
    std::memcpy(row + r, in.a.data() + static_cast<size_t>(y) * w, static_cast<size_t>(w));
    window_max(pw, length, [&](size_t at, size_t offset, size_t n) {
      max_into(row + at, row + at + offset, static_cast<int>(n));
    });
  }
  // Down columns: the rows' windows (starting at column 0 of each padded row) as whole rows, the
  // r zero rows above and below padding the picture's top and bottom.
  const size_t ph = static_cast<size_t>(h) + 2 * static_cast<size_t>(r);
  uint8_t* top = tmp.data();
  window_max(ph, length, [&](size_t, size_t offset, size_t n) {
    for (size_t i = 0; i < n; ++i) max_into(top + i * pw, top + (i + offset) * pw, w);
  });
  for (int y = 0; y < h; ++y)
    std::memcpy(out.a.data() + static_cast<size_t>(y) * w, top + static_cast<size_t>(y) * pw, static_cast<size_t>(w));
}

// The mask moved by each (k * dx, k * dy) for k = 1..steps, combined by max.
void shifted(const Mask& in, Mask& out, int dx, int dy, int steps) {
  out.reset(in.rect);
  const int w = in.rect.width, h = in.rect.height;
  for (int k = 1; k <= steps; ++k) {
    const int ox = k * dx, oy = k * dy;
    for (int y = std::max(0, oy); y < std::min(h, h + oy); ++y) {
      const uint8_t* s = in.a.data() + static_cast<size_t>(y - oy) * w;
      const int x0 = std::max(0, ox), x1 = std::min(w, w + ox);
      if (x1 > x0) max_into(out.a.data() + static_cast<size_t>(y) * w + x0, s + (x0 - ox), x1 - x0);
    }
  }
}

void draw_edge(Surface& surface, const Mask& ink, CaptionEdge edge, int e, Rgba colour, Mask& effect,
               std::vector<uint8_t>& tmp) {
  switch (edge) {
    case CaptionEdge::None: return;
    case CaptionEdge::Outline: dilate(ink, effect, e, tmp); break;
    case CaptionEdge::DropShadow: shifted(ink, effect, e, e, 1); break;
    case CaptionEdge::Raised: shifted(ink, effect, 1, 1, e); break;
    case CaptionEdge::Depressed: shifted(ink, effect, -1, -1, e); break;
  }
  blend_mask(surface, effect, colour);
}

// Blends the mask's covered spans only: coverage 0 leaves a pixel as it is, so skipping the empty
// 16-pixel blocks between glyphs (most of a caption line's rectangle) changes no byte.
void blend_mask(Surface& surface, const Mask& mask, Rgba colour) {
  if (colour.a == 0) return;
  const RectI area = intersect(mask.rect, {0, 0, surface.width(), surface.height()});
  constexpr int kBlock = 16;
  for (int y = area.y; y < area.bottom(); ++y) {
    const uint8_t* coverage = mask.row(y) + (area.x - mask.rect.x);
    uint8_t* row = surface.data() + (static_cast<size_t>(y) * surface.width() + static_cast<size_t>(area.x)) * 4;
    int start = -1;  // the first block of the current covered span
    for (int x = 0; x < area.width; x += kBlock) {
      const int n = std::min(kBlock, area.width - x);
      bool any = false;
      if (n == kBlock) {
        uint64_t half[2];
        std::memcpy(half, coverage + x, sizeof half);
        any = (half[0] | half[1]) != 0;
      } else {
        for (int i = 0; i < n && !any; ++i) any = coverage[x + i] != 0;
      }
      if (any && start < 0) start = x;
      if (!any && start >= 0) {
        blend_mask_row(row + static_cast<size_t>(start) * 4, colour, coverage + start, x - start);
        start = -1;
      }
    }
    if (start >= 0) blend_mask_row(row + static_cast<size_t>(start) * 4, colour, coverage + start, area.width - start);
  }
}

bool same(Rgba a, Rgba b) { return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a; }

}  // namespace tessera::captions
