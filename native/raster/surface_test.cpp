#include <doctest.h>

#include "raster/surface.h"

using tessera::Rgba;
using tessera::Surface;

namespace {
Rgba at(const Surface& s, int x, int y) {
  const uint8_t* p = s.pixel(x, y);
  return {p[0], p[1], p[2], p[3]};
}
}  // namespace

TEST_CASE("div255 rounds exactly over the whole product range") {
  for (uint32_t x = 0; x <= 255u * 255u; ++x) {
    const uint32_t expected = (x * 2 + 255) / 510;  // round-half-up of x / 255
    REQUIRE(tessera::div255(x) == expected);
  }
}

TEST_CASE("clear stores premultiplied colour") {
  Surface s(2, 2);
  s.clear({200, 100, 50, 128});
  const Rgba p = at(s, 1, 1);
  CHECK(p.r == 100);  // 200 * 128 / 255 = 100.39
  CHECK(p.g == 50);
  CHECK(p.b == 25);
  CHECK(p.a == 128);
}

TEST_CASE("opaque fill_rect replaces pixels and clips to the surface") {
  Surface s(4, 3);
  s.clear({0, 0, 0, 255});
  s.fill_rect(-2, 1, 4, 10, {10, 20, 30, 255});
  CHECK(at(s, 0, 1).r == 10);
  CHECK(at(s, 1, 2).b == 30);
  CHECK(at(s, 2, 1).r == 0);   // outside the rectangle
  CHECK(at(s, 0, 0).g == 0);   // above it
}

TEST_CASE("half-transparent white over black gives mid grey") {
  Surface s(1, 1);
  s.clear({0, 0, 0, 255});
  s.blend_pixel(0, 0, {255, 255, 255, 128}, 255);
  const Rgba p = at(s, 0, 0);
  CHECK(p.r == 128);
  CHECK(p.a == 255);
}

TEST_CASE("ramp runs exactly from its first value to its last") {
  Surface s(256, 1);
  s.fill_horizontal_ramp(0, 0, 256, 1, 0, 255);
  for (int x = 0; x < 256; ++x) REQUIRE(at(s, x, 0).r == x);
}

TEST_CASE("anti-aliased circle: solid inside, empty outside, partial on the edge") {
  Surface s(40, 40);
  s.clear({0, 0, 0, 255});
  s.fill_circle(20.0f, 20.0f, 10.0f, {255, 255, 255, 255});
  CHECK(at(s, 20, 20).r == 255);
  CHECK(at(s, 2, 2).r == 0);
  // A pixel whose centre lies 0.5 px inside the edge is fully covered; one straddling it is partial.
  int partial = 0;
  for (int x = 0; x < 40; ++x) {
    const int v = at(s, x, 20).r;
    if (v > 0 && v < 255) ++partial;
  }
  CHECK(partial >= 2);
  // Symmetric about the centre.
  for (int d = 0; d < 12; ++d) CHECK(at(s, 20 + d, 20).r == at(s, 19 - d, 20).r);
}

TEST_CASE("stroked circle leaves its centre untouched") {
  Surface s(40, 40);
  s.clear({0, 0, 0, 255});
  s.stroke_circle(20.0f, 20.0f, 12.0f, 2.0f, {255, 0, 0, 255});
  CHECK(at(s, 20, 20).r == 0);
  CHECK(at(s, 32, 20).r > 200);  // on the ring (pixel centre 32.5 is 12.5 from 20)
}
