// Path data parsing, curve flattening and stroke outlines (see path.h).
#include "graphics/path.h"

#include <algorithm>
#include <cmath>

namespace tessera {

bool Path::bounds(PointD* min, PointD* max) const {
  bool any = false;
  auto add = [&](PointD p) {
    if (!any) { *min = *max = p; any = true; return; }
    min->x = std::min(min->x, p.x);
    min->y = std::min(min->y, p.y);
    max->x = std::max(max->x, p.x);
    max->y = std::max(max->y, p.y);
  };
  for (const PathCommand& c : commands) {
    const int points = c.verb == PathVerb::Close ? 0 : c.verb == PathVerb::Quad ? 2 : c.verb == PathVerb::Cubic ? 3 : 1;
    for (int i = 0; i < points; ++i) add(c.p[i]);
  }
  return any;
}

// ---- path data --------------------------------------------------------------------------------

namespace {

class PathDataReader {
 public:
  explicit PathDataReader(std::string_view d) : d_(d) {}

  void skip_separators() {
    while (i_ < d_.size() && (d_[i_] == ' ' || d_[i_] == '\t' || d_[i_] == '\n' || d_[i_] == '\r' || d_[i_] == '\f' || d_[i_] == ','))
      ++i_;
  }
  bool at_end() const { return i_ >= d_.size(); }
  char peek() const { return d_[i_]; }
  void advance() { ++i_; }
  size_t offset() const { return i_; }
  bool at_number() const {
    if (i_ >= d_.size()) return false;
    const char c = d_[i_];
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
  }

  // An SVG number: sign, digits, optional fraction, optional exponent. The value is computed from
  // an integer mantissa and an exact power of ten (correctly rounded for up to 15 significant
  // digits), never with the C library, so locale and libm cannot change it.
  bool number(double* out) {
    skip_separators();
    size_t p = i_;
    bool negative = false;
    if (p < d_.size() && (d_[p] == '-' || d_[p] == '+')) negative = d_[p++] == '-';
    uint64_t mantissa = 0;
    int digits = 0, exponent = 0;
    bool any = false;
    for (; p < d_.size() && d_[p] >= '0' && d_[p] <= '9'; ++p, any = true) {
      if (digits < 18) { mantissa = mantissa * 10 + static_cast<uint64_t>(d_[p] - '0'); if (mantissa) ++digits; }
      else ++exponent;
    }
    if (p < d_.size() && d_[p] == '.') {
      ++p;
      for (; p < d_.size() && d_[p] >= '0' && d_[p] <= '9'; ++p, any = true) {
        if (digits < 18) { mantissa = mantissa * 10 + static_cast<uint64_t>(d_[p] - '0'); if (mantissa) ++digits; --exponent; }
      }
    }
    if (!any) return false;
    if (p < d_.size() && (d_[p] == 'e' || d_[p] == 'E')) {
      size_t q = p + 1;
      bool neg_exp = false;
      if (q < d_.size() && (d_[q] == '-' || d_[q] == '+')) neg_exp = d_[q++] == '-';
      if (q >= d_.size() || d_[q] < '0' || d_[q] > '9') return false;
      int e = 0;
      for (; q < d_.size() && d_[q] >= '0' && d_[q] <= '9'; ++q) e = std::min(e * 10 + (d_[q] - '0'), 10000);
      exponent += neg_exp ? -e : e;
      p = q;
    }
    i_ = p;
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double v = static_cast<double>(mantissa);
    if (mantissa == 0) exponent = 0;
    while (exponent > 22 && v < 1e300) { v *= 1e22; exponent -= 22; }
    while (exponent < -22 && v > 0) { v /= 1e22; exponent += 22; }
    if (exponent > 22) exponent = 22;
    if (exponent < -22) exponent = -22;
    v = exponent >= 0 ? v * kPow10[exponent] : v / kPow10[-exponent];
    *out = negative ? -v : v;
    return true;
  }

