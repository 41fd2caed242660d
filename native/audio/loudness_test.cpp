// Tests for the BS.1770-4 / EBU R128 loudness meter against the EBU Tech 3341 minimum
// requirements and the Tech 3342 loudness-range cases, with the test signals synthesised here.
#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "audio/loudness.h"

using tessera::audio::LoudnessMeter;
using tessera::audio::TruePeakDetector;

namespace {

constexpr double kPi = 3.14159265358979323846;

// One segment of a 1 kHz (by default) tone: level in dBFS (sine peak), duration in seconds.
struct Segment {
  double dbfs;
  double seconds;
};

// Interleaved tone with the same signal on every channel (level per channel as in Tech 3341),
// phase continuous across segments.
std::vector<float> tone(double fs, int channels, const std::vector<Segment>& segments,
                        double freq = 1000.0) {
  std::vector<float> out;
  size_t t = 0;
  for (const Segment& s : segments) {
    const size_t n = static_cast<size_t>(std::llround(s.seconds * fs));
    const double amp = std::pow(10.0, s.dbfs / 20.0);
    for (size_t i = 0; i < n; ++i, ++t) {
      const float v = static_cast<float>(amp * std::sin(2.0 * kPi * freq * double(t) / fs));
      for (int c = 0; c < channels; ++c) out.push_back(v);
    }
  }
  return out;
}

LoudnessMeter measure(double fs, int channels, const std::vector<float>& x) {
  LoudnessMeter m(fs, channels);
  m.add_frames(x.data(), x.size() / static_cast<size_t>(channels));
  return m;
}

// Deterministic pseudo-random numbers in [-1, 1).
struct Lcg {
  uint32_t s;
  float next() {
    s = s * 1664525u + 1013904223u;
    return static_cast<float>(static_cast<double>(s >> 8) / 8388608.0 - 1.0);
  }
};

// Magnitude (dB) of a biquad cascade at frequency f.
double response_db(const LoudnessMeter::Biquad& a, const LoudnessMeter::Biquad& b, double f,
                   double fs) {
  auto mag = [&](const LoudnessMeter::Biquad& q) {
    const double w = 2.0 * kPi * f / fs;
    const double nr = q.b0 + q.b1 * std::cos(w) + q.b2 * std::cos(2 * w);
    const double ni = -q.b1 * std::sin(w) - q.b2 * std::sin(2 * w);
    const double dr = 1.0 + q.a1 * std::cos(w) + q.a2 * std::cos(2 * w);
    const double di = -q.a1 * std::sin(w) - q.a2 * std::sin(2 * w);
    return std::sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
  };
  return 20.0 * std::log10(mag(a) * mag(b));
}

// A 20 ms raised-cosine fade-in: a tone switched on abruptly after the (silent) time before the
// stream really does overshoot between samples, which is not what these cases measure.
void fade_in(std::vector<float>& x, double fs) {
  const size_t n = std::min(x.size(), static_cast<size_t>(0.02 * fs));
  for (size_t i = 0; i < n; ++i) {
    x[i] *= static_cast<float>(0.5 - 0.5 * std::cos(kPi * double(i) / double(n)));
  }
}

// True peak of a mono signal as the meter reports it.
double true_peak_of(const std::vector<float>& x, double fs = 48000.0) {
  LoudnessMeter m(fs, 1);
  m.add_frames(x.data(), x.size());
  return m.true_peak_dbtp();
}

}  // namespace

