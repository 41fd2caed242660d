// Composition (see compose.h). Drawing at 1:1 (integral source position, same size) bypasses the
// resampler, which would produce the same bytes through single-tap weights, only slower.
#include "compose/compose.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "video/simd.h"

namespace tessera {

namespace {

// The blend in 16-bit arithmetic, wrapping exactly as the vector lanes do, so scalar and vector
// builds agree even on invalid input (colour > alpha); valid input never wraps.
inline uint16_t div255_16(uint16_t x) {
  x = static_cast<uint16_t>(x + 128);
  return static_cast<uint16_t>(static_cast<uint16_t>(x + (x >> 8)) >> 8);
}

inline uint8_t* row_at(Surface& s, int x, int y) {
  return s.data() + (static_cast<size_t>(y) * s.width() + x) * 4;
}

// The source position of a 1:1 draw, when the drawing is one: source rectangle on whole pixels
// (as the resampler quantises it), the destination's size, and inside the source.
bool one_to_one(int src_width, int src_height, RectF src_rect, RectI dst_rect, int& sx, int& sy) {
  const double limit = 1 << 20;
  if (!(std::fabs(src_rect.x) < limit && std::fabs(src_rect.y) < limit && std::fabs(src_rect.width) < limit &&
        std::fabs(src_rect.height) < limit))
    return false;
  const long long qx = std::llround(src_rect.x * 65536.0), qy = std::llround(src_rect.y * 65536.0);
  if (qx % 65536 != 0 || qy % 65536 != 0) return false;
  if (std::llround(src_rect.width * 65536.0) != dst_rect.width * 65536LL ||
      std::llround(src_rect.height * 65536.0) != dst_rect.height * 65536LL)
    return false;
  sx = static_cast<int>(qx / 65536);
  sy = static_cast<int>(qy / 65536);
  return sx >= 0 && sy >= 0 && sx + dst_rect.width <= src_width && sy + dst_rect.height <= src_height;
}

// Converts only the pixels the resampler asks for.
class I420Source final : public ResampleSource {
 public:
  explicit I420Source(const I420View& frame) : frame_(frame) {}
  const uint8_t* row(int y, int x0, int x1, uint8_t* scratch) override {
    i420_row_to_rgba(frame_, y, x0, x1, scratch);
    return scratch;
  }

 private:
  I420View frame_;
};

// Rows land in the output directly when nothing shows through (opaque source, opacity 255),
// else in a scratch row that is then blended.
class BlendTarget final : public ResampleTarget {
 public:
  BlendTarget(Surface& out, RectI visible, uint8_t opacity, bool opaque_source, std::vector<uint8_t>& scratch)
      : out_(out), visible_(visible), opacity_(opacity), direct_(opaque_source && opacity == 255), scratch_(scratch) {
    const size_t bytes = static_cast<size_t>(visible.width) * 4;
    if (!direct_ && scratch_.size() < bytes) scratch_.resize(bytes);
  }
  uint8_t* begin_row(int y) override { return direct_ ? row_at(out_, visible_.x, y) : scratch_.data(); }
  void end_row(int y, uint8_t* row) override {
    if (!direct_) blend_row(row_at(out_, visible_.x, y), row, visible_.width, opacity_);
  }

