// Look-ahead true-peak limiter (ceiling in dBTP per ITU-R BS.1770-4 Annex 2).
#include "audio/limiter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tessera::audio {

namespace {

// Gains are whole units of 2^-24 octave (3.6e-7 dB): fine enough that a tiny change of the input
// (browsers' Opus and AAC decoders differ by about 5e-8) moves the gain by as little, so the
// limiter never amplifies such a difference (src/engine/offline-mix.test.ts).
constexpr int kUnitBits = 24;
constexpr double kUnitsPerOctave = 16777216.0;
constexpr double kDbPerUnit = 6.020599913279624 / kUnitsPerOctave;  // 20 log10(2) / 2^24
constexpr double kChordUnits = kUnitsPerOctave / 65536.0;  // the log table's chord error bound scale

struct Tables {
  double log2_mantissa[257];  // log2(1 + k / 256) in units
  float exp_high[256];        // 2^(-k / 256)
  float exp_mid[256];         // 2^(-k / 65536)
  float exp_low[256];         // 2^(-k / 2^24)
  Tables() {
    for (int k = 0; k <= 256; ++k) log2_mantissa[k] = std::log2(1.0 + k / 256.0) * kUnitsPerOctave;
    for (int k = 0; k < 256; ++k) {
      exp_high[k] = static_cast<float>(std::exp2(-k / 256.0));
      exp_mid[k] = static_cast<float>(std::exp2(-k / 65536.0));
      exp_low[k] = static_cast<float>(std::exp2(-k / kUnitsPerOctave));
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

inline float max_f(float a, float b) { return a > b ? a : b; }

// held[i] = max(req[i .. i + span - 1]); N != 0 gives the vectoriser constant trip counts.
template <size_t N>
void hold_max(int32_t* held, const int32_t* req, size_t n, size_t span) {
  const size_t count = N != 0 ? N : n;
  for (size_t i = 0; i < count; ++i) held[i] = req[i];
  for (size_t q = 1; q < span; ++q) {
    const int32_t* r = req + q;
    for (size_t i = 0; i < count; ++i) held[i] = held[i] > r[i] ? held[i] : r[i];
  }
}

uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

float bits_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

}  // namespace

TruePeakLimiter::TruePeakLimiter(double sample_rate, int channels, double ceiling_dbtp,
                                 double lookahead_ms, double release_ms)
    : channels_(std::max(channels, 0)), ceiling_dbtp_(std::clamp(ceiling_dbtp, -60.0, 6.0)) {
  const double fs = sample_rate > 0.0 ? sample_rate : 48000.0;
  const double threshold = std::pow(10.0, (ceiling_dbtp_ - kMarginDb) / 20.0);
  threshold_ = static_cast<float>(threshold);
  threshold_log_ = static_cast<int64_t>(std::floor(std::log2(double(threshold_)) * kUnitsPerOctave));
  const double lookahead = std::clamp(lookahead_ms, 1.0, 50.0);
  attack_ = static_cast<int>(std::max(3.0, std::floor(lookahead * fs / 1000.0 + 0.5)));
  box1_ = (attack_ + 1) / 2;
  box2_ = attack_ + 1 - box1_;
  hold_span_ = attack_ + 2 * kHold;
  latency_ = TruePeakDetector::kLatency + kHold + attack_ - 1;
  const double release_frames = std::max(1.0, std::max(release_ms, 1.0) * fs / 1000.0);
  release_mul_ = static_cast<uint32_t>(
      std::min(4294967295.0, std::floor(std::exp(-1.0 / release_frames) * 4294967296.0)));
  required_.assign(static_cast<size_t>(hold_span_ - 1) + kBlock, 0);
  held_.assign(kBlock, 0);
  ring1_.assign(static_cast<size_t>(box1_), 0);
  ring2_.assign(static_cast<size_t>(box2_), 0);
  delay_.assign(static_cast<size_t>(channels_) * (static_cast<size_t>(latency_) + kBlock), 0.0f);
  detectors_.resize(static_cast<size_t>(channels_));
  tables();
  reset();
}

void TruePeakLimiter::reset() {
  std::fill(required_.begin(), required_.end(), 0);
  std::fill(held_.begin(), held_.end(), 0);
  std::fill(ring1_.begin(), ring1_.end(), 0);
  std::fill(ring2_.begin(), ring2_.end(), 0);
  box_sum1_ = 0;
  box_sum2_ = 0;
  pos1_ = 0;
  pos2_ = 0;
  std::fill(delay_.begin(), delay_.end(), 0.0f);
  for (auto& d : detectors_) d.reset();
  release_state_ = 0;
  reduction_ = 0;
}

double TruePeakLimiter::gain_reduction_db() const { return reduction_ * kDbPerUnit; }

// Reduction (units of 2^-24 octave) that brings `peak` (> threshold_) down to the threshold,
// rounded up: the mantissa's log comes from chords of a concave curve, which lie below it by at
// most 0.2 / 65536 octave (0.2 kChordUnits), and the truncation below loses under 1 unit. The
// chords make it continuous in the peak, so a tiny change of the input is a tiny change of gain.
int32_t TruePeakLimiter::reduction_for(float peak) const {
  const Tables& t = tables();
  const uint32_t bits = float_bits(peak);
  const int exponent = static_cast<int>((bits >> 23) & 0xFF) - 127;
  const uint32_t mantissa = bits & 0x7FFFFF;
  const uint32_t idx = mantissa >> 15;
  const double frac = double(mantissa & 0x7FFF) * (1.0 / 32768.0);
  const double lo = t.log2_mantissa[idx];
  const double l = exponent * kUnitsPerOctave + lo + (t.log2_mantissa[idx + 1] - lo) * frac;
  const int64_t r = static_cast<int64_t>(l) + static_cast<int64_t>(kChordUnits) + 2 - threshold_log_;
  // 2^29 units (32 octaves, -193 dB) already means silence, and keeps the release arithmetic in range.
  return static_cast<int32_t>(std::clamp<int64_t>(r, 1, int64_t(1) << 29));
}

float TruePeakLimiter::gain_for(int32_t reduction) const {
  if (reduction == 0) return 1.0f;
  const Tables& t = tables();
  const int32_t octaves = reduction >> kUnitBits;
  if (octaves >= 126) return 0.0f;
  const float scale = bits_float(static_cast<uint32_t>(127 - octaves) << 23);  // 2^-octaves
  return t.exp_high[(reduction >> 16) & 0xFF] * t.exp_mid[(reduction >> 8) & 0xFF] * t.exp_low[reduction & 0xFF] *
         scale;
}

void TruePeakLimiter::process(float* interleaved, size_t frames) {
  if (channels_ == 0 || !interleaved) return;
  while (frames > 0) {
    const size_t n = std::min(frames, kBlock);
    process_block(interleaved, n);
    interleaved += n * static_cast<size_t>(channels_);
    frames -= n;
  }
}

void TruePeakLimiter::process_block(float* io, size_t n) {
  const size_t nch = static_cast<size_t>(channels_);
  const size_t lat = static_cast<size_t>(latency_);
  const size_t span = lat + kBlock;
  const size_t req_hist = static_cast<size_t>(hold_span_ - 1);
  float peak[kBlock];
  float tmp[kBlock];
  float gains[kBlock];

  // 1. Take the input into the delay lines and find each frame's 4x peak (linked: max over
  //    channels). The detector reports frame t - kLatency when given frame t.
  std::fill(peak, peak + n, 0.0f);
  for (size_t c = 0; c < nch; ++c) {
    float* line = delay_.data() + c * span;
    for (size_t i = 0; i < n; ++i) line[lat + i] = io[i * nch + c];
    detectors_[c].process(line + lat, n, 1, tmp);
    for (size_t i = 0; i < n; ++i) peak[i] = max_f(peak[i], tmp[i]);
  }

  // 2. Reduction each frame needs on its own.
  int32_t* req = required_.data();
  int32_t any = 0;
  for (size_t i = 0; i < n; ++i) {
    const int32_t r = peak[i] > threshold_ ? reduction_for(peak[i]) : 0;
    req[req_hist + i] = r;
    any |= r;
  }
  for (size_t i = 0; i < req_hist; ++i) any |= req[i];

  // 3. Hold each requirement over the frames that must carry it (max over hold_span_ frames),
  //    then average over the look-ahead.
  int32_t* held = held_.data();
  if (any == 0) {
    std::fill(held, held + n, 0);
  } else {
    const size_t span_frames = static_cast<size_t>(hold_span_);
    if (n == kBlock) {
      hold_max<kBlock>(held, req, n, span_frames);
    } else {
      hold_max<0>(held, req, n, span_frames);
    }
  }

  if (any == 0 && release_state_ == 0 && box_sum1_ == 0 && box_sum2_ == 0) {
    // Idle: unity gain, output is exactly the delayed input.
    for (size_t c = 0; c < nch; ++c) {
      const float* line = delay_.data() + c * span;
      for (size_t i = 0; i < n; ++i) io[i * nch + c] = line[i];
    }
  } else {
    uint64_t state = release_state_;
    int64_t sum1 = box_sum1_;
    int64_t sum2 = box_sum2_;
    size_t p1 = pos1_;
    size_t p2 = pos2_;
    int32_t* ring1 = ring1_.data();
    int32_t* ring2 = ring2_.data();
    const size_t len1 = ring1_.size();
    const size_t len2 = ring2_.size();
    int32_t red = reduction_;
    for (size_t i = 0; i < n; ++i) {
      // state <= 2^29 and release_mul_ < 2^32: the product fits. Flooring makes it reach 0.
      state = std::max(static_cast<uint64_t>(held[i]), (state * release_mul_) >> 32);
      // Rounding up at every stage keeps the gain at or below every requirement it covers.
      const int32_t released = static_cast<int32_t>(state);
      sum1 += released - ring1[p1];
      ring1[p1] = released;
      p1 = p1 + 1 == len1 ? 0 : p1 + 1;
      const int32_t avg1 = static_cast<int32_t>((sum1 + int64_t(len1) - 1) / int64_t(len1));
      sum2 += avg1 - ring2[p2];
      ring2[p2] = avg1;
      p2 = p2 + 1 == len2 ? 0 : p2 + 1;
      red = static_cast<int32_t>((sum2 + int64_t(len2) - 1) / int64_t(len2));
      gains[i] = gain_for(red);
    }
    release_state_ = state;
    box_sum1_ = sum1;
    box_sum2_ = sum2;
    pos1_ = p1;
    pos2_ = p2;
    reduction_ = red;
    for (size_t c = 0; c < nch; ++c) {
      const float* line = delay_.data() + c * span;
      for (size_t i = 0; i < n; ++i) io[i * nch + c] = gains[i] * line[i];
    }
  }

  // 4. Slide the histories.
  std::memmove(req, req + n, req_hist * sizeof(int32_t));
  for (size_t c = 0; c < nch; ++c) {
    float* line = delay_.data() + c * span;
    std::memmove(line, line + n, lat * sizeof(float));
  }
}

}  // namespace tessera::audio
