#include <doctest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compose/compose.h"
#include "tests/test_font.h"
#include "compose/compose_bench.h"
#include "compose/fit.h"

using tessera::Compositor;
using tessera::Fit;
using tessera::FitMode;
using tessera::RectF;
using tessera::RectI;
using tessera::Rgba;
using tessera::Surface;

namespace {

Rgba at(const Surface& s, int x, int y) {
  const uint8_t* p = s.pixel(x, y);
  return {p[0], p[1], p[2], p[3]};
}

void check_pixel(Rgba got, Rgba expected) {
  CHECK(int{got.r} == int{expected.r});
  CHECK(int{got.g} == int{expected.g});
  CHECK(int{got.b} == int{expected.b});
  CHECK(int{got.a} == int{expected.a});
}

uint32_t next(uint32_t& state) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

// An I420 frame of deterministic content.
struct Frame {
  std::vector<uint8_t> y, u, v;
  tessera::I420View view;
  Frame(int w, int h, tessera::YuvColour colour, uint32_t seed) {
    const int cw = (w + 1) / 2, ch = (h + 1) / 2;
    y.resize(static_cast<size_t>(w) * h);
    u.resize(static_cast<size_t>(cw) * ch);
    v.resize(static_cast<size_t>(cw) * ch);
    for (auto& b : y) b = static_cast<uint8_t>(next(seed));
    for (auto& b : u) b = static_cast<uint8_t>(next(seed));
    for (auto& b : v) b = static_cast<uint8_t>(next(seed));
    view.y = y.data();
    view.u = u.data();
    view.v = v.data();
    view.y_stride = w;
    view.u_stride = view.v_stride = cw;
    view.width = w;
    view.height = h;
    view.colour = colour;
  }
};

RectF whole(int w, int h) { return {0, 0, static_cast<double>(w), static_cast<double>(h)}; }

}  // namespace

TEST_CASE("compose: premultiplied source-over matches hand-computed values") {
  const uint8_t red_half[4] = {128, 64, 0, 128};  // premultiplied (255, 128, 0) at alpha 128
  uint8_t d[4] = {0, 0, 255, 255};
  tessera::blend_row(d, red_half, 1, 255);
  // out = s + div255(d * (255 - 128)): b = div255(255 * 127) = 127, a = 128 + 127.
  CHECK(d[0] == 128);
  CHECK(d[1] == 64);
  CHECK(d[2] == 127);
  CHECK(d[3] == 255);

  uint8_t e[4] = {0, 0, 255, 255};
  tessera::blend_row(e, red_half, 1, 128);
  // a' = div255(128 * 128) = 64 (64.25), inv = 191: r = div255(128 * 128) = 64,
  // g = div255(64 * 128) = 32 (32.13), b = div255(255 * 191) = 191, a = div255(16384 + 48705) = 255.
  CHECK(e[0] == 64);
  CHECK(e[1] == 32);
  CHECK(e[2] == 191);
  CHECK(e[3] == 255);

  const uint8_t s[4] = {100, 50, 0, 100};
  uint8_t f[4] = {0, 80, 80, 160};  // translucent destination
  tessera::blend_row(f, s, 1, 255);
  // inv = 155: g = 50 + div255(80 * 155 = 12400) = 50 + 49 (48.63), a = 100 + div255(24800) = 197.
  CHECK(f[0] == 100);
  CHECK(f[1] == 99);
  CHECK(f[2] == 49);
  CHECK(f[3] == 197);
}

