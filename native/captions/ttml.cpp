// TTML snapshots parsed, laid out and drawn (see ttml.h).
#include "captions/ttml.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "captions/ink.h"
#include "compose/compose.h"
#include "text/utf8.h"

namespace tessera::captions {

namespace {

using nlohmann::json;

// ---- reading the JSON (untrusted: every field checked, clamped, or defaulted) ------------------

double number(const json& j, const char* key, double fallback, double lo, double hi) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  const double v = it->get<double>();
  return std::isfinite(v) ? std::clamp(v, lo, hi) : fallback;
}

std::string string(const json& j, const char* key, const char* fallback = "") {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
}

bool boolean(const json& j, const char* key, bool fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

Rgba colour(const json& j, const char* key, Rgba fallback) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array() || it->size() != 4) return fallback;
  uint8_t v[4];
  for (size_t i = 0; i < 4; ++i) {
    const json& c = (*it)[i];
    if (!c.is_number()) return fallback;
    const double d = c.get<double>();
    if (!std::isfinite(d)) return fallback;
    v[i] = static_cast<uint8_t>(std::floor(std::clamp(d, 0.0, 255.0) + 0.5));
  }
  return {v[0], v[1], v[2], v[3]};
}

// A family list (TTML generic names, quoted names) → the engine's family: the first entry it knows.
TtmlFamily family(const json& j) {
  const auto it = j.find("fontFamily");
  if (it == j.end() || !it->is_array()) return TtmlFamily::Sans;
  for (const json& entry : *it) {
    if (!entry.is_string()) continue;
    std::string name = entry.get<std::string>();
    if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'')) name = name.substr(1, name.size() - 2);
    std::string lower;
    for (const char c : name) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    if (lower.rfind("monospace", 0) == 0 || lower == "courier" || lower == "courier new" || lower == "liberation mono" ||
        lower == "dejavu sans mono")
      return TtmlFamily::Mono;
    if (lower == "serif" || lower == "proportionalserif" || lower == "times" || lower == "times new roman" ||
        lower == "georgia" || lower == "dejavu serif")
      return TtmlFamily::Serif;
    if (lower == "sansserif" || lower == "proportionalsansserif" || lower == "default" || lower == "arial" ||
        lower == "helvetica" || lower == "verdana" || lower == "tiresias" || lower == "reithsans" || lower == "roboto" ||
        lower == "dejavu sans")
      return TtmlFamily::Sans;
  }
  return TtmlFamily::Sans;
}

TtmlSpan read_span(const json& j) {
  TtmlSpan s;
  if (const auto it = j.find("text"); it != j.end() && it->is_string()) s.text = it->get<std::string>();
  s.colour = colour(j, "color", s.colour);
  s.background = colour(j, "backgroundColor", s.background);
  s.family = family(j);
  s.font_size = number(j, "fontSize", s.font_size, 0.0, 2.0);
  const std::string style = string(j, "fontStyle", "normal");
  s.italic = style == "italic" || style == "oblique";
  s.bold = string(j, "fontWeight", "normal") == "bold";
  s.underline = boolean(j, "underline", false);
  s.line_through = boolean(j, "lineThrough", false);
  s.overline = boolean(j, "overline", false);
  s.visible = boolean(j, "visible", true);
  if (const auto it = j.find("textOutline"); it != j.end() && it->is_object()) {
    s.outline = number(*it, "thickness", 0.0, 0.0, 0.25);
    s.outline_colour = colour(*it, "color", s.outline_colour);
  }
  return s;
}

void read_spans(const json& j, const char* key, std::vector<TtmlSpan>& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return;
  for (const json& s : *it)
    if (s.is_object() && out.size() < kMaxTtmlInlines) out.push_back(read_span(s));
}

TtmlAlign align(const std::string& s, TtmlAlign fallback) {
  if (s == "start" || s == "left") return TtmlAlign::Start;
  if (s == "center") return TtmlAlign::Center;
  if (s == "end" || s == "right") return TtmlAlign::End;
  if (s == "justify") return TtmlAlign::Justify;
  if (s == "auto") return TtmlAlign::Auto;
  return fallback;
}

