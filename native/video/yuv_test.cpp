#include <doctest.h>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "video/yuv.h"

using tessera::I420View;
using tessera::Rgb8;
using tessera::RgbxOrder;
using tessera::YuvColour;
using tessera::YuvMatrix;
using tessera::YuvRange;

namespace {

constexpr YuvColour kBt601Limited{YuvMatrix::Bt601, YuvRange::Limited};
constexpr YuvColour kBt601Full{YuvMatrix::Bt601, YuvRange::Full};
constexpr YuvColour kBt709Limited{YuvMatrix::Bt709, YuvRange::Limited};
constexpr YuvColour kBt709Full{YuvMatrix::Bt709, YuvRange::Full};
constexpr YuvColour kAllColours[] = {kBt601Limited, kBt601Full, kBt709Limited, kBt709Full};

struct Row {
  uint8_t y, u, v;
  Rgb8 rgb;
};

void check_table(YuvColour colour, const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    CAPTURE(int{row.y});
    CAPTURE(int{row.u});
    CAPTURE(int{row.v});
    const Rgb8 got = tessera::yuv_to_rgb(row.y, row.u, row.v, colour);
    CHECK(int{got.r} == int{row.rgb.r});
    CHECK(int{got.g} == int{row.rgb.g});
    CHECK(int{got.b} == int{row.rgb.b});
  }
}

}  // namespace

// Expected values are libyuv's formula worked by hand (see yuv.h):
//   y1 = ((y*257*yg) >> 16) + yb; R = (y1 + vi*vr) >> 6; G = (y1 - ui*ug - vi*vg) >> 6;
//   B = (y1 + ui*ub) >> 6, clamped; ui = u - 128, vi = v - 128.
// e.g. BT.709 limited (81, 90, 240): y1 = (20817*18997 >> 16) - 1160 = 6034 - 1160 = 4874;
//   R = (4874 + 112*115) >> 6 = 277 -> 255; G = (4874 - (-38*14 + 112*34)) >> 6 = 1598 >> 6 = 24;
//   B = (4874 - 38*128) >> 6 = 10 >> 6 = 0.
TEST_CASE("yuv: BT.601 limited range matches libyuv's kYuvI601Constants") {
  check_table(kBt601Limited, {
                                 {0, 128, 128, {0, 0, 0}},          // below black clamps
                                 {16, 128, 128, {0, 0, 0}},         // y1 = 1191 - 1160 = 31 -> 0
                                 {126, 128, 128, {128, 128, 128}},  // mid grey
                                 {235, 128, 128, {255, 255, 255}},  // y1 = 17506 - 1160 = 16346 -> 255
                                 {255, 128, 128, {255, 255, 255}},  // above white clamps
                                 {16, 16, 16, {0, 135, 0}},
                                 {235, 240, 240, {255, 120, 255}},
                                 {81, 90, 240, {254, 0, 0}},  // BT.601 red
                                 {145, 54, 34, {0, 255, 2}},  // BT.601 green
                                 {41, 240, 110, {0, 0, 253}},  // BT.601 blue
                                 {0, 0, 0, {0, 135, 0}},
                                 {255, 255, 255, {255, 125, 255}},
                                 {16, 240, 16, {0, 47, 224}},
                                 {235, 16, 240, {255, 208, 31}},
                                 {100, 200, 50, {0, 133, 242}},
                             });
}

TEST_CASE("yuv: BT.601 full range (JPEG) matches libyuv's kYuvJPEGConstants") {
  check_table(kBt601Full, {
                              {0, 128, 128, {0, 0, 0}},
                              {16, 128, 128, {16, 16, 16}},  // y1 = 1023 + 32 = 1055 -> 16
                              {126, 128, 128, {126, 126, 126}},
                              {235, 128, 128, {235, 235, 235}},
                              {255, 128, 128, {255, 255, 255}},
                              {16, 16, 16, {0, 135, 0}},
                              {235, 240, 240, {255, 116, 255}},
                              {81, 90, 240, {238, 14, 14}},
                              {145, 54, 34, {13, 238, 14}},
                              {41, 240, 110, {16, 15, 239}},
                              {0, 0, 0, {0, 136, 0}},
                              {255, 255, 255, {255, 120, 255}},
                              {16, 240, 16, {0, 58, 214}},
                              {235, 16, 240, {255, 193, 37}},
                              {100, 200, 50, {0, 131, 227}},
                          });
}