TEST_CASE("compose: opacity 0 leaves the destination; opacity 255 of an opaque source replaces it") {
  const uint8_t src[8] = {10, 20, 30, 255, 1, 2, 3, 255};
  uint8_t dst[8] = {200, 100, 50, 255, 9, 9, 9, 90};
  uint8_t same[8];
  std::memcpy(same, dst, 8);
  tessera::blend_row(dst, src, 2, 0);
  CHECK(std::memcmp(dst, same, 8) == 0);
  tessera::blend_row(dst, src, 2, 255);
  CHECK(std::memcmp(dst, src, 8) == 0);
  // A fully transparent source changes nothing at any opacity.
  const uint8_t clear[4] = {0, 0, 0, 0};
  uint8_t g[4] = {7, 8, 9, 10};
  for (int o = 0; o <= 255; ++o) tessera::blend_row(g, clear, 1, static_cast<uint8_t>(o));
  CHECK(g[0] == 7);
  CHECK(g[3] == 10);
}

TEST_CASE("compose: the vector blend gives the scalar blend's bytes for every opacity, valid or not") {
  uint32_t seed = 77;
  std::vector<uint8_t> src(4 * 37), base(4 * 37);
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < src.size(); i += 4) {
      const uint8_t a = static_cast<uint8_t>(next(seed));
      for (int c = 0; c < 3; ++c) {
        // round 2: colour may exceed alpha (invalid premultiplied input must still agree)
        src[i + c] = static_cast<uint8_t>(round == 2 ? next(seed) : next(seed) % (a + 1u));
        base[i + c] = static_cast<uint8_t>(next(seed));
      }
      src[i + 3] = a;
      base[i + 3] = static_cast<uint8_t>(next(seed));
    }
    for (int o = 0; o <= 255; ++o) {
      std::vector<uint8_t> a = base, b = base;
      tessera::detail::blend_row_scalar(a.data(), src.data(), 37, static_cast<uint8_t>(o));
      tessera::detail::blend_row_vector(b.data(), src.data(), 37, static_cast<uint8_t>(o));
      REQUIRE(a == b);
    }
  }
}

TEST_CASE("compose: fill_row gives blend_row's bytes for a row of one colour") {
  uint32_t seed = 5;
  std::vector<uint8_t> base(4 * 23);
  for (auto& b : base) b = static_cast<uint8_t>(next(seed));
  for (int a : {0, 1, 77, 128, 254, 255}) {
    const uint8_t p[4] = {static_cast<uint8_t>(a / 2), static_cast<uint8_t>(a), 0, static_cast<uint8_t>(a)};
    std::vector<uint8_t> row;
    for (int i = 0; i < 23; ++i) row.insert(row.end(), p, p + 4);
    for (int o = 0; o <= 255; ++o) {
      std::vector<uint8_t> x = base, y = base;
      tessera::detail::fill_row(x.data(), p, 23, static_cast<uint8_t>(o));
      tessera::detail::blend_row_scalar(y.data(), row.data(), 23, static_cast<uint8_t>(o));
      REQUIRE(x == y);
    }
  }
}

