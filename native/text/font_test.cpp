#include <doctest.h>

#include "tests/test_font.h"

using tessera::Font;

TEST_CASE("the committed font loads and covers Welsh diacritics") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  CHECK(font->has_glyph(U'\u0175'));  // ŵ
  CHECK(font->has_glyph(U'\u0177'));  // ŷ
}

TEST_CASE("bad font bytes are refused with a message") {
  std::string error;
  CHECK_FALSE(Font::load({1, 2, 3}, &error));
  CHECK(error.find("shorter") != std::string::npos);
  std::vector<uint8_t> lying(64, 0);
  lying[1] = 1;      // sfnt version 0x00010000
  lying[5] = 200;    // 200 tables: directory runs past the end
  CHECK_FALSE(Font::load(lying, &error));
  CHECK(error.find("table directory") != std::string::npos);
}

TEST_CASE("kerning narrows AV compared with its letters measured apart") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  const float av = font->measure("AV", 100.0f).width;
  const float a = font->measure("A", 100.0f).width, v = font->measure("V", 100.0f).width;
  CHECK(av < a + v);
}

TEST_CASE("centred text is drawn symmetrically about its anchor") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  tessera::Surface s(200, 60);
  s.clear({0, 0, 0, 255});
  font->draw(s, "HIH", 40.0f, 100.0f, 45.0f, tessera::TextAlign::Centre, {255, 255, 255, 255});
  int left = 200, right = -1;
  for (int y = 0; y < 60; ++y)
    for (int x = 0; x < 200; ++x)
      if (s.pixel(x, y)[0] > 0) { left = std::min(left, x); right = std::max(right, x); }
  REQUIRE(right > left);
  CHECK(std::abs((left + right) / 2 - 100) <= 2);
}
