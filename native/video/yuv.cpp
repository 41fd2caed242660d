// YUV -> RGBA with libyuv's integer formulas (see yuv.h), in a scalar twin and a vector loop that
// produce identical bytes. The vector loop works in 16-bit lanes only:
//  - the luma term floor(y * 257 * yg / 65536) is split as q*y + ((y*rh + ((y*rl) >> 8)) >> 8),
//    where 257*yg = q*65536 + rh*256 + rl: exact (nested floors), and no product exceeds 16 bits;
//  - the signed sums are carried with an offset of 320*64 so they stay in 0..65535, which turns
//    libyuv's arithmetic `>> 6` into a logical shift followed by `- 320`.
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
  for (int x = x0; x < x1; ++x, dst += 4) yuv_pixel(y[x], u[x >> 1], v[x >> 1], k, dst);
}

void i420_row_vector(const uint8_t* y, const uint8_t* u, const uint8_t* v, int x0, int x1, uint8_t* dst,
                     const YuvCoefficients& k) {
#if TESSERA_PIXEL_VECTORS
  using namespace simd;
  if (x0 < x1 && (x0 & 1)) {  // blocks start on a chroma sample boundary
    yuv_pixel(y[x0], u[x0 >> 1], v[x0 >> 1], k, dst);
    ++x0;
    dst += 4;
  }
  const uint32_t luma = 257u * static_cast<uint32_t>(k.yg);
  const u16x8 q = splat16(static_cast<uint16_t>(luma >> 16));
  const u16x8 rh = splat16(static_cast<uint16_t>((luma >> 8) & 255));
  const u16x8 rl = splat16(static_cast<uint16_t>(luma & 255));
  const u16x8 bias = splat16(static_cast<uint16_t>(k.yb + 320 * 64));
  const i16x8 ub = splat16s(static_cast<int16_t>(k.ub)), ug = splat16s(static_cast<int16_t>(k.ug));
  const i16x8 vg = splat16s(static_cast<int16_t>(k.vg)), vr = splat16s(static_cast<int16_t>(k.vr));
  const i16x8 c128 = splat16s(128);
  const u16x8 alpha = splat16(0xFF00);
  auto channel = [](u16x8 sum) {  // (sum >> 6) - 320, clamped to 0..255
    return (u16x8)clamp((i16x8)(sum >> 6) - splat16s(320), 0, 255);
  };
  auto eight = [&](u16x8 yw, u16x8 cb, u16x8 cg, u16x8 cr, uint8_t* out) {
    const u16x8 y1 = yw * q + ((yw * rh + ((yw * rl) >> 8)) >> 8) + bias;
    const u16x8 r = channel(y1 + cr), g = channel(y1 - cg), b = channel(y1 + cb);
    const u16x8 rg = r | (g << 8), ba = b | alpha;
    store16(out, (u8x16)__builtin_shufflevector(rg, ba, 0, 8, 1, 9, 2, 10, 3, 11));
    store16(out + 16, (u8x16)__builtin_shufflevector(rg, ba, 4, 12, 5, 13, 6, 14, 7, 15));
  };
  int x = x0;
  for (; x + 16 <= x1; x += 16, dst += 64) {
    const i16x8 ui = (i16x8)load8_u16(u + (x >> 1)) - c128;
    const i16x8 vi = (i16x8)load8_u16(v + (x >> 1)) - c128;
    const u16x8 cb = (u16x8)(ui * ub), cg = (u16x8)(ui * ug + vi * vg), cr = (u16x8)(vi * vr);
    const u8x16 yy = load16(y + x);
    eight(widen_lo(yy), __builtin_shufflevector(cb, cb, 0, 0, 1, 1, 2, 2, 3, 3),
          __builtin_shufflevector(cg, cg, 0, 0, 1, 1, 2, 2, 3, 3), __builtin_shufflevector(cr, cr, 0, 0, 1, 1, 2, 2, 3, 3),
          dst);
    eight(widen_hi(yy), __builtin_shufflevector(cb, cb, 4, 4, 5, 5, 6, 6, 7, 7),
          __builtin_shufflevector(cg, cg, 4, 4, 5, 5, 6, 6, 7, 7), __builtin_shufflevector(cr, cr, 4, 4, 5, 5, 6, 6, 7, 7),
          dst + 32);
  }
  i420_row_scalar(y, u, v, x, x1, dst, k);
#else
  i420_row_scalar(y, u, v, x0, x1, dst, k);
#endif
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