 private:
  Surface& out_;
  RectI visible_;
  uint8_t opacity_;
  bool direct_;
  std::vector<uint8_t>& scratch_;
};

}  // namespace

namespace detail {

void blend_row_scalar(uint8_t* dst, const uint8_t* src, int pixels, uint8_t opacity) {
  const uint16_t o = opacity;
  for (int i = 0; i < pixels; ++i, dst += 4, src += 4) {
    const uint16_t inv = static_cast<uint16_t>(255 - div255_16(static_cast<uint16_t>(src[3] * o)));
    for (int c = 0; c < 4; ++c) dst[c] = static_cast<uint8_t>(div255_16(static_cast<uint16_t>(src[c] * o + dst[c] * inv)));
  }
}

void blend_row_vector(uint8_t* dst, const uint8_t* src, int pixels, uint8_t opacity) {
#if TESSERA_PIXEL_VECTORS
  using namespace simd;
  const u16x8 o = splat16(opacity), full = splat16(255);
  int i = 0;
  for (; i + 4 <= pixels; i += 4, dst += 16, src += 16) {
    const u8x16 s = load16(src), d = load16(dst);
    const u16x8 slo = widen_lo(s) * o, shi = widen_hi(s) * o;
    const u16x8 alo = div255(slo), ahi = div255(shi);
    const u16x8 ilo = full - __builtin_shufflevector(alo, alo, 3, 3, 3, 3, 7, 7, 7, 7);
    const u16x8 ihi = full - __builtin_shufflevector(ahi, ahi, 3, 3, 3, 3, 7, 7, 7, 7);
    store16(dst, narrow(div255(slo + widen_lo(d) * ilo), div255(shi + widen_hi(d) * ihi)));
  }
  blend_row_scalar(dst, src, pixels - i, opacity);
#else
  blend_row_scalar(dst, src, pixels, opacity);
#endif
}

void fill_row(uint8_t* dst, const uint8_t premultiplied[4], int pixels, uint8_t opacity) {
  int i = 0;
#if TESSERA_PIXEL_VECTORS
  using namespace simd;
  // The blend with a constant source: s * o and 255 - div255(sa * o) are the same for every pixel.
  uint16_t so[4];
  for (int c = 0; c < 4; ++c) so[c] = static_cast<uint16_t>(premultiplied[c] * opacity);
  const u16x8 source = u16x8{so[0], so[1], so[2], so[3], so[0], so[1], so[2], so[3]};
  const u16x8 inv = splat16(static_cast<uint16_t>(255 - div255_16(so[3])));
  for (; i + 4 <= pixels; i += 4, dst += 16) {
    const u8x16 d = load16(dst);
    store16(dst, narrow(div255(source + widen_lo(d) * inv), div255(source + widen_hi(d) * inv)));
  }
#endif
  for (; i < pixels; ++i, dst += 4) blend_row_scalar(dst, premultiplied, 1, opacity);
}

void blend_mask_row_scalar(uint8_t* dst, Rgba colour, const uint8_t* coverage, int pixels) {
  for (int i = 0; i < pixels; ++i, dst += 4) {
    if (coverage[i] == 0) continue;
    const uint32_t a = div255(colour.a * uint32_t{coverage[i]}), inv = 255 - a;
    dst[0] = static_cast<uint8_t>(div255(colour.r * a + dst[0] * inv));
    dst[1] = static_cast<uint8_t>(div255(colour.g * a + dst[1] * inv));
    dst[2] = static_cast<uint8_t>(div255(colour.b * a + dst[2] * inv));
    dst[3] = static_cast<uint8_t>(a + div255(dst[3] * inv));
  }
}

void blend_mask_row_vector(uint8_t* dst, Rgba colour, const uint8_t* coverage, int pixels) {
  int i = 0;
#if TESSERA_PIXEL_VECTORS
  using namespace simd;
  // Four pixels per step, each pixel's four channels in 16-bit lanes. The alpha channel's term
  // is 255 * a, since a + div255(d * inv) == div255(255 * a + d * inv); every sum is at most
  // 255 * a + 255 * (255 - a) = 65025, inside div255's exact range.
  const u16x8 straight = u16x8{colour.r, colour.g, colour.b, 255, colour.r, colour.g, colour.b, 255};
  const u16x8 ca = splat16(colour.a), full = splat16(255);
  for (; i + 4 <= pixels; i += 4, dst += 16) {
    uint32_t four;
    std::memcpy(&four, coverage + i, 4);
    if (four == 0) continue;
    u16x8 c_lo, c_hi;
    spread4(four, c_lo, c_hi);
    const u16x8 a_lo = div255(c_lo * ca), a_hi = div255(c_hi * ca);
    const u8x16 d = load16(dst);
    store16(dst, narrow(div255(straight * a_lo + widen_lo(d) * (full - a_lo)),
                        div255(straight * a_hi + widen_hi(d) * (full - a_hi))));
  }
#endif
  blend_mask_row_scalar(dst, colour, coverage + i, pixels - i);
}

}  // namespace detail

void blend_mask_row(uint8_t* dst, Rgba colour, const uint8_t* coverage, int pixels) {
  if (colour.a == 0 || pixels <= 0) return;
  detail::blend_mask_row_vector(dst, colour, coverage, pixels);
}

void blend_row(uint8_t* dst, const uint8_t* src, int pixels, uint8_t opacity) {
  if (opacity == 0) return;
  detail::blend_row_vector(dst, src, pixels, opacity);
}

void Compositor::draw(Surface& out, const RgbaView& src, RectF src_rect, RectI dst_rect, uint8_t opacity) {
  if (opacity == 0 || src.data == nullptr) return;
  const RectI clip{0, 0, out.width(), out.height()};
  const RectI visible = intersect(dst_rect, clip);
  if (visible.width <= 0 || visible.height <= 0) return;
  int sx = 0, sy = 0;
  if (one_to_one(src.width, src.height, src_rect, dst_rect, sx, sy)) {
    for (int y = visible.y; y < visible.y + visible.height; ++y) {
      const uint8_t* s = src.data + static_cast<ptrdiff_t>(y - dst_rect.y + sy) * src.stride +
                         static_cast<ptrdiff_t>(visible.x - dst_rect.x + sx) * 4;
      blend_row(row_at(out, visible.x, y), s, visible.width, opacity);
    }
    return;
  }
  if (!resampler_.plan(src.width, src.height, src_rect, dst_rect, clip)) return;
  RgbaViewSource source(src);
  BlendTarget target(out, resampler_.visible(), opacity, false, blend_row_);
  resampler_.run(source, target);
}

void Compositor::draw(Surface& out, const I420View& src, RectF src_rect, RectI dst_rect, uint8_t opacity) {
  if (opacity == 0 || src.y == nullptr) return;
  const RectI clip{0, 0, out.width(), out.height()};
  const RectI visible = intersect(dst_rect, clip);
  if (visible.width <= 0 || visible.height <= 0) return;
  int sx = 0, sy = 0;
  if (one_to_one(src.width, src.height, src_rect, dst_rect, sx, sy)) {
    const int x0 = visible.x - dst_rect.x + sx;
    if (opacity < 255 && blend_row_.size() < static_cast<size_t>(visible.width) * 4)
      blend_row_.resize(static_cast<size_t>(visible.width) * 4);
    for (int y = visible.y; y < visible.y + visible.height; ++y) {
      uint8_t* d = row_at(out, visible.x, y);
      if (opacity == 255) {  // straight into the output
        i420_row_to_rgba(src, y - dst_rect.y + sy, x0, x0 + visible.width, d);
      } else {
        i420_row_to_rgba(src, y - dst_rect.y + sy, x0, x0 + visible.width, blend_row_.data());
        blend_row(d, blend_row_.data(), visible.width, opacity);
      }
    }
    return;
  }
  if (!resampler_.plan(src.width, src.height, src_rect, dst_rect, clip)) return;
  I420Source source(src);
  BlendTarget target(out, resampler_.visible(), opacity, true, blend_row_);
  resampler_.run(source, target);
}

void convert_to_surface(const I420View& src, Surface& out) {
  out.resize(src.width, src.height);
  i420_to_rgba(src, out.data(), src.width * 4);
}

void fill(Surface& out, RectI rect, Rgba colour, uint8_t opacity) {
  const RectI visible = intersect(rect, {0, 0, out.width(), out.height()});
  if (visible.width <= 0 || visible.height <= 0 || opacity == 0 || colour.a == 0) return;
  const uint8_t p[4] = {static_cast<uint8_t>(div255(colour.r * colour.a)),
                        static_cast<uint8_t>(div255(colour.g * colour.a)),
                        static_cast<uint8_t>(div255(colour.b * colour.a)), colour.a};
  const bool solid = colour.a == 255 && opacity == 255;  // the blend would give p exactly
  for (int y = visible.y; y < visible.y + visible.height; ++y) {
    uint8_t* d = row_at(out, visible.x, y);
    if (solid) {
      for (int x = 0; x < visible.width; ++x) std::memcpy(d + 4 * x, p, 4);
    } else {
      detail::fill_row(d, p, visible.width, opacity);
    }
  }
}

}  // namespace tessera
