// The scanline rasterizer (see rasterizer.h). Per sub-scanline: crossings of the active edges,
// sorted, swept with the winding rule into spans [a, b) in 1/256 pixel; each span adds its exact
// per-pixel length to the row's accumulators (partial pixels directly, runs of whole pixels through
// a difference array). After 16 sub-scanlines each pixel holds 0..4096, scaled to 0..255; the
// pixels where nothing changes between two recorded events take the running sum as a whole run.
#include "graphics/rasterizer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "compose/compose.h"

namespace tessera {

namespace {

struct Edge {
  double x0, y0, dxdy;  // top point and slope
  int first, last;      // global sub-scanline indices sampled, inclusive
  int dir;              // +1 downwards, −1 upwards
};

struct Crossing {
  int32_t x;  // 1/256 pixel, clamped to the clip
  int dir;
  bool operator<(const Crossing& o) const { return x != o.x ? x < o.x : dir < o.dir; }
};

// Crossing lists are short (2–20): insertion sort beats std::sort's set-up.
void sort_crossings(std::vector<Crossing>& c) {
  if (c.size() > 32) { std::sort(c.begin(), c.end()); return; }
  for (size_t i = 1; i < c.size(); ++i) {
    const Crossing v = c[i];
    size_t j = i;
    for (; j > 0 && v < c[j - 1]; --j) c[j] = c[j - 1];
    c[j] = v;
  }
}

// Adds x to a sorted list of distinct positions. The lists are short and each sub-scanline
// mostly repeats the positions of the one above, so a scan from the end finds them at once.
void add_event(std::vector<int>& events, int x) {
  size_t i = events.size();
  while (i > 0 && events[i - 1] > x) --i;
  if (i > 0 && events[i - 1] == x) return;
  events.insert(events.begin() + static_cast<ptrdiff_t>(i), x);
}

}  // namespace

void fill_polygons(Surface& surface, const std::vector<Polyline>& polygons, FillRule rule, Rgba colour,
                   const RectI& clip) {
  const RectI area = intersect(clip, {0, 0, surface.width(), surface.height()});
  if (area.empty() || colour.a == 0) return;
  const int k_min = area.y * kSubScanlines, k_max = area.bottom() * kSubScanlines - 1;

  // Sub-scanline k samples y = (k + 0.5) / 16; an edge from y0 to y1 (y0 < y1) owns the samples
  // with y0 ≤ y < y1, so shared vertices are counted once.
  std::vector<Edge> edges;
  for (const Polyline& poly : polygons) {
    const size_t n = poly.points.size();
    if (n < 3) continue;
    bool finite = true;
    for (const PointD& p : poly.points) finite = finite && std::isfinite(p.x) && std::isfinite(p.y);
    if (!finite) continue;
    for (size_t i = 0; i < n; ++i) {
      PointD a = poly.points[i], b = poly.points[(i + 1) % n];
      if (a.y == b.y) continue;
      int dir = 1;
      if (a.y > b.y) { std::swap(a, b); dir = -1; }
      const double f = std::ceil(a.y * kSubScanlines - 0.5), l = std::ceil(b.y * kSubScanlines - 0.5) - 1;
      if (l < k_min || f > k_max || l < f) continue;
      Edge e;
      e.x0 = a.x;
      e.y0 = a.y;
      e.dxdy = (b.x - a.x) / (b.y - a.y);
      e.first = static_cast<int>(std::max<double>(f, k_min));
      e.last = static_cast<int>(std::min<double>(l, k_max));
      e.dir = dir;
      edges.push_back(e);
    }
  }
  if (edges.empty()) return;
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.first < b.first; });

  const int width = area.width;
  const int64_t x_lo = int64_t{area.x} * 256, x_hi = int64_t{area.right()} * 256;
  std::vector<int32_t> partial(static_cast<size_t>(width) + 1, 0), run(static_cast<size_t>(width) + 1, 0);
  std::vector<uint8_t> coverage(static_cast<size_t>(width), 0);
  std::vector<int> events;  // the row's pixels whose partial or run entry changed, sorted
  std::vector<size_t> active;
  std::vector<Crossing> crossings;
  size_t next = 0;
  const bool even_odd = rule == FillRule::EvenOdd;

  for (int py = edges.front().first / kSubScanlines; py < area.bottom(); ++py) {
    const int row_first = py * kSubScanlines, row_last = row_first + kSubScanlines - 1;
    while (next < edges.size() && edges[next].first <= row_last) active.push_back(next++);
    active.erase(std::remove_if(active.begin(), active.end(), [&](size_t i) { return edges[i].last < row_first; }),
                 active.end());
    if (active.empty()) {
      if (next == edges.size()) break;
      py = edges[next].first / kSubScanlines - 1;  // jump to the next edge's row
      continue;
    }
    int touched_lo = width, touched_hi = -1;
    events.clear();
    // Where every active edge is vertical and spans the whole row (the sides of boxes and bars),
    // the 16 sub-scanlines cross them at the same x: sweep one and count it 16 times.
    bool uniform = true;
    for (size_t i : active) {
      const Edge& e = edges[i];
      uniform = uniform && e.first <= row_first && e.last >= row_last && e.dxdy == 0.0;
    }
    const int32_t repeat = uniform ? kSubScanlines : 1;
    const int k_end = uniform ? row_first : row_last;
    for (int k = row_first; k <= k_end; ++k) {
      crossings.clear();
      const double sample_y = (k + 0.5) / kSubScanlines;
      for (size_t i : active) {
        const Edge& e = edges[i];
        if (k < e.first || k > e.last) continue;
        double x = (e.x0 + (sample_y - e.y0) * e.dxdy) * 256.0;
        if (!(x >= -1.0e12)) x = -1.0e12;  // NaN too: never convert it to an integer
        if (!(x <= 1.0e12)) x = 1.0e12;
        const double fixed = std::floor(x + 0.5);
        const int64_t xi = std::clamp(static_cast<int64_t>(fixed), x_lo, x_hi) - x_lo;
        crossings.push_back({static_cast<int32_t>(xi), e.dir});
      }
      sort_crossings(crossings);
      int winding = 0;
      for (size_t c = 0; c + 1 < crossings.size(); ++c) {
        winding += crossings[c].dir;
        const bool inside = even_odd ? (winding & 1) != 0 : winding != 0;
        const int32_t a = crossings[c].x, b = crossings[c + 1].x;
        if (!inside || b <= a) continue;
        const int pa = a >> 8, pb = b >> 8;
        touched_lo = std::min(touched_lo, pa);
        touched_hi = std::max(touched_hi, std::min(pb, width - 1));
        if (pa == pb) {
          partial[static_cast<size_t>(pa)] += repeat * (b - a);
          add_event(events, pa);
          continue;
        }
        add_event(events, pa);
        add_event(events, pa + 1);
        add_event(events, pb);
        partial[static_cast<size_t>(pa)] += repeat * (256 - (a & 255));
        run[static_cast<size_t>(pa) + 1] += repeat * 256;
        run[static_cast<size_t>(pb)] -= repeat * 256;
        partial[static_cast<size_t>(pb)] += repeat * (b & 255);  // pb may be `width` (the span ends on the clip)
      }
    }
    if (touched_hi < touched_lo) continue;
    uint8_t* row = surface.data() + (static_cast<size_t>(py) * static_cast<size_t>(surface.width()) +
                                     static_cast<size_t>(area.x)) * 4;
    // Between events the coverage is constant (the running sum alone): whole runs at once.
    auto level = [](int32_t total) {  // 0..4096 -> 0..255
      return static_cast<uint8_t>((std::min<uint32_t>(static_cast<uint32_t>(total), 4096) * 255 + 2048) >> 12);
    };
    int32_t running = 0;
    int px = touched_lo;
    for (const int e : events) {
      if (e > touched_hi) break;
      if (e > px) std::memset(coverage.data() + px, level(running), static_cast<size_t>(e - px));
      running += run[static_cast<size_t>(e)];
      coverage[static_cast<size_t>(e)] = level(partial[static_cast<size_t>(e)] + running);
      px = e + 1;
    }
    if (px <= touched_hi) std::memset(coverage.data() + px, level(running), static_cast<size_t>(touched_hi - px + 1));
    blend_mask_row(row + static_cast<size_t>(touched_lo) * 4, colour, coverage.data() + touched_lo,
                   touched_hi - touched_lo + 1);
    for (const int e : events) partial[static_cast<size_t>(e)] = run[static_cast<size_t>(e)] = 0;
  }
}

}  // namespace tessera
