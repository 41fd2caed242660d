// Separable integer resampling (see scale.h): per-axis tap plans, a horizontal pass into byte rows
// kept in a small ring (each source row is filtered once), and a vertical pass. Each pass has a
// scalar twin and a vector loop with identical results: with 8-bit weights summing to 256, every
// sum of products is at most 256 * 255 and fits a 16-bit lane exactly.
#include "compose/scale.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "video/simd.h"

namespace tessera {

namespace {

constexpr int64_t kOne = 65536;     // source coordinates: 16 fractional bits
constexpr int kWeightOne = 256;     // weights: 8 fractional bits
constexpr double kMaxCoordinate = 1 << 20;  // keeps every fixed-point product below 2^63
constexpr int kMaxDestination = 1 << 24;

int64_t floor_div(int64_t a, int64_t d) {  // d > 0
  int64_t q = a / d;
  if (a % d < 0) --q;
  return q;
}

// Scalar filter of destination pixels [j0, j1) of a horizontal plan; src is source pixel src_begin.
void filter_pixels(const uint8_t* src, const AxisTaps& taps, int j0, int j1, uint8_t* out) {
  for (int j = j0; j < j1; ++j, out += 4) {
    const uint8_t* p = src + static_cast<ptrdiff_t>(taps.start[j] - taps.src_begin) * 4;
    uint32_t acc[4] = {0, 0, 0, 0};
    for (int t = taps.offset[j]; t < taps.offset[j + 1]; ++t, p += 4) {
      const uint32_t w = taps.weights[t];
      for (int c = 0; c < 4; ++c) acc[c] += w * p[c];
    }
    for (int c = 0; c < 4; ++c) out[c] = static_cast<uint8_t>((acc[c] + 128) >> 8);
  }
}

// Scalar vertical combination of values [x0, x1).
void combine_values(const uint8_t* const* rows, const uint16_t* weights, int taps, int x0, int x1, uint8_t* out) {
  for (int x = x0; x < x1; ++x) {
    uint32_t acc = 0;
    for (int t = 0; t < taps; ++t) acc += uint32_t{weights[t]} * rows[t][x];
    out[x] = static_cast<uint8_t>((acc + 128) >> 8);
  }
}

}  // namespace

bool plan_axis(double src_start, double src_size, int src_limit, int dst_size, int visible_begin, int visible_end,
               AxisTaps& taps) {
  taps.start.clear();
  taps.offset.assign(1, 0);
  taps.weights.clear();
  taps.max_taps = 0;
  taps.src_begin = taps.src_end = 0;
  if (!(src_size > 0) || !(std::fabs(src_start) < kMaxCoordinate) || !(src_size < kMaxCoordinate)) return false;
  if (dst_size <= 0 || dst_size > kMaxDestination || src_limit <= 0 || visible_begin >= visible_end) return false;
  const int64_t s = std::llround(src_start * static_cast<double>(kOne));
  const int64_t len = std::llround(src_size * static_cast<double>(kOne));
  if (len <= 0) return false;
  // The source pixels the rectangle touches; taps outside them repeat the edge pixel.
  const int lo = static_cast<int>(std::clamp<int64_t>(floor_div(s, kOne), 0, src_limit - 1));
  const int hi = static_cast<int>(std::clamp<int64_t>(floor_div(s + len + kOne - 1, kOne), lo + 1, src_limit));
  auto clamp_index = [lo, hi](int64_t k) { return static_cast<int>(std::clamp<int64_t>(k, lo, hi - 1)); };
  const bool area = len >= dst_size * kOne;  // shrinking or 1:1: area filter; growing: bilinear

  std::vector<AxisTaps::Tap>& run = taps.scratch_taps;
  std::vector<size_t>& order = taps.scratch_order;
  taps.src_begin = INT_MAX;
  taps.src_end = INT_MIN;
  for (int i = visible_begin; i < visible_end; ++i) {
    run.clear();
    if (area) {
      const int64_t a = s + floor_div(i * len, dst_size), b = s + floor_div((i + 1) * len, dst_size);
      for (int64_t k = floor_div(a, kOne); k * kOne < b; ++k) {
        const int64_t overlap = std::min(b, (k + 1) * kOne) - std::max(a, k * kOne);
        const int index = clamp_index(k);
        if (!run.empty() && run.back().index == index) {
          run.back().overlap += overlap;
        } else {
          run.push_back({index, overlap, 0});
        }
      }
      // Largest-remainder rounding of overlap / (b - a) to 8 bits: every weight within one step
      // of exact, and the weights sum to exactly one.
      const int64_t total = b - a;
      int64_t sum = 0;
      order.clear();
      for (size_t t = 0; t < run.size(); ++t) {
        run[t].weight = run[t].overlap * kWeightOne / total;
        sum += run[t].weight;
        order.push_back(t);
      }
      auto remainder = [&](size_t t) { return run[t].overlap * kWeightOne % total; };
      std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        return remainder(x) != remainder(y) ? remainder(x) > remainder(y) : x < y;
      });
      for (int64_t d = 0; d < kWeightOne - sum; ++d) ++run[order[static_cast<size_t>(d)]].weight;
    } else {
      // Centre of destination pixel i in source coordinates, less half a pixel: the two source
      // pixel centres around it and the fraction of the way between them.
      const int64_t c = s + floor_div((2 * i + 1) * len, 2 * static_cast<int64_t>(dst_size)) - kOne / 2;
      const int64_t k0 = floor_div(c, kOne);
      const int64_t w1 = (c - k0 * kOne + 128) >> 8;
      const int i0 = clamp_index(k0), i1 = clamp_index(k0 + 1);
      if (i0 == i1) {
        run.push_back({i0, 0, kWeightOne});
      } else {
        run.push_back({i0, 0, kWeightOne - w1});
        run.push_back({i1, 0, w1});
      }
    }
    // Zero weights at either end read nothing.
    size_t first = 0, last = run.size();
    while (last - first > 1 && run[first].weight == 0) ++first;
    while (last - first > 1 && run[last - 1].weight == 0) --last;
    taps.start.push_back(run[first].index);
    for (size_t t = first; t < last; ++t) taps.weights.push_back(static_cast<uint16_t>(run[t].weight));
    taps.offset.push_back(static_cast<int>(taps.weights.size()));
    const int count = static_cast<int>(last - first);
    taps.max_taps = std::max(taps.max_taps, count);
    taps.src_begin = std::min(taps.src_begin, run[first].index);
    taps.src_end = std::max(taps.src_end, run[first].index + count);
  }
  return true;
}

