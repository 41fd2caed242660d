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

TEST_CASE("the glyph cache gives rasterize_glyph's masks bit for bit, across hits, misses and resets") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  const int glyphs[] = {font->glyph_index('A'), font->glyph_index('g'), font->glyph_index(0x0175 /* ŵ */),
                        font->glyph_index(' '), 0};
  const float scale = font->scale_for_em(31.0f);
  // Enough distinct shifts to overflow the cache's entry bound at least once.
  const int rounds = static_cast<int>(tessera::Font::kGlyphCacheEntries / 5 + 50);
  int checked = 0;
  for (int pass = 0; pass < 2; ++pass) {  // the second pass finds some masks cached, some evicted
    for (int i = 0; i < rounds; i += pass ? 97 : 1) {
      const float sx = static_cast<float>(i % 64) / 64.0f, sy = static_cast<float>(i / 64 % 8) / 8.0f;
      const float s = scale * (1.0f + static_cast<float>(i / 512) * 0.01f);
      for (int g : glyphs) {
        tessera::GlyphBitmap direct;
        font->rasterize_glyph(g, s, sx, sy, &direct);
        const tessera::GlyphBitmap& cached = font->cached_glyph(g, s, sx, sy);
        REQUIRE(cached.x0 == direct.x0);
        REQUIRE(cached.y0 == direct.y0);
        REQUIRE(cached.width == direct.width);
        REQUIRE(cached.height == direct.height);
        REQUIRE(cached.coverage == direct.coverage);
        REQUIRE(&font->cached_glyph(g, s, sx, sy) == &cached);  // a hit
        ++checked;
      }
    }
  }
  CHECK(checked > static_cast<int>(tessera::Font::kGlyphCacheEntries));
}
