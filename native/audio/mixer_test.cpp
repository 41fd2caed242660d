// Tests of the object mixer: balance law (dialogue never reduced, low importance first), AD
// ducking depth and timing, AD off, language selection, fades and crossfades, sample-accurate
// click-free control changes, chunk independence and determinism, downmix, underruns.
#include <doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "audio/downmix.h"
#include "audio/mixer.h"

using namespace tessera::audio;

namespace {

constexpr int kRate = 48000;

std::vector<float> constant(size_t frames, float l, float r) {
  std::vector<float> v(2 * frames);
  for (size_t i = 0; i < frames; ++i) {
    v[2 * i] = l;
    v[2 * i + 1] = r;
  }
  return v;
}

// Deterministic white noise in [-amp, amp).
std::vector<float> noise(size_t frames, int channels, float amp, uint32_t seed) {
  std::vector<float> v(frames * channels);
  for (float& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = amp * static_cast<float>(static_cast<int32_t>(seed) >> 8) / 8388608.0f;
  }
  return v;
}

std::vector<float> render(Mixer& m, int64_t from, size_t frames, size_t chunk) {
  std::vector<float> out(2 * frames);
  for (size_t pos = 0; pos < frames;) {
    const size_t n = std::min(chunk, frames - pos);
    m.render(from + static_cast<int64_t>(pos), out.data() + 2 * pos, n);
    pos += n;
  }
  return out;
}

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

double db(double v) { return 20.0 * std::log10(v); }

// Largest sample-to-sample change on the left channel over frames [a, b).
float max_step(const std::vector<float>& x, int64_t a, int64_t b) {
  float m = 0.0f;
  for (int64_t i = a; i + 1 < b; ++i) m = std::max(m, std::fabs(x[2 * i + 2] - x[2 * i]));
  return m;
}

// RMS of channel c over frames [a, b).
double rms(const std::vector<float>& x, int c, int64_t a, int64_t b) {
  double s = 0;
  for (int64_t i = a; i < b; ++i) s += double(x[2 * i + c]) * x[2 * i + c];
  return std::sqrt(s / static_cast<double>(b - a));
}

ObjectDesc object(const char* id, const char* role, int importance) {
  ObjectDesc d;
  d.id = id;
  d.role = role;
  d.importance = importance;
  return d;
}

}  // namespace

TEST_CASE("balance law: dialogue never reduced, broadcast mix at 0, low importance first") {
  for (int i = 0; i <= 400; ++i) {
    const float b = static_cast<float>(i) / 400.0f;
    CAPTURE(b);
    for (int imp = 0; imp <= 3; ++imp) CHECK(balance_gain(imp, true, b) == 1.0f);
    CHECK(balance_gain(3, false, b) == 1.0f);
    const float g0 = balance_gain(0, false, b), g1 = balance_gain(1, false, b),
                g2 = balance_gain(2, false, b);
    CHECK(g0 <= g1);
    CHECK(g1 <= g2);
    CHECK(g2 <= 1.0f);
    if (i > 0) {
      const float p = static_cast<float>(i - 1) / 400.0f;
      for (int imp = 0; imp <= 2; ++imp)
        CHECK(balance_gain(imp, false, b) <= balance_gain(imp, false, p));
    }
    if (b >= 0.5f) CHECK(g0 == 0.0f);
    if (b >= 0.75f) CHECK(g1 == 0.0f);
    if (b > 0.0f && b < 0.5f) CHECK(g0 > 0.0f);
  }
  for (int imp = 0; imp <= 3; ++imp) CHECK(balance_gain(imp, false, 0.0f) == 1.0f);
  CHECK(db(balance_gain(2, false, 1.0f)) == doctest::Approx(-18.0).epsilon(1e-4));
  CHECK(db(balance_gain(2, false, 0.5f)) == doctest::Approx(-4.5).epsilon(1e-4));
  CHECK(db(balance_gain(1, false, 0.5f)) == doctest::Approx(-26.667).epsilon(1e-3));
  CHECK(db(balance_gain(0, false, 0.25f)) == doctest::Approx(-15.0).epsilon(1e-4));
}

