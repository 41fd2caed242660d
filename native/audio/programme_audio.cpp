#include "audio/programme_audio.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "audio/downmix.h"
#include "logic/js_value.h"
#include "raster/sha256.h"

namespace tessera::audio {

namespace {

void quote(std::string& out, const std::string& s) { out += ordered_json(s).dump(-1, ' ', false, ordered_json::error_handler_t::replace); }

std::string number(double v) { return logic::number_to_string(v); }

bool is_dialogue_role(const std::string& role) { return role == "dialogue" || role == "narration" || role == "presenter"; }

// A viewer-context value: through the programme variable bound to `key` (its value in the plan,
// after validation and defaults), else the raw context's own key.
const ordered_json* context_value(const Programme& p, const PlanState& plan, const ordered_json* raw, const char* key) {
  for (const Variable& v : p.variables)
    if (v.context == key) {
      const auto it = plan.context.find(v.name);
      if (it != plan.context.end()) return &*it;
    }
  if (raw && raw->is_object()) {
    const auto it = raw->find(key);
    if (it != raw->end()) return &*it;
  }
  return nullptr;
}

float clamp_finite(double v, float lo, float hi) {
  if (std::isnan(v)) return lo;
  return static_cast<float>(std::clamp(v, static_cast<double>(lo), static_cast<double>(hi)));
}

float linear_to_db(double g) {
  if (!(g > 0)) return -std::numeric_limits<float>::infinity();
  return static_cast<float>(20.0 * std::log10(g));
}

}  // namespace

bool audio_controls_from_json(std::string_view json, AudioControls& out, std::string& error) {
  const ordered_json j = ordered_json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "audio controls must be a JSON object";
    return false;
  }
  AudioControls c;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const ordered_json& v = it.value();
    if (k == "dialogueBalance" || k == "volumeDb" || k == "volume" || k == "loudnessTarget") {
      // volumeDb may be null: silence (JSON has no -Infinity).
      if (k == "volumeDb" && v.is_null()) {
        c.volume_db = -std::numeric_limits<float>::infinity();
        continue;
      }
      if (!v.is_number()) {
        error = k + " must be a number";
        return false;
      }
      const double x = v.get<double>();
      if (k == "dialogueBalance") c.dialogue_balance = clamp_finite(x, 0.0f, 1.0f);
      else if (k == "volumeDb") c.volume_db = clamp_finite(x, -120.0f, 24.0f);
      else if (k == "volume") c.volume_db = linear_to_db(std::clamp(x, 0.0, 16.0));
      else c.loudness_target = clamp_finite(x, ProgrammeAudio::kMinTargetLufs, ProgrammeAudio::kMaxTargetLufs);
    } else if (k == "audioDescription" || k == "muted") {
      if (!v.is_boolean()) {
        error = k + " must be true or false";
        return false;
      }
      (k == "muted" ? c.muted : c.audio_description) = v.get<bool>();
    } else if (k == "language") {
      if (!v.is_string()) {
        error = "language must be a string";
        return false;
      }
      c.language = v.get<std::string>();
    } else {
      error = "unknown audio control \"" + k + "\"";
      return false;
    }
  }
  out = std::move(c);
  return true;
}

void ProgrammeAudio::State::apply(const AudioControls& c) {
  if (c.dialogue_balance) balance = std::clamp(*c.dialogue_balance, 0.0f, 1.0f);
  if (c.audio_description) ad = *c.audio_description;
  if (c.volume_db) volume_db = std::min(*c.volume_db, 24.0f);
  if (c.muted) muted = *c.muted;
  if (c.loudness_target) target = std::clamp(*c.loudness_target, kMinTargetLufs, kMaxTargetLufs);
  if (c.language) language = *c.language;
}

float ProgrammeAudio::State::master_db() const {
  if (muted) return -std::numeric_limits<float>::infinity();
  return volume_db + (target - kReferenceLufs);
}

int64_t ProgrammeAudio::seconds_to_frame(double s) {
  if (!std::isfinite(s)) return s > 0 ? std::numeric_limits<int64_t>::max() : 0;
  return static_cast<int64_t>(std::llround(s * kSampleRate));
}

ProgrammeAudio::ProgrammeAudio() : limiter_(kSampleRate, kChannels, -1.0) {
  prime_.resize(static_cast<size_t>(limiter_.latency_frames()) * kChannels);
  rebuild(0);
}

