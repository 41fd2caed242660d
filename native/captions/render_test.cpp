// Caption layout and drawing: positions from the WebVTT rendering rules at 1920 × 1080 with the
// default settings (safe area inset 10% / 5%: x 192..1728, y 54..1026; em 72 px; line 86 px),
// viewer settings, the edge effects, limits, and the reference frame's golden hash.
#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "captions/render.h"
#include "captions/webvtt.h"
#include "compose/compose.h"
#include "tests/test_font.h"
#include "text/utf8.h"

using namespace tessera;
using namespace tessera::captions;

namespace {

struct Fixture {
  std::unique_ptr<Font> font = testing::load_test_font();
  FontSet fonts;
  Fixture() { fonts.regular = font.get(); }
};

ParsedCaptions vtt(const std::string& body) {
  ParsedCaptions parsed = parse_webvtt("WEBVTT\n\n" + body);
  REQUIRE(parsed.ok);
  return parsed;
}

CaptionLayout lay_out(const Fixture& f, const ParsedCaptions& p, const CaptionSettings& settings = {}, int w = 1920,
                      int h = 1080) {
  return layout_captions(p.cues, p.regions, w, h, settings, f.fonts);
}

double line_centre(const CaptionLineBox& l) { return l.x + static_cast<double>(l.width) / 2; }

// The layout's (cue index → first line) for the box of cue `cue`.
const CaptionBox& box_of(const CaptionLayout& layout, int cue) {
  for (const CaptionBox& b : layout.boxes)
    if (b.cue == cue) return b;
  FAIL("no box for cue " << cue);
  return layout.boxes.front();
}

}  // namespace

TEST_CASE("the default frame: safe area, font size and line height follow the settings") {
  Fixture f;
  REQUIRE(f.font);
  const CaptionLayout layout = lay_out(f, vtt("00:00.000 --> 00:01.000\nHello\n"));
  CHECK(layout.safe.x == 192);
  CHECK(layout.safe.y == 54);
  CHECK(layout.safe.width == 1536);
  CHECK(layout.safe.height == 972);
  CHECK(layout.em == doctest::Approx(72.0));
  CHECK(layout.line_height == 86);
}

TEST_CASE("a cue with default settings sits on the last line, centred") {
  Fixture f;
  const CaptionLayout layout = lay_out(f, vtt("00:00.000 --> 00:01.000\nHello, world\n"));
  REQUIRE(layout.boxes.size() == 1);
  const CaptionBox& box = layout.boxes[0];
  // position auto → 50, positionAlign → center, size 100: the box spans the safe area's width.
  CHECK(box.rect.x == 192);
  CHECK(box.rect.width == 1536);
  REQUIRE(box.lines.size() == 1);
  // line auto → −1: position = −86 + 972, from the area's top 54: the line box is 940..1026.
  CHECK(box.lines[0].line.y == 940);
  CHECK(box.lines[0].line.bottom() == 1026);
  CHECK(line_centre(box.lines[0]) == doctest::Approx(960.0));
  CHECK(box.lines[0].text == "Hello, world");
  // The backing box is the line box widened by a quarter em at each side.
  CHECK(box.lines[0].backing.y == 940);
  CHECK(box.lines[0].backing.height == 86);
  CHECK(box.lines[0].backing.x == box.lines[0].line.x - 18);
  CHECK(box.lines[0].baseline > 940);
  CHECK(box.lines[0].baseline < 1026);
}

TEST_CASE("snap-to-lines: line:0 is the top line, line:-1 the last, line:-2 the one above it") {
  Fixture f;
  const CaptionLayout top = lay_out(f, vtt("00:00.000 --> 00:01.000 line:0\nTop\n"));
  REQUIRE(top.boxes.size() == 1);
  CHECK(top.boxes[0].lines[0].line.y == 54);
  const CaptionLayout last = lay_out(f, vtt("00:00.000 --> 00:01.000 line:-1\nLast\n"));
  CHECK(last.boxes[0].lines[0].line.y == 940);
  const CaptionLayout above = lay_out(f, vtt("00:00.000 --> 00:01.000 line:-2\nAbove\n"));
  CHECK(above.boxes[0].lines[0].line.y == 854);
  const CaptionLayout third = lay_out(f, vtt("00:00.000 --> 00:01.000 line:2\nThird\n"));
  CHECK(third.boxes[0].lines[0].line.y == 54 + 2 * 86);
  // Two lines at line −1 start past the bottom and step up one line until inside: 854 and 940.
  const CaptionLayout two = lay_out(f, vtt("00:00.000 --> 00:01.000\nOne\nTwo\n"));
  REQUIRE(two.boxes[0].lines.size() == 2);
  CHECK(two.boxes[0].lines[0].line.y == 854);
  CHECK(two.boxes[0].lines[1].line.y == 940);
  CHECK(two.boxes[0].rect.y == 854);
  CHECK(two.boxes[0].rect.height == 172);
}