TEST_CASE("K-weighting coefficients at 48 kHz match the BS.1770-4 table") {
  const auto s = LoudnessMeter::shelf_stage(48000.0);
  CHECK(std::fabs(s.b0 - 1.53512485958697) < 1e-8);
  CHECK(std::fabs(s.b1 - -2.69169618940638) < 1e-8);
  CHECK(std::fabs(s.b2 - 1.19839281085285) < 1e-8);
  CHECK(std::fabs(s.a1 - -1.69065929318241) < 1e-8);
  CHECK(std::fabs(s.a2 - 0.73248077421585) < 1e-8);
  const auto h = LoudnessMeter::highpass_stage(48000.0);
  CHECK(h.b0 == 1.0);
  CHECK(h.b1 == -2.0);
  CHECK(h.b2 == 1.0);
  CHECK(std::fabs(h.a1 - -1.99004745483398) < 1e-8);
  CHECK(std::fabs(h.a2 - 0.99007225036621) < 1e-8);
}

TEST_CASE("K-weighting has the same response at 44.1 kHz as at 48 kHz") {
  const auto s48 = LoudnessMeter::shelf_stage(48000.0);
  const auto h48 = LoudnessMeter::highpass_stage(48000.0);
  const auto s44 = LoudnessMeter::shelf_stage(44100.0);
  const auto h44 = LoudnessMeter::highpass_stage(44100.0);
  for (double f : {20.0, 50.0, 100.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0}) {
    CAPTURE(f);
    CHECK(std::fabs(response_db(s48, h48, f, 48000.0) - response_db(s44, h44, f, 44100.0)) <
          0.05);
  }
  // The curve's landmarks: about +4 dB shelf at high frequencies, high-pass around 38 Hz.
  CHECK(response_db(s48, h48, 10000.0, 48000.0) == doctest::Approx(4.0).epsilon(0.02));
  CHECK(response_db(s48, h48, 20.0, 48000.0) < -10.0);
}

TEST_CASE("Tech 3341 case 1 and 2: stereo 1 kHz at -23 and -33 dBFS") {
  for (double fs : {48000.0, 44100.0}) {
    CAPTURE(fs);
    for (double level : {-23.0, -33.0}) {
      CAPTURE(level);
      const auto m = measure(fs, 2, tone(fs, 2, {{level, 20.0}}));
      CHECK(std::fabs(m.integrated_lufs() - level) <= 0.1);
      CHECK(std::fabs(m.momentary_lufs() - level) <= 0.1);
      CHECK(std::fabs(m.short_term_lufs() - level) <= 0.1);
      CHECK(m.loudness_range_lu() < 0.1);
    }
  }
}

TEST_CASE("Tech 3341 cases 3-5: gating") {
  for (double fs : {48000.0, 44100.0}) {
    CAPTURE(fs);
    const auto c3 = measure(fs, 2, tone(fs, 2, {{-36, 10}, {-23, 60}, {-36, 10}}));
    CHECK(std::fabs(c3.integrated_lufs() - -23.0) <= 0.1);
    const auto c4 =
        measure(fs, 2, tone(fs, 2, {{-72, 10}, {-36, 10}, {-23, 60}, {-36, 10}, {-72, 10}}));
    CHECK(std::fabs(c4.integrated_lufs() - -23.0) <= 0.1);
    const auto c5 = measure(fs, 2, tone(fs, 2, {{-26, 20}, {-20, 20.1}, {-26, 20}}));
    CHECK(std::fabs(c5.integrated_lufs() - -23.0) <= 0.1);
  }
}

TEST_CASE("Tech 3341 case 6: 5.1 channel weighting, LFE ignored") {
  const double fs = 48000.0;
  const size_t n = static_cast<size_t>(20 * fs);
  // L R C LFE Ls Rs at -28 -28 -24 (LFE loud, must not count) -30 -30 dBFS.
  const double levels[6] = {-28, -28, -24, -10, -30, -30};
  std::vector<float> x(n * 6);
  for (size_t i = 0; i < n; ++i) {
    const double s = std::sin(2.0 * kPi * 1000.0 * double(i) / fs);
    for (int c = 0; c < 6; ++c) {
      x[i * 6 + c] = static_cast<float>(std::pow(10.0, levels[c] / 20.0) * s);
    }
  }
  const auto m = measure(fs, 6, x);
  CHECK(std::fabs(m.integrated_lufs() - -23.0) <= 0.1);
}