void ProgrammeAudio::clear() {
  objects_.clear();
  index_.clear();
  rebuild(next_frame_);
}

int ProgrammeAudio::handle(const std::string& object) const {
  const auto it = index_.find(object);
  return it == index_.end() ? -1 : it->second;
}

bool ProgrammeAudio::same_object(const Object& x, const Object& y) {
  const ObjectDesc& a = x.desc;
  const ObjectDesc& b = y.desc;
  return x.src == y.src && x.trim_in == y.trim_in && a.id == b.id && a.role == b.role && a.importance == b.importance &&
         a.is_dialogue == b.is_dialogue && a.is_audio_description == b.is_audio_description && a.language == b.language &&
         a.gain_db == b.gain_db && a.start_frame == b.start_frame && a.end_frame == b.end_frame &&
         a.fade_in_frames == b.fade_in_frames && a.fade_out_frames == b.fade_out_frames &&
         a.duck.depth_db == b.duck.depth_db && a.duck.attack_s == b.duck.attack_s && a.duck.release_s == b.duck.release_s;
}

bool ProgrammeAudio::same_objects(const std::vector<Object>& other) const {
  if (other.size() != objects_.size()) return false;
  for (size_t i = 0; i < other.size(); ++i)
    if (!same_object(objects_[i], other[i])) return false;
  return true;
}

void ProgrammeAudio::set_plan(const Programme& programme, const PlanState& plan, const ordered_json* raw_context) {
  // The viewer controls the context carries.
  AudioControls from_context;
  if (const ordered_json* v = context_value(programme, plan, raw_context, "dialogueBalance"); v && v->is_number())
    from_context.dialogue_balance = clamp_finite(v->get<double>(), 0.0f, 1.0f);
  if (const ordered_json* v = context_value(programme, plan, raw_context, "audioDescription"); v && v->is_boolean())
    from_context.audio_description = v->get<bool>();
  if (const ordered_json* v = context_value(programme, plan, raw_context, "language"); v && v->is_string())
    from_context.language = v->get<std::string>();
  std::string language = state_.language;
  if (from_context.language) language = *from_context.language;

  std::vector<Object> objects;
  for (const PlanObject& o : plan.objects) {
    if (!o.asset || !o.placement || o.asset->type != AssetType::Audio || !(o.end > o.start)) continue;
    const Asset& a = *o.asset;
    Object ob;
    ob.id = plan.visits[o.visit].key + "/" + o.placement->id;
    ob.asset = a.id;
    ob.src = a.src;
    ob.start = o.start;
    ob.end = o.end;
    ob.trim_in = a.trim_in;
    ObjectDesc& d = ob.desc;
    d.id = ob.id;
    d.role = a.role;
    d.importance = a.importance;
    d.is_dialogue = is_dialogue_role(a.role);
    d.is_audio_description = a.role == "description";
    // Language tags only select when the viewer has a language: with none, the plan's choice of
    // objects stands and every one of them plays (an untagged mix).
    if (!language.empty()) d.language = a.language;
    const double normalise = a.loudness ? kReferenceLufs - *a.loudness : 0.0;
    d.gain_db = static_cast<float>(o.placement->gain_db + normalise);
    d.channels = kChannels;  // push_pcm downmixes before resampling
    d.start_frame = seconds_to_frame(o.start);
    d.end_frame = seconds_to_frame(o.end);
    const int64_t length = d.end_frame - d.start_frame;
    d.fade_in_frames = std::min(seconds_to_frame(o.placement->fade_in), length);
    d.fade_out_frames = std::min(seconds_to_frame(o.placement->fade_out), length);
    if (a.duck) {
      d.duck.depth_db = static_cast<float>(a.duck->depth);
      d.duck.attack_s = static_cast<float>(a.duck->attack);
      d.duck.release_s = static_cast<float>(a.duck->release);
    }
    objects.push_back(std::move(ob));
  }

  AudioControls changed;  // what the context moves
  if (from_context.dialogue_balance && *from_context.dialogue_balance != state_.balance) changed.dialogue_balance = from_context.dialogue_balance;
  if (from_context.audio_description && *from_context.audio_description != state_.ad) changed.audio_description = from_context.audio_description;
  if (from_context.language && *from_context.language != state_.language) changed.language = from_context.language;
  if (same_objects(objects)) {
    // Only controls moved: keep the mix and its queued PCM, change them at the next frame.
    schedule_controls(next_frame_, changed);
    return;
  }
  // Objects that stay as they were keep their stream: resampler state and the PCM held.
  std::vector<Stream> kept(objects.size());
  std::vector<bool> keep(objects.size(), false);
  for (size_t j = 0; j < objects.size(); ++j) {
    const auto it = index_.find(objects[j].id);
    if (it == index_.end()) continue;
    const size_t i = static_cast<size_t>(it->second);
    if (i < streams_.size() && same_object(objects_[i], objects[j])) {
      kept[j] = std::move(streams_[i]);
      keep[j] = true;
    }
  }
  objects_ = std::move(objects);
  index_.clear();
  for (size_t i = 0; i < objects_.size(); ++i) index_[objects_[i].id] = static_cast<int>(i);
  rebuild(next_frame_, &changed);
  for (size_t j = 0; j < objects_.size(); ++j) {
    if (!keep[j]) continue;
    streams_[j] = std::move(kept[j]);
    Stream& st = streams_[j];
    // Queue again what the old mix held from the playhead on.
    const int64_t skip = std::clamp<int64_t>(next_frame_ - st.held_begin, 0, static_cast<int64_t>(st.held.size() / kChannels));
    const size_t frames = st.held.size() / kChannels - static_cast<size_t>(skip);
    if (frames) mixer_->push(static_cast<int>(j), st.held_begin + skip, st.held.data() + skip * kChannels, frames, kChannels);
  }
}