TEST_CASE("percentage lines: line:50% with lineAlign center centres the box on the middle") {
  Fixture f;
  const CaptionLayout middle = lay_out(f, vtt("00:00.000 --> 00:01.000 line:50%,center\nMiddle\n"));
  REQUIRE(middle.boxes.size() == 1);
  CHECK(middle.boxes[0].lines[0].line.y == 54 + 486 - 43);
  const CaptionLayout start = lay_out(f, vtt("00:00.000 --> 00:01.000 line:50%\nMiddle\n"));
  CHECK(start.boxes[0].lines[0].line.y == 54 + 486);
  const CaptionLayout end = lay_out(f, vtt("00:00.000 --> 00:01.000 line:50%,end\nMiddle\n"));
  CHECK(end.boxes[0].lines[0].line.y == 54 + 486 - 86);
  // line:100% with lineAlign start would leave the area: it is moved back inside, to the bottom.
  const CaptionLayout bottom = lay_out(f, vtt("00:00.000 --> 00:01.000 line:100%\nBottom\n"));
  CHECK(bottom.boxes[0].lines[0].line.bottom() == 1026);
}

TEST_CASE("position:10% with positionAlign line-left: the box starts there, its size limited to 90%") {
  Fixture f;
  const CaptionLayout layout = lay_out(f, vtt("00:00.000 --> 00:01.000 position:10%,line-left\nLeft\n"));
  REQUIRE(layout.boxes.size() == 1);
  const CaptionBox& box = layout.boxes[0];
  CHECK(box.rect.x == 345);  // 192 + 10% of 1536 = 345.6
  CHECK(box.rect.right() == 1728);
  CHECK(line_centre(box.lines[0]) == doctest::Approx(345.6 + 0.45 * 1536));  // align center inside it
  const CaptionLayout start =
      lay_out(f, vtt("00:00.000 --> 00:01.000 position:10%,line-left align:start\nLeft\n"));
  CHECK(start.boxes[0].lines[0].x == doctest::Approx(345.6));
  const CaptionLayout right = lay_out(f, vtt("00:00.000 --> 00:01.000 position:30%,line-right size:20%\nR\n"));
  CHECK(right.boxes[0].rect.x == 192 + 153);  // 10% .. 30%
  CHECK(right.boxes[0].rect.right() == 192 + 461);
}

TEST_CASE("size:50% with align start, center and end: a centred half-width box, text aligned in it") {
  Fixture f;
  const ParsedCaptions p = vtt(
      "00:00.000 --> 00:01.000 size:50% align:start line:0\nStart\n\n"
      "00:00.000 --> 00:01.000 size:50% align:center line:1\nCentre\n\n"
      "00:00.000 --> 00:01.000 size:50% align:end line:2\nEnd\n\n"
      "00:00.000 --> 00:01.000 size:50% align:left line:3\nLeft\n\n"
      "00:00.000 --> 00:01.000 size:50% align:right line:4\nRight\n");
  const CaptionLayout layout = lay_out(f, p);
  REQUIRE(layout.boxes.size() == 5);
  for (int i = 0; i < 3; ++i) {
    CHECK(box_of(layout, i).rect.x == 576);  // 25% of the area
    CHECK(box_of(layout, i).rect.width == 768);
  }
  CHECK(box_of(layout, 0).lines[0].x == doctest::Approx(576.0));
  CHECK(line_centre(box_of(layout, 1).lines[0]) == doctest::Approx(960.0));
  CHECK(box_of(layout, 2).lines[0].x + box_of(layout, 2).lines[0].width == doctest::Approx(1344.0));
  // align:left → position 0, line-left: the box is the area's left half; right → its right half.
  CHECK(box_of(layout, 3).rect.x == 192);
  CHECK(box_of(layout, 3).lines[0].x == doctest::Approx(192.0));
  CHECK(box_of(layout, 4).rect.right() == 1728);
  CHECK(box_of(layout, 4).lines[0].x + box_of(layout, 4).lines[0].width == doctest::Approx(1728.0));
  for (int i = 0; i < 5; ++i) CHECK(box_of(layout, i).lines[0].line.y == 54 + i * 86);
}

