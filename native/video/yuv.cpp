// YUV -> RGBA with libyuv's integer formulas (see yuv.h), in a scalar twin (on tables) and a vector
// loop that produce identical bytes. The vector loop works in 16-bit lanes only:
//  - the luma term floor(y * 257 * yg / 65536) is one unsigned high multiply of y * 257 by yg
//    where the platform has one (SSE2), else split as q*y + ((y*rh + ((y*rl) >> 8)) >> 8), where
//    257*yg = q*65536 + rh*256 + rl: exact (nested floors), and no product exceeds 16 bits;
//  - the signed sums are carried with an offset of 320*64 so they stay in 0..65535, which turns
//    libyuv's arithmetic `>> 6` into a logical shift followed by `- 320` (then -320..703, clamped
//    to 0..255 by a saturating pack).
#include "video/yuv.h"

#include <cstddef>

#include "video/simd.h"

namespace tessera {

namespace {

// libyuv's YuvConstants (row_common.cc, default build) as plain numbers.
constexpr YuvCoefficients kBt601Limited{18997, -1160, 128, 25, 52, 102};  // kYuvI601Constants
constexpr YuvCoefficients kBt601Full{16320, 32, 113, 22, 46, 90};         // kYuvJPEGConstants
constexpr YuvCoefficients kBt709Limited{18997, -1160, 128, 14, 34, 115};  // kYuvH709Constants
constexpr YuvCoefficients kBt709Full{16320, 32, 119, 12, 30, 101};        // kYuvF709Constants

inline uint8_t clamp8(int v) { return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v)); }

// libyuv's YuvPixel. `>> 6` of a negative int is an arithmetic shift on every compiler we use.
inline void yuv_pixel(int y, int u, int v, const YuvCoefficients& k, uint8_t* rgba) {
  const int y1 = static_cast<int>((static_cast<uint32_t>(y) * 0x0101u * static_cast<uint32_t>(k.yg)) >> 16) + k.yb;
  const int ui = u - 128, vi = v - 128;
  rgba[0] = clamp8((y1 + vi * k.vr) >> 6);
  rgba[1] = clamp8((y1 - (ui * k.ug + vi * k.vg)) >> 6);
  rgba[2] = clamp8((y1 + ui * k.ub) >> 6);
  rgba[3] = 255;
}

// The formula as tables (for the scalar rows: a few lookups per pixel instead of multiplies and
// compares), exactly equal: each channel is clamp8((t_y + t_u + t_v) >> 6) with per-sample terms,
// and the 320 * 64 offset in the luma term (floor((a + 320 * 64) / 64) = floor(a / 64) + 320)
// keeps the sum non-negative, so that it can index a table of clamp8(i - 320).
struct YuvTables {
  int32_t y[256] = {};   // ((y * 257 * yg) >> 16) + yb + 320 * 64
  int32_t rv[256] = {};  // (v - 128) * vr
  int32_t gu[256] = {};  // (u - 128) * ug
  int32_t gv[256] = {};  // (v - 128) * vg
  int32_t bu[256] = {};  // (u - 128) * ub
};
constexpr YuvTables make_tables(const YuvCoefficients& k) {
  YuvTables t;
  for (int i = 0; i < 256; ++i) {
    t.y[i] = static_cast<int32_t>((static_cast<uint32_t>(i) * 0x0101u * static_cast<uint32_t>(k.yg)) >> 16) + k.yb + 320 * 64;
    t.rv[i] = (i - 128) * k.vr;
    t.gu[i] = (i - 128) * k.ug;
    t.gv[i] = (i - 128) * k.vg;
    t.bu[i] = (i - 128) * k.ub;
  }
  return t;
}
// Index range: the sums lie in 320*64 + [-1160 - 128*128, 18996 - 1160 + 127*128] for every
// matrix and range, i.e. (sum >> 6) in [45, 852].
struct ClampTable {
  uint8_t v[1024] = {};
};
constexpr ClampTable make_clamp() {
  ClampTable t;
  for (int i = 0; i < 1024; ++i) t.v[i] = static_cast<uint8_t>(i < 320 ? 0 : (i > 320 + 255 ? 255 : i - 320));
  return t;
}
constexpr YuvTables kTables[4] = {make_tables(kBt601Limited), make_tables(kBt601Full), make_tables(kBt709Limited),
                                  make_tables(kBt709Full)};