TtmlParagraph read_paragraph(const json& j, bool& truncated) {
  TtmlParagraph p;
  p.font_size = number(j, "fontSize", p.font_size, 0.0, 2.0);
  p.text_align = align(string(j, "textAlign", "center"), TtmlAlign::Center);
  if (p.text_align == TtmlAlign::Auto) p.text_align = TtmlAlign::Center;
  p.rtl = string(j, "direction", "ltr") == "rtl";
  if (const auto it = j.find("lineHeight"); it != j.end() && it->is_number()) p.line_height = number(j, "lineHeight", 0, 0, 10);
  p.multi_row_align = align(string(j, "multiRowAlign", "auto"), TtmlAlign::Auto);
  if (p.multi_row_align == TtmlAlign::Justify) p.multi_row_align = TtmlAlign::Start;
  p.line_padding = number(j, "linePadding", 0, 0, 0.5);
  p.fill_line_gap = boolean(j, "fillLineGap", false);
  p.background = colour(j, "backgroundColor", p.background);
  p.lang = string(j, "lang");
  const auto it = j.find("inlines");
  if (it == j.end() || !it->is_array()) return p;
  for (const json& in : *it) {
    if (!in.is_object()) continue;
    if (p.inlines.size() >= kMaxTtmlInlines) {
      truncated = true;
      break;
    }
    const std::string kind = string(in, "kind");
    TtmlInline out;
    if (kind == "span") {
      out.span = read_span(in);
    } else if (kind == "br") {
      out.kind = TtmlInlineKind::Break;
    } else if (kind == "ruby") {
      out.kind = TtmlInlineKind::Ruby;
      read_spans(in, "base", out.base);
      read_spans(in, "annotation", out.annotation);
      out.ruby_after = string(in, "position", "before") == "after";
    } else {
      continue;
    }
    p.inlines.push_back(std::move(out));
  }
  return p;
}

TtmlRegion read_region(const json& j, bool& truncated) {
  TtmlRegion r;
  r.id = string(j, "id");
  r.x = number(j, "x", 0, -1, 2);
  r.y = number(j, "y", 0, -1, 2);
  r.width = number(j, "width", 1, 0, 2);
  r.height = number(j, "height", 1, 0, 2);
  if (const auto it = j.find("padding"); it != j.end() && it->is_object()) {
    r.pad_top = number(*it, "top", 0, 0, 1);
    r.pad_right = number(*it, "right", 0, 0, 1);
    r.pad_bottom = number(*it, "bottom", 0, 0, 1);
    r.pad_left = number(*it, "left", 0, 0, 1);
  }
  const std::string da = string(j, "displayAlign", "before");
  r.display_align = da == "center" ? TtmlDisplayAlign::Center : da == "after" ? TtmlDisplayAlign::After : TtmlDisplayAlign::Before;
  r.writing_mode = string(j, "writingMode", "lrtb");
  r.show_always = string(j, "showBackground", "always") != "whenActive";
  r.background = colour(j, "backgroundColor", r.background);
  r.opacity = number(j, "opacity", 1, 0, 1);
  r.clip = string(j, "overflow", "visible") == "hidden";
  r.z_index = static_cast<int>(number(j, "zIndex", 0, -1e6, 1e6));
  const auto it = j.find("paragraphs");
  if (it == j.end() || !it->is_array()) return r;
  for (const json& p : *it) {
    if (!p.is_object()) continue;
    if (r.paragraphs.size() >= kMaxTtmlParagraphs) {
      truncated = true;
      break;
    }
    r.paragraphs.push_back(read_paragraph(p, truncated));
  }
  return r;
}

}  // namespace

