// Easing and keyframe interpolation (see animation.h).
#include "graphics/animation.h"

#include <algorithm>
#include <cmath>

namespace tessera {

namespace {
// One coordinate of a cubic Bézier from (0,0) to (1,1) with control values a and b.
double bezier(double a, double b, double t) {
  const double mt = 1 - t;
  return 3 * mt * mt * t * a + 3 * mt * t * t * b + t * t * t;
}
}  // namespace

double ease(const Easing& easing, double u) {
  if (!(u > 0)) return 0;  // NaN too
  if (u >= 1) return 1;
  switch (easing.kind) {
    case Easing::Kind::Linear: return u;
    case Easing::Kind::Step: return 0;
    case Easing::Kind::CubicBezier: {
      // x(t) is monotonic for x1, x2 in [0, 1]: bisect for x(t) = u, then read y(t).
      double lo = 0, hi = 1;
      for (int i = 0; i < 48; ++i) {
        const double mid = (lo + hi) * 0.5;
        if (bezier(easing.x1, easing.x2, mid) < u) lo = mid;
        else hi = mid;
      }
      return bezier(easing.y1, easing.y2, (lo + hi) * 0.5);
    }
  }
  return u;
}

namespace {
template <typename Get>
double track(const std::vector<Keyframe>& keyframes, double t, double fallback, Get get) {
  const Keyframe* before = nullptr;
  for (const Keyframe& k : keyframes) {
    const std::optional<double>& v = get(k);
    if (!v) continue;
    if (k.at <= t) { before = &k; continue; }
    if (!before) return *v;  // t is before the first keyframe that sets the property
    const double span = k.at - before->at;
    const double e = ease(before->easing, span > 0 ? (t - before->at) / span : 1.0);
    const double a = *get(*before), b = *v;
    return a + (b - a) * e;
  }
  return before ? *get(*before) : fallback;
}
}  // namespace

AnimatedValues evaluate_keyframes(const std::vector<Keyframe>& keyframes, double t) {
  AnimatedValues v;
  if (keyframes.empty()) return v;
  v.x = track(keyframes, t, 0.0, [](const Keyframe& k) -> const std::optional<double>& { return k.x; });
  v.y = track(keyframes, t, 0.0, [](const Keyframe& k) -> const std::optional<double>& { return k.y; });
  v.scale = track(keyframes, t, 1.0, [](const Keyframe& k) -> const std::optional<double>& { return k.scale; });
  v.opacity = track(keyframes, t, 1.0, [](const Keyframe& k) -> const std::optional<double>& { return k.opacity; });
  v.opacity = std::clamp(v.opacity, 0.0, 1.0);  // overshooting easings must not over-expose
  v.scale = std::max(v.scale, 0.0);
  return v;
}

}  // namespace tessera
