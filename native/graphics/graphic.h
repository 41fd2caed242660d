// Graphics drawn by the engine (docs/programme-format.md, "Graphics"): the model of a `graphic`
// asset — a design canvas and an ordered list of rect, path, image and text elements with
// keyframed animation — and its parser/validator. The JSON is untrusted: every list and string
// is bounded (GraphicLimits) and every problem is a diagnostic with a JSON pointer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "graphics/animation.h"
#include "graphics/path.h"
#include "graphics/rasterizer.h"
#include "programme/diagnostics.h"
#include "raster/surface.h"
#include "text/font.h"

namespace tessera {

struct GraphicLimits {
  static constexpr size_t kMaxElements = 256;
  static constexpr size_t kMaxPathData = 65536;         // characters of one path's data
  static constexpr size_t kMaxPathCommands = 4096;      // per path
  static constexpr size_t kMaxTotalPathCommands = 16384;  // per graphic
  static constexpr size_t kMaxTextCodepoints = 1000;    // per text, before substitution
  static constexpr size_t kMaxSubstitutedCodepoints = 4000;
  static constexpr size_t kMaxKeyframes = 32;           // per element
  static constexpr double kMaxCoordinate = 100000;      // design units, any coordinate or size
  static constexpr int kMaxLines = 50;
};

enum class GraphicElementType { Rect, Path, Image, Text };
enum class ImageFit { Contain, Cover };

// A piece of a text template: literal text, or the name of a variable to substitute.
struct TextSegment {
  std::string text;
  bool variable = false;
};

struct GraphicElement {
  GraphicElementType type = GraphicElementType::Rect;
  std::string id;       // optional, for producers' tools
  std::string pointer;  // JSON pointer of the element

  // rect, image, text: the box in design units (text: x, y, width; its height follows the lines)
  double x = 0, y = 0, width = 0, height = 0;
  double radius = 0;  // rect corners

  // rect, path: paints; text: fill is the text colour
  std::optional<Rgba> fill, stroke;
  double stroke_width = 1;

  Path path;  // path, in design units
  FillRule fill_rule = FillRule::NonZero;
  PointD path_min, path_max;  // bounds of the path's points (for the anchor)

  std::string asset;  // image: image asset id
  ImageFit fit = ImageFit::Contain;

  std::vector<TextSegment> text;  // text: the template, placeholders split out
  std::string font;               // text: font asset id
  double size = 32;               // text: CSS-style font size in design units
  double line_height = 1.2;       // text: multiple of size
  TextAlign align = TextAlign::Left;
  int max_lines = 0;              // text: 0 = no limit

  double opacity = 1;
  double anchor_x = 0.5, anchor_y = 0.5;  // fraction of the element's bounds; scaling is about it
  std::vector<Keyframe> keyframes;        // in time order
};

struct Graphic {
  double width = 0, height = 0;  // the design canvas
  std::vector<GraphicElement> elements;  // drawn in order: later elements are on top
};

// What a graphic refers to outside itself, for the programme validator's cross-reference checks.
struct GraphicAssetReference {
  std::string asset;
  std::string kind;  // "font" or "image": the asset type expected
  std::string pointer;
};
struct GraphicVariableReference {
  std::string name;
  std::string pointer;
};

struct GraphicParseResult {
  bool ok = false;  // no errors (warnings allowed)
  Graphic graphic;
  Diagnostics diagnostics;
  std::vector<GraphicAssetReference> assets;
  std::vector<GraphicVariableReference> variables;
};

// Parses and validates a `graphic` object; `pointer` is its JSON pointer in the programme
// (e.g. "/assets/name-strap/graphic"), prefixed to every diagnostic.
GraphicParseResult parse_graphic(const nlohmann::ordered_json& json, const std::string& pointer);

// "#rrggbb" or "#rrggbbaa" (either case) → colour; nullopt otherwise.
std::optional<Rgba> parse_colour(const std::string& text);

// Splits "Hello, {viewerName}" into segments. "{{" and "}}" are literal braces. Returns false with
// a message for an unclosed or empty placeholder or a name that is not [A-Za-z_][A-Za-z0-9_]*.
bool parse_text_template(const std::string& text, std::vector<TextSegment>* out, std::string* error);

}  // namespace tessera