 private:
  std::string_view d_;
  size_t i_ = 0;
};

int arguments_of(char command) {
  switch (command) {
    case 'M': case 'm': case 'L': case 'l': case 'T': case 't': return 2;
    case 'H': case 'h': case 'V': case 'v': return 1;
    case 'C': case 'c': return 6;
    case 'S': case 's': case 'Q': case 'q': return 4;
    case 'Z': case 'z': return 0;
    default: return -1;
  }
}

}  // namespace

bool parse_path_data(std::string_view data, size_t max_commands, Path* out, std::string* error) {
  out->commands.clear();
  PathDataReader r(data);
  PointD current, start, last_control;
  char previous = 0;  // the previous command (upper case), for S/T reflection
  char command = 0;
  auto fail = [&](const std::string& message) {
    *error = "path data at offset " + std::to_string(r.offset()) + ": " + message;
    out->commands.clear();
    return false;
  };
  r.skip_separators();
  if (r.at_end()) return fail("empty");
  while (true) {
    r.skip_separators();
    if (r.at_end()) break;
    const char c = r.peek();
    if (arguments_of(c) >= 0) {
      command = c;
      r.advance();
    } else if (c == 'A' || c == 'a') {
      return fail("arcs (A) are not supported; draw them with cubic curves (C)");
    } else if (!r.at_number() || command == 0 || command == 'Z' || command == 'z') {
      return fail(command == 0 ? "must start with a move (M)" : std::string("unexpected '") + c + "'");
    }
    if (out->commands.empty() && command != 'M' && command != 'm') return fail("must start with a move (M)");
    const bool relative = command >= 'a';
    const char upper = static_cast<char>(relative ? command - 32 : command);
    double a[6] = {};
    for (int k = 0; k < arguments_of(command); ++k)
      if (!r.number(&a[k])) return fail(std::string("expected a number for '") + command + "'");
    for (double v : a)
      if (!(std::fabs(v) <= 1.0e6)) return fail("coordinate out of range (at most 1e6)");
    if (out->commands.size() >= max_commands) return fail("more than " + std::to_string(max_commands) + " commands");
    const PointD base = relative ? current : PointD{};
    auto pt = [&](int k) { return PointD{base.x + a[k], base.y + a[k + 1]}; };
    switch (upper) {
      case 'M':
        current = start = pt(0);
        out->move_to(current);
        command = relative ? 'l' : 'L';  // further pairs are lines
        break;
      case 'L': current = pt(0); out->line_to(current); break;
      case 'H': current = {relative ? current.x + a[0] : a[0], current.y}; out->line_to(current); break;
      case 'V': current = {current.x, relative ? current.y + a[0] : a[0]}; out->line_to(current); break;
      case 'C':
        last_control = pt(2);
        out->cubic_to(pt(0), last_control, pt(4));
        current = pt(4);
        break;
      case 'S': {
        const PointD c1 = previous == 'C' || previous == 'S'
                              ? PointD{2 * current.x - last_control.x, 2 * current.y - last_control.y}
                              : current;
        last_control = pt(0);
        out->cubic_to(c1, last_control, pt(2));
        current = pt(2);
        break;
      }
      case 'Q':
        last_control = pt(0);
        out->quad_to(last_control, pt(2));
        current = pt(2);
        break;
      case 'T': {
        last_control = previous == 'Q' || previous == 'T'
                           ? PointD{2 * current.x - last_control.x, 2 * current.y - last_control.y}
                           : current;
        current = pt(0);
        out->quad_to(last_control, current);
        break;
      }
      case 'Z':
        out->close();
        current = start;
        break;
      default: break;
    }
    previous = upper;
    if (upper == 'Z') {
      r.skip_separators();
      if (!r.at_end() && r.at_number()) return fail("numbers after Z");
    }
  }
  return true;
}

Path rounded_rect_path(double x, double y, double width, double height, double radius) {
  Path p;
  const double r = std::clamp(radius, 0.0, std::min(width, height) * 0.5);
  const double x1 = x + width, y1 = y + height;
  if (!(r > 0)) {
    p.move_to({x, y});
    p.line_to({x1, y});
    p.line_to({x1, y1});
    p.line_to({x, y1});
    p.close();
    return p;
  }
  // 0.5522847498… = 4/3 (√2 − 1): the control distance that makes a cubic closest to a quarter circle.
  const double k = r * 0.55228474983079339840;
  p.move_to({x + r, y});
  p.line_to({x1 - r, y});
  p.cubic_to({x1 - r + k, y}, {x1, y + r - k}, {x1, y + r});
  p.line_to({x1, y1 - r});
  p.cubic_to({x1, y1 - r + k}, {x1 - r + k, y1}, {x1 - r, y1});
  p.line_to({x + r, y1});
  p.cubic_to({x + r - k, y1}, {x, y1 - r + k}, {x, y1 - r});
  p.line_to({x, y + r});
  p.cubic_to({x, y + r - k}, {x + r - k, y}, {x + r, y});
  p.close();
  return p;
}

Path circle_path(double cx, double cy, double radius) {
  return rounded_rect_path(cx - radius, cy - radius, 2 * radius, 2 * radius, radius);
}

double signed_area2(const std::vector<PointD>& points) {
  double sum = 0;
  for (size_t i = 0, n = points.size(); i < n; ++i) {
    const PointD& a = points[i];
    const PointD& b = points[(i + 1) % n];
    sum += a.x * b.y - b.x * a.y;
  }
  return sum;
}

// ---- flattening -------------------------------------------------------------------------------

namespace {

double length(double x, double y) { return std::sqrt(x * x + y * y); }

int segments_for(double second_difference, double k) {
  const double n = std::ceil(std::sqrt(k * second_difference / kFlattenTolerance));
  if (!(n >= 1)) return 1;  // also NaN
  return n > 64 ? 64 : static_cast<int>(n);
}

class Flattener {
 public:
  Flattener(size_t* budget, std::vector<Polyline>* out) : budget_(budget), out_(out) {}

