#include "engine/benchmarks.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "audio/loudness.h"
#include "audio/programme_audio.h"
#include "captions/render.h"
#include "captions/webvtt.h"
#include "compose/compose.h"
#include "compose/compose_bench.h"
#include "engine/engine.h"
#include "graphics/draw.h"
#include "graphics/graphic.h"
#include "logic/json_logic.h"
#include "narrative/analyse.h"
#include "narrative/resolve.h"
#include "text/font.h"
#include "text/layout.h"
#include "video/yuv.h"

namespace tessera {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string reply_error(const std::string& message) {
  return ordered_json({{"ok", false}, {"error", message}}).dump();
}

// ---- compose: one programme frame of a fixed synthetic scene --------------------------------
// The scene (src/bench/compose-page.js draws the same one with Canvas 2D, from the same I420
// bytes): a full-frame I420 video converted and scaled to the output, a picture-in-picture I420
// video of a quarter of the output's area scaled into the top-right corner at opacity 230, a name
// strap graphic (rounded panel, accent bar, two lines of text; parse_graphic + draw_graphic) and
// two caption-like lines of text on translucent bands (layout_text + draw_text_layout).

bool base64_decode(const std::string& text, std::vector<uint8_t>& out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out.clear();
  out.reserve(text.size() / 4 * 3);
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = value(c);
    if (v < 0) return false;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<uint8_t>((bits >> count) & 0xff));
    }
  }
  return true;
}

// Deterministic I420 content (gradients, a checkerboard, a bar and hashed noise); the browser
// anchor builds the same bytes with the same integer formulas.
struct BenchI420 {
  std::vector<uint8_t> y, u, v;
  I420View view;
  BenchI420(int width, int height, int seed) {
    const int cw = (width + 1) / 2, ch = (height + 1) / 2;
    y.resize(static_cast<size_t>(width) * height);
    u.resize(static_cast<size_t>(cw) * ch);
    v.resize(static_cast<size_t>(cw) * ch);
    for (int r = 0; r < height; ++r)
      for (int x = 0; x < width; ++x) {
        const uint32_t noise = (static_cast<uint32_t>(x) * 73856093u ^ static_cast<uint32_t>(r) * 19349663u ^
                                static_cast<uint32_t>(seed) * 83492791u) >> 27;
        const int checker = (((x >> 4) + (r >> 4)) & 1) * 40;
        const int bar = ((x + seed * 37) % width) < width / 8 ? 60 : 0;
        y[static_cast<size_t>(r) * width + x] =
            static_cast<uint8_t>(std::min(235, 16 + (x * 160) / width + checker + bar / 2 + static_cast<int>(noise)));
      }
    for (int r = 0; r < ch; ++r)
      for (int x = 0; x < cw; ++x) {
        u[static_cast<size_t>(r) * cw + x] = static_cast<uint8_t>(64 + (x * 128) / cw);
        v[static_cast<size_t>(r) * cw + x] = static_cast<uint8_t>(192 - (r * 128) / ch);
      }
    view.y = y.data();
    view.u = u.data();
    view.v = v.data();
    view.y_stride = width;
    view.u_stride = view.v_stride = cw;
    view.width = width;
    view.height = height;
    view.colour = {YuvMatrix::Bt709, YuvRange::Limited};
  }
  size_t bytes() const { return y.size() + u.size() + v.size(); }
};

// The sample programme's name strap, settled (its slide-in is over by t = 2 s).
const char* kStrapGraphic = R"({
  "width": 700, "height": 100,
  "elements": [
    {"type": "rect", "x": 0, "y": 10, "width": 520, "height": 80, "radius": 12, "fill": "#1d3557e6",
     "keyframes": [{"at": 0, "x": -540, "easing": "ease-out"}, {"at": 0.6, "x": 0}]},
    {"type": "rect", "x": 0, "y": 10, "width": 10, "height": 80, "fill": "#e63946",
     "keyframes": [{"at": 0, "x": -540, "easing": "ease-out"}, {"at": 0.6, "x": 0}]},
    {"type": "text", "x": 28, "y": 16, "width": 470, "text": "{viewerName}", "font": "sans", "size": 34,
     "fill": "#ffffff", "maxLines": 1},
    {"type": "text", "x": 28, "y": 56, "width": 470, "text": "How object-based media works", "font": "sans",
     "size": 20, "fill": "#f1faeecc", "maxLines": 1}
  ]
})";
const char* kCaptionLines[2] = {"The engine composes every frame itself:", "video, pictures, graphics and captions."};