TEST_CASE("overlapping cues are pushed apart a line at a time, in cue order") {
  Fixture f;
  // Both want the last line. The earlier cue (start time) keeps it; the other moves up a line.
  const ParsedCaptions p = vtt(
      "00:00.500 --> 00:03.000\nSecond cue\n\n"
      "00:00.000 --> 00:03.000\nFirst cue\n");
  const CaptionLayout layout = lay_out(f, p);
  REQUIRE(layout.boxes.size() == 2);
  CHECK(box_of(layout, 1).lines[0].line.y == 940);
  CHECK(box_of(layout, 0).lines[0].line.y == 854);
  CHECK(caption_plain_text(layout) == "Second cue\nFirst cue");
  // Top cues are pushed down.
  const CaptionLayout top = lay_out(f, vtt("00:00.000 --> 00:02.000 line:0\nA\n\n00:00.000 --> 00:01.000 line:0\nB\n"));
  CHECK(box_of(top, 0).lines[0].line.y == 54);
  CHECK(box_of(top, 1).lines[0].line.y == 140);
  // A cue at the last line that cannot move down switches direction and moves up past the others.
  const CaptionLayout three = lay_out(f, vtt("00:00.000 --> 00:02.000\nA\n\n00:00.000 --> 00:01.900\nB\n\n"
                                             "00:00.000 --> 00:01.800\nC\n"));
  CHECK(box_of(three, 0).lines[0].line.y == 940);
  CHECK(box_of(three, 1).lines[0].line.y == 854);
  CHECK(box_of(three, 2).lines[0].line.y == 768);
  // Percentage cues overlapping a placed cue move to the nearest free place.
  const CaptionLayout pct = lay_out(f, vtt("00:00.000 --> 00:02.000 line:50%\nA\n\n"
                                           "00:00.000 --> 00:01.000 line:50%\nB\n"));
  CHECK(box_of(pct, 0).lines[0].line.y == 540);
  CHECK(box_of(pct, 1).lines[0].line.y == 540 - 86);
}

TEST_CASE("a region with lines:2 shows the last two lines of its three cues, newest at the bottom") {
  Fixture f;
  const ParsedCaptions p = vtt(
      "REGION\nid:r\nwidth:40%\nlines:2\nregionanchor:0%,100%\nviewportanchor:10%,90%\nscroll:up\n\n"
      "00:00.000 --> 00:05.000 region:r\nOne\n\n"
      "00:01.000 --> 00:05.000 region:r\nTwo\n\n"
      "00:02.000 --> 00:05.000 region:r\nThree\n");
  REQUIRE(p.regions.size() == 1);
  REQUIRE(p.cues.size() == 3);
  REQUIRE(p.cues[0].region == 0);
  const CaptionLayout layout = lay_out(f, p);
  // Region: 40% of 1536 = 614.4 wide, 2 × 86 high; its bottom-left at (10%, 90%) of the area:
  // x 192 + 153.6, bottom 54 + 874.8 → top 756.8, rounded 757.
  REQUIRE(layout.windows.size() == 1);
  CHECK(layout.windows[0].x == 345);
  CHECK(layout.windows[0].y == 757);
  CHECK(layout.windows[0].height == 172);
  REQUIRE(layout.boxes.size() == 2);
  CHECK(layout.boxes[0].cue == 1);
  CHECK(layout.boxes[0].lines[0].line.y == 757);
  CHECK(layout.boxes[1].cue == 2);
  CHECK(layout.boxes[1].lines[0].line.y == 843);
  CHECK(line_centre(layout.boxes[1].lines[0]) == doctest::Approx(345.6 + 307.2));
  CHECK(caption_plain_text(layout) == "Two\nThree");
  // One cue alone sits on the region's bottom line.
  const ParsedCaptions one = vtt("REGION\nid:r\nlines:2\n\n00:00.000 --> 00:05.000 region:r\nAlone\n");
  const CaptionLayout alone = lay_out(f, one);
  REQUIRE(alone.boxes.size() == 1);
  CHECK(alone.boxes[0].lines[0].line.bottom() == alone.windows[0].bottom());
}

TEST_CASE("viewer settings: size 200% doubles the font and line height; the top override moves captions up") {
  Fixture f;
  const ParsedCaptions p = vtt("00:00.000 --> 00:01.000\nBigger\n");
  CaptionSettings big;
  big.size_percent = 200;
  const CaptionLayout normal = lay_out(f, p), large = lay_out(f, p, big);
  CHECK(large.em == doctest::Approx(2 * normal.em));
  CHECK(large.line_height == 173);  // 2 × 86.4 rounded
  CHECK(large.boxes[0].lines[0].line.y == 1026 - 173);
  CHECK(large.boxes[0].lines[0].width == doctest::Approx(2 * normal.boxes[0].lines[0].width).epsilon(0.02));
  CaptionSettings tiny;
  tiny.size_percent = 10;  // clamped to 50%
  CHECK(lay_out(f, p, tiny).em == doctest::Approx(36.0));

  CaptionSettings top;
  top.position = CaptionPositionOverride::Top;
  CHECK(lay_out(f, p, top).boxes[0].lines[0].line.y == 54);
  const CaptionLayout pct = lay_out(f, vtt("00:00.000 --> 00:01.000 line:90%,end\nLow\n"), top);
  CHECK(pct.boxes[0].lines[0].line.y == 54 + 97);  // 10% from the top, aligned by its start (97.2 → 97)

  CaptionSettings safe;
  safe.safe_inset_x_permille = 0;
  safe.safe_inset_y_permille = 0;
  CHECK(lay_out(f, p, safe).boxes[0].lines[0].line.bottom() == 1080);
}

