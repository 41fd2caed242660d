// Resampling of premultiplied RGBA pictures in exact integer arithmetic: the same bytes in native,
// wasm SIMD and wasm scalar builds.
//
// Separable, per axis: where the picture shrinks (or keeps its size) an area filter — each
// destination pixel is the mean of the source area it covers, partial pixels weighted by their
// overlap — and where it grows, bilinear interpolation between the two nearest source pixel
// centres. Source coordinates are quantised to 1/65536 pixel and weights to 8 bits that sum to
// exactly 256 per destination pixel (largest-remainder rounding), so a constant picture stays
// constant and every product and sum fits 16-bit lanes. Each pass (horizontal, then vertical)
// rounds once to a byte. Weights are never negative, so premultiplied pixels stay valid
// (colour <= alpha). Sampling is clamped to the source pixels the source rectangle touches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "raster/rect.h"

namespace tessera {

// A rectangle in source pixels; may be fractional (crop, region of interest).
struct RectF {
  double x = 0, y = 0, width = 0, height = 0;
};

// Borrowed premultiplied RGBA pixels, `stride` bytes per row.
struct RgbaView {
  const uint8_t* data = nullptr;
  int width = 0, height = 0, stride = 0;
};

// Weights of each planned destination pixel's source taps along one axis.
struct AxisTaps {
  int src_begin = 0, src_end = 0;  // source indices any tap reads
  int max_taps = 0;
  std::vector<int> start;         // per planned pixel: first source index
  std::vector<int> offset;        // per planned pixel + 1: its range in weights
  std::vector<uint16_t> weights;  // 256 = 1; for consecutive source indices from start
  int size() const { return static_cast<int>(start.size()); }
  // Each pixel takes one source pixel, the next one along: a plain copy.
  bool identity() const;

  // Planning scratch, kept so that planning again does not allocate.
  struct Tap {
    int index;
    int64_t overlap;  // area filter: source length covered, in 1/65536 pixel
    int64_t weight;
  };
  std::vector<Tap> scratch_taps;
  std::vector<size_t> scratch_order;
};

// Plans destination indices [visible_begin, visible_end) of a destination span of dst_size pixels
// that shows source span [src_start, src_start + src_size) of a source axis of src_limit pixels.
// Returns false (and plans nothing) when there is nothing to sample.
bool plan_axis(double src_start, double src_size, int src_limit, int dst_size, int visible_begin, int visible_end,
               AxisTaps& taps);

// Where the resampler reads source rows: pixels [x0, x1) of row y, as a pointer to pixel x0. A
// source that has to produce the pixels (e.g. convert them from YUV) writes them to `scratch`
// ((x1 - x0) * 4 bytes) and returns it.
class ResampleSource {
 public:
  virtual const uint8_t* row(int y, int x0, int x1, uint8_t* scratch) = 0;

 protected:
  ~ResampleSource() = default;
};

// Rows of premultiplied RGBA pixels read in place.
class RgbaViewSource final : public ResampleSource {
 public:
  explicit RgbaViewSource(const RgbaView& view) : view_(view) {}
  const uint8_t* row(int y, int x0, int, uint8_t*) override {
    return view_.data + static_cast<ptrdiff_t>(y) * view_.stride + static_cast<ptrdiff_t>(x0) * 4;
  }

 private:
  RgbaView view_;
};

// Where the resampler writes destination rows: begin_row gives the buffer for the visible part of
// row y (visible width x 4 bytes), end_row is called once it is filled.
class ResampleTarget {
 public:
  virtual uint8_t* begin_row(int y) = 0;
  virtual void end_row(int y, uint8_t* row) = 0;

 protected:
  ~ResampleTarget() = default;
};

namespace detail {
// The horizontal taps laid out for the vector loop: as pairs of neighbouring source pixels, for
// multiply-and-add-pairs instructions (wasm i32x4.dot_i16x8_s, SSE2 pmaddwd). Per destination
// pixel and pair, the byte offset of the pair's first pixel and its two weights (low and high 16
// bits; padding weighs 0). A pair never reads past the source row: at its end it starts one pixel
// earlier with a zero first weight. No pairs when the source span is a single pixel. Halving is
// recognised apart: a rounded mean of neighbours, without multiplies.
struct RowFilter {
  int taps = 0;
  // Every destination pixel the rounded mean of two neighbouring source pixels, the pairs
  // side by side from the span's first pixel (a 2:1 area filter on whole pixels).
  bool halves = false;
  int pairs = 0;
  std::vector<int32_t> pair_offsets;
  std::vector<uint32_t> pair_weights;
};
void prepare_row_filter(const AxisTaps& taps, RowFilter& filter);
// Scalar twins and vector loops of the two passes, exposed so tests can prove them identical.
// src points at source pixel taps.src_begin.
void filter_row_scalar(const uint8_t* src, const AxisTaps& taps, uint8_t* out);
void filter_row_vector(const uint8_t* src, const AxisTaps& taps, const RowFilter& filter, uint8_t* out);
void combine_rows_scalar(const uint8_t* const* rows, const uint16_t* weights, int taps, int values, uint8_t* out);
void combine_rows_vector(const uint8_t* const* rows, const uint16_t* weights, int taps, int values, uint8_t* out);
// The vertical pass of builds without vectors: eight bytes per 64-bit word (little-endian).
void combine_rows_swar(const uint8_t* const* rows, const uint16_t* weights, int taps, int values, uint8_t* out);
}  // namespace detail

// Scales a source rectangle onto a destination rectangle, producing only its visible part. Keeps
// its buffers between uses (one per compositor), so steady-state drawing does not allocate.
class Resampler {
 public:
  // Plans drawing src_rect of a src_width x src_height picture into dst_rect, of which only the
  // part inside `clip` is produced. Returns false when nothing would be drawn.
  bool plan(int src_width, int src_height, RectF src_rect, RectI dst_rect, RectI clip);
  // The destination pixels the plan produces (absolute coordinates).
  RectI visible() const { return visible_; }
  // Produces every visible destination row, top to bottom.
  void run(ResampleSource& source, ResampleTarget& target);

  const AxisTaps& horizontal() const { return h_; }
  const AxisTaps& vertical() const { return v_; }

 private:
  AxisTaps h_, v_;
  detail::RowFilter filter_;
  RectI visible_;
  std::vector<uint8_t> ring_;   // horizontally filtered source rows
  std::vector<int> ring_row_;   // which source row each ring slot holds
  std::vector<uint8_t> fetch_;  // a source row as the source produced it
  std::vector<const uint8_t*> window_;
};

// Copies a source rectangle scaled into dst_rect of an RGBA buffer (no blending): the resampler's
// plain use, for tests and for caching scaled pictures.
void scale_rgba(const RgbaView& src, RectF src_rect, uint8_t* dst, int dst_width, int dst_height, int dst_stride,
                RectI dst_rect);

}  // namespace tessera