TtmlDocument parse_ttml_snapshots(std::string_view text) {
  TtmlDocument doc;
  if (text.size() > kMaxTtmlJsonBytes) {
    doc.errors.push_back("the TTML snapshots are larger than " + std::to_string(kMaxTtmlJsonBytes >> 20) + " MiB");
    return doc;
  }
  const json root = json::parse(text.begin(), text.end(), nullptr, false);
  const json* list = &root;
  if (root.is_object()) {
    const auto it = root.find("snapshots");
    list = it == root.end() ? nullptr : &*it;
  }
  if (root.is_discarded() || !list || !list->is_array()) {
    doc.errors.push_back(
        "not TTML snapshots: expected the JSON of src/captions/snapshot.ts (an array of snapshots, or "
        "{\"snapshots\": [...]}); TTML itself is parsed by the host with imsc");
    return doc;
  }
  doc.ok = true;
  bool truncated = false;
  for (size_t i = 0; i < list->size(); ++i) {
    const json& s = (*list)[i];
    if (!s.is_object()) {
      doc.errors.push_back("/" + std::to_string(i) + ": expected a snapshot object");
      continue;
    }
    if (doc.snapshots.size() >= kMaxTtmlSnapshots) {
      doc.errors.push_back("more than " + std::to_string(kMaxTtmlSnapshots) + " snapshots: the rest are not shown");
      break;
    }
    TtmlSnapshot snap;
    snap.begin = number(s, "begin", -1, -1e9, 1e9);
    if (const auto it = s.find("end"); it != s.end() && it->is_number()) snap.end = number(s, "end", snap.begin, -1e9, 1e9);
    if (snap.begin < 0 || !(snap.end > snap.begin)) {
      doc.errors.push_back("/" + std::to_string(i) + ": expected 0 <= begin < end");
      continue;
    }
    if (const auto it = s.find("root"); it != s.end() && it->is_object())
      snap.aspect_ratio = number(*it, "aspectRatio", snap.aspect_ratio, 0.1, 10);
    if (const auto it = s.find("regions"); it != s.end() && it->is_array()) {
      for (const json& r : *it) {
        if (!r.is_object()) continue;
        if (snap.regions.size() >= kMaxTtmlRegions) {
          truncated = true;
          break;
        }
        snap.regions.push_back(read_region(r, truncated));
      }
    }
    doc.snapshots.push_back(std::move(snap));
  }
  if (truncated) doc.errors.push_back("some snapshots hold more regions, paragraphs or spans than are shown");
  std::stable_sort(doc.snapshots.begin(), doc.snapshots.end(),
                   [](const TtmlSnapshot& a, const TtmlSnapshot& b) { return a.begin < b.begin; });
  // Intervals must not overlap: a later one starts where the one before it is cut off.
  for (size_t i = 1; i < doc.snapshots.size(); ++i)
    if (doc.snapshots[i - 1].end > doc.snapshots[i].begin) doc.snapshots[i - 1].end = doc.snapshots[i].begin;
  doc.snapshots.erase(std::remove_if(doc.snapshots.begin(), doc.snapshots.end(),
                                     [](const TtmlSnapshot& s) { return !(s.end > s.begin); }),
                      doc.snapshots.end());
  return doc;
}

const TtmlSnapshot* ttml_snapshot_at(const TtmlDocument& doc, double t) {
  if (!std::isfinite(t)) return nullptr;
  const auto it = std::upper_bound(doc.snapshots.begin(), doc.snapshots.end(), t,
                                   [](double time, const TtmlSnapshot& s) { return time < s.begin; });
  if (it == doc.snapshots.begin()) return nullptr;
  const TtmlSnapshot& s = *(it - 1);
  return t < s.end ? &s : nullptr;
}

std::vector<std::string> ttml_snapshot_text(const TtmlSnapshot& snapshot) {
  // As snapshotText (src/captions/ttml.ts): hidden spans and ruby annotations left out, each
  // line trimmed of the spaces hidden spans can leave.
  auto trim = [](const std::string& line) {
    const size_t a = line.find_first_not_of(" \t"), b = line.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : line.substr(a, b - a + 1);
  };
  std::vector<std::string> out;
  for (const TtmlRegion& r : snapshot.regions)
    for (const TtmlParagraph& p : r.paragraphs) {
      std::string text, line;
      auto add = [&](const TtmlSpan& s) {
        if (s.visible) line += s.text;
      };
      for (const TtmlInline& in : p.inlines) {
        if (in.kind == TtmlInlineKind::Break) {
          text += trim(line) + "\n";
          line.clear();
        } else if (in.kind == TtmlInlineKind::Span) {
          add(in.span);
        } else {
          for (const TtmlSpan& s : in.base) add(s);
        }
      }
      text += trim(line);
      if (text.find_first_not_of('\n') != std::string::npos) out.push_back(std::move(text));
    }
  return out;
}

