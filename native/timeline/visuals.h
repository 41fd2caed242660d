// What is on screen at one moment of a plan: the visual objects (video, image, graphic) active
// at time t, back to front, each with the media time to show and its opacity after fades and
// transitions, plus a dip-to-colour veil when one is running. Pure data from the plan: the
// compositor draws it, the host fetches the video frames it names.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "narrative/plan.h"

namespace tessera {

struct VisualItem {
  const PlanObject* object = nullptr;
  double local_time = 0;  // seconds since the object started
  double media_time = 0;  // seconds into the asset's media (its trim-in plus local_time)
  uint8_t opacity = 255;  // fades and crossfades applied
};

struct Veil {  // a dip to colour drawn over everything
  uint8_t r = 0, g = 0, b = 0;
  uint8_t opacity = 0;
};

struct Visuals {
  std::vector<VisualItem> items;  // drawing order: back to front
  std::optional<Veil> veil;
};

// Opacity 0..1 → 0..255, rounded (half up), clamped.
uint8_t opacity_byte(double alpha);

Visuals visuals_at(const PlanState& plan, double t);

// The region of interest of an asset at a media time: linear between its keyframes, the first
// before them and the last after. Nullopt when the asset declares none.
std::optional<RegionOfInterest> region_of_interest_at(const Asset& asset, double media_time);

}  // namespace tessera
