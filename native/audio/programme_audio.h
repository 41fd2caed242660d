// The bridge between a resolved plan and the audio core: turns the plan's audio objects into
// Mixer objects, takes the PCM the host decodes (at any rate, from any media time), applies the
// viewer's audio controls and runs the master chain, so the host only decodes and plays out.
//
//   plan ─► set_plan ─► Mixer objects (role, importance, language, gain, fades, duck)
//   host decode ─► push_pcm ─► downmix to stereo ─► Resampler (per object) ─► Mixer::push
//   render ─► Mixer::render (controls, balance, duck) ─► TruePeakLimiter (−1 dBTP) ─► out
//
// Timeline: 48 kHz stereo; output frame f is plan time f / 48000 s, and a plan time s is frame
// round(s × 48000). The limiter's look-ahead is hidden: the mixer runs latency_frames() ahead,
// so render(f, …) really is the programme at frame f.
//
// Loudness: an asset's `loudness` (its BS.1770 integrated loudness) normalises the object to the
// reference −23 LUFS (gain += −23 − loudness); assets without it are taken to be delivered at
// −23 LUFS already (EBU R128). The loudness target then moves the whole mix by (target + 23) dB
// through the master gain, so −16 LUFS (mobile) is one ramped master change, and every object
// ends at placement gain + (target − loudness) as the programme format promises.
//
// Determinism: render() is a pure function of the PCM pushed, the plan and the controls
// scheduled; rendering a span in one call or in any chunking gives the same bytes (the mixer
// and the limiter are both chunk-independent, and the limiter is primed only when rendering
// does not continue where it left off). Not thread-safe: one thread pushes and renders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audio/limiter.h"
#include "audio/mixer.h"
#include "audio/resample.h"
#include "narrative/plan.h"
#include "programme/programme.h"

namespace tessera::audio {

// A change to the viewer's audio controls; unset fields keep their value.
struct AudioControls {
  std::optional<float> dialogue_balance;   // 0 broadcast mix .. 1 clearest dialogue
  std::optional<bool> audio_description;   // AD objects audible (and ducking) or not
  std::optional<float> volume_db;          // master volume; -inf = silent
  std::optional<bool> muted;
  std::optional<float> loudness_target;    // LUFS: -23 (EBU R128, default) or -16 (mobile)
  std::optional<std::string> language;     // "" = no language selection
  bool empty() const {
    return !dialogue_balance && !audio_description && !volume_db && !muted && !loudness_target && !language;
  }
};

// Parses {"dialogueBalance", "audioDescription", "volumeDb", "volume" (linear), "muted",
// "loudnessTarget", "language"}. Out-of-range numbers are clamped; wrong types and unknown keys
// are errors (false, with a message), so a host's typo is not silently ignored.
bool audio_controls_from_json(std::string_view json, AudioControls& out, std::string& error);

class ProgrammeAudio {
 public:
  static constexpr int kSampleRate = 48000;
  static constexpr int kChannels = 2;
  static constexpr float kReferenceLufs = -23.0f;  // what object gains normalise to
  static constexpr float kMinTargetLufs = -31.0f, kMaxTargetLufs = -10.0f;

  ProgrammeAudio();

  // Builds the mix for the plan's audio objects. The viewer controls the context carries
  // (dialogueBalance, audioDescription, language — through the programme's variables bound to
  // those context keys, else `raw_context`'s own keys) are applied at the next rendered frame.
  // When the plan's audio objects are unchanged (a re-resolve that only moved a control), the
  // mix is kept as it is. Otherwise it is rebuilt at the next frame: objects that are still there
  // unchanged keep their queued PCM and their resampler (the host's pushes simply continue), new
  // ones start empty (audio_at's queuedEnd says what is held).
  void set_plan(const Programme& programme, const PlanState& plan, const ordered_json* raw_context = nullptr);
  void clear();  // no plan: renders silence

  // JSON {"time","audio":[{"object","asset","src","mediaTime","start","end","active","queuedEnd"}]}:
  // the audio objects playing at t or starting before t + lookahead, with the media time to
  // decode from and the plan time up to which PCM is already queued (t or the start, when none).
  std::string audio_at(double t, double lookahead) const;

