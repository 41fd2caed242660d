// YUV -> RGBA exactly as libyuv does it (the converter inside Chromium and Firefox), so the engine
// turns decoded I420 planes into the same bytes the browsers' own `VideoFrame.copyTo(RGBA)` gives,
// on every browser. Also the swizzle for decoders that hand out BGRX/RGBX (Firefox: BGRX).
//
// The maths is libyuv's C reference (YuvPixel with its YuvConstants): 6-bit fixed point,
//   y1 = ((y * 0x0101 * yg) >> 16) + yb
//   R = clamp((y1 + (v-128)*vr) >> 6),  G = clamp((y1 - (u-128)*ug - (v-128)*vg) >> 6),
//   B = clamp((y1 + (u-128)*ub) >> 6)
// with nearest chroma upsampling (each chroma sample covers 2x2 luma samples).
#pragma once

#include <cstdint>

namespace tessera {

enum class YuvMatrix : uint8_t { Bt601, Bt709 };
enum class YuvRange : uint8_t { Limited, Full };

struct YuvColour {
  YuvMatrix matrix = YuvMatrix::Bt709;
  YuvRange range = YuvRange::Limited;
};

// libyuv's integer coefficients for one matrix and range: BT.601 limited = kYuvI601Constants,
// BT.601 full = kYuvJPEGConstants, BT.709 limited = kYuvH709Constants, BT.709 full =
// kYuvF709Constants (libyuv's default build, i.e. without LIBYUV_UNLIMITED_DATA).
struct YuvCoefficients {
  int yg, yb, ub, ug, vg, vr;
};
const YuvCoefficients& yuv_coefficients(YuvColour colour);

struct Rgb8 {
  uint8_t r, g, b;
};
// One sample through libyuv's formula (the reference every converter here must equal).
Rgb8 yuv_to_rgb(uint8_t y, uint8_t u, uint8_t v, YuvColour colour);

// Borrowed I420 planes. Y is width x height; U and V are ((width+1)/2) x ((height+1)/2).
struct I420View {
  const uint8_t* y = nullptr;
  const uint8_t* u = nullptr;
  const uint8_t* v = nullptr;
  int y_stride = 0, u_stride = 0, v_stride = 0;
  int width = 0, height = 0;
  YuvColour colour;
};

// Converts the whole frame to RGBA (alpha 255) at dst (dst_stride bytes per row).
void i420_to_rgba(const I420View& src, uint8_t* dst, int dst_stride);
// Converts columns [x0, x1) of luma row `row` to x1 - x0 RGBA pixels at dst.
void i420_row_to_rgba(const I420View& src, int row, int x0, int x1, uint8_t* dst);

// 4-byte RGB pixels whose fourth byte is padding, as some decoders hand them out.
enum class RgbxOrder : uint8_t { Rgbx, Bgrx };
// Reorders to RGBA and sets alpha to 255. src and dst may be the same buffer.
void rgbx_to_rgba(const uint8_t* src, int src_stride, RgbxOrder order, int width, int height, uint8_t* dst,
                  int dst_stride);

namespace detail {
// The two implementations of a converted row, exposed so tests can prove them identical: the
// scalar twin (used by builds without vectors, and for row tails) and the vector loop (same as
// scalar when the build has no vectors). Rows point at column 0; converts columns [x0, x1).
void i420_row_scalar(const uint8_t* y, const uint8_t* u, const uint8_t* v, int x0, int x1, uint8_t* dst,
                     const YuvCoefficients& k);
void i420_row_vector(const uint8_t* y, const uint8_t* u, const uint8_t* v, int x0, int x1, uint8_t* dst,
                     const YuvCoefficients& k);
// The same conversion for a row whose chroma is at full resolution (a scaled frame's resampled
// planes): pixel i from y[i], u[i], v[i].
void yuv444_row_scalar(const uint8_t* y, const uint8_t* u, const uint8_t* v, int width, uint8_t* dst,
                       const YuvCoefficients& k);
void yuv444_row_vector(const uint8_t* y, const uint8_t* u, const uint8_t* v, int width, uint8_t* dst,
                       const YuvCoefficients& k);
void rgbx_row_scalar(const uint8_t* src, RgbxOrder order, int width, uint8_t* dst);
void rgbx_row_vector(const uint8_t* src, RgbxOrder order, int width, uint8_t* dst);
}  // namespace detail

}  // namespace tessera
