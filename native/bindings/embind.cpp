// The only code that knows about JavaScript: exposes tessera::Engine through embind.
// Hand-written TypeScript declarations for this surface live in
// src/engine/generated/tessera-engine.d.mts; keep the two in step.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>

#include <algorithm>

#include "captions/captions_json.h"
#include "captions/render.h"
#include "captions/srt.h"
#include "captions/webvtt.h"
#include "compose/compose_bench.h"
#include "engine/benchmarks.h"
#include "graphics/graphics_reference.h"
#include "engine/engine.h"
#include "logic/json_logic.h"

using emscripten::val;

namespace {

std::vector<uint8_t> bytes_from_js(const val& array) {
  return emscripten::convertJSArrayToNumberVector<uint8_t>(array);
}

bool add_font(tessera::Engine& engine, const std::string& name, const val& bytes) {
  return engine.add_font(name, bytes_from_js(bytes));
}

// A fresh view each call: views must never outlive a memory growth, so JS never caches them.
val frame_view(const tessera::Engine& engine) {
  const tessera::Surface& frame = engine.frame();
  return val(emscripten::typed_memory_view(frame.byte_size(), frame.data()));
}

// Returns a JS-owned copy (the PNG is small and the caller keeps it).
val frame_png(const tessera::Engine& engine) {
  const std::vector<uint8_t> png = engine.frame_png();
  val view(emscripten::typed_memory_view(png.size(), png.data()));
  return val::global("Uint8Array").new_(view);
}

int frame_width(const tessera::Engine& engine) { return engine.frame().width(); }
int frame_height(const tessera::Engine& engine) { return engine.frame().height(); }
std::string last_error(const tessera::Engine& engine) { return engine.last_error(); }

double heap_bytes() { return static_cast<double>(emscripten_get_heap_size()); }

// JSONLogic: JSON text in, {"ok":true,"value":...} or {"ok":false,"error":...,"pointer":...} out.
std::string evaluate_logic(const std::string& rule, const std::string& data) {
  return tessera::logic::to_envelope(tessera::logic::evaluate_json(rule, data));
}

// Programmes: JSON text in, JSON text out (see Engine in native/engine/engine.h).
std::string load_programme(tessera::Engine& engine, const std::string& text) { return engine.load_programme(text); }
std::string resolve(tessera::Engine& engine, const std::string& context) { return engine.resolve(context); }
std::string reresolve(tessera::Engine& engine, const std::string& context, double position) {
  return engine.reresolve(context, position);
}
std::string paths(tessera::Engine& engine, const std::string& context) { return engine.paths(context); }

// Playing a plan.
std::string media_at(tessera::Engine& engine, double time, double lookahead) { return engine.media_at(time, lookahead); }
bool add_asset(tessera::Engine& engine, const std::string& asset, const val& bytes) {
  return engine.add_asset(asset, bytes_from_js(bytes));
}
std::string render_frame(tessera::Engine& engine, double time) { return engine.render_frame(time); }

// A view of a fresh buffer for one decoded frame (null when refused). JS copies the planes into
// it at once, before anything can grow the heap, drops the view, then calls commitVideo.
val video_buffer(tessera::Engine& engine, const std::string& object, double bytes) {
  if (!(bytes > 0) || bytes > static_cast<double>(tessera::PlanRenderer::kMaxVideoFrameBytes)) return val::null();
  uint8_t* buffer = engine.video_buffer(object, static_cast<size_t>(bytes));
  if (!buffer) return val::null();
  return val(emscripten::typed_memory_view(static_cast<size_t>(bytes), buffer));
}

// info: { format: 'I420'|'RGBX'|'BGRX', width, height, offsets: [3], strides: [3], matrix: 'bt601'|'bt709',
//         fullRange: boolean, mediaTime: seconds }
bool commit_video(tessera::Engine& engine, const std::string& object, const val& info) {
  tessera::VideoFrameInfo f;
  const std::string format = info["format"].as<std::string>();
  if (format == "I420") f.format = tessera::VideoPixelFormat::I420;
  else if (format == "RGBX" || format == "RGBA") f.format = tessera::VideoPixelFormat::Rgbx;
  else if (format == "BGRX" || format == "BGRA") f.format = tessera::VideoPixelFormat::Bgrx;
  else return false;
  f.width = info["width"].as<int>();
  f.height = info["height"].as<int>();
  const val offsets = info["offsets"], strides = info["strides"];
  const int planes = f.format == tessera::VideoPixelFormat::I420 ? 3 : 1;
  for (int i = 0; i < planes; ++i) {
    f.offset[i] = offsets[i].as<uint32_t>();
    f.stride[i] = strides[i].as<uint32_t>();
  }
  f.colour.matrix = info["matrix"].as<std::string>() == "bt601" ? tessera::YuvMatrix::Bt601 : tessera::YuvMatrix::Bt709;
  f.colour.range = info["fullRange"].as<bool>() ? tessera::YuvRange::Full : tessera::YuvRange::Limited;
  f.media_time = info["mediaTime"].as<double>();
  return engine.commit_video(object, f);
}

// Reference frames for the determinism tests (src/engine/golden.json): the same bytes in every tier.
std::string compose_reference_sha256() { return tessera::compose_reference_frame_sha256(); }

// Captions: a WebVTT or SRT file's bytes in, the CLI's JSON ({"cues","regions","errors"}) out.
std::string captions_json(const val& bytes, const std::string& format) {
  const std::vector<uint8_t> data = bytes_from_js(bytes);
  const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  return tessera::captions::captions_json_text(format == "srt" ? tessera::captions::parse_srt(text)
                                                                : tessera::captions::parse_webvtt(text));
}
std::string graphics_reference_sha256(const val& font_bytes) {
  std::string error;
  const std::unique_ptr<tessera::Font> font = tessera::Font::load(bytes_from_js(font_bytes), &error);
  return font ? tessera::graphics_reference_sha256(*font) : "font rejected: " + error;
}

std::string captions_reference_sha256(const val& font_bytes) {
  std::string error;
  const std::unique_ptr<tessera::Font> font = tessera::Font::load(bytes_from_js(font_bytes), &error);
  if (!font) return "font rejected: " + error;
  tessera::captions::FontSet fonts;
  fonts.regular = font.get();
  return tessera::captions::captions_reference_sha256(fonts);
}

void set_caption_settings(tessera::Engine& engine, const std::string& json) { engine.set_caption_settings(json); }

// Audio. Frames are doubles at the boundary (the build has no BigInt): exact up to 2^53.
std::string audio_at(tessera::Engine& engine, double time, double lookahead) { return engine.audio_at(time, lookahead); }

// A view of the engine's PCM hand-off buffer for `samples` floats (null when refused). JS copies
// the interleaved PCM in at once, drops the view, then calls commitAudio.
val audio_buffer(tessera::Engine& engine, double samples) {
  if (!(samples >= 1) || samples > 1e8) return val::null();
  float* buffer = engine.audio_buffer(static_cast<size_t>(samples));
  if (!buffer) return val::null();
  return val(emscripten::typed_memory_view(static_cast<size_t>(samples), buffer));
}
bool commit_audio(tessera::Engine& engine, const std::string& object, double media_time, double frames, int channels,
                  int sample_rate) {
  if (!(frames >= 0) || frames > 1e8) return false;
  return engine.commit_audio(object, media_time, static_cast<size_t>(frames), channels, sample_rate);
}
bool end_audio(tessera::Engine& engine, const std::string& object) { return engine.end_audio(object); }
bool set_audio_controls(tessera::Engine& engine, const std::string& json) { return engine.set_audio_controls(json); }
bool schedule_audio_controls(tessera::Engine& engine, double frame, const std::string& json) {
  return engine.schedule_audio_controls(static_cast<int64_t>(std::max(0.0, frame)), json);
}
void set_loudness_target(tessera::Engine& engine, double lufs) { engine.set_loudness_target(static_cast<float>(lufs)); }
// Renders and returns a view of the engine's output buffer: valid until the next call into the engine.
val render_audio(tessera::Engine& engine, double frame, double frames) {
  if (!(frames >= 0) || frames > 480000) frames = 0;
  const std::vector<float>& out = engine.render_audio(static_cast<int64_t>(frame), static_cast<size_t>(frames));
  return val(emscripten::typed_memory_view(out.size(), out.data()));
}
std::string audio_stats(const tessera::Engine& engine) { return engine.audio_stats(); }
void audio_seek(tessera::Engine& engine, double frame) { engine.audio_seek(static_cast<int64_t>(std::max(0.0, frame))); }
std::string audio_sha256(tessera::Engine& engine, double frame, double frames, double chunk) {
  return engine.audio_sha256(static_cast<int64_t>(frame), static_cast<int64_t>(frames), static_cast<size_t>(std::max(1.0, chunk)));
}

// For `npm run bench` only: the same timing loops as tessera-native.
std::string run_benchmark(tessera::Engine& engine, const std::string& request) { return tessera::run_benchmark(engine, request); }

}  // namespace