TEST_CASE("rich text: tags and classes style runs; bold is synthesised when no bold face is loaded") {
  Fixture f;
  const ParsedCaptions p = vtt(
      "00:00.000 --> 00:01.000\n<b>bold</b> <i>it</i> <u>u</u> <c.red.yellow>c</c> <c.bg_blue>x</c>\n");
  const std::vector<StyledCodepoint> text = styled_text(p.cues[0].tree, 100);
  REQUIRE(text.size() == 13);
  CHECK(text[0].style.flags == kStyleBold);
  CHECK(text[5].style.flags == kStyleItalic);
  CHECK(text[8].style.flags == kStyleUnderline);
  CHECK(text[10].style.has_colour);
  CHECK(text[10].style.colour.g == 255);  // yellow: later than red in the default style sheet
  CHECK(text[10].style.colour.r == 255);
  CHECK(text[12].style.has_background);
  CHECK(text[12].style.background.b == 255);
  CHECK_FALSE(text[12].style.has_colour);

  std::vector<StyledCodepoint> plain = styled_text(vtt("00:00.000 --> 00:01.000\nbold\n").cues[0].tree, 100);
  const CaptionText regular = layout_caption_text(plain, f.fonts, 72, 0, CaptionTextAlign::Left, 4);
  const CaptionText bold = layout_caption_text(std::vector<StyledCodepoint>(text.begin(), text.begin() + 4), f.fonts,
                                               72, 0, CaptionTextAlign::Left, 4);
  REQUIRE(bold.lines.size() == 1);
  CHECK(bold.lines[0].glyphs[0].synthetic_bold);
  CHECK(bold.lines[0].width == doctest::Approx(regular.lines[0].width + 4 * synthetic_bold_pixels(72)));

  // A bold face, when given, is used as it is.
  FontSet with_bold = f.fonts;
  with_bold.bold = f.font.get();
  const CaptionText real = layout_caption_text(std::vector<StyledCodepoint>(text.begin(), text.begin() + 4), with_bold,
                                               72, 0, CaptionTextAlign::Left, 4);
  CHECK_FALSE(real.lines[0].glyphs[0].synthetic_bold);
  CHECK(real.lines[0].width == doctest::Approx(regular.lines[0].width));
}

TEST_CASE("rich text: lines break across style runs, explicit newlines, and a fallback font per code point") {
  Fixture f;
  const ParsedCaptions p = vtt("00:00.000 --> 00:01.000\naaa <b>bbb</b> ccc <i>ddd</i>\nnext\n");
  const std::vector<StyledCodepoint> text = styled_text(p.cues[0].tree, 100);
  const CaptionText one = layout_caption_text(
      styled_text(vtt("00:00.000 --> 00:01.000\naaa <b>bbb</b>\n").cues[0].tree, 100), f.fonts, 40, 0,
      CaptionTextAlign::Left, 8);
  const CaptionText wrapped = layout_caption_text(text, f.fonts, 40, one.width + 1, CaptionTextAlign::Left, 8);
  REQUIRE(wrapped.lines.size() == 3);
  CHECK(wrapped.lines[0].glyphs.size() == 7);
  CHECK(wrapped.lines[0].width == doctest::Approx(one.width));
  CHECK(wrapped.lines[1].glyphs.size() == 7);
  CHECK(wrapped.lines[1].glyphs[4].synthetic_italic);
  CHECK(wrapped.lines[2].glyphs.size() == 4);

  // A code point no font has is drawn as the face's .notdef.
  const std::vector<StyledCodepoint> cjk = styled_text(vtt("00:00.000 --> 00:01.000\nA\xE6\x97\xA5\n").cues[0].tree, 10);
  const CaptionText missing = layout_caption_text(cjk, f.fonts, 40, 0, CaptionTextAlign::Left, 4);
  REQUIRE(missing.lines[0].glyphs.size() == 2);
  CHECK(missing.lines[0].glyphs[1].glyph == 0);
  CHECK(missing.lines[0].glyphs[1].font == f.font.get());
  // The fallback is only consulted for what the face lacks (here a second copy of the same font).
  std::string error;
  const std::unique_ptr<Font> second = Font::load(testing::read_repo_file("public/fonts/DejaVuSans.ttf"), &error);
  REQUIRE(second);
  FontSet with_fallback = f.fonts;
  with_fallback.fallbacks.push_back(second.get());
  const CaptionText latin = layout_caption_text(cjk, with_fallback, 40, 0, CaptionTextAlign::Left, 4);
  CHECK(latin.lines[0].glyphs[0].font == f.font.get());

  // With two different fonts (DejaVu Sans Mono, where the system has it, lacks U+01C4 "Ǆ", which
  // DejaVu Sans has): the primary draws what it has, the fallback the rest, each with its own kerning.
  std::ifstream mono_file("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", std::ios::binary);
  const std::unique_ptr<Font> mono =
      Font::load({std::istreambuf_iterator<char>(mono_file), std::istreambuf_iterator<char>()}, &error);
  if (!mono) {
    MESSAGE("DejaVu Sans Mono is not installed: the two-font fallback case is skipped");
    return;
  }
  FontSet mono_first;
  mono_first.regular = mono.get();
  mono_first.fallbacks = {f.font.get()};
  const CaptionText mixed = layout_caption_text(
      styled_text(vtt("00:00.000 --> 00:01.000\nA\xC7\x84<b>\xC7\x84</b>\n").cues[0].tree, 10), mono_first, 40, 0,
      CaptionTextAlign::Left, 4);
  REQUIRE(mixed.lines[0].glyphs.size() == 3);
  CHECK(mixed.lines[0].glyphs[0].font == mono.get());
  CHECK(mixed.lines[0].glyphs[1].font == f.font.get());
  CHECK(mixed.lines[0].glyphs[1].glyph != 0);
  CHECK(mixed.lines[0].glyphs[2].font == f.font.get());
  CHECK(mixed.lines[0].glyphs[2].synthetic_bold);  // the fallback has no bold face either
}

