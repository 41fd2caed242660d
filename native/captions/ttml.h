// TTML captions (TTML 2 / IMSC 1.1 text profile / EBU-TT-D) in the engine. The host parses the
// XML with the imsc library into timed snapshots — what is on screen in each interval, with every
// style computed and every length resolved (src/captions/snapshot.ts documents the JSON) — and the
// engine lays them out and draws them itself, following IMSC's rendering model: regions at their
// origin and extent with padding; paragraphs stacked in the block direction and the stack placed by
// displayAlign; lines broken to the region's width; lines aligned by textAlign, or to one another by
// ebutts:multiRowAlign; line height from tts:lineHeight (or the fonts' own for "normal"); span
// backgrounds around each line's text extended by ebutts:linePadding, filling the line gaps with
// itts:fillLineGap; paragraph and region backgrounds, tts:opacity, tts:showBackground, overflow
// clipping, zIndex; tts:textOutline; colours, sizes, weight, style, text decoration and visibility
// per span.
//
// The viewer's caption settings apply over the author's styles where the viewer chose something
// other than the default: size scales every font size; a text colour, background colour or window
// colour replaces the author's; an edge style replaces the author's outline; a font family
// replaces the author's; opacities multiply; "top" moves regions in the lower half to the
// mirror-image place in the upper half.
//
// Determinism: positions are IEEE doubles through + - * / and floor; drawing is integer (ink.h).
//
// Ruby: the annotation over its base (under it for rubyPosition "after"), centred, at the size
// imsc computed; the line grows to hold it.
//
// Vertical writing modes (tbrl, tblr): the region laid out turned a quarter, paragraphs and lines
// as columns stacking right to left (tbrl) or left to right (tblr), CJK upright and other text
// turned clockwise; no ruby or text decoration there.
// Right-to-left paragraphs (tts:direction) are aligned from the right and reordered by the
// Unicode bidirectional algorithm (text/bidi.h); Arabic is not shaped (no joining forms).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "captions/caption_text.h"
#include "captions/render.h"
#include "raster/rect.h"
#include "raster/surface.h"

namespace tessera::captions {

// Untrusted input: what one document holds at most.
constexpr size_t kMaxTtmlSnapshots = 20000;
constexpr size_t kMaxTtmlRegions = 32;              // per snapshot
constexpr size_t kMaxTtmlParagraphs = 64;           // per region
constexpr size_t kMaxTtmlInlines = 512;             // per paragraph (spans, breaks, ruby)
constexpr size_t kMaxTtmlCodepoints = 4000;         // per paragraph
constexpr size_t kMaxTtmlLinesPerParagraph = 16;
constexpr size_t kMaxTtmlJsonBytes = 64u << 20;

enum class TtmlFamily : int8_t { Sans = 0, Serif = 1, Mono = 2 };  // = the engine's caption families

struct TtmlSpan {
  std::string text;  // UTF-8, white space already handled by imsc
  Rgba colour{255, 255, 255, 255};
  Rgba background{0, 0, 0, 0};
  TtmlFamily family = TtmlFamily::Sans;
  double font_size = 1.0 / 15;  // fraction of the root height
  bool italic = false, bold = false, underline = false, line_through = false, overline = false;
  bool visible = true;
  double outline = 0;           // tts:textOutline thickness, fraction of the root height (0: none)
  Rgba outline_colour{0, 0, 0, 255};
};

enum class TtmlInlineKind : uint8_t { Span, Break, Ruby };
struct TtmlInline {
  TtmlInlineKind kind = TtmlInlineKind::Span;
  TtmlSpan span;                      // Span
  std::vector<TtmlSpan> base, annotation;  // Ruby
  bool ruby_after = false;                 // Ruby: the annotation under the base
};

enum class TtmlAlign : uint8_t { Start, Center, End, Justify, Auto };
struct TtmlParagraph {
  double font_size = 1.0 / 15;
  TtmlAlign text_align = TtmlAlign::Center;
  bool rtl = false;
  double line_height = 0;  // multiple of font_size; 0: normal
  TtmlAlign multi_row_align = TtmlAlign::Auto;
  double line_padding = 0;  // fraction of the root width
  bool fill_line_gap = false;
  Rgba background{0, 0, 0, 0};
  std::string lang;
  std::vector<TtmlInline> inlines;
};

enum class TtmlDisplayAlign : uint8_t { Before, Center, After };
struct TtmlRegion {
  std::string id;
  double x = 0, y = 0, width = 1, height = 1;                 // fractions of the root
  double pad_top = 0, pad_right = 0, pad_bottom = 0, pad_left = 0;
  TtmlDisplayAlign display_align = TtmlDisplayAlign::Before;
  std::string writing_mode = "lrtb";
  bool show_always = true;
  Rgba background{0, 0, 0, 0};
  double opacity = 1;
  bool clip = false;        // overflow hidden
  int z_index = 0;          // auto = 0
  std::vector<TtmlParagraph> paragraphs;
};

struct TtmlSnapshot {
  double begin = 0;
  double end = std::numeric_limits<double>::infinity();
  double aspect_ratio = 16.0 / 9;
  std::vector<TtmlRegion> regions;
};

struct TtmlDocument {
  bool ok = false;
  std::vector<TtmlSnapshot> snapshots;  // sorted by begin, not overlapping
  std::vector<std::string> errors;      // problems found (the document is still used)
};

// The snapshot JSON (src/captions/snapshot.ts: an array of CaptionSnapshot, or an object with
// "snapshots"). ok is false, with a message in errors, only when it is not that at all.
TtmlDocument parse_ttml_snapshots(std::string_view json);

// The snapshot showing at time t (begin <= t < end), or nullptr.
const TtmlSnapshot* ttml_snapshot_at(const TtmlDocument& doc, double t);

// The text showing, one string per paragraph in region order, for a screen reader.
std::vector<std::string> ttml_snapshot_text(const TtmlSnapshot& snapshot);

struct TtmlLine {
  double x = 0;        // pen origin of the first glyph, pixels
  int baseline = 0;
  RectI box;           // the line box: the text's advance width (plus line padding) × the line height
  float ascent = 0, descent = 0;
  float line_padding = 0;
  std::vector<CaptionGlyph> glyphs;  // x from `x`; colours final (settings and opacity applied)
  std::string text;
};
struct TtmlFill {
  RectI rect;
  Rgba colour;
};
// In a vertical region (tbrl, tblr) a line is a column: `x` is the pen origin down the picture,
// `baseline` the column's centre x, `box` the column's rectangle.
struct TtmlRegionLayout {
  bool vertical = false;
  RectI rect;    // the region's area
  RectI clip;    // what it may draw into (the region when overflow is hidden, else the picture)
  std::vector<TtmlFill> fills;  // region, paragraph and span backgrounds in paint order
  std::vector<TtmlLine> lines;
};
struct TtmlLayout {
  int width = 0, height = 0;
  std::vector<TtmlRegionLayout> regions;  // in paint order (zIndex, then document order)
  bool truncated = false;
};

// Lays out a snapshot over a width × height picture (the root container). `families` are the
// engine's caption families (sans, serif, mono).
TtmlLayout layout_ttml(const TtmlSnapshot& snapshot, int width, int height, const CaptionSettings& settings,
                       const std::vector<FontSet>& families);

// Draws a layout over the picture: region by region, backgrounds, then outlines (or the viewer's
// edge), then text and decorations.
void draw_ttml(Surface& surface, const TtmlLayout& layout, const CaptionSettings& settings);

}  // namespace tessera::captions
