// Programme loudness and true-peak metering per ITU-R BS.1770-4 and EBU R128 (EBU Tech 3341 for
// the meter, Tech 3342 for loudness range). Pure computation: no allocation after construction,
// no exceptions, identical results whatever the chunking of the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera::audio {

// 4x oversampling true-peak detector (BS.1770-4 Annex 2) for one channel. Phase 0 of the
// interpolator is the input sample itself, so only the three fractional phases are filtered
// (12-tap Kaiser-windowed sinc each, unity DC gain). Reused by TruePeakLimiter, so that the
// limiter's guarantee is stated in exactly the units the meter reports.
class TruePeakDetector {
 public:
  static constexpr int kTapsPerPhase = 12;
  // The peak for sample j is known once sample j + kLatency has been fed.
  static constexpr int kLatency = kTapsPerPhase / 2;

  TruePeakDetector();
  void reset();

  // Feeds n samples read `stride` floats apart. If peaks_out is not null, peaks_out[i] receives
  // the largest magnitude among the four 4x points owned by the sample kLatency frames before
  // input i (the sample itself and the points 1/4, 2/4 and 3/4 of the way to the next one); the
  // frames before the stream start count as silence. Returns the largest of those magnitudes.
  float process(const float* in, size_t n, size_t stride, float* peaks_out);

  // Largest |sample| among the last kLatency inputs, whose interpolated points are still pending.
  float pending_sample_peak() const;

  // The interpolator's coefficients: phase p (1..3) at fractional offset p/4, tap k multiplies
  // x[j - kLatency + 1 + k].
  static const float* phase_coefficients(int phase);

 private:
  static constexpr size_t kHistory = kTapsPerPhase - 1;
  static constexpr size_t kBlock = 64;
  float history_[kHistory];
};

// Integrated, momentary and short-term loudness, loudness range, true peak and sample peak of
// an interleaved float stream. Channels: 1, 2 (L R) or 6 (5.1 as L R C LFE Ls Rs: LFE ignored,
// surrounds weighted +1.5 dB); any other count weights every channel 1.0.
class LoudnessMeter {
 public:
  LoudnessMeter(double sample_rate, int channels);

  void add_frames(const float* interleaved, size_t frames);
  void reset();

  // All loudness values are LUFS (LU for the range); -infinity when nothing has been measured or
  // nothing passes the gates.
  double integrated_lufs() const;
  // Loudness of the last 400 ms / 3 s, updated every 100 ms; time before the stream started
  // counts as silence.
  double momentary_lufs() const;
  double short_term_lufs() const;
  // EBU Tech 3342 loudness range (0 when fewer than two short-term blocks pass the gates).
  double loudness_range_lu() const;
  // Maximum true peak (dBTP) / sample peak (dBFS) over every channel so far; -infinity for
  // silence.
  double true_peak_dbtp() const;
  double sample_peak_dbfs() const;

  int channels() const { return channels_; }
  double sample_rate() const { return sample_rate_; }

  // K-weighting coefficients derived for a sample rate: {b0, b1, b2, a1, a2} per stage (a0 = 1).
  struct Biquad {
    double b0, b1, b2, a1, a2;
  };
  static Biquad shelf_stage(double sample_rate);
  static Biquad highpass_stage(double sample_rate);

 private:
  // Gated block loudness kept as a histogram of 0.01 LU bins from -70 to +30 LUFS; each bin keeps
  // the exact energy sum and count of its blocks, so gating means are exact and only the
  // membership of the one bin straddling the relative gate is approximate (within 0.01 LU).
  struct Histogram {
    std::vector<double> energy;
    std::vector<uint64_t> count;
    void clear();
    void add(double block_energy);
    // The relative gate: `factor` times the mean energy of every block counted (0 when empty).
    double relative_threshold(double factor) const;
    // Whether bin i holds blocks louder than `threshold` (their mean energy).
    bool above(int i, double threshold) const { return count[i] != 0 && energy[i] / double(count[i]) > threshold; }
  };

  template <int C>
  void filter_frames(const float* interleaved, size_t frames);
  void finish_subblock();
  double window_energy(int subblocks) const;

  static constexpr int kMaxChannels = 8;
  static constexpr int kShortTermSubblocks = 30;

  double sample_rate_;
  int channels_;         // as given (1..kMaxChannels used)
  int used_channels_;    // channels actually read, min(channels_, kMaxChannels)
  size_t subblock_frames_;  // 100 ms
  Biquad shelf_;
  Biquad highpass_;
  double weight_[kMaxChannels];
  double state_[kMaxChannels][4];  // transposed direct form II, two per stage
  double acc_[kMaxChannels];       // sum of squares in the current sub-block
  size_t subblock_fill_;
  double recent_[kShortTermSubblocks];  // weighted sub-block energies, ring
  uint64_t subblocks_done_;
  Histogram gating_;
  Histogram range_;
  TruePeakDetector peak_[kMaxChannels];
  float true_peak_;
  float sample_peak_;
};

}  // namespace tessera::audio