TEST_CASE("drawing: backing box, colour classes and opacity") {
  Fixture f;
  const ParsedCaptions p = vtt("00:00.000 --> 00:01.000\n<c.red>IIII</c>\n");
  const CaptionLayout layout = lay_out(f, p, {}, 640, 360);
  REQUIRE(layout.boxes.size() == 1);
  Surface s(640, 360);
  s.clear({255, 255, 255, 255});
  draw_captions(s, layout, {});
  const CaptionLineBox& line = layout.boxes[0].lines[0];
  // Inside the backing, left of the text: white under black at 75% → 255 − 191·255/255 ≈ 64.
  const uint8_t* backing = s.pixel(line.backing.x + 1, line.line.y + 1);
  CHECK(backing[0] == 64);
  CHECK(backing[3] == 255);
  // Outside it the picture is untouched.
  CHECK(s.pixel(line.backing.x - 1, line.line.y + 1)[0] == 255);
  // Somewhere in the text the red class shows fully red.
  bool red = false;
  for (int y = line.line.y; y < line.line.bottom(); ++y)
    for (int x = line.line.x; x < line.line.right(); ++x) {
      const uint8_t* px = s.pixel(x, y);
      red = red || (px[0] == 255 && px[1] == 0 && px[2] == 0);
    }
  CHECK(red);
  // Viewer colours override the author's when asked.
  CaptionSettings viewer;
  viewer.override_author_colours = true;
  viewer.text_colour = {0, 255, 0, 255};
  viewer.background_opacity = 0;
  Surface g(640, 360);
  g.clear({0, 0, 0, 255});
  draw_captions(g, layout, viewer);
  bool green = false, any_red = false;
  for (int y = line.line.y; y < line.line.bottom(); ++y)
    for (int x = line.line.x; x < line.line.right(); ++x) {
      green = green || g.pixel(x, y)[1] == 255;
      any_red = any_red || g.pixel(x, y)[0] != 0;
    }
  CHECK(green);
  CHECK_FALSE(any_red);
}

TEST_CASE("drawing: underline runs, synthetic oblique, and text opacity") {
  Fixture f;
  CaptionSettings settings;
  settings.background_opacity = 0;
  const CaptionLayout layout = lay_out(f, vtt("00:00.000 --> 00:01.000\n<u>under</u> <i>l</i>\n"), settings, 640, 360);
  REQUIRE(layout.boxes.size() == 1);
  const CaptionLineBox& line = layout.boxes[0].lines[0];
  Surface s(640, 360);
  s.clear({0, 0, 0, 255});
  draw_captions(s, layout, settings);
  // em 24: the underline is 1 px thick, 2 px below the baseline, solid across "under" only.
  const int y = line.baseline + 2;
  const int x0 = static_cast<int>(std::floor(line.x)), x1 = static_cast<int>(std::ceil(line.x + line.glyphs[4].x + line.glyphs[4].advance));
  for (int x = x0; x < x1; ++x) CHECK(s.pixel(x, y)[0] == 255);
  const double lean_start = line.x + static_cast<double>(line.glyphs[6].x);
  for (int x = static_cast<int>(lean_start) + 2; x < line.line.right(); ++x) CHECK(s.pixel(x, y)[0] < 255);
  CHECK(line.glyphs[6].synthetic_italic);

  // The oblique leans right: the ink of "l" (a vertical stem) is further right at its top than at
  // the baseline.
  auto ink_centre = [&](int row) {
    long sum = 0, weight = 0;
    const int from = static_cast<int>(lean_start) - 2, to = static_cast<int>(lean_start + line.glyphs[6].advance) + 6;
    for (int x = from; x < to; ++x) {
      sum += static_cast<long>(x) * s.pixel(x, row)[0];
      weight += s.pixel(x, row)[0];
    }
    return weight ? static_cast<double>(sum) / static_cast<double>(weight) : 0.0;
  };
  CHECK(ink_centre(line.baseline - 16) > ink_centre(line.baseline - 2) + 2);

  // Text at half opacity: no pixel brighter than half white.
  settings.text_opacity = 128;
  Surface half(640, 360);
  half.clear({0, 0, 0, 255});
  draw_captions(half, layout, settings);
  int brightest = 0;
  for (int yy = line.line.y; yy < line.line.bottom(); ++yy)
    for (int x = line.line.x; x < line.line.right(); ++x) brightest = std::max<int>(brightest, half.pixel(x, yy)[0]);
  CHECK(brightest == 128);
}

