// Graphic rendering (see draw.h). Geometry is built in device pixels with double + - * /, then
// filled by the coverage rasterizer; images go through draw_image, text through the layout module.
#include "graphics/draw.h"

#include <algorithm>
#include <cmath>

#include "graphics/rasterizer.h"
#include "raster/image.h"
#include "text/layout.h"

namespace tessera {

std::string substitute_text(const std::vector<TextSegment>& segments,
                            const std::map<std::string, std::string, std::less<>>& variables) {
  std::string out;
  for (const TextSegment& s : segments) {
    if (!s.variable) { out += s.text; continue; }
    const auto it = variables.find(s.text);
    if (it != variables.end()) out += it->second;
  }
  // Cut at a code point boundary once the limit is reached (values come from viewers' context).
  size_t codepoints = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    if ((static_cast<uint8_t>(out[i]) & 0xC0) == 0x80) continue;
    if (++codepoints > GraphicLimits::kMaxSubstitutedCodepoints) { out.resize(i); break; }
  }
  return out;
}

namespace {

Rgba with_opacity(Rgba c, double opacity) {
  c.a = static_cast<uint8_t>(std::floor(c.a * opacity + 0.5));
  return c;
}

struct Bounds {
  double x = 0, y = 0, width = 0, height = 0;
};

class GraphicPainter {
 public:
  GraphicPainter(Surface& out, const RectI& clip, const GraphicContext& ctx) : out_(out), clip_(clip), ctx_(ctx) {}

  void rect(const GraphicElement& e, const Transform& t, double opacity) {
    const PointD p = t.apply({e.x, e.y});
    const double w = e.width * t.scale, h = e.height * t.scale, r = e.radius * t.scale;
    if (e.fill) fill({rounded_rect_path(p.x, p.y, w, h, r)}, FillRule::NonZero, with_opacity(*e.fill, opacity));
    if (e.stroke) {
      // Centred on the edge, like SVG: the ring between the outline grown and shrunk by half the
      // width (sharp corners stay sharp outside).
      const double half = e.stroke_width * t.scale * 0.5;
      std::vector<Path> ring = {rounded_rect_path(p.x - half, p.y - half, w + 2 * half, h + 2 * half, r > 0 ? r + half : 0)};
      if (w > 2 * half && h > 2 * half)
        ring.push_back(rounded_rect_path(p.x + half, p.y + half, w - 2 * half, h - 2 * half, std::max(0.0, r - half)));
      fill(ring, FillRule::EvenOdd, with_opacity(*e.stroke, opacity));
    }
  }

  void path(const GraphicElement& e, const Transform& t, double opacity) {
    std::vector<Polyline> lines;
    if (!flatten_path(e.path, t, &budget_, &lines)) return;
    if (e.fill) fill_polygons(out_, lines, e.fill_rule, with_opacity(*e.fill, opacity), clip_);
    if (e.stroke) {
      std::vector<Polyline> outline;
      if (!stroke_outline(lines, e.stroke_width * t.scale, &budget_, &outline)) return;
      fill_polygons(out_, outline, FillRule::NonZero, with_opacity(*e.stroke, opacity), clip_);
    }
  }

  void image(const GraphicElement& e, const Transform& t, double opacity) {
    const auto it = ctx_.images.find(e.asset);
    if (it == ctx_.images.end() || !it->second || it->second->width() <= 0 || it->second->height() <= 0) return;
    const Surface& img = *it->second;
    const PointD p = t.apply({e.x, e.y});
    const RectD box{p.x, p.y, e.width * t.scale, e.height * t.scale};
    const double iw = img.width(), ih = img.height();
    const double k = e.fit == ImageFit::Contain ? std::min(box.width / iw, box.height / ih)
                                                : std::max(box.width / iw, box.height / ih);
    const RectD dest{box.x + (box.width - iw * k) * 0.5, box.y + (box.height - ih * k) * 0.5, iw * k, ih * k};
    RectD clip = e.fit == ImageFit::Contain ? dest : box;
    // Also inside the region.
    const double cx0 = std::max(clip.x, static_cast<double>(clip_.x)), cy0 = std::max(clip.y, static_cast<double>(clip_.y));
    const double cx1 = std::min(clip.x + clip.width, static_cast<double>(clip_.right()));
    const double cy1 = std::min(clip.y + clip.height, static_cast<double>(clip_.bottom()));
    if (!(cx1 > cx0) || !(cy1 > cy0)) return;
    clip = {cx0, cy0, cx1 - cx0, cy1 - cy0};
    draw_image(out_, img, dest, clip, static_cast<uint8_t>(std::floor(255 * opacity + 0.5)));
  }

