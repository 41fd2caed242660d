// fit_source (see fit.h). Destination sizes are rounded in integer arithmetic; crops are doubles
// made of + - * / only, so they are the same on every platform.
#include "compose/fit.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tessera {

Fit fit_source(int src_width, int src_height, RectI region, FitMode mode, NormalisedRect roi) {
  Fit fit;
  if (src_width <= 0 || src_height <= 0 || region.width <= 0 || region.height <= 0) return fit;
  const int64_t sw = src_width, sh = src_height, rw = region.width, rh = region.height;
  const bool source_wider = sw * rh > rw * sh;  // than the region
  if (mode == FitMode::Contain) {
    fit.source = {0, 0, static_cast<double>(sw), static_cast<double>(sh)};
    int64_t dw = rw, dh = rh;
    if (source_wider) {
      dh = std::clamp<int64_t>((2 * rw * sh + sw) / (2 * sw), 1, rh);  // round(rw * sh / sw)
    } else {
      dw = std::clamp<int64_t>((2 * rh * sw + sh) / (2 * sh), 1, rw);
    }
    fit.dest = {region.x + static_cast<int>((rw - dw) / 2), region.y + static_cast<int>((rh - dh) / 2),
                static_cast<int>(dw), static_cast<int>(dh)};
    return fit;
  }
  // Cover and Roi: the largest crop with the region's aspect ratio.
  double cw = static_cast<double>(sw), ch = static_cast<double>(sh);
  if (source_wider) {
    cw = static_cast<double>(sh * rw) / static_cast<double>(rh);
  } else {
    ch = static_cast<double>(sw * rh) / static_cast<double>(rw);
  }
  double cx = (static_cast<double>(sw) - cw) / 2, cy = (static_cast<double>(sh) - ch) / 2;
  if (mode == FitMode::Roi) {
    double centre_x = (roi.x + roi.width / 2) * static_cast<double>(sw);
    double centre_y = (roi.y + roi.height / 2) * static_cast<double>(sh);
    if (!std::isfinite(centre_x)) centre_x = static_cast<double>(sw) / 2;
    if (!std::isfinite(centre_y)) centre_y = static_cast<double>(sh) / 2;
    cx = std::clamp(centre_x - cw / 2, 0.0, static_cast<double>(sw) - cw);
    cy = std::clamp(centre_y - ch / 2, 0.0, static_cast<double>(sh) - ch);
  }
  fit.source = {cx, cy, cw, ch};
  fit.dest = region;
  return fit;
}

}  // namespace tessera