TEST_CASE("balance: a dialogue-only mix is bit-identical at b = 0 and b = 1") {
  const auto pcm = noise(20000, 2, 0.5f, 7);
  const auto mono = noise(20000, 1, 0.5f, 8);
  std::vector<float> outs[3];
  for (int run = 0; run < 3; ++run) {
    MixerConfig cfg;
    cfg.balance = run == 1 ? 1.0f : 0.0f;
    Mixer m(cfg);
    auto d = object("dlg", "dialogue", 0);  // importance is irrelevant for dialogue
    const int a = m.add_object(d);
    auto n = object("nar", "narration", 1);
    n.channels = 1;
    n.pan = -0.3f;
    const int b = m.add_object(n);
    auto e = object("fx", "effects", 3);  // essential: also never reduced
    const int c = m.add_object(e);
    m.push(a, 0, pcm.data(), 20000, 2);
    m.push(b, 0, mono.data(), 20000, 1);
    m.push(c, 0, pcm.data(), 20000, 2);
    if (run == 2) {  // slider moved during playback
      Controls ctl;
      ctl.balance = 1.0f;
      m.schedule(5000, ctl);
      ctl.balance = 0.3f;
      m.schedule(12345, ctl);
    }
    outs[run] = render(m, 0, 20000, 128);
    CHECK(m.object_stats(a).gain_db == 0.0f);
  }
  CHECK(same_bytes(outs[0], outs[1]));
  CHECK(same_bytes(outs[0], outs[2]));
}

TEST_CASE("balance: background levels in the mix follow the law") {
  MixerConfig cfg;
  cfg.balance = 1.0f;
  Mixer m(cfg);
  const int music = m.add_object(object("music", "music", 2));
  const int fx = m.add_object(object("fx", "effects", 0));
  const auto one = constant(4000, 0.5f, 0.5f);
  m.push(music, 0, one.data(), 4000, 2);
  m.push(fx, 0, one.data(), 4000, 2);
  const auto out = render(m, 0, 4000, 128);
  CHECK(db(out[2 * 100] / 0.5) == doctest::Approx(-18.0).epsilon(1e-4));
  CHECK(m.object_stats(music).gain_db == doctest::Approx(-18.0f).epsilon(1e-4));
  CHECK(m.object_stats(fx).gain_db == -200.0f);  // silent: importance 0 at b = 1
  CHECK(m.object_stats(fx).underrun_frames == 0);
}

TEST_CASE("controls: a change starts at its exact frame, ramps without steps, done within 50 ms") {
  for (int what = 0; what < 2; ++what) {
    CAPTURE(what);
    Mixer m;
    const int music = m.add_object(object("music", "music", 2));
    const auto one = constant(20000, 0.5f, 0.5f);
    m.push(music, 0, one.data(), 20000, 2);
    Controls c;
    if (what == 0) c.master_gain_db = -20.0f; else c.balance = 1.0f;
    const int64_t f = 10007;
    m.schedule(f, c);
    const auto out = render(m, 0, 20000, 100);
    const float target = what == 0 ? 0.05f : 0.5f * balance_gain(2, false, 1.0f);
    for (int64_t i = 0; i < f; ++i)
      if (out[2 * i] != 0.5f) { CHECK(out[2 * i] == 0.5f); break; }
    CHECK(out[2 * f] < 0.5f);  // moving at the change's own frame
    CHECK(max_step(out, f - 1, 20000) <= (0.5f - target) / 960.0f * 1.001f);
    const int64_t done = f + m.smoothing_frames() - 1;
    CHECK(done - f < kRate / 20);  // 50 ms
    CHECK(out[2 * done] == target);
    CHECK(out[2 * (done - 1)] != target);
    CHECK(std::fabs(out[2 * (f + 2400)] - target) <= 1e-7f);
    CHECK(out[2 * 19999] == out[2 * done]);
  }
}

