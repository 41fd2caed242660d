// Engine: the object the host (browser worker, Node CLI, native tools) talks to. It owns the
// fonts and the output frame; bindings/ wraps it for JavaScript, tools/ use it directly.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "audio/programme_audio.h"
#include "narrative/resolve.h"
#include "programme/programme.h"
#include "raster/surface.h"
#include "render/plan_renderer.h"
#include "text/font.h"

namespace tessera {

class Engine {
 public:
  static constexpr int kMaxFrameDimension = 8192;

  // Registers a font under `name`, replacing any font of that name. On failure returns false and
  // leaves a message in last_error().
  bool add_font(const std::string& name, std::vector<uint8_t> bytes);
  bool has_font(const std::string& name) const { return fonts_.count(name) != 0; }

  // Draws the test card into the output frame with the named font.
  bool render_test_card(int width, int height, const std::string& font_name);

  // Programmes. Every call returns a JSON document (the wasm boundary and the CLI pass it on):
  // load_programme → {"ok", "errors", "warnings", "diagnostics":[{severity,pointer,message,line,column}]}
  //   (analysis diagnostics are included when the programme has no errors);
  // resolve → {"ok":true,"plan":{…}} | {"ok":false,"error"}; the plan is kept for reresolve;
  // reresolve → {"ok":true,"plan":{…},"changes":{…}} at `position` seconds;
  // paths → {"ok":true,"paths":[…],"truncated","cycles","unreachable","deadEnds"}.
  std::string load_programme(std::string_view text);
  bool has_programme() const { return programme_loaded_; }
  std::string resolve(std::string_view context_json);
  std::string reresolve(std::string_view context_json, double position);
  std::string paths(std::string_view context_json);

  // Playing a plan (the one the last resolve/reresolve produced):
  // media_at → {"ok":true,"time","layout","video":[…],"assets":[…]}: the video frames a moment
  //   needs (and those starting within `lookahead` seconds) and the fonts, images and caption
  //   files still missing; and "fonts" (e.g. ["cjk","serif"]) when captions handed in need caption
  //   fonts (PlanRenderer::caption_fonts_wanted) not yet given with add_font;
  // add_asset hands in a font, image or captions asset's bytes;
  // video_buffer/commit_video hand in one decoded frame for a plan object;
  // render_frame draws the plan at `time` into frame() →
  //   {"ok":true,"width","height","drawn","missing":[…],"captions":[the text of each cue showing]}.
  std::string media_at(double time, double lookahead);
  bool add_asset(const std::string& asset, std::vector<uint8_t> bytes);
  uint8_t* video_buffer(const std::string& object, size_t bytes) { return renderer_.video_buffer(object, bytes); }
  bool commit_video(const std::string& object, const VideoFrameInfo& info);
  void forget_video(const std::string& object) { renderer_.forget_video(object); }
  std::string render_frame(double time);
  // The viewer's caption settings as JSON (src/engine/caption-settings.ts); invalid fields keep
  // their defaults. Captions are drawn with the engine's fonts "sans" (with "sans-bold" and
  // "sans-italic" when added; synthesised otherwise), "serif" and "mono" (each "sans" until added),
  // with "cjk" as every family's fallback for the characters they lack.
  void set_caption_settings(std::string_view json);

  // Audio of the plan (audio/programme_audio.h), 48 kHz stereo; the mix follows every
  // resolve/reresolve (and the context's dialogueBalance, audioDescription and language):
  // audio_at → {"ok":true,"time","audio":[{object,asset,src,mediaTime,start,end,active,queuedEnd}]};
  // audio_buffer/commit_audio hand in decoded PCM (interleaved float) for a plan object;
  // set_audio_controls / schedule_audio_controls take AudioControls JSON (false + last_error()
  //   when malformed); render_audio mixes [frame, frame + frames) and returns the samples
  //   (interleaved stereo, valid until the next call);
  // audio_stats → the stats overlay's JSON; audio_seek drops queued PCM and restarts at a frame.
  std::string audio_at(double time, double lookahead);
  float* audio_buffer(size_t samples);
  bool commit_audio(const std::string& object, double media_time, size_t frames, int channels, int sample_rate);
  bool end_audio(const std::string& object);
  bool set_audio_controls(std::string_view json) { return schedule_audio_controls(-1, json); }
  bool schedule_audio_controls(int64_t frame, std::string_view json);  // frame < 0: the next one
  void set_loudness_target(float lufs) { audio_.set_loudness_target(lufs); }
  const std::vector<float>& render_audio(int64_t frame, size_t frames);
  std::string audio_stats() const { return audio_.stats_json(); }
  void audio_seek(int64_t frame) { audio_.seek(frame); }
  std::string audio_sha256(int64_t frame, int64_t frames, size_t chunk) { return audio_.render_sha256(frame, frames, chunk); }

  const Surface& frame() const { return frame_; }
  std::vector<uint8_t> frame_png() const;
  const std::string& last_error() const { return last_error_; }

 private:
  bool prepare_frame(int width, int height);

  bool parse_context(std::string_view text, ordered_json& out, std::string& error) const;

  std::map<std::string, std::unique_ptr<Font>> fonts_;
  std::vector<captions::FontSet> caption_fonts() const;
  Programme programme_;
  bool programme_loaded_ = false;
  ResolvedPlan last_plan_;
  PlanRenderer renderer_;
  audio::ProgrammeAudio audio_;
  std::vector<float> audio_in_, audio_out_;  // the host's PCM hand-off; the last render_audio
  Surface frame_;
  std::string last_error_;
};

}  // namespace tessera
