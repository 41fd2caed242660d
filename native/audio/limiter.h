// Look-ahead brick-wall true-peak limiter. The ceiling is expressed in dBTP as defined by
// ITU-R BS.1770-4 Annex 2 and measured with the same 4x detector as the loudness meter
// (TruePeakDetector), so "output <= ceiling" holds in the units the meter reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "audio/loudness.h"

namespace tessera::audio {

// One gain for all channels (linked), computed in the log domain from the input's 4x-oversampled
// peaks:
//  - every frame within half an interpolator span of a peak gets at most the gain that brings
//    that peak to the ceiling (minus a small safety margin), so the gain is flat under an
//    isolated peak and the interpolated output points scale with it;
//  - release: the held reduction in dB decays exponentially with time constant release_ms and
//    ends exactly at 0 dB;
//  - attack: two cascaded moving averages (half the look-ahead each) smooth that curve, so the
//    gain glides along S-curves with no steps and no corners (corners under an interpolator span
//    are what lets output 4x points overshoot); per frame the gain moves by at most
//    depth / (lookahead_frames / 2).
// Gains are integers in 2^-24 octave; sums of them are exact, so the state never drifts and a
// window without peaks yields exactly 1.0f: each output sample is then bit-identical to the
// delayed input sample. Only table look-ups in the per-sample path, no libm.
// Input is expected to be finite (NaN and infinities are not limited).
class TruePeakLimiter {
 public:
  // Safety margin kept below the ceiling: absorbs what gain movement inside an interpolator span
  // and float rounding can add to an output 4x point. An engineering bound, not a proof: over
  // the adversarial material in limiter_test.cpp and a 1200-signal random search (noise with
  // level jumps every few frames, near-Nyquist patterns, impulse trains, chirps), at the most
  // aggressive settings allowed, output peaks stayed at least 0.04 dB below the ceiling.
  static constexpr double kMarginDb = 0.05;

  // ceiling_dbtp is clamped to [-60, +6], lookahead_ms to [1, 50] and release_ms to >= 1: below
  // 1 ms of look-ahead the gain has to move so fast under an interpolator span that the margin
  // no longer covers it.
  TruePeakLimiter(double sample_rate, int channels, double ceiling_dbtp = -1.0,
                  double lookahead_ms = 1.5, double release_ms = 100.0);

  // In place; output is the input delayed by latency_frames(). Any chunking gives the same bytes.
  void process(float* interleaved, size_t frames);

  int latency_frames() const { return latency_; }
  // Current gain reduction in dB as a positive number (0 when the limiter is idle).
  double gain_reduction_db() const;
  double ceiling_dbtp() const { return ceiling_dbtp_; }
  void reset();

 private:
  static constexpr size_t kBlock = 128;
  // Frames either side of a peak that share its gain: the interpolator's half span.
  static constexpr int kHold = TruePeakDetector::kLatency;

  void process_block(float* io, size_t frames);
  int32_t reduction_for(float peak) const;
  float gain_for(int32_t reduction) const;

  int channels_;
  double ceiling_dbtp_;
  float threshold_;        // linear level the gain computer aims at (ceiling minus margin)
  int64_t threshold_log_;  // floor(log2(threshold_) * 2^24)
  int attack_;             // look-ahead: length of the smoothing kernel, frames
  int box1_;               // the two moving averages; box1_ + box2_ - 1 == attack_
  int box2_;
  int hold_span_;          // attack_ + 2 * kHold: frames a requirement is held over
  int latency_;            // TruePeakDetector::kLatency + kHold + attack_ - 1
  uint32_t release_mul_;   // exp(-1 / release frames) in 0.32 fixed point
  int64_t box_sum1_;       // sum of ring1_
  int64_t box_sum2_;       // sum of ring2_
  size_t pos1_;            // next slot in ring1_ / ring2_
  size_t pos2_;
  uint64_t release_state_;  // held reduction after release, in gain units (2^-24 octave)
  int32_t reduction_;       // reduction applied to the last output frame (2^-24 octave)
  std::vector<int32_t> required_;  // per-frame reduction: hold_span_ - 1 history + kBlock
  std::vector<int32_t> held_;      // held reduction of the current block (kBlock)
  std::vector<int32_t> ring1_;     // last box1_ released reductions
  std::vector<int32_t> ring2_;     // last box2_ first averages
  std::vector<float> delay_;       // per channel: latency_ history + kBlock
  std::vector<TruePeakDetector> detectors_;
};

}  // namespace tessera::audio
