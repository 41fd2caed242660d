// Tests for the look-ahead true-peak limiter: the output's true peak (BS.1770-4 Annex 2, as the
// meter measures it) never exceeds the ceiling, quiet input passes bit-exactly, the gain glides
// without steps, and the output does not depend on how the input is chunked.
#include <doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "audio/limiter.h"
#include "audio/loudness.h"

using tessera::audio::LoudnessMeter;
using tessera::audio::TruePeakLimiter;

namespace {

constexpr double kPi = 3.14159265358979323846;

struct Lcg {
  uint32_t s;
  float next() {  // [-1, 1)
    s = s * 1664525u + 1013904223u;
    return static_cast<float>(static_cast<double>(s >> 8) / 8388608.0 - 1.0);
  }
};

// Runs the whole signal through a fresh limiter in `chunk`-frame pieces, followed by enough
// silence to flush the look-ahead, and returns everything that came out.
std::vector<float> limit(const std::vector<float>& in, double fs, int channels, size_t chunk,
                         double ceiling = -1.0, double lookahead_ms = 1.5,
                         double release_ms = 100.0) {
  TruePeakLimiter lim(fs, channels, ceiling, lookahead_ms, release_ms);
  std::vector<float> x = in;
  x.resize(in.size() + static_cast<size_t>(lim.latency_frames() + 16) * channels, 0.0f);
  const size_t frames = x.size() / static_cast<size_t>(channels);
  for (size_t f = 0; f < frames; f += chunk) {
    lim.process(x.data() + f * channels, std::min(chunk, frames - f));
  }
  return x;
}

double true_peak(const std::vector<float>& x, double fs, int channels) {
  LoudnessMeter m(fs, channels);
  m.add_frames(x.data(), x.size() / static_cast<size_t>(channels));
  return m.true_peak_dbtp();
}

// Hot and awkward test programmes, each about 1 s of stereo.
std::vector<std::vector<float>> hot_signals(double fs) {
  const size_t n = static_cast<size_t>(fs);
  std::vector<std::vector<float>> out;
  // +20 dB sines, including near Nyquist where inter-sample peaks are largest.
  for (double f : {997.0, 5000.0, 11025.0, 17000.0, 19997.0}) {
    std::vector<float> x(n * 2);
    for (size_t i = 0; i < n; ++i) {
      const double s = 10.0 * std::sin(2.0 * kPi * f * double(i) / fs + 0.4);
      x[i * 2] = static_cast<float>(s);
      x[i * 2 + 1] = static_cast<float>(-0.5 * s);
    }
    out.push_back(x);
  }
  // +20 dB square waves (their steps ring between samples).
  for (double f : {100.0, 1000.0, 7000.0}) {
    std::vector<float> x(n * 2);
    for (size_t i = 0; i < n; ++i) {
      const float s = std::sin(2.0 * kPi * f * double(i) / fs + 0.1) >= 0.0 ? 10.0f : -10.0f;
      x[i * 2] = s;
      x[i * 2 + 1] = s;
    }
    out.push_back(x);
  }
  // Full-scale and +20 dB white noise, uncorrelated channels.
  for (float amp : {1.0f, 10.0f}) {
    std::vector<float> x(n * 2);
    Lcg r{static_cast<uint32_t>(amp * 7.0f)};
    for (float& v : x) v = amp * r.next();
    out.push_back(x);
  }
  // Noise whose level jumps by up to 30 dB every 13 frames.
  {
    std::vector<float> x(n * 2);
    Lcg r{99u};
    float a = 1.0f;
    for (size_t i = 0; i < n; ++i) {
      if (i % 13 == 0) a = static_cast<float>(std::pow(10.0, 1.5 * (double(r.next()) + 1.0)) / 3.0);
      x[i * 2] = a * r.next();
      x[i * 2 + 1] = a * r.next();
    }
    out.push_back(x);
  }
  // Transients after silence: a single +20 dB click, a hot DC step, an abrupt hot tone burst.
  {
    std::vector<float> x(n * 2, 0.0f);
    x[static_cast<size_t>(0.5 * fs) * 2] = 10.0f;
    x[static_cast<size_t>(0.7 * fs) * 2 + 1] = -10.0f;
    x[static_cast<size_t>(0.7 * fs) * 2 + 3] = 10.0f;
    out.push_back(x);
  }
  {
    std::vector<float> x(n * 2, 0.0f);
    for (size_t i = n / 2; i < n; ++i) x[i * 2] = x[i * 2 + 1] = 8.0f;
    out.push_back(x);
  }
  {
    std::vector<float> x(n * 2, 0.0f);
    for (size_t i = n / 2; i < n / 2 + 2000; ++i) {
      x[i * 2] = static_cast<float>(10.0 * std::cos(2.0 * kPi * 15000.0 * double(i) / fs));
    }
    out.push_back(x);
  }
  return out;
}

}  // namespace