TEST_CASE("Tech 3341 case 9: short-term loudness of a 3 s periodic burst is constant") {
  const double fs = 48000.0;
  std::vector<Segment> seq;
  for (int i = 0; i < 20; ++i) {
    seq.push_back({-20.0, 1.34});
    seq.push_back({-30.0, 1.66});
  }
  const auto x = tone(fs, 2, seq);
  LoudnessMeter m(fs, 2);
  const size_t hop = 4800;  // read the meter every 100 ms
  size_t frames = x.size() / 2;
  double lo = 1e9, hi = -1e9;
  for (size_t f = 0; f < frames; f += hop) {
    m.add_frames(x.data() + f * 2, std::min(hop, frames - f));
    if (f >= static_cast<size_t>(3 * fs)) {
      lo = std::min(lo, m.short_term_lufs());
      hi = std::max(hi, m.short_term_lufs());
    }
  }
  CHECK(lo >= -23.1);
  CHECK(hi <= -22.9);
}

TEST_CASE("momentary loudness follows the last 400 ms") {
  const double fs = 48000.0;
  LoudnessMeter m(fs, 2);
  CHECK(std::isinf(m.momentary_lufs()));
  CHECK(std::isinf(m.integrated_lufs()));
  const auto loud = tone(fs, 2, {{-20.0, 2.0}});
  m.add_frames(loud.data(), loud.size() / 2);
  CHECK(std::fabs(m.momentary_lufs() - -20.0) <= 0.1);
  const auto quiet = tone(fs, 2, {{-30.0, 0.4}});
  m.add_frames(quiet.data(), quiet.size() / 2);
  CHECK(std::fabs(m.momentary_lufs() - -30.0) <= 0.1);
  // The 3 s short-term window holds 2 s at -20, 0.4 s at -30 and 0.6 s of silence before the
  // start.
  const double expect = 10.0 * std::log10((2.0 * 0.01 + 0.4 * 0.001) / 3.0);
  CHECK(std::fabs(m.short_term_lufs() - expect) <= 0.1);
  // Silence below the absolute gate leaves the integrated value alone.
  const double before = m.integrated_lufs();
  std::vector<float> silence(static_cast<size_t>(fs) * 2 * 5, 0.0f);
  m.add_frames(silence.data(), silence.size() / 2);
  CHECK(m.integrated_lufs() == before);
  CHECK(std::isinf(m.momentary_lufs()));
}

TEST_CASE("Tech 3342 loudness range cases 1-4") {
  const double fs = 48000.0;
  struct Case {
    std::vector<Segment> seq;
    double lra;
  };
  const Case cases[] = {
      {{{-20, 20}, {-30, 20}}, 10.0},
      {{{-20, 20}, {-15, 20}}, 5.0},
      {{{-40, 20}, {-20, 20}}, 20.0},
      {{{-50, 20}, {-35, 20}, {-20, 20}, {-35, 20}, {-50, 20}}, 15.0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.lra);
    const auto m = measure(fs, 2, tone(fs, 2, c.seq));
    CHECK(std::fabs(m.loudness_range_lu() - c.lra) <= 1.0);
  }
}