  bool move(PointD p) {
    finish();
    current_.points.clear();
    current_.closed = false;
    return add(p);
  }
  bool add(PointD p) {
    if (*budget_ == 0) return false;
    --*budget_;
    current_.points.push_back(p);
    return true;
  }
  bool quad(PointD p1, PointD p2) {
    const PointD p0 = current_.points.back();
    const int n = segments_for(length(p0.x - 2 * p1.x + p2.x, p0.y - 2 * p1.y + p2.y), 0.25);
    for (int i = 1; i < n; ++i) {
      const double t = static_cast<double>(i) / n, mt = 1 - t;
      const double a = mt * mt, b = 2 * mt * t, c = t * t;
      if (!add({a * p0.x + b * p1.x + c * p2.x, a * p0.y + b * p1.y + c * p2.y})) return false;
    }
    return add(p2);
  }
  bool cubic(PointD p1, PointD p2, PointD p3) {
    const PointD p0 = current_.points.back();
    const double dd = std::max(length(p0.x - 2 * p1.x + p2.x, p0.y - 2 * p1.y + p2.y),
                               length(p1.x - 2 * p2.x + p3.x, p1.y - 2 * p2.y + p3.y));
    const int n = segments_for(dd, 0.75);
    for (int i = 1; i < n; ++i) {
      const double t = static_cast<double>(i) / n, mt = 1 - t;
      const double a = mt * mt * mt, b = 3 * mt * mt * t, c = 3 * mt * t * t, d = t * t * t;
      if (!add({a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y})) return false;
    }
    return add(p3);
  }
  // Ends the subpath as closed (a lone point too: "M p Z" strokes as a dot). Drawing that follows
  // without a move starts a new subpath at the closed one's start.
  void close() {
    current_.closed = true;
    const PointD start = current_.points.front();
    out_->push_back(current_);
    current_.points.assign(1, start);
    current_.closed = false;
  }
  // Flushes an open subpath; a lone point (a bare move) draws nothing.
  void finish() {
    if (current_.points.size() >= 2) out_->push_back(current_);
    current_.points.clear();
  }
  bool has_point() const { return !current_.points.empty(); }

