// Captions laid out and drawn by the engine: WebVTT cues placed by the WebVTT rendering rules
// ("apply WebVTT cue settings", W3C WebVTT §7.2: position, position alignment, size, line,
// snap-to-lines with its line steps and overlap avoidance, percentage lines with line
// alignment, text alignment, regions stacked bottom-up), inside a caption safe area, and drawn
// with the viewer's caption settings (FCC-style: size, colours and opacities of text, line
// background and window, edge style, font family, position override). Defaults follow BBC
// subtitle guidance: white text on a black backing box at 75% opacity, a line of about 8% of
// the picture height, inside the title-safe area.
//
// Determinism: positions are IEEE doubles and floats through + - * / and floor only; drawing is
// integer. The same cues give the same pixels in every build.
//
// Ruby annotations (rt) are drawn over their base at half size, in the line's leading and the
// space above it (the lines keep their even spacing, as the snap-to-lines grid needs).
// Vertical cues (rl, lr) are laid out by the same rules turned a quarter: columns read top to
// bottom and stack right to left or left to right; CJK stands upright, other text is turned
// clockwise (CSS text-orientation: mixed); they take no region, no "top" override, and no
// underline or ruby.
// Each paragraph of a cue takes its direction from its first strong character (CSS unicode-bidi:
// plaintext): align start and end follow it, and its lines are reordered by the Unicode
// bidirectional algorithm (text/bidi.h). Arabic is not shaped (no joining forms).
//
// What is not done yet: a percentage-positioned cue that overlaps is only moved vertically.
// TTML is laid out by ttml.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "captions/caption_text.h"
#include "captions/cue.h"
#include "captions/ink.h"  // CaptionEdge
#include "raster/rect.h"
#include "raster/surface.h"

namespace tessera::captions {

enum class CaptionPositionOverride { Default, Top };

struct CaptionSettings {
  int size_percent = 100;                    // 50..200 (clamped): scales the font and line height
  Rgba text_colour{255, 255, 255, 255};      // used where the cue sets no colour class
  bool override_author_colours = false;      // true: text_colour even where the cue sets one
  uint8_t text_opacity = 255;
  Rgba background_colour{0, 0, 0, 255};      // the backing box behind each line
  uint8_t background_opacity = 191;          // 75%
  Rgba window_colour{0, 0, 0, 255};          // the cue box (or the region)
  uint8_t window_opacity = 0;
  CaptionEdge edge = CaptionEdge::None;
  Rgba edge_colour{0, 0, 0, 255};
  uint8_t edge_opacity = 255;
  int font_family = -1;                      // index into the families given to layout_captions; -1
                                             // the author's (TTML) or the first (WebVTT, SRT)
  CaptionPositionOverride position = CaptionPositionOverride::Default;
  // The caption safe area, in thousandths of the picture inset on each side (EBU R 95 graphics
  // safe: 10% left and right, 5% top and bottom). Cue percentages are of this area.
  int safe_inset_x_permille = 100;
  int safe_inset_y_permille = 50;
  // The font size at 100%: the picture height divided by this (15: a 72 px em at 1080 lines),
  // and the line height as a multiple of it (1.2: 86 px, 8% of 1080).
  int font_divisor = 15;
  float line_height = 1.2f;
};

// Untrusted input: what one frame lays out at most.
constexpr size_t kMaxCaptionCues = 32;            // later cues (in cue order) are not shown
constexpr size_t kMaxCaptionCodepoints = 2000;    // per cue
constexpr size_t kMaxCaptionLinesPerCue = 16;
constexpr int kMaxRegionLines = 32;               // a region shows at most this many lines

// In a vertical box (CaptionBox::vertical) a line is a column: `x` is the pen origin down the
// picture (y), `baseline` the column's centre x, and `line` and `backing` the column's rectangles.
struct CaptionLineBox {
  double x = 0;           // pen origin of the line's first glyph, pixels
  int baseline = 0;       // pixels (whole: glyphs are positioned to sub-pixels horizontally only)
  float width = 0;        // advance width
  RectI line;             // the line box: the text's advance width × the line height
  RectI backing;          // the backing box drawn behind it (the line box, padded at the sides)
  std::vector<CaptionGlyph> glyphs;  // x from `x`
  std::string text;       // UTF-8
};

struct CaptionBox {
  int cue = -1;       // index into the active cues handed to layout_captions
  int region = -1;    // index into the regions, -1 for none
  RectI rect;         // the cue box: its width is the cue's size; its height its lines
  std::vector<CaptionLineBox> lines;
  WritingDirection vertical = WritingDirection::Horizontal;  // rl, lr: columns (lines) stack leftward, rightward
};

struct CaptionLayout {
  int width = 0, height = 0;
  RectI safe;                      // the caption safe area
  float em = 0;                    // font size, pixels
  double line_height = 0;          // pixels
  std::vector<RectI> windows;      // the cue boxes and region boxes drawn in the window colour
  std::vector<CaptionBox> boxes;   // in cue order
  bool truncated = false;          // something was not shown because of the limits above
};

// Lays out the cues showing at one moment (in any order; they are processed in text track cue
// order: start time, then later end time first, then as given) for a width × height picture.
// `regions` are the file's regions (Cue::region indexes them). `families` are the caption font
// families; settings.font_family picks one (clamped).
CaptionLayout layout_captions(const std::vector<const Cue*>& active_cues, const std::vector<Region>& regions, int width,
                              int height, const CaptionSettings& settings, const std::vector<FontSet>& families);
CaptionLayout layout_captions(const std::vector<Cue>& active_cues, const std::vector<Region>& regions, int width,
                              int height, const CaptionSettings& settings, const FontSet& fonts);

// Draws a layout over `surface` (the picture): windows, backing boxes (bg_ classes too, at
// least 75% opaque), the edge effect, the text, underlines. The glyphs point at the fonts the
// layout was made with, which must outlive it.
void draw_captions(Surface& surface, const CaptionLayout& layout, const CaptionSettings& settings);

// The text on screen, top to bottom, one line per laid-out line, for a screen reader's live
// region. Empty when nothing shows.
std::string caption_plain_text(const CaptionLayout& layout);

// The outline's radius, the drop shadow's offset: about 1/24 of the em, at least 1 pixel.
int caption_edge_pixels(float em);

// The caption reference frame (640 × 360): a picture-like ramp with styled cues, a top cue, a
// region and outlined text, drawn with `fonts`; its SHA-256 is "captionsReference" in
// src/engine/golden.json (with public/fonts/DejaVuSans.ttf as the only font).
Surface render_captions_reference(const FontSet& fonts);
std::string captions_reference_sha256(const FontSet& fonts);

}  // namespace tessera::captions