TEST_CASE("chunk size does not change any result bit") {
  const double fs = 48000.0;
  // 12 s of noisy, level-varying stereo material.
  const size_t frames = static_cast<size_t>(12 * fs);
  std::vector<float> x(frames * 2);
  Lcg rng{12345u};
  for (size_t i = 0; i < frames; ++i) {
    const double env = 0.05 + 0.5 * (0.5 + 0.5 * std::sin(2.0 * kPi * 0.3 * double(i) / fs));
    for (int c = 0; c < 2; ++c) x[i * 2 + c] = static_cast<float>(env * rng.next());
  }
  auto run = [&](size_t chunk) {
    LoudnessMeter m(fs, 2);
    for (size_t f = 0; f < frames; f += chunk) m.add_frames(x.data() + f * 2, std::min(chunk, frames - f));
    return std::vector<double>{m.integrated_lufs(), m.momentary_lufs(), m.short_term_lufs(),
                               m.loudness_range_lu(), m.true_peak_dbtp(), m.sample_peak_dbfs()};
  };
  const auto ref = run(frames);
  CHECK(std::isfinite(ref[0]));
  CHECK(ref[3] > 0.5);
  for (size_t chunk : {size_t(1), size_t(7), size_t(128), size_t(4800)}) {
    CAPTURE(chunk);
    const auto got = run(chunk);
    CHECK(std::memcmp(got.data(), ref.data(), ref.size() * sizeof(double)) == 0);
  }
}

TEST_CASE("reset starts a new measurement") {
  const double fs = 48000.0;
  const auto x = tone(fs, 2, {{-23.0, 5.0}});
  LoudnessMeter m(fs, 2);
  m.add_frames(x.data(), x.size() / 2);
  const double first = m.integrated_lufs();
  m.reset();
  CHECK(std::isinf(m.integrated_lufs()));
  CHECK(std::isinf(m.true_peak_dbtp()));
  m.add_frames(x.data(), x.size() / 2);
  CHECK(m.integrated_lufs() == first);
}

TEST_CASE("Tech 3341 cases 15-19: true peak of fs/4 tones") {
  const double fs = 48000.0;
  // A sine at fs/4 whose 4x points fall on or between its peaks depending on the phase.
  auto quarter = [&](double phase_deg, double peak_db) {
    std::vector<float> x(static_cast<size_t>(fs));
    const double amp = std::pow(10.0, peak_db / 20.0);
    for (size_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<float>(amp * std::sin(kPi / 2.0 * double(i) + phase_deg * kPi / 180.0));
    }
    fade_in(x, fs);
    return x;
  };
  for (double phase : {0.0, 45.0, 60.0, 67.5}) {
    CAPTURE(phase);
    const double tp = true_peak_of(quarter(phase + 90.0, -6.0));
    CHECK(tp <= -6.0 + 0.2);
    CHECK(tp >= -6.0 - 0.4);
  }
  // Case 19: samples at full scale, true peak +3 dBTP.
  const auto c19 = quarter(45.0, 20.0 * std::log10(std::sqrt(2.0)));
  LoudnessMeter m(fs, 1);
  m.add_frames(c19.data(), c19.size());
  CHECK(std::fabs(m.sample_peak_dbfs()) < 0.001);
  CHECK(m.true_peak_dbtp() <= 3.0 + 0.2);
  CHECK(m.true_peak_dbtp() >= 3.0 - 0.4);
}

TEST_CASE("true peak of sines across the band is within +0.2/-0.4 dB") {
  for (double fs : {48000.0, 44100.0}) {
    for (double f : {100.0, 997.0, 5000.0, 9000.0, 12345.0, 15000.0, 18000.0, 19500.0}) {
      for (double phase : {0.0, 0.3, 0.77, 1.2}) {
        CAPTURE(fs);
        CAPTURE(f);
        CAPTURE(phase);
        std::vector<float> x(static_cast<size_t>(fs / 4));
        for (size_t i = 0; i < x.size(); ++i) {
          x[i] = static_cast<float>(0.5 * std::sin(2.0 * kPi * f * double(i) / fs + phase));
        }
        fade_in(x, fs);
        const double tp = true_peak_of(x, fs);
        const double expect = 20.0 * std::log10(0.5);
        CHECK(tp <= expect + 0.2);
        CHECK(tp >= expect - 0.4);
      }
    }
  }
}