TEST_CASE("yuv: BT.709 limited range matches libyuv's kYuvH709Constants") {
  check_table(kBt709Limited, {
                                 {0, 128, 128, {0, 0, 0}},
                                 {16, 128, 128, {0, 0, 0}},
                                 {126, 128, 128, {128, 128, 128}},
                                 {235, 128, 128, {255, 255, 255}},
                                 {255, 128, 128, {255, 255, 255}},
                                 {16, 16, 16, {0, 84, 0}},
                                 {235, 240, 240, {255, 171, 255}},
                                 {81, 90, 240, {255, 24, 0}},  // worked above
                                 {145, 54, 34, {0, 216, 2}},
                                 {41, 240, 110, {0, 14, 253}},
                                 {0, 0, 0, {0, 77, 0}},
                                 {255, 255, 255, {255, 183, 255}},
                                 {16, 240, 16, {0, 35, 224}},
                                 {235, 16, 240, {255, 220, 31}},
                                 {100, 200, 50, {0, 123, 242}},
                             });
}

TEST_CASE("yuv: BT.709 full range matches libyuv's kYuvF709Constants") {
  check_table(kBt709Full, {
                              {0, 128, 128, {0, 0, 0}},
                              {16, 128, 128, {16, 16, 16}},
                              {126, 128, 128, {126, 126, 126}},
                              {235, 128, 128, {235, 235, 235}},
                              {255, 128, 128, {255, 255, 255}},
                              {16, 16, 16, {0, 89, 0}},
                              {235, 240, 240, {255, 161, 255}},
                              {81, 90, 240, {255, 36, 10}},
                              {145, 54, 34, {0, 203, 7}},
                              {41, 240, 110, {13, 28, 249}},
                              {0, 0, 0, {0, 84, 0}},
                              {255, 255, 255, {255, 172, 255}},
                              {16, 240, 16, {0, 47, 224}},
                              {235, 16, 240, {255, 203, 27}},
                              {100, 200, 50, {0, 123, 234}},
                          });
}

TEST_CASE("yuv: the vector row equals the scalar row for every (Y, U, V) in every matrix and range") {
  // One row per (v, y pair): luma x carries y = 2*j + (x & 1), chroma sample x/2 carries u = x/2,
  // so 128 * 256 rows of 512 pixels cover all 2^24 triples.
  std::vector<uint8_t> y(512), u(256), v(256), scalar(512 * 4), vector(512 * 4);
  for (int i = 0; i < 256; ++i) u[i] = static_cast<uint8_t>(i);
  for (const YuvColour colour : kAllColours) {
    const tessera::YuvCoefficients& k = tessera::yuv_coefficients(colour);
    int mismatched_rows = 0;
    for (int vv = 0; vv < 256; ++vv) {
      for (int i = 0; i < 256; ++i) v[i] = static_cast<uint8_t>(vv);
      for (int j = 0; j < 128; ++j) {
        for (int x = 0; x < 512; ++x) y[x] = static_cast<uint8_t>(2 * j + (x & 1));
        tessera::detail::i420_row_scalar(y.data(), u.data(), v.data(), 0, 512, scalar.data(), k);
        tessera::detail::i420_row_vector(y.data(), u.data(), v.data(), 0, 512, vector.data(), k);
        mismatched_rows += scalar != vector;
      }
    }
    CHECK(mismatched_rows == 0);
  }
  // The scalar row is the per-sample formula.
  tessera::detail::i420_row_scalar(y.data(), u.data(), v.data(), 0, 512, scalar.data(), tessera::yuv_coefficients(kBt709Limited));
  for (int x = 0; x < 512; ++x) {
    const Rgb8 p = tessera::yuv_to_rgb(y[x], u[x / 2], v[x / 2], kBt709Limited);
    REQUIRE(scalar[4 * x] == p.r);
    REQUIRE(scalar[4 * x + 1] == p.g);
    REQUIRE(scalar[4 * x + 2] == p.b);
    REQUIRE(scalar[4 * x + 3] == 255);
  }
}