TEST_CASE("edge styles change only pixels near the glyphs") {
  Fixture f;
  const ParsedCaptions p = vtt("00:00.000 --> 00:01.000\nEdges <i>and</i> <b>more</b>\n");
  CaptionSettings plain;
  plain.background_opacity = 0;
  const CaptionLayout layout = lay_out(f, p, plain, 640, 360);
  const int r = caption_edge_pixels(layout.em);
  CHECK(r == 1);  // em 24 at 360 lines
  auto draw = [&](CaptionEdge edge) {
    CaptionSettings s = plain;
    s.edge = edge;
    s.edge_colour = {0, 0, 255, 255};
    Surface out(640, 360);
    out.clear({0, 0, 0, 255});
    draw_captions(out, layout, s);
    return out;
  };
  Surface blank(640, 360);
  blank.clear({0, 0, 0, 255});  // on black, any coverage of white text changes a pixel
  const Surface none = draw(CaptionEdge::None);
  auto differs = [](const Surface& a, const Surface& b, int x, int y) {
    if (x < 0 || y < 0 || x >= a.width() || y >= a.height()) return false;
    for (int c = 0; c < 4; ++c)
      if (a.pixel(x, y)[c] != b.pixel(x, y)[c]) return true;
    return false;
  };
  for (const CaptionEdge edge : {CaptionEdge::Outline, CaptionEdge::DropShadow, CaptionEdge::Raised, CaptionEdge::Depressed}) {
    const Surface with = draw(edge);
    int changed = 0, stray = 0;
    for (int y = 0; y < 360; ++y)
      for (int x = 0; x < 640; ++x) {
        if (!differs(with, none, x, y)) continue;
        ++changed;
        bool near = false;  // within r of a pixel the text itself covers
        for (int dy = -r; dy <= r && !near; ++dy)
          for (int dx = -r; dx <= r && !near; ++dx) near = differs(none, blank, x + dx, y + dy);
        stray += near ? 0 : 1;
      }
    CHECK(changed > 50);
    CHECK(stray == 0);
  }
}

TEST_CASE("untrusted input: cue counts, lines and overlap moves are bounded") {
  Fixture f;
  std::string body;
  for (int i = 0; i < 100; ++i) body += "00:00.000 --> 00:01.000 line:0\nCue " + std::to_string(i) + "\n\n";
  body += "00:00.000 --> 00:01.000 line:-1000\nFar\n\n";
  std::string many_lines;
  for (int i = 0; i < 100; ++i) many_lines += "line\n";
  body += "00:00.000 --> 00:01.000\n" + many_lines + "\n";
  const CaptionLayout layout = lay_out(f, vtt(body));
  CHECK(layout.truncated);
  CHECK(layout.boxes.size() <= kMaxCaptionCues);
  for (const CaptionBox& b : layout.boxes) CHECK(b.lines.size() <= kMaxCaptionLinesPerCue);
  // The first 11 cues fill the 11 whole lines of the area from the top.
  for (int i = 0; i < 11; ++i) CHECK(box_of(layout, i).lines[0].line.y == 54 + 86 * i);
  Surface s(1920, 1080);
  draw_captions(s, layout, {});
  CHECK_FALSE(caption_plain_text(layout).empty());
  // Nothing laid out without a font or a size; nothing shown without cues.
  CHECK(layout_captions(vtt("00:00.000 --> 00:01.000\nx\n").cues, {}, 0, 0, {}, f.fonts).boxes.empty());
  CHECK(caption_plain_text(lay_out(f, vtt("NOTE nothing\n"))).empty());
}