// ---- layout -------------------------------------------------------------------------------------

namespace {

int round_px(double v) {
  if (!(v > -1.0e7)) return -10000000;
  if (!(v < 1.0e7)) return 10000000;
  return static_cast<int>(std::floor(v + 0.5));
}

uint8_t scale_alpha(uint8_t a, double factor) {
  return static_cast<uint8_t>(std::floor(std::clamp(static_cast<double>(a) * factor, 0.0, 255.0) + 0.5));
}

// What the viewer chose over the author's styles (a default value is no choice).
struct Overrides {
  bool text = false, background = false, window = false, edge = false, family = false;
  float size = 1;
  Rgba text_colour, background_colour, window_colour;
  uint8_t text_opacity = 255;
  int8_t font_family = 0;
  bool top = false;
};
Overrides overrides(const CaptionSettings& s) {
  const CaptionSettings d;
  Overrides o;
  o.text = !same(s.text_colour, d.text_colour) || s.override_author_colours;
  o.background = !same(s.background_colour, d.background_colour) || s.background_opacity != d.background_opacity ||
                 s.override_author_colours;
  o.window = !same(s.window_colour, d.window_colour) || s.window_opacity != d.window_opacity;
  o.edge = s.edge != CaptionEdge::None;
  o.family = s.font_family >= 0;
  o.font_family = static_cast<int8_t>(std::clamp(s.font_family, 0, 2));
  o.size = static_cast<float>(std::clamp(s.size_percent, 50, 200)) / 100.0f;
  o.text_colour = s.text_colour;
  o.text_opacity = s.text_opacity;
  o.background_colour = with_opacity(s.background_colour, s.background_opacity);
  o.window_colour = with_opacity(s.window_colour, s.window_opacity);
  o.top = s.position == CaptionPositionOverride::Top;
  return o;
}

// One span's style for the shaper, with the viewer's choices and the region's opacity applied.
TextStyleRun span_style(const TtmlSpan& s, const Overrides& o, double opacity, int height) {
  TextStyleRun run;
  if (s.bold) run.flags |= kStyleBold;
  if (s.italic) run.flags |= kStyleItalic;
  if (s.underline) run.flags |= kStyleUnderline;
  if (s.line_through) run.flags |= kStyleLineThrough;
  if (s.overline) run.flags |= kStyleOverline;
  if (!s.visible) run.flags |= kStyleHidden;
  run.has_colour = true;
  run.colour = o.text ? o.text_colour : s.colour;
  run.colour.a = scale_alpha(with_opacity(run.colour, o.text_opacity).a, opacity);
  if (s.background.a != 0) {
    run.has_background = true;
    run.background = o.background ? o.background_colour : s.background;
    run.background.a = scale_alpha(run.background.a, opacity);
  }
  run.size = static_cast<float>(s.font_size * height) * o.size;
  run.family = static_cast<int8_t>(o.family ? o.font_family : static_cast<int8_t>(s.family));
  if (s.outline > 0) {
    run.outline = std::max(1.0f, static_cast<float>(s.outline * height) * o.size);
    run.outline_colour = s.outline_colour;
    run.outline_colour.a = scale_alpha(run.outline_colour.a, opacity);
  }
  return run;
}

void append(std::vector<StyledCodepoint>& out, const TtmlSpan& s, const TextStyleRun& style) {
  for (const char32_t c : decode_utf8(s.text)) {
    if (out.size() >= kMaxTtmlCodepoints) return;
    out.push_back({c, style});
  }
}

CaptionTextAlign physical(TtmlAlign a, bool rtl) {
  switch (a) {
    case TtmlAlign::Center: return CaptionTextAlign::Centre;
    case TtmlAlign::End: return rtl ? CaptionTextAlign::Left : CaptionTextAlign::Right;
    default: return rtl ? CaptionTextAlign::Right : CaptionTextAlign::Left;  // start; justify's last line
  }
}
double offset(CaptionTextAlign a, double room) {
  return a == CaptionTextAlign::Left ? 0.0 : a == CaptionTextAlign::Centre ? room * 0.5 : room;
}

struct LaidParagraph {
  std::vector<TtmlLine> lines;  // tops relative to the paragraph's top
  double height = 0;
  Rgba background;
};

LaidParagraph lay_paragraph(const TtmlParagraph& p, const Overrides& o, double opacity, double left, double width,
                            int picture_width, int picture_height, const std::vector<FontSet>& families,
                            bool& truncated, bool vertical) {
  LaidParagraph out;
  out.background = p.background;
  out.background.a = scale_alpha(out.background.a, opacity);
  std::vector<StyledCodepoint> text;
  for (const TtmlInline& in : p.inlines) {
    if (in.kind == TtmlInlineKind::Break) {
      if (text.size() < kMaxTtmlCodepoints) text.push_back({U'\n', TextStyleRun{}});
    } else if (in.kind == TtmlInlineKind::Span) {
      append(text, in.span, span_style(in.span, o, opacity, picture_height));
    } else {
      for (const TtmlSpan& s : in.base) {
        TextStyleRun style = span_style(s, o, opacity, picture_height);
        style.flags |= kStyleRubyBase;
        append(text, s, style);
      }
      for (const TtmlSpan& s : in.annotation) {
        TextStyleRun style = span_style(s, o, opacity, picture_height);
        style.flags |= kStyleRubyText;
        if (in.ruby_after) style.flags |= kStyleRubyAfter;
        append(text, s, style);
      }
    }
  }
  // A break carries the style of the text before it (its size counts for an empty line's height).
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i].codepoint == U'\n' && i > 0) text[i].style = text[i - 1].style;

  const float em = static_cast<float>(p.font_size * picture_height) * o.size;
  const double padding = p.line_padding * picture_width;
  const double avail = std::max(1.0, width - 2 * padding);
  const size_t family = static_cast<size_t>(o.family ? o.font_family : 0);
  const CaptionText laid =
      vertical ? layout_caption_text_vertical(text, families, family, em, static_cast<float>(avail), CaptionTextAlign::Left,
                                              kMaxTtmlLinesPerParagraph)
               : layout_caption_text(text, families, family, em, static_cast<float>(avail), CaptionTextAlign::Left,
                                     kMaxTtmlLinesPerParagraph, p.rtl ? TextDirection::Rtl : TextDirection::Ltr);
  truncated = truncated || laid.truncated;
  if (laid.lines.empty()) return out;

  const CaptionTextAlign ta = physical(p.text_align, p.rtl);
  const CaptionTextAlign ra = p.multi_row_align == TtmlAlign::Auto ? ta : physical(p.multi_row_align, p.rtl);
  const double block = static_cast<double>(laid.width);
  const double block_left = offset(ta, avail - block);
  double top = 0;
  for (const CaptionTextLine& tl : laid.lines) {
    // The strut: the paragraph's own font at its size is always part of a line's height.
    const float ascent = std::max(tl.ascent, laid.ascent), descent = std::max(tl.descent, laid.descent);
    float size = em;
    bool ruby = false;
    for (const CaptionGlyph& g : tl.glyphs) {
      if (g.flags & kStyleRubyText) ruby = true;
      else size = std::max(size, g.em);
    }
    const double content = static_cast<double>(ascent) + static_cast<double>(descent);
    // A ruby annotation makes room for itself in the line, as CSS ruby does; other glyphs may
    // overflow a small line height.
    const double height = p.line_height > 0 ? std::max(p.line_height * size, ruby ? content : 0.0) : content;
    TtmlLine line;
    const double line_x = ra == ta ? offset(ta, avail - static_cast<double>(tl.width))
                                   : block_left + offset(ra, block - static_cast<double>(tl.width));
    line.x = left + padding + line_x;
    line.ascent = ascent;
    line.descent = descent;
    line.line_padding = static_cast<float>(padding);
    const int y0 = round_px(top), y1 = round_px(top + height);
    line.baseline = round_px(top + (height - content) / 2 + static_cast<double>(ascent));
    const int x0 = round_px(std::floor(line.x - padding)),
              x1 = round_px(std::ceil(line.x + static_cast<double>(tl.width) + padding));
    line.box = {x0, y0, x1 - x0, y1 - y0};
    line.glyphs = tl.glyphs;
    line.text = tl.text;
    out.lines.push_back(std::move(line));
    top += height;
  }
  out.height = top;
  return out;
}