TEST_CASE("yuv: full-resolution chroma rows are the per-sample formula for every (Y, U, V), vector and scalar") {
  // One row per (u, v): y = x. The scalar row runs on tables, the vector row on 16-bit lanes;
  // both must be yuv_to_rgb's formula exactly, in every matrix and range.
  std::vector<uint8_t> y(256), u(256), v(256), scalar(256 * 4), vector(256 * 4);
  for (int i = 0; i < 256; ++i) y[i] = static_cast<uint8_t>(i);
  for (const YuvColour colour : kAllColours) {
    const tessera::YuvCoefficients& k = tessera::yuv_coefficients(colour);
    int mismatches = 0;
    for (int uu = 0; uu < 256; ++uu) {
      std::fill(u.begin(), u.end(), static_cast<uint8_t>(uu));
      for (int vv = 0; vv < 256; ++vv) {
        std::fill(v.begin(), v.end(), static_cast<uint8_t>(vv));
        tessera::detail::yuv444_row_scalar(y.data(), u.data(), v.data(), 256, scalar.data(), k);
        tessera::detail::yuv444_row_vector(y.data(), u.data(), v.data(), 256, vector.data(), k);
        mismatches += scalar != vector;
        for (int x = 0; x < 256; ++x) {
          const Rgb8 p = tessera::yuv_to_rgb(static_cast<uint8_t>(x), static_cast<uint8_t>(uu), static_cast<uint8_t>(vv), colour);
          mismatches += scalar[4 * x] != p.r || scalar[4 * x + 1] != p.g || scalar[4 * x + 2] != p.b || scalar[4 * x + 3] != 255;
        }
      }
    }
    CHECK(mismatches == 0);
  }
  // Any width: the vector row's scalar tail.
  for (int width : {0, 1, 15, 17, 40}) {
    std::vector<uint8_t> a(static_cast<size_t>(width) * 4 + 4, 0xAB), b(static_cast<size_t>(width) * 4 + 4, 0xAB);
    const tessera::YuvCoefficients& k = tessera::yuv_coefficients(kBt601Full);
    tessera::detail::yuv444_row_scalar(y.data() + 100, y.data() + 30, y.data() + 200, width, a.data(), k);
    tessera::detail::yuv444_row_vector(y.data() + 100, y.data() + 30, y.data() + 200, width, b.data(), k);
    REQUIRE(a == b);  // including the untouched guard pixel
  }
}

TEST_CASE("yuv: rows starting and ending anywhere use the chroma sample under each pixel") {
  std::vector<uint8_t> y(70), u(35), v(35);
  for (int i = 0; i < 70; ++i) y[i] = static_cast<uint8_t>(16 + i * 3);
  for (int i = 0; i < 35; ++i) {
    u[i] = static_cast<uint8_t>(40 + i * 5);
    v[i] = static_cast<uint8_t>(220 - i * 4);
  }
  const tessera::YuvCoefficients& k = tessera::yuv_coefficients(kBt601Limited);
  for (int x0 = 0; x0 < 5; ++x0) {
    for (int x1 = x0; x1 <= 70; x1 += 7) {
      std::vector<uint8_t> scalar((x1 - x0) * 4 + 4, 0xAB), vector((x1 - x0) * 4 + 4, 0xAB);
      tessera::detail::i420_row_scalar(y.data(), u.data(), v.data(), x0, x1, scalar.data(), k);
      tessera::detail::i420_row_vector(y.data(), u.data(), v.data(), x0, x1, vector.data(), k);
      REQUIRE(scalar == vector);  // including the untouched guard pixel
      for (int x = x0; x < x1; ++x) {
        const Rgb8 p = tessera::yuv_to_rgb(y[x], u[x / 2], v[x / 2], kBt601Limited);
        REQUIRE(scalar[4 * (x - x0)] == p.r);
        REQUIRE(scalar[4 * (x - x0) + 2] == p.b);
      }
    }
  }
}

