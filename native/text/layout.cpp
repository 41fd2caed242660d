// Text layout (see layout.h): shaping in one font, then greedy line breaking over code points
// (text/line_break.h: a small, fixed subset of UAX #14, enough for Latin, Welsh and CJK titles
// and captions), alignment and the ellipsis.
#include "text/layout.h"

#include <algorithm>
#include <cmath>

#include "compose/compose.h"
#include "text/line_break.h"
#include "text/utf8.h"

namespace tessera {

namespace {

bool is_space(char32_t c) { return is_breaking_space(c); }

struct Shaped {
  std::vector<char32_t> text;
  std::vector<int> glyph;
  std::vector<float> advance, kern;  // kern[i]: adjustment between i-1 and i
};

TextLine build_line(const Shaped& s, size_t begin, size_t end) {
  while (end > begin && is_space(s.text[end - 1])) --end;  // trailing spaces hang outside the box
  TextLine line;
  float pen = 0.0f;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) pen += s.kern[i];
    line.glyphs.push_back({s.text[i], s.glyph[i], pen, s.advance[i]});
    pen += s.advance[i];
  }
  line.width = pen;
  return line;
}

float line_end(const TextLine& line) {
  return line.glyphs.empty() ? 0.0f : line.glyphs.back().x + line.glyphs.back().advance;
}

}  // namespace

TextLayout layout_text(const Font& font, std::string_view utf8, const TextStyle& style) {
  TextLayout out;
  const float size = std::isfinite(style.size) && style.size > 0.0f ? style.size : 0.0f;
  out.scale = font.scale_for_em(size);
  const TextMetrics vm = font.vertical_metrics(out.scale);
  out.ascent = vm.ascent;
  out.descent = vm.descent;
  out.line_height = style.line_height > 0.0f ? size * style.line_height : vm.ascent + vm.descent + vm.line_gap;

  Shaped s;
  for (char32_t c : decode_utf8(utf8)) {
    if (s.text.size() >= kMaxLayoutCodepoints) break;
    if (c == U'\t') c = U' ';
    if (c < 0x20 && c != U'\n' && c != U'\r') continue;  // other controls draw nothing
    s.text.push_back(c);
  }
  const size_t n = s.text.size();
  if (n == 0) return out;
  s.glyph.resize(n);
  s.advance.resize(n);
  s.kern.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (is_hard_break(s.text[i])) continue;
    s.glyph[i] = font.glyph_index(s.text[i]);
    s.advance[i] = font.glyph_advance(s.glyph[i], out.scale);
    if (i > 0 && !is_hard_break(s.text[i - 1])) s.kern[i] = font.kerning(s.glyph[i - 1], s.glyph[i], out.scale);
  }

  const float box = std::isfinite(style.box_width) && style.box_width > 0.0f ? style.box_width : 0.0f;
  std::vector<std::pair<size_t, size_t>> ranges;
  size_t para = 0;
  for (size_t i = 0; i <= n; ++i) {
    if (i < n && !is_hard_break(s.text[i])) continue;
    if (i == n && para == n && !ranges.empty()) break;  // a final newline adds no empty line
    break_paragraph(s.text, s.advance, s.kern, para, i, box, ranges);
    if (i + 1 < n && s.text[i] == U'\r' && s.text[i + 1] == U'\n') ++i;
    para = i + 1;
  }

  const size_t max_lines = style.max_lines > 0 ? static_cast<size_t>(style.max_lines) : ranges.size();
  out.truncated = ranges.size() > max_lines;
  if (out.truncated) ranges.resize(max_lines);
  for (const auto& [begin, end] : ranges) out.lines.push_back(build_line(s, begin, end));

  if (out.truncated && !out.lines.empty()) {
    // The ellipsis replaces as much of the last line as it needs to fit.
    TextLine& last = out.lines.back();
    std::vector<PositionedGlyph> dots;
    const int ellipsis = font.glyph_index(0x2026);
    if (ellipsis) dots.push_back({0x2026, ellipsis, 0.0f, font.glyph_advance(ellipsis, out.scale)});
    else {
      const int dot = font.glyph_index(U'.');
      for (int k = 0; k < 3; ++k) dots.push_back({U'.', dot, 0.0f, font.glyph_advance(dot, out.scale)});
    }
    float dots_width = 0.0f;
    for (size_t k = 0; k < dots.size(); ++k) {
      if (k > 0) dots_width += font.kerning(dots[k - 1].glyph, dots[k].glyph, out.scale);
      dots[k].x = dots_width;
      dots_width += dots[k].advance;
    }
    auto joined_width = [&]() {
      if (last.glyphs.empty()) return dots_width;
      return line_end(last) + font.kerning(last.glyphs.back().glyph, dots[0].glyph, out.scale) + dots_width;
    };
    while (!last.glyphs.empty() && (is_space(last.glyphs.back().codepoint) || (box > 0.0f && joined_width() > box)))
      last.glyphs.pop_back();
    const float start =
        last.glyphs.empty() ? 0.0f : line_end(last) + font.kerning(last.glyphs.back().glyph, dots[0].glyph, out.scale);
    for (PositionedGlyph g : dots) {
      g.x += start;
      last.glyphs.push_back(g);
    }
    last.width = start + dots_width;
    last.ellipsis = true;
  }

  const float content = out.ascent + out.descent;
  for (size_t i = 0; i < out.lines.size(); ++i) {
    TextLine& line = out.lines[i];
    const float room = box > 0.0f ? box - line.width : -line.width;
    line.x = style.align == TextAlign::Left ? 0.0f : style.align == TextAlign::Centre ? room * 0.5f : room;
    if (box > 0.0f && style.align != TextAlign::Left && room < 0.0f) line.x = 0.0f;  // overlong: start at the left
    // CSS half-leading: the glyphs' ascent + descent sit centred in each line box.
    line.baseline = static_cast<float>(i) * out.line_height + (out.line_height - content) * 0.5f + out.ascent;
    out.width = std::max(out.width, line.width);
  }
  out.height = static_cast<float>(out.lines.size()) * out.line_height;
  return out;
}

