// TTML snapshots: the JSON contract with src/captions/snapshot.ts (limits, bad input), timing, and
// layout positions from IMSC's rendering model (regions, padding, displayAlign, textAlign,
// multiRowAlign, linePadding, lineHeight, fillLineGap, opacity, overflow, zIndex), the viewer's
// settings over the author's styles, and drawing (outline, visibility, clipping, determinism).
#include <doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "captions/caption_settings_json.h"
#include "captions/ttml.h"
#include "raster/sha256.h"
#include "tests/test_font.h"

using namespace tessera;
using namespace tessera::captions;

namespace {

struct Fonts {
  std::unique_ptr<Font> font = testing::load_test_font();
  std::vector<FontSet> families;
  Fonts() {
    FontSet set;
    set.regular = font.get();
    families.assign(3, set);
  }
};

// One snapshot [0, 10) with one region holding the given paragraphs (JSON arrays' contents).
std::string one_region(const std::string& region_fields, const std::string& paragraphs) {
  return R"([{"begin":0,"end":10,"root":{"aspectRatio":1.7777777777777777},"regions":[{"id":"r",)" + region_fields +
         R"(,"paragraphs":[)" + paragraphs + "]}]}]";
}

std::string span(const std::string& text, const std::string& extra = "") {
  return R"({"kind":"span","text":")" + text + R"(","color":[255,255,255,255],"backgroundColor":[0,0,0,194],)" +
         R"("fontFamily":["ReithSans","proportionalSansSerif"],"fontSize":0.06666666666666667)" + extra + "}";
}

std::string paragraph(const std::string& inlines, const std::string& extra = "") {
  return R"({"fontSize":0.06666666666666667,"textAlign":"center","direction":"ltr","lineHeight":"normal",)" +
         std::string(R"("multiRowAlign":"auto","linePadding":0,"fillLineGap":false,"backgroundColor":[0,0,0,0],)") +
         R"("lang":"en","inlines":[)" + inlines + "]" + extra + "}";
}

const std::string kBottom =
    R"("x":0.1,"y":0.1,"width":0.8,"height":0.8,"padding":{"top":0,"right":0,"bottom":0,"left":0},)"
    R"("displayAlign":"after","writingMode":"lrtb","showBackground":"whenActive","backgroundColor":[0,0,0,0],)"
    R"("opacity":1,"overflow":"visible","zIndex":null)";

TtmlDocument parse(const std::string& json) {
  TtmlDocument doc = parse_ttml_snapshots(json);
  REQUIRE(doc.ok);
  REQUIRE(!doc.snapshots.empty());
  return doc;
}

TtmlLayout lay_out(const Fonts& f, const std::string& json, const CaptionSettings& settings = {}) {
  const TtmlDocument doc = parse(json);
  return layout_ttml(doc.snapshots.front(), 1920, 1080, settings, f.families);
}

std::string with(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

double centre(const TtmlLine& l) {
  return l.x + static_cast<double>(l.glyphs.back().x + l.glyphs.back().advance) / 2;
}

}  // namespace

TEST_CASE("ttml snapshots: the JSON contract, timing and bad input") {
  const TtmlDocument doc = parse(
      R"({"snapshots":[{"begin":3.5,"end":5,"regions":[]},{"begin":1,"end":4,"regions":[]},{"begin":8,"end":null,"regions":[]}],"errors":[]})");
  REQUIRE(doc.snapshots.size() == 3);
  CHECK(doc.snapshots[0].begin == 1);
  CHECK(doc.snapshots[0].end == 3.5);  // cut where the next one starts
  CHECK(std::isinf(doc.snapshots[2].end));
  CHECK(ttml_snapshot_at(doc, 0.999) == nullptr);
  CHECK(ttml_snapshot_at(doc, 1) == &doc.snapshots[0]);
  CHECK(ttml_snapshot_at(doc, 3.5) == &doc.snapshots[1]);
  CHECK(ttml_snapshot_at(doc, 6) == nullptr);
  CHECK(ttml_snapshot_at(doc, 1e9) == &doc.snapshots[2]);
  CHECK(ttml_snapshot_at(doc, std::nan("")) == nullptr);

  const TtmlDocument xml = parse_ttml_snapshots("<tt xmlns=\"http://www.w3.org/ns/ttml\"/>");
  CHECK_FALSE(xml.ok);
  REQUIRE(xml.errors.size() == 1);
  CHECK(xml.errors[0].find("imsc") != std::string::npos);

  const TtmlDocument bad = parse_ttml_snapshots(R"([{"begin":5,"end":2},7,{"begin":1,"end":2,"regions":[{"x":"no"}]}])");
  CHECK(bad.ok);
  CHECK(bad.snapshots.size() == 1);
  CHECK(bad.errors.size() == 2);
  CHECK(bad.snapshots[0].regions[0].x == 0);  // a wrong field keeps its default

  // More paragraphs than the limit: the rest are dropped and said so.
  std::string many;
  for (size_t i = 0; i < kMaxTtmlParagraphs + 5; ++i) many += (i ? "," : "") + paragraph(span("x"));
  const TtmlDocument big = parse_ttml_snapshots(one_region(kBottom, many));
  CHECK(big.snapshots[0].regions[0].paragraphs.size() == kMaxTtmlParagraphs);
  CHECK(big.errors.size() == 1);

  const TtmlDocument text = parse(one_region(kBottom, paragraph(span("One") + R"(,{"kind":"br"},)" + span("two"))));
  CHECK(ttml_snapshot_text(text.snapshots[0]) == std::vector<std::string>{"One\ntwo"});
}

TEST_CASE("ttml layout: displayAlign after puts the last line on the region's bottom, textAlign center centres it") {
  Fonts f;
  REQUIRE(f.font);
  const TtmlLayout layout = lay_out(f, one_region(kBottom, paragraph(span("Who's there?"))));
  REQUIRE(layout.regions.size() == 1);
  const TtmlRegionLayout& r = layout.regions[0];
  CHECK(r.rect.x == 192);
  CHECK(r.rect.y == 108);
  CHECK(r.rect.width == 1536);
  CHECK(r.rect.height == 864);
  REQUIRE(r.lines.size() == 1);
  const TtmlLine& l = r.lines[0];
  CHECK(l.box.bottom() == 972);  // 0.9 × 1080
  // lineHeight normal: the font's ascent + descent at 72 px.
  CHECK(l.box.height == static_cast<int>(std::floor(static_cast<double>(l.ascent + l.descent) + 0.5)));
  CHECK(std::abs(centre(l) - 960.0) < 0.51);
  CHECK(l.text == "Who's there?");
  CHECK(l.glyphs.front().em == doctest::Approx(72.0));
  // One span background around the text, the font's height about the baseline.
  REQUIRE(r.fills.size() == 1);
  CHECK(r.fills[0].colour.a == 194);
  CHECK(r.fills[0].rect.y == l.baseline - static_cast<int>(std::floor(static_cast<double>(l.ascent) + 0.5)));
}

TEST_CASE("ttml layout: displayAlign before and center, padding, and lineHeight") {
  Fonts f;
  const std::string padded = with(with(kBottom, R"("displayAlign":"after")", R"("displayAlign":"before")"),
                                  R"("padding":{"top":0,)", R"("padding":{"top":0.05,)");
  const TtmlLayout before = lay_out(f, one_region(padded, paragraph(span("A")) + "," + paragraph(span("B"))));
  REQUIRE(before.regions[0].lines.size() == 2);
  CHECK(before.regions[0].lines[0].box.y == 162);  // (0.1 + 0.05) × 1080
  CHECK(before.regions[0].lines[1].box.y == before.regions[0].lines[0].box.bottom());

  const std::string centred = with(kBottom, R"("displayAlign":"after")", R"("displayAlign":"center")");
  const TtmlLayout center = lay_out(f, one_region(centred, paragraph(span("A"))));
  const TtmlLine& c = center.regions[0].lines[0];
  CHECK(std::abs((c.box.y + c.box.bottom()) / 2.0 - 540.0) <= 1.0);

  const TtmlLayout tall =
      lay_out(f, one_region(kBottom, with(paragraph(span("A") + R"(,{"kind":"br"},)" + span("B")),
                                          R"("lineHeight":"normal")", R"("lineHeight":1.5)")));
  REQUIRE(tall.regions[0].lines.size() == 2);
  CHECK(tall.regions[0].lines[0].box.height == 108);  // 1.5 × 72
  CHECK(tall.regions[0].lines[1].box.y == tall.regions[0].lines[0].box.bottom());
  CHECK(tall.regions[0].lines[1].box.bottom() == 972);
  // The baseline sits in the middle of the leading: half of (108 - ascent - descent) above the text.
  const TtmlLine& t = tall.regions[0].lines[0];
  CHECK(std::abs(t.baseline - (t.box.y + (108 - static_cast<double>(t.ascent + t.descent)) / 2 + static_cast<double>(t.ascent))) <= 1.0);
}

TEST_CASE("ttml layout: multiRowAlign, textAlign start/end with direction, and linePadding") {
  Fonts f;
  const std::string two = span("A much longer first line") + R"(,{"kind":"br"},)" + span("Short");
  const TtmlLayout centred = lay_out(f, one_region(kBottom, paragraph(two)));
  REQUIRE(centred.regions[0].lines.size() == 2);
  CHECK(std::abs(centre(centred.regions[0].lines[0]) - centre(centred.regions[0].lines[1])) < 1.0);

  // multiRowAlign start: the lines share a left edge; the block is centred by textAlign.
  const TtmlLayout ragged = lay_out(f, one_region(kBottom, with(paragraph(two), R"("multiRowAlign":"auto")", R"("multiRowAlign":"start")")));
  const TtmlLine& a = ragged.regions[0].lines[0];
  const TtmlLine& b = ragged.regions[0].lines[1];
  CHECK(a.x == doctest::Approx(b.x));
  CHECK(std::abs(centre(a) - 960.0) < 0.51);

  const TtmlLayout start = lay_out(f, one_region(kBottom, with(paragraph(span("Left")), R"("textAlign":"center")", R"("textAlign":"start")")));
  CHECK(start.regions[0].lines[0].x == doctest::Approx(192.0));
  const TtmlLayout rtl_start = lay_out(
      f, one_region(kBottom, with(with(paragraph(span("Right")), R"("textAlign":"center")", R"("textAlign":"start")"),
                                  R"("direction":"ltr")", R"("direction":"rtl")")));
  const TtmlLine& r = rtl_start.regions[0].lines[0];
  CHECK(r.x + static_cast<double>(r.glyphs.back().x + r.glyphs.back().advance) == doctest::Approx(1728.0));

  // linePadding 0.5c of 32 columns: 30 px at 1920; the text box shrinks by it and the span
  // background reaches it on both sides.
  const TtmlLayout padded = lay_out(f, one_region(kBottom, with(with(paragraph(span("Pad")), R"("textAlign":"center")", R"("textAlign":"start")"),
                                                             R"("linePadding":0)", R"("linePadding":0.015625)")));
  const TtmlLine& p = padded.regions[0].lines[0];
  CHECK(p.x == doctest::Approx(222.0));
  REQUIRE(padded.regions[0].fills.size() == 1);
  CHECK(padded.regions[0].fills[0].rect.x == 192);
  CHECK(padded.regions[0].fills[0].rect.right() ==
        static_cast<int>(std::ceil(p.x + static_cast<double>(p.glyphs.back().x + p.glyphs.back().advance) + 30.0)));
}

TEST_CASE("ttml layout: fillLineGap, per-span sizes, backgrounds, opacity, overflow and zIndex") {
  Fonts f;
  const std::string two = span("First") + R"(,{"kind":"br"},)" + span("Second");
  const TtmlLayout gaps = lay_out(f, one_region(kBottom, with(paragraph(two), R"("lineHeight":"normal")", R"("lineHeight":1.25)")));
  const TtmlLayout filled = lay_out(f, one_region(kBottom, with(with(paragraph(two), R"("lineHeight":"normal")", R"("lineHeight":1.25)"),
                                                             R"("fillLineGap":false)", R"("fillLineGap":true)")));
  REQUIRE(gaps.regions[0].fills.size() == 2);
  REQUIRE(filled.regions[0].fills.size() == 2);
  CHECK(gaps.regions[0].fills[0].rect.bottom() < gaps.regions[0].fills[1].rect.y);   // a gap between the lines
  CHECK(filled.regions[0].fills[0].rect.bottom() == filled.regions[0].fills[1].rect.y);  // none

  const TtmlLayout mixed = lay_out(f, one_region(kBottom, paragraph(span("small") + "," +
                                                                    with(span("BIG"), "0.06666666666666667", "0.1"))));
  const TtmlLine& m = mixed.regions[0].lines[0];
  CHECK(m.glyphs.front().em == doctest::Approx(72.0));
  CHECK(m.glyphs.back().em == doctest::Approx(108.0));
  CHECK(m.box.height > 100);  // the big span's font sets the line height

  // Region background shown when active, at the region's opacity; paragraph background across the
  // content width.
  const std::string shaded = with(with(kBottom, R"("backgroundColor":[0,0,0,0],"opacity":1)", R"("backgroundColor":[0,0,255,200],"opacity":0.5)"),
                                  R"("showBackground":"whenActive")", R"("showBackground":"always")");
  const TtmlLayout bg = lay_out(f, one_region(shaded, with(paragraph(span("x")), R"("backgroundColor":[0,0,0,0])", R"("backgroundColor":[255,0,0,255])")));
  REQUIRE(bg.regions[0].fills.size() == 3);
  CHECK(bg.regions[0].fills[0].rect.width == 1536);
  CHECK(bg.regions[0].fills[0].colour.a == 100);
  CHECK(bg.regions[0].fills[1].colour.r == 255);
  CHECK(bg.regions[0].fills[1].colour.a == 128);
  CHECK(bg.regions[0].fills[1].rect.width == 1536);
  CHECK(bg.regions[0].lines[0].glyphs[0].style.colour.a == 128);

  // An empty region: drawn only with showBackground="always".
  CHECK(lay_out(f, one_region(kBottom, "")).regions.empty());
  CHECK(lay_out(f, one_region(shaded, "")).regions.size() == 1);

  const TtmlLayout clipped = lay_out(f, one_region(with(kBottom, R"("overflow":"visible")", R"("overflow":"hidden")"), paragraph(span("x"))));
  CHECK(clipped.regions[0].clip.x == 192);
  CHECK(clipped.regions[0].clip.height == 864);
  CHECK(lay_out(f, one_region(kBottom, paragraph(span("x")))).regions[0].clip.width == 1920);

  const std::string stacked = R"([{"begin":0,"end":1,"regions":[{"id":"front","zIndex":2,"paragraphs":[)" + paragraph(span("front")) +
                              R"(]},{"id":"back","zIndex":1,"paragraphs":[)" + paragraph(span("back")) + "]}]}]";
  const TtmlLayout z = lay_out(f, stacked);
  REQUIRE(z.regions.size() == 2);
  CHECK(z.regions[0].lines[0].text == "back");
  CHECK(z.regions[1].lines[0].text == "front");
}

TEST_CASE("ttml layout: the viewer's settings over the author's styles") {
  Fonts f;
  const std::string doc = one_region(kBottom, paragraph(with(span("Text"), R"("fontFamily":["ReithSans","proportionalSansSerif"])",
                                                             R"("fontFamily":["monospaceSerif"])")));
  const TtmlLayout author = lay_out(f, doc);
  const CaptionGlyph& g = author.regions[0].lines[0].glyphs[0];
  CHECK(g.style.family == static_cast<int8_t>(TtmlFamily::Mono));
  CHECK(g.style.colour.r == 255);
  CHECK(g.style.colour.b == 255);
  CHECK(author.regions[0].fills[0].colour.a == 194);

  const CaptionSettings viewer = caption_settings_from_json(
      R"({"size":200,"textColour":"#ffff00","backgroundColour":"#000080","backgroundOpacity":1,"font":"serif","position":"top"})");
  const TtmlLayout chosen = lay_out(f, doc, viewer);
  const TtmlLine& l = chosen.regions[0].lines[0];
  CHECK(l.glyphs[0].em == doctest::Approx(144.0));
  CHECK(l.glyphs[0].style.family == static_cast<int8_t>(TtmlFamily::Serif));
  CHECK(l.glyphs[0].style.colour.b == 0);  // yellow
  CHECK(chosen.regions[0].fills[0].colour.b == 128);
  CHECK(chosen.regions[0].fills[0].colour.a == 255);
  // "top": a region reaching into the lower half moves to its mirror image (here, the same
  // place: 10%..90% is symmetric) — so use a bottom strip instead.
  const std::string strip = with(with(kBottom, R"("y":0.1)", R"("y":0.75)"), R"("height":0.8)", R"("height":0.15)");
  const TtmlLayout moved = lay_out(f, one_region(strip, paragraph(span("x"))), viewer);
  CHECK(moved.regions[0].rect.y == 108);  // 1 - 0.75 - 0.15 = 0.1

  // The default font choice keeps the author's family; a default colour keeps the author's colour.
  const TtmlLayout kept = lay_out(f, doc, caption_settings_from_json(R"({"font":"default","size":100})"));
  CHECK(kept.regions[0].lines[0].glyphs[0].style.family == static_cast<int8_t>(TtmlFamily::Mono));
}

TEST_CASE("ttml drawing: text, outline, visibility, clipping and determinism") {
  Fonts f;
  auto draw = [&](const std::string& json, const CaptionSettings& settings = {}) {
    Surface s(640, 360);
    s.fill_rect(0, 0, 640, 360, {0, 128, 0, 255});
    const TtmlDocument doc = parse(json);
    draw_ttml(s, layout_ttml(doc.snapshots.front(), 640, 360, settings, f.families), settings);
    return s;
  };
  auto count = [](const Surface& s, Rgba c, RectI r) {
    int n = 0;
    for (int y = r.y; y < r.bottom(); ++y)
      for (int x = r.x; x < r.right(); ++x) {
        const uint8_t* p = s.data() + (static_cast<size_t>(y) * 640 + static_cast<size_t>(x)) * 4;
        n += p[0] == c.r && p[1] == c.g && p[2] == c.b;
      }
    return n;
  };
  const std::string outlined = one_region(
      kBottom, paragraph(with(span("Outlined"), R"("backgroundColor":[0,0,0,194])", R"("backgroundColor":[0,0,0,0],"textOutline":{"color":[255,0,0,255],"thickness":0.006})")));
  const Surface a = draw(outlined);
  CHECK(count(a, {255, 255, 255, 255}, {0, 0, 640, 360}) > 100);  // white text
  CHECK(count(a, {255, 0, 0, 255}, {0, 0, 640, 360}) > 100);      // its red outline
  CHECK(count(a, {255, 255, 255, 255}, {0, 0, 640, 250}) == 0);   // all of it at the bottom
  CHECK(sha256_hex(a.data(), a.byte_size()) == sha256_hex(draw(outlined).data(), a.byte_size()));

  // The viewer's edge replaces the author's outline.
  const Surface edged = draw(outlined, caption_settings_from_json(R"({"edge":"outline"})"));
  CHECK(count(edged, {255, 0, 0, 255}, {0, 0, 640, 360}) == 0);
  CHECK(count(edged, {0, 0, 0, 255}, {0, 0, 640, 360}) > 30);  // a 1 px black outline at this size

  // visibility hidden: the space is kept, nothing drawn.
  const Surface hidden = draw(one_region(kBottom, paragraph(with(span("Hidden"), R"("fontSize")", R"("visible":false,"fontSize")"))));
  CHECK(count(hidden, {255, 255, 255, 255}, {0, 0, 640, 360}) == 0);

  // overflow hidden: nothing outside the region, even text taller than it.
  const std::string small = with(with(with(kBottom, R"("height":0.8)", R"("height":0.05)"), R"("overflow":"visible")", R"("overflow":"hidden")"),
                                 R"("y":0.1)", R"("y":0.5)");
  const Surface clipped = draw(one_region(small, paragraph(span("Clipped"))));
  CHECK(count(clipped, {0, 128, 0, 255}, {0, 0, 640, 180}) == 640 * 180);
  CHECK(count(clipped, {0, 128, 0, 255}, {0, 198, 640, 162}) == 640 * 162);
}

TEST_CASE("ttml ruby: the annotation over its base, or under it for rubyPosition after, at its own size") {
  Fonts f;
  const std::string ruby_before =
      R"({"kind":"ruby","position":"before","align":"center","base":[)" + with(span("Base"), R"("kind":"span",)", "") +
      R"(],"annotation":[)" + with(with(span("ann"), R"("kind":"span",)", ""), "0.06666666666666667", "0.03333333333333333") + "]}";
  const TtmlLayout before = lay_out(f, one_region(kBottom, paragraph(ruby_before + "," + span(" after"))));
  const TtmlLine& l = before.regions[0].lines[0];
  CHECK(l.text == "Base after");
  float rise = 0;
  for (const CaptionGlyph& g : l.glyphs)
    if (g.flags & kStyleRubyText) {
      CHECK(g.em == doctest::Approx(36.0));
      rise = g.rise;
    }
  CHECK(rise > 50.0f);
  CHECK(l.box.bottom() == 972);  // displayAlign after: the taller line still ends on the region's bottom

  const TtmlLayout after = lay_out(f, one_region(kBottom, paragraph(with(ruby_before, R"("position":"before")", R"("position":"after")"))));
  for (const CaptionGlyph& g : after.regions[0].lines[0].glyphs)
    if (g.flags & kStyleRubyText) CHECK(g.rise < -10.0f);
}

TEST_CASE("ttml vertical regions: columns from the right (tbrl) or left (tblr), displayAlign across, textAlign down") {
  Fonts f;
  const std::string side = with(with(with(with(kBottom, R"("x":0.1)", R"("x":0.8)"), R"("width":0.8)", R"("width":0.1)"),
                                     R"("height":0.8)", R"("height":0.5)"),
                                R"("writingMode":"lrtb")", R"("writingMode":"tbrl")");
  const std::string two = paragraph(span("\xE7\xB8\xA6\xE6\x9B\xB8")) + "," + paragraph(span("ab"));
  const TtmlLayout centred = lay_out(f, one_region(with(side, R"("displayAlign":"after")", R"("displayAlign":"center")"),
                                                   paragraph(span("\xE7\xB8\xA6\xE6\x9B\xB8\xE3\x81\x8D"))));
  REQUIRE(centred.regions.size() == 1);
  CHECK(centred.regions[0].vertical);
  const TtmlRegionLayout& r = centred.regions[0];
  REQUIRE(r.lines.size() == 1);
  const TtmlLine& col = r.lines[0];
  CHECK(std::abs((col.box.x + col.box.right()) / 2.0 - (1536 + 1728) / 2.0) <= 1.0);  // centred across the region
  CHECK(std::abs(col.x + static_cast<double>(col.glyphs.back().x + col.glyphs.back().advance) / 2 -
                 (108 + 648) / 2.0) < 1.0);  // textAlign center: centred down the region (y 108..648)
  CHECK(col.glyphs[0].orient == 1);
  CHECK(col.baseline == col.box.x + col.box.width / 2);

  // tbrl, displayAlign before: the first paragraph is the rightmost column; tblr: the leftmost.
  const TtmlLayout rl = lay_out(f, one_region(with(side, R"("displayAlign":"after")", R"("displayAlign":"before")"), two));
  REQUIRE(rl.regions[0].lines.size() == 2);
  CHECK(rl.regions[0].lines[0].box.right() == 1728);
  CHECK(rl.regions[0].lines[1].box.right() == rl.regions[0].lines[0].box.x);
  CHECK(rl.regions[0].lines[1].glyphs[0].orient == 2);  // Latin turned
  const TtmlLayout lr = lay_out(
      f, one_region(with(with(side, R"("displayAlign":"after")", R"("displayAlign":"before")"), R"("writingMode":"tbrl")",
                         R"("writingMode":"tblr")"),
                    two));
  CHECK(lr.regions[0].lines[0].box.x == 1536);
  CHECK(lr.regions[0].lines[1].box.x == lr.regions[0].lines[0].box.right());
  // The span backgrounds are columns too, around each column's text.
  REQUIRE(lr.regions[0].fills.size() == 2);
  CHECK(lr.regions[0].fills[0].rect.height > lr.regions[0].fills[0].rect.width);
}
