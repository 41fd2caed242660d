#include <doctest.h>

#include <string>

#include "tests/test_font.h"
#include "text/layout.h"

using tessera::TextAlign;
using tessera::TextLayout;
using tessera::TextStyle;

namespace {
std::string line_text(const tessera::TextLine& line) {
  std::u32string s;
  for (const auto& g : line.glyphs) s.push_back(g.codepoint);
  std::string out;
  for (char32_t c : s) {  // enough UTF-8 for the test strings
    if (c < 0x80) out.push_back(static_cast<char>(c));
    else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}
float width_of(const tessera::Font& font, const std::string& text, float size) {
  TextStyle style;
  style.size = size;
  return tessera::layout_text(font, text, style).width;
}
}  // namespace

TEST_CASE("lines break greedily at spaces to fit the box width") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  TextStyle style;
  style.size = 20;
  style.box_width = width_of(*font, "aaa bbb", 20) + 1;  // room for two words, not three
  const TextLayout layout = tessera::layout_text(*font, "aaa bbb ccc ddd", style);
  REQUIRE(layout.lines.size() == 2);
  CHECK(line_text(layout.lines[0]) == "aaa bbb");
  CHECK(line_text(layout.lines[1]) == "ccc ddd");
  CHECK(layout.lines[0].width == doctest::Approx(width_of(*font, "aaa bbb", 20)));
  for (const auto& line : layout.lines) CHECK(line.width <= style.box_width);
  CHECK_FALSE(layout.truncated);
}

TEST_CASE("breaks fall after hyphens, between CJK ideographs, and inside words too long for the box") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  TextStyle style;
  style.size = 20;
  style.box_width = width_of(*font, "known", 20) + 1;  // "well-k" fits, "well-kn" does not
  const TextLayout hyphen = tessera::layout_text(*font, "well-known", style);
  REQUIRE(hyphen.lines.size() == 2);
  CHECK(line_text(hyphen.lines[0]) == "well-");
  CHECK(line_text(hyphen.lines[1]) == "known");

  // DejaVu Sans has no CJK glyphs: .notdef boxes still have widths, and breaks fall between them.
  const std::string cjk = "\u65E5\u672C\u8A9E\u306E\u6587\u7AE0";
  style.box_width = width_of(*font, "\u65E5\u672C\u8A9E", 20) + 1;
  const TextLayout ideographs = tessera::layout_text(*font, cjk, style);
  REQUIRE(ideographs.lines.size() == 2);
  CHECK(ideographs.lines[0].glyphs.size() == 3);
  CHECK(ideographs.lines[1].glyphs.size() == 3);
  // No line may start with the ideographic full stop: it takes the character before it along.
  style.box_width = width_of(*font, "\u65E5\u672C", 20) + 1;
  const TextLayout stop = tessera::layout_text(*font, "\u65E5\u672C\u3002\u8A9E", style);
  REQUIRE(stop.lines.size() == 3);
  CHECK(stop.lines[0].glyphs.size() == 1);
  CHECK(stop.lines[1].glyphs.front().codepoint == U'\u672C');
  CHECK(stop.lines[1].glyphs.back().codepoint == U'\u3002');

  style.box_width = width_of(*font, "oooo", 20) + 1;
  const TextLayout word = tessera::layout_text(*font, "oooooooooo", style);
  REQUIRE(word.lines.size() == 3);
  CHECK(line_text(word.lines[0]) == "oooo");
  CHECK(line_text(word.lines[1]) == "oooo");
  CHECK(line_text(word.lines[2]) == "oo");
}

TEST_CASE("explicit newlines break lines; wrapped lines drop their leading spaces") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  TextStyle style;
  style.size = 16;
  const TextLayout layout = tessera::layout_text(*font, "one\r\ntwo\n\nfour\n", style);
  REQUIRE(layout.lines.size() == 4);
  CHECK(line_text(layout.lines[0]) == "one");
  CHECK(line_text(layout.lines[1]) == "two");
  CHECK(layout.lines[2].glyphs.empty());
  CHECK(line_text(layout.lines[3]) == "four");
  style.box_width = width_of(*font, "aaa", 16) + 1;
  const TextLayout spaces = tessera::layout_text(*font, "aaa     aaa", style);
  REQUIRE(spaces.lines.size() == 2);
  CHECK(line_text(spaces.lines[0]) == "aaa");
  CHECK(line_text(spaces.lines[1]) == "aaa");
  CHECK(tessera::layout_text(*font, "", style).lines.empty());
}