void shift(TtmlLine& l, int dy) {
  l.baseline += dy;
  l.box.y += dy;
}

// The backgrounds of a line's spans: runs of one colour, the first and last extended by the line
// padding; the font's height around the baseline, or the whole line box when filling line gaps.
void span_fills(const TtmlLine& line, bool fill_gap, std::vector<TtmlFill>& out) {
  const size_t n = line.glyphs.size();
  size_t i = 0;
  while (i < n) {
    const TextStyleRun& s = line.glyphs[i].style;
    if (!s.has_background || s.background.a == 0 || (line.glyphs[i].flags & kStyleRubyText)) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && line.glyphs[j].style.has_background && same(line.glyphs[j].style.background, s.background) &&
           !(line.glyphs[j].flags & kStyleRubyText))
      ++j;
    double a = line.x + static_cast<double>(line.glyphs[i].x);
    double b = line.x + static_cast<double>(line.glyphs[j - 1].x + line.glyphs[j - 1].advance);
    if (i == 0) a -= static_cast<double>(line.line_padding);
    if (j == n) b += static_cast<double>(line.line_padding);
    const int x0 = round_px(std::floor(a)), x1 = round_px(std::ceil(b));
    const int y0 = fill_gap ? line.box.y : line.baseline - round_px(static_cast<double>(line.ascent));
    const int y1 = fill_gap ? line.box.bottom() : line.baseline + round_px(static_cast<double>(line.descent));
    out.push_back({{x0, y0, x1 - x0, y1 - y0}, s.background});
    i = j;
  }
}

}  // namespace

