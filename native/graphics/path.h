// Vector paths for graphics: SVG-like path data, rounded rectangles and circles, flattening of
// curves into polygons with a fixed subdivision rule, and stroke outlines. Only + - * / and sqrt
// on doubles are used, so the same input gives the same polygons on every platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera {

struct PointD {
  double x = 0, y = 0;
};

enum class PathVerb : uint8_t { Move, Line, Quad, Cubic, Close };

// Absolute coordinates. Move/Line: p[0]. Quad: control p[0], end p[1]. Cubic: p[0], p[1], end p[2].
struct PathCommand {
  PathVerb verb = PathVerb::Move;
  PointD p[3];
};

struct Path {
  std::vector<PathCommand> commands;

  void move_to(PointD p) { commands.push_back({PathVerb::Move, {p, {}, {}}}); }
  void line_to(PointD p) { commands.push_back({PathVerb::Line, {p, {}, {}}}); }
  void quad_to(PointD c, PointD p) { commands.push_back({PathVerb::Quad, {c, p, {}}}); }
  void cubic_to(PointD c1, PointD c2, PointD p) { commands.push_back({PathVerb::Cubic, {c1, c2, p}}); }
  void close() { commands.push_back({PathVerb::Close, {}}); }
  // Bounds of every point, control points included; false for an empty path.
  bool bounds(PointD* min, PointD* max) const;
};

// Parses SVG path data: M L H V C S Q T Z, absolute (upper case) and relative (lower case), with
// implicit repetition. Arcs (A) are refused. Returns false with a message naming the offset of
// the problem; `max_commands` bounds the output.
bool parse_path_data(std::string_view data, size_t max_commands, Path* out, std::string* error);

// A rectangle whose corners are quarter circles of radius r (clamped to half the shorter side),
// drawn clockwise on screen from the top edge. r = 0 gives four straight sides.
Path rounded_rect_path(double x, double y, double width, double height, double radius);
// A circle as four cubic arcs.
Path circle_path(double cx, double cy, double radius);

// Device space = translate + uniform scale of design space (graphics never rotate).
struct Transform {
  double tx = 0, ty = 0, scale = 1;
  PointD apply(PointD p) const { return {tx + p.x * scale, ty + p.y * scale}; }
};

struct Polyline {
  std::vector<PointD> points;
  bool closed = false;
};

// Curves are cut into n equal parameter steps, n = ceil(sqrt(k · second difference / tolerance))
// in device pixels (k = 1/4 for quadratics, 3/4 for cubics: the chord error bound), 1 ≤ n ≤ 64.
constexpr double kFlattenTolerance = 0.1;  // device pixels

// Flattens a path into device-space polylines (one per subpath). Stops adding points once
// `*budget` points have been produced in total and returns false (the caller skips the element).
bool flatten_path(const Path& path, const Transform& transform, size_t* budget, std::vector<Polyline>* out);

// The outline of a stroke of the given width (device pixels) along the polylines, with round
// joins and round caps, as polygons that are all wound the same way: fill them non-zero.
bool stroke_outline(const std::vector<Polyline>& lines, double width, size_t* budget, std::vector<Polyline>* out);

// Twice the signed area (shoelace); positive = clockwise on screen (y down).
double signed_area2(const std::vector<PointD>& points);

}  // namespace tessera