 private:
  size_t* budget_;
  std::vector<Polyline>* out_;
  Polyline current_;
};

}  // namespace

bool flatten_path(const Path& path, const Transform& transform, size_t* budget, std::vector<Polyline>* out) {
  Flattener f(budget, out);
  for (const PathCommand& c : path.commands) {
    bool ok = true;
    switch (c.verb) {
      case PathVerb::Move: ok = f.move(transform.apply(c.p[0])); break;
      case PathVerb::Line: ok = f.has_point() && f.add(transform.apply(c.p[0])); break;
      case PathVerb::Quad: ok = f.has_point() && f.quad(transform.apply(c.p[0]), transform.apply(c.p[1])); break;
      case PathVerb::Cubic:
        ok = f.has_point() && f.cubic(transform.apply(c.p[0]), transform.apply(c.p[1]), transform.apply(c.p[2]));
        break;
      case PathVerb::Close:
        if (f.has_point()) f.close();
        break;
    }
    if (!ok) return false;
  }
  f.finish();
  return true;
}

// ---- strokes ----------------------------------------------------------------------------------

namespace {

bool push_polygon(std::vector<PointD> points, size_t* budget, std::vector<Polyline>* out) {
  if (points.size() < 3) return true;
  if (*budget < points.size()) return false;
  *budget -= points.size();
  // Every piece is wound the same way (clockwise on screen) so non-zero filling unites them.
  if (signed_area2(points) < 0) std::reverse(points.begin(), points.end());
  out->push_back({std::move(points), true});
  return true;
}

}  // namespace

namespace {

PointD unit(PointD v) {
  const double len = length(v.x, v.y);
  return {v.x / len, v.y / len};
}

// Appends the arc around c of radius r from unit direction a to unit direction b (at most 90°
// apart), excluding a's point: halved until the sagitta is within the flattening tolerance.
void arc(PointD c, double r, PointD a, PointD b, int depth, std::vector<PointD>& out) {
  const PointD sum{a.x + b.x, a.y + b.y};
  const double half_chord_cos = length(sum.x, sum.y) * 0.5;  // cos of half the angle
  if (depth >= 8 || r * (1 - half_chord_cos) <= kFlattenTolerance) {
    out.push_back({c.x + r * b.x, c.y + r * b.y});
    return;
  }
  const PointD m = unit(sum);
  arc(c, r, a, m, depth + 1, out);
  arc(c, r, m, b, depth + 1, out);
}

// A pie slice of the disc at c from direction a to direction b, through `through` when they are
// opposite: part of the round join or cap, and always inside the stroke.
std::vector<PointD> wedge(PointD c, double r, PointD a, PointD b, PointD through) {
  std::vector<PointD> pts = {c, {c.x + r * a.x, c.y + r * a.y}};
  if (a.x * b.x + a.y * b.y >= 0) {
    arc(c, r, a, b, 0, pts);
  } else {
    const PointD sum{a.x + b.x, a.y + b.y};
    const PointD m = length(sum.x, sum.y) > 1e-9 ? unit(sum) : through;
    arc(c, r, a, m, 0, pts);
    arc(c, r, m, b, 0, pts);
  }
  return pts;
}

}  // namespace

bool stroke_outline(const std::vector<Polyline>& lines, double width, size_t* budget, std::vector<Polyline>* out) {
  const double r = width * 0.5;
  if (!(r > 0)) return true;
  for (const Polyline& line : lines) {
    std::vector<PointD> pts;
    for (const PointD& p : line.points)
      if (pts.empty() || p.x != pts.back().x || p.y != pts.back().y) pts.push_back(p);
    const bool closed = line.closed && pts.size() > 2;
    if (closed && pts.front().x == pts.back().x && pts.front().y == pts.back().y) pts.pop_back();
    if (pts.empty()) continue;
    if (pts.size() == 1) {  // a zero-length subpath: a dot
      std::vector<Polyline> disc;
      if (!flatten_path(circle_path(pts[0].x, pts[0].y, r), Transform{}, budget, &disc)) return false;
      for (Polyline& d : disc)
        if (!push_polygon(std::move(d.points), budget, out)) return false;
      continue;
    }
    const size_t n = pts.size();
    const size_t segments = closed ? n : n - 1;
    std::vector<PointD> dir(segments), normal(segments);
    for (size_t i = 0; i < segments; ++i) {
      const PointD a = pts[i], b = pts[(i + 1) % n];
      dir[i] = unit({b.x - a.x, b.y - a.y});
      normal[i] = {-dir[i].y, dir[i].x};
      const double nx = normal[i].x * r, ny = normal[i].y * r;
      if (!push_polygon({{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}}, budget, out))
        return false;
    }
    // Round joins: the gap opens on the outside of each turn.
    for (size_t v = closed ? 0 : 1; v < (closed ? n : n - 1); ++v) {
      const size_t before = (v + segments - 1) % segments, after = v % segments;
      const PointD u0 = dir[before], u1 = dir[after];
      const double cross = u0.x * u1.y - u0.y * u1.x, dot = u0.x * u1.x + u0.y * u1.y;
      if (cross == 0 && dot > 0) continue;  // straight on
      const double side = cross > 0 ? -1 : 1;
      const PointD a{normal[before].x * side, normal[before].y * side}, b{normal[after].x * side, normal[after].y * side};
      if (!push_polygon(wedge(pts[v], r, a, b, u0), budget, out)) return false;
    }
    if (!closed) {  // round caps: half discs facing away from the line
      const PointD u_start{-dir[0].x, -dir[0].y}, u_end = dir[segments - 1];
      const PointD n0 = normal[0], n1 = normal[segments - 1];
      if (!push_polygon(wedge(pts[0], r, n0, {-n0.x, -n0.y}, u_start), budget, out)) return false;
      if (!push_polygon(wedge(pts[n - 1], r, n1, {-n1.x, -n1.y}, u_end), budget, out)) return false;
    }
  }
  return true;
}

}  // namespace tessera
