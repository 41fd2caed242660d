// Polyphase Kaiser-windowed-sinc sample-rate converter; see resample.h for the design.
#include "audio/resample.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tessera::audio {
namespace {

// Design target for the stopband, dB. 100 leaves margin over the 80 dB requirement for the
// float rounding of the table and of the dot products.
constexpr double kStopbandDb = 100.0;
// Passband edge and stopband edge as fractions of the lower Nyquist frequency.
constexpr double kPassEdge = 0.90;
constexpr double kStopEdge = 1.00;

constexpr double kPi = 3.14159265358979323846;

// Zeroth-order modified Bessel function of the first kind, by its power series (converges fast
// for the arguments a Kaiser window needs, beta < 15). Only used to build the table.
double bessel_i0(double x) {
  double sum = 1.0, term = 1.0;
  const double q = x * x / 4.0;
  for (int k = 1; k < 200; ++k) {
    term *= q / (static_cast<double>(k) * static_cast<double>(k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

}  // namespace

Resampler::Resampler(int in_rate, int out_rate, int channels)
    : in_rate_(in_rate), out_rate_(out_rate), channels_(channels) {
  if (in_rate <= 0 || out_rate <= 0 || channels <= 0) return;
  const int g = std::gcd(in_rate, out_rate);
  up_ = out_rate / g;
  down_ = in_rate / g;
  buf_.assign(static_cast<size_t>(channels), {});
  if (up_ == down_) {
    identity_ = true;
    ok_ = true;
    return;
  }
  if (up_ > kMaxPhases) return;

  // Kaiser design (Kaiser's empirical formulas), in units of input samples: the kernel is a
  // continuous function of time sampled at L sub-sample offsets.
  const double nyq_lo = 0.5 * std::min(in_rate, out_rate);
  const double cutoff_hz = 0.5 * (kPassEdge + kStopEdge) * nyq_lo;  // the -6 dB point
  const double transition_hz = (kStopEdge - kPassEdge) * nyq_lo;
  const double d_omega = 2.0 * kPi * transition_hz / in_rate;  // rad per input sample
  const double beta = 0.1102 * (kStopbandDb - 8.7);
  const double length = (kStopbandDb - 8.0) / (2.285 * d_omega);
  // Half-length H in input samples, a multiple of 4 so K = 2H is a multiple of 8 (the dot
  // product runs 8 lanes).
  half_ = static_cast<int>(std::ceil(length / 2.0));
  half_ = (half_ + 3) / 4 * 4;
  taps_ = 2 * half_;
  const double fc2 = 2.0 * cutoff_hz / in_rate;  // cutoff as a fraction of the input Nyquist
  const double i0_beta = bessel_i0(beta);

  table_.assign(static_cast<size_t>(up_) * taps_, 0.0f);
  std::vector<double> h(static_cast<size_t>(taps_));
  for (int p = 0; p < up_; ++p) {
    const double frac = static_cast<double>(p) / up_;
    double sum = 0;
    for (int j = 0; j < taps_; ++j) {
      // Tap j reads input frame base - (H-1) + j; its distance from the output instant
      // base + frac is frac + (H-1) - j.
      const double tau = frac + (half_ - 1) - j;
      const double r = tau / half_;
      double w = 0;
      if (std::fabs(r) < 1.0) w = bessel_i0(beta * std::sqrt(1.0 - r * r)) / i0_beta;
      const double x = kPi * fc2 * tau;
      const double sinc = (tau == 0.0) ? 1.0 : std::sin(x) / x;
      h[j] = fc2 * sinc * w;
      sum += h[j];
    }
    // Normalise each phase to unit DC gain, so a constant stays exactly as constant as the
    // float sums allow, whatever the phase (no DC ripple at the phase rate).
    for (int j = 0; j < taps_; ++j)
      table_[static_cast<size_t>(p) * taps_ + j] = static_cast<float>(h[j] / sum);
  }
  ok_ = true;
  reset();
}

void Resampler::reset() {
  flushed_ = false;
  in_count_ = 0;
  out_pos_ = 0;
  for (auto& b : buf_) b.clear();
  if (identity_) {
    buf_start_ = 0;
    return;
  }
  // Input before frame 0 is silence: H-1 zeros so the first output's taps all exist.
  buf_start_ = -(half_ - 1);
  for (auto& b : buf_) b.assign(static_cast<size_t>(half_ - 1), 0.0f);
}

void Resampler::push(const float* interleaved, size_t frames) {
  if (!ok_ || flushed_ || frames == 0) return;
  for (int c = 0; c < channels_; ++c) {
    auto& b = buf_[c];
    const size_t old = b.size();
    b.resize(old + frames);
    for (size_t i = 0; i < frames; ++i) b[old + i] = interleaved[i * channels_ + c];
  }
  in_count_ += static_cast<int64_t>(frames);
}

void Resampler::flush() {
  if (!ok_ || flushed_) return;
  flushed_ = true;
  // H zeros after the last frame cover the taps of the last output frame.
  if (!identity_)
    for (auto& b : buf_) b.insert(b.end(), static_cast<size_t>(half_), 0.0f);
}

int64_t Resampler::output_frames_for_input() const {
  if (!ok_) return 0;
  return (in_count_ * up_ + down_ - 1) / down_;
}

size_t Resampler::available() const {
  if (!ok_) return 0;
  int64_t limit;
  if (identity_) {
    limit = in_count_;
  } else if (flushed_) {
    limit = output_frames_for_input();
  } else {
    // Output n needs input frame floor(n*M/L) + H: n < (in_count - H) * L / M.
    const int64_t usable = in_count_ - half_;
    limit = usable > 0 ? (usable * up_ + down_ - 1) / down_ : 0;
  }
  return limit > out_pos_ ? static_cast<size_t>(limit - out_pos_) : 0;
}

size_t Resampler::pull(float* out, size_t max_frames) {
  const size_t n = std::min(max_frames, available());
  if (n == 0) return 0;
  if (identity_) {
    const size_t at = static_cast<size_t>(out_pos_ - buf_start_);
    for (size_t i = 0; i < n; ++i)
      for (int c = 0; c < channels_; ++c) out[i * channels_ + c] = buf_[c][at + i];
    out_pos_ += static_cast<int64_t>(n);
    compact();
    return n;
  }
  const size_t k = static_cast<size_t>(taps_);
  for (size_t i = 0; i < n; ++i) {
    const int64_t t = out_pos_ * down_;
    const int64_t base = t / up_;
    const int phase = static_cast<int>(t - base * up_);
    const float* coef = phase_taps(phase);
    const size_t first = static_cast<size_t>(base - (half_ - 1) - buf_start_);
    for (int c = 0; c < channels_; ++c) {
      const float* x = buf_[c].data() + first;
      // Eight independent partial sums in a fixed order: deterministic, and a shape compilers
      // turn into one SIMD multiply-add chain.
      float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      for (size_t j = 0; j < k; j += 8)
        for (size_t l = 0; l < 8; ++l) acc[l] += coef[j + l] * x[j + l];
      out[i * channels_ + c] = ((acc[0] + acc[4]) + (acc[1] + acc[5])) +
                               ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    }
    ++out_pos_;
  }
  compact();
  return n;
}

// Drops input no future output reads, in large steps so the memmove cost stays amortised.
void Resampler::compact() {
  int64_t keep_from;
  if (identity_) {
    keep_from = out_pos_;
  } else {
    keep_from = (out_pos_ * down_) / up_ - (half_ - 1);
  }
  const int64_t drop = keep_from - buf_start_;
  if (drop < 8192) return;
  for (auto& b : buf_) b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(drop));
  buf_start_ = keep_from;
}

}  // namespace tessera::audio