constexpr ClampTable kClamp = make_clamp();

// The tables of one of the four coefficient sets (nullptr for any other: the formula runs).
const YuvTables* tables_for(const YuvCoefficients& k) {
  if (&k == &kBt601Limited) return &kTables[0];
  if (&k == &kBt601Full) return &kTables[1];
  if (&k == &kBt709Limited) return &kTables[2];
  if (&k == &kBt709Full) return &kTables[3];
  return nullptr;
}

inline void table_pixel(int y, int u, int v, const YuvTables& t, uint8_t* rgba) {
  const int32_t y1 = t.y[y];
  rgba[0] = kClamp.v[(y1 + t.rv[v]) >> 6];
  rgba[1] = kClamp.v[(y1 - t.gu[u] - t.gv[v]) >> 6];
  rgba[2] = kClamp.v[(y1 + t.bu[u]) >> 6];
  rgba[3] = 255;
}

}  // namespace

const YuvCoefficients& yuv_coefficients(YuvColour colour) {
  if (colour.matrix == YuvMatrix::Bt601) return colour.range == YuvRange::Full ? kBt601Full : kBt601Limited;
  return colour.range == YuvRange::Full ? kBt709Full : kBt709Limited;
}

Rgb8 yuv_to_rgb(uint8_t y, uint8_t u, uint8_t v, YuvColour colour) {
  uint8_t p[4];
  yuv_pixel(y, u, v, yuv_coefficients(colour), p);
  return {p[0], p[1], p[2]};
}

namespace detail {

void i420_row_scalar(const uint8_t* y, const uint8_t* u, const uint8_t* v, int x0, int x1, uint8_t* dst,
                     const YuvCoefficients& k) {
  const YuvTables* t = tables_for(k);
  if (t == nullptr) {
    for (int x = x0; x < x1; ++x, dst += 4) yuv_pixel(y[x], u[x >> 1], v[x >> 1], k, dst);
    return;
  }
  for (int x = x0; x < x1; ++x, dst += 4) table_pixel(y[x], u[x >> 1], v[x >> 1], *t, dst);
}

#if TESSERA_PIXEL_VECTORS
namespace {

// The vector formula for 16 pixels at a time (see the top of this file).
class VectorYuv {
 public:
  explicit VectorYuv(const YuvCoefficients& k)
      :
#if defined(__SSE2__)
        yg_(simd::splat16(static_cast<uint16_t>(k.yg))),
#else
        q_(simd::splat16(static_cast<uint16_t>((257u * static_cast<uint32_t>(k.yg)) >> 16))),
        rh_(simd::splat16(static_cast<uint16_t>(((257u * static_cast<uint32_t>(k.yg)) >> 8) & 255))),
        rl_(simd::splat16(static_cast<uint16_t>((257u * static_cast<uint32_t>(k.yg)) & 255))),
#endif
        bias_(simd::splat16(static_cast<uint16_t>(k.yb + 320 * 64))),
        ub_(simd::splat16s(static_cast<int16_t>(k.ub))),
        ug_(simd::splat16s(static_cast<int16_t>(k.ug))),
        vg_(simd::splat16s(static_cast<int16_t>(k.vg))),
        vr_(simd::splat16s(static_cast<int16_t>(k.vr))) {}

  // Chroma terms of 8 (u, v) pairs, carried as wrapping 16-bit values.
  struct Chroma {
    simd::u16x8 b, g, r;
  };
  Chroma chroma(simd::u16x8 u, simd::u16x8 v) const {
    const simd::i16x8 ui = (simd::i16x8)u - simd::splat16s(128), vi = (simd::i16x8)v - simd::splat16s(128);
    return {(simd::u16x8)(ui * ub_), (simd::u16x8)(ui * ug_ + vi * vg_), (simd::u16x8)(vi * vr_)};
  }