TEST_CASE("hot input never exceeds the true-peak ceiling") {
  for (double fs : {48000.0, 44100.0}) {
    const auto signals = hot_signals(fs);
    for (size_t s = 0; s < signals.size(); ++s) {
      CAPTURE(fs);
      CAPTURE(s);
      const auto y = limit(signals[s], fs, 2, 128);
      const double tp = true_peak(y, fs, 2);
      CHECK(tp <= -1.0);
      // Limiting, not muting: peaks land just under the ceiling.
      CHECK(tp >= -1.5);
    }
  }
}

TEST_CASE("the ceiling holds for other ceilings, look-aheads and releases") {
  const double fs = 48000.0;
  const auto signals = hot_signals(fs);
  struct Setting {
    double ceiling, lookahead, release;
  };
  for (const Setting& st : {Setting{-0.1, 1.5, 100.0}, Setting{-2.0, 1.0, 10.0},
                            Setting{-6.0, 5.0, 500.0}, Setting{-1.0, 1.0, 1.0},
                            Setting{-1.0, 0.1, 1.0}}) {
    for (size_t s = 0; s < signals.size(); ++s) {
      CAPTURE(st.ceiling);
      CAPTURE(st.lookahead);
      CAPTURE(st.release);
      CAPTURE(s);
      const auto y = limit(signals[s], fs, 2, 128, st.ceiling, st.lookahead, st.release);
      CHECK(true_peak(y, fs, 2) <= st.ceiling);
    }
  }
}

TEST_CASE("quiet programme passes bit-exactly, delayed by the latency") {
  const double fs = 48000.0;
  const size_t n = static_cast<size_t>(fs);
  // Sine + noise peaking around -2 dBTP: below the ceiling by more than the margin.
  std::vector<float> x(n * 2);
  Lcg r{5u};
  for (size_t i = 0; i < n; ++i) {
    const double s = 0.6 * std::sin(2.0 * kPi * 3000.0 * double(i) / fs);
    x[i * 2] = static_cast<float>(s + 0.1 * r.next());
    x[i * 2 + 1] = static_cast<float>(-s + 0.1 * r.next());
  }
  CHECK(true_peak(x, fs, 2) < -1.1);
  TruePeakLimiter lim(fs, 2);
  const size_t d = static_cast<size_t>(lim.latency_frames());
  std::vector<float> y = x;
  y.resize(x.size() + d * 2, 0.0f);
  lim.process(y.data(), y.size() / 2);
  CHECK(lim.gain_reduction_db() == 0.0);
  bool silent_start = true;
  for (size_t i = 0; i < d * 2; ++i) silent_start = silent_start && y[i] == 0.0f;
  CHECK(silent_start);
  CHECK(std::memcmp(y.data() + d * 2, x.data(), x.size() * sizeof(float)) == 0);
}

TEST_CASE("transparency returns once the release has finished") {
  const double fs = 48000.0;
  const size_t n = static_cast<size_t>(3 * fs);
  std::vector<float> x(n * 2);
  for (size_t i = 0; i < n; ++i) {
    const double amp = i < n / 6 ? 5.0 : 0.3;  // 0.5 s hot, then quiet
    x[i * 2] = x[i * 2 + 1] = static_cast<float>(amp * std::sin(2.0 * kPi * 440.0 * double(i) / fs));
  }
  TruePeakLimiter lim(fs, 2);
  const size_t d = static_cast<size_t>(lim.latency_frames());
  std::vector<float> y = x;
  lim.process(y.data(), n / 6);
  CHECK(lim.gain_reduction_db() > 10.0);
  lim.process(y.data() + n / 6 * 2, n - n / 6);
  CHECK(lim.gain_reduction_db() == 0.0);
  // The last second is untouched.
  const size_t from = n - static_cast<size_t>(fs);
  CHECK(std::memcmp(y.data() + from * 2, x.data() + (from - d) * 2,
                    static_cast<size_t>(fs) * 2 * sizeof(float)) == 0);
}

TEST_CASE("the gain glides: no steps, limited slope, reached before the peak") {
  const double fs = 48000.0;
  const size_t n = static_cast<size_t>(fs);
  // DC makes the gain visible: output / input. 0.25 (quiet), then 8.0 (hot), then 0.25.
  std::vector<float> x(n * 2);
  for (size_t i = 0; i < n; ++i) {
    const float v = (i >= n / 4 && i < n / 2) ? 8.0f : 0.25f;
    x[i * 2] = x[i * 2 + 1] = v;
  }
  const auto y = limit(x, fs, 2, 128);
  TruePeakLimiter probe(fs, 2);
  const size_t d = static_cast<size_t>(probe.latency_frames());
  const double attack_frames = 1.5e-3 * fs;
  double worst_step_db = 0.0;
  double deepest_db = 0.0;
  double prev_db = 0.0;
  bool untouched_before = true;
  bool linked = true;
  for (size_t i = 0; i < n; ++i) {
    const double g = double(y[(i + d) * 2]) / double(x[i * 2]);
    linked = linked && y[(i + d) * 2] == y[(i + d) * 2 + 1];
    const double gdb = 20.0 * std::log10(g);
    if (i > 0) worst_step_db = std::max(worst_step_db, std::fabs(gdb - prev_db));
    deepest_db = std::min(deepest_db, gdb);
    prev_db = gdb;
    // Before the hot part (beyond the look-ahead) nothing happens.
    if (i + static_cast<size_t>(attack_frames) + 20 < n / 4) untouched_before = untouched_before && g == 1.0;
  }
  CHECK(linked);
  CHECK(untouched_before);
  CHECK(deepest_db < -18.0);
  // The S-curve's steepest step: the full depth over half the look-ahead (the larger of the two
  // moving averages).
  CHECK(worst_step_db <= -deepest_db / (attack_frames / 2.0));
  // At the first hot frame the gain is already down.
  const double first_hot = double(y[(n / 4 + d) * 2]) / 8.0;
  CHECK(20.0 * std::log10(first_hot) <= -18.0);
  CHECK(true_peak(y, fs, 2) <= -1.0);
}