bool AxisTaps::identity() const {
  if (max_taps != 1) return false;
  for (int j = 0; j < size(); ++j)
    if (start[j] != start[0] + j) return false;
  return true;
}

namespace detail {

void prepare_row_filter(const AxisTaps& taps, RowFilter& filter) {
  const int n = taps.max_taps;
  filter.taps = n;
  filter.halves = n == 2 && taps.size() > 0 && taps.start[0] == taps.src_begin;
  for (int j = 0; j < taps.size() && filter.halves; ++j)
    filter.halves = taps.start[j] == taps.src_begin + 2 * j && taps.offset[j + 1] - taps.offset[j] == 2 &&
                    taps.weights[taps.offset[j]] == 128 && taps.weights[taps.offset[j] + 1] == 128;
  const int span = taps.src_end - taps.src_begin;
  filter.pairs = span >= 2 ? (n + 1) / 2 : 0;
  filter.pair_offsets.assign(static_cast<size_t>(taps.size()) * filter.pairs, 0);
  filter.pair_weights.assign(static_cast<size_t>(taps.size()) * filter.pairs, 0);
  for (int j = 0; j < taps.size() && filter.pairs > 0; ++j) {
    const int first = taps.start[j] - taps.src_begin, count = taps.offset[j + 1] - taps.offset[j];
    auto weight = [&](int t) -> uint32_t { return t < count ? taps.weights[taps.offset[j] + t] : 0u; };
    for (int p = 0; p < filter.pairs; ++p) {
      const size_t at = static_cast<size_t>(j) * filter.pairs + p;
      const int i0 = first + 2 * p;
      uint32_t w0 = weight(2 * p), w1 = weight(2 * p + 1);
      int load = i0;
      if (i0 + 1 >= span) {  // the pair would end past the row: start a pixel earlier (or, all padding, at the end)
        load = span - 2;
        w1 = i0 == span - 1 ? w0 : 0;
        w0 = 0;
      }
      filter.pair_offsets[at] = load * 4;
      filter.pair_weights[at] = w0 | (w1 << 16);
    }
  }
}

void filter_row_scalar(const uint8_t* src, const AxisTaps& taps, uint8_t* out) {
  filter_pixels(src, taps, 0, taps.size(), out);
}

namespace {

#if TESSERA_PAIR_DOT
// One destination pixel: its pairs' products summed (from 128, to round) and shifted to bytes'
// range, in the 32-bit lanes of its four channels. kPairs > 0 fixes the count at compile time.
template <int kPairs>
inline simd::i32x4 filter_pixel(const uint8_t* src, const int32_t*& offsets, const uint32_t*& weights, int pairs) {
  using namespace simd;
  const int count = kPairs > 0 ? kPairs : pairs;
  i32x4 acc = i32x4{128, 128, 128, 128};
  for (int p = 0; p < count; ++p) acc += dot_pairs(load_pixel_pair(src + offsets[p]), (i16x8)splat32(weights[p]));
  offsets += count;
  weights += count;
  return acc >> 8;
}

template <int kPairs>
void filter_pairs(const uint8_t* src, int size, const RowFilter& filter, uint8_t* out) {
  using namespace simd;
  const int32_t* offsets = filter.pair_offsets.data();
  const uint32_t* weights = filter.pair_weights.data();
  const int pairs = filter.pairs;
  int j = 0;
  for (; j + 4 <= size; j += 4, out += 16) {
    const i32x4 a = filter_pixel<kPairs>(src, offsets, weights, pairs);
    const i32x4 b = filter_pixel<kPairs>(src, offsets, weights, pairs);
    const i32x4 c = filter_pixel<kPairs>(src, offsets, weights, pairs);
    const i32x4 d = filter_pixel<kPairs>(src, offsets, weights, pairs);
    store16(out, narrow((u16x8)narrow32(a, b), (u16x8)narrow32(c, d)));
  }
  for (; j < size; ++j, out += 4) {
    const i32x4 a = filter_pixel<kPairs>(src, offsets, weights, pairs);
    const u8x16 bytes = narrow((u16x8)narrow32(a, a), (u16x8)narrow32(a, a));
    std::memcpy(out, &bytes, 4);
  }
}
#endif

}  // namespace

void filter_row_vector(const uint8_t* src, const AxisTaps& taps, const RowFilter& filter, uint8_t* out) {
#if TESSERA_PIXEL_VECTORS
  if (filter.halves) {  // (128 a + 128 b + 128) >> 8 == (a + b + 1) >> 1
    using namespace simd;
    int j = 0;
    for (const uint8_t* p = src; j + 4 <= taps.size(); j += 4, out += 16, p += 32) {
      u8x16 even, odd;
      deinterleave_pixels(load16(p), load16(p + 16), even, odd);
      store16(out, average(even, odd));
    }
    filter_pixels(src, taps, j, taps.size(), out);
    return;
  }
#endif
#if TESSERA_PAIR_DOT
  // Each destination pixel's taps in pairs of neighbouring source pixels: one load, one shuffle
  // and one multiply-and-add per pair, every channel in its own 32-bit lane.
  if (filter.pairs == 1) {
    filter_pairs<1>(src, taps.size(), filter, out);
  } else if (filter.pairs == 2) {
    filter_pairs<2>(src, taps.size(), filter, out);
  } else if (filter.pairs > 2) {
    filter_pairs<0>(src, taps.size(), filter, out);
  } else {
    filter_row_scalar(src, taps, out);
  }
#else
  (void)filter;
  filter_row_scalar(src, taps, out);
#endif
}

void combine_rows_scalar(const uint8_t* const* rows, const uint16_t* weights, int taps, int values, uint8_t* out) {
  combine_values(rows, weights, taps, 0, values, out);
}

void combine_rows_swar(const uint8_t* const* rows, const uint16_t* weights, int taps, int values, uint8_t* out) {
  // Eight values per step in one 64-bit word: the even bytes and the odd bytes each spread into
  // four 16-bit lanes, which a weight (<= 256) multiplies without carrying into the next lane, and
  // whose sums (<= 128 + 256 * 255) fit them too.
  constexpr uint64_t kLanes = 0x00FF00FF00FF00FFull, kRound = 0x0080008000800080ull;
  int x = 0;
  for (; x + 8 <= values; x += 8) {
    uint64_t even = kRound, odd = kRound;
    for (int t = 0; t < taps; ++t) {
      uint64_t v;
      std::memcpy(&v, rows[t] + x, 8);
      even += (v & kLanes) * weights[t];
      odd += ((v >> 8) & kLanes) * weights[t];
    }
    const uint64_t result = ((even >> 8) & kLanes) | (odd & (kLanes << 8));
    std::memcpy(out + x, &result, 8);
  }
  combine_values(rows, weights, taps, x, values, out);
}

void combine_rows_vector(const uint8_t* const* rows, const uint16_t* weights, int taps, int values, uint8_t* out) {
  if (taps == 1) {  // weight 256: (v * 256 + 128) >> 8 == v
    std::memcpy(out, rows[0], static_cast<size_t>(values));
    return;
  }
#if TESSERA_PIXEL_VECTORS
  using namespace simd;
  const u16x8 round = splat16(128);
  int x = 0;
  if (taps == 2 && weights[0] == 128 && weights[1] == 128) {  // (128 a + 128 b + 128) >> 8 == (a + b + 1) >> 1
    for (; x + 16 <= values; x += 16) store16(out + x, average(load16(rows[0] + x), load16(rows[1] + x)));
  } else if (taps == 2) {  // bilinear, and most area filtering between 1x and 2x
    const u16x8 w0 = splat16(weights[0]), w1 = splat16(weights[1]);
    const uint8_t *r0 = rows[0], *r1 = rows[1];
    for (; x + 16 <= values; x += 16) {
      const u8x16 a = load16(r0 + x), b = load16(r1 + x);
      const u16x8 lo = round + widen_lo(a) * w0 + widen_lo(b) * w1;
      const u16x8 hi = round + widen_hi(a) * w0 + widen_hi(b) * w1;
      store16(out + x, narrow(lo >> 8, hi >> 8));
    }
  }
  for (; x + 16 <= values; x += 16) {
    u16x8 lo = round, hi = round;
    for (int t = 0; t < taps; ++t) {
      const u16x8 w = splat16(weights[t]);
      const u8x16 v = load16(rows[t] + x);
      lo += widen_lo(v) * w;
      hi += widen_hi(v) * w;
    }
    store16(out + x, narrow(lo >> 8, hi >> 8));
  }
  combine_values(rows, weights, taps, x, values, out);
#else
  combine_rows_swar(rows, weights, taps, values, out);
#endif
}

}  // namespace detail