namespace {

// Main programme: DC 0.5 on both channels (importance 2 effects, so the duck is all we see on L).
// AD: stereo with its content only on the right, so the left channel shows the duck alone.
struct DuckScene {
  static constexpr int64_t kLen = 6 * kRate;
  static constexpr int64_t kSpeech = 2 * kRate, kSpeechEnd = 3 * kRate;
  Mixer m;
  int main_obj = 0, ad = 0;
  DuckScene(bool enabled, bool explicit_intervals, int64_t chunk = 4801) : m(config(enabled)) {
    main_obj = m.add_object(object("bed", "effects", 2));
    auto d = object("ad", "audio-description", 2);
    d.duck.depth_db = -12.0f;
    d.duck.attack_s = 0.25f;
    d.duck.release_s = 0.5f;
    if (explicit_intervals) d.duck.intervals.push_back({kSpeech, kSpeechEnd});
    ad = m.add_object(d);
    const auto bed = constant(kLen, 0.5f, 0.5f);
    std::vector<float> speech = constant(kLen, 0.0f, 0.0f);
    const auto n = noise(kSpeechEnd - kSpeech, 1, 0.3f, 99);
    for (int64_t i = kSpeech; i < kSpeechEnd; ++i) speech[2 * i + 1] = n[i - kSpeech];
    // Ahead of need, in uneven chunks.
    for (int64_t p = 0; p < kLen;) {
      const int64_t k = std::min<int64_t>(chunk, kLen - p);
      m.push(main_obj, p, bed.data() + 2 * p, static_cast<size_t>(k), 2);
      m.push(ad, p, speech.data() + 2 * p, static_cast<size_t>(k), 2);
      p += k;
    }
  }
  static MixerConfig config(bool enabled) {
    MixerConfig c;
    c.audio_description_enabled = enabled;
    c.queue_frames = 8 * kRate;
    return c;
  }
};

}  // namespace

TEST_CASE("AD ducking keyed from the AD signal: depth, look-ahead attack, release") {
  DuckScene s(true, false);
  const auto out = render(s.m, 0, DuckScene::kLen, 128);
  const int64_t attack = kRate / 4, release = kRate / 2, hold = kRate / 4;
  const int64_t S = DuckScene::kSpeech, E = DuckScene::kSpeechEnd;
  const double depth = std::pow(10.0, -12.0 / 20.0);
  // Untouched until the look-ahead attack; it begins no earlier than attack before speech.
  CHECK(rms(out, 0, 0, S - attack) == 0.5);
  CHECK(out[2 * (S - attack - 1)] == 0.5f);
  CHECK(out[2 * (S - attack / 2)] < 0.5f);  // already on its way down before the speech
  CHECK(out[2 * (S - attack / 2)] > 0.5f * depth);
  // Full depth as the speech starts (within 2 ms of detection) and all through it.
  CHECK(db(out[2 * (S + kRate / 500)] / 0.5) == doctest::Approx(-12.0).epsilon(2e-3));
  CHECK(db(rms(out, 0, S + kRate / 100, E) / 0.5) == doctest::Approx(-12.0).epsilon(2e-3));
  // The duck holds past the end of speech (hang), then releases, and is gone after release.
  CHECK(db(out[2 * (E + hold)] / 0.5) == doctest::Approx(-12.0).epsilon(2e-3));
  const int64_t back = E + hold + kRate / 10 + release;  // + detector decay (< 100 ms)
  CHECK(rms(out, 0, back, DuckScene::kLen) == 0.5);
  CHECK(out[2 * (E + hold + release / 2)] > 0.5f * depth);
  CHECK(out[2 * (E + hold + release / 2)] < 0.5f);
  // AD plays on the right at full level: the right channel holds the ducked bed plus speech.
  CHECK(rms(out, 1, S + kRate / 10, E) > 0.15);
  CHECK(s.m.object_stats(s.ad).duck_intervals == 1);
  CHECK(s.m.object_stats(s.ad).late_key_frames == 0);
  CHECK(s.m.stats().audio_description_enabled);
}