TtmlLayout layout_ttml(const TtmlSnapshot& snapshot, int width, int height, const CaptionSettings& settings,
                       const std::vector<FontSet>& families) {
  TtmlLayout layout;
  layout.width = width;
  layout.height = height;
  if (width <= 0 || height <= 0 || families.empty() || !families.front().regular) return layout;
  const Overrides o = overrides(settings);
  const RectI picture{0, 0, width, height};

  std::vector<size_t> order(snapshot.regions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return snapshot.regions[a].z_index < snapshot.regions[b].z_index; });

  for (const size_t index : order) {
    const TtmlRegion& r = snapshot.regions[index];
    double y = r.y;
    if (o.top && y + r.height / 2 > 0.5) y = 1 - y - r.height;
    TtmlRegionLayout out;
    const int x0 = round_px(r.x * width), x1 = round_px((r.x + r.width) * width);
    const int y0 = round_px(y * height), y1 = round_px((y + r.height) * height);
    out.rect = {x0, y0, x1 - x0, y1 - y0};
    out.clip = r.clip ? intersect(out.rect, picture) : picture;
    double content_left = r.x * width + r.pad_left * width;
    double content_width = std::max(0.0, (r.width - r.pad_left - r.pad_right) * width);
    double content_top = y * height + r.pad_top * height;
    double content_height = (r.height - r.pad_top - r.pad_bottom) * height;
    // Vertical writing modes are laid out in a transposed frame (frame x = picture y; frame y runs
    // across the columns from the right for tbrl, from the left for tblr), then turned back.
    const bool vertical = r.writing_mode == "tbrl" || r.writing_mode == "tblr";
    const bool rl = r.writing_mode == "tbrl";
    if (vertical) {
      const double left = content_left, across = content_width;
      content_left = content_top;
      content_width = std::max(0.0, content_height);
      content_top = rl ? width - (left + across) : left;
      content_height = across;
    }

    std::vector<LaidParagraph> paragraphs;
    double total = 0;
    for (const TtmlParagraph& p : r.paragraphs) {
      paragraphs.push_back(lay_paragraph(p, o, r.opacity, content_left, content_width, width, height, families,
                                         layout.truncated, vertical));
      total += paragraphs.back().height;
    }
    const bool active = total > 0;
    double top = content_top;
    if (r.display_align == TtmlDisplayAlign::Center) top += (content_height - total) / 2;
    else if (r.display_align == TtmlDisplayAlign::After) top += content_height - total;

    if (r.show_always || active) {
      Rgba bg = o.window ? o.window_colour : r.background;
      bg.a = scale_alpha(bg.a, r.opacity);
      if (bg.a) out.fills.push_back({out.rect, bg});
    }
    const size_t region_fills = out.fills.size();  // in picture coordinates already
    for (size_t i = 0; i < paragraphs.size(); ++i) {
      LaidParagraph& p = paragraphs[i];
      const int dy = round_px(top);
      if (p.background.a && !p.lines.empty()) {
        const int px0 = round_px(content_left), px1 = round_px(content_left + content_width);
        out.fills.push_back({{px0, dy, px1 - px0, round_px(top + p.height) - dy}, p.background});
      }
      for (TtmlLine& l : p.lines) {
        shift(l, dy);
        span_fills(l, r.paragraphs[i].fill_line_gap, out.fills);
        out.lines.push_back(std::move(l));
      }
      top += p.height;
    }
    if (vertical) {
      out.vertical = true;
      auto turn = [&](const RectI& f) { return RectI{rl ? width - f.y - f.height : f.y, f.x, f.height, f.width}; };
      for (size_t i = region_fills; i < out.fills.size(); ++i) out.fills[i].rect = turn(out.fills[i].rect);
      for (TtmlLine& l : out.lines) {
        l.box = turn(l.box);
        l.baseline = l.box.x + l.box.width / 2;  // the column's centre
      }
    }
    if (!out.fills.empty() || !out.lines.empty()) layout.regions.push_back(std::move(out));
  }
  return layout;
}

