// Bidirectional text: base direction, levels and visual order against UAX #9's worked cases.
#include <doctest.h>

#include <string>
#include <vector>

#include "text/bidi.h"
#include "text/utf8.h"

using namespace tessera;

namespace {

std::u32string text(const std::string& utf8) {
  const std::vector<char32_t> cps = decode_utf8(utf8);
  return {cps.begin(), cps.end()};
}

// The line in visual order, as UTF-8 (mirroring brackets at odd levels, as drawing does).
std::string visual(const std::string& utf8, int base = -1) {
  const std::u32string t = text(utf8);
  const int level = base >= 0 ? base : bidi_paragraph_level(t.data(), t.size());
  const std::vector<uint8_t> levels = bidi_levels(t.data(), t.size(), level);
  std::string out;
  for (const size_t i : bidi_visual_order(t.data(), levels.data(), t.size(), level))
    append_utf8(out, (levels[i] & 1) ? bidi_mirror(t[i]) : t[i]);
  return out;
}

}  // namespace

TEST_CASE("bidi: the paragraph direction is its first strong character's") {
  const std::u32string latin = text("123 abc"), hebrew = text("123 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"), none = text("123 !");
  CHECK(bidi_paragraph_level(latin.data(), latin.size()) == 0);
  CHECK(bidi_paragraph_level(hebrew.data(), hebrew.size()) == 1);
  CHECK(bidi_paragraph_level(none.data(), none.size(), 1) == 1);
  CHECK(bidi_class(U'\u0627') == BidiClass::AL);
  CHECK(bidi_class(U'\u0661') == BidiClass::AN);
  CHECK(bidi_class(U'\u05B0') == BidiClass::NSM);
  CHECK(bidi_class(U'\u0175') == BidiClass::L);  // Welsh ŵ
}

TEST_CASE("bidi: right-to-left runs are reversed; numbers, neutrals and brackets resolved") {
  // Left-to-right paragraph with a Hebrew word: the word reads right to left in place.
  CHECK(visual("abc \xD7\x90\xD7\x91\xD7\x92 def") == "abc \xD7\x92\xD7\x91\xD7\x90 def");
  // Right-to-left paragraph: the whole line reversed, its number kept left to right (level 2).
  CHECK(visual("\xD7\x90\xD7\x91 123 \xD7\x92") == "\xD7\x92 123 \xD7\x91\xD7\x90");
  const std::u32string rtl = text("\xD7\x90 12");
  const std::vector<uint8_t> levels = bidi_levels(rtl.data(), rtl.size(), 1);
  CHECK(levels == std::vector<uint8_t>{1, 1, 2, 2});
  // A separator between digits joins them; a terminator follows its number.
  CHECK(visual("\xD7\x90 1.5% \xD7\x91") == "\xD7\x91 1.5% \xD7\x90");
  // Brackets at odd levels are mirrored: "(א)" in a right-to-left paragraph still encloses it.
  CHECK(visual("\xD7\x90 (\xD7\x91)") == "(\xD7\x91) \xD7\x90");
  // Neutrals between runs of different directions take the paragraph's.
  CHECK(visual("abc, \xD7\x90\xD7\x91!") == "abc, \xD7\x91\xD7\x90!");
  // Numbers after Arabic letters are Arabic numbers: they stay left to right inside the RTL run.
  CHECK(visual("\xD8\xB9\xD8\xAF\xD8\xAF 12") == "12 \xD8\xAF\xD8\xAF\xD8\xB9");
  // Trailing white space stays at the end of the line in the paragraph's direction.
  CHECK(visual("abc \xD7\x90\xD7\x91 ") == "abc \xD7\x91\xD7\x90 ");
  // A forced direction (TTML tts:direction="rtl") on Latin text: the words keep their order
  // within, the line runs from the right.
  CHECK(visual("ab cd", 1) == "ab cd");
  CHECK(visual("ab \xD7\x90", 0) == "ab \xD7\x90");
}