bool Resampler::plan(int src_width, int src_height, RectF src_rect, RectI dst_rect, RectI clip) {
  visible_ = intersect(dst_rect, clip);
  if (visible_.empty()) return false;
  const int x0 = visible_.x - dst_rect.x, y0 = visible_.y - dst_rect.y;
  if (!plan_axis(src_rect.x, src_rect.width, src_width, dst_rect.width, x0, x0 + visible_.width, h_) ||
      !plan_axis(src_rect.y, src_rect.height, src_height, dst_rect.height, y0, y0 + visible_.height, v_)) {
    visible_ = {};
    return false;
  }
  detail::prepare_row_filter(h_, filter_);
  return true;
}

void Resampler::run(ResampleSource& source, ResampleTarget& target) {
  if (visible_.empty()) return;
  const size_t values = static_cast<size_t>(visible_.width) * 4;
  const size_t slots = static_cast<size_t>(v_.max_taps);
  // When each destination column is one source column, rows go to the vertical pass as the source
  // gives them (from its own memory, or produced straight into the ring).
  const bool copy_columns = h_.identity();
  if (ring_.size() < values * slots) ring_.resize(values * slots);
  const size_t fetch_bytes = static_cast<size_t>(h_.src_end - h_.src_begin) * 4;
  if (!copy_columns && fetch_.size() < fetch_bytes) fetch_.resize(fetch_bytes);
  ring_row_.assign(slots, -1);
  window_.assign(slots * 2, nullptr);  // [0, slots): where each slot's row is; then this row's window
  const uint8_t** slot_rows = window_.data();
  const uint8_t** window = window_.data() + slots;
  for (int j = 0; j < v_.size(); ++j) {
    const int first = v_.start[j], count = v_.offset[j + 1] - v_.offset[j];
    for (int t = 0; t < count; ++t) {
      const int r = first + t;
      const size_t slot = static_cast<size_t>(r) % slots;
      if (ring_row_[slot] != r) {
        uint8_t* memory = ring_.data() + values * slot;
        if (copy_columns) {
          slot_rows[slot] = source.row(r, h_.src_begin, h_.src_end, memory);
        } else {
          detail::filter_row_vector(source.row(r, h_.src_begin, h_.src_end, fetch_.data()), h_, filter_, memory);
          slot_rows[slot] = memory;
        }
        ring_row_[slot] = r;
      }
      window[t] = slot_rows[slot];
    }
    const int y = visible_.y + j;
    uint8_t* out = target.begin_row(y);
    detail::combine_rows_vector(window, v_.weights.data() + v_.offset[j], count, static_cast<int>(values), out);
    target.end_row(y, out);
  }
}

namespace {

class BufferTarget final : public ResampleTarget {
 public:
  BufferTarget(uint8_t* data, int stride, int x) : data_(data), stride_(stride), x_(x) {}
  uint8_t* begin_row(int y) override {
    return data_ + static_cast<ptrdiff_t>(y) * stride_ + static_cast<ptrdiff_t>(x_) * 4;
  }
  void end_row(int, uint8_t*) override {}

 private:
  uint8_t* data_;
  int stride_, x_;
};

}  // namespace

void scale_rgba(const RgbaView& src, RectF src_rect, uint8_t* dst, int dst_width, int dst_height, int dst_stride,
                RectI dst_rect) {
  Resampler resampler;
  if (!resampler.plan(src.width, src.height, src_rect, dst_rect, {0, 0, dst_width, dst_height})) return;
  RgbaViewSource source(src);
  BufferTarget target(dst, dst_stride, resampler.visible().x);
  resampler.run(source, target);
}

}  // namespace tessera
