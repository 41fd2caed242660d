// The object mixer: renders a programme's audio objects (dialogue, music, effects, audio
// description) to interleaved stereo float at the output rate, applying the viewer's controls —
// the dialogue/background balance (narrative importance, after BBC R&D's Accessible & Enhanced
// audio), audio description with ducking, master volume and language — sample-accurately.
//
// Built for the AudioWorklet (128-frame quanta, wasm), single-threaded: push, schedule,
// discard_before and render are called from the same thread. PCM arrives ahead of need through
// push(), is converted to stereo once there and kept in a preallocated per-object ring;
// render() never allocates, never blocks (missing PCM is silence, counted) and is a pure
// function of the pushed PCM, the descriptors and the scheduled controls: rendering a span in
// one call or in any chunking gives the same bytes, because every gain is evaluated in closed
// form from the absolute frame number (no per-chunk state) and summed in a fixed order (factors
// that are exactly 1 may be skipped: x 1 is exact).
//
// Gain of object o at frame t, all linear float, multiplied in this fixed order:
//   shared_K(t) = (master(t) x duck(t)) x balance_K(t)   (K = the object's balance class)
//   shared_AD(t) = master(t) x ad_enabled(t)             (AD objects: no balance, no duck)
//   g(t)        = (shared_K(t) x (fade(t) x language(t))) x (gain x pan)
// Balance (see balance_gain()): dialogue, importance 3 and AD objects have factor exactly 1.
//   Others: dB = -D * (b / b_end)^2 until b_end, then exactly 0 (silence):
//     importance 2: D = 18, b_end = 1   (-4.5 dB at b = 0.5, -18 dB at b = 1)
//     importance 1: D = 60, b_end = 0.75 (-26.7 dB at b = 0.5, silent from 0.75)
//     importance 0: D = 60, b_end = 0.5  (-15 dB at b = 0.25, silent from 0.5)
//   The same shape with a larger D / b_end^2 for lower importance keeps the order
//   imp0 <= imp1 <= imp2 <= imp3 at every b, each monotonically falling with b; the square law
//   keeps the top of the slider gentle and still gives a clear change by mid-slider.
//   "Never reduced" is about the balance only: master volume and the AD duck still apply to
//   dialogue (a broadcast AD mix ducks the whole programme under the describer).
// Language: objects tagged with a language play only while it is selected (exact tag match);
// untagged objects always play. An empty selection means MixerConfig::default_language (and if
// that is empty too, only untagged objects play).
// Control changes (balance, AD on/off, master, language) ramp linearly in linear gain over
// smoothing_frames() (20 ms, 960 frames at 48 kHz): the first changed sample is the change's own
// frame, the last ramp sample is 20 ms later, no clicks; the largest per-sample gain step is
// 1/960 of the change. (Balance ramps each class's factor, not b itself.) Master is capped at
// +24 dB.
// Fades: equal-power (sin/cos quarter wave, constant power for uncorrelated material — the
// default, for scene joins of different sounds) or raised-cosine (sin^2, constant amplitude for
// correlated material, e.g. the same music bed either side of a join); both evaluated with a
// polynomial, no libm in the sample loop.
// Ducking: each AD object ducks every non-AD object by depth_db while it speaks. Speech is
// either given as explicit frame intervals or keyed from the AD PCM at push time (mean-square
// level over a 10 ms one-pole, threshold, 250 ms hang), which is ahead of playback, so the
// attack starts attack-time BEFORE the speech (look-ahead), reaching full depth at its start;
// the release starts after the speech (plus hang) ends. Duck gain is 1 - d x (1 - depth_lin)
// with d ramping linearly 0..1; several AD objects take the deepest duck. The duck is gated by
// the (ramped) AD-enabled control, so with AD off nothing is ducked and AD objects are silent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::audio {

enum class FadeCurve { EqualPower, RaisedCosine };

struct DuckParams {
  float depth_db = -12.0f;  // gain of everything else while AD speaks
  float attack_s = 0.25f;   // ramp down, finishing as speech starts (look-ahead)
  float release_s = 0.5f;   // ramp back up after speech ends
  float threshold_db = -40.0f;  // keyed mode: mean-square level (dBFS) that counts as speech
  float hold_s = 0.25f;         // keyed mode: hang time bridging gaps between words
  // Explicit speech intervals [begin, end) on the output timeline; empty = key from the PCM.
  std::vector<std::pair<int64_t, int64_t>> intervals;
};