void ProgrammeAudio::hold(Stream& s, int64_t first, const float* stereo, size_t frames) {
  const int64_t held_end = s.held_begin + static_cast<int64_t>(s.held.size() / kChannels);
  if (s.held.empty() || first != held_end) {
    s.held.clear();
    s.held_begin = first;
  }
  s.held.insert(s.held.end(), stereo, stereo + frames * kChannels);
  // Never more than the mixer's ring can queue anyway (what lies beyond was dropped there too).
  constexpr size_t kMaxHeld = size_t{1} << 17;  // frames: twice the default ring
  if (s.held.size() > kMaxHeld * kChannels) {
    const size_t excess = s.held.size() - kMaxHeld * kChannels;
    s.held.erase(s.held.begin(), s.held.begin() + static_cast<std::ptrdiff_t>(excess));
    s.held_begin += static_cast<int64_t>(excess / kChannels);
  }
  // Drop what has been played, in large steps (erasing the front moves the rest).
  const int64_t played = next_frame_ - s.held_begin;
  if (played > 0 && static_cast<size_t>(played) * kChannels * 2 >= s.held.size()) {
    const size_t n = std::min(static_cast<size_t>(played) * kChannels, s.held.size());
    s.held.erase(s.held.begin(), s.held.begin() + static_cast<std::ptrdiff_t>(n));
    s.held_begin += static_cast<int64_t>(n / kChannels);
  }
}

void ProgrammeAudio::rebuild(int64_t frame, const AudioControls* now) {
  // Changes before `frame` are folded into the starting controls; later ones are replayed.
  std::vector<Scheduled> later;
  for (Scheduled& s : history_) {
    if (s.frame < frame) base_.apply(s.controls);
    else later.push_back(std::move(s));
  }
  history_ = std::move(later);
  // A new mix starts with the context's controls in force (no ramp from the old values).
  if (now) {
    base_.apply(*now);
    state_.apply(*now);
  }
  MixerConfig config;
  config.sample_rate = kSampleRate;
  config.balance = base_.balance;
  config.audio_description_enabled = base_.ad;
  config.master_gain_db = base_.master_db();
  config.default_language = base_.language;
  mixer_ = std::make_unique<Mixer>(config);
  for (const Object& o : objects_) mixer_->add_object(o.desc);
  for (const Scheduled& s : history_) mixer_->schedule(s.frame, s.mixer);
  streams_.clear();
  streams_.resize(objects_.size());
  limiter_.reset();
  primed_ = false;
  next_frame_ = frame;
}

void ProgrammeAudio::seek(int64_t frame) { rebuild(frame); }

