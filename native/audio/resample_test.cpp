// Tests of the polyphase resampler: tone frequency, amplitude and phase (latency compensation),
// passband flatness, image and alias rejection, chunk independence, identity copy, tail length.
#include <doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "audio/resample.h"

using tessera::audio::Resampler;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> sine(double freq, int rate, size_t frames, int channels, double amp = 0.5) {
  std::vector<float> v(frames * channels);
  for (size_t i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c)
      v[i * channels + c] =
          static_cast<float>(amp * std::sin(2 * kPi * freq * static_cast<double>(i) / rate));
  return v;
}

// Pushes `in` in chunks of `chunk` frames, pulling in chunks of `pull_chunk`, then flushes.
std::vector<float> run(Resampler& r, const std::vector<float>& in, size_t chunk,
                       size_t pull_chunk) {
  const int ch = r.channels();
  const size_t frames = in.size() / ch;
  std::vector<float> out, buf(pull_chunk * ch);
  size_t pos = 0;
  while (pos < frames) {
    const size_t n = std::min(chunk, frames - pos);
    r.push(in.data() + pos * ch, n);
    pos += n;
    size_t got;
    while ((got = r.pull(buf.data(), pull_chunk)) > 0)
      out.insert(out.end(), buf.begin(), buf.begin() + got * ch);
  }
  r.flush();
  size_t got;
  while ((got = r.pull(buf.data(), pull_chunk)) > 0)
    out.insert(out.end(), buf.begin(), buf.begin() + got * ch);
  return out;
}

// Least-squares fit of a sin + b cos at `freq` over [from, to) of channel 0; returns amplitude
// and phase, and the RMS of what is left.
struct Fit {
  double amp, phase, residual_rms;
};
Fit fit(const std::vector<float>& x, int ch, double freq, int rate, size_t from, size_t to) {
  double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
  for (size_t i = from; i < to; ++i) {
    const double w = 2 * kPi * freq * static_cast<double>(i) / rate;
    const double s = std::sin(w), c = std::cos(w), v = x[i * ch];
    ss += s * s; cc += c * c; sc += s * c; xs += v * s; xc += v * c;
  }
  const double det = ss * cc - sc * sc;
  const double a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
  double res = 0;
  for (size_t i = from; i < to; ++i) {
    const double w = 2 * kPi * freq * static_cast<double>(i) / rate;
    const double e = x[i * ch] - (a * std::sin(w) + b * std::cos(w));
    res += e * e;
  }
  return {std::sqrt(a * a + b * b), std::atan2(b, a),
          std::sqrt(res / static_cast<double>(to - from))};
}

double rms(const std::vector<float>& x, int ch, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to; ++i) s += double(x[i * ch]) * x[i * ch];
  return std::sqrt(s / static_cast<double>(to - from));
}

double db(double v) { return 20 * std::log10(v); }

}  // namespace

TEST_CASE("resampler: ratio reduction and table") {
  Resampler r(44100, 48000, 2);
  CHECK(r.ok());
  CHECK(r.up() == 160);
  CHECK(r.down() == 147);
  CHECK(r.taps() % 8 == 0);
  // Every phase has unit DC gain.
  for (int p = 0; p < r.up(); ++p) {
    double s = 0;
    for (int j = 0; j < r.taps(); ++j) s += r.phase_taps(p)[j];
    CHECK(std::fabs(s - 1.0) < 1e-5);
  }
  Resampler bad(44100, 48001, 1);
  CHECK_FALSE(bad.ok());
  float x = 1;
  bad.push(&x, 1);
  CHECK(bad.available() == 0);
}

TEST_CASE("resampler: 1 kHz at 44.1k -> 48k keeps frequency, amplitude and time alignment") {
  Resampler r(44100, 48000, 2);
  const auto in = sine(1000, 44100, 44100, 2);
  const auto out = run(r, in, 4096, 4096);
  const size_t frames = out.size() / 2;
  CHECK(static_cast<int64_t>(frames) == 48000);  // ceil(44100 * 160 / 147)
  // Steady state well away from the start and end transients.
  const Fit f = fit(out, 2, 1000, 48000, 4800, 43200);
  CHECK(std::fabs(db(f.amp / 0.5)) < 0.01);
  CHECK(std::fabs(f.phase) < 1e-4);              // zero phase: no latency left over
  CHECK(db(f.residual_rms / 0.5) < -80.0);       // wrong frequency, images, noise: all tiny
  // Frequency by phase drift between two windows half a second apart.
  const Fit f2 = fit(out, 2, 1000, 48000, 28800, 43200);
  CHECK(std::fabs(f2.phase - f.phase) < 1e-4);
  // The right channel is the same.
  bool same = true;
  for (size_t i = 0; i < frames; ++i) same = same && out[2 * i] == out[2 * i + 1];
  CHECK(same);
}

