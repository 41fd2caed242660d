#include <doctest.h>

#include <cstring>
#include <vector>

#include "compose/scale.h"

using tessera::AxisTaps;
using tessera::RectF;
using tessera::RectI;
using tessera::RgbaView;

namespace {

struct Image {
  int width, height;
  std::vector<uint8_t> pixels;
  Image(int w, int h) : width(w), height(h), pixels(static_cast<size_t>(w) * h * 4, 0) {}
  RgbaView view() const { return {pixels.data(), width, height, width * 4}; }
  uint8_t* at(int x, int y) { return pixels.data() + (static_cast<size_t>(y) * width + x) * 4; }
  const uint8_t* at(int x, int y) const { return pixels.data() + (static_cast<size_t>(y) * width + x) * 4; }
};

uint32_t next(uint32_t& state) {  // xorshift: deterministic test content
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

// Random premultiplied pixels (colour <= alpha).
Image random_image(int w, int h, uint32_t seed) {
  Image image(w, h);
  for (size_t i = 0; i < image.pixels.size(); i += 4) {
    const uint8_t a = static_cast<uint8_t>(next(seed));
    for (int c = 0; c < 3; ++c) image.pixels[i + c] = static_cast<uint8_t>(next(seed) % (a + 1u));
    image.pixels[i + 3] = a;
  }
  return image;
}

Image scaled(const Image& src, RectF src_rect, int w, int h) {
  Image out(w, h);
  tessera::scale_rgba(src.view(), src_rect, out.pixels.data(), w, h, w * 4, {0, 0, w, h});
  return out;
}

RectF whole(const Image& image) { return {0, 0, static_cast<double>(image.width), static_cast<double>(image.height)}; }

}  // namespace

TEST_CASE("scale: 1:1 is an exact copy, also of an integral crop") {
  const Image src = random_image(37, 23, 7);
  CHECK(scaled(src, whole(src), 37, 23).pixels == src.pixels);
  const Image crop = scaled(src, {5, 3, 20, 11}, 20, 11);
  for (int y = 0; y < 11; ++y) REQUIRE(std::memcmp(crop.at(0, y), src.at(5, y + 3), 20 * 4) == 0);
}

TEST_CASE("scale: a constant picture stays constant at any scale and crop") {
  Image src(29, 17);
  for (size_t i = 0; i < src.pixels.size(); i += 4) {
    src.pixels[i] = 100;
    src.pixels[i + 1] = 50;
    src.pixels[i + 2] = 20;
    src.pixels[i + 3] = 200;
  }
  const RectF crops[] = {whole(src), {0.3, 0.7, 13.9, 9.1}, {3.5, 2.25, 1.5, 1.0}, {-2, -1, 33, 20}};
  const int sizes[][2] = {{1, 1}, {7, 5}, {29, 17}, {64, 3}, {100, 71}, {3, 90}};
  for (const RectF& crop : crops) {
    for (const auto& size : sizes) {
      const Image out = scaled(src, crop, size[0], size[1]);
      for (size_t i = 0; i < out.pixels.size(); i += 4) {
        REQUIRE(out.pixels[i] == 100);
        REQUIRE(out.pixels[i + 1] == 50);
        REQUIRE(out.pixels[i + 2] == 20);
        REQUIRE(out.pixels[i + 3] == 200);
      }
    }
  }
}

TEST_CASE("scale: 2:1 downscale of a checkerboard gives the mean") {
  Image checker(4, 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) {
      uint8_t* p = checker.at(x, y);
      const uint8_t v = (x + y) % 2 ? 255 : 0;
      p[0] = p[1] = p[2] = v;
      p[3] = 255;
    }
  const Image half = scaled(checker, whole(checker), 2, 2);
  for (size_t i = 0; i < half.pixels.size(); i += 4) {
    CHECK(half.pixels[i] == 128);  // mean 127.5, rounded half up
    CHECK(half.pixels[i + 3] == 255);
  }
  // 2x2 -> 1x1 with alpha: the mean of premultiplied values.
  Image quad(2, 2);
  const uint8_t values[4][4] = {{0, 0, 0, 0}, {200, 100, 0, 200}, {50, 50, 50, 50}, {10, 20, 30, 40}};
  for (int i = 0; i < 4; ++i) std::memcpy(quad.pixels.data() + 4 * i, values[i], 4);
  const Image one = scaled(quad, whole(quad), 1, 1);
  CHECK(one.pixels[0] == 65);  // (0 + 200 + 50 + 10) / 4 = 65
  CHECK(one.pixels[1] == 43);  // 42.5 -> 43
  CHECK(one.pixels[2] == 20);
  CHECK(one.pixels[3] == 73);  // 72.5 -> 73
}

TEST_CASE("scale: area weights follow the overlap and sum to one") {
  AxisTaps taps;
  REQUIRE(tessera::plan_axis(0, 3, 3, 2, 0, 2, taps));  // 3 -> 2: each output covers 1.5 inputs
  REQUIRE(taps.size() == 2);
  CHECK(taps.start[0] == 0);
  CHECK(taps.offset[1] - taps.offset[0] == 2);
  CHECK(taps.weights[0] == 171);  // 1 / 1.5 = 2/3 of 256 = 170.67: the largest remainder rounds up
  CHECK(taps.weights[1] == 85);   // 85.33
  CHECK(taps.start[1] == 1);
  CHECK(taps.weights[2] == 85);
  CHECK(taps.weights[3] == 171);
  // Every plan's weights sum to exactly one, for shrinking and growing, fractional or not.
  const double starts[] = {0, 0.4, 7.75, -3};
  const double lengths[] = {1, 2.5, 100, 333.3};
  const int dsts[] = {1, 3, 50, 640};
  for (double s : starts)
    for (double l : lengths)
      for (int d : dsts) {
        REQUIRE(tessera::plan_axis(s, l, 400, d, 0, d, taps));
        for (int j = 0; j < taps.size(); ++j) {
          int sum = 0;
          for (int t = taps.offset[j]; t < taps.offset[j + 1]; ++t) sum += taps.weights[t];
          REQUIRE(sum == 256);
          REQUIRE(taps.start[j] >= 0);
          REQUIRE(taps.start[j] + taps.offset[j + 1] - taps.offset[j] <= 400);
        }
      }
}

TEST_CASE("scale: bilinear upscale interpolates between pixel centres") {
  Image row(2, 1);
  row.pixels = {0, 0, 0, 255, 255, 255, 255, 255};
  const Image wide = scaled(row, whole(row), 4, 1);
  // Centres of the 4 outputs fall at -0.25, 0.25, 0.75, 1.25 source pixels past the first centre.
  CHECK(wide.pixels[0] == 0);
  CHECK(wide.pixels[4] == 64);  // 0.25 * 255 = 63.75
  CHECK(wide.pixels[8] == 191);  // 191.25
  CHECK(wide.pixels[12] == 255);
  for (int i = 0; i < 4; ++i) CHECK(wide.pixels[4 * i + 3] == 255);
}

TEST_CASE("scale: a fractional source rectangle weighs the pixels it half covers") {
  Image row(3, 1);
  row.pixels = {0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255};
  const Image half = scaled(row, {0.5, 0, 1, 1}, 1, 1);  // half of pixel 0, half of pixel 1
  CHECK(half.pixels[0] == 128);
  const Image shifted = scaled(row, {0.25, 0, 2, 1}, 2, 1);  // 3/4 of 0 + 1/4 of 1; then pixel 1 and 2
  CHECK(shifted.pixels[0] == 64);  // 63.75
  CHECK(shifted.pixels[4] == 255);
}

TEST_CASE("scale: clipped drawing produces exactly the visible part of the unclipped result") {
  const Image src = random_image(50, 40, 99);
  const RectF crop{3.3, 2.7, 40.1, 31.9};
  const Image full = scaled(src, crop, 73, 29);  // up in x, down in y
  Image clipped(30, 20);
  const RectI dst{-20, -5, 73, 29};  // hangs off the left and top; its right part off the right
  tessera::scale_rgba(src.view(), crop, clipped.pixels.data(), 30, 20, 30 * 4, dst);
  for (int y = 0; y < 20; ++y) {
    const int fy = y + 5;
    if (fy >= 29) {
      for (int x = 0; x < 30; ++x) REQUIRE(clipped.at(x, y)[3] == 0);  // below the drawing: untouched
      continue;
    }
    REQUIRE(std::memcmp(clipped.at(0, y), full.at(20, fy), 30 * 4) == 0);
  }
}

TEST_CASE("scale: premultiplied pixels stay premultiplied (colour <= alpha)") {
  const Image src = random_image(31, 19, 1234);
  const RectF crops[] = {whole(src), {1.7, 0.2, 20.5, 11.1}};
  const int sizes[][2] = {{5, 3}, {31, 19}, {90, 47}, {13, 60}};
  for (const RectF& crop : crops)
    for (const auto& size : sizes) {
      const Image out = scaled(src, crop, size[0], size[1]);
      for (size_t i = 0; i < out.pixels.size(); i += 4)
        for (int c = 0; c < 3; ++c) REQUIRE(out.pixels[i + c] <= out.pixels[i + 3]);
    }
}

TEST_CASE("scale: the vector passes give the scalar passes' bytes") {
  uint32_t seed = 42;
  const Image src = random_image(211, 3, 5);
  AxisTaps taps;
  tessera::detail::RowFilter filter;
  // Spans anywhere in the row, ending at its last pixel, and one pixel wide; shrinking 1x to 20x
  // and growing.
  const double spans[][2] = {{0, 211 - 11.5}, {0, 57.3}, {0, 12},   {0.37, 211 - 11.5}, {0.37, 57.3},
                             {0.37, 12},      {11.5, 199.5}, {11.5, 57.3}, {11.5, 12}, {150.25, 60.75},
                             {209.6, 1.4},    {210.2, 0.5},  {0, 211},     {3, 1},
                             {0, 210},        {7, 200},      {1, 32}};  // the last three halve at d = 105, 100, 16
  const int dsts[] = {1, 2, 3, 5, 10, 15, 16, 100, 105, 333};
  int halving_plans = 0;
  for (const auto& span : spans)
    for (int d : dsts) {
      REQUIRE(tessera::plan_axis(span[0], span[1], 211, d, 0, d, taps));
      tessera::detail::prepare_row_filter(taps, filter);
      // The span alone, in memory of exactly its size: the vector pass must not read past it.
      const size_t span_bytes = static_cast<size_t>(taps.src_end - taps.src_begin) * 4;
      for (int32_t offset : filter.pair_offsets) REQUIRE(offset + 8 <= static_cast<int32_t>(span_bytes));
      halving_plans += filter.halves ? 1 : 0;
      const uint8_t* first = src.pixels.data() + static_cast<size_t>(taps.src_begin) * 4;
      const std::vector<uint8_t> row(first, first + span_bytes);
      std::vector<uint8_t> a(static_cast<size_t>(d) * 4), b(static_cast<size_t>(d) * 4);
      tessera::detail::filter_row_scalar(row.data(), taps, a.data());
      tessera::detail::filter_row_vector(row.data(), taps, filter, b.data());
      REQUIRE(a == b);
    }
  CHECK(halving_plans == 3);  // {0, 210} -> 105, {7, 200} -> 100 and {1, 32} -> 16 take the averaging loop
  // Vertical: up to 5 rows, any weights summing to 256.
  for (int taps_count = 1; taps_count <= 5; ++taps_count) {
    for (int values : {1, 15, 16, 17, 100}) {
      std::vector<std::vector<uint8_t>> rows(static_cast<size_t>(taps_count), std::vector<uint8_t>(static_cast<size_t>(values)));
      std::vector<const uint8_t*> pointers;
      for (auto& r : rows) {
        for (auto& v : r) v = static_cast<uint8_t>(next(seed));
        pointers.push_back(r.data());
      }
      for (int halves = 0; halves < (taps_count == 2 ? 2 : 1); ++halves) {  // 128 + 128: the rounded mean
        std::vector<uint16_t> weights(static_cast<size_t>(taps_count));
        int left = 256;
        for (int t = 0; t < taps_count; ++t) {
          weights[t] = static_cast<uint16_t>(t + 1 == taps_count ? left
                                             : halves           ? 128
                                                                : static_cast<int>(next(seed) % (left + 1u)));
          left -= weights[t];
        }
        std::vector<uint8_t> a(static_cast<size_t>(values)), b(static_cast<size_t>(values));
        tessera::detail::combine_rows_scalar(pointers.data(), weights.data(), taps_count, values, a.data());
        tessera::detail::combine_rows_vector(pointers.data(), weights.data(), taps_count, values, b.data());
        REQUIRE(a == b);
      }
    }
  }
}

TEST_CASE("scale: nothing is drawn for empty or invalid rectangles") {
  const Image src = random_image(8, 8, 3);
  Image out(4, 4);
  tessera::scale_rgba(src.view(), {0, 0, 0, 8}, out.pixels.data(), 4, 4, 16, {0, 0, 4, 4});
  tessera::scale_rgba(src.view(), {0, 0, 8, 8}, out.pixels.data(), 4, 4, 16, {5, 0, 4, 4});
  tessera::scale_rgba(src.view(), {0, 0, 8, 8}, out.pixels.data(), 4, 4, 16, {0, 0, 0, 4});
  tessera::scale_rgba(src.view(), {0, 0, 1e300, 8}, out.pixels.data(), 4, 4, 16, {0, 0, 4, 4});
  for (uint8_t v : out.pixels) REQUIRE(v == 0);
}

TEST_CASE("scale: the 64-bit vertical pass of builds without vectors equals the scalar one") {
  uint32_t seed = 17;
  for (int taps_count = 1; taps_count <= 6; ++taps_count) {
    for (int values : {1, 7, 8, 9, 63, 64, 100}) {
      std::vector<std::vector<uint8_t>> rows(static_cast<size_t>(taps_count), std::vector<uint8_t>(static_cast<size_t>(values)));
      std::vector<const uint8_t*> pointers;
      for (auto& r : rows) {
        for (auto& v : r) v = static_cast<uint8_t>(next(seed) | (taps_count == 2 ? 0xF0u : 0u));  // include near-255 runs
        pointers.push_back(r.data());
      }
      std::vector<uint16_t> weights(static_cast<size_t>(taps_count));
      int left = 256;
      for (int t = 0; t < taps_count; ++t) {
        weights[t] = static_cast<uint16_t>(t + 1 == taps_count ? left : static_cast<int>(next(seed) % (left + 1u)));
        left -= weights[t];
      }
      std::vector<uint8_t> x(static_cast<size_t>(values)), y(static_cast<size_t>(values));
      tessera::detail::combine_rows_scalar(pointers.data(), weights.data(), taps_count, values, x.data());
      tessera::detail::combine_rows_swar(pointers.data(), weights.data(), taps_count, values, y.data());
      REQUIRE(x == y);
    }
  }
  // All 255 with a weight of 256: the largest sum a lane holds.
  std::vector<uint8_t> full(16, 255), out(16);
  const uint8_t* one[1] = {full.data()};
  const uint16_t w256[1] = {256};
  tessera::detail::combine_rows_swar(one, w256, 1, 16, out.data());
  for (uint8_t v : out) REQUIRE(v == 255);
}