struct ComposeScene {
  int width, height;
  const Font& font;
  BenchI420 main_video, pip_video;
  RectI pip, strap, caption_box;
  TextStyle caption_style;
  Graphic graphic;
  GraphicContext graphic_context;
  Compositor compositor;
  bool ok = false;  // the graphic parsed

  ComposeScene(int w, int h, int video_w, int video_h, const Font& f)
      : width(w), height(h), font(f), main_video(video_w, video_h, 1),
        pip_video(std::max(2, w / 2), std::max(2, h / 2), 2), pip{w - w / 4 - w / 32, h / 32, w / 4, h / 4},
        strap{w / 20, h * 55 / 100, w / 2, w / 14}, caption_box{w / 10, h * 78 / 100, w * 8 / 10, 0} {
    GraphicParseResult parsed = parse_graphic(ordered_json::parse(kStrapGraphic), "/bench");
    ok = parsed.ok;
    graphic = std::move(parsed.graphic);
    graphic_context.fonts["sans"] = &font;
    graphic_context.variables["viewerName"] = "Siân Jones";
    caption_style.size = static_cast<float>(h) / 20.0f;
    caption_style.line_height = 1.3f;
    caption_style.align = TextAlign::Centre;
    caption_style.box_width = static_cast<float>(caption_box.width);
  }

  // Each caption line laid out, and its translucent band.
  template <typename Line>
  void for_each_caption(Line&& line) const {
    const int pad = static_cast<int>(caption_style.size * 0.3f);
    for (int i = 0; i < 2; ++i) {
      const TextLayout layout = layout_text(font, kCaptionLines[i], caption_style);
      const double top = caption_box.y + i * static_cast<double>(layout.line_height);
      for (const TextLine& l : layout.lines)
        line(layout, top,
             RectI{caption_box.x + static_cast<int>(l.x) - pad, static_cast<int>(top), static_cast<int>(l.width) + 2 * pad,
                   static_cast<int>(layout.line_height)});
    }
  }

  // parts: bit 0 main video, 1 picture-in-picture, 2 graphic, 3 captions (a breakdown; 15 = all).
  void compose(Surface& out, int parts = 15) {
    const RectF whole_main{0, 0, static_cast<double>(main_video.view.width), static_cast<double>(main_video.view.height)};
    const RectF whole_pip{0, 0, static_cast<double>(pip_video.view.width), static_cast<double>(pip_video.view.height)};
    if (parts & 1) compositor.draw(out, main_video.view, whole_main, {0, 0, width, height});
    if (parts & 2) compositor.draw(out, pip_video.view, whole_pip, pip, 230);
    if (parts & 4) draw_graphic(out, graphic, strap, 2.0, graphic_context);
    if (parts & 8) {
      // Laid out every frame, as a caption renderer without a cache would.
      for_each_caption([&](const TextLayout& layout, double top, const RectI& band) {
        fill(out, band, {0, 0, 0, 160});
        draw_text_layout(out, font, layout, caption_box.x, top, 1.0, {255, 255, 255, 255}, {0, 0, width, height});
      });
    }
  }

  // Bytes the composition cannot avoid reading or writing: both videos' planes, the output
  // written once, and a read and a write of every pixel drawn over it again (the picture-in-
  // picture, the graphic's region, the caption bands).
  double bytes_touched() const {
    auto area = [](const RectI& r) { return static_cast<double>(r.width) * r.height * 4; };
    double bands = 0;
    for_each_caption([&](const TextLayout&, double, const RectI& band) { bands += area(band); });
    return static_cast<double>(main_video.bytes() + pip_video.bytes()) + static_cast<double>(width) * height * 4 +
           2 * (area(pip) + area(strap) + bands);
  }
};
// ---- audio: the programme mix per 128-frame render quantum, and R128 metering ---------------
// A programme of `objects` stereo objects in one long scene: every 8th is dialogue (importance 3),
// every 8th (offset 4) an audio description ducking the rest by 15 dB, the others music, effects
// and ambience of importance 0..2 with declared loudness and fades; a third of the media is at
// 44.1 kHz (resampled at push). Each run renders the next second of the timeline as 375 quanta
// of 128 frames with the balance and volume automated every 100 ms; only rendering is timed
// (pushing PCM and scheduling, as the host's worker would, happen between runs).
std::string audio_programme(int objects) {
  ordered_json assets = ordered_json::object(), placed = ordered_json::array();
  static const char* const kRoles[] = {"music", "effects", "ambience"};
  for (int i = 0; i < objects; ++i) {
    const std::string id = "a" + std::to_string(i);
    ordered_json a = {{"type", "audio"}, {"src", id + ".wav"}, {"duration", 3600}};
    if (i % 8 == 0) a["role"] = "dialogue", a["importance"] = 3;
    else if (i % 8 == 4) a["role"] = "description", a["duck"] = {{"depth", -15}, {"attack", 0.2}, {"release", 0.4}};
    else a["role"] = kRoles[i % 3], a["importance"] = i % 3, a["loudness"] = -20 - i % 7;
    assets[id] = a;
    placed.push_back({{"id", "o" + std::to_string(i)}, {"asset", id}, {"gain", -(i % 5)}, {"fadeIn", 0.5}, {"fadeOut", 1}});
  }
  const ordered_json p = {{"format", "tessera-programme"}, {"version", 1}, {"id", "audio-bench"}, {"title", "audio bench"},
                          {"assets", assets},
                          {"layouts", {{"tv", {{"width", 1280}, {"height", 720}, {"regions", ordered_json::object()}}}}},
                          {"beginnings", {{{"scene", "s"}}}},
                          {"scenes", {{"s", {{"duration", 3600}, {"objects", placed}}}}}};
  return p.dump();
}