void ProgrammeAudio::schedule_controls(int64_t frame, const AudioControls& c) {
  if (c.empty()) return;
  frame = std::max(frame, next_frame_);
  state_.apply(c);
  Scheduled s{frame, c, {}};
  if (c.dialogue_balance) s.mixer.balance = state_.balance;
  if (c.audio_description) s.mixer.audio_description_enabled = state_.ad;
  if (c.volume_db || c.muted || c.loudness_target) s.mixer.master_gain_db = state_.master_db();
  if (c.language) s.mixer.language = state_.language;
  // The mixer runs the limiter's latency ahead of the output timeline: its frame f is heard at
  // render frame f, so the change is scheduled at its own frame.
  mixer_->schedule(frame, s.mixer);
  history_.push_back(std::move(s));
}

void ProgrammeAudio::set_volume_linear(float gain) {
  AudioControls c;
  c.volume_db = linear_to_db(static_cast<double>(gain));
  set_controls(c);
}

bool ProgrammeAudio::push_pcm(const std::string& object, double media_time, const float* interleaved, size_t frames,
                              int channels, int sample_rate) {
  const int h = handle(object);
  if (h < 0) {
    error_ = "no audio object \"" + object + "\" in the plan";
    return false;
  }
  if (channels != 1 && channels != 2 && channels != 6) {
    error_ = object + ": " + std::to_string(channels) + " channels (1, 2 or 6 are mixed)";
    return false;
  }
  if (sample_rate < 8000 || sample_rate > 384000 || !std::isfinite(media_time)) {
    error_ = object + ": sample rate " + std::to_string(sample_rate) + " or media time out of range";
    return false;
  }
  const size_t i = static_cast<size_t>(h);
  Stream& s = streams_[i];
  // Continuing the stream: the media time the next sample was due at, within half a sample.
  const bool continues = s.resampler && s.rate == sample_rate &&
                         std::fabs(media_time - (s.origin_media + static_cast<double>(s.in_frames) / s.rate)) < 0.5 / sample_rate;
  if (!continues) {
    if (!s.resampler || s.rate != sample_rate) {
      s.resampler = std::make_unique<Resampler>(sample_rate, kSampleRate, kChannels);
      if (!s.resampler->ok()) {
        s.resampler.reset();
        error_ = object + ": cannot resample from " + std::to_string(sample_rate) + " Hz";
        return false;
      }
    } else {
      s.resampler->reset();
    }
    s.rate = sample_rate;
    s.origin_media = media_time;
    // The nearest output frame: within half an output sample (10 µs) of the media's own time.
    const Object& o = objects_[i];
    s.origin_frame = seconds_to_frame(o.start + (media_time - o.trim_in));
    s.in_frames = 0;
    s.out_frames = 0;
  }
  if (frames == 0) return true;
  stereo_.resize(frames * kChannels);
  if (channels == 2) std::memcpy(stereo_.data(), interleaved, frames * kChannels * sizeof(float));
  else downmix_to_stereo(interleaved, channels, frames, stereo_.data());
  s.resampler->push(stereo_.data(), frames);
  s.in_frames += static_cast<int64_t>(frames);
  return pump(i);
}

bool ProgrammeAudio::end_pcm(const std::string& object) {
  const int h = handle(object);
  if (h < 0) {
    error_ = "no audio object \"" + object + "\" in the plan";
    return false;
  }
  Stream& s = streams_[static_cast<size_t>(h)];
  if (!s.resampler) return true;
  s.resampler->flush();
  return pump(static_cast<size_t>(h));
}

bool ProgrammeAudio::pump(size_t i) {
  Stream& s = streams_[i];
  const size_t n = s.resampler->available();
  if (n == 0) return true;
  resampled_.resize(n * kChannels);
  const size_t got = s.resampler->pull(resampled_.data(), n);
  // Room in the ring: what has been rendered is no longer needed.
  mixer_->discard_before(next_frame_);
  mixer_->push(static_cast<int>(i), s.origin_frame + s.out_frames, resampled_.data(), got, kChannels);
  hold(s, s.origin_frame + s.out_frames, resampled_.data(), got);
  s.out_frames += static_cast<int64_t>(got);
  return true;
}

