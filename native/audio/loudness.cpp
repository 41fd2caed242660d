// Loudness metering per ITU-R BS.1770-4 / EBU R128 (Tech 3341 meter, Tech 3342 loudness range)
// and the BS.1770-4 Annex 2 true-peak detector.
#include "audio/loudness.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace tessera::audio {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Modified Bessel function of the first kind, order 0 (power series), for the Kaiser window.
double bessel_i0(double x) {
  double sum = 1.0;
  double term = 1.0;
  const double q = x * x / 4.0;
  for (int k = 1; k < 64; ++k) {
    term *= q / (double(k) * double(k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

struct InterpolatorTable {
  // coef[p][k] for the fractional phases p = 1..3 (index 0 unused: phase 0 is the sample itself).
  float coef[4][TruePeakDetector::kTapsPerPhase];
  InterpolatorTable() {
    constexpr int taps = TruePeakDetector::kTapsPerPhase;
    // beta 7 keeps the over-read below 0.01 dB up to 17 kHz at 48 kHz while 12 taps still reach
    // 20 kHz within the grid-miss error that any 4x detector has (Tech 3341 allows +0.2/-0.4 dB).
    constexpr double beta = 7.0;
    const double half = taps / 2.0;
    const double norm = bessel_i0(beta);
    std::memset(coef, 0, sizeof coef);
    for (int p = 1; p < 4; ++p) {
      double h[taps];
      double sum = 0.0;
      for (int k = 0; k < taps; ++k) {
        const double d = (half - 1.0) + p / 4.0 - k;  // distance from tap to the output point
        const double r = d / half;
        const double w = bessel_i0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / norm;
        const double sinc = std::sin(kPi * d) / (kPi * d);  // d is never an integer here
        h[k] = sinc * w;
        sum += h[k];
      }
      // Unity DC gain per phase, so a constant signal reads its own level exactly.
      for (int k = 0; k < taps; ++k) coef[p][k] = static_cast<float>(h[k] / sum);
    }
  }
};

const InterpolatorTable& interpolator() {
  static const InterpolatorTable table;
  return table;
}

inline float max_f(float a, float b) { return a > b ? a : b; }
inline float abs_f(float a) { return a < 0.0f ? -a : a; }

double energy_to_lufs(double energy) {
  if (!(energy > 0.0)) return kNegInf;
  return -0.691 + 10.0 * std::log10(energy);
}

constexpr double kHistogramLowLufs = -70.0;
constexpr int kHistogramBinsPerLu = 100;
constexpr int kHistogramBins = 100 * kHistogramBinsPerLu;  // -70 .. +30 LUFS

}  // namespace

// ---------------------------------------------------------------------------------------------
// TruePeakDetector

TruePeakDetector::TruePeakDetector() {
  interpolator();  // build the shared table here rather than on the audio thread's first block
  reset();
}

void TruePeakDetector::reset() { std::memset(history_, 0, sizeof history_); }

const float* TruePeakDetector::phase_coefficients(int phase) {
  return interpolator().coef[phase < 1 ? 1 : (phase > 3 ? 3 : phase)];
}

float TruePeakDetector::pending_sample_peak() const {
  // history_ holds the last kHistory inputs, newest last; the newest kLatency are still pending.
  float m = 0.0f;
  for (size_t i = kHistory - kLatency; i < kHistory; ++i) m = max_f(m, abs_f(history_[i]));
  return m;
}

namespace {

// One block of the three fractional phases. With N != 0 the trip counts are compile-time
// constants, which lets even -O2's cheap vectoriser take the loops; N == 0 handles short tails.
template <size_t N>
void interpolate_block(const InterpolatorTable& table, const float* buf, size_t m, float* peak) {
  constexpr size_t taps = TruePeakDetector::kTapsPerPhase;
  constexpr size_t centre = TruePeakDetector::kLatency - 1;
  const size_t count = N != 0 ? N : m;
  float acc[N != 0 ? N : 64];
  // Output i lies between buf[i + centre] (the sample itself) and buf[i + centre + 1].
  for (size_t i = 0; i < count; ++i) peak[i] = abs_f(buf[i + centre]);
  for (int p = 1; p < 4; ++p) {
    const float* h = table.coef[p];
    // Taps outermost so the inner loops run across samples and vectorise; the summation order
    // per output is fixed, hence bit-identical results for any chunking.
    for (size_t i = 0; i < count; ++i) acc[i] = h[0] * buf[i];
    for (size_t k = 1; k < taps; ++k) {
      const float c = h[k];
      for (size_t i = 0; i < count; ++i) acc[i] += c * buf[i + k];
    }
    for (size_t i = 0; i < count; ++i) peak[i] = max_f(peak[i], abs_f(acc[i]));
  }
}

}  // namespace

float TruePeakDetector::process(const float* in, size_t n, size_t stride, float* peaks_out) {
  static_assert(kBlock == 64, "interpolate_block's tail buffer assumes 64");
  const InterpolatorTable& table = interpolator();
  float buf[kHistory + kBlock];
  float peak[kBlock];
  float best = 0.0f;
  std::memcpy(buf, history_, sizeof history_);
  size_t done = 0;
  while (done < n) {
    const size_t m = std::min(kBlock, n - done);
    for (size_t i = 0; i < m; ++i) buf[kHistory + i] = in[(done + i) * stride];
    if (m == kBlock) {
      interpolate_block<kBlock>(table, buf, m, peak);
    } else {
      interpolate_block<0>(table, buf, m, peak);
    }
    for (size_t i = 0; i < m; ++i) best = max_f(best, peak[i]);
    if (peaks_out) std::memcpy(peaks_out + done, peak, m * sizeof(float));
    std::memmove(buf, buf + m, sizeof history_);
    done += m;
  }
  std::memcpy(history_, buf, sizeof history_);
  return best;
}

// ---------------------------------------------------------------------------------------------
// K-weighting. The BS.1770 tables are given for 48 kHz only; these are the analogue prototypes
// (shelf and RLB high-pass) that reproduce them, mapped through the bilinear transform with
// pre-warping so every sample rate gets the same curve.

LoudnessMeter::Biquad LoudnessMeter::shelf_stage(double fs) {
  const double f0 = 1681.974450955533;
  const double gain_db = 3.999843853973347;
  const double q = 0.7071752369554196;
  const double k = std::tan(kPi * f0 / fs);
  const double vh = std::pow(10.0, gain_db / 20.0);
  const double vb = std::pow(vh, 0.4996667741545416);
  const double a0 = 1.0 + k / q + k * k;
  Biquad b;
  b.b0 = (vh + vb * k / q + k * k) / a0;
  b.b1 = 2.0 * (k * k - vh) / a0;
  b.b2 = (vh - vb * k / q + k * k) / a0;
  b.a1 = 2.0 * (k * k - 1.0) / a0;
  b.a2 = (1.0 - k / q + k * k) / a0;
  return b;
}

LoudnessMeter::Biquad LoudnessMeter::highpass_stage(double fs) {
  const double f0 = 38.13547087602444;
  const double q = 0.5003270373238773;
  const double k = std::tan(kPi * f0 / fs);
  const double a0 = 1.0 + k / q + k * k;
  Biquad b;
  // BS.1770 keeps the numerator unnormalised (1, -2, 1); the -0.691 dB offset accounts for it.
  b.b0 = 1.0;
  b.b1 = -2.0;
  b.b2 = 1.0;
  b.a1 = 2.0 * (k * k - 1.0) / a0;
  b.a2 = (1.0 - k / q + k * k) / a0;
  return b;
}

// ---------------------------------------------------------------------------------------------
// LoudnessMeter

void LoudnessMeter::Histogram::clear() {
  energy.assign(kHistogramBins, 0.0);
  count.assign(kHistogramBins, 0);
}

void LoudnessMeter::Histogram::add(double block_energy) {
  const double lufs = energy_to_lufs(block_energy);
  if (!(lufs > kHistogramLowLufs)) return;  // absolute gate
  double pos = (lufs - kHistogramLowLufs) * kHistogramBinsPerLu;
  if (pos > kHistogramBins - 1) pos = kHistogramBins - 1;
  const size_t bin = static_cast<size_t>(pos);
  energy[bin] += block_energy;
  count[bin] += 1;
}

LoudnessMeter::LoudnessMeter(double sample_rate, int channels)
    : sample_rate_(sample_rate > 0.0 ? sample_rate : 48000.0),
      channels_(channels),
      used_channels_(std::clamp(channels, 0, kMaxChannels)) {
  subblock_frames_ = static_cast<size_t>(std::max(1.0, std::floor(sample_rate_ / 10.0 + 0.5)));
  shelf_ = shelf_stage(sample_rate_);
  highpass_ = highpass_stage(sample_rate_);
  for (int c = 0; c < kMaxChannels; ++c) weight_[c] = 1.0;
  if (channels == 6) {
    weight_[3] = 0.0;   // LFE
    weight_[4] = 1.41;  // Ls, BS.1770 Table 3
    weight_[5] = 1.41;  // Rs
  }
  reset();
}

void LoudnessMeter::reset() {
  std::memset(state_, 0, sizeof state_);
  std::memset(acc_, 0, sizeof acc_);
  std::memset(recent_, 0, sizeof recent_);
  subblock_fill_ = 0;
  subblocks_done_ = 0;
  gating_.clear();
  range_.clear();
  for (auto& p : peak_) p.reset();
  true_peak_ = 0.0f;
  sample_peak_ = 0.0f;
}

template <int C>
void LoudnessMeter::filter_frames(const float* x, size_t frames) {
  const int nch = C > 0 ? C : used_channels_;
  const size_t stride = static_cast<size_t>(channels_);
  const Biquad s = shelf_;
  const Biquad h = highpass_;
  double st[kMaxChannels][4];
  double acc[kMaxChannels];
  std::memcpy(st, state_, sizeof st);
  std::memcpy(acc, acc_, sizeof acc);
  float speak = sample_peak_;
  for (size_t f = 0; f < frames; ++f) {
    const float* frame = x + f * stride;
    // Channels innermost: their filter chains are independent, which hides the recursion's
    // latency when C is a compile-time constant.
    for (int c = 0; c < nch; ++c) {
      const float in = frame[c];
      speak = max_f(speak, abs_f(in));
      const double v = in;
      const double y1 = s.b0 * v + st[c][0];
      st[c][0] = s.b1 * v - s.a1 * y1 + st[c][1];
      st[c][1] = s.b2 * v - s.a2 * y1;
      const double y2 = h.b0 * y1 + st[c][2];
      st[c][2] = h.b1 * y1 - h.a1 * y2 + st[c][3];
      st[c][3] = h.b2 * y1 - h.a2 * y2;
      acc[c] += y2 * y2;
    }
  }
  std::memcpy(state_, st, sizeof st);
  std::memcpy(acc_, acc, sizeof acc);
  sample_peak_ = speak;
}

void LoudnessMeter::add_frames(const float* interleaved, size_t frames) {
  if (used_channels_ <= 0 || !interleaved) return;
  const size_t stride = static_cast<size_t>(channels_);
  while (frames > 0) {
    const size_t n = std::min(frames, subblock_frames_ - subblock_fill_);
    switch (used_channels_) {
      case 1: filter_frames<1>(interleaved, n); break;
      case 2: filter_frames<2>(interleaved, n); break;
      case 6: filter_frames<6>(interleaved, n); break;
      default: filter_frames<0>(interleaved, n); break;
    }
    for (int c = 0; c < used_channels_; ++c) {
      true_peak_ = max_f(true_peak_, peak_[c].process(interleaved + c, n, stride, nullptr));
    }
    subblock_fill_ += n;
    if (subblock_fill_ == subblock_frames_) finish_subblock();
    interleaved += n * stride;
    frames -= n;
  }
}

void LoudnessMeter::finish_subblock() {
  double e = 0.0;
  for (int c = 0; c < used_channels_; ++c) e += weight_[c] * acc_[c];
  std::memset(acc_, 0, sizeof acc_);
  subblock_fill_ = 0;
  recent_[subblocks_done_ % kShortTermSubblocks] = e;
  ++subblocks_done_;
  // Flushing vanishing filter state keeps long silences out of denormal arithmetic; doing it at
  // sub-block boundaries keeps the result independent of how the input was chunked.
  for (int c = 0; c < used_channels_; ++c) {
    for (double& v : state_[c]) {
      if (std::fabs(v) < 1e-30) v = 0.0;
    }
  }
  // Gating blocks: 400 ms every 100 ms (75 % overlap).
  if (subblocks_done_ >= 4) gating_.add(window_energy(4));
  // Loudness-range blocks: 3 s every 1 s (Tech 3342, 2/3 overlap).
  if (subblocks_done_ >= static_cast<uint64_t>(kShortTermSubblocks) && subblocks_done_ % 10 == 0) {
    range_.add(window_energy(kShortTermSubblocks));
  }
}

double LoudnessMeter::window_energy(int subblocks) const {
  // Oldest first, so the sum is formed in the same order every time.
  double sum = 0.0;
  const uint64_t have = std::min<uint64_t>(subblocks_done_, static_cast<uint64_t>(subblocks));
  for (uint64_t i = have; i > 0; --i) {
    sum += recent_[(subblocks_done_ - i) % kShortTermSubblocks];
  }
  return sum / (double(subblocks) * double(subblock_frames_));
}

double LoudnessMeter::Histogram::relative_threshold(double factor) const {
  double total = 0.0;
  uint64_t n = 0;
  for (int i = 0; i < kHistogramBins; ++i) {
    total += energy[i];
    n += count[i];
  }
  return n == 0 ? 0.0 : total / double(n) * factor;
}

double LoudnessMeter::integrated_lufs() const {
  // Relative gate -10 LU below the absolutely gated mean, compared in the energy domain.
  const double threshold = gating_.relative_threshold(0.1);
  if (!(threshold > 0.0)) return kNegInf;
  double gated = 0.0;
  uint64_t m = 0;
  for (int i = 0; i < kHistogramBins; ++i) {
    if (!gating_.above(i, threshold)) continue;
    gated += gating_.energy[i];
    m += gating_.count[i];
  }
  if (m == 0) return kNegInf;
  return energy_to_lufs(gated / double(m));
}

double LoudnessMeter::momentary_lufs() const { return energy_to_lufs(window_energy(4)); }

double LoudnessMeter::short_term_lufs() const {
  return energy_to_lufs(window_energy(kShortTermSubblocks));
}

double LoudnessMeter::loudness_range_lu() const {
  const double threshold = range_.relative_threshold(0.01);  // -20 LU relative gate
  if (!(threshold > 0.0)) return 0.0;
  uint64_t m = 0;
  for (int i = 0; i < kHistogramBins; ++i)
    if (range_.above(i, threshold)) m += range_.count[i];
  if (m < 2) return 0.0;
  // Nearest-rank percentiles over the gated short-term loudness distribution.
  const uint64_t low_rank = static_cast<uint64_t>(std::floor(double(m - 1) * 0.10 + 0.5));
  const uint64_t high_rank = static_cast<uint64_t>(std::floor(double(m - 1) * 0.95 + 0.5));
  double low = 0.0;
  double high = 0.0;
  uint64_t seen = 0;
  for (int i = 0; i < kHistogramBins; ++i) {
    if (!range_.above(i, threshold)) continue;
    const uint64_t c = range_.count[i];
    const double lufs = energy_to_lufs(range_.energy[i] / double(c));
    if (low_rank >= seen && low_rank < seen + c) low = lufs;
    if (high_rank >= seen && high_rank < seen + c) {
      high = lufs;
      break;
    }
    seen += c;
  }
  return std::max(0.0, high - low);
}

double LoudnessMeter::true_peak_dbtp() const {
  float p = true_peak_;
  for (int c = 0; c < used_channels_; ++c) p = max_f(p, peak_[c].pending_sample_peak());
  p = max_f(p, sample_peak_);
  return p > 0.0f ? 20.0 * std::log10(double(p)) : kNegInf;
}

double LoudnessMeter::sample_peak_dbfs() const {
  return sample_peak_ > 0.0f ? 20.0 * std::log10(double(sample_peak_)) : kNegInf;
}

}  // namespace tessera::audio