  // Interleaved PCM of `object` (its plan id) whose first sample is at `media_time` seconds in
  // the asset's media. 1, 2 or 6 (5.1) channels, any rate 8..384 kHz. A push that continues the
  // previous one (media time within half a sample) streams through the object's resampler;
  // anything else (the first push, a seek, a new rate) restarts it there. Returns false with
  // error() for an unknown object or an unsupported layout.
  bool push_pcm(const std::string& object, double media_time, const float* interleaved, size_t frames, int channels,
                int sample_rate);
  // The media has ended: lets the resampler's last frames out.
  bool end_pcm(const std::string& object);

  // Viewer controls at the next rendered frame, or from `frame` on: sample-accurate when `frame`
  // is at least latency_frames() past the last render (the mixer has already run that far
  // ahead for the limiter; an earlier frame lands at the first frame not yet mixed).
  void set_controls(const AudioControls& c) { schedule_controls(next_frame_, c); }
  void schedule_controls(int64_t frame, const AudioControls& c);
  void set_volume_db(float db) { AudioControls c; c.volume_db = db; set_controls(c); }
  void set_volume_linear(float gain);
  void set_muted(bool muted) { AudioControls c; c.muted = muted; set_controls(c); }
  void set_loudness_target(float lufs) { AudioControls c; c.loudness_target = lufs; set_controls(c); }

  // Renders [frame, frame + frames) as interleaved stereo float. Continuing where the last call
  // ended streams on; any other start re-primes the limiter (queued PCM is kept).
  void render(int64_t frame, float* out, size_t frames);
  // Drops queued PCM, restarts every resampler and the limiter: rendering resumes at `frame`
  // and the host pushes PCM again from there.
  void seek(int64_t frame);

  // SHA-256 (hex) of [frame, frame + frames) rendered in chunks of `chunk` frames, as float32
  // little-endian bytes: the determinism tests compare it across tiers, hosts and chunkings.
  std::string render_sha256(int64_t frame, int64_t frames, size_t chunk);

  // JSON for a stats overlay: controls, limiter gain reduction, underruns, per-object gain.
  std::string stats_json() const;

  int object_count() const { return static_cast<int>(objects_.size()); }
  int64_t next_frame() const { return next_frame_; }
  int latency_frames() const { return limiter_.latency_frames(); }
  const std::string& error() const { return error_; }
  const Mixer& mixer() const { return *mixer_; }
  // The mixer handle of a plan object, or -1.
  int handle(const std::string& object) const;

  static int64_t seconds_to_frame(double s);

 private:
  struct Object {
    std::string id, asset, src;
    double start = 0, end = 0, trim_in = 0;  // plan seconds; media seconds of `start`
    ObjectDesc desc;
  };
  struct Stream {  // the host's PCM for one object, since its last restart
    std::unique_ptr<Resampler> resampler;
    int rate = 0;
    double origin_media = 0;      // media time of the first sample since the restart
    int64_t origin_frame = 0;     // output frame of that sample
    int64_t in_frames = 0;        // source frames pushed since the restart
    int64_t out_frames = 0;       // output frames handed to the mixer since the restart
    // A copy of the PCM queued in the mixer from the playhead on (interleaved stereo, first frame
    // held_begin), so a rebuilt mix can keep it: the mixer's rings cannot be read back.
    std::vector<float> held;
    int64_t held_begin = 0;
  };
  struct State {  // the controls' cumulative values
    float balance = 0.0f;
    bool ad = false;
    float volume_db = 0.0f;
    bool muted = false;
    float target = kReferenceLufs;
    std::string language;
    void apply(const AudioControls& c);
    float master_db() const;
  };
  struct Scheduled {
    int64_t frame;
    AudioControls controls;
    Controls mixer;  // as forwarded (master computed when it was scheduled)
  };

  void rebuild(int64_t frame, const AudioControls* now = nullptr);
  void forward(int64_t frame, const AudioControls& c);
  bool pump(size_t index);  // resampler output into the mixer
  static bool same_object(const Object& a, const Object& b);
  bool same_objects(const std::vector<Object>& other) const;
  void hold(Stream& s, int64_t first, const float* stereo, size_t frames);

  std::vector<Object> objects_;  // mix order = plan order
  std::map<std::string, int> index_;
  std::vector<Stream> streams_;
  std::unique_ptr<Mixer> mixer_;
  TruePeakLimiter limiter_;
  State base_;   // controls in force before the earliest entry of history_
  State state_;  // after every change scheduled so far
  std::vector<Scheduled> history_;  // in schedule order, replayed when the mix is rebuilt
  int64_t next_frame_ = 0;
  bool primed_ = false;
  std::vector<float> prime_, stereo_, resampled_;
  std::string error_;
};

}  // namespace tessera::audio
