// tessera-native: the engine built with the system compiler, for pipelines and benchmarks.
//   tessera-native render-test-card [--width W] [--height H] [--font F] -o card.png|card.rgba
//   tessera-native bench test-card [--width W] [--height H] [--runs N] [--font F]
//     prints one JSON object: {"name","unit","samples":[...]} (milliseconds per render)
//   tessera-native bench request <request.json>
//     runs native/engine/benchmarks.h's loop for the request; prints its JSON reply
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/benchmarks.h"
#include "engine/engine.h"

namespace {

struct Options {
  std::string command, subject, output, font = TESSERA_SOURCE_DIR "/public/fonts/DejaVuSans.ttf";
  int width = 1280, height = 720, runs = 30;
};

int usage(const char* message) {
  std::fprintf(stderr,
               "tessera-native: %s\n"
               "usage: tessera-native render-test-card [--width W] [--height H] [--font F] -o out.png|out.rgba\n"
               "       tessera-native bench test-card [--width W] [--height H] [--runs N] [--font F]\n",
               message);
  return 2;
}

bool read_file(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

bool write_file(const std::string& path, const uint8_t* data, size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return static_cast<bool>(out);
}

bool ends_with(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) { std::fprintf(stderr, "tessera-native: %s needs a value\n", name); std::exit(2); }
      return argv[++i];
    };
    if (a == "-o" || a == "--output") o.output = value("-o");
    else if (a == "--width") o.width = std::atoi(value("--width"));
    else if (a == "--height") o.height = std::atoi(value("--height"));
    else if (a == "--runs") o.runs = std::atoi(value("--runs"));
    else if (a == "--font") o.font = value("--font");
    else if (!a.empty() && a[0] == '-') return usage(("unknown option " + a).c_str());
    else positional.push_back(a);
  }
  if (positional.empty()) return usage("missing command");
  o.command = positional[0];
  if (positional.size() > 1) o.subject = positional[1];

  std::vector<uint8_t> font;
  if (!read_file(o.font, font)) {
    std::fprintf(stderr, "tessera-native: cannot read font %s\n", o.font.c_str());
    return 1;
  }
  tessera::Engine engine;
  if (!engine.add_font("sans", std::move(font))) {
    std::fprintf(stderr, "tessera-native: %s\n", engine.last_error().c_str());
    return 1;
  }

  if (o.command == "render-test-card") {
    if (o.output.empty()) return usage("render-test-card needs -o FILE");
    if (!engine.render_test_card(o.width, o.height, "sans")) {
      std::fprintf(stderr, "tessera-native: %s\n", engine.last_error().c_str());
      return 1;
    }
    bool ok;
    if (ends_with(o.output, ".rgba")) {
      ok = write_file(o.output, engine.frame().data(), engine.frame().byte_size());
    } else {
      const std::vector<uint8_t> png = engine.frame_png();
      ok = write_file(o.output, png.data(), png.size());
    }
    if (!ok) { std::fprintf(stderr, "tessera-native: cannot write %s\n", o.output.c_str()); return 1; }
    return 0;
  }

  if (o.command == "bench" && o.subject == "request") {
    if (positional.size() < 3) return usage("bench request needs a request file");
    std::vector<uint8_t> request;
    if (!read_file(positional[2], request)) { std::fprintf(stderr, "tessera-native: cannot read %s\n", positional[2].c_str()); return 1; }
    const std::string reply = tessera::run_benchmark(engine, std::string(request.begin(), request.end()));
    std::printf("%s\n", reply.c_str());
    return reply.rfind("{\"ok\":true", 0) == 0 ? 0 : 1;
  }

  if (o.command == "bench" && o.subject == "test-card") {
    if (o.runs < 1) return usage("--runs must be at least 1");
    std::vector<double> samples;
    engine.render_test_card(o.width, o.height, "sans");  // warm-up: allocation, caches
    for (int r = 0; r < o.runs; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      engine.render_test_card(o.width, o.height, "sans");
      const auto t1 = std::chrono::steady_clock::now();
      samples.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::printf("{\"name\":\"test-card %dx%d\",\"unit\":\"ms\",\"samples\":[", o.width, o.height);
    for (size_t i = 0; i < samples.size(); ++i) std::printf("%s%.6f", i ? "," : "", samples[i]);
    std::printf("]}\n");
    return 0;
  }
  return usage(("unknown command " + o.command).c_str());
}