TEST_CASE("true-peak detector: phase 0 is the sample, reports with fixed latency") {
  TruePeakDetector d;
  std::vector<float> x(40, 0.0f);
  x[10] = 0.75f;
  std::vector<float> peaks(x.size());
  d.process(x.data(), x.size(), 1, peaks.data());
  // Sample 10 is reported at input 10 + kLatency; its own 4x point is the sample itself.
  CHECK(peaks[10 + TruePeakDetector::kLatency] >= 0.75f);
  for (int k = 1; k < 4; ++k) {
    float sum = 0.0f;
    for (int t = 0; t < TruePeakDetector::kTapsPerPhase; ++t) sum += TruePeakDetector::phase_coefficients(k)[t];
    CHECK(std::fabs(sum - 1.0f) < 1e-5f);
  }
  // Frames far from the impulse see nothing.
  CHECK(peaks[30] == 0.0f);
  // Once settled, a constant reads exactly its value (unity DC gain); fed strided here. (The
  // switch-on itself overshoots, as a reconstructed step does.)
  TruePeakDetector e;
  std::vector<float> dc(128, -0.5f);
  CHECK(e.process(dc.data(), 32, 2, nullptr) > 0.5f);
  CHECK(std::fabs(e.process(dc.data(), 32, 2, nullptr) - 0.5f) < 1e-6f);
  CHECK(e.pending_sample_peak() == 0.5f);
}

TEST_CASE("histogram gating agrees with gating every block exactly") {
  // Reference: read every 400 ms gating block (momentary, every 100 ms) and every 3 s range
  // block (short-term, every 1 s) and gate them by the book.
  for (double fs : {48000.0, 44100.0}) {
    CAPTURE(fs);
    const size_t hop = static_cast<size_t>(fs / 10);
    const size_t frames = static_cast<size_t>(90 * fs);
    std::vector<float> x(frames * 2);
    Lcg rng{777u};
    for (size_t i = 0; i < frames; ++i) {
      // Level wanders between about -75 and -5 dBFS, so both gates have work to do.
      const double t = double(i) / fs;
      const double db = -40.0 + 35.0 * std::sin(2.0 * kPi * t / 37.0) * std::cos(2.0 * kPi * t / 11.0);
      const double amp = std::pow(10.0, db / 20.0);
      x[i * 2] = static_cast<float>(amp * rng.next());
      x[i * 2 + 1] = static_cast<float>(amp * std::sin(2.0 * kPi * 440.0 * t));
    }
    LoudnessMeter m(fs, 2);
    std::vector<double> blocks, range_blocks;
    for (size_t f = 0, k = 1; f + hop <= frames; f += hop, ++k) {
      m.add_frames(x.data() + f * 2, hop);
      if (k >= 4) blocks.push_back(m.momentary_lufs());
      if (k >= 30 && k % 10 == 0) range_blocks.push_back(m.short_term_lufs());
    }
    auto energy = [](double lufs) { return std::pow(10.0, (lufs + 0.691) / 10.0); };
    auto gated_mean = [&](const std::vector<double>& v, double gate) {
      double sum = 0.0;
      size_t n = 0;
      for (double l : v) {
        if (l > gate) {
          sum += energy(l);
          ++n;
        }
      }
      return -0.691 + 10.0 * std::log10(sum / double(n));
    };
    const double relative = gated_mean(blocks, -70.0) - 10.0;
    const double integrated = gated_mean(blocks, relative);
    CHECK(std::fabs(m.integrated_lufs() - integrated) < 0.01);

    std::vector<double> kept;
    const double range_gate = gated_mean(range_blocks, -70.0) - 20.0;
    for (double l : range_blocks) {
      if (l > range_gate) kept.push_back(l);
    }
    std::sort(kept.begin(), kept.end());
    const auto at = [&](double p) {
      return kept[static_cast<size_t>(std::floor(double(kept.size() - 1) * p + 0.5))];
    };
    CHECK(kept.size() > 20);
    CHECK(std::fabs(m.loudness_range_lu() - (at(0.95) - at(0.10))) < 0.02);
    CHECK(m.loudness_range_lu() > 10.0);
  }
}