TEST_CASE("yuv: odd-sized I420 frames with padded strides upsample chroma 2x2 nearest") {
  const int w = 37, h = 5, cw = 19, ch = 3;
  const int ys = 48, us = 24, vs = 29, ds = w * 4 + 12;
  std::vector<uint8_t> Y(ys * h, 7), U(us * ch, 7), V(vs * ch, 7), out(ds * h, 0xCD);
  for (int r = 0; r < h; ++r)
    for (int x = 0; x < w; ++x) Y[r * ys + x] = static_cast<uint8_t>((x * 7 + r * 31) % 256);
  for (int r = 0; r < ch; ++r)
    for (int x = 0; x < cw; ++x) {
      U[r * us + x] = static_cast<uint8_t>((x * 13 + r * 50) % 256);
      V[r * vs + x] = static_cast<uint8_t>((255 - x * 11 - r * 40 + 512) % 256);
    }
  I420View frame;
  frame.y = Y.data();
  frame.u = U.data();
  frame.v = V.data();
  frame.y_stride = ys;
  frame.u_stride = us;
  frame.v_stride = vs;
  frame.width = w;
  frame.height = h;
  frame.colour = kBt709Full;
  tessera::i420_to_rgba(frame, out.data(), ds);
  for (int r = 0; r < h; ++r) {
    for (int x = 0; x < w; ++x) {
      const Rgb8 p = tessera::yuv_to_rgb(Y[r * ys + x], U[(r / 2) * us + x / 2], V[(r / 2) * vs + x / 2], kBt709Full);
      const uint8_t* q = out.data() + r * ds + x * 4;
      REQUIRE(q[0] == p.r);
      REQUIRE(q[1] == p.g);
      REQUIRE(q[2] == p.b);
      REQUIRE(q[3] == 255);
    }
    for (int pad = w * 4; pad < ds; ++pad) REQUIRE(out[r * ds + pad] == 0xCD);  // row padding untouched
  }
}

TEST_CASE("yuv: BGRX and RGBX become RGBA with opaque alpha, in place too") {
  std::vector<uint8_t> bgrx, rgbx;
  for (int i = 0; i < 11; ++i) {
    const uint8_t r = static_cast<uint8_t>(i * 20), g = static_cast<uint8_t>(i * 3 + 1), b = static_cast<uint8_t>(250 - i);
    bgrx.insert(bgrx.end(), {b, g, r, 0});
    rgbx.insert(rgbx.end(), {r, g, b, 17});
  }
  std::vector<uint8_t> from_bgrx(bgrx.size()), from_rgbx = rgbx;
  tessera::rgbx_to_rgba(bgrx.data(), 44, RgbxOrder::Bgrx, 11, 1, from_bgrx.data(), 44);
  tessera::rgbx_to_rgba(from_rgbx.data(), 44, RgbxOrder::Rgbx, 11, 1, from_rgbx.data(), 44);
  for (int i = 0; i < 11; ++i) {
    CHECK(from_bgrx[4 * i] == i * 20);
    CHECK(from_bgrx[4 * i + 1] == i * 3 + 1);
    CHECK(from_bgrx[4 * i + 2] == 250 - i);
    CHECK(from_bgrx[4 * i + 3] == 255);
  }
  for (std::size_t i = 0; i < rgbx.size(); ++i) CHECK(from_rgbx[i] == (i % 4 == 3 ? 255 : rgbx[i]));
  std::vector<uint8_t> scalar(44), vector(44);
  tessera::detail::rgbx_row_scalar(bgrx.data(), RgbxOrder::Bgrx, 11, scalar.data());
  tessera::detail::rgbx_row_vector(bgrx.data(), RgbxOrder::Bgrx, 11, vector.data());
  CHECK(scalar == vector);
}
