// Tests of ProgrammeAudio, the plan-to-mixer bridge: objects built from a small programme,
// dialogue untouched by the balance, audio-description ducking, loudness normalisation and the
// loudness target, resampled pushes, chunk and push independence, seeking, controls from the
// context and JSON, and the master limiter holding a hot mix under -1 dBTP.
#include <doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "audio/loudness.h"
#include "audio/programme_audio.h"
#include "narrative/resolve.h"
#include "programme/programme.h"

using tessera::audio::AudioControls;
using tessera::audio::ProgrammeAudio;
using tessera::ordered_json;

namespace {

constexpr int kRate = 48000;
constexpr double kPi = 3.14159265358979323846;

// Dialogue (essential), music (nice to have, declared loudness, -3 dB placement) and an audio
// description from 1 s to 2 s that ducks the rest by 20 dB with a 0.1 s attack.
std::string programme_text(const std::string& music_loudness = "-18", const std::string& music_gain = "-3") {
  return R"({"format":"tessera-programme","version":1,"id":"p","title":"T",
  "variables":{"balance":{"type":"number","default":0,"min":0,"max":1,"context":"dialogueBalance"},
               "ad":{"type":"boolean","default":false,"context":"audioDescription"}},
  "assets":{"dlg":{"type":"audio","src":"d.wav","duration":4,"role":"dialogue","importance":3},
            "mus":{"type":"audio","src":"m.wav","duration":10,"role":"music","importance":1,"loudness":)" +
         music_loudness + R"(,"trim":{"in":2}},
            "ad":{"type":"audio","src":"a.wav","duration":1,"role":"description",
                  "duck":{"depth":-20,"attack":0.1,"release":0.2}}},
  "layouts":{"tv":{"width":1280,"height":720,"regions":{}}},
  "beginnings":[{"scene":"a"}],
  "scenes":{"a":{"duration":4,"objects":[{"id":"d","asset":"dlg"},{"id":"m","asset":"mus","gain":)" +
         music_gain + R"(,"fadeIn":0.5},{"id":"x","asset":"ad","start":1,"end":2}]}}})";
}

struct Fixture {
  tessera::ParsedProgramme parsed;
  tessera::ResolvedPlan plan;
  ProgrammeAudio audio;
  explicit Fixture(const ordered_json& context = ordered_json::object(), const std::string& text = programme_text()) {
    parsed = tessera::parse_programme(text);
    for (const auto& d : parsed.diagnostics.items())
      if (d.severity == tessera::Severity::Error) MESSAGE(d.pointer << ": " << d.message);
    REQUIRE(parsed.ok);
    plan = tessera::resolve(parsed.programme, context);
    audio.set_plan(parsed.programme, *plan.state, &context);
  }
};

// Interleaved sine at `rate`, the first sample at media time t0 (phase continuous across pushes).
std::vector<float> sine(double freq, int rate, float amp, double t0, size_t frames, int channels) {
  std::vector<float> v(frames * static_cast<size_t>(channels));
  for (size_t i = 0; i < frames; ++i) {
    const double t = t0 + static_cast<double>(i) / rate;
    const float s = amp * static_cast<float>(std::sin(2 * kPi * freq * t));
    for (int c = 0; c < channels; ++c) v[i * static_cast<size_t>(channels) + static_cast<size_t>(c)] = s;
  }
  return v;
}

std::vector<float> noise(size_t frames, int channels, float amp, uint32_t seed) {
  std::vector<float> v(frames * static_cast<size_t>(channels));
  for (float& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = amp * static_cast<float>(static_cast<int32_t>(seed) >> 8) / 8388608.0f;
  }
  return v;
}

// Pushes `seconds` of PCM for an object, from media time m0, in chunks of `chunk` frames.
void push(ProgrammeAudio& a, const std::string& object, const std::vector<float>& pcm, int channels, int rate, double m0,
          size_t chunk) {
  const size_t frames = pcm.size() / static_cast<size_t>(channels);
  for (size_t pos = 0; pos < frames; pos += chunk) {
    const size_t n = std::min(chunk, frames - pos);
    REQUIRE(a.push_pcm(object, m0 + static_cast<double>(pos) / rate, pcm.data() + pos * static_cast<size_t>(channels), n,
                       channels, rate));
  }
}

std::vector<float> render(ProgrammeAudio& a, int64_t from, size_t frames, size_t chunk) {
  std::vector<float> out(2 * frames);
  for (size_t pos = 0; pos < frames;) {
    const size_t n = std::min(chunk, frames - pos);
    a.render(from + static_cast<int64_t>(pos), out.data() + 2 * pos, n);
    pos += n;
  }
  return out;
}

// RMS of the left channel over output frames [a, b) of a buffer that starts at frame `base`.
double rms(const std::vector<float>& x, int64_t a, int64_t b, int64_t base = 0) {
  double sum = 0;
  for (int64_t i = a; i < b; ++i) sum += static_cast<double>(x[static_cast<size_t>(2 * (i - base))]) * x[static_cast<size_t>(2 * (i - base))];
  return std::sqrt(sum / static_cast<double>(b - a));
}

double db(double v) { return 20.0 * std::log10(v); }

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("the plan's audio objects become mixer objects with role, importance, gain, timing and duck") {
  Fixture f;
  ProgrammeAudio& a = f.audio;
  REQUIRE(a.object_count() == 3);
  const int d = a.handle("a/d"), m = a.handle("a/m"), x = a.handle("a/x");
  REQUIRE(d >= 0);
  REQUIRE(m >= 0);
  REQUIRE(x >= 0);
  const auto& dd = a.mixer().descriptor(d);
  CHECK(dd.is_dialogue == true);
  CHECK(dd.importance == 3);
  CHECK(dd.start_frame == 0);
  CHECK(dd.end_frame == 4 * kRate);
  const auto& md = a.mixer().descriptor(m);
  CHECK(md.is_dialogue == false);
  CHECK(md.importance == 1);
  CHECK(md.gain_db == doctest::Approx(-3 + (-23 - -18)));  // placement + normalisation to -23
  CHECK(md.fade_in_frames == kRate / 2);
  const auto& xd = a.mixer().descriptor(x);
  CHECK(xd.is_audio_description == true);
  CHECK(xd.start_frame == kRate);
  CHECK(xd.end_frame == 2 * kRate);
  CHECK(xd.duck.depth_db == doctest::Approx(-20));
  CHECK(xd.duck.attack_s == doctest::Approx(0.1));
  CHECK(xd.duck.release_s == doctest::Approx(0.2));

  // What to decode: everything at 0.5 s, the description too (it starts within the lookahead);
  // the music's media is trimmed, so 0.5 s into the plan is 2.5 s into the file.
  const ordered_json at = ordered_json::parse(a.audio_at(0.5, 1.0));
  REQUIRE(at["audio"].size() == 3);
  CHECK(at["audio"][0]["object"] == "a/d");
  CHECK(at["audio"][1]["mediaTime"].get<double>() == doctest::Approx(2.5));
  CHECK(at["audio"][1]["src"] == "m.wav");
  CHECK(at["audio"][2]["object"] == "a/x");
  CHECK(at["audio"][2]["active"] == false);
  CHECK(at["audio"][2]["mediaTime"].get<double>() == doctest::Approx(0.0));
  CHECK(at["audio"][2]["queuedEnd"].get<double>() == doctest::Approx(1.0));
  CHECK(ordered_json::parse(a.audio_at(2.5, 0.1))["audio"].size() == 2);  // the description has ended

  CHECK_FALSE(a.push_pcm("a/nope", 0, nullptr, 0, 2, kRate));
  CHECK(a.error().find("no audio object") != std::string::npos);
  const float one[4] = {0, 0, 0, 0};
  CHECK_FALSE(a.push_pcm("a/d", 0, one, 1, 4, kRate));
}

TEST_CASE("the dialogue balance lowers music and never the dialogue") {
  // Separate runs per object so each one's level is measured alone.
  auto level = [](const char* object, float balance) {
    Fixture f(ordered_json{{"dialogueBalance", balance}});
    const double m0 = std::string(object) == "a/m" ? 2.0 : 0.0;
    push(f.audio, object, sine(440, kRate, 0.1f, m0, kRate, 2), 2, kRate, m0, 4800);
    const std::vector<float> out = render(f.audio, 0, kRate, 128);
    return rms(out, kRate / 2 + 4800, kRate - 4800);  // after the music's fade-in
  };
  CHECK(level("a/d", 1.0f) == level("a/d", 0.0f));  // bit-identical: the factor is exactly 1
  const double music0 = level("a/m", 0.0f), music_half = level("a/m", 0.5f);
  CHECK(db(music_half / music0) == doctest::Approx(-60.0 * 0.25 / (0.75 * 0.75)).epsilon(0.01));
  CHECK(level("a/m", 1.0f) == 0.0);  // importance 1 is silent from 0.75
}

TEST_CASE("a control change lands within 50 ms, sample-accurately, and leaves dialogue as it was") {
  Fixture f;
  push(f.audio, "a/m", sine(440, kRate, 0.1f, 2.0, kRate, 2), 2, kRate, 2.0, 4800);
  std::vector<float> before = render(f.audio, 0, kRate / 2 + 4800, 128);
  AudioControls c;
  c.dialogue_balance = 0.5f;
  f.audio.schedule_controls(kRate * 3 / 4, c);
  std::vector<float> after = render(f.audio, kRate / 2 + 4800, kRate / 2 - 4800, 128);
  const int64_t change = kRate * 3 / 4, base = kRate / 2 + 4800;
  const double steady = rms(after, base, change, base);
  const double ducked = rms(after, change + kRate / 20, kRate, base);  // 50 ms later
  CHECK(db(ducked / steady) == doctest::Approx(-26.67).epsilon(0.01));
  // Nothing moves before the change's frame.
  CHECK(rms(after, change - 2400, change, base) == doctest::Approx(steady).epsilon(0.01));
}

TEST_CASE("audio description ducks the rest of the mix while it speaks, starting ahead of the speech") {
  // The ducked music alone = (music + AD) - (AD alone): the limiter is transparent at these levels.
  auto run = [](bool with_music) {
    Fixture f(ordered_json{{"audioDescription", true}});
    // The mixer's ring holds ~1.4 s: push the music's second second after rendering the first.
    const std::vector<float> bed = sine(300, kRate, 0.1f, 2.0, 2 * kRate, 2);
    const std::vector<float> first(bed.begin(), bed.begin() + 2 * kRate * 13 / 10), rest(bed.begin() + 2 * kRate * 13 / 10, bed.end());
    if (with_music) push(f.audio, "a/m", first, 2, kRate, 2.0, 9600);
    push(f.audio, "a/x", noise(kRate, 1, 0.2f, 7), 1, kRate, 0.0, 9600);  // mono speech for 1 s
    std::vector<float> out = render(f.audio, 0, kRate, 256);
    if (with_music) push(f.audio, "a/m", rest, 2, kRate, 2.0 + 1.3, 9600);
    const std::vector<float> second = render(f.audio, kRate, kRate, 256);
    out.insert(out.end(), second.begin(), second.end());
    // Only the limiter's look-ahead past the 2 s pushed.
    if (with_music) CHECK(ordered_json::parse(f.audio.stats_json())["objects"][1]["underrunFrames"] <= f.audio.latency_frames());
    return out;
  };
  const std::vector<float> both = run(true), ad = run(false);
  std::vector<float> music(both.size());
  for (size_t i = 0; i < both.size(); ++i) music[i] = both[i] - ad[i];
  const double open = rms(music, kRate / 2 + 2400, kRate - 4800 - 2400);  // before the attack
  const double during = rms(music, kRate + 4800, 2 * kRate - 4800);
  CHECK(db(during / open) == doctest::Approx(-20.0).epsilon(0.02));
  // Look-ahead: the attack (0.1 s, linear in gain) runs before the speech and is half done 50 ms
  // ahead of it (gain 1 - 0.5 x 0.9 = -5.2 dB; one 300 Hz period measured).
  CHECK(db(rms(music, kRate - 2480, kRate - 2320) / open) == doctest::Approx(-5.19).epsilon(0.08));
  CHECK(db(rms(music, kRate - 5280, kRate - 5120) / open) == doctest::Approx(0.0).epsilon(0.02));
  CHECK(ad.size() == both.size());
  CHECK(rms(ad, kRate + 480, 2 * kRate - 480) > 0.05);  // the description itself plays

  // With AD off nothing is ducked and the description is silent.
  Fixture off;
  push(off.audio, "a/x", noise(kRate, 1, 0.2f, 7), 1, kRate, 0.0, 9600);
  const std::vector<float> silent = render(off.audio, 0, 2 * kRate, 256);
  CHECK(rms(silent, 0, 2 * kRate) == 0.0);
}

TEST_CASE("loudness normalisation brings an object to the target, -23 or -16 LUFS") {
  // Measure noise, declare its loudness, and the mix comes out at the target.
  const std::vector<float> src = noise(3 * kRate, 2, 0.5f, 99);
  tessera::audio::LoudnessMeter in(kRate, 2);
  in.add_frames(src.data(), 3 * kRate);
  const double loudness = in.integrated_lufs();
  REQUIRE(loudness > -20.0);
  for (const float target : {-23.0f, -16.0f}) {
    Fixture f(ordered_json::object(), programme_text(std::to_string(loudness), "0"));
    f.audio.set_loudness_target(target);
    tessera::audio::LoudnessMeter out(kRate, 2);
    // Push ahead and render in step (the mixer's ring holds about 1.4 s).
    const size_t step = kRate / 4;
    for (size_t pos = 0; pos < static_cast<size_t>(3 * kRate); pos += step) {
      REQUIRE(f.audio.push_pcm("a/m", 2.0 + static_cast<double>(pos) / kRate, src.data() + 2 * pos, step, 2, kRate));
      if (pos < step) continue;  // stay one step ahead
      const std::vector<float> block = render(f.audio, static_cast<int64_t>(pos - step), step, 128);
      if (pos >= static_cast<size_t>(kRate)) out.add_frames(block.data(), step);  // after the fade-in
    }
    CHECK(out.integrated_lufs() == doctest::Approx(target).epsilon(0.005));
  }
}

TEST_CASE("PCM at another rate is resampled onto the timeline at the right place") {
  auto level_at = [](int rate) {
    Fixture f;
    push(f.audio, "a/d", sine(1000, rate, 0.25f, 0.0, static_cast<size_t>(rate), 2), 2, rate, 0.0, 1000);
    return render(f.audio, 0, kRate, 128);
  };
  const std::vector<float> native = level_at(kRate), cd = level_at(44100), speech = level_at(16000);
  CHECK(db(rms(cd, 4800, 43200) / rms(native, 4800, 43200)) == doctest::Approx(0.0).epsilon(0.001) );
  CHECK(std::fabs(db(rms(speech, 4800, 43200) / rms(native, 4800, 43200))) < 0.01);
  // Same phase: the resampled sine matches the native one sample by sample (zero phase delay).
  double worst = 0;
  for (int64_t i = 4800; i < 43200; ++i) worst = std::max(worst, std::fabs(static_cast<double>(cd[2 * i] - native[2 * i])));
  CHECK(worst < 1e-3);
}

TEST_CASE("rendering and pushing in any chunking gives the same bytes") {
  auto hash = [](size_t push_chunk, size_t render_chunk) {
    Fixture f(ordered_json{{"audioDescription", true}, {"dialogueBalance", 0.3}});
    push(f.audio, "a/d", noise(kRate, 2, 0.3f, 1), 2, kRate, 0.0, push_chunk);
    push(f.audio, "a/m", sine(220, 44100, 0.5f, 2.0, 44100, 2), 2, 44100, 2.0, push_chunk);
    push(f.audio, "a/x", noise(kRate / 2, 1, 0.4f, 3), 1, kRate, 0.0, push_chunk);
    AudioControls c;
    c.dialogue_balance = 0.8f;
    c.volume_db = 6.0f;
    f.audio.schedule_controls(30001, c);
    return f.audio.render_sha256(0, kRate, render_chunk);
  };
  const std::string h = hash(4096, 128);
  CHECK(h.size() == 64);
  CHECK(hash(4096, 1000) == h);
  CHECK(hash(4096, 48000) == h);
  CHECK(hash(4096, 1) == h);
  CHECK(hash(333, 128) == h);
  CHECK(hash(4096, 128) == h);  // and again
}

TEST_CASE("seeking drops queued PCM and restarts the resamplers and the limiter") {
  const std::vector<float> late = sine(500, 44100, 0.3f, 2.0, 44100, 2);  // media 2.0..3.0 s
  Fixture a;
  push(a.audio, "a/d", sine(500, 44100, 0.3f, 0.0, 44100, 2), 2, 44100, 0.0, 4410);
  render(a.audio, 0, kRate / 2, 128);
  a.audio.seek(2 * kRate);
  // What was queued is gone: silence (counted as underruns) until the host pushes again.
  CHECK(rms(render(a.audio, 2 * kRate, 4800, 128), 0, 4800) == 0.0);
  a.audio.seek(2 * kRate);
  push(a.audio, "a/d", late, 2, 44100, 2.0, 4410);
  const std::vector<float> after_seek = render(a.audio, 2 * kRate, kRate / 2, 128);
  // The same as a mix that started there.
  Fixture b;
  b.audio.seek(2 * kRate);
  push(b.audio, "a/d", late, 2, 44100, 2.0, 4410);
  CHECK(same_bytes(render(b.audio, 2 * kRate, kRate / 2, 128), after_seek));
  CHECK(rms(after_seek, 4800, 19200) > 0.1);
  const ordered_json stats = ordered_json::parse(a.audio.stats_json());
  CHECK(stats["frame"] == 2 * kRate + kRate / 2);
  CHECK(stats["objects"][0]["object"] == "a/d");
}

TEST_CASE("the limiter keeps a hot mix at or under -1 dBTP") {
  Fixture f(ordered_json{{"audioDescription", true}});
  AudioControls c;
  c.volume_db = 12.0f;
  f.audio.set_controls(c);
  // A little more PCM than rendered: the limiter's look-ahead and the resampler's need it.
  push(f.audio, "a/d", noise(kRate + 4800, 2, 0.9f, 5), 2, kRate, 0.0, 4800);
  push(f.audio, "a/m", sine(3000, 44100, 0.9f, 2.0, 44100 + 4410, 2), 2, 44100, 2.0, 4410);
  std::vector<float> x = noise(kRate, 1, 1.0f, 11);
  for (size_t i = 0; i < x.size(); i += 997) x[i] = (i / 997) % 2 ? 1.0f : -1.0f;  // isolated full-scale clicks
  push(f.audio, "a/x", x, 1, kRate, 0.0, 4800);
  const std::vector<float> out = render(f.audio, 0, kRate, 128);
  tessera::audio::LoudnessMeter meter(kRate, 2);
  meter.add_frames(out.data(), kRate);
  CHECK(meter.true_peak_dbtp() <= -1.0);
  CHECK(meter.true_peak_dbtp() > -3.0);  // it is limited, not just quiet
  const ordered_json stats = ordered_json::parse(f.audio.stats_json());
  CHECK(stats["limiterReductionDb"].get<double>() > 3.0);
  CHECK(stats["underrunFrames"] == 0);
}

TEST_CASE("controls come from the plan's context and from JSON; re-resolving a control keeps the queued PCM") {
  tessera::ParsedProgramme parsed = tessera::parse_programme(programme_text());
  REQUIRE(parsed.ok);
  const ordered_json context = {{"dialogueBalance", 0.0}};
  const tessera::ResolvedPlan plan = tessera::resolve(parsed.programme, context);
  ProgrammeAudio a;
  a.set_plan(parsed.programme, *plan.state, &context);
  push(a, "a/d", noise(kRate, 2, 0.1f, 1), 2, kRate, 0.0, 4800);
  render(a, 0, 9600, 128);
  const ordered_json then = {{"dialogueBalance", 0.75}};
  const tessera::Reresolution r = tessera::reresolve(parsed.programme, plan, then, 0.2);
  a.set_plan(parsed.programme, *r.plan.state, &then);
  CHECK(ordered_json::parse(a.stats_json())["dialogueBalance"].get<double>() == doctest::Approx(0.75));
  // Same objects: the PCM pushed before is still there.
  CHECK(rms(render(a, 9600, 9600, 128), 0, 9600) > 0.02);
  CHECK(ordered_json::parse(a.stats_json())["objects"][0]["underrunFrames"] == 0);

  AudioControls c;
  std::string error;
  REQUIRE(tessera::audio::audio_controls_from_json(
      R"({"dialogueBalance":2,"audioDescription":true,"volume":0.5,"muted":false,"loudnessTarget":-16,"language":"cy"})", c, error));
  CHECK(*c.dialogue_balance == 1.0f);  // clamped
  CHECK(*c.audio_description);
  CHECK(*c.volume_db == doctest::Approx(-6.0206));
  CHECK(*c.loudness_target == -16.0f);
  CHECK(*c.language == "cy");
  REQUIRE(tessera::audio::audio_controls_from_json(R"({"volumeDb":null})", c, error));
  CHECK(std::isinf(*c.volume_db));
  CHECK_FALSE(tessera::audio::audio_controls_from_json(R"({"dialogueBalance":"high"})", c, error));
  CHECK(error == "dialogueBalance must be a number");
  CHECK_FALSE(tessera::audio::audio_controls_from_json(R"({"balance":1})", c, error));
  CHECK(error == "unknown audio control \"balance\"");
  CHECK_FALSE(tessera::audio::audio_controls_from_json("[1]", c, error));

  // Mute ramps to exact silence.
  a.set_muted(true);
  const std::vector<float> muted = render(a, 19200, 9600, 128);
  CHECK(rms(muted, 2400, 9600) == 0.0);
}

TEST_CASE("a re-resolve that adds an object rebuilds the mix and keeps the PCM of the objects that stay") {
  // The description is placed only when audio description is on.
  std::string text = programme_text();
  const std::string x = R"({"id":"x","asset":"ad","start":1,"end":2})";
  text.replace(text.find(x), x.size(), R"({"id":"x","asset":"ad","start":1,"end":2,"when":{"var":"ad"}})");
  tessera::ParsedProgramme parsed = tessera::parse_programme(text);
  REQUIRE(parsed.ok);
  const std::vector<float> speech = sine(700, 44100, 0.2f, 0.0, 44100, 2);

  const ordered_json off = {{"audioDescription", false}};
  const tessera::ResolvedPlan plan = tessera::resolve(parsed.programme, off);
  ProgrammeAudio a;
  a.set_plan(parsed.programme, *plan.state, &off);
  REQUIRE(a.object_count() == 2);
  push(a, "a/d", std::vector<float>(speech.begin(), speech.begin() + 2 * 22050), 2, 44100, 0.0, 4410);
  render(a, 0, 9600, 128);
  const ordered_json on = {{"audioDescription", true}};
  const tessera::Reresolution r = tessera::reresolve(parsed.programme, plan, on, 0.2);
  a.set_plan(parsed.programme, *r.plan.state, &on);
  REQUIRE(a.object_count() == 3);
  CHECK(ordered_json::parse(a.audio_at(0.2, 0))["audio"][0]["queuedEnd"].get<double>() > 0.45);
  // The host's pushes continue where they were (the resampler was kept too).
  push(a, "a/d", std::vector<float>(speech.begin() + 2 * 22050, speech.end()), 2, 44100, 0.5, 4410);
  const std::vector<float> after = render(a, 9600, 28800, 128);
  CHECK(ordered_json::parse(a.stats_json())["objects"][0]["underrunFrames"] == 0);

  // Byte for byte what a mix with audio description on from the start plays there.
  const tessera::ResolvedPlan plan_on = tessera::resolve(parsed.programme, on);
  ProgrammeAudio b;
  b.set_plan(parsed.programme, *plan_on.state, &on);
  push(b, "a/d", speech, 2, 44100, 0.0, 4410);
  const std::vector<float> whole = render(b, 0, 38400, 128);
  CHECK(same_bytes(std::vector<float>(whole.begin() + 2 * 9600, whole.end()), after));
  CHECK(rms(after, 0, 28800) > 0.1);
}