bool audio_mix_benchmark(const ordered_json& request, int runs, std::vector<double>& samples, ordered_json& extra,
                         std::string& error) {
  const int objects = std::clamp(request.value("objects", 32), 1, 256);
  const ParsedProgramme parsed = parse_programme(audio_programme(objects));
  if (!parsed.ok) { error = "audio-mix: the generated programme is invalid"; return false; }
  const ordered_json context = {{"dialogueBalance", 0.4}, {"audioDescription", true}};
  const ResolvedPlan plan = resolve(parsed.programme, context);
  audio::ProgrammeAudio mix;
  mix.set_plan(parsed.programme, *plan.state, &context);
  if (mix.object_count() != objects) { error = "audio-mix: the plan lost objects"; return false; }
  // One second of PCM per object (noise and tones; descriptions speak half of each second).
  constexpr int kRate = audio::ProgrammeAudio::kSampleRate;
  std::vector<std::vector<float>> pcm(static_cast<size_t>(objects));
  uint32_t seed = 12345;
  for (int i = 0; i < objects; ++i) {
    const int rate = i % 3 == 1 ? 44100 : kRate;
    std::vector<float>& v = pcm[static_cast<size_t>(i)];
    v.resize(static_cast<size_t>(rate) * 2);
    for (size_t k = 0; k < v.size() / 2; ++k) {
      seed = seed * 1664525u + 1013904223u;
      const float n = static_cast<float>(static_cast<int32_t>(seed) >> 8) / 8388608.0f;
      const bool silent = i % 8 == 4 && k >= static_cast<size_t>(rate) / 2;
      v[2 * k] = silent ? 0.0f : 0.2f * n;
      v[2 * k + 1] = silent ? 0.0f : 0.2f * n * 0.5f;
    }
  }
  int64_t second = 0;
  auto push_second = [&](int64_t s) {
    for (int i = 0; i < objects; ++i) {
      const int rate = i % 3 == 1 ? 44100 : kRate;
      const std::string id = "s/o" + std::to_string(i);
      const std::vector<float>& v = pcm[static_cast<size_t>(i)];
      mix.push_pcm(id, static_cast<double>(s), v.data(), v.size() / 2, 2, rate);
    }
    for (int k = 0; k < 10; ++k) {  // automation: balance and volume every 100 ms
      audio::AudioControls c;
      c.dialogue_balance = (k % 2) ? 0.3f : 0.6f;
      c.volume_db = (k % 3) ? -1.0f : 1.0f;
      mix.schedule_controls(s * kRate + k * (kRate / 10), c);
    }
  };
  push_second(0);
  std::vector<float> out(2 * 128);
  constexpr int kQuanta = kRate / 128;  // 375
  auto run_second = [&]() {
    push_second(second + 1);  // one second ahead, as a decoder would be
    const auto t0 = Clock::now();
    for (int q = 0; q < kQuanta; ++q) mix.render(second * kRate + q * 128, out.data(), 128);
    const double ms = ms_since(t0);
    ++second;
    return ms;
  };
  for (int r = 0; r < 5; ++r) run_second();  // warm-up
  for (int r = 0; r < runs; ++r) samples.push_back(run_second() / kQuanta);
  const ordered_json stats = ordered_json::parse(mix.stats_json());
  extra["objects"] = objects;
  extra["underrunFrames"] = stats["underrunFrames"];
  extra["activeObjects"] = stats["activeObjects"];
  extra["limiterReductionDb"] = stats["limiterReductionDb"];
  extra["quantumMs"] = 128.0 * 1000.0 / kRate;
  return true;
}

}  // namespace