  // 16 pixels: luma y, chroma terms c0 for pixels 0..7 and c1 for 8..15, to 64 bytes of RGBA.
  void store(simd::u8x16 y, const Chroma& c0, const Chroma& c1, uint8_t* dst) const {
    using namespace simd;
    const u16x8 y0 = luma(widen_lo(y)), y1 = luma(widen_hi(y));
    const u8x16 r = channel(y0 + c0.r, y1 + c1.r), g = channel(y0 - c0.g, y1 - c1.g), b = channel(y0 + c0.b, y1 + c1.b);
    const u8x16 alpha = (u8x16)splat16(0xFFFF);
    // Interleave to RGBA: byte pairs (r, g) and (b, 255), then pairs of pairs.
    const u16x8 rg0 = (u16x8)__builtin_shufflevector(r, g, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const u16x8 rg1 = (u16x8)__builtin_shufflevector(r, g, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const u16x8 ba0 = (u16x8)__builtin_shufflevector(b, alpha, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const u16x8 ba1 =
        (u16x8)__builtin_shufflevector(b, alpha, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    store16(dst, (u8x16)__builtin_shufflevector(rg0, ba0, 0, 8, 1, 9, 2, 10, 3, 11));
    store16(dst + 16, (u8x16)__builtin_shufflevector(rg0, ba0, 4, 12, 5, 13, 6, 14, 7, 15));
    store16(dst + 32, (u8x16)__builtin_shufflevector(rg1, ba1, 0, 8, 1, 9, 2, 10, 3, 11));
    store16(dst + 48, (u8x16)__builtin_shufflevector(rg1, ba1, 4, 12, 5, 13, 6, 14, 7, 15));
  }

 private:
  // floor(y * 257 * yg / 65536) + yb + 320 * 64.
  simd::u16x8 luma(simd::u16x8 y) const {
#if defined(__SSE2__)  // one unsigned high multiply of y * 257 by yg
    return (simd::u16x8)_mm_mulhi_epu16((__m128i)(y | (y << 8)), (__m128i)yg_) + bias_;
#else
    return y * q_ + ((y * rh_ + ((y * rl_) >> 8)) >> 8) + bias_;
#endif
  }
  // (sum >> 6) - 320 for 16 pixels, clamped to 0..255 by the saturating pack.
  static simd::u8x16 channel(simd::u16x8 lo, simd::u16x8 hi) {
    const simd::i16x8 c320 = simd::splat16s(320);
    return simd::narrow_clamped((simd::i16x8)(lo >> 6) - c320, (simd::i16x8)(hi >> 6) - c320);
  }

#if defined(__SSE2__)
  simd::u16x8 yg_;
#else
  simd::u16x8 q_, rh_, rl_;
#endif
  simd::u16x8 bias_;
  simd::i16x8 ub_, ug_, vg_, vr_;
};

}  // namespace
#endif

void i420_row_vector(const uint8_t* y, const uint8_t* u, const uint8_t* v, int x0, int x1, uint8_t* dst,
                     const YuvCoefficients& k) {
#if TESSERA_PIXEL_VECTORS
  using namespace simd;
  if (x0 < x1 && (x0 & 1)) {  // blocks start on a chroma sample boundary
    yuv_pixel(y[x0], u[x0 >> 1], v[x0 >> 1], k, dst);
    ++x0;
    dst += 4;
  }
  const VectorYuv yuv(k);
  int x = x0;
  for (; x + 16 <= x1; x += 16, dst += 64) {
    const VectorYuv::Chroma c = yuv.chroma(load8_u16(u + (x >> 1)), load8_u16(v + (x >> 1)));
    // Each chroma sample serves two pixels.
    const VectorYuv::Chroma c0{__builtin_shufflevector(c.b, c.b, 0, 0, 1, 1, 2, 2, 3, 3),
                               __builtin_shufflevector(c.g, c.g, 0, 0, 1, 1, 2, 2, 3, 3),
                               __builtin_shufflevector(c.r, c.r, 0, 0, 1, 1, 2, 2, 3, 3)};
    const VectorYuv::Chroma c1{__builtin_shufflevector(c.b, c.b, 4, 4, 5, 5, 6, 6, 7, 7),
                               __builtin_shufflevector(c.g, c.g, 4, 4, 5, 5, 6, 6, 7, 7),
                               __builtin_shufflevector(c.r, c.r, 4, 4, 5, 5, 6, 6, 7, 7)};
    yuv.store(load16(y + x), c0, c1, dst);
  }
  i420_row_scalar(y, u, v, x, x1, dst, k);
#else
  i420_row_scalar(y, u, v, x0, x1, dst, k);
#endif
}

void yuv444_row_scalar(const uint8_t* y, const uint8_t* u, const uint8_t* v, int width, uint8_t* dst,
                       const YuvCoefficients& k) {
  const YuvTables* t = tables_for(k);
  if (t == nullptr) {
    for (int x = 0; x < width; ++x, dst += 4) yuv_pixel(y[x], u[x], v[x], k, dst);
    return;
  }
  for (int x = 0; x < width; ++x, dst += 4) table_pixel(y[x], u[x], v[x], *t, dst);
}

void yuv444_row_vector(const uint8_t* y, const uint8_t* u, const uint8_t* v, int width, uint8_t* dst,
                       const YuvCoefficients& k) {
  int x = 0;
#if TESSERA_PIXEL_VECTORS
  using namespace simd;
  const VectorYuv yuv(k);
  for (; x + 16 <= width; x += 16, dst += 64) {
    const u8x16 uu = load16(u + x), vv = load16(v + x);
    yuv.store(load16(y + x), yuv.chroma(widen_lo(uu), widen_lo(vv)), yuv.chroma(widen_hi(uu), widen_hi(vv)), dst);
  }
#endif
  yuv444_row_scalar(y + x, u + x, v + x, width - x, dst, k);
}

void rgbx_row_scalar(const uint8_t* src, RgbxOrder order, int width, uint8_t* dst) {
  const int r = order == RgbxOrder::Bgrx ? 2 : 0, b = 2 - r;
  for (int x = 0; x < width; ++x, src += 4, dst += 4) {
    const uint8_t red = src[r], green = src[1], blue = src[b];
    dst[0] = red;
    dst[1] = green;
    dst[2] = blue;
    dst[3] = 255;
  }
}

void rgbx_row_vector(const uint8_t* src, RgbxOrder order, int width, uint8_t* dst) {
#if TESSERA_PIXEL_VECTORS
  using namespace simd;
  int x = 0;
  const u32x4 alpha = splat32(0xFF000000u);
  for (; x + 4 <= width; x += 4, src += 16, dst += 16) {
    const u32x4 p = (u32x4)load16(src);
    const u32x4 out = order == RgbxOrder::Bgrx
                          ? ((p >> 16) & splat32(0xFF)) | (p & splat32(0xFF00)) | ((p & splat32(0xFF)) << 16) | alpha
                          : p | alpha;
    store16(dst, (u8x16)out);
  }
  rgbx_row_scalar(src, order, width - x, dst);
#else
  rgbx_row_scalar(src, order, width, dst);
#endif
}

}  // namespace detail

void i420_row_to_rgba(const I420View& src, int row, int x0, int x1, uint8_t* dst) {
  const int c = row >> 1;
  detail::i420_row_vector(src.y + static_cast<std::ptrdiff_t>(row) * src.y_stride, src.u + static_cast<std::ptrdiff_t>(c) * src.u_stride,
                          src.v + static_cast<std::ptrdiff_t>(c) * src.v_stride, x0, x1, dst, yuv_coefficients(src.colour));
}

void i420_to_rgba(const I420View& src, uint8_t* dst, int dst_stride) {
  for (int row = 0; row < src.height; ++row)
    i420_row_to_rgba(src, row, 0, src.width, dst + static_cast<std::ptrdiff_t>(row) * dst_stride);
}

void rgbx_to_rgba(const uint8_t* src, int src_stride, RgbxOrder order, int width, int height, uint8_t* dst,
                  int dst_stride) {
  for (int row = 0; row < height; ++row)
    detail::rgbx_row_vector(src + static_cast<std::ptrdiff_t>(row) * src_stride, order, width,
                            dst + static_cast<std::ptrdiff_t>(row) * dst_stride);
}

}  // namespace tessera
