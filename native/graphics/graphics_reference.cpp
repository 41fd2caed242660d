// The reference scene is written in the programme format itself, so it exercises the parser as
// well as every element type, both fill rules, strokes, easings, placeholders, line breaking,
// ellipsis, Welsh diacritics and bilinear image scaling.
#include "graphics/graphics_reference.h"

#include "graphics/draw.h"
#include "graphics/graphic.h"
#include "raster/sha256.h"

namespace tessera {

namespace {

constexpr const char* kNameStrap = R"({
  "width": 700, "height": 100,
  "elements": [
    { "type": "rect", "id": "bar", "x": 0, "y": 10, "width": 520, "height": 80, "radius": 12,
      "fill": "#1d3557e6", "stroke": "#f1faee", "strokeWidth": 2,
      "keyframes": [ { "at": 0, "x": -540, "easing": "ease-out" }, { "at": 0.6, "x": 0 } ] },
    { "type": "rect", "id": "accent", "x": 0, "y": 10, "width": 10, "height": 80, "fill": "#e63946",
      "keyframes": [ { "at": 0, "x": -540, "easing": "ease-out" }, { "at": 0.6, "x": 0 } ] },
    { "type": "text", "id": "name", "x": 28, "y": 16, "width": 470, "text": "{guestName}", "font": "ui-font",
      "size": 34, "fill": "#ffffff", "maxLines": 1,
      "keyframes": [ { "at": 0.1, "x": -540, "easing": "ease-in-out" }, { "at": 0.7, "x": 0 } ] },
    { "type": "text", "id": "role", "x": 28, "y": 56, "width": 470, "text": "Cyflwynydd · Tessera {{demo}}",
      "font": "ui-font", "size": 20, "fill": "#f1faeecc",
      "keyframes": [ { "at": 0.3, "opacity": 0 }, { "at": 0.9, "opacity": 1 } ] }
  ]
})";

constexpr const char* kDataCard = R"({
  "width": 400, "height": 300,
  "elements": [
    { "type": "rect", "x": 4, "y": 4, "width": 392, "height": 292, "radius": 24, "fill": "#f1faeef0",
      "stroke": "#457b9d", "strokeWidth": 3 },
    { "type": "text", "x": 24, "y": 20, "width": 352, "text": "Hello, {viewerName}!", "font": "ui-font", "size": 28,
      "fill": "#1d3557", "align": "centre" },
    { "type": "text", "x": 24, "y": 64, "width": 200, "font": "ui-font", "size": 15, "fill": "#1d3557",
      "lineHeight": 1.3, "maxLines": 4, "align": "left",
      "text": "Croeso! Mae'r ŵyl yn dechrau heddiw, a bydd y tywydd yn braf drwy'r dydd — well-known forecasters say so, and the rest is cut." },
    { "type": "text", "x": 24, "y": 250, "width": 352, "text": "{missing}42 km/h", "font": "ui-font", "size": 18,
      "fill": "#e63946", "align": "right" },
    { "type": "rect", "x": 250, "y": 180, "width": 24, "height": 60, "fill": "#457b9d" },
    { "type": "rect", "x": 284, "y": 140, "width": 24, "height": 100, "fill": "#457b9d",
      "anchor": { "x": 0.5, "y": 1 }, "keyframes": [ { "at": 0, "scale": 0, "easing": [0.2, 0.8, 0.3, 1.2] }, { "at": 2, "scale": 1 } ] },
    { "type": "rect", "x": 318, "y": 100.5, "width": 24.25, "height": 139.5, "fill": "#e63946b0" },
    { "type": "path", "d": "M 240 120 L 262 100 Q 290 60 318 90 T 372 70", "stroke": "#1d3557", "strokeWidth": 3 }
  ]
})";

constexpr const char* kLogoBug = R"({
  "width": 100, "height": 100,
  "elements": [
    { "type": "path", "d": "M50 4 C75.4 4 96 24.6 96 50 S75.4 96 50 96 4 75.4 4 50 24.6 4 50 4 Z",
      "fill": "#1d3557", "stroke": "#f1faee", "strokeWidth": 3,
      "keyframes": [ { "at": 0, "scale": 0.6, "opacity": 0, "easing": "ease-in-out" }, { "at": 0.5, "scale": 1, "opacity": 1 } ] },
    { "type": "path", "d": "M50 14 L71.2 79.1 15.8 38.9 84.2 38.9 28.8 79.1 Z", "fill": "#e6394680", "fillRule": "evenodd" },
    { "type": "path", "d": "m50 30 l14 43 -36 -27 44 0 -36 27 z", "fill": "#f1faee", "fillRule": "nonzero", "opacity": 0.5 },
    { "type": "image", "asset": "swatch", "x": 30, "y": 62, "width": 40, "height": 24, "fit": "contain" },
    { "type": "image", "asset": "swatch", "x": 8, "y": 8, "width": 20, "height": 12, "fit": "cover",
      "keyframes": [ { "at": 0, "y": 30, "easing": "step" }, { "at": 0.2, "y": 0 } ] }
  ]
})";

// An 8×8 swatch with translucent pixels (premultiplied), scaled up bilinearly in the scene.
Surface make_swatch() {
  Surface s(8, 8);
  uint8_t* p = s.data();
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x, p += 4) {
      const uint32_t a = x == 7 ? 128 : 255;
      p[0] = static_cast<uint8_t>(div255(static_cast<uint32_t>(x * 36) * a));
      p[1] = static_cast<uint8_t>(div255(static_cast<uint32_t>(y * 36) * a));
      p[2] = static_cast<uint8_t>(div255(static_cast<uint32_t>((x + y) % 2 ? 220 : 40) * a));
      p[3] = static_cast<uint8_t>(a);
    }
  return s;
}

Graphic parse(const char* text) {
  return parse_graphic(nlohmann::ordered_json::parse(text, nullptr, false), "").graphic;
}

}  // namespace

Surface render_graphics_reference(const Font& font) {
  Surface out(kGraphicsReferenceWidth, kGraphicsReferenceHeight);
  out.clear({40, 44, 52, 255});
  out.fill_horizontal_ramp(0, 300, 640, 60, 40, 200);
  const Surface swatch = make_swatch();
  GraphicContext ctx;
  ctx.fonts["ui-font"] = &font;
  ctx.images["swatch"] = &swatch;
  ctx.variables["viewerName"] = "Siân";
  ctx.variables["guestName"] = "Gwenllian ap Ŵyn-Ŷr";
  draw_graphic(out, parse(kNameStrap), {20, 250, 420, 100}, 0.45, ctx);
  draw_graphic(out, parse(kDataCard), {400, 20, 220, 240}, 1.0, ctx);
  draw_graphic(out, parse(kLogoBug), {24, 24, 96, 96}, 0.3, ctx);
  ctx.opacity = 0.5;  // a placement fade
  draw_graphic(out, parse(kLogoBug), {140, 40, 64, 64}, 2.0, ctx);
  return out;
}

std::string graphics_reference_sha256(const Font& font) {
  const Surface frame = render_graphics_reference(font);
  return sha256_hex(frame.data(), frame.byte_size());
}

}  // namespace tessera
