#include "timeline/visuals.h"

#include <algorithm>

namespace tessera {

namespace {

bool is_visual(const Asset* a) {
  return a && (a->type == AssetType::Video || a->type == AssetType::Image || a->type == AssetType::Graphic);
}

// 0..1 over [from, from + length], 1 after; length 0 means already 1.
double ramp_up(double t, double from, double length) {
  if (length <= 0) return 1;
  return std::clamp((t - from) / length, 0.0, 1.0);
}

}  // namespace

uint8_t opacity_byte(double alpha) {
  const double scaled = std::clamp(alpha, 0.0, 1.0) * 255.0 + 0.5;
  return static_cast<uint8_t>(scaled >= 255.0 ? 255 : static_cast<int>(scaled));
}

Visuals visuals_at(const PlanState& plan, double t) {
  Visuals out;
  struct Keyed {
    VisualItem item;
    bool incoming;  // part of a scene crossfading in: drawn over the scene going out
    int layer;
    uint32_t order;
  };
  std::vector<Keyed> keyed;
  for (uint32_t i = 0; i < plan.objects.size(); ++i) {
    const PlanObject& o = plan.objects[i];
    if (o.start > t) break;  // objects are sorted by start
    if (t >= o.end || !is_visual(o.asset)) continue;
    const Placement& pl = *o.placement;
    const PlanVisit& v = plan.visits[o.visit];
    double alpha = 1;
    if (pl.fade_in > 0) alpha *= ramp_up(t, o.start, pl.fade_in);
    if (pl.fade_out > 0) alpha *= 1 - ramp_up(t, o.end - pl.fade_out, pl.fade_out);
    const bool incoming = v.overlap > 0 && t < v.start + v.overlap;
    if (incoming) alpha *= ramp_up(t, v.start, v.overlap);
    VisualItem item;
    item.object = &o;
    item.local_time = t - o.start;
    item.media_time = (o.asset ? o.asset->trim_in : 0.0) + item.local_time;
    item.opacity = opacity_byte(alpha);
    if (item.opacity == 0) continue;
    keyed.push_back({item, incoming, pl.layer, i});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.incoming != b.incoming) return !a.incoming;
    if (a.layer != b.layer) return a.layer < b.layer;
    return a.order < b.order;
  });
  out.items.reserve(keyed.size());
  for (const Keyed& k : keyed) out.items.push_back(k.item);

  // A dip: out to the colour over the first half before the scene starts, in from it after.
  for (const PlanVisit& v : plan.visits) {
    if (v.dropped) continue;
    const Transition& tr = v.scene->transition;
    if (tr.kind != TransitionKind::Dip) continue;
    const double half = tr.duration / 2;
    if (t < v.start - half || t >= v.start + half) continue;
    const double alpha = t < v.start ? ramp_up(t, v.start - half, half) : 1 - ramp_up(t, v.start, half);
    out.veil = Veil{tr.r, tr.g, tr.b, opacity_byte(alpha)};
  }
  return out;
}

std::optional<RegionOfInterest> region_of_interest_at(const Asset& asset, double media_time) {
  const auto& rois = asset.regions_of_interest;
  if (rois.empty()) return std::nullopt;
  if (media_time <= rois.front().at) return rois.front();
  for (size_t i = 1; i < rois.size(); ++i) {
    if (media_time >= rois[i].at) continue;
    const RegionOfInterest& a = rois[i - 1];
    const RegionOfInterest& b = rois[i];
    const double span = b.at - a.at;
    const double f = span > 0 ? (media_time - a.at) / span : 1;
    RegionOfInterest r;
    r.at = media_time;
    r.x = a.x + (b.x - a.x) * f;
    r.y = a.y + (b.y - a.y) * f;
    r.width = a.width + (b.width - a.width) * f;
    r.height = a.height + (b.height - a.height) * f;
    return r;
  }
  return rois.back();
}

}  // namespace tessera