TEST_CASE("AD ducking keyed: push chunking does not change a bit") {
  DuckScene a(true, false, 4801), b(true, false, 1), c(true, false, DuckScene::kLen);
  const auto oa = render(a.m, 0, DuckScene::kLen, 128);
  CHECK(same_bytes(oa, render(b.m, 0, DuckScene::kLen, 1)));
  CHECK(same_bytes(oa, render(c.m, 0, DuckScene::kLen, 4096)));
}

TEST_CASE("AD ducking keyed late (PCM arrives just in time): smooth, counted") {
  MixerConfig cfg;
  cfg.audio_description_enabled = true;
  cfg.queue_frames = 4 * kRate;
  Mixer m(cfg);
  const int bed = m.add_object(object("bed", "effects", 2));
  const int ad = m.add_object(object("ad", "audio-description", 2));
  const int64_t len = 2 * kRate, speech = kRate;
  const auto one = constant(len, 0.5f, 0.5f);
  auto sp = constant(len, 0.0f, 0.0f);
  const auto n = noise(len - speech, 1, 0.3f, 4);
  for (int64_t i = speech; i < len; ++i) sp[2 * i + 1] = n[i - speech];
  m.push(bed, 0, one.data(), len, 2);
  std::vector<float> out(2 * len);
  for (int64_t f = 0; f < len; f += 128) {  // AD PCM only one quantum ahead
    m.push(ad, f, sp.data() + 2 * f, 128, 2);
    m.render(f, out.data() + 2 * f, 128);
  }
  CHECK(m.object_stats(ad).late_key_frames > 0);
  CHECK(m.stats().underrun_frames == 0);
  CHECK(max_step(out, 0, len) < 0.5f * 0.75f / static_cast<float>(m.smoothing_frames()) * 1.01f);
  CHECK(db(out[2 * (speech + kRate / 10)] / 0.5) == doctest::Approx(-12.0).epsilon(2e-3));
}

TEST_CASE("AD ducking with explicit intervals: exact timing") {
  DuckScene s(true, true);
  const auto out = render(s.m, 0, DuckScene::kLen, 1000);
  const int64_t attack = kRate / 4, release = kRate / 2;
  const int64_t S = DuckScene::kSpeech, E = DuckScene::kSpeechEnd;
  const float depth = static_cast<float>(std::pow(10.0, -12.0 / 20.0));
  CHECK(out[2 * (S - attack)] == 0.5f);
  CHECK(out[2 * (S - attack + 1)] < 0.5f);
  CHECK(std::fabs(out[2 * S] - 0.5f * depth) < 1e-6f);
  CHECK(std::fabs(out[2 * (E - 1)] - 0.5f * depth) < 1e-6f);
  CHECK(out[2 * (E + 1)] > out[2 * E]);  // release starts when the speech ends
  CHECK(out[2 * (E + release)] == 0.5f);
  const float attack_step = 0.5f * (1 - depth) / static_cast<float>(attack);
  CHECK(max_step(out, 0, DuckScene::kLen) <= attack_step * 1.01f);
}

TEST_CASE("AD disabled: AD silent, nothing ducked; enabling mid-run ramps in") {
  for (bool explicit_iv : {false, true}) {
    DuckScene s(false, explicit_iv);
    const auto out = render(s.m, 0, DuckScene::kLen, 128);
    bool clean = true;
    for (int64_t i = 0; i < DuckScene::kLen; ++i)
      clean = clean && out[2 * i] == 0.5f && out[2 * i + 1] == 0.5f;
    CHECK(clean);
    CHECK(s.m.object_stats(s.ad).gain_db == -200.0f);
  }
  DuckScene s(false, true);
  Controls c;
  c.audio_description_enabled = true;
  const int64_t f = DuckScene::kSpeech + kRate / 2;  // switched on mid-speech
  s.m.schedule(f, c);
  const auto out = render(s.m, 0, DuckScene::kLen, 128);
  CHECK(out[2 * (f - 1)] == 0.5f);
  CHECK(out[2 * f] < 0.5f);
  const float depth = static_cast<float>(std::pow(10.0, -12.0 / 20.0));
  CHECK(std::fabs(out[2 * (f + s.m.smoothing_frames())] - 0.5f * depth) < 1e-6f);
}