TEST_CASE("untrusted input: cues and regions built by hand with absurd values lay out and draw safely") {
  Fixture f;
  const double nan = std::nan("");
  std::vector<Cue> cues(6);
  for (Cue& c : cues) c.tree = parse_cue_text("<b><i>x</i></b> y\nz");
  cues[0].position = 1e308;
  cues[0].size = -5;
  cues[0].line = nan;
  cues[1].snap_to_lines = false;
  cues[1].line = -1e300;
  cues[1].position = nan;
  cues[2].line = 1e300;
  cues[3].region = 7;  // no such region: shown outside any region
  cues[4].region = 0;
  cues[5].region = 1;
  std::vector<Region> regions(2);
  regions[0].lines = 1e300;
  regions[0].width = nan;
  regions[0].viewport_anchor_x = -1e9;
  regions[1].lines = nan;
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {16, 16}, {640, 360}, {1920, 1080}}) {
    for (int size : {-100, 50, 200, 100000}) {
      CaptionSettings settings;
      settings.size_percent = size;
      settings.edge = CaptionEdge::Outline;
      settings.safe_inset_x_permille = 100000;
      settings.line_height = nan;
      settings.font_family = 99;
      const CaptionLayout layout = layout_captions(cues, regions, w, h, settings, f.fonts);
      Surface s(w, h);
      draw_captions(s, layout, settings);
      for (const CaptionBox& b : layout.boxes) CHECK(b.lines.size() <= kMaxCaptionLinesPerCue);
    }
  }
  // A region's visible lines are capped.
  CaptionSettings settings;
  const CaptionLayout capped = layout_captions(cues, regions, 1920, 1080, settings, f.fonts);
  for (const RectI& w : capped.windows) CHECK(w.height <= kMaxRegionLines * static_cast<int>(capped.line_height));
}

TEST_CASE("the caption reference frame matches its golden SHA-256") {
  Fixture f;
  REQUIRE(f.font);
  const std::string hash = captions_reference_sha256(f.fonts);
  CHECK(hash == testing::golden_sha256("captionsReference"));
  CHECK(hash == captions_reference_sha256(f.fonts));  // and drawing it again gives the same bytes
}

TEST_CASE("ruby: the annotation is centred over its base at half size, above it, and takes no room in the line") {
  Fixture f;
  const ParsedCaptions with_ruby = vtt("00:00.000 --> 00:01.000\n<ruby>base<rt>ann</rt></ruby> text\n");
  const ParsedCaptions plain = vtt("00:00.000 --> 00:01.000\nbase text\n");
  const CaptionLayout a = lay_out(f, with_ruby), b = lay_out(f, plain);
  REQUIRE(a.boxes.size() == 1);
  REQUIRE(a.boxes[0].lines.size() == 1);
  const CaptionLineBox& line = a.boxes[0].lines[0];
  CHECK(line.text == "base text");  // what the live region reads: the base text
  CHECK(line.width == b.boxes[0].lines[0].width);
  CHECK(line.x == b.boxes[0].lines[0].x);
  std::vector<const CaptionGlyph*> base, ann;
  for (const CaptionGlyph& g : line.glyphs) {
    if (g.flags & kStyleRubyText) ann.push_back(&g);
    else if (g.flags & kStyleRubyBase) base.push_back(&g);
  }
  REQUIRE(base.size() == 4);
  REQUIRE(ann.size() == 3);
  for (const CaptionGlyph* g : ann) {
    CHECK(g->em == doctest::Approx(36.0));
    CHECK(g->rise > 50.0f);  // over the base's ascent (about 67 px at 72 px)
    CHECK(g->rise == std::floor(g->rise));
  }
  const double base_centre = (base.front()->x + base.back()->x + base.back()->advance) / 2.0;
  const double ann_centre = (ann.front()->x + ann.back()->x + ann.back()->advance) / 2.0;
  CHECK(std::abs(base_centre - ann_centre) < 0.01);

  // Drawn: ink above the tallest base glyph's top, over the base and nowhere else.
  Surface s(1920, 1080);
  s.clear({0, 0, 0, 255});
  CaptionSettings settings;
  settings.background_opacity = 0;
  draw_captions(s, a, settings);
  const int top = line.baseline - static_cast<int>(std::ceil(ann.front()->rise)) - 20;
  int lit = 0, outside = 0;
  for (int y = top; y < line.baseline - 60; ++y)
    for (int x = 0; x < 1920; ++x) {
      if (s.pixel(x, y)[0] < 128) continue;
      const double px = x - line.x;
      if (px >= ann.front()->x - 2 && px <= ann.back()->x + ann.back()->advance + 2) ++lit;
      else ++outside;
    }
  CHECK(lit > 50);
  CHECK(outside == 0);
}