EMSCRIPTEN_BINDINGS(tessera_engine) {
  emscripten::class_<tessera::Engine>("Engine")
      .constructor<>()
      .function("addFont", &add_font)
      .function("hasFont", &tessera::Engine::has_font)
      .function("renderTestCard", &tessera::Engine::render_test_card)
      .function("frameWidth", &frame_width)
      .function("frameHeight", &frame_height)
      .function("frameView", &frame_view)
      .function("framePng", &frame_png)
      .function("lastError", &last_error)
      .function("loadProgramme", &load_programme)
      .function("hasProgramme", &tessera::Engine::has_programme)
      .function("resolve", &resolve)
      .function("reresolve", &reresolve)
      .function("paths", &paths)
      .function("mediaAt", &media_at)
      .function("addAsset", &add_asset)
      .function("videoBuffer", &video_buffer)
      .function("commitVideo", &commit_video)
      .function("forgetVideo", &tessera::Engine::forget_video)
      .function("renderFrame", &render_frame)
      .function("setCaptionSettings", &set_caption_settings)
      .function("audioAt", &audio_at)
      .function("audioBuffer", &audio_buffer)
      .function("commitAudio", &commit_audio)
      .function("endAudio", &end_audio)
      .function("setAudioControls", &set_audio_controls)
      .function("scheduleAudioControls", &schedule_audio_controls)
      .function("setLoudnessTarget", &set_loudness_target)
      .function("renderAudio", &render_audio)
      .function("audioStats", &audio_stats)
      .function("audioSeek", &audio_seek)
      .function("audioSha256", &audio_sha256)
      .function("runBenchmark", &run_benchmark);
  emscripten::function("heapBytes", &heap_bytes);
  emscripten::function("evaluateLogic", &evaluate_logic);
  emscripten::function("composeReferenceSha256", &compose_reference_sha256);
  emscripten::function("captionsJson", &captions_json);
  emscripten::function("captionsReferenceSha256", &captions_reference_sha256);
  emscripten::function("graphicsReferenceSha256", &graphics_reference_sha256);
}