TEST_CASE("language: tagged objects follow the selection, untagged always play") {
  MixerConfig cfg;
  cfg.default_language = "en";
  Mixer m(cfg);
  auto en = object("dlg-en", "dialogue", 3);
  en.language = "en";
  auto fr = object("dlg-fr", "dialogue", 3);
  fr.language = "fr";
  const int a = m.add_object(en), b = m.add_object(fr);
  const int c = m.add_object(object("music", "music", 3));
  const auto l = constant(10000, 0.25f, 0.0f), r = constant(10000, 0.0f, 0.25f),
             both = constant(10000, 0.125f, 0.125f);
  m.push(a, 0, l.data(), 10000, 2);
  m.push(b, 0, r.data(), 10000, 2);
  m.push(c, 0, both.data(), 10000, 2);
  Controls ctl;
  ctl.language = "fr";
  m.schedule(5000, ctl);
  const auto out = render(m, 0, 10000, 128);
  CHECK(out[2 * 4999] == 0.375f);
  CHECK(out[2 * 4999 + 1] == 0.125f);
  CHECK(out[2 * 6000] == 0.125f);
  CHECK(out[2 * 6000 + 1] == 0.375f);
  CHECK(m.language() == "fr");
  CHECK(m.object_stats(a).underrun_frames == 0);
  ctl.language = "";  // back to the default
  m.schedule(10000, ctl);
  render(m, 10000, 2000, 128);
  CHECK(m.language() == "en");
  CHECK(m.object_stats(a).underrun_frames == 2000);  // back on, but no PCM pushed past 10000
}