std::string run_benchmark(Engine& engine, std::string_view request_json) {
  const ordered_json request = ordered_json::parse(request_json, nullptr, false);
  if (request.is_discarded() || !request.is_object()) return reply_error("benchmark request must be a JSON object");
  const std::string kind = request.value("kind", "");
  const int runs = std::max(1, request.value("runs", 30));
  std::vector<double> samples;
  samples.reserve(static_cast<size_t>(runs));
  ordered_json extra = ordered_json::object();  // kind-specific fields of the reply
  // Warm-up: at least kWarmUpRuns runs and kWarmUpMs of running, so that timed runs see steady
  // state. Browsers first run wasm on a baseline compiler and move hot functions to the optimising
  // one while they run (V8: Liftoff, then TurboFan), which takes tens of runs of a small kernel.
  constexpr int kWarmUpRuns = 5;
  constexpr double kWarmUpMs = 300;
  auto measure = [&](auto&& once) {
    const auto warm_up = Clock::now();
    for (int r = 0; r < kWarmUpRuns || ms_since(warm_up) < kWarmUpMs; ++r) once();
    for (int r = 0; r < runs; ++r) {
      const auto t0 = Clock::now();
      once();
      samples.push_back(ms_since(t0));
    }
  };

  if (kind == "test-card") {
    const int w = request.value("width", 1280), h = request.value("height", 720);
    if (!engine.has_font("sans")) return reply_error("add a font named sans first");
    measure([&] { engine.render_test_card(w, h, "sans"); });
  } else if (kind == "parse" || kind == "validate" || kind == "resolve" || kind == "reresolve" || kind == "plan-json" ||
             kind == "changes-json") {
    const std::string text = request.value("programme", "");
    ParsedProgramme parsed = parse_programme(text);
    if (!parsed.ok) return reply_error("the benchmark programme is invalid");
    const ordered_json context = request.value("context", ordered_json::object());
    if (kind == "parse") {
      measure([&] { parse_programme(text); });
    } else if (kind == "validate") {
      measure([&] {
        ParsedProgramme p = parse_programme(text);
        analyse_programme(p.programme, p.diagnostics);
      });
    } else if (kind == "resolve") {
      measure([&] { resolve(parsed.programme, context); });
    } else if (kind == "plan-json") {
      const ResolvedPlan plan = resolve(parsed.programme, context);
      measure([&] { plan.json(); });
    } else {
      const ResolvedPlan plan = resolve(parsed.programme, context);
      const ordered_json then = request.value("then", ordered_json::object());
      const double position = request.value("position", 0.0);
      if (kind == "reresolve") {
        measure([&] { reresolve(parsed.programme, plan, then, position); });
      } else {
        const Reresolution r = reresolve(parsed.programme, plan, then, position);
        measure([&] { r.changes_json(); });
      }
    }
  } else if (kind == "compose") {
    // {"kind":"compose","width","height","videoWidth","videoHeight","font": base64 TrueType,
    //  "parts": ComposeScene::compose's mask (default 15: everything),
    //  "memoryFloor": true → also measure memcpy bandwidth}
    // The reply adds "bytesTouched" (and "copyGbps").
    const int w = request.value("width", 1280), h = request.value("height", 720);
    const int vw = request.value("videoWidth", 1920), vh = request.value("videoHeight", 1080);
    if (w < 16 || h < 16 || w > Engine::kMaxFrameDimension || h > Engine::kMaxFrameDimension || vw < 2 || vh < 2 ||
        vw > Engine::kMaxFrameDimension || vh > Engine::kMaxFrameDimension)
      return reply_error("compose: width/height or videoWidth/videoHeight out of range");
    std::vector<uint8_t> font_bytes;
    if (!base64_decode(request.value("font", ""), font_bytes) || font_bytes.empty())
      return reply_error("compose: the request needs the font's bytes as base64 in \"font\"");
    std::string error;
    const std::unique_ptr<Font> font = Font::load(std::move(font_bytes), &error);
    if (!font) return reply_error("compose: " + error);
    ComposeScene scene(w, h, vw, vh, *font);
    if (!scene.ok) return reply_error("compose: the benchmark graphic is invalid");
    Surface out(w, h);
    const int parts = request.value("parts", 15);
    measure([&] { scene.compose(out, parts); });
    extra["bytesTouched"] = scene.bytes_touched();
    if (request.value("memoryFloor", false)) extra["copyGbps"] = bench_memory_copy_gbps();
  } else if (kind == "captions-draw") {
    // {"kind":"captions-draw","width","height","font": base64 TrueType,
    //  "edge": "none" (default) | "outline" | "drop-shadow" | "raised" | "depressed"}
    // Per run: one cue of two lines (the compose scene's caption text) laid out by the WebVTT
    // rules and drawn with the default caption settings (BBC style: backing box at 75%) over the
    // frame. The reply adds "lines" (lines laid out per run).
    const int w = request.value("width", 1920), h = request.value("height", 1080);
    if (w < 16 || h < 16 || w > Engine::kMaxFrameDimension || h > Engine::kMaxFrameDimension)
      return reply_error("captions-draw: width/height out of range");
    std::vector<uint8_t> font_bytes;
    if (!base64_decode(request.value("font", ""), font_bytes) || font_bytes.empty())
      return reply_error("captions-draw: the request needs the font's bytes as base64 in \"font\"");
    std::string error;
    const std::unique_ptr<Font> font = Font::load(std::move(font_bytes), &error);
    if (!font) return reply_error("captions-draw: " + error);
    captions::CaptionSettings settings;
    const std::string edge = request.value("edge", "none");
    if (edge == "outline") settings.edge = captions::CaptionEdge::Outline;
    else if (edge == "drop-shadow") settings.edge = captions::CaptionEdge::DropShadow;
    else if (edge == "raised") settings.edge = captions::CaptionEdge::Raised;
    else if (edge == "depressed") settings.edge = captions::CaptionEdge::Depressed;
    else if (edge != "none") return reply_error("captions-draw: unknown edge '" + edge + "'");
    const captions::ParsedCaptions parsed = captions::parse_webvtt(
        std::string("WEBVTT\n\n00:00.000 --> 00:05.000\n") + kCaptionLines[0] + "\n" + kCaptionLines[1] + "\n");
    captions::FontSet fonts;
    fonts.regular = font.get();
    Surface out(w, h);
    out.clear({40, 60, 80, 255});
    size_t lines = 0;
    measure([&] {
      const captions::CaptionLayout layout = captions::layout_captions(parsed.cues, parsed.regions, w, h, settings, fonts);
      captions::draw_captions(out, layout, settings);
      lines = 0;
      for (const captions::CaptionBox& box : layout.boxes) lines += box.lines.size();
    });
    extra["lines"] = lines;
  } else if (kind == "audio-mix") {
    // {"kind":"audio-mix","objects":32,"runs"}: ms per 128-frame quantum (see audio_mix_benchmark).
    std::string error;
    if (!audio_mix_benchmark(request, runs, samples, extra, error)) return reply_error(error);
  } else if (kind == "r128") {
    // {"kind":"r128","seconds":10,"runs"}: ms to meter `seconds` of 48 kHz stereo noise
    // (integrated, momentary, short-term, range and true peak).
    const int seconds = std::clamp(request.value("seconds", 10), 1, 120);
    std::vector<float> pcm(static_cast<size_t>(seconds) * 48000 * 2);
    uint32_t seed = 777;
    for (float& x : pcm) {
      seed = seed * 1664525u + 1013904223u;
      x = 0.3f * static_cast<float>(static_cast<int32_t>(seed) >> 8) / 8388608.0f;
    }
    double lufs = 0;
    measure([&] {
      audio::LoudnessMeter meter(48000, 2);
      meter.add_frames(pcm.data(), pcm.size() / 2);
      lufs = meter.integrated_lufs() + meter.true_peak_dbtp();
    });
    extra["seconds"] = seconds;
    extra["check"] = lufs;
  } else if (kind == "logic") {
    const logic::Value rule = to_logic_value(request.value("rule", ordered_json(nullptr)));
    const logic::Value data = to_logic_value(request.value("data", ordered_json(nullptr)));
    const int batch = std::max(1, request.value("batch", 10000));
    // Compiled once, as the engine does for programme conditions; only evaluation is timed.
    const std::shared_ptr<const logic::Program> program = logic::compile(rule);
    bool ok = true;
    measure([&] {
      for (int i = 0; i < batch; ++i) ok = logic::evaluate(*program, data).ok && ok;
    });
    if (!ok) return reply_error("the benchmark rule failed to evaluate");
    for (double& s : samples) s /= batch;
  } else {
    return reply_error("unknown benchmark kind '" + kind + "'");
  }
  ordered_json reply = {{"ok", true}, {"unit", "ms"}, {"samples", samples}};
  for (auto it = extra.begin(); it != extra.end(); ++it) reply[it.key()] = it.value();
  return reply.dump();
}

}  // namespace tessera