TEST_CASE("vertical cues: columns from the end of the block flow, position down the column, overlap avoided") {
  Fixture f;
  // rl: lines grow leftward, so the last line (auto) is the leftmost column; lr: the rightmost.
  const ParsedCaptions rl = vtt("00:00.000 --> 00:01.000 vertical:rl\nAB\xE6\x97\xA5\n");
  const CaptionLayout a = lay_out(f, rl);
  REQUIRE(a.boxes.size() == 1);
  CHECK(a.boxes[0].vertical == WritingDirection::VerticalGrowingLeft);
  REQUIRE(a.boxes[0].lines.size() == 1);
  const CaptionLineBox& col = a.boxes[0].lines[0];
  CHECK(col.line.x == 192);
  CHECK(col.line.width == 86);  // the line height is the column's width
  CHECK(col.baseline == 192 + 43);
  // position 50%, centred: the text's middle is the safe area's middle (y 54..1026).
  CHECK(std::abs(col.x + static_cast<double>(col.width) / 2 - 540.0) < 1.0);
  CHECK(col.line.height == static_cast<int>(std::ceil(col.x + col.width)) - static_cast<int>(std::floor(col.x)));
  REQUIRE(col.glyphs.size() == 3);
  CHECK(col.glyphs[0].orient == 2);  // Latin lies sideways
  CHECK(col.glyphs[2].orient == 1);  // CJK stands upright
  CHECK(col.text == "AB\xE6\x97\xA5");

  const CaptionLayout lr = lay_out(f, vtt("00:00.000 --> 00:01.000 vertical:lr\nAB\n"));
  CHECK(lr.boxes[0].lines[0].line.right() == 1728);
  const CaptionLayout first = lay_out(f, vtt("00:00.000 --> 00:01.000 vertical:rl line:0 position:0% align:start\nAB\n"));
  CHECK(first.boxes[0].lines[0].line.right() == 1728);       // line 0: the start of the block flow (right)
  CHECK(first.boxes[0].lines[0].x == doctest::Approx(54.0));  // position 0%: the top of the safe area

  // Two cues on the same column: the second steps to the next column (leftward for rl... here the
  // last line is leftmost, so it steps right, back into the area).
  const CaptionLayout two = lay_out(f, vtt("00:00.000 --> 00:01.000 vertical:rl\nOne\n\n00:00.000 --> 00:01.000 vertical:rl\nTwo\n"));
  REQUIRE(two.boxes.size() == 2);
  CHECK(two.boxes[0].lines[0].line.x == 192);
  CHECK(two.boxes[1].lines[0].line.x == 192 + 86);
  // Columns of both directions, and horizontal lines, share one list of what is placed.
  const CaptionLayout mixed =
      lay_out(f, vtt("00:00.000 --> 00:01.000 vertical:rl\nOne\n\n00:00.000 --> 00:01.000 vertical:lr line:0\nTwo\n"));
  REQUIRE(mixed.boxes.size() == 2);
  CHECK(mixed.boxes[0].lines[0].line.x == 192);
  CHECK(mixed.boxes[1].lines[0].line.x == 192 + 86);

  // Drawn inside its column.
  Surface s(1920, 1080);
  s.clear({0, 0, 0, 255});
  CaptionSettings settings;
  settings.background_opacity = 0;
  draw_captions(s, a, settings);
  int inside = 0, outside = 0;
  for (int y = 0; y < 1080; ++y)
    for (int x = 0; x < 1920; ++x)
      if (s.pixel(x, y)[0] > 128) ((x >= col.line.x && x < col.line.right()) ? inside : outside)++;
  CHECK(inside > 200);
  CHECK(outside == 0);
  // Turned a quarter clockwise: a tall thin "l" becomes wide and short on screen.
  const CaptionLayout ell = lay_out(f, vtt("00:00.000 --> 00:01.000 vertical:rl\nl\n"));
  Surface t(1920, 1080);
  t.clear({0, 0, 0, 255});
  draw_captions(t, ell, settings);
  int top = 1080, bottom = -1, left = 1920, right = -1;
  for (int y = 0; y < 1080; ++y)
    for (int x = 0; x < 1920; ++x)
      if (t.pixel(x, y)[0] > 128) {
        top = std::min(top, y);
        bottom = std::max(bottom, y);
        left = std::min(left, x);
        right = std::max(right, x);
      }
  REQUIRE(bottom >= top);
  CHECK(right - left + 1 > 3 * (bottom - top + 1));
}

TEST_CASE("bidi: a right-to-left paragraph starts at the right and reads in visual order; the text stays logical") {
  Fixture f;
  const CaptionLayout hebrew = lay_out(f, vtt("00:00.000 --> 00:01.000 align:start\n\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D (1)\nabc\n"));
  REQUIRE(hebrew.boxes.size() == 1);
  REQUIRE(hebrew.boxes[0].lines.size() == 2);
  const CaptionLineBox& rtl = hebrew.boxes[0].lines[0];
  const CaptionLineBox& ltr = hebrew.boxes[0].lines[1];
  // align:start follows each paragraph's own direction.
  CHECK(rtl.x + static_cast<double>(rtl.width) == doctest::Approx(1728.0));
  CHECK(ltr.x == doctest::Approx(192.0));
  // Drawn right to left: the bracketed number first (mirrored brackets), then the word reversed.
  std::string drawn;
  for (const CaptionGlyph& g : rtl.glyphs) append_utf8(drawn, g.codepoint);
  CHECK(drawn == "(1) \xD7\x9D\xD7\x95\xD7\x9C\xD7\xA9");
  CHECK(rtl.text == "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D (1)");  // what the live region reads
  for (size_t i = 1; i < rtl.glyphs.size(); ++i) CHECK(rtl.glyphs[i].x > rtl.glyphs[i - 1].x);
}