TEST_CASE("fades: equal-power and raised-cosine shapes, crossfades at a join") {
  // Fade-in shape on DC.
  for (FadeCurve curve : {FadeCurve::EqualPower, FadeCurve::RaisedCosine}) {
    Mixer m;
    auto d = object("m", "music", 3);
    d.start_frame = 1000;
    d.end_frame = 9000;
    d.fade_in_frames = 2000;
    d.fade_out_frames = 4000;
    d.fade_curve = curve;
    const int o = m.add_object(d);
    const auto one = constant(10000, 1.0f, 1.0f);
    m.push(o, 0, one.data(), 10000, 2);
    const auto out = render(m, 0, 10000, 333);
    CHECK(out[2 * 999] == 0.0f);
    CHECK(out[2 * 1000] == 0.0f);
    const double mid = curve == FadeCurve::EqualPower ? std::sqrt(0.5) : 0.5;
    CHECK(out[2 * 2000] == doctest::Approx(mid).epsilon(1e-6));
    CHECK(out[2 * 3000] == 1.0f);
    CHECK(out[2 * 4999] == 1.0f);
    CHECK(out[2 * 7000] == doctest::Approx(mid).epsilon(1e-6));
    CHECK(out[2 * 8999] > 0.0f);
    CHECK(out[2 * 9000] == 0.0f);
    bool monotonic = true;
    for (int i = 1000; i < 3000; ++i) monotonic = monotonic && out[2 * i + 2] >= out[2 * i];
    CHECK(monotonic);
    CHECK(m.object_stats(o).underrun_frames == 0);
  }
  // Crossfade at a scene join: A ends at J with a fade-out, B starts J - F with a fade-in.
  const int64_t J = 24000, F = 9600, N = 48000;
  for (int correlated = 0; correlated < 2; ++correlated) {
    for (FadeCurve curve : {FadeCurve::EqualPower, FadeCurve::RaisedCosine}) {
      CAPTURE(correlated);
      CAPTURE(int(curve));
      Mixer m;
      auto a = object("a", "music", 3), b = object("b", "music", 3);
      a.end_frame = J;
      a.fade_out_frames = F;
      b.start_frame = J - F;
      b.fade_in_frames = F;
      a.fade_curve = b.fade_curve = curve;
      const int ha = m.add_object(a), hb = m.add_object(b);
      const auto na = noise(N, 2, 0.5f, 1);
      const auto nb = correlated ? na : noise(N, 2, 0.5f, 2);
      m.push(ha, 0, na.data(), N, 2);
      m.push(hb, 0, nb.data(), N, 2);
      const auto out = render(m, 0, N, 128);
      const double ref = rms(out, 0, 0, J - F);
      double lo = 1e9, hi = -1e9;
      for (int64_t w = J - F; w + 960 <= J; w += 960) {
        // Same material: against the source itself in the same window (exact); independent
        // material: against the level before the join (includes the estimate's own noise).
        const double base = correlated ? rms(na, 0, w, w + 960) : ref;
        const double lvl = db(rms(out, 0, w, w + 960) / base);
        lo = std::min(lo, lvl);
        hi = std::max(hi, lvl);
      }
      if (correlated == 0 && curve == FadeCurve::EqualPower) {
        // Uncorrelated material: constant power (window noise of the estimate included).
        CHECK(lo > -0.5);
        CHECK(hi < 0.5);
      } else if (correlated == 1 && curve == FadeCurve::RaisedCosine) {
        // Same material: constant amplitude, to float rounding.
        bool exact = true;
        for (int64_t i = J - F; i < J; ++i)
          exact = exact && std::fabs(out[2 * i] - na[2 * i]) <= 1e-6f;
        CHECK(exact);
      } else if (correlated == 1) {
        CHECK(hi < 3.02);  // equal power on the same material: +3 dB bump at the midpoint
        CHECK(hi > 2.9);
      } else {
        CHECK(lo > -3.02);  // equal gain on independent material: -3 dB dip at the midpoint
        CHECK(lo < -2.5);
      }
    }
  }
}

TEST_CASE("render: any chunking gives identical bytes; two runs give identical bytes") {
  auto build = [](Mixer& m) {
    for (int i = 0; i < 6; ++i) {
      auto d = object("o", i == 0 ? "dialogue" : "effects", i % 4);
      d.channels = i == 3 ? 1 : (i == 4 ? 6 : 2);
      d.pan = 0.2f * static_cast<float>(i) - 0.5f;
      d.gain_db = -1.5f * static_cast<float>(i);
      d.start_frame = 100 * i;
      d.end_frame = 30000 - 700 * i;
      d.fade_in_frames = 500 + 37 * i;
      d.fade_out_frames = 900;
      d.fade_curve = i % 2 ? FadeCurve::RaisedCosine : FadeCurve::EqualPower;
      if (i == 5) d.language = "cy";
      const int h = m.add_object(d);
      const auto pcm = noise(30000, d.channels, 0.3f, 11u + static_cast<uint32_t>(i));
      for (int64_t p = 0; p < 30000; p += 3001)
        m.push(h, p, pcm.data() + p * d.channels,
               static_cast<size_t>(std::min<int64_t>(3001, 30000 - p)), d.channels);
    }
    auto ad = object("ad", "audio-description", 2);
    const int h = m.add_object(ad);
    auto sp = noise(30000, 2, 0.2f, 5);
    for (int i = 0; i < 30000; ++i)
      if ((i / 5000) % 2 == 0) sp[2 * i] = sp[2 * i + 1] = 0.0f;
    m.push(h, 0, sp.data(), 30000, 2);
    Controls c;
    c.balance = 0.6f;
    c.audio_description_enabled = true;
    m.schedule(3333, c);
    Controls c2;
    c2.master_gain_db = -6.0f;
    c2.language = "cy";
    m.schedule(12800, c2);
    Controls c3;
    c3.balance = 0.1f;
    m.schedule(12900, c3);  // during the previous ramp
  };
  MixerConfig cfg;
  cfg.queue_frames = 32768;
  Mixer ref(cfg);
  build(ref);
  const auto a = render(ref, 0, 30000, 128);
  size_t chunks[] = {1, 7, 1000, 30000};
  for (size_t chunk : chunks) {
    CAPTURE(chunk);
    Mixer m(cfg);
    build(m);
    CHECK(same_bytes(a, render(m, 0, 30000, chunk)));
  }
  Mixer m(cfg);  // irregular chunks
  build(m);
  std::vector<float> out(2 * 30000);
  uint32_t s = 3;
  for (size_t pos = 0; pos < 30000;) {
    s = s * 1664525u + 1013904223u;
    const size_t n = std::min<size_t>(1 + (s >> 20) % 300, 30000 - pos);
    m.render(static_cast<int64_t>(pos), out.data() + 2 * pos, n);
    pos += n;
  }
  CHECK(same_bytes(a, out));
  // Something actually happened: signal present, and not trivially the same everywhere.
  CHECK(rms(a, 0, 0, 30000) > 0.01);
  CHECK(ref.stats().underrun_frames == 0);
}

