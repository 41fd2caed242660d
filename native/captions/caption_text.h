// Caption text: a cue's node tree (b, i, u, c with classes, v, lang, ruby) as styled code points,
// shaped with a FontSet (a face per style where loaded, synthesised bold and oblique where not,
// fallback fonts per code point) and broken into lines across style runs with the same rules as
// text/layout (text/line_break.h). Sizes are in pixels; only + - * / and floor on IEEE floats,
// so every build lays out identically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "captions/cue.h"
#include "raster/surface.h"
#include "text/font.h"

namespace tessera::captions {

// The fonts of one caption font family. Only `regular` is required; a missing bold or italic
// face is synthesised from the nearest loaded one. A code point the styled face lacks is taken
// from the first fallback that has it (e.g. a CJK font), else drawn as the face's .notdef.
struct FontSet {
  const Font* regular = nullptr;
  const Font* bold = nullptr;
  const Font* italic = nullptr;
  const Font* bold_italic = nullptr;
  std::vector<const Font*> fallbacks;
};

enum StyleFlags : uint16_t {
  kStyleBold = 1,
  kStyleItalic = 2,
  kStyleUnderline = 4,
  kStyleLineThrough = 8,
  kStyleOverline = 16,
  kStyleHidden = 32,     // takes its space, is not drawn (TTML visibility="hidden")
  kStyleRubyBase = 64,   // ruby base text: the annotation that follows it is centred over it
  kStyleRubyText = 128,  // a ruby annotation (WebVTT rt, TTML ruby text): over its base, not in the line
  kStyleRubyAfter = 256, // ... under its base instead (TTML rubyPosition="after")
};

// What the WebVTT default style sheet and the cue's tags (or a TTML span's computed style) give
// one code point.
struct TextStyleRun {
  uint16_t flags = 0;           // StyleFlags
  bool has_colour = false;      // c.white … c.black, or SRT <font color>, or a TTML colour
  Rgba colour;
  bool has_background = false;  // c.bg_white … c.bg_black, or a TTML backgroundColor
  Rgba background;
  // TTML only. The run's font size (the em) in pixels, 0 for the layout's; its family, an index
  // into the families handed to layout_caption_text, -1 for the layout's; its text outline.
  float size = 0;
  int8_t family = -1;
  float outline = 0;  // pixels, 0 for none
  Rgba outline_colour;
};

struct StyledCodepoint {
  char32_t codepoint = 0;
  TextStyleRun style;
};

// The WebVTT default colour classes ("white", "lime", "cyan", "red", "yellow", "magenta",
// "blue", "black"; with "bg_" for backgrounds). False when `name` is not one.
bool caption_class_colour(const std::string& name, Rgba* colour, bool* background);

// The cue text as styled code points, at most max_codepoints of them. Ruby base text is flagged
// kStyleRubyBase and each rt's text follows its base flagged kStyleRubyText; timestamps add
// nothing; line feeds stay as hard breaks.
std::vector<StyledCodepoint> styled_text(const CueNode& root, size_t max_codepoints);

struct CaptionGlyph {
  char32_t codepoint = 0;
  const Font* font = nullptr;
  int glyph = 0;
  float x = 0;        // pen position from the line's left edge, pixels
  float advance = 0;  // including synthetic emboldening
  float em = 0;       // the size it is shaped and drawn at, pixels
  uint16_t flags = 0;  // StyleFlags asked for
  float rise = 0;      // ruby annotations: whole pixels above the line's baseline (negative: below)
  // Vertical text: 0 horizontal; 1 upright (CJK, kana, Hangul, full-width forms: advance is the
  // font's height); 2 sideways (turned 90° clockwise, as CSS text-orientation: mixed does).
  uint8_t orient = 0;
  bool synthetic_bold = false, synthetic_italic = false;
  TextStyleRun style;
};

struct CaptionTextLine {
  std::vector<CaptionGlyph> glyphs;  // trailing spaces removed
  float x = 0;      // left edge after alignment, from the box's left edge
  float width = 0;  // advance width
  float ascent = 0, descent = 0;  // the largest of its glyphs' fonts at their sizes (0 when empty)
  bool rtl = false;                // its paragraph runs right to left (glyphs are in visual order)
  std::string text;                // UTF-8 in logical order, ruby annotations left out
};

struct CaptionText {
  std::vector<CaptionTextLine> lines;
  float em = 0;                      // font size (the em square), pixels
  float ascent = 0, descent = 0;     // of the regular face
  float width = 0;                   // widest line
  bool truncated = false;            // more than max_lines lines
};

// Start and End follow each paragraph's direction (right for a right-to-left paragraph's start).
enum class CaptionTextAlign { Left, Centre, Right, Start, End };
// A paragraph's base direction: Auto takes its first strong character's (as CSS unicode-bidi:
// plaintext does for WebVTT cues); Ltr and Rtl are given (TTML tts:direction).
enum class TextDirection { Auto, Ltr, Rtl };

// Shapes and breaks `text` for a box `box_width` pixels wide (≤ 0: explicit breaks only),
// keeping at most max_lines lines. Lines are broken in logical order, then each line's glyphs
// are put in visual order by the Unicode bidirectional algorithm (text/bidi.h), brackets mirrored
// in right-to-left runs. Ruby annotations take no room in the line: each is shaped at
// half its base's size (or its own TTML size), centred over the base run before it and raised
// above the base's ascent (CaptionGlyph::rise); the line's ascent grows to hold it.
CaptionText layout_caption_text(const std::vector<StyledCodepoint>& text, const FontSet& fonts, float em,
                                float box_width, CaptionTextAlign align, size_t max_lines);
// The same with several families: a run's TextStyleRun::family picks one (else `family`), and
// its TextStyleRun::size its em (else `em`). `em`, ascent and descent in the result are the
// default family's at `em`.
CaptionText layout_caption_text(const std::vector<StyledCodepoint>& text, const std::vector<FontSet>& families,
                                size_t family, float em, float box_width, CaptionTextAlign align, size_t max_lines);
CaptionText layout_caption_text(const std::vector<StyledCodepoint>& text, const std::vector<FontSet>& families,
                                size_t family, float em, float box_width, CaptionTextAlign align, size_t max_lines,
                                TextDirection direction);

// Vertical text (WebVTT vertical:rl/lr, TTML tbrl/tblr): the same, each line a column read top to
// bottom, `box_height` long; glyph x is the pen position down the column. Ruby annotations are
// not shown in vertical text.
CaptionText layout_caption_text_vertical(const std::vector<StyledCodepoint>& text, const std::vector<FontSet>& families,
                                         size_t family, float em, float box_height, CaptionTextAlign align,
                                         size_t max_lines);

// Whether a code point stands upright in vertical text (CJK ideographs and symbols, kana, Hangul,
// full-width forms), as CSS text-orientation: mixed draws them; the others lie sideways.
bool upright_in_vertical(char32_t c);

// Extra advance of synthetic bold at a font size: the glyph's coverage is widened by this many
// pixels (a max filter), and its advance grows by as much.
int synthetic_bold_pixels(float em);

}  // namespace tessera::captions