// ---- drawing ------------------------------------------------------------------------------------

void draw_ttml(Surface& surface, const TtmlLayout& layout, const CaptionSettings& settings) {
  const RectI picture{0, 0, surface.width(), surface.height()};
  Mask ink, group, effect;
  std::vector<uint8_t> tmp;
  std::vector<uint32_t> acc;
  std::vector<std::pair<float, Rgba>> outlines;
  std::vector<Rgba> colours;
  const Rgba viewer_edge = with_opacity(settings.edge_colour, settings.edge_opacity);

  for (const TtmlRegionLayout& region : layout.regions) {
    const RectI clip = intersect(region.clip, picture);
    if (clip.empty()) continue;
    for (const TtmlFill& f : region.fills) {
      const RectI r = intersect(f.rect, clip);
      if (!r.empty()) fill(surface, r, f.colour);
    }
    for (const TtmlLine& line : region.lines) {
      if (line.glyphs.empty()) continue;
      float em = 0, thickest = 0, above = 0, below = 0;
      outlines.clear();
      colours.clear();
      for (const CaptionGlyph& g : line.glyphs) {
        em = std::max(em, g.em);
        above = std::max(above, g.rise + g.em * 1.3f);  // the glyph's reach over the baseline
        below = std::max(below, g.em * 0.5f - g.rise);
        if (g.flags & kStyleHidden) continue;
        if (std::none_of(colours.begin(), colours.end(), [&](Rgba c) { return same(c, g.style.colour); }))
          colours.push_back(g.style.colour);
        if (g.style.outline > 0) {
          thickest = std::max(thickest, g.style.outline);
          const std::pair<float, Rgba> key{g.style.outline, g.style.outline_colour};
          if (std::none_of(outlines.begin(), outlines.end(),
                           [&](const std::pair<float, Rgba>& k) { return k.first == key.first && same(k.second, key.second); }))
            outlines.push_back(key);
        }
      }
      const int edge = settings.edge != CaptionEdge::None ? caption_edge_pixels(em)
                                                          : static_cast<int>(std::ceil(static_cast<double>(thickest)));
      const int margin_x = edge + 2 + static_cast<int>(em / 2.0f);
      const int margin_y = edge + 2 + static_cast<int>(em / 4.0f);
      const int top = std::min(line.box.y, line.baseline - static_cast<int>(std::ceil(above)));
      const int bottom = std::max(line.box.bottom(), line.baseline + static_cast<int>(std::ceil(below)));
      const RectI want = region.vertical ? RectI{line.box.x - margin_y, line.box.y - margin_y, line.box.width + 2 * margin_y,
                                                 line.box.height + 2 * margin_y}
                                         : RectI{line.box.x - margin_x, top - margin_y, line.box.width + 2 * margin_x,
                                                 bottom - top + 2 * margin_y};
      const RectI area = intersect(want, clip);
      if (area.empty()) continue;
      const double centre = line.box.x + line.box.width / 2.0;  // a column's (vertical regions)
      auto put = [&](Mask& m, const CaptionGlyph& g) {
        if (region.vertical) put_glyph_vertical(m, g, line.x + static_cast<double>(g.x), centre);
        else put_glyph(m, g, line.x + static_cast<double>(g.x), line.baseline, g.em, synthetic_bold_pixels(g.em), acc);
      };

      // Edges under the text: the viewer's edge for all of it, else each span's own outline.
      if (settings.edge != CaptionEdge::None) {
        ink.reset(area);
        for (const CaptionGlyph& g : line.glyphs) put(ink, g);
        draw_edge(surface, ink, settings.edge, edge, viewer_edge, effect, tmp);
      } else {
        for (const auto& [thickness, colour] : outlines) {
          group.reset(area);
          for (const CaptionGlyph& g : line.glyphs)
            if (g.style.outline == thickness && same(g.style.outline_colour, colour)) put(group, g);
          dilate(group, effect, std::max(1, static_cast<int>(std::floor(static_cast<double>(thickness) + 0.5))), tmp);
          blend_mask(surface, effect, colour);
        }
      }
      for (const Rgba c : colours) {
        group.reset(area);
        for (const CaptionGlyph& g : line.glyphs)
          if (same(g.style.colour, c)) put(group, g);
        blend_mask(surface, group, c);
      }

      // Decorations: runs of glyphs with one line style, in the text colour (horizontal text only).
      if (region.vertical) continue;
      for (const uint16_t flag : {uint16_t{kStyleUnderline}, uint16_t{kStyleLineThrough}, uint16_t{kStyleOverline}}) {
        size_t i = 0;
        const size_t n = line.glyphs.size();
        while (i < n) {
          const CaptionGlyph& g = line.glyphs[i];
          if (!(g.flags & flag) || (g.flags & (kStyleHidden | kStyleRubyText))) {
            ++i;
            continue;
          }
          size_t j = i + 1;
          while (j < n && (line.glyphs[j].flags & flag) && !(line.glyphs[j].flags & kStyleRubyText) &&
                 same(line.glyphs[j].style.colour, g.style.colour) &&
                 line.glyphs[j].em == g.em)
            ++j;
          const int x0 = round_px(std::floor(line.x + static_cast<double>(g.x)));
          const int x1 = round_px(std::ceil(line.x + static_cast<double>(line.glyphs[j - 1].x + line.glyphs[j - 1].advance)));
          const int thickness = std::max(1, static_cast<int>(g.em / 16.0f));
          const int y = flag == kStyleUnderline     ? line.baseline + std::max(1, static_cast<int>(g.em / 10.0f))
                        : flag == kStyleLineThrough ? line.baseline - static_cast<int>(g.em * 0.3f)
                                                    : line.baseline - static_cast<int>(g.em * 0.8f);
          const RectI r = intersect({x0, y, x1 - x0, thickness}, clip);
          if (!r.empty()) fill(surface, r, g.style.colour);
          i = j;
        }
      }
    }
  }
}

}  // namespace tessera::captions