TEST_CASE("chunking does not change a single output byte") {
  const double fs = 48000.0;
  const auto signals = hot_signals(fs);
  std::vector<float> x;
  for (const auto& s : signals) x.insert(x.end(), s.begin(), s.begin() + static_cast<long>(s.size() / 4));
  const auto ref = limit(x, fs, 2, x.size());
  for (size_t chunk : {size_t(1), size_t(7), size_t(128), size_t(1000), size_t(4800)}) {
    CAPTURE(chunk);
    const auto y = limit(x, fs, 2, chunk);
    CHECK(y.size() == ref.size());
    if (y.size() == ref.size()) CHECK(std::memcmp(y.data(), ref.data(), y.size() * sizeof(float)) == 0);
  }
  // Irregular chunk sizes too.
  TruePeakLimiter lim(fs, 2);
  std::vector<float> y = x;
  y.resize(ref.size(), 0.0f);
  Lcg r{3u};
  const size_t frames = y.size() / 2;
  for (size_t f = 0; f < frames;) {
    const size_t c = std::min(frames - f, static_cast<size_t>((r.next() + 1.0f) * 300.0f));
    lim.process(y.data() + f * 2, c);
    f += c;
  }
  CHECK(std::memcmp(y.data(), ref.data(), y.size() * sizeof(float)) == 0);
}

TEST_CASE("latency, reset and reporting") {
  const double fs = 48000.0;
  TruePeakLimiter lim(fs, 2);
  CHECK(lim.latency_frames() > 0);
  CHECK(lim.latency_frames() < static_cast<int>(0.003 * fs));
  std::vector<float> x(512 * 2, 0.0f);
  x[10 * 2] = 0.5f;
  x[10 * 2 + 1] = -0.25f;
  std::vector<float> y = x;
  lim.process(y.data(), 512);
  const size_t at = 10 + static_cast<size_t>(lim.latency_frames());
  CHECK(y[at * 2] == 0.5f);
  CHECK(y[at * 2 + 1] == -0.25f);
  // After a reset the limiter behaves like a new one.
  const auto hot = hot_signals(fs)[5];  // 1 kHz square, +20 dB
  std::vector<float> a = hot;
  lim.process(a.data(), a.size() / 2);
  CHECK(lim.gain_reduction_db() > 15.0);
  lim.reset();
  CHECK(lim.gain_reduction_db() == 0.0);
  std::vector<float> b = hot;
  lim.process(b.data(), b.size() / 2);
  TruePeakLimiter fresh(fs, 2);
  std::vector<float> c = hot;
  fresh.process(c.data(), c.size() / 2);
  CHECK(std::memcmp(b.data(), c.data(), b.size() * sizeof(float)) == 0);
}

TEST_CASE("mono and 5.1: one gain for every channel") {
  const double fs = 48000.0;
  const size_t n = static_cast<size_t>(fs / 2);
  for (int channels : {1, 6}) {
    CAPTURE(channels);
    std::vector<float> x(n * static_cast<size_t>(channels));
    for (size_t i = 0; i < n; ++i) {
      const double s = std::sin(2.0 * kPi * 1000.0 * double(i) / fs);
      for (int c = 0; c < channels; ++c) {
        // Channel 0 is hot, the others quiet: they are ducked by the same gain.
        x[i * channels + c] = static_cast<float>((c == 0 ? 6.0 : 0.1) * s);
      }
    }
    const auto y = limit(x, fs, channels, 128);
    CHECK(true_peak(y, fs, channels) <= -1.0);
    TruePeakLimiter probe(fs, channels);
    const size_t d = static_cast<size_t>(probe.latency_frames());
    for (size_t i = n / 2; i < n / 2 + 100 && channels > 1; ++i) {
      const double g0 = double(y[(i + d) * channels]) / double(x[i * channels]);
      const double g5 = double(y[(i + d) * channels + 5]) / double(x[i * channels + 5]);
      CHECK(std::fabs(g0 - g5) < 1e-5);
      CHECK(g0 < 0.2);
    }
  }
}
