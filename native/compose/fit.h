// Fitting a source picture into a layout region: which part of the source to show (a possibly
// fractional crop) and where it lands (an integer pixel rectangle inside the region).
#pragma once

#include "compose/scale.h"

namespace tessera {

enum class FitMode : uint8_t {
  Cover,    // fill the region; crop the source to the region's aspect ratio, centred
  Contain,  // show the whole source; letterbox (or pillarbox) it centred inside the region
  Roi,      // fill the region like Cover, but centre the crop on a region of interest
};

// A rectangle in fractions of the source's width and height (0..1).
struct NormalisedRect {
  double x = 0, y = 0, width = 1, height = 1;
};

struct Fit {
  RectF source;  // crop of the source, in source pixels
  RectI dest;    // where it is drawn; empty when there is nothing to draw
};

// Roi: the crop is as large as Cover's (the largest with the region's aspect ratio), centred on
// the ROI's centre, then moved the least needed to lie inside the source. So an ROI that fits in
// the crop is always entirely visible, and one near an edge stays in view with the crop against
// that edge (e.g. a 16:9 shot reframed for a 9:16 phone region around a speaker near the left).
Fit fit_source(int src_width, int src_height, RectI region, FitMode mode, NormalisedRect roi = {});

}  // namespace tessera
