#include <doctest.h>

#include "engine/engine.h"
#include "tests/test_font.h"

namespace {
const uint8_t* px(const tessera::Surface& s, int x, int y) { return s.pixel(x, y); }
}  // namespace

TEST_CASE("test card: bars, ramp, circle and text land where they should") {
  tessera::Engine engine;
  REQUIRE(engine.add_font("sans", tessera::testing::read_repo_file("public/fonts/DejaVuSans.ttf")));
  REQUIRE(engine.render_test_card(1280, 720, "sans"));
  const tessera::Surface& s = engine.frame();
  // First bar (75% white) at the top-left corner; last bar (75% blue) at the top-right.
  CHECK(px(s, 5, 5)[0] == 191);
  CHECK(px(s, 1275, 5)[2] == 191);
  CHECK(px(s, 1275, 5)[0] == 0);
  // The ramp starts black and ends white.
  const int ramp_y = 480 + 30 + 10;
  CHECK(px(s, 80, ramp_y)[0] == 0);
  CHECK(px(s, 80 + 1120 - 1, ramp_y)[0] == 255);
  // Every pixel is opaque.
  for (int y = 0; y < 720; y += 7)
    for (int x = 0; x < 1280; x += 7) REQUIRE(px(s, x, y)[3] == 255);
  // Text is drawn: the row through "TESSERA" has white pixels near the centre.
  int white = 0;
  for (int x = 440; x < 840; ++x) white += px(s, x, 290)[0] == 255 && px(s, x, 290)[1] == 255;
  CHECK(white > 20);
}

TEST_CASE("engine reports missing fonts and bad sizes instead of drawing") {
  tessera::Engine engine;
  CHECK_FALSE(engine.render_test_card(64, 64, "sans"));
  CHECK(engine.last_error().find("no font named 'sans'") != std::string::npos);
  REQUIRE(engine.add_font("sans", tessera::testing::read_repo_file("public/fonts/DejaVuSans.ttf")));
  CHECK_FALSE(engine.render_test_card(0, 64, "sans"));
  CHECK_FALSE(engine.render_test_card(100000, 64, "sans"));
  CHECK(engine.last_error().find("outside") != std::string::npos);
}