struct ObjectDesc {
  std::string id;
  std::string role;        // "dialogue", "narration", "music", "effects", "audio-description"...
  int importance = 2;      // 0 expendable, 1 nice to have, 2 important, 3 essential
  std::optional<bool> is_dialogue;           // default: role is dialogue or narration
  // Default: role is "audio-description", "audio_description", "ad" or "description".
  std::optional<bool> is_audio_description;
  std::string language;    // empty = plays whatever language is selected
  float gain_db = 0.0f;
  float pan = 0.0f;        // -1 left .. 1 right: constant-power for mono, balance for stereo/5.1
  int channels = 2;        // layout of the pushed PCM: 1, 2 or 6 (L R C LFE Ls Rs)
  int64_t start_frame = 0;                                   // output timeline, inclusive
  int64_t end_frame = std::numeric_limits<int64_t>::max();   // exclusive; max = open-ended
  int64_t fade_in_frames = 0;   // gain rises over [start, start + fade_in)
  int64_t fade_out_frames = 0;  // gain falls over [end - fade_out, end)
  FadeCurve fade_curve = FadeCurve::EqualPower;
  DuckParams duck;              // used by audio-description objects only
  size_t queue_frames = 0;      // ring capacity; 0 = MixerConfig::queue_frames
};

// A scheduled change; unset fields keep their current value.
struct Controls {
  std::optional<float> balance;  // 0 broadcast mix .. 1 clearest dialogue
  std::optional<bool> audio_description_enabled;
  std::optional<float> master_gain_db;
  std::optional<std::string> language;  // empty = MixerConfig::default_language
};

struct MixerConfig {
  int sample_rate = 48000;
  // Per-object ring, rounded up to a power of 2: 65536 frames = 1.37 s at 48 kHz, 512 KiB.
  size_t queue_frames = 65536;
  float balance = 0.0f;         // initial controls, in effect from the first frame
  bool audio_description_enabled = false;
  float master_gain_db = 0.0f;
  std::string default_language;  // used when the selected language is empty
};

struct ObjectStats {
  float gain_db = -200.0f;     // effective gain (no pan) at the last rendered frame; -200 = silent
  int64_t underrun_frames = 0;  // frames that needed PCM and had none (rendered as silence)
  int64_t gap_frames = 0;       // frames skipped between pushes (zero-filled)
  int64_t dropped_frames = 0;   // pushed frames that did not fit the ring, or arrived too late
  int64_t rejected_pushes = 0;  // pushes with the wrong channel count
  int64_t queued_frames = 0;    // PCM held
  int64_t queue_end = 0;        // frame after the last PCM held
  int duck_intervals = 0;       // AD: speech intervals known (explicit or keyed)
  int64_t late_key_frames = 0;  // AD: keyed speech found after the duck should have started
};

struct MixerStats {
  int64_t frames_rendered = 0;
  int64_t render_calls = 0;
  int64_t next_frame = 0;      // frame after the last rendered one
  int objects = 0;
  int active_objects = 0;      // audible in the last block
  int64_t underrun_frames = 0;  // all objects
  float balance = 0.0f;         // latest applied targets
  bool audio_description_enabled = false;
  float master_gain_db = 0.0f;
  float duck_gain_db = 0.0f;   // at the last rendered frame
  float peak_l = 0.0f, peak_r = 0.0f;  // absolute peaks of the last render() call
  int pending_changes = 0;
};

// Balance factor (linear) for a balance class at slider position b (clamped to [0, 1]):
// exactly 1.0f for dialogue, AD and importance >= 3, exactly 1.0f for everything at b = 0.
float balance_gain(int importance, bool is_dialogue, float b);

class Mixer {
 public:
  static constexpr int kBlock = 128;  // internal block; any render span works

  explicit Mixer(const MixerConfig& config = {});

  // Adds an object; returns its handle (0, 1, ...) in mix order. Allocates its ring.
  int add_object(const ObjectDesc& desc);
  int object_count() const { return static_cast<int>(objects_.size()); }
  const ObjectDesc& descriptor(int handle) const { return objects_[handle].desc; }

  // PCM for `object` at the output rate, interleaved with the object's channel count, first
  // sample at output frame first_frame. Converted to stereo here (non-finite samples become 0).
  // Frames before the queue's first frame (discarded, or older than the first push since the
  // queue was last empty) or beyond the ring's capacity are dropped (counted); re-pushed frames
  // overwrite; a jump past the queued end zero-fills the gap (counted). Returns frames accepted.
  // AD objects without explicit intervals are keyed here; the duck gets its full look-ahead as
  // long as their PCM arrives at least attack_s ahead of render (else it starts late, smoothly,
  // counted in late_key_frames, and the output then depends on push/render interleaving).
  size_t push(int object, int64_t first_frame, const float* interleaved, size_t frames,
              int channels);
  // Frees PCM (and finished duck intervals) before `frame` for every object.
  void discard_before(int64_t frame);

