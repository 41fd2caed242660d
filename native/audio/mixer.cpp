// The object mixer; gain structure, balance curve, fade law and ducking are described in
// mixer.h. Everything in render() is evaluated in closed form from the absolute frame, in a fixed
// order, so chunking cannot change a single bit.
#include "audio/mixer.h"

#include <algorithm>
#include <cmath>

#include "audio/downmix.h"

namespace tessera::audio {
namespace {

constexpr int64_t kOpen = std::numeric_limits<int64_t>::max() / 4;  // end of open speech
constexpr float kSilentDb = -200.0f;

float db_to_lin(float db) {
  if (!(db > -1000.0f)) return 0.0f;  // -inf (or NaN) is silence
  return static_cast<float>(std::pow(10.0, static_cast<double>(db) / 20.0));
}

float lin_to_db(float g) {
  return g > 0.0f ? static_cast<float>(20.0 * std::log10(static_cast<double>(g))) : kSilentDb;
}

// sin(pi/2 * x) for x in [0, 1]: odd Taylor polynomial to y^11 in y = x * pi/2 (truncation
// error < 6e-8, below float resolution near 1). Plain float arithmetic, so the value is the same
// on every IEEE build with contraction off, and no libm call sits in the sample loop.
inline float sin_quarter(float x) {
  if (x <= 0.0f) return 0.0f;
  if (x >= 1.0f) return 1.0f;
  const float y = x * 1.57079633f;
  const float y2 = y * y;
  float p = -2.50521084e-08f;  // -1/11!
  p = p * y2 + 2.75573192e-06f;  // 1/9!
  p = p * y2 - 1.98412698e-04f;  // -1/7!
  p = p * y2 + 8.33333333e-03f;  // 1/5!
  p = p * y2 - 1.66666667e-01f;  // -1/3!
  p = p * y2 + 1.0f;
  const float s = y * p;
  return s > 1.0f ? 1.0f : s;
}

// Gain at position x in [0, 1] of a fade-in (a fade-out uses 1 - x, measured from its end).
// Equal power: sin(pi/2 x), in^2 + out^2 = 1. Raised cosine: sin^2(pi/2 x) = (1 - cos(pi x)) / 2,
// in + out = 1.
inline float fade_shape(float x, FadeCurve c) {
  const float s = sin_quarter(x);
  return c == FadeCurve::RaisedCosine ? s * s : s;
}

bool role_is(const std::string& role, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (role == n) return true;
  return false;
}

int64_t seconds_to_frames(float s, int rate) {
  if (!(s > 0.0f)) return 0;
  return static_cast<int64_t>(std::llround(static_cast<double>(s) * rate));
}

}  // namespace

float balance_gain(int importance, bool is_dialogue, float b) {
  if (is_dialogue || importance >= 3) return 1.0f;
  if (!(b > 0.0f)) return 1.0f;  // b <= 0 (or NaN): the broadcast mix, exactly
  if (b > 1.0f) b = 1.0f;
  double depth_db, b_end;
  bool mutes;
  switch (importance) {
    case 2: depth_db = 18.0; b_end = 1.0; mutes = false; break;
    case 1: depth_db = 60.0; b_end = 0.75; mutes = true; break;
    default: depth_db = 60.0; b_end = 0.5; mutes = true; break;
  }
  if (mutes && b >= b_end) return 0.0f;
  const double u = b / b_end;
  return static_cast<float>(std::pow(10.0, -depth_db * u * u / 20.0));
}

// --- Ramp -------------------------------------------------------------------------------------

float Mixer::Ramp::at(int64_t t) const {
  if (t >= t0 + len - 1) return to;  // the last ramp frame lands exactly on the target
  if (t < t0) return from;
  // The change is already audible at t0 itself (k = 1 there) and complete at t0 + len - 1.
  return from + step * static_cast<float>(static_cast<int32_t>(t - t0) + 1);
}

void Mixer::Ramp::fill(int64_t a, size_t n, float* dst) const {
  const size_t k0 = static_cast<size_t>(std::clamp<int64_t>(t0 - a, 0, static_cast<int64_t>(n)));
  const size_t k1 =
      static_cast<size_t>(std::clamp<int64_t>(t0 + len - 1 - a, 0, static_cast<int64_t>(n)));
  for (size_t k = 0; k < k0; ++k) dst[k] = from;
  if (k1 > k0) {
    // Same expression as at(), so a retarget mid-ramp starts from the very value rendered.
    const int32_t base = static_cast<int32_t>(a - t0) + 1;
    const float f = from, s = step;
    for (size_t k = k0; k < k1; ++k)
      dst[k] = f + s * static_cast<float>(base + static_cast<int32_t>(k));
  }
  for (size_t k = k1; k < n; ++k) dst[k] = to;
}

void Mixer::Ramp::retarget(int64_t t, float target, int64_t frames) {
  from = at(t);
  to = target;
  t0 = t;
  if (frames <= 0 || from == to) {
    from = to;
    len = 0;
    step = 0.0f;
    return;
  }
  len = frames;
  step = (to - from) / static_cast<float>(frames);
}

// --- Mixer ------------------------------------------------------------------------------------

Mixer::Mixer(const MixerConfig& config) : config_(config) {
  if (config_.sample_rate <= 0) config_.sample_rate = 48000;
  // 20 ms: long enough that a full-scale gain change moves at most 1/960 per sample (inaudible
  // as a click), short enough to feel immediate and be complete well inside 50 ms.
  smoothing_ = static_cast<int>(seconds_to_frames(0.020f, config_.sample_rate));
  if (smoothing_ < 1) smoothing_ = 1;
  balance_ = std::clamp(config_.balance, 0.0f, 1.0f);
  master_db_ = config_.master_gain_db;
  ad_on_ = config_.audio_description_enabled;
  for (int i = 0; i < 3; ++i) bal_ramp_[i].set(balance_gain(i, false, balance_));
  master_ramp_.set(db_to_lin(std::min(master_db_, 24.0f)));
  ad_ramp_.set(ad_on_ ? 1.0f : 0.0f);
  lang_sel_ = intern(config_.default_language);
  changes_.reserve(64);
  stats_.balance = balance_;
  stats_.audio_description_enabled = ad_on_;
  stats_.master_gain_db = master_db_;
}

int Mixer::intern(const std::string& lang) {
  for (size_t i = 0; i < languages_.size(); ++i)
    if (languages_[i] == lang) return static_cast<int>(i);
  languages_.push_back(lang);
  return static_cast<int>(languages_.size() - 1);
}

const std::string& Mixer::language() const { return languages_[lang_sel_]; }

int Mixer::add_object(const ObjectDesc& desc) {
  objects_.emplace_back();
  Object& o = objects_.back();
  o.desc = desc;
  const int rate = config_.sample_rate;
  o.ad = desc.is_audio_description.value_or(
      role_is(desc.role, {"audio-description", "audio_description", "ad", "description"}));
  o.dialogue = !o.ad && desc.is_dialogue.value_or(role_is(desc.role, {"dialogue", "narration"}));
  const int imp = std::clamp(desc.importance, 0, 3);
  o.klass = o.ad ? 4 : (o.dialogue || imp >= 3) ? 3 : imp;
  o.lang = desc.language.empty() ? -1 : intern(desc.language);
  o.lang_ramp.set(o.lang < 0 || o.lang == lang_sel_ ? 1.0f : 0.0f);

  o.gain_lin = db_to_lin(desc.gain_db);
  const float p = std::clamp(desc.pan, -1.0f, 1.0f);
  const double theta = (static_cast<double>(p) + 1.0) * 0.78539816339744831;  // 0..pi/2
  float pl, pr;
  if (desc.channels == 1) {
    // Constant-power sin/cos law: -3 dB each side at centre.
    pl = p == 0.0f ? kMinus3dB : static_cast<float>(std::cos(theta));
    pr = p == 0.0f ? kMinus3dB : static_cast<float>(std::sin(theta));
  } else {
    // Balance: the far side follows the same law normalised to unity at centre; the near side
    // stays at unity, so a centred stereo object passes untouched.
    pl = p > 0.0f ? static_cast<float>(1.41421356237309515 * std::cos(theta)) : 1.0f;
    pr = p < 0.0f ? static_cast<float>(1.41421356237309515 * std::sin(theta)) : 1.0f;
  }
  o.pan_l = o.gain_lin * pl;
  o.pan_r = o.gain_lin * pr;

  size_t cap = desc.queue_frames ? desc.queue_frames : config_.queue_frames;
  size_t pow2 = 1024;
  while (pow2 < cap) pow2 <<= 1;
  o.ql.assign(pow2, 0.0f);
  o.qr.assign(pow2, 0.0f);
  o.mask = pow2 - 1;

  if (o.ad) {
    const DuckParams& d = desc.duck;
    o.duck_reduction = 1.0f - db_to_lin(std::min(d.depth_db, 0.0f));
    o.attack = std::max<int64_t>(1, seconds_to_frames(d.attack_s, rate));
    o.release = std::max<int64_t>(1, seconds_to_frames(d.release_s, rate));
    o.hold = seconds_to_frames(d.hold_s, rate);
    o.keyed = d.intervals.empty();
    o.intervals.reserve(std::max<size_t>(64, d.intervals.size()));
    for (const auto& iv : d.intervals) {
      if (iv.second <= iv.first) continue;
      o.intervals.push_back({iv.first - o.attack, iv.first, iv.second, o.release});
    }
    // 10 ms mean-square integrator: follows syllables, ignores single-sample clicks.
    o.key_coef = static_cast<float>(1.0 - std::exp(-1.0 / (0.010 * rate)));
    o.key_thr = static_cast<float>(std::pow(10.0, static_cast<double>(d.threshold_db) / 10.0));
  }
  o.st = {};
  stats_.objects = object_count();
  return object_count() - 1;
}

size_t Mixer::push(int handle, int64_t first, const float* in, size_t frames, int channels) {
  if (handle < 0 || handle >= object_count() || in == nullptr) return 0;
  Object& o = objects_[handle];
  if (channels != o.desc.channels || (channels != 1 && channels != 2 && channels != 6)) {
    ++o.st.rejected_pushes;
    return 0;
  }
  if (frames == 0) return 0;
  const int64_t cap = static_cast<int64_t>(o.mask + 1);
  const int64_t end = first + static_cast<int64_t>(frames);
  int64_t lo = std::max(first, o.floor);
  if (o.q_begin == o.q_end) o.q_begin = o.q_end = lo;  // empty: the ring restarts here
  lo = std::max(lo, o.q_begin);
  const int64_t hi = std::min(end, o.q_begin + cap);
  if (lo >= hi) {
    o.st.dropped_frames += static_cast<int64_t>(frames);
    return 0;
  }
  o.st.dropped_frames += (lo - first) + (end - hi);
  for (int64_t t = o.q_end; t < lo; ++t) {  // a jump ahead: the skipped frames are silence
    const size_t i = static_cast<size_t>(static_cast<uint64_t>(t) & o.mask);
    o.ql[i] = 0.0f;
    o.qr[i] = 0.0f;
  }
  if (lo > o.q_end) o.st.gap_frames += lo - o.q_end;

  const float* src = in + static_cast<size_t>(lo - first) * static_cast<size_t>(channels);
  for (int64_t t = lo; t < hi; ++t, src += channels) {
    float l, r;
    if (channels == 1) {
      l = r = src[0];  // the pan law places it at render
    } else if (channels == 2) {
      l = src[0];
      r = src[1];
    } else {
      downmix_51_frame(src, l, r);
    }
    // Non-finite input would poison the bus (and 0 * inf is NaN): treat it as silence.
    if (!std::isfinite(l)) l = 0.0f;
    if (!std::isfinite(r)) r = 0.0f;
    const size_t i = static_cast<size_t>(static_cast<uint64_t>(t) & o.mask);
    o.ql[i] = l;
    o.qr[i] = r;
  }
  o.q_end = std::max(o.q_end, hi);
  if (o.ad && o.keyed) analyse(o, o.q_begin, o.q_end);
  return static_cast<size_t>(hi - lo);
}

void Mixer::add_interval(Object& o, const Interval& iv) {
  if (o.intervals.size() == o.intervals.capacity() && !o.intervals.empty())
    o.intervals.erase(o.intervals.begin());  // full: forget the oldest, never reallocate
  o.intervals.push_back(iv);
}

// Keyed speech detection over newly queued AD PCM, strictly in frame order (so any push
// chunking finds the same intervals). Runs at push time, ahead of playback: that is what lets
// the duck's attack start before the speech.
void Mixer::analyse(Object& o, int64_t from, int64_t to) {
  if (o.analysed_end < from) {
    // Discontinuity (first push, or PCM discarded unanalysed): whatever was open ends as if
    // silence followed, and the detector restarts.
    if (o.key_active) {
      o.intervals.back().end = std::max(o.key_last + 1 + o.hold, next_frame_);
      o.key_active = false;
    }
    o.key_level = 0.0f;
    o.analysed_end = from;
  }
  const int64_t start = o.desc.start_frame, stop = o.desc.end_frame;
  for (int64_t t = o.analysed_end; t < to; ++t) {
    const size_t i = static_cast<size_t>(static_cast<uint64_t>(t) & o.mask);
    const float l = o.ql[i], r = o.qr[i];
    const float e = 0.5f * (l * l + r * r);
    o.key_level += o.key_coef * (e - o.key_level);
    const bool above = t >= start && t < stop && o.key_level > o.key_thr;
    if (above) {
      if (!o.key_active) {
        Interval iv;
        iv.begin = t - o.attack;
        iv.full = t;
        if (iv.begin < next_frame_) {
          // Found too late for the full look-ahead: start now, never with a step; reach depth
          // at the speech or after one smoothing time, whichever is later.
          o.st.late_key_frames += next_frame_ - iv.begin;
          iv.begin = next_frame_;
          iv.full = std::max(t, iv.begin + smoothing_);
        }
        iv.end = kOpen;
        iv.release = o.release;
        add_interval(o, iv);
        o.key_active = true;
      }
      o.key_last = t;
    } else if (o.key_active && t - o.key_last >= o.hold) {
      o.intervals.back().end = std::max(t + 1, next_frame_);
      o.key_active = false;
    }
  }
  o.analysed_end = std::max(o.analysed_end, to);
}

void Mixer::discard_before(int64_t frame) {
  for (Object& o : objects_) {
    o.floor = std::max(o.floor, frame);
    if (frame >= o.q_end) {
      o.q_begin = o.q_end = std::max(o.q_end, frame);
    } else if (frame > o.q_begin) {
      o.q_begin = frame;
    }
    if (o.ad) {
      if (o.keyed && o.key_active && o.analysed_end < frame) {
        o.intervals.back().end = std::max(o.key_last + 1 + o.hold, next_frame_);
        o.key_active = false;
      }
      const size_t open = o.key_active ? o.intervals.size() - 1 : o.intervals.size();
      size_t w = 0;
      for (size_t r = 0; r < o.intervals.size(); ++r) {
        const Interval& iv = o.intervals[r];
        if (r != open && iv.end + iv.release <= frame) continue;  // fully released
        o.intervals[w++] = iv;
      }
      o.intervals.resize(w);  // shrinking never allocates
    }
  }
}

void Mixer::schedule(int64_t frame, const Controls& c) {
  // Drop applied changes (allocation and moves belong here, not in render).
  changes_.erase(changes_.begin(), changes_.begin() + static_cast<std::ptrdiff_t>(next_change_));
  next_change_ = 0;
  Change ch{std::max(frame, next_frame_), seq_++, c, -2};
  if (c.language) ch.lang = intern(c.language->empty() ? config_.default_language : *c.language);
  auto pos = std::upper_bound(changes_.begin(), changes_.end(), ch,
                              [](const Change& a, const Change& b) { return a.frame < b.frame; });
  changes_.insert(pos, std::move(ch));
}

void Mixer::apply(const Change& ch) {
  const int64_t f = ch.frame;
  if (ch.c.balance) {
    balance_ = std::clamp(*ch.c.balance, 0.0f, 1.0f);
    for (int i = 0; i < 3; ++i)
      bal_ramp_[i].retarget(f, balance_gain(i, false, balance_), smoothing_);
  }
  if (ch.c.master_gain_db) {
    master_db_ = *ch.c.master_gain_db;
    // Capped at +24 dB: a scripting slip must not be able to blast the viewer.
    master_ramp_.retarget(f, db_to_lin(std::min(master_db_, 24.0f)), smoothing_);
  }
  if (ch.c.audio_description_enabled) {
    ad_on_ = *ch.c.audio_description_enabled;
    ad_ramp_.retarget(f, ad_on_ ? 1.0f : 0.0f, smoothing_);
  }
  if (ch.lang >= 0) {
    lang_sel_ = ch.lang;
    for (Object& o : objects_)
      if (o.lang >= 0) o.lang_ramp.retarget(f, o.lang == lang_sel_ ? 1.0f : 0.0f, smoothing_);
  }
}

void Mixer::render(int64_t frame, float* out, size_t frames) {
  ++stats_.render_calls;
  stats_.peak_l = stats_.peak_r = 0.0f;
  if (frames == 0) return;
  next_frame_ = frame;
  size_t pos = 0;
  while (pos < frames) {
    const int64_t t = frame + static_cast<int64_t>(pos);
    while (next_change_ < changes_.size() && changes_[next_change_].frame <= t)
      apply(changes_[next_change_++]);
    size_t n = std::min<size_t>(kBlock, frames - pos);
    // Blocks end at change frames so each change takes effect at its exact frame.
    if (next_change_ < changes_.size())
      n = static_cast<size_t>(
          std::min<int64_t>(static_cast<int64_t>(n), changes_[next_change_].frame - t));
    render_block(t, n, out + 2 * pos);
    pos += n;
    next_frame_ = t + static_cast<int64_t>(n);
  }
  stats_.frames_rendered += static_cast<int64_t>(frames);
  stats_.next_frame = next_frame_;
  stats_.pending_changes = static_cast<int>(changes_.size() - next_change_);
  stats_.balance = balance_;
  stats_.audio_description_enabled = ad_on_;
  stats_.master_gain_db = master_db_;
}

namespace {

// out += ((s x own) x pan) x x, for the span. Written as plain indexed loops over restrict
// pointers so compilers vectorise them (SSE / wasm simd128); no reduction, so no reassociation
// is needed and the result is exactly the scalar one.
void mix_span(const float* __restrict s, const float* __restrict own, float pl, float pr,
              const float* __restrict xl, const float* __restrict xr, float* __restrict ol,
              float* __restrict orr, size_t n) {
  if (own) {
    for (size_t k = 0; k < n; ++k) {
      const float g = s[k] * own[k];
      ol[k] += (g * pl) * xl[k];
      orr[k] += (g * pr) * xr[k];
    }
  } else {
    // own == 1 exactly, so leaving the multiply out gives the same bits as the branch above.
    for (size_t k = 0; k < n; ++k) {
      const float g = s[k];
      ol[k] += (g * pl) * xl[k];
      orr[k] += (g * pr) * xr[k];
    }
  }
}

}  // namespace

void Mixer::render_block(int64_t t, size_t n, float* out) {
  const int64_t te = t + static_cast<int64_t>(n);
  master_ramp_.fill(t, n, master_);
  ad_ramp_.fill(t, n, ad_);
  const bool ad_off = ad_ramp_.constant_over(t, te) && ad_ramp_.at(t) == 0.0f;

  // Duck: the deepest reduction any enabled AD object asks for, gated by the AD control.
  bool ducking = false;
  if (!ad_off) {
    for (size_t k = 0; k < n; ++k) reduce_[k] = 0.0f;
    for (const Object& o : objects_) {
      if (!o.ad || o.intervals.empty()) continue;
      if (o.lang_ramp.constant_over(t, te) && o.lang_ramp.at(t) == 0.0f) continue;
      for (const Interval& iv : o.intervals) {
        const int64_t a = std::max(t, iv.begin);
        const int64_t b = std::min(te, iv.end + iv.release);
        if (a >= b) continue;
        ducking = true;
        const float attack_len = static_cast<float>(iv.full - iv.begin);
        const float release_len = static_cast<float>(iv.release);
        for (int64_t tt = a; tt < b; ++tt) {
          const float up = tt >= iv.full ? 1.0f : static_cast<float>(tt - iv.begin) / attack_len;
          const float down =
              tt < iv.end ? 1.0f : 1.0f - static_cast<float>(tt - iv.end) / release_len;
          float d = std::min(up, down);
          d = d * o.lang_ramp.at(tt);  // x 1 is exact: same bits either way
          const float v = d * o.duck_reduction;
          float& r = reduce_[tt - t];
          if (v > r) r = v;
        }
      }
    }
  }
  if (ducking) {
    for (size_t k = 0; k < n; ++k) duck_[k] = 1.0f - reduce_[k] * ad_[k];
  } else {
    for (size_t k = 0; k < n; ++k) duck_[k] = 1.0f;
  }
  duck_last_ = duck_[n - 1];

  // Shared gains per class: 3 = full (dialogue, importance 3), 0..2 balance classes, 4 = AD.
  for (size_t k = 0; k < n; ++k) shared_[3][k] = master_[k] * duck_[k];
  bool bal_zero[3];
  for (int i = 0; i < 3; ++i) {
    bal_ramp_[i].fill(t, n, tmp_);
    bal_zero[i] = bal_ramp_[i].constant_over(t, te) && bal_ramp_[i].at(t) == 0.0f;
    for (size_t k = 0; k < n; ++k) shared_[i][k] = shared_[3][k] * tmp_[k];
  }
  for (size_t k = 0; k < n; ++k) shared_[4][k] = master_[k] * ad_[k];

  for (size_t k = 0; k < n; ++k) mix_l_[k] = mix_r_[k] = 0.0f;
  int active = 0;
  for (Object& o : objects_) {
    const ObjectDesc& d = o.desc;
    const int64_t a = std::max(t, d.start_frame);
    const int64_t b = std::min(te, d.end_frame);
    o.last_gain = 0.0f;
    if (a >= b) continue;
    const bool lang_const = o.lang_ramp.constant_over(t, te);
    const float lang_v = o.lang_ramp.at(t);
    if (lang_const && lang_v == 0.0f) continue;
    if (o.klass == 4 && ad_off) continue;
    if (o.klass < 3 && bal_zero[o.klass]) continue;
    ++active;

    const size_t ka = static_cast<size_t>(a - t), kb = static_cast<size_t>(b - t);
    const bool open_end = d.end_frame == std::numeric_limits<int64_t>::max();
    const bool fading_in = d.fade_in_frames > 0 && a < d.start_frame + d.fade_in_frames;
    const bool fading_out =
        d.fade_out_frames > 0 && !open_end && b > d.end_frame - d.fade_out_frames;
    const float* own = nullptr;
    if (fading_in || fading_out || !lang_const || lang_v != 1.0f) {
      // own = fade x language, fixed order; factors that are exactly 1 may be skipped.
      for (size_t k = ka; k < kb; ++k) fade_[k] = 1.0f;
      if (fading_in || fading_out) {
        const float fin = static_cast<float>(d.fade_in_frames);
        const float fout = static_cast<float>(d.fade_out_frames);
        for (size_t k = ka; k < kb; ++k) {
          const int64_t tt = t + static_cast<int64_t>(k);
          float f = 1.0f;
          if (fading_in && tt < d.start_frame + d.fade_in_frames)
            f = fade_shape(static_cast<float>(tt - d.start_frame) / fin, d.fade_curve);
          if (fading_out && tt >= d.end_frame - d.fade_out_frames)
            f = f * fade_shape(static_cast<float>(d.end_frame - tt) / fout, d.fade_curve);
          fade_[k] = f;
        }
      }
      if (lang_const) {
        if (lang_v != 1.0f)
          for (size_t k = ka; k < kb; ++k) own_[k] = fade_[k] * lang_v;
        else
          for (size_t k = ka; k < kb; ++k) own_[k] = fade_[k];
      } else {
        o.lang_ramp.fill(t, n, tmp_);
        for (size_t k = ka; k < kb; ++k) own_[k] = fade_[k] * tmp_[k];
      }
      own = own_;
    }

    const float* s = shared_[o.klass];
    o.last_gain = (s[kb - 1] * (own ? own[kb - 1] : 1.0f)) * o.gain_lin;

    // PCM held for [a, b); the rest is an underrun, rendered as silence.
    const int64_t da = std::max(a, o.q_begin), db = std::min(b, o.q_end);
    const int64_t have = db > da ? db - da : 0;
    o.st.underrun_frames += (b - a) - have;
    stats_.underrun_frames += (b - a) - have;
    for (int64_t tt = da; tt < db;) {
      const size_t i = static_cast<size_t>(static_cast<uint64_t>(tt) & o.mask);
      const size_t len = static_cast<size_t>(
          std::min<int64_t>(db - tt, static_cast<int64_t>(o.mask + 1 - i)));
      const size_t k = static_cast<size_t>(tt - t);
      mix_span(s + k, own ? own + k : nullptr, o.pan_l, o.pan_r, o.ql.data() + i, o.qr.data() + i,
               mix_l_ + k, mix_r_ + k, len);
      tt += static_cast<int64_t>(len);
    }
  }
  stats_.active_objects = active;

  float pl = stats_.peak_l, pr = stats_.peak_r;
  for (size_t k = 0; k < n; ++k) {
    out[2 * k] = mix_l_[k];
    out[2 * k + 1] = mix_r_[k];
    pl = std::max(pl, std::fabs(mix_l_[k]));
    pr = std::max(pr, std::fabs(mix_r_[k]));
  }
  stats_.peak_l = pl;
  stats_.peak_r = pr;
}

ObjectStats Mixer::object_stats(int handle) const {
  if (handle < 0 || handle >= object_count()) return {};
  const Object& o = objects_[handle];
  ObjectStats s = o.st;
  s.gain_db = lin_to_db(o.last_gain);
  s.queued_frames = o.q_end - o.q_begin;
  s.queue_end = o.q_end;
  s.duck_intervals = static_cast<int>(o.intervals.size());
  return s;
}

MixerStats Mixer::stats() const {
  MixerStats s = stats_;
  s.duck_gain_db = lin_to_db(duck_last_);
  return s;
}

}  // namespace tessera::audio