TEST_CASE("alignment offsets lines inside the box, or about the anchor without one") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  TextStyle style;
  style.size = 24;
  style.box_width = 300;
  const float w = width_of(*font, "Tessera", 24);
  style.align = TextAlign::Left;
  CHECK(tessera::layout_text(*font, "Tessera", style).lines[0].x == 0.0f);
  style.align = TextAlign::Centre;
  CHECK(tessera::layout_text(*font, "Tessera", style).lines[0].x == doctest::Approx((300 - w) / 2));
  style.align = TextAlign::Right;
  CHECK(tessera::layout_text(*font, "Tessera", style).lines[0].x == doctest::Approx(300 - w));
  style.box_width = 0;
  CHECK(tessera::layout_text(*font, "Tessera", style).lines[0].x == doctest::Approx(-w));
  style.align = TextAlign::Centre;
  CHECK(tessera::layout_text(*font, "Tessera", style).lines[0].x == doctest::Approx(-w / 2));
}

TEST_CASE("line height spaces baselines; the first baseline sits in a CSS-style line box") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  TextStyle style;
  style.size = 20;
  style.line_height = 1.5f;
  const TextLayout layout = tessera::layout_text(*font, "a\nb\nc", style);
  REQUIRE(layout.lines.size() == 3);
  CHECK(layout.line_height == doctest::Approx(30));
  CHECK(layout.lines[1].baseline - layout.lines[0].baseline == doctest::Approx(30));
  CHECK(layout.height == doctest::Approx(90));
  CHECK(layout.lines[0].baseline == doctest::Approx((30 - layout.ascent - layout.descent) / 2 + layout.ascent));
  CHECK(layout.ascent > 0);
  CHECK(layout.descent > 0);
}

TEST_CASE("max lines cuts the text and ends the last line with an ellipsis that fits") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  TextStyle style;
  style.size = 20;
  style.box_width = width_of(*font, "aaa bbb", 20) + 1;
  style.max_lines = 1;
  const TextLayout layout = tessera::layout_text(*font, "aaa bbb ccc ddd", style);
  REQUIRE(layout.lines.size() == 1);
  CHECK(layout.truncated);
  const auto& line = layout.lines[0];
  CHECK(line.ellipsis);
  CHECK(line.glyphs.back().codepoint == U'\u2026');
  CHECK(line.width <= style.box_width);
  CHECK(line_text(line).rfind("aaa", 0) == 0);
  CHECK(line.width == doctest::Approx(line.glyphs.back().x + line.glyphs.back().advance));
  // Text that fits is left alone.
  style.max_lines = 2;
  const TextLayout fits = tessera::layout_text(*font, "aaa bbb ccc ddd", style);
  CHECK_FALSE(fits.truncated);
  CHECK_FALSE(fits.lines[1].ellipsis);
}

TEST_CASE("kerning is applied within lines") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  CHECK(width_of(*font, "AV", 50) < width_of(*font, "A", 50) + width_of(*font, "V", 50));
}

TEST_CASE("Welsh diacritics lay out and draw with the committed font") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  TextStyle style;
  style.size = 40;
  const TextLayout layout = tessera::layout_text(*font, "\u0175\u0177", style);
  REQUIRE(layout.lines.size() == 1);
  for (const auto& g : layout.lines[0].glyphs) CHECK(g.glyph != 0);
  tessera::Surface s(100, 60);
  tessera::draw_text_layout(s, *font, layout, 10, 5, 1.0, {255, 255, 255, 255}, {0, 0, 100, 60});
  int lit = 0, top = 60;
  for (int y = 0; y < 60; ++y)
    for (int x = 0; x < 100; ++x)
      if (s.pixel(x, y)[3]) { ++lit; top = std::min(top, y); }
  CHECK(lit > 100);
  // The circumflex rises above the x-height: ink starts near the top of the line box.
  CHECK(top < 5 + static_cast<int>(layout.lines[0].baseline) - 20);
}

TEST_CASE("drawing a layout scales it and never paints outside the clip") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  TextStyle style;
  style.size = 20;
  const TextLayout layout = tessera::layout_text(*font, "HHHH", style);
  tessera::Surface one(200, 100), two(200, 100);
  tessera::draw_text_layout(one, *font, layout, 0, 0, 1.0, {255, 255, 255, 255}, {0, 0, 200, 100});
  tessera::draw_text_layout(two, *font, layout, 0, 0, 2.0, {255, 255, 255, 255}, {0, 0, 200, 100});
  auto right_edge = [](const tessera::Surface& s) {
    int r = -1;
    for (int y = 0; y < s.height(); ++y)
      for (int x = 0; x < s.width(); ++x)
        if (s.pixel(x, y)[3] > 128) r = std::max(r, x);
    return r;
  };
  CHECK(std::abs(right_edge(two) - 2 * right_edge(one)) <= 3);
  tessera::Surface clipped(200, 100);
  tessera::draw_text_layout(clipped, *font, layout, 0, 0, 2.0, {255, 255, 255, 255}, {20, 10, 30, 20});
  for (int y = 0; y < 100; ++y)
    for (int x = 0; x < 200; ++x)
      if (clipped.pixel(x, y)[3]) {
        CHECK(x >= 20);
        CHECK(x < 50);
        CHECK(y >= 10);
        CHECK(y < 30);
      }
}
