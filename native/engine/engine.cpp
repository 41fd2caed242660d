#include "engine/engine.h"

#include <cmath>

#include "narrative/analyse.h"
#include "programme/json_locator.h"
#include "raster/png.h"
#include "testcard/test_card.h"
#include "captions/caption_settings_json.h"

namespace tessera {

bool Engine::add_font(const std::string& name, std::vector<uint8_t> bytes) {
  std::string error;
  std::unique_ptr<Font> font = Font::load(std::move(bytes), &error);
  if (!font) {
    last_error_ = "font '" + name + "': " + error;
    return false;
  }
  fonts_[name] = std::move(font);
  return true;
}

bool Engine::prepare_frame(int width, int height) {
  if (width <= 0 || height <= 0 || width > kMaxFrameDimension || height > kMaxFrameDimension) {
    last_error_ = "frame size " + std::to_string(width) + "x" + std::to_string(height) + " is outside 1.." +
                  std::to_string(kMaxFrameDimension);
    return false;
  }
  if (frame_.width() != width || frame_.height() != height) frame_.resize(width, height);
  return true;
}

bool Engine::render_test_card(int width, int height, const std::string& font_name) {
  auto it = fonts_.find(font_name);
  if (it == fonts_.end()) {
    last_error_ = "no font named '" + font_name + "' has been added";
    return false;
  }
  if (!prepare_frame(width, height)) return false;
  tessera::render_test_card(frame_, *it->second);
  return true;
}

std::vector<uint8_t> Engine::frame_png() const { return encode_png(frame_); }

namespace {
std::string failure(const std::string& message) {
  return ordered_json({{"ok", false}, {"error", message}}).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}
std::string success(ordered_json body) {
  ordered_json out = {{"ok", true}};
  for (auto it = body.begin(); it != body.end(); ++it) out[it.key()] = std::move(it.value());
  return out.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}
}  // namespace

std::string Engine::load_programme(std::string_view text) {
  ParsedProgramme parsed = parse_programme(text);
  if (parsed.ok) {
    analyse_programme(parsed.programme, parsed.diagnostics);
    // Analysis diagnostics are located like the validator's.
    std::vector<std::string> wanted;
    for (const Diagnostic& d : parsed.diagnostics.items())
      if (d.line == 0) wanted.push_back(d.pointer);
    const JsonLocator locator(text, wanted);
    for (Diagnostic& d : parsed.diagnostics.items())
      if (d.line == 0) {
        const TextPosition pos = locator.locate(d.pointer);
        d.line = pos.line;
        d.column = pos.column;
      }
  }
  ordered_json diagnostics = ordered_json::array();
  size_t warnings = 0;
  for (const Diagnostic& d : parsed.diagnostics.items()) {
    if (d.severity == Severity::Warning) ++warnings;
    diagnostics.push_back({{"severity", severity_name(d.severity)},
                           {"pointer", d.pointer},
                           {"message", d.message},
                           {"line", d.line},
                           {"column", d.column}});
  }
  programme_loaded_ = parsed.ok;
  last_plan_ = {};  // before the programme it points into is replaced
  renderer_.forget_all_video();
  audio_.clear();
  if (parsed.ok) programme_ = std::move(parsed.programme);
  ordered_json out = {{"ok", parsed.ok},
                      {"errors", parsed.diagnostics.error_count()},
                      {"warnings", warnings},
                      {"truncated", parsed.diagnostics.truncated()},
                      {"diagnostics", diagnostics}};
  return out.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

bool Engine::parse_context(std::string_view text, ordered_json& out, std::string& error) const {
  if (text.empty()) { out = ordered_json::object(); return true; }
  if (text.size() > (1u << 20) || json_nesting_depth(text, 32) > 32) { error = "context too large or too deeply nested"; return false; }
  out = ordered_json::parse(text, nullptr, false);
  if (out.is_discarded() || !out.is_object()) { error = "context must be a JSON object"; return false; }
  return true;
}

std::string Engine::resolve(std::string_view context_json) {
  if (!programme_loaded_) return failure("no valid programme is loaded");
  ordered_json context;
  std::string error;
  if (!parse_context(context_json, context, error)) return failure(error);
  last_plan_ = tessera::resolve(programme_, context);
  audio_.set_plan(programme_, *last_plan_.state, &context);
  return "{\"ok\":true,\"plan\":" + last_plan_.json() + "}";
}

std::string Engine::reresolve(std::string_view context_json, double position) {
  if (!programme_loaded_) return failure("no valid programme is loaded");
  if (!last_plan_.state) return failure("resolve a plan before re-resolving it");
  ordered_json context;
  std::string error;
  if (!parse_context(context_json, context, error)) return failure(error);
  Reresolution result = tessera::reresolve(programme_, last_plan_, context, position);
  last_plan_ = result.plan;
  audio_.set_plan(programme_, *last_plan_.state, &context);
  return "{\"ok\":true,\"plan\":" + result.plan.json() + ",\"changes\":" + result.changes_json() + "}";
}

std::string Engine::paths(std::string_view context_json) {
  if (!programme_loaded_) return failure("no valid programme is loaded");
  ordered_json context;
  std::string error;
  if (!parse_context(context_json, context, error)) return failure(error);
  return success(enumerate_paths(programme_, context));
}

std::string Engine::media_at(double time, double lookahead) {
  if (!last_plan_.state) return failure("resolve a plan first");
  if (!std::isfinite(time) || !std::isfinite(lookahead) || lookahead < 0) return failure("time and lookahead must be finite");
  std::string json = renderer_.media_at(programme_, *last_plan_.state, time, lookahead);
  // Caption fallback fonts the captions handed in need and the host has not given (addFont).
  std::string fonts;
  for (const std::string& name : renderer_.caption_fonts_wanted())
    if (!fonts_.count(name)) fonts += (fonts.empty() ? "\"" : ",\"") + name + "\"";
  if (!fonts.empty()) json.insert(json.size() - 1, ",\"fonts\":[" + fonts + "]");
  return "{\"ok\":true," + json.substr(1);
}

bool Engine::add_asset(const std::string& asset, std::vector<uint8_t> bytes) {
  const Asset* a = programme_loaded_ ? programme_.asset(asset) : nullptr;
  if (!a) {
    last_error_ = "no asset named \"" + asset + "\" in the loaded programme";
    return false;
  }
  std::string error;
  bool ok = false;
  if (a->type == AssetType::Font) ok = renderer_.add_font(asset, std::move(bytes), &error);
  else if (a->type == AssetType::Image) ok = renderer_.add_image(asset, bytes, &error);
  else if (a->type == AssetType::Captions) ok = renderer_.add_captions(*a, bytes, &error);
  else error = "asset \"" + asset + "\" is not a font, an image or captions (video and audio are decoded by the host)";
  if (!ok) {
    last_error_ = asset + ": " + error;
    return false;
  }
  return true;
}

void Engine::set_caption_settings(std::string_view json) {
  renderer_.set_caption_settings(captions::caption_settings_from_json(json));
}

std::vector<captions::FontSet> Engine::caption_fonts() const {
  auto font = [this](const char* name) -> const Font* {
    const auto it = fonts_.find(name);
    return it == fonts_.end() ? nullptr : it->second.get();
  };
  captions::FontSet sans;
  sans.regular = font("sans");
  sans.bold = font("sans-bold");
  sans.italic = font("sans-italic");
  if (const Font* cjk = font("cjk")) sans.fallbacks.push_back(cjk);  // Han, kana, Hangul (Droid Sans Fallback)
  std::vector<captions::FontSet> families(3, sans);  // kCaptionSans, kCaptionSerif, kCaptionMono
  for (const auto& [index, name] : {std::pair{captions::kCaptionSerif, "serif"}, std::pair{captions::kCaptionMono, "mono"}}) {
    if (const Font* f = font(name)) {
      families[static_cast<size_t>(index)] = captions::FontSet{};
      families[static_cast<size_t>(index)].regular = f;
      families[static_cast<size_t>(index)].fallbacks.push_back(sans.regular);  // glyphs it lacks
      families[static_cast<size_t>(index)].fallbacks.insert(families[static_cast<size_t>(index)].fallbacks.end(),
                                                             sans.fallbacks.begin(), sans.fallbacks.end());
    }
  }
  return families;
}

bool Engine::commit_video(const std::string& object, const VideoFrameInfo& info) {
  std::string error;
  if (!renderer_.commit_video(object, info, &error)) {
    last_error_ = error;
    return false;
  }
  return true;
}

std::string Engine::render_frame(double time) {
  if (!last_plan_.state) return failure("resolve a plan first");
  if (!std::isfinite(time)) return failure("time must be finite");
  renderer_.set_caption_fonts(caption_fonts());
  const RenderReport report = renderer_.render(*last_plan_.state, time, frame_);
  ordered_json out = {{"ok", true}, {"width", report.width}, {"height", report.height}, {"drawn", report.drawn},
                      {"missing", report.missing}, {"captions", report.captions}};
  return out.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string Engine::audio_at(double time, double lookahead) {
  if (!last_plan_.state) return failure("resolve a plan first");
  if (!std::isfinite(time) || !std::isfinite(lookahead) || lookahead < 0) return failure("time and lookahead must be finite");
  return "{\"ok\":true," + audio_.audio_at(time, lookahead).substr(1);
}

float* Engine::audio_buffer(size_t samples) {
  // 10 s of 5.1 at 48 kHz: far more than a decoder hands over at once.
  if (samples == 0 || samples > 6u * 480000u) return nullptr;
  if (audio_in_.size() < samples) audio_in_.resize(samples);
  return audio_in_.data();
}

bool Engine::commit_audio(const std::string& object, double media_time, size_t frames, int channels, int sample_rate) {
  if (channels <= 0 || frames * static_cast<size_t>(channels) > audio_in_.size()) {
    last_error_ = "commit_audio: " + std::to_string(frames) + " frames of " + std::to_string(channels) +
                  " channels do not fit the buffer handed out";
    return false;
  }
  if (!audio_.push_pcm(object, media_time, audio_in_.data(), frames, channels, sample_rate)) {
    last_error_ = audio_.error();
    return false;
  }
  return true;
}

bool Engine::end_audio(const std::string& object) {
  if (!audio_.end_pcm(object)) {
    last_error_ = audio_.error();
    return false;
  }
  return true;
}

bool Engine::schedule_audio_controls(int64_t frame, std::string_view json) {
  audio::AudioControls controls;
  std::string error;
  if (!audio::audio_controls_from_json(json, controls, error)) {
    last_error_ = error;
    return false;
  }
  audio_.schedule_controls(frame < 0 ? audio_.next_frame() : frame, controls);
  return true;
}

const std::vector<float>& Engine::render_audio(int64_t frame, size_t frames) {
  const size_t samples = frames * audio::ProgrammeAudio::kChannels;
  if (audio_out_.size() != samples) audio_out_.resize(samples);
  if (frames) audio_.render(frame, audio_out_.data(), frames);
  return audio_out_;
}

}  // namespace tessera