  void text(const GraphicElement& e, const TextLayout& layout, const Font& font, const Transform& t, double opacity) {
    const PointD p = t.apply({e.x, e.y});
    draw_text_layout(out_, font, layout, p.x, p.y, t.scale, with_opacity(e.fill.value_or(Rgba{255, 255, 255, 255}), opacity),
                     clip_);
  }

 private:
  void fill(const std::vector<Path>& paths, FillRule rule, Rgba colour) {
    std::vector<Polyline> polygons;
    for (const Path& p : paths)
      if (!flatten_path(p, Transform{}, &budget_, &polygons)) return;
    fill_polygons(out_, polygons, rule, colour, clip_);
  }

  Surface& out_;
  RectI clip_;
  const GraphicContext& ctx_;
  size_t budget_ = kMaxGraphicPoints;
};

}  // namespace

void draw_graphic(Surface& out, const Graphic& graphic, RectI region, double t_seconds, const GraphicContext& ctx) {
  const RectI clip = intersect(region, {0, 0, out.width(), out.height()});
  if (clip.empty() || !(graphic.width > 0) || !(graphic.height > 0) || region.empty()) return;
  const double fit = std::min(region.width / graphic.width, region.height / graphic.height);
  const double ox = region.x + (region.width - graphic.width * fit) * 0.5;
  const double oy = region.y + (region.height - graphic.height * fit) * 0.5;
  const double context_opacity = std::clamp(std::isfinite(ctx.opacity) ? ctx.opacity : 0.0, 0.0, 1.0);
  GraphicPainter painter(out, clip, ctx);

  for (const GraphicElement& e : graphic.elements) {
    const AnimatedValues a = evaluate_keyframes(e.keyframes, t_seconds);
    const double opacity = std::clamp(e.opacity * a.opacity * context_opacity, 0.0, 1.0);
    if (!(opacity > 0) || !(a.scale > 0)) continue;

    // Text is laid out first: its height (for the anchor) depends on its lines.
    const Font* font = nullptr;
    TextLayout layout;
    Bounds b{e.x, e.y, e.width, e.height};
    if (e.type == GraphicElementType::Text) {
      const auto it = ctx.fonts.find(e.font);
      if (it == ctx.fonts.end() || !it->second) continue;
      font = it->second;
      TextStyle style;
      style.size = static_cast<float>(e.size);
      style.line_height = static_cast<float>(e.line_height);
      style.align = e.align;
      style.box_width = static_cast<float>(e.width);
      style.max_lines = e.max_lines;
      layout = layout_text(*font, substitute_text(e.text, ctx.variables), style);
      b.height = layout.height;
    } else if (e.type == GraphicElementType::Path) {
      b = {e.path_min.x, e.path_min.y, e.path_max.x - e.path_min.x, e.path_max.y - e.path_min.y};
    }

    // design → element: about the anchor by `scale`, then offset; element → device: fit.
    const double ax = b.x + e.anchor_x * b.width, ay = b.y + e.anchor_y * b.height;
    Transform t;
    t.scale = fit * a.scale;
    t.tx = ox + fit * (ax - ax * a.scale + a.x);
    t.ty = oy + fit * (ay - ay * a.scale + a.y);

    switch (e.type) {
      case GraphicElementType::Rect: painter.rect(e, t, opacity); break;
      case GraphicElementType::Path: painter.path(e, t, opacity); break;
      case GraphicElementType::Image: painter.image(e, t, opacity); break;
      case GraphicElementType::Text: painter.text(e, layout, *font, t, opacity); break;
    }
  }
}

}  // namespace tessera