  // Schedules a control change at `frame`; a frame already rendered means the next one.
  // Changes at the same frame apply in the order scheduled.
  void schedule(int64_t frame, const Controls& controls);

  // Renders [frame, frame + frames) as interleaved stereo. Successive calls should continue
  // where the previous ended; a different start is a seek (controls keep their schedule).
  void render(int64_t frame, float* out_stereo, size_t frames);

  ObjectStats object_stats(int handle) const;
  MixerStats stats() const;
  const std::string& language() const;  // the selected language, after defaulting

  int smoothing_frames() const { return smoothing_; }
  int sample_rate() const { return config_.sample_rate; }

 private:
  // A linear ramp from `from` (before t0) to `to` (from t0 + len - 1 on), closed form in the
  // frame: value(t0 + k) = from + (k + 1) x step for 0 <= k < len - 1, exactly `to` after.
  struct Ramp {
    int64_t t0 = 0;
    int64_t len = 0;
    float from = 1.0f, to = 1.0f, step = 0.0f;
    float at(int64_t t) const;
    bool constant_over(int64_t a, int64_t b) const { return b <= t0 || a >= t0 + len - 1; }
    void fill(int64_t a, size_t n, float* dst) const;
    void retarget(int64_t t, float target, int64_t frames);
    void set(float v) { from = to = v; step = 0.0f; len = 0; }
  };
  struct Interval {  // duck envelope of one stretch of AD speech
    int64_t begin = 0, full = 0;  // attack ramp [begin, full)
    int64_t end = 0, release = 1; // release ramp [end, end + release)
  };
  struct Object {
    ObjectDesc desc;
    bool dialogue = false, ad = false;
    int klass = 0;      // shared-gain class: 0..2 importance, 3 = full (dialogue/imp 3), 4 = AD
    int lang = -1;      // interned language, -1 untagged
    float gain_lin = 1.0f;
    float pan_l = 1.0f, pan_r = 1.0f;  // gain x pan law
    std::vector<float> ql, qr;  // planar stereo rings
    uint64_t mask = 0;
    int64_t q_begin = 0, q_end = 0;  // PCM held: [q_begin, q_end)
    int64_t floor = std::numeric_limits<int64_t>::min();  // discarded before this
    Ramp lang_ramp;
    // Ducking (AD objects).
    float duck_reduction = 0.0f;  // 1 - depth_lin
    int64_t attack = 1, release = 1, hold = 0;
    std::vector<Interval> intervals;
    bool keyed = false;
    float key_coef = 0.0f, key_thr = 0.0f, key_level = 0.0f;
    bool key_active = false;  // the last interval is still open
    int64_t key_start = 0, key_last = 0, analysed_end = std::numeric_limits<int64_t>::min();
    // Diagnostics.
    float last_gain = 0.0f;
    ObjectStats st;
  };
  struct Change {
    int64_t frame;
    uint64_t seq;
    Controls c;
    int lang;  // interned, or -2 when unset
  };

  int intern(const std::string& lang);
  void apply(const Change& ch);
  void render_block(int64_t t, size_t n, float* out);
  void analyse(Object& o, int64_t from, int64_t to);
  void add_interval(Object& o, const Interval& iv);

  MixerConfig config_;
  int smoothing_ = 960;
  std::vector<Object> objects_;
  std::vector<std::string> languages_;
  int lang_sel_ = -1;
  std::vector<Change> changes_;  // sorted by (frame, seq)
  size_t next_change_ = 0;
  uint64_t seq_ = 0;
  int64_t next_frame_ = 0;

  // Applied control targets and their ramps.
  float balance_ = 0.0f, master_db_ = 0.0f;
  bool ad_on_ = false;
  Ramp bal_ramp_[3], master_ramp_, ad_ramp_;

  // Scratch for one block (no allocation in render).
  float master_[kBlock], duck_[kBlock], ad_[kBlock], reduce_[kBlock], tmp_[kBlock];
  float shared_[5][kBlock];
  float own_[kBlock], fade_[kBlock];
  float mix_l_[kBlock], mix_r_[kBlock];
  MixerStats stats_;
  float duck_last_ = 1.0f;
};

}  // namespace tessera::audio