TEST_CASE("compose: a coverage mask blends each pixel exactly as Surface::blend_pixel, vector and scalar alike") {
  uint32_t seed = 0x5eed1234u;
  for (int round = 0; round < 200; ++round) {
    const int pixels = 1 + static_cast<int>(next(seed) % 41);
    const Rgba colour{static_cast<uint8_t>(next(seed)), static_cast<uint8_t>(next(seed)), static_cast<uint8_t>(next(seed)),
                      static_cast<uint8_t>(round % 5 == 0 ? 255 : next(seed))};
    std::vector<uint8_t> coverage(static_cast<size_t>(pixels));
    for (int i = 0; i < pixels; ++i) {
      const uint32_t r = next(seed);
      // Runs of 0 and 255 as shapes have, and partial values at their edges.
      coverage[static_cast<size_t>(i)] = static_cast<uint8_t>((r & 3) == 0 ? 0 : (r & 3) == 1 ? 255 : r >> 8);
    }
    Surface expected(pixels, 1);
    for (int i = 0; i < pixels; ++i) {
      uint8_t* p = expected.data() + 4 * i;
      p[3] = static_cast<uint8_t>(next(seed));
      for (int c = 0; c < 3; ++c) p[c] = static_cast<uint8_t>(next(seed) % (p[3] + 1u));  // premultiplied
    }
    Surface vector_out = expected, scalar_out = expected;
    for (int i = 0; i < pixels; ++i) expected.blend_pixel(i, 0, colour, coverage[static_cast<size_t>(i)]);
    tessera::detail::blend_mask_row_vector(vector_out.data(), colour, coverage.data(), pixels);
    tessera::detail::blend_mask_row_scalar(scalar_out.data(), colour, coverage.data(), pixels);
    const size_t bytes = static_cast<size_t>(pixels) * 4;
    CHECK(std::memcmp(vector_out.data(), expected.data(), bytes) == 0);
    CHECK(std::memcmp(scalar_out.data(), expected.data(), bytes) == 0);
  }
  // Zero coverage keeps the pixel; full coverage of an opaque colour replaces it.
  Surface s(2, 1);
  s.data()[0] = s.data()[1] = s.data()[2] = s.data()[3] = 77;
  const uint8_t cover[2] = {0, 255};
  tessera::blend_mask_row(s.data(), {10, 20, 30, 255}, cover, 2);
  check_pixel(at(s, 0, 0), {77, 77, 77, 77});
  check_pixel(at(s, 1, 0), {10, 20, 30, 255});
}

TEST_CASE("compose: drawing clips at every surface edge") {
  Surface src(6, 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 6; ++x) src.fill_rect(x, y, 1, 1, {static_cast<uint8_t>(10 * x), static_cast<uint8_t>(10 * y), 7, 255});
  Compositor compositor;
  Surface out(5, 5);
  out.clear({1, 2, 3, 255});
  compositor.draw(out, tessera::view_of(src), whole(6, 4), {-2, -1, 6, 4});  // off the top-left
  check_pixel(at(out, 0, 0), {20, 10, 7, 255});  // source (2, 1)
  check_pixel(at(out, 3, 2), {50, 30, 7, 255});  // source (5, 3)
  check_pixel(at(out, 4, 0), {1, 2, 3, 255});    // right of the drawing
  check_pixel(at(out, 0, 3), {1, 2, 3, 255});    // below it
  compositor.draw(out, tessera::view_of(src), whole(6, 4), {3, 3, 6, 4});  // off the bottom-right
  check_pixel(at(out, 3, 3), {0, 0, 7, 255});
  check_pixel(at(out, 4, 4), {10, 10, 7, 255});
  compositor.draw(out, tessera::view_of(src), whole(6, 4), {9, 0, 6, 4});  // entirely outside: nothing
  compositor.draw(out, tessera::view_of(src), whole(6, 4), {-2, -1, 12, 8}, 255);  // scaled 2x, clipped
  // Output (0, 0) is pixel (2, 1) of the 2x drawing: source x 0.75, y 0.25 between pixel centres:
  // r = 7.5 -> 8, g = 2.5 -> 3 (each axis keeps 8 fractional bits; one rounding at the end).
  check_pixel(at(out, 0, 0), {8, 3, 7, 255});
}