TEST_CASE("resampler: other rates keep amplitude and alignment") {
  const int rates[] = {22050, 16000, 96000, 32000, 48000};
  for (int in_rate : rates) {
    CAPTURE(in_rate);
    Resampler r(in_rate, 48000, 1);
    CHECK(r.ok());
    const auto in = sine(997, in_rate, static_cast<size_t>(in_rate), 1);
    const auto out = run(r, in, 1000, 777);
    CHECK(out.size() == 48000);
    const Fit f = fit(out, 1, 997, 48000, 4800, 43200);
    CHECK(std::fabs(db(f.amp / 0.5)) < 0.01);
    CHECK(std::fabs(f.phase) < 1e-4);
    CHECK(db(f.residual_rms / 0.5) < -80.0);
  }
}

TEST_CASE("resampler: passband flat to 0.9 Nyquist") {
  // 19.5 kHz at 44.1k -> 48k (0.88 of 22.05k), and 21 kHz at 96k -> 48k (0.875 of 24k).
  struct Case { int in, out; double f; };
  for (const Case c :
       {Case{44100, 48000, 19500}, Case{96000, 48000, 21000}, Case{48000, 44100, 19500}}) {
    CAPTURE(c.in);
    Resampler r(c.in, c.out, 1);
    const auto out = run(r, sine(c.f, c.in, static_cast<size_t>(c.in), 1), 512, 512);
    const size_t n = out.size();
    const Fit f = fit(out, 1, c.f, c.out, n / 10, n - n / 10);
    CHECK(std::fabs(db(f.amp / 0.5)) < 0.01);
  }
}

TEST_CASE("resampler: aliasing suppressed when downsampling 96k -> 48k") {
  for (double freq : {30000.0, 25000.0, 40000.0}) {
    CAPTURE(freq);
    Resampler r(96000, 48000, 1);
    const auto out = run(r, sine(freq, 96000, 96000, 1), 4096, 4096);
    const double level = db(rms(out, 1, 4800, 43200) / (0.5 / std::sqrt(2.0)));
    CHECK(level < -80.0);  // requirement: >= 70 dB down
  }
}

TEST_CASE("resampler: images suppressed when upsampling 16k -> 48k") {
  // A 7 kHz tone at 16 kHz images at 9, 23, 25 kHz...; everything but 7 kHz must be gone.
  Resampler r(16000, 48000, 1);
  const auto out = run(r, sine(7000, 16000, 16000, 1), 333, 1000);
  const Fit f = fit(out, 1, 7000, 48000, 4800, 43200);
  CHECK(std::fabs(db(f.amp / 0.5)) < 0.01);
  CHECK(db(f.residual_rms / 0.5) < -80.0);
}

TEST_CASE("resampler: any chunking gives identical bytes") {
  std::vector<float> in(3 * 10007);
  uint32_t s = 12345;
  for (float& v : in) {
    s = s * 1664525u + 1013904223u;
    v = static_cast<float>(static_cast<int32_t>(s) >> 8) / 8388608.0f;
  }
  for (int in_rate : {44100, 22050, 96000}) {
    CAPTURE(in_rate);
    Resampler a(in_rate, 48000, 3), b(in_rate, 48000, 3), c(in_rate, 48000, 3);
    const auto oa = run(a, in, in.size() / 3, 1 << 20);
    const auto ob = run(b, in, 1, 1);
    const auto oc = run(c, in, 128, 7);
    CHECK(oa.size() == ob.size());
    CHECK(oa.size() == oc.size());
    if (oa.size() != ob.size() || oa.size() != oc.size()) continue;
    CHECK(std::memcmp(oa.data(), ob.data(), oa.size() * sizeof(float)) == 0);
    CHECK(std::memcmp(oa.data(), oc.data(), oa.size() * sizeof(float)) == 0);
    // Reset gives the same again.
    a.reset();
    const auto oa2 = run(a, in, 999, 64);
    CHECK(std::memcmp(oa.data(), oa2.data(), oa.size() * sizeof(float)) == 0);
  }
}

TEST_CASE("resampler: equal rates are an exact copy") {
  std::vector<float> in(2 * 5000);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<float>(std::sin(0.001 * static_cast<double>(i * i)));
  Resampler r(48000, 48000, 2);
  CHECK(r.identity());
  CHECK(r.latency_input_frames() == 0);
  const auto out = run(r, in, 333, 100);
  CHECK(out.size() == in.size());
  if (out.size() != in.size()) return;
  CHECK(std::memcmp(out.data(), in.data(), in.size() * sizeof(float)) == 0);
}

TEST_CASE("resampler: streaming needs look-ahead, flush releases the tail") {
  Resampler r(44100, 48000, 1);
  std::vector<float> in(100, 0.25f);
  const int h = r.latency_input_frames();
  CHECK(h < 100);
  r.push(in.data(), static_cast<size_t>(h));
  CHECK(r.available() == 0);  // output 0 needs input frame H: not there yet
  r.push(in.data(), 100 - static_cast<size_t>(h));
  // Output n needs input up to floor(n * 147 / 160) + H.
  CHECK(static_cast<int64_t>(r.available()) == ((100 - h) * 160 + 146) / 147);
  r.flush();
  CHECK(static_cast<int64_t>(r.available()) == r.output_frames_for_input());
  CHECK(r.output_frames_for_input() == (100 * 160 + 146) / 147);
}