void draw_text_layout(Surface& surface, const Font& font, const TextLayout& layout, double x, double y, double scale,
                      Rgba colour, const RectI& clip) {
  const RectI area = intersect(clip, {0, 0, surface.width(), surface.height()});
  if (area.empty() || colour.a == 0 || !(scale > 0.0) || !std::isfinite(x) || !std::isfinite(y)) return;
  const float glyph_scale = static_cast<float>(static_cast<double>(layout.scale) * scale);
  for (const TextLine& line : layout.lines) {
    const double baseline = y + static_cast<double>(line.baseline) * scale;
    const double origin_y = std::floor(baseline);
    if (!(origin_y >= area.y - 1.0e5 && origin_y <= area.bottom() + 1.0e5)) continue;  // NaN too
    for (const PositionedGlyph& g : line.glyphs) {
      if (is_space(g.codepoint)) continue;
      const double pen = x + static_cast<double>(line.x + g.x) * scale;
      const double origin_x = std::floor(pen);
      if (!(origin_x >= area.x - 1.0e5 && origin_x <= area.right() + 1.0e5)) continue;
      const GlyphBitmap& bitmap = font.cached_glyph(g.glyph, glyph_scale, static_cast<float>(pen - origin_x),
                                                    static_cast<float>(baseline - origin_y));
      const int gx = static_cast<int>(origin_x) + bitmap.x0, gy = static_cast<int>(origin_y) + bitmap.y0;
      const RectI box = intersect(area, {gx, gy, bitmap.width, bitmap.height});
      for (int py = box.y; py < box.bottom(); ++py) {
        const uint8_t* row = bitmap.coverage.data() + static_cast<size_t>(py - gy) * static_cast<size_t>(bitmap.width);
        blend_mask_row(surface.data() + (static_cast<size_t>(py) * static_cast<size_t>(surface.width()) +
                                         static_cast<size_t>(box.x)) * 4,
                       colour, row + (box.x - gx), box.width);
      }
    }
  }
}

}  // namespace tessera