TEST_CASE("compose: I420 draws equal drawing the converted frame, on the fast path and off it") {
  const Frame frame(45, 31, {tessera::YuvMatrix::Bt709, tessera::YuvRange::Limited}, 11);
  Surface converted;
  tessera::convert_to_surface(frame.view, converted);
  struct Case {
    RectF src;
    RectI dst;
    uint8_t opacity;
  };
  const Case cases[] = {
      {whole(45, 31), {3, 2, 45, 31}, 255},          // 1:1, straight into the output
      {whole(45, 31), {-5, 4, 45, 31}, 100},         // 1:1, blended, clipped
      {{3, 1, 20, 11}, {7, 9, 20, 11}, 255},         // 1:1 crop starting on an odd column
      {whole(45, 31), {0, 0, 60, 40}, 255},          // upscale
      {{2.5, 3.25, 30, 20.5}, {10, 5, 17, 9}, 200},  // fractional crop, downscale
  };
  for (const Case& c : cases) {
    Surface a(64, 48), b(64, 48);
    a.clear({40, 50, 60, 255});
    b.clear({40, 50, 60, 255});
    Compositor ca, cb;
    ca.draw(a, frame.view, c.src, c.dst, c.opacity);
    cb.draw(b, tessera::view_of(converted), c.src, c.dst, c.opacity);
    REQUIRE(std::memcmp(a.data(), b.data(), a.byte_size()) == 0);
  }
  // The 1:1 fast path gives the resampler's bytes (which it skips).
  Surface direct(45, 31), resampled(45, 31);
  Compositor compositor;
  compositor.draw(direct, frame.view, whole(45, 31), {0, 0, 45, 31});
  tessera::scale_rgba(tessera::view_of(converted), whole(45, 31), resampled.data(), 45, 31, 45 * 4, {0, 0, 45, 31});
  CHECK(std::memcmp(direct.data(), resampled.data(), direct.byte_size()) == 0);
}

TEST_CASE("compose: fill stores opaque colour, blends translucent colour and clips") {
  Surface s(4, 4);
  s.clear({0, 0, 0, 255});
  tessera::fill(s, {-1, -1, 3, 3}, {255, 128, 0, 255});
  check_pixel(at(s, 1, 1), {255, 128, 0, 255});
  check_pixel(at(s, 2, 2), {0, 0, 0, 255});
  tessera::fill(s, {2, 2, 10, 10}, {255, 255, 255, 255}, 128);  // white at half opacity over black
  check_pixel(at(s, 3, 3), {128, 128, 128, 255});
  tessera::fill(s, {0, 0, 4, 4}, {200, 100, 50, 128}, 255);  // translucent colour: premultiplied first
  // p = (100, 50, 25, 128); over (255, 128, 0): r = 100 + div255(255 * 127) = 227
  check_pixel(at(s, 1, 1), {227, 114, 25, 255});
  tessera::fill(s, {0, 0, 4, 4}, {9, 9, 9, 255}, 0);
  check_pixel(at(s, 1, 1), {227, 114, 25, 255});
}

TEST_CASE("compose: a crossfade and a dip are draws at an opacity and fills") {
  // Crossfade half way from red to blue: B over A at 128.
  Surface a(2, 2), b(2, 2);
  a.clear({255, 0, 0, 255});
  b.clear({0, 0, 255, 255});
  Compositor compositor;
  compositor.draw(a, tessera::view_of(b), whole(2, 2), {0, 0, 2, 2}, 128);
  check_pixel(at(a, 1, 1), {127, 0, 128, 255});  // r = div255(255 * 127), b = div255(255 * 128)
  // A dip at its middle is the colour alone.
  tessera::fill(a, {0, 0, 2, 2}, {0, 0, 0, 255}, 255);
  check_pixel(at(a, 0, 0), {0, 0, 0, 255});
}

TEST_CASE("compose fit: contain letterboxes and pillarboxes centred in the region") {
  const Fit letterbox = tessera::fit_source(1920, 1080, {10, 20, 400, 400}, FitMode::Contain);
  CHECK(letterbox.source.width == 1920);
  CHECK(letterbox.source.height == 1080);
  CHECK(letterbox.dest.x == 10);
  CHECK(letterbox.dest.y == 20 + 87);  // (400 - 225) / 2
  CHECK(letterbox.dest.width == 400);
  CHECK(letterbox.dest.height == 225);  // 400 * 1080 / 1920
  const Fit pillarbox = tessera::fit_source(1080, 1920, {0, 0, 1600, 900}, FitMode::Contain);
  CHECK(pillarbox.dest.width == 506);  // 506.25
  CHECK(pillarbox.dest.height == 900);
  CHECK(pillarbox.dest.x == 547);
  CHECK(pillarbox.dest.y == 0);
  const Fit exact = tessera::fit_source(640, 360, {5, 5, 1280, 720}, FitMode::Contain);
  CHECK((exact.dest.x == 5 && exact.dest.y == 5 && exact.dest.width == 1280 && exact.dest.height == 720));
  CHECK(tessera::fit_source(0, 360, {0, 0, 10, 10}, FitMode::Contain).dest.width == 0);
}