TEST_CASE("downmix: mono, stereo and 5.1 coefficients") {
  const float k = 0.70710678f;
  float mono[1] = {1.0f}, out[2];
  CHECK(downmix_to_stereo(mono, 1, 1, out));
  CHECK(out[0] == k);
  CHECK(out[1] == k);
  float st[2] = {0.25f, -0.5f};
  CHECK(downmix_to_stereo(st, 2, 1, out));
  CHECK(out[0] == 0.25f);
  CHECK(out[1] == -0.5f);
  const float expect_l[6] = {1, 0, k, 0, k, 0}, expect_r[6] = {0, 1, k, 0, 0, k};
  for (int ch = 0; ch < 6; ++ch) {
    float in[6] = {0, 0, 0, 0, 0, 0};
    in[ch] = 1.0f;
    CHECK(downmix_to_stereo(in, 6, 1, out));
    CHECK(out[0] == expect_l[ch]);
    CHECK(out[1] == expect_r[ch]);
  }
  float all[6] = {1, 1, 1, 1, 1, 1};
  downmix_to_stereo(all, 6, 1, out, Downmix51::Normalised);
  CHECK(out[0] == doctest::Approx(1.0).epsilon(1e-6));
  float four[4] = {};
  CHECK_FALSE(downmix_to_stereo(four, 4, 1, out));

  // The same through the mixer: a 5.1 object, a mono object and its pan law.
  Mixer m;
  auto d51 = object("51", "music", 3);
  d51.channels = 6;
  auto dm = object("mono", "music", 3);
  dm.channels = 1;
  const int h51 = m.add_object(d51);
  float frames51[6 * 6] = {};
  for (int ch = 0; ch < 6; ++ch) frames51[6 * ch + ch] = 1.0f;
  m.push(h51, 0, frames51, 6, 6);
  auto o = render(m, 0, 6, 128);
  for (int ch = 0; ch < 6; ++ch) {
    CHECK(o[2 * ch] == expect_l[ch]);
    CHECK(o[2 * ch + 1] == expect_r[ch]);
  }
  CHECK(m.push(h51, 6, frames51, 1, 2) == 0);  // wrong layout
  CHECK(m.object_stats(h51).rejected_pushes == 1);
  for (float pan : {-1.0f, 0.0f, 0.5f, 1.0f}) {
    Mixer mm;
    dm.pan = pan;
    const int h = mm.add_object(dm);
    float one = 1.0f;
    mm.push(h, 0, &one, 1, 1);
    const auto po = render(mm, 0, 1, 1);
    CHECK(po[0] * po[0] + po[1] * po[1] == doctest::Approx(1.0).epsilon(1e-6));  // constant power
    if (pan == 0.0f) CHECK(po[0] == k);
    if (pan == -1.0f) CHECK(po[1] < 1e-7f);
  }
  // Stereo pan is a balance: centred untouched, right turns the left down only.
  Mixer mb;
  auto ds = object("st", "music", 3);
  ds.pan = 0.5f;
  const int hs = mb.add_object(ds);
  const auto cst = constant(1, 1.0f, 1.0f);
  mb.push(hs, 0, cst.data(), 1, 2);
  const auto bo = render(mb, 0, 1, 1);
  CHECK(bo[1] == 1.0f);
  const double far_side = std::sqrt(2.0) * std::cos(0.375 * 3.14159265358979);  // theta = 3pi/8
  CHECK(bo[0] == doctest::Approx(far_side).epsilon(1e-6));
}

