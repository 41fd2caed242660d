// Keyframe animation for graphics elements: position offset, scale and opacity over time, with
// CSS-style easing. Cubic-bezier easings are solved by a fixed 48-step bisection, so a time gives
// the same value on every platform.
#pragma once

#include <optional>
#include <vector>

namespace tessera {

struct Easing {
  enum class Kind { Linear, CubicBezier, Step };
  Kind kind = Kind::Linear;
  double x1 = 0, y1 = 0, x2 = 1, y2 = 1;  // CubicBezier control points (CSS cubic-bezier())

  static Easing linear() { return {}; }
  static Easing step() { return {Kind::Step, 0, 0, 1, 1}; }
  static Easing cubic(double x1, double y1, double x2, double y2) { return {Kind::CubicBezier, x1, y1, x2, y2}; }
  // CSS's named curves: ease (0.25, 0.1, 0.25, 1), ease-in (0.42, 0, 1, 1), ease-out (0, 0, 0.58, 1),
  // ease-in-out (0.42, 0, 0.58, 1).
  static Easing ease() { return cubic(0.25, 0.1, 0.25, 1.0); }
  static Easing ease_in() { return cubic(0.42, 0.0, 1.0, 1.0); }
  static Easing ease_out() { return cubic(0.0, 0.0, 0.58, 1.0); }
  static Easing ease_in_out() { return cubic(0.42, 0.0, 0.58, 1.0); }
};

// Eased progress for u in [0, 1] (clamped). Step holds 0 until u reaches 1.
double ease(const Easing& easing, double u);

// A keyframe sets any of the animated properties at a time (seconds from the object's start).
// Its easing shapes the way from this keyframe to the next one that sets the same property.
struct Keyframe {
  double at = 0;
  std::optional<double> x, y, scale, opacity;
  Easing easing;
};

struct AnimatedValues {
  double x = 0, y = 0;  // offset in design units
  double scale = 1;     // about the element's anchor
  double opacity = 1;
};

// Each property interpolates between the keyframes that set it (in time order); before the first
// it holds the first value, after the last the last value; a property no keyframe sets keeps its
// default (0, 0, 1, 1).
AnimatedValues evaluate_keyframes(const std::vector<Keyframe>& keyframes, double t);

}  // namespace tessera
