// Caption layout and drawing (see render.h). The layout follows the WebVTT rendering rules step
// by step for horizontal cues, with the caption safe area as the video viewport of the spec and
// its title area; the line height is a whole number of pixels so that snap-to-lines steps and
// the overlap tests are exact integer arithmetic.
#include "captions/render.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <utility>

#include "captions/ink.h"
#include "captions/webvtt.h"
#include "compose/compose.h"
#include "raster/sha256.h"
#include "video/simd.h"
#include "text/utf8.h"

namespace tessera::captions {

namespace {

double clamp_percent(double v) { return std::isfinite(v) ? std::min(100.0, std::max(0.0, v)) : 0.0; }
int round_to_int(double v) {
  if (!(v > -1.0e9)) return -1000000000;
  if (!(v < 1.0e9)) return 1000000000;
  return static_cast<int>(std::floor(v + 0.5));
}

// "WebVTT cue computed position alignment" and "computed position" (left-to-right text).
PositionAlign computed_position_align(const Cue& cue) {
  if (cue.position_align != PositionAlign::Auto) return cue.position_align;
  if (cue.align == CueAlign::Left) return PositionAlign::LineLeft;
  if (cue.align == CueAlign::Right) return PositionAlign::LineRight;
  return PositionAlign::Center;
}
double computed_position(const Cue& cue) {
  if (cue.position) return clamp_percent(*cue.position);
  if (cue.align == CueAlign::Left) return 0;
  if (cue.align == CueAlign::Right) return 100;
  return 50;
}

// The cue box across the line: its left edge and width, in percent of the viewport's width.
struct Across {
  double x = 0, size = 100;
  CaptionTextAlign align = CaptionTextAlign::Centre;
};
Across across(const Cue& cue) {
  Across a;
  const PositionAlign pa = computed_position_align(cue);
  const double position = computed_position(cue);
  double maximum = 100;
  if (pa == PositionAlign::LineLeft) maximum = 100 - position;
  else if (pa == PositionAlign::LineRight) maximum = position;
  else maximum = position <= 50 ? position * 2 : (100 - position) * 2;
  a.size = std::min(clamp_percent(cue.size), maximum);
  if (pa == PositionAlign::LineLeft) a.x = position;
  else if (pa == PositionAlign::LineRight) a.x = position - a.size;
  else a.x = position - a.size / 2;
  switch (cue.align) {
    case CueAlign::Start: a.align = CaptionTextAlign::Start; break;  // by each paragraph's direction
    case CueAlign::Left: a.align = CaptionTextAlign::Left; break;
    case CueAlign::End: a.align = CaptionTextAlign::End; break;
    case CueAlign::Right: a.align = CaptionTextAlign::Right; break;
    case CueAlign::Center: a.align = CaptionTextAlign::Centre; break;
  }
  return a;
}

bool overlaps(const RectI& a, const RectI& b) {
  return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

struct Frame {
  RectI safe;
  float em = 0;
  int line_height = 1;
  int baseline_offset = 0;  // from a line box's top to its baseline
  int pad = 0;              // the backing box's extra width on each side
};

// The laid-out text of a cue as line boxes: the first line's top at `top`, the box's left at `left`.
std::vector<CaptionLineBox> line_boxes(const CaptionText& text, double left, int top, const Frame& f) {
  std::vector<CaptionLineBox> out;
  out.reserve(text.lines.size());
  for (size_t i = 0; i < text.lines.size(); ++i) {
    const CaptionTextLine& tl = text.lines[i];
    CaptionLineBox box;
    box.x = left + static_cast<double>(tl.x);
    box.width = tl.width;
    const int y = top + static_cast<int>(i) * f.line_height;
    box.baseline = y + f.baseline_offset;
    const int x0 = round_to_int(std::floor(box.x)), x1 = round_to_int(std::ceil(box.x + static_cast<double>(tl.width)));
    box.line = {x0, y, x1 - x0, f.line_height};
    box.backing = tl.glyphs.empty() ? RectI{x0, y, 0, 0} : RectI{x0 - f.pad, y, x1 - x0 + 2 * f.pad, f.line_height};
    box.glyphs = tl.glyphs;
    box.text = tl.text;  // logical order, the base text of ruby
    out.push_back(std::move(box));
  }
  return out;
}

void move_lines(std::vector<CaptionLineBox>& lines, int dy) {
  for (CaptionLineBox& l : lines) {
    l.baseline += dy;
    l.line.y += dy;
    l.backing.y += dy;
  }
}

bool collides(const std::vector<CaptionLineBox>& lines, const std::vector<RectI>& output) {
  for (const CaptionLineBox& l : lines)
    for (const RectI& o : output)
      if (overlaps(l.line, o)) return true;
  return false;
}
// Vertically inside the title area (the cue box's width never exceeds the area's).
bool inside(const std::vector<CaptionLineBox>& lines, const RectI& area) {
  for (const CaptionLineBox& l : lines)
    if (l.line.y < area.y || l.line.bottom() > area.bottom()) return false;
  return true;
}
// Pixels of the lines' bounding box outside the area: the spec's "current position score".
int64_t outside_area(const std::vector<CaptionLineBox>& lines, const RectI& area) {
  if (lines.empty()) return 0;
  RectI bounds = lines.front().line;
  int top = bounds.y, bottom = bounds.bottom(), left = bounds.x, right = bounds.right();
  for (const CaptionLineBox& l : lines) {
    top = std::min(top, l.line.y);
    bottom = std::max(bottom, l.line.bottom());
    left = std::min(left, l.line.x);
    right = std::max(right, l.line.right());
  }
  bounds = {left, top, std::max(1, right - left), bottom - top};
  const RectI in = intersect(bounds, area);
  return int64_t{bounds.width} * bounds.height - int64_t{in.width} * in.height;
}

// Text track cue order: start time, then the later end time first, then as given.
std::vector<size_t> cue_order(const std::vector<const Cue*>& cues) {
  std::vector<size_t> order(cues.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (cues[a]->start_time != cues[b]->start_time) return cues[a]->start_time < cues[b]->start_time;
    return cues[a]->end_time > cues[b]->end_time;
  });
  return order;
}

// One cue outside any region, positioned by "apply WebVTT cue settings" and placed among `output`.
// A vertical cue is placed by the same steps in a transposed frame (see layout_captions), its
// text laid out as columns.
CaptionBox place_cue(const Cue& cue, int index, const CaptionSettings& settings, const FontSet& fonts, const Frame& f,
                     std::vector<RectI>& output, bool& truncated, bool vertical = false) {
  const RectI& s = f.safe;
  const Across a = across(cue);
  const double box_left = s.x + a.x * s.width / 100.0, box_width = a.size * s.width / 100.0;
  const std::vector<StyledCodepoint> styled = styled_text(cue.tree, kMaxCaptionCodepoints);
  const CaptionText text =
      vertical ? layout_caption_text_vertical(styled, std::vector<FontSet>{fonts}, 0, f.em, static_cast<float>(box_width),
                                              a.align, kMaxCaptionLinesPerCue)
               : layout_caption_text(styled, fonts, f.em, static_cast<float>(box_width), a.align, kMaxCaptionLinesPerCue);
  truncated = truncated || text.truncated;
  const int lh = f.line_height, height = static_cast<int>(text.lines.size()) * lh;
  const bool top_override = settings.position == CaptionPositionOverride::Top;

  int top = s.y;
  std::vector<CaptionLineBox> lines;
  if (cue.snap_to_lines) {
    // Computed line: auto is -1 (the last line; one track showing). The viewer's "top" override
    // mirrors it: line n from the bottom becomes line n - 1 from the top.
    double line = cue.line ? *cue.line : -1.0;
    line = std::isfinite(line) ? std::floor(line + 0.5) : -1.0;
    line = std::max(-1000.0, std::min(1000.0, line));
    if (top_override && line < 0) line = -line - 1;
    int step = lh;
    int64_t position = static_cast<int64_t>(step) * static_cast<int64_t>(line);
    if (line < 0) {
      position += s.height;
      step = -step;
    }
    position = std::max<int64_t>(-(int64_t{1} << 24), std::min<int64_t>(int64_t{1} << 24, position));
    lines = line_boxes(text, box_left, s.y + static_cast<int>(position), f);
    const int specified = s.y + static_cast<int>(position);
    int current = specified, best = specified;
    int64_t best_score = -1;
    bool switched = false;
    // Bounded however far from the title area the cue starts: each direction at most walks across
    // the area once plus its distance from it.
    const int64_t walk = (static_cast<int64_t>(std::abs(specified - s.y)) + s.height + height) / lh + 2;
    const int64_t limit = std::min<int64_t>(2 * walk + 4, 1 << 16);
    for (int64_t iteration = 0; iteration < limit && !lines.empty(); ++iteration) {
      if (!collides(lines, output) && inside(lines, s)) break;
      const int64_t score = outside_area(lines, s);
      if (best_score < 0 || score < best_score) {
        best_score = score;
        best = current;
      }
      move_lines(lines, step);
      current += step;
      const CaptionLineBox& first = lines.front();
      if ((step < 0 && first.line.y < s.y) || (step > 0 && first.line.bottom() > s.bottom())) {
        if (switched) {
          move_lines(lines, best - current);
          current = best;
          break;
        }
        move_lines(lines, specified - current);
        current = specified;
        step = -step;
        switched = true;
      }
    }
  } else {
    double line = cue.line ? *cue.line : 100.0;
    if (!std::isfinite(line) || line < 0 || line > 100) line = 100;
    LineAlign la = cue.line_align;
    if (top_override) {
      line = 100 - line;
      la = la == LineAlign::Start ? LineAlign::End : la == LineAlign::End ? LineAlign::Start : la;
    }
    double y = s.y + line * s.height / 100.0;
    if (la == LineAlign::Center) y -= height / 2.0;
    if (la == LineAlign::End) y -= height;
    top = round_to_int(y);
    lines = line_boxes(text, box_left, top, f);
    if (!lines.empty() && (collides(lines, output) || !inside(lines, s))) {
      // Move to the closest position inside the area that overlaps nothing (the highest of equals).
      std::vector<int> candidates = {std::max(s.y, std::min(top, s.bottom() - height))};
      for (const RectI& o : output) {
        candidates.push_back(o.y - height);
        candidates.push_back(o.bottom());
      }
      int chosen = top;
      int64_t distance = -1;
      for (const int c : candidates) {
        std::vector<CaptionLineBox> trial = lines;
        move_lines(trial, c - top);
        if (collides(trial, output) || !inside(trial, s)) continue;
        const int64_t d = std::abs(int64_t{c} - top);
        if (distance < 0 || d < distance || (d == distance && c < chosen)) {
          distance = d;
          chosen = c;
        }
      }
      move_lines(lines, chosen - top);
    }
  }

  CaptionBox box;
  box.cue = index;
  const int x0 = round_to_int(std::floor(box_left)), x1 = round_to_int(std::ceil(box_left + box_width));
  box.rect = {x0, lines.empty() ? top : lines.front().line.y, x1 - x0, height};
  for (const CaptionLineBox& l : lines) output.push_back(l.line);
  box.lines = std::move(lines);
  return box;
}

// Vertical cues are laid out in a transposed frame: the picture's y is the frame's x (the text
// runs down), and the frame's y runs across the columns, from the left for "lr" and from the
// right for "rl" (x' = width - X - w). The WebVTT steps for horizontal cues then give exactly the
// vertical rules: position and size along the column, lines (columns) stepping across, the last
// line (auto) at the end of the block flow, overlap avoidance between columns.
RectI transposed(const RectI& r, bool rl, int width) {
  return {r.y, rl ? width - r.x - r.width : r.x, r.height, r.width};
}
RectI untransposed(const RectI& r, bool rl, int width) {
  return {rl ? width - r.y - r.height : r.y, r.x, r.height, r.width};
}
void to_picture(CaptionBox& box, bool rl, int width) {
  box.rect = untransposed(box.rect, rl, width);
  for (CaptionLineBox& l : box.lines) {
    l.line = untransposed(l.line, rl, width);
    l.backing = untransposed(l.backing, rl, width);
    l.baseline = l.line.x + l.line.width / 2;  // the column's centre
  }
  box.vertical = rl ? WritingDirection::VerticalGrowingLeft : WritingDirection::VerticalGrowingRight;
}

}  // namespace

int caption_edge_pixels(float em) { return std::max(1, static_cast<int>(em / 24.0f)); }

CaptionLayout layout_captions(const std::vector<const Cue*>& active_cues, const std::vector<Region>& regions, int width,
                              int height, const CaptionSettings& settings, const std::vector<FontSet>& families) {
  CaptionLayout layout;
  if (width <= 0 || height <= 0 || width > (1 << 15) || height > (1 << 15) || families.empty()) return layout;
  const FontSet& fonts = families[static_cast<size_t>(
      std::max(0, std::min(settings.font_family, static_cast<int>(families.size()) - 1)))];
  if (!fonts.regular) return layout;
  layout.width = width;
  layout.height = height;
  const int ix = std::max(0, std::min(400, settings.safe_inset_x_permille));
  const int iy = std::max(0, std::min(400, settings.safe_inset_y_permille));
  const int inset_x = width * ix / 1000, inset_y = height * iy / 1000;
  layout.safe = {inset_x, inset_y, width - 2 * inset_x, height - 2 * inset_y};

  Frame f;
  f.safe = layout.safe;
  const int percent = std::max(50, std::min(200, settings.size_percent));
  const int divisor = std::max(1, settings.font_divisor);
  f.em = static_cast<float>(height) * static_cast<float>(percent) / (100.0f * static_cast<float>(divisor));
  const float lh_factor = settings.line_height > 0.5f && settings.line_height < 4.0f ? settings.line_height : 1.2f;
  f.line_height = std::max(1, static_cast<int>(std::floor(f.em * lh_factor + 0.5f)));
  const TextMetrics vm = fonts.regular->vertical_metrics(fonts.regular->scale_for_em(f.em));
  // CSS half-leading: the glyphs' ascent + descent centred in the line box.
  f.baseline_offset =
      static_cast<int>(std::floor((static_cast<float>(f.line_height) - vm.ascent - vm.descent) * 0.5f + vm.ascent + 0.5f));
  f.pad = std::max(1, static_cast<int>(f.em * 0.25f));
  layout.em = f.em;
  layout.line_height = f.line_height;

  std::vector<const Cue*> cues;
  for (const Cue* c : active_cues)
    if (c) cues.push_back(c);
  std::vector<size_t> order = cue_order(cues);
  if (order.size() > kMaxCaptionCues) {
    order.resize(kMaxCaptionCues);
    layout.truncated = true;
  }

  std::vector<RectI> output;  // line boxes already placed (vertical cues' columns too)
  std::vector<RectI> frame_output;
  std::vector<std::vector<size_t>> in_region(regions.size());
  for (const size_t i : order) {
    const Cue& cue = *cues[i];
    if (cue.vertical != WritingDirection::Horizontal) {
      const bool rl = cue.vertical == WritingDirection::VerticalGrowingLeft;
      Frame fv = f;
      fv.safe = transposed(f.safe, rl, width);
      CaptionSettings vs = settings;
      vs.position = CaptionPositionOverride::Default;  // "top" concerns horizontal captions
      frame_output.clear();  // what is placed, seen from the transposed frame
      for (const RectI& r : output) frame_output.push_back(transposed(r, rl, width));
      CaptionBox box = place_cue(cue, static_cast<int>(i), vs, fonts, fv, frame_output, layout.truncated, true);
      if (box.lines.empty()) continue;
      to_picture(box, rl, width);
      for (const CaptionLineBox& l : box.lines) output.push_back(l.line);
      layout.windows.push_back(box.rect);
      layout.boxes.push_back(std::move(box));
      continue;
    }
    if (cue.region >= 0 && static_cast<size_t>(cue.region) < regions.size()) {
      in_region[static_cast<size_t>(cue.region)].push_back(i);
      continue;
    }
    CaptionBox box = place_cue(cue, static_cast<int>(i), settings, fonts, f, output, layout.truncated);
    if (box.lines.empty()) continue;
    layout.windows.push_back(box.rect);
    layout.boxes.push_back(std::move(box));
  }

  // Regions: each cue's lines stacked in cue order, the region showing the last `lines` of them
  // with the newest at the bottom (what scroll:up reaches once the scrolling is over).
  const RectI& s = f.safe;
  const bool top_override = settings.position == CaptionPositionOverride::Top;
  for (size_t r = 0; r < regions.size(); ++r) {
    if (in_region[r].empty()) continue;
    const Region& region = regions[r];
    const double lines_wanted = std::isfinite(region.lines) ? std::max(0.0, std::min<double>(kMaxRegionLines, region.lines)) : 0;
    const int visible = static_cast<int>(lines_wanted);
    if (visible == 0) continue;
    const double rw = clamp_percent(region.width) * s.width / 100.0;
    const int rh = visible * f.line_height;
    double vay = clamp_percent(region.viewport_anchor_y), ray = clamp_percent(region.region_anchor_y);
    if (top_override) {
      vay = 100 - vay;
      ray = 100 - ray;
    }
    const double rleft = s.x + clamp_percent(region.viewport_anchor_x) * s.width / 100.0 -
                         clamp_percent(region.region_anchor_x) * rw / 100.0;
    const int rtop = round_to_int(s.y + vay * s.height / 100.0 - ray * rh / 100.0);
    const int rx0 = round_to_int(std::floor(rleft)), rx1 = round_to_int(std::ceil(rleft + rw));
    const RectI region_box{rx0, rtop, rx1 - rx0, rh};

    struct Laid {
      size_t cue;
      double left, width;
      CaptionText text;
    };
    std::vector<Laid> laid;
    size_t total_lines = 0;
    for (const size_t i : in_region[r]) {
      const Across a = across(*cues[i]);
      Laid l{i, rleft + a.x * rw / 100.0, a.size * rw / 100.0, {}};
      l.text = layout_caption_text(styled_text(cues[i]->tree, kMaxCaptionCodepoints), fonts, f.em,
                                   static_cast<float>(l.width), a.align, kMaxCaptionLinesPerCue);
      layout.truncated = layout.truncated || l.text.truncated;
      total_lines += l.text.lines.size();
      laid.push_back(std::move(l));
    }
    // The first shown line's top: the stack's bottom sits on the region's bottom.
    size_t skip = total_lines > static_cast<size_t>(visible) ? total_lines - static_cast<size_t>(visible) : 0;
    int y = region_box.bottom() - static_cast<int>(std::min<size_t>(total_lines, static_cast<size_t>(visible))) * f.line_height;
    bool any = false;
    for (Laid& l : laid) {
      if (skip >= l.text.lines.size()) {
        skip -= l.text.lines.size();
        continue;
      }
      l.text.lines.erase(l.text.lines.begin(), l.text.lines.begin() + static_cast<std::ptrdiff_t>(skip));
      skip = 0;
      CaptionBox box;
      box.cue = static_cast<int>(l.cue);
      box.region = static_cast<int>(r);
      box.lines = line_boxes(l.text, l.left, y, f);
      const int x0 = round_to_int(std::floor(l.left)), x1 = round_to_int(std::ceil(l.left + l.width));
      box.rect = {x0, y, x1 - x0, static_cast<int>(l.text.lines.size()) * f.line_height};
      y += box.rect.height;
      any = any || !box.lines.empty();
      layout.boxes.push_back(std::move(box));
    }
    if (any) layout.windows.push_back(region_box);
  }
  return layout;
}

CaptionLayout layout_captions(const std::vector<Cue>& active_cues, const std::vector<Region>& regions, int width,
                              int height, const CaptionSettings& settings, const FontSet& fonts) {
  std::vector<const Cue*> cues;
  cues.reserve(active_cues.size());
  for (const Cue& c : active_cues) cues.push_back(&c);
  CaptionSettings one = settings;
  one.font_family = 0;
  return layout_captions(cues, regions, width, height, one, std::vector<FontSet>{fonts});
}

std::string caption_plain_text(const CaptionLayout& layout) {
  // Horizontal lines top to bottom (then left to right); then vertical cues' columns in their
  // reading order.
  std::vector<const CaptionLineBox*> lines, columns;
  for (const CaptionBox& box : layout.boxes)
    for (const CaptionLineBox& l : box.lines) (box.vertical == WritingDirection::Horizontal ? lines : columns).push_back(&l);
  std::stable_sort(lines.begin(), lines.end(), [](const CaptionLineBox* a, const CaptionLineBox* b) {
    return a->line.y != b->line.y ? a->line.y < b->line.y : a->line.x < b->line.x;
  });
  lines.insert(lines.end(), columns.begin(), columns.end());
  std::string out;
  for (const CaptionLineBox* l : lines) {
    if (!out.empty()) out.push_back('\n');
    out += l->text;
  }
  return out;
}

// ---- drawing ----------------------------------------------------------------------------------

namespace {


// Each run of consecutive glyphs for which `in_run` holds, as [x0, x1) pixel columns.
template <typename Pred, typename Fn>
void for_each_run(const CaptionLineBox& line, Pred in_run, Fn fn) {
  size_t i = 0;
  const size_t n = line.glyphs.size();
  while (i < n) {
    if (!in_run(line.glyphs[i])) { ++i; continue; }
    size_t j = i + 1;
    while (j < n && in_run(line.glyphs[j]) && same(fn.key(line.glyphs[j]), fn.key(line.glyphs[i]))) ++j;
    const double a = line.x + static_cast<double>(line.glyphs[i].x);
    const double b = line.x + static_cast<double>(line.glyphs[j - 1].x + line.glyphs[j - 1].advance);
    fn(line.glyphs[i], static_cast<int>(std::floor(a)), static_cast<int>(std::ceil(b)));
    i = j;
  }
}

// The columns of a vertical cue: each column's ink (upright or turned glyphs), its edge effect,
// then its text by colour. No underline (CSS would draw it beside the column).
template <typename TextColour>
void draw_columns(Surface& surface, const CaptionBox& box, const CaptionSettings& settings, float em,
                  const TextColour& text_colour, Rgba edge_colour, Mask& all, Mask& group, Mask& effect,
                  std::vector<uint8_t>& tmp, std::vector<Rgba>& colours) {
  const RectI clip{0, 0, surface.width(), surface.height()};
  const int edge = caption_edge_pixels(em);
  for (const CaptionLineBox& line : box.lines) {
    if (line.glyphs.empty()) continue;
    const int margin = (settings.edge == CaptionEdge::None ? 0 : edge) + 2 + static_cast<int>(em / 4.0f);
    const RectI area = intersect({line.line.x - margin, line.line.y - margin, line.line.width + 2 * margin,
                                  line.line.height + 2 * margin},
                                 clip);
    if (area.empty()) continue;
    const double centre = line.line.x + line.line.width / 2.0;
    all.reset(area);
    colours.clear();
    for (const CaptionGlyph& g : line.glyphs) {
      const Rgba c = text_colour(g);
      if (std::none_of(colours.begin(), colours.end(), [&](Rgba o) { return same(o, c); })) colours.push_back(c);
      put_glyph_vertical(all, g, line.x + static_cast<double>(g.x), centre);
    }
    draw_edge(surface, all, settings.edge, edge, edge_colour, effect, tmp);
    if (colours.size() == 1) {
      blend_mask(surface, all, colours.front());
      continue;
    }
    for (const Rgba c : colours) {
      group.reset(area);
      for (const CaptionGlyph& g : line.glyphs)
        if (same(text_colour(g), c)) put_glyph_vertical(group, g, line.x + static_cast<double>(g.x), centre);
      blend_mask(surface, group, c);
    }
  }
}

}  // namespace

void draw_captions(Surface& surface, const CaptionLayout& layout, const CaptionSettings& settings) {
  if (layout.boxes.empty() || surface.width() <= 0 || surface.height() <= 0) return;
  const RectI clip{0, 0, surface.width(), surface.height()};
  for (const RectI& w : layout.windows) fill(surface, w, settings.window_colour, settings.window_opacity);

  const float em = layout.em;
  const int edge = caption_edge_pixels(em);
  const int bold = synthetic_bold_pixels(em);
  const Rgba default_text = with_opacity(settings.text_colour, settings.text_opacity);
  const Rgba edge_colour = with_opacity(settings.edge_colour, settings.edge_opacity);
  auto text_colour = [&](const CaptionGlyph& g) {
    return settings.override_author_colours || !g.style.has_colour ? default_text
                                                                   : with_opacity(g.style.colour, settings.text_opacity);
  };

  // Every backing box first, then every line's text: a descender reaching into the next line's
  // backing stays visible, as when CSS paints a cue's backgrounds before its text.
  for (const CaptionBox& box : layout.boxes) {
    for (const CaptionLineBox& line : box.lines) {
      if (line.glyphs.empty()) continue;
      fill(surface, line.backing, settings.background_colour, settings.background_opacity);
      struct BackgroundRun {
        Rgba key(const CaptionGlyph& g) const { return g.style.background; }
        Surface& s;
        const CaptionLineBox& l;
        uint8_t opacity;
        bool vertical;
        void operator()(const CaptionGlyph& g, int x0, int x1) const {
          // for_each_run measures along the line: across a column, down the picture.
          if (vertical) {
            fill(s, {l.line.x, x0, l.line.width, x1 - x0}, g.style.background, opacity);
          } else {
            fill(s, {x0, l.line.y, x1 - x0, l.line.height}, g.style.background, opacity);
          }
        }
      };
      // The author's bg_ classes carry meaning: at least 75% opaque even when the viewer turned
      // the backing off; not drawn at all when the viewer's colours override the author's.
      if (!settings.override_author_colours)
        for_each_run(line, [](const CaptionGlyph& g) { return g.style.has_background && !(g.flags & kStyleRubyText); },
                     BackgroundRun{surface, line, std::max<uint8_t>(settings.background_opacity, 191),
                                   box.vertical != WritingDirection::Horizontal});
    }
  }

  Mask all, group, effect;
  std::vector<uint8_t> tmp;
  std::vector<uint32_t> acc;
  std::vector<Rgba> colours;
  for (const CaptionBox& box : layout.boxes) {
    if (box.vertical != WritingDirection::Horizontal) {
      draw_columns(surface, box, settings, em, text_colour, edge_colour, all, group, effect, tmp, colours);
      continue;
    }
    for (const CaptionLineBox& line : box.lines) {
      if (line.glyphs.empty()) continue;

      // The line's ink: the line box, with room for glyphs that reach past it (accents, italic
      // overhang), synthetic emboldening and oblique, and the edge effect.
      bool oblique = false, embolden = false, ruby = false;
      for (const CaptionGlyph& g : line.glyphs) {
        oblique = oblique || g.synthetic_italic;
        embolden = embolden || g.synthetic_bold;
        ruby = ruby || (g.flags & kStyleRubyText);
      }
      const int edge_room = settings.edge == CaptionEdge::None ? 0 : edge;
      const int margin_x = edge_room + 2 + static_cast<int>(em / 4.0f) + (embolden ? bold : 0) +
                           (oblique ? static_cast<int>(em * 0.25f) : 0);
      const int margin_y = edge_room + 2 + static_cast<int>(em / 4.0f);
      const int ruby_room = ruby ? static_cast<int>(em) : 0;  // annotations reach above the line box
      const RectI want{static_cast<int>(std::floor(line.x)) - margin_x, line.line.y - margin_y - ruby_room,
                       static_cast<int>(std::ceil(static_cast<double>(line.width))) + 2 * margin_x,
                       line.line.height + 2 * margin_y + ruby_room};
      const RectI area = intersect(want, clip);
      if (area.empty()) continue;
      all.reset(area);
      colours.clear();
      for (const CaptionGlyph& g : line.glyphs) {
        const Rgba c = text_colour(g);
        if (std::none_of(colours.begin(), colours.end(), [&](Rgba o) { return same(o, c); })) colours.push_back(c);
        put_glyph(all, g, line.x + static_cast<double>(g.x), line.baseline, em, bold, acc);
      }

      draw_edge(surface, all, settings.edge, edge, edge_colour, effect, tmp);

      if (colours.size() == 1) {
        blend_mask(surface, all, colours.front());
      } else {
        for (const Rgba c : colours) {
          group.reset(area);
          for (const CaptionGlyph& g : line.glyphs)
            if (same(text_colour(g), c)) put_glyph(group, g, line.x + static_cast<double>(g.x), line.baseline, em, bold, acc);
          blend_mask(surface, group, c);
        }
      }

      struct UnderlineRun {
        Rgba key(const CaptionGlyph& g) const { return colour(g); }
        Surface& s;
        int y, thickness;
        const decltype(text_colour)& colour;
        void operator()(const CaptionGlyph& g, int x0, int x1) const { fill(s, {x0, y, x1 - x0, thickness}, colour(g)); }
      };
      const int thickness = std::max(1, static_cast<int>(em / 16.0f));
      for_each_run(line, [](const CaptionGlyph& g) { return (g.flags & kStyleUnderline) && !(g.flags & kStyleRubyText); },
                   UnderlineRun{surface, line.baseline + std::max(1, static_cast<int>(em / 10.0f)), thickness, text_colour});
    }
  }
}

// ---- the reference frame ------------------------------------------------------------------------

namespace {
constexpr const char* kReferenceVtt =
    "WEBVTT\n\n"
    "REGION\nid:chat\nwidth:40%\nlines:2\nregionanchor:0%,0%\nviewportanchor:0%,20%\nscroll:up\n\n"
    "00:00.000 --> 00:09.000\n"
    "<v Si\xC3\xA2n>Bore da! <b>Bold</b>, <i>italic</i>, <b><i>both</i></b> and <u>underlined</u> \xC5\xB5 \xC5\xB7</v>\n"
    "<c.yellow>Yellow</c> and <c.cyan.bg_blue>cyan on blue</c>\n\n"
    "00:00.000 --> 00:09.000 line:0 align:start size:60% position:0%,line-left\n"
    "Top left, outlined\n\n"
    "00:00.000 --> 00:09.000 region:chat\nFirst in the region (scrolled away)\n\n"
    "00:01.000 --> 00:09.000 region:chat\n<c.lime>Second</c>\n\n"
    "00:02.000 --> 00:09.000 region:chat\nThird\n\n"
    "00:00.000 --> 00:09.000 line:60%,center position:90%,line-right size:30% align:end\n"
    "Percent line\n";
}  // namespace

Surface render_captions_reference(const FontSet& fonts) {
  Surface surface(640, 360);
  surface.fill_horizontal_ramp(0, 0, 640, 360, 30, 220);
  surface.fill_rect(400, 40, 200, 120, {200, 60, 40, 255});
  const ParsedCaptions parsed = parse_webvtt(kReferenceVtt);
  CaptionSettings settings;
  settings.edge = CaptionEdge::Outline;
  settings.background_opacity = 0;  // the outline alone, over a translucent window
  settings.window_opacity = 96;
  const CaptionLayout layout = layout_captions(parsed.cues, parsed.regions, 640, 360, settings, fonts);
  draw_captions(surface, layout, settings);
  return surface;
}

std::string captions_reference_sha256(const FontSet& fonts) {
  const Surface s = render_captions_reference(fonts);
  return sha256_hex(s.data(), s.byte_size());
}

}  // namespace tessera::captions