TEST_CASE("underruns: missing PCM is silence and counted; discard frees; bounded queue") {
  MixerConfig cfg;
  cfg.queue_frames = 4096;
  Mixer m(cfg);
  auto d = object("m", "music", 3);
  d.start_frame = 0;
  d.end_frame = 3000;
  const int h = m.add_object(d);
  const auto one = constant(5000, 0.5f, 0.5f);
  CHECK(m.push(h, 0, one.data(), 1000, 2) == 1000);
  CHECK(m.push(h, 1500, one.data(), 500, 2) == 500);  // 500-frame gap, zero-filled
  CHECK(m.object_stats(h).gap_frames == 500);
  const auto out = render(m, 0, 4000, 128);
  CHECK(out[2 * 999] == 0.5f);
  CHECK(out[2 * 1000] == 0.0f);
  CHECK(out[2 * 1600] == 0.5f);
  CHECK(out[2 * 2500] == 0.0f);
  // [2000, 3000) had no PCM; [3000, 4000) is outside the object, so not an underrun.
  CHECK(m.object_stats(h).underrun_frames == 1000);
  CHECK(m.stats().underrun_frames == 1000);
  CHECK(m.object_stats(h).queued_frames == 2000);
  m.discard_before(1800);
  CHECK(m.object_stats(h).queued_frames == 200);
  CHECK(m.push(h, 100, one.data(), 100, 2) == 0);  // already discarded
  CHECK(m.object_stats(h).dropped_frames == 100);
  // Bounded: no more than the ring's capacity is held.
  CHECK(m.push(h, 2000, one.data(), 5000, 2) == 4096 - 200);
  CHECK(m.object_stats(h).queued_frames == 4096);
  // Non-finite input is silence.
  Mixer m2;
  const int h2 = m2.add_object(object("x", "music", 3));
  const float bad[4] = {INFINITY, NAN, 0.25f, 0.25f};
  m2.push(h2, 0, bad, 2, 2);
  const auto o2 = render(m2, 0, 2, 2);
  CHECK(o2[0] == 0.0f);
  CHECK(o2[1] == 0.0f);
  CHECK(o2[2] == 0.25f);
}

TEST_CASE("stats: mixer-level counters") {
  Mixer m;
  const int h = m.add_object(object("m", "music", 2));
  const auto one = constant(1000, 0.5f, 0.5f);
  m.push(h, 0, one.data(), 1000, 2);
  Controls c;
  c.master_gain_db = -6.0f;
  m.schedule(5000, c);
  render(m, 0, 1000, 128);
  const MixerStats s = m.stats();
  CHECK(s.frames_rendered == 1000);
  CHECK(s.render_calls == 8);
  CHECK(s.next_frame == 1000);
  CHECK(s.objects == 1);
  CHECK(s.active_objects == 1);
  CHECK(s.pending_changes == 1);
  CHECK(s.peak_l == 0.5f);
  CHECK(s.duck_gain_db == 0.0f);
  CHECK(s.master_gain_db == 0.0f);
}
