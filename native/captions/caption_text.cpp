// Caption text (see caption_text.h).
#include "captions/caption_text.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "text/bidi.h"
#include "text/line_break.h"
#include "text/utf8.h"

namespace tessera::captions {

namespace {

struct NamedColour {
  const char* name;
  Rgba colour;
};
// In the order of the WebVTT default style sheet: with several classes on one node, the rule
// written later wins, as it would in CSS.
constexpr NamedColour kClassColours[] = {
    {"white", {255, 255, 255, 255}}, {"lime", {0, 255, 0, 255}},   {"cyan", {0, 255, 255, 255}},
    {"red", {255, 0, 0, 255}},       {"yellow", {255, 255, 0, 255}}, {"magenta", {255, 0, 255, 255}},
    {"blue", {0, 0, 255, 255}},      {"black", {0, 0, 0, 255}},
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_hex_colour(const std::string& text, Rgba* out) {
  if (text.size() != 7 || text[0] != '#') return false;
  uint8_t v[3];
  for (int i = 0; i < 3; ++i) {
    const int hi = hex_digit(text[static_cast<size_t>(1 + 2 * i)]), lo = hex_digit(text[static_cast<size_t>(2 + 2 * i)]);
    if (hi < 0 || lo < 0) return false;
    v[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  *out = {v[0], v[1], v[2], 255};
  return true;
}

void apply_classes(const CueNode& node, TextStyleRun& style) {
  // The later rule of the default style sheet wins, whatever the order the classes are written in.
  int best_fg = -1, best_bg = -1;
  for (const std::string& name : node.classes) {
    const bool bg = name.rfind("bg_", 0) == 0;
    const std::string base = bg ? name.substr(3) : name;
    for (int i = 0; i < static_cast<int>(std::size(kClassColours)); ++i)
      if (base == kClassColours[i].name) (bg ? best_bg : best_fg) = std::max(bg ? best_bg : best_fg, i);
  }
  if (best_fg >= 0) { style.has_colour = true; style.colour = kClassColours[best_fg].colour; }
  if (best_bg >= 0) { style.has_background = true; style.background = kClassColours[best_bg].colour; }
}

void collect(const CueNode& node, TextStyleRun style, size_t max, size_t depth, std::vector<StyledCodepoint>& out) {
  if (out.size() >= max || depth > 64) return;
  switch (node.type) {
    case CueNodeType::Text:
      for (const char32_t c : decode_utf8(node.value)) {
        if (out.size() >= max) return;
        out.push_back({c, style});
      }
      return;
    case CueNodeType::Timestamp: return;
    case CueNodeType::Ruby: style.flags |= kStyleRubyBase; break;
    case CueNodeType::RubyText:
      style.flags = static_cast<uint16_t>((style.flags & ~kStyleRubyBase) | kStyleRubyText);
      break;
    case CueNodeType::Bold: style.flags |= kStyleBold; break;
    case CueNodeType::Italic: style.flags |= kStyleItalic; break;
    case CueNodeType::Underline: style.flags |= kStyleUnderline; break;
    default: break;
  }
  apply_classes(node, style);
  Rgba srt;
  if (!node.color.empty() && parse_hex_colour(node.color, &srt)) { style.has_colour = true; style.colour = srt; }
  for (const CueNode& child : node.children) collect(child, style, max, depth + 1, out);
}

// The face for a style, and what must be synthesised on it.
struct Face {
  const Font* font = nullptr;
  bool bold = false, italic = false;  // synthesise
};
Face face_for(const FontSet& fonts, uint16_t flags) {
  const bool b = flags & kStyleBold, i = flags & kStyleItalic;
  if (b && i && fonts.bold_italic) return {fonts.bold_italic, false, false};
  if (b && fonts.bold) return {fonts.bold, false, i};
  if (i && fonts.italic) return {fonts.italic, b, false};
  return {fonts.regular, b, i};
}


// Each annotation run (kStyleRubyText) centred over the base run just before it (kStyleRubyBase
// glyphs back to the previous annotation), over the base's ascent or under its descent, in whole
// pixels; the line's ascent (descent) grows to hold it. Annotations keep their own advances.
void place_ruby(CaptionTextLine& line) {
  auto& g = line.glyphs;
  size_t i = 0;
  while (i < g.size()) {
    if (!(g[i].flags & kStyleRubyText)) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < g.size() && (g[end].flags & kStyleRubyText)) ++end;
    size_t base = i;
    while (base > 0 && (g[base - 1].flags & kStyleRubyBase) && !(g[base - 1].flags & kStyleRubyText)) --base;
    float base_x = 0, base_w = 0, base_ascent = 0, base_descent = 0;
    if (base < i) {
      base_x = g[base].x;
      base_w = g[i - 1].x + g[i - 1].advance - base_x;
    } else if (i > 0) {
      base_x = g[i - 1].x + g[i - 1].advance;
    }
    for (size_t k = base; k < i; ++k) {
      if (!g[k].font) continue;
      const TextMetrics m = g[k].font->vertical_metrics(g[k].font->scale_for_em(g[k].em));
      base_ascent = std::max(base_ascent, m.ascent);
      base_descent = std::max(base_descent, m.descent);
    }
    float width = 0, ascent = 0, descent = 0;
    for (size_t k = i; k < end; ++k) {
      width += g[k].advance;
      if (!g[k].font) continue;
      const TextMetrics m = g[k].font->vertical_metrics(g[k].font->scale_for_em(g[k].em));
      ascent = std::max(ascent, m.ascent);
      descent = std::max(descent, m.descent);
    }
    const bool after = (g[i].flags & kStyleRubyAfter) != 0;
    const float rise = after ? -std::ceil(base_descent + ascent) : std::ceil(base_ascent + descent);
    float pen = base_x + (base_w - width) * 0.5f;
    for (size_t k = i; k < end; ++k) {
      g[k].x = pen;
      g[k].rise = rise;
      pen += g[k].advance;
    }
    if (after) line.descent = std::max(line.descent, -rise + descent);
    else line.ascent = std::max(line.ascent, rise + ascent);
    i = end;
  }
}

// layout_caption_text over `count` families (see caption_text.h).
CaptionText layout_text(const std::vector<StyledCodepoint>& input, const FontSet* families, size_t count,
                        size_t family, float em, float box_width, CaptionTextAlign align, size_t max_lines,
                        bool vertical = false, TextDirection direction = TextDirection::Auto) {
  CaptionText out;
  if (count == 0 || family >= count || !families[family].regular || !(em > 0.0f) || !std::isfinite(em)) return out;
  const FontSet& base = families[family];
  out.em = em;
  const TextMetrics vm = base.regular->vertical_metrics(base.regular->scale_for_em(em));
  out.ascent = vm.ascent;
  out.descent = vm.descent;

  // The text as drawn (tabs as spaces, other controls dropped), then each paragraph's bidi levels
  // (its direction its first strong character's, or the one given), brackets at odd levels
  // mirrored before shaping.
  std::vector<char32_t> text;
  std::vector<const StyledCodepoint*> source;
  text.reserve(input.size());
  source.reserve(input.size());
  for (const StyledCodepoint& sc : input) {
    char32_t c = sc.codepoint;
    if (c == U'\t') c = U' ';
    if (c < 0x20 && c != U'\n' && c != U'\r') continue;  // other controls draw nothing
    text.push_back(c);
    source.push_back(&sc);
  }
  std::vector<uint8_t> levels(text.size(), 0), base_level(text.size(), 0);
  bool any_rtl = direction == TextDirection::Rtl;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = begin;
    while (end < text.size() && !is_hard_break(text[end])) ++end;
    const int fallback = direction == TextDirection::Rtl ? 1 : 0;
    const int level = direction == TextDirection::Auto ? bidi_paragraph_level(text.data() + begin, end - begin, fallback)
                                                       : fallback;
    const std::vector<uint8_t> lv = bidi_levels(text.data() + begin, end - begin, level);
    for (size_t i = begin; i < end; ++i) {
      levels[i] = lv[i - begin];
      base_level[i] = static_cast<uint8_t>(level);
      if (levels[i] & 1) {
        any_rtl = true;
        text[i] = bidi_mirror(text[i]);
      }
    }
    if (end < text.size()) base_level[end] = static_cast<uint8_t>(level);
    begin = end + 1;
  }

  // Shaping: a font and glyph per code point, advances, and kerning inside one font's runs.
  std::vector<CaptionGlyph> glyphs;
  glyphs.reserve(text.size());
  for (size_t at = 0; at < text.size(); ++at) {
    const StyledCodepoint& sc = *source[at];
    const char32_t c = text[at];
    CaptionGlyph g;
    g.codepoint = c;
    g.flags = sc.style.flags;
    g.style = sc.style;
    float size = sc.style.size > 0.0f && std::isfinite(sc.style.size) ? sc.style.size : em;
    if ((sc.style.flags & kStyleRubyText) && !(sc.style.size > 0.0f)) size = em * 0.5f;  // WebVTT rt: half size
    g.em = size;
    if (!is_hard_break(c)) {
      const size_t f = sc.style.family >= 0 && static_cast<size_t>(sc.style.family) < count &&
                               families[static_cast<size_t>(sc.style.family)].regular
                           ? static_cast<size_t>(sc.style.family)
                           : family;
      const FontSet& fonts = families[f];
      Face face = face_for(fonts, sc.style.flags);
      int index = face.font->glyph_index(c);
      if (!index) {
        for (const Font* fallback : fonts.fallbacks) {
          if (!fallback) continue;
          const int fi = fallback->glyph_index(c);
          if (fi) {
            face = {fallback, (sc.style.flags & kStyleBold) != 0, (sc.style.flags & kStyleItalic) != 0};
            index = fi;
            break;
          }
        }
      }
      g.font = face.font;
      g.glyph = index;
      g.synthetic_bold = face.bold;
      g.synthetic_italic = face.italic;
      g.advance = face.font->glyph_advance(index, face.font->scale_for_em(size)) +
                  (face.bold ? static_cast<float>(synthetic_bold_pixels(size)) : 0.0f);
      if (vertical) {
        if (upright_in_vertical(c)) {
          g.orient = 1;
          g.advance = size;  // the em square: CJK fonts' vertical advance
        } else {
          g.orient = 2;
        }
        if (g.flags & kStyleRubyText) g.flags |= kStyleHidden;  // not laid out in vertical text
      }
    }
    glyphs.push_back(g);
  }
  const size_t n = text.size();
  if (n == 0) return out;
  std::vector<float> advance(n), kern(n, 0.0f);
  for (size_t i = 0; i < n; ++i) {
    // Annotations take no room in the line (placed over their base below).
    advance[i] = (glyphs[i].flags & kStyleRubyText) ? 0.0f : glyphs[i].advance;
    if (i > 0 && glyphs[i].font && glyphs[i].font == glyphs[i - 1].font && glyphs[i].em == glyphs[i - 1].em &&
        glyphs[i].orient != 1 && glyphs[i - 1].orient != 1 &&
        !is_hard_break(text[i - 1]) && !((glyphs[i].flags ^ glyphs[i - 1].flags) & kStyleRubyText))
      kern[i] = glyphs[i].font->kerning(glyphs[i - 1].glyph, glyphs[i].glyph, glyphs[i].font->scale_for_em(glyphs[i].em));
  }

  const float box = std::isfinite(box_width) && box_width > 0.0f ? box_width : 0.0f;
  std::vector<std::pair<size_t, size_t>> ranges;
  size_t para = 0;
  for (size_t i = 0; i <= n; ++i) {
    if (i < n && !is_hard_break(text[i])) continue;
    if (i == n && para == n && !ranges.empty()) break;  // a final newline adds no empty line
    break_paragraph(text, advance, kern, para, i, box, ranges);
    if (i + 1 < n && text[i] == U'\r' && text[i + 1] == U'\n') ++i;
    para = i + 1;
    if (ranges.size() > max_lines) break;  // untrusted input: stop shaping lines nobody will see
  }
  out.truncated = ranges.size() > max_lines;
  if (out.truncated) ranges.resize(max_lines);

  const Font* metrics_font = nullptr;  // the last (font, size) measured: runs share them
  float metrics_em = 0;
  TextMetrics metrics;
  std::vector<size_t> order;
  for (auto [begin, end] : ranges) {
    while (end > begin && is_breaking_space(text[end - 1])) --end;  // trailing spaces hang
    CaptionTextLine line;
    line.rtl = begin < base_level.size() && (base_level[begin] & 1);
    // Visual order: the line's characters reordered by their levels (only where there is
    // right-to-left text; the common case keeps its logical order and kerning as it is).
    bool reorder = false;
    if (any_rtl) {
      for (size_t i = begin; i < end && !reorder; ++i) reorder = levels[i] != 0;
    }
    order.clear();
    if (reorder) {
      order = bidi_visual_order(text.data() + begin, levels.data() + begin, end - begin, line.rtl ? 1 : 0);
      for (size_t& k : order) k += begin;
    } else {
      for (size_t i = begin; i < end; ++i) order.push_back(i);
    }
    for (size_t i = begin; i < end; ++i)  // the text in logical order, as a screen reader wants it
      if (!(glyphs[i].flags & kStyleRubyText)) append_utf8(line.text, source[i]->codepoint == U'\t' ? U' ' : source[i]->codepoint);
    float pen = 0.0f;
    for (size_t k = 0; k < order.size(); ++k) {
      const size_t i = order[k];
      if (k > 0 && order[k - 1] + 1 == i) pen += kern[i];  // kerning between neighbours that stay neighbours
      CaptionGlyph g = glyphs[i];
      g.x = pen;
      if (g.font && (g.font != metrics_font || g.em != metrics_em)) {
        metrics_font = g.font;
        metrics_em = g.em;
        metrics = g.font->vertical_metrics(g.font->scale_for_em(g.em));
      }
      if (g.font) {
        line.ascent = std::max(line.ascent, metrics.ascent);
        line.descent = std::max(line.descent, metrics.descent);
      }
      line.glyphs.push_back(g);
      pen += advance[i];
    }
    if (!vertical && !reorder) place_ruby(line);
    line.width = pen;
    const float room = box > 0.0f ? box - pen : -pen;
    CaptionTextAlign a = align;
    if (a == CaptionTextAlign::Start) a = line.rtl ? CaptionTextAlign::Right : CaptionTextAlign::Left;
    if (a == CaptionTextAlign::End) a = line.rtl ? CaptionTextAlign::Left : CaptionTextAlign::Right;
    line.x = a == CaptionTextAlign::Left ? 0.0f : a == CaptionTextAlign::Centre ? room * 0.5f : room;
    out.width = std::max(out.width, line.width);
    out.lines.push_back(std::move(line));
  }
  return out;
}

}  // namespace

bool caption_class_colour(const std::string& name, Rgba* colour, bool* background) {
  const bool bg = name.rfind("bg_", 0) == 0;
  const std::string base = bg ? name.substr(3) : name;
  for (const NamedColour& c : kClassColours)
    if (base == c.name) {
      *colour = c.colour;
      *background = bg;
      return true;
    }
  return false;
}

std::vector<StyledCodepoint> styled_text(const CueNode& root, size_t max_codepoints) {
  std::vector<StyledCodepoint> out;
  collect(root, TextStyleRun{}, max_codepoints, 0, out);
  return out;
}

int synthetic_bold_pixels(float em) { return std::max(1, static_cast<int>(em / 24.0f)); }

CaptionText layout_caption_text(const std::vector<StyledCodepoint>& input, const FontSet& fonts, float em,
                                float box_width, CaptionTextAlign align, size_t max_lines) {
  return layout_text(input, &fonts, 1, 0, em, box_width, align, max_lines);
}

CaptionText layout_caption_text(const std::vector<StyledCodepoint>& input, const std::vector<FontSet>& families,
                                size_t family, float em, float box_width, CaptionTextAlign align, size_t max_lines) {
  return layout_text(input, families.data(), families.size(), family, em, box_width, align, max_lines);
}

CaptionText layout_caption_text_vertical(const std::vector<StyledCodepoint>& input, const std::vector<FontSet>& families,
                                         size_t family, float em, float box_height, CaptionTextAlign align,
                                         size_t max_lines) {
  return layout_text(input, families.data(), families.size(), family, em, box_height, align, max_lines, true);
}

CaptionText layout_caption_text(const std::vector<StyledCodepoint>& input, const std::vector<FontSet>& families,
                                size_t family, float em, float box_width, CaptionTextAlign align, size_t max_lines,
                                TextDirection direction) {
  return layout_text(input, families.data(), families.size(), family, em, box_width, align, max_lines, false, direction);
}

bool upright_in_vertical(char32_t c) {
  return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFF);
}

}  // namespace tessera::captions