void ProgrammeAudio::render(int64_t frame, float* out, size_t frames) {
  const int64_t lead = limiter_.latency_frames();
  if (!primed_ || frame != next_frame_) {
    // A new start: the mixer runs `lead` frames ahead of the output, so the limiter's look-ahead
    // is filled with [frame, frame + lead) first and its delayed output then starts at `frame`.
    limiter_.reset();
    mixer_->render(frame, prime_.data(), static_cast<size_t>(lead));
    limiter_.process(prime_.data(), static_cast<size_t>(lead));
    primed_ = true;
  }
  mixer_->render(frame + lead, out, frames);
  limiter_.process(out, frames);
  next_frame_ = frame + static_cast<int64_t>(frames);
}

std::string ProgrammeAudio::render_sha256(int64_t frame, int64_t frames, size_t chunk) {
  if (chunk == 0) chunk = 128;
  std::vector<float> out(static_cast<size_t>(std::max<int64_t>(frames, 0)) * kChannels);
  for (int64_t pos = 0; pos < frames;) {
    const size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(chunk), frames - pos));
    render(frame + pos, out.data() + static_cast<size_t>(pos) * kChannels, n);
    pos += static_cast<int64_t>(n);
  }
  // float32 little-endian whatever the host's byte order.
  std::vector<uint8_t> bytes(out.size() * 4);
  for (size_t i = 0; i < out.size(); ++i) {
    uint32_t u;
    std::memcpy(&u, &out[i], 4);
    for (int b = 0; b < 4; ++b) bytes[4 * i + static_cast<size_t>(b)] = static_cast<uint8_t>(u >> (8 * b));
  }
  return sha256_hex(bytes.data(), bytes.size());
}

std::string ProgrammeAudio::audio_at(double t, double lookahead) const {
  std::string out = "{\"time\":" + number(t) + ",\"audio\":[";
  bool first = true;
  for (size_t i = 0; i < objects_.size(); ++i) {
    const Object& o = objects_[i];
    if (o.start > t + lookahead || o.end <= t) continue;
    const double from = std::max(t, o.start);
    const ObjectStats st = mixer_->object_stats(static_cast<int>(i));
    const double queued = st.queued_frames > 0 ? static_cast<double>(st.queue_end) / kSampleRate : from;
    out += first ? "{" : ",{";
    first = false;
    out += "\"object\":";
    quote(out, o.id);
    out += ",\"asset\":";
    quote(out, o.asset);
    out += ",\"src\":";
    quote(out, o.src);
    out += ",\"mediaTime\":" + number(o.trim_in + (from - o.start));
    out += ",\"start\":" + number(o.start);
    out += ",\"end\":" + number(o.end);
    out += ",\"active\":";
    out += o.start <= t ? "true" : "false";
    out += ",\"queuedEnd\":" + number(queued);
    out += "}";
  }
  out += "]}";
  return out;
}

std::string ProgrammeAudio::stats_json() const {
  const MixerStats m = mixer_->stats();
  ordered_json objects = ordered_json::array();
  int64_t underruns = 0;
  for (size_t i = 0; i < objects_.size(); ++i) {
    const ObjectStats s = mixer_->object_stats(static_cast<int>(i));
    underruns += s.underrun_frames;
    objects.push_back({{"object", objects_[i].id},
                       {"gainDb", s.gain_db},
                       {"underrunFrames", s.underrun_frames},
                       {"droppedFrames", s.dropped_frames},
                       {"queuedFrames", s.queued_frames}});
  }
  const float master = state_.master_db();
  ordered_json out = {{"frame", next_frame_},
                      {"dialogueBalance", state_.balance},
                      {"audioDescription", state_.ad},
                      {"volumeDb", std::isfinite(state_.volume_db) ? ordered_json(state_.volume_db) : ordered_json(nullptr)},
                      {"muted", state_.muted},
                      {"loudnessTarget", state_.target},
                      {"masterGainDb", std::isfinite(master) ? ordered_json(master) : ordered_json(nullptr)},
                      {"duckGainDb", m.duck_gain_db},
                      {"limiterReductionDb", limiter_.gain_reduction_db()},
                      {"underrunFrames", underruns},
                      {"activeObjects", m.active_objects},
                      {"latencyFrames", limiter_.latency_frames()},
                      {"objects", objects}};
  return out.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace tessera::audio