TEST_CASE("compose fit: cover crops the source to the region's aspect ratio, centred") {
  const Fit tall = tessera::fit_source(1920, 1080, {0, 0, 1080, 1920}, FitMode::Cover);
  CHECK(tall.source.x == doctest::Approx(656.25));
  CHECK(tall.source.y == 0);
  CHECK(tall.source.width == doctest::Approx(607.5));
  CHECK(tall.source.height == 1080);
  CHECK((tall.dest.width == 1080 && tall.dest.height == 1920));
  const Fit wide = tessera::fit_source(1920, 1080, {0, 0, 1000, 200}, FitMode::Cover);
  CHECK(wide.source.x == 0);
  CHECK(wide.source.width == 1920);
  CHECK(wide.source.height == doctest::Approx(384));
  CHECK(wide.source.y == doctest::Approx(348));
}

TEST_CASE("compose fit: roi reframes a 16:9 shot for a 9:16 phone region around the region of interest") {
  const RectI phone{0, 0, 1080, 1920};
  // A speaker near the left edge: the crop is pushed against that edge and keeps them in view.
  const Fit left = tessera::fit_source(1920, 1080, phone, FitMode::Roi, {0.02, 0.3, 0.1, 0.4});
  CHECK(left.source.x == 0);
  CHECK(left.source.width == doctest::Approx(607.5));
  CHECK(left.source.height == 1080);
  CHECK(0.02 * 1920 >= left.source.x);
  CHECK(0.12 * 1920 <= left.source.x + left.source.width);
  // Away from the edges the ROI is centred in the crop.
  const Fit centred = tessera::fit_source(1920, 1080, phone, FitMode::Roi, {0.55, 0.2, 0.1, 0.5});
  CHECK(centred.source.x == doctest::Approx(0.6 * 1920 - 607.5 / 2));
  // Near the right edge.
  const Fit right = tessera::fit_source(1920, 1080, phone, FitMode::Roi, {0.9, 0, 0.1, 1});
  CHECK(right.source.x == doctest::Approx(1920 - 607.5));
  // The whole frame as ROI is Cover.
  const Fit all = tessera::fit_source(1920, 1080, phone, FitMode::Roi, {});
  const Fit cover = tessera::fit_source(1920, 1080, phone, FitMode::Cover);
  CHECK(all.source.x == cover.source.x);
  // A 9:16 source into a 16:9 region crops vertically around the ROI.
  const Fit faces = tessera::fit_source(1080, 1920, {0, 0, 1920, 1080}, FitMode::Roi, {0.3, 0.25, 0.4, 0.1});
  CHECK(faces.source.width == 1080);
  CHECK(faces.source.height == doctest::Approx(607.5));
  CHECK(faces.source.y == doctest::Approx(0.3 * 1920 - 607.5 / 2));
  const Fit top = tessera::fit_source(1080, 1920, {0, 0, 1920, 1080}, FitMode::Roi, {0.3, 0.05, 0.4, 0.1});
  CHECK(top.source.y == 0);  // pushed against the top edge
  CHECK((faces.dest.width == 1920 && faces.dest.height == 1080));
}

TEST_CASE("compose: the reference frame hashes to the recorded value (native, wasm SIMD and wasm scalar alike)") {
  const std::string hash = tessera::compose_reference_frame_sha256();
  CHECK(hash == tessera::testing::golden_sha256("composeReference"));
  CHECK(hash == tessera::compose_reference_frame_sha256());  // and again: no state leaks between runs
}
