// Drawing a graphic (graphic.h) into a Surface at a moment of its object's life: the design
// canvas is scaled uniformly into the placement's region and centred, elements are drawn in order
// with their keyframed offset, scale and opacity, and nothing is drawn outside the region.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "graphics/graphic.h"
#include "raster/rect.h"
#include "raster/surface.h"
#include "text/font.h"

namespace tessera {

// What a graphic needs from the rest of the engine. Missing fonts or images leave their elements
// undrawn (the validator reports unknown asset ids; a host may still be loading them).
struct GraphicContext {
  std::map<std::string, const Font*, std::less<>> fonts;      // font asset id → loaded font
  std::map<std::string, const Surface*, std::less<>> images;  // image asset id → decoded image (premultiplied)
  std::map<std::string, std::string, std::less<>> variables;  // placeholder name → text shown
  double opacity = 1;  // multiplies every element (placement fades)
};

// Flattened points a single draw_graphic call may produce (curves, rounded corners, strokes);
// an element that would exceed what remains is skipped.
constexpr size_t kMaxGraphicPoints = 500000;

void draw_graphic(Surface& out, const Graphic& graphic, RectI region, double t_seconds, const GraphicContext& ctx);

// The text a text element shows: placeholders replaced by their variables' text (unknown names
// become empty), cut at GraphicLimits::kMaxSubstitutedCodepoints.
std::string substitute_text(const std::vector<TextSegment>& segments,
                            const std::map<std::string, std::string, std::less<>>& variables);

}  // namespace tessera
