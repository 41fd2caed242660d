// Benchmarks and the reference scene of the pixel pipeline (see compose_bench.h).
#include "compose/compose_bench.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include "compose/compose.h"
#include "compose/fit.h"
#include "raster/sha256.h"
#include "video/yuv.h"

namespace tessera {

namespace {

using Clock = std::chrono::steady_clock;

// An owned I420 frame of synthetic, deterministic content: gradients, a checkerboard, a moving
// bar and hashed noise, so that conversion and filtering see every kind of neighbourhood.
struct SyntheticI420 {
  std::vector<uint8_t> y, u, v;
  I420View view;

  SyntheticI420(int width, int height, YuvColour colour, int seed, int padding = 0) {
    const int cw = (width + 1) / 2, ch = (height + 1) / 2;
    const int ys = width + padding, cs = cw + padding / 2;
    y.assign(static_cast<size_t>(ys) * height, 0);
    u.assign(static_cast<size_t>(cs) * ch, 0);
    v.assign(static_cast<size_t>(cs) * ch, 0);
    for (int r = 0; r < height; ++r) {
      for (int x = 0; x < width; ++x) {
        const uint32_t noise = (static_cast<uint32_t>(x) * 73856093u ^ static_cast<uint32_t>(r) * 19349663u ^
                                static_cast<uint32_t>(seed) * 83492791u) >> 27;
        const int checker = ((x / 16 + r / 16) & 1) * 40;
        const int bar = ((x + seed * 37) % width) < width / 8 ? 60 : 0;
        y[static_cast<size_t>(r) * ys + x] =
            static_cast<uint8_t>(std::min(255, 8 + (x * 160) / width + checker + bar + static_cast<int>(noise)));
      }
    }
    for (int r = 0; r < ch; ++r) {
      for (int x = 0; x < cw; ++x) {
        u[static_cast<size_t>(r) * cs + x] = static_cast<uint8_t>((x * 255) / cw ^ (seed & 15));
        v[static_cast<size_t>(r) * cs + x] = static_cast<uint8_t>(255 - (r * 255) / ch);
      }
    }
    view.y = y.data();
    view.u = u.data();
    view.v = v.data();
    view.y_stride = ys;
    view.u_stride = view.v_stride = cs;
    view.width = width;
    view.height = height;
    view.colour = colour;
  }
};

RectF whole(const I420View& f) { return {0, 0, static_cast<double>(f.width), static_cast<double>(f.height)}; }

double median(std::vector<double> samples) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

}  // namespace

double bench_compose_frame_from(int src_width, int src_height, int width, int height, int runs) {
  if (width <= 0 || height <= 0 || src_width <= 0 || src_height <= 0) return 0;
  const SyntheticI420 main_video(src_width, src_height, {YuvMatrix::Bt709, YuvRange::Limited}, 1);
  const SyntheticI420 pip_video(std::max(2, width / 2), std::max(2, height / 2), {YuvMatrix::Bt601, YuvRange::Limited}, 2);
  Surface out(width, height);
  Compositor compositor;
  const RectI pip{width - width / 4 - width / 32, height / 32, width / 4, height / 4};
  auto compose = [&] {
    compositor.draw(out, main_video.view, whole(main_video.view), {0, 0, width, height});
    compositor.draw(out, pip_video.view, whole(pip_video.view), pip, 230);
    fill(out, {width / 20, height - height / 5, width / 2, height / 8}, {0, 0, 0, 160});  // caption band
    fill(out, {width / 16, height / 16, width / 5, height / 10}, {200, 30, 40, 200});
    fill(out, {0, 0, width, height}, {255, 255, 255, 255}, 24);  // a dip in progress
  };
  compose();  // warm-up
  std::vector<double> samples;
  for (int r = 0; r < std::max(1, runs); ++r) {
    const auto t0 = Clock::now();
    compose();
    samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return median(samples);
}

double bench_compose_frame(int width, int height, int runs) { return bench_compose_frame_from(1920, 1080, width, height, runs); }

double bench_memory_copy_gbps() {
  const size_t bytes = size_t{32} << 20;
  std::vector<uint8_t> a(bytes, 1), b(bytes, 2);
  std::vector<double> seconds;
  for (int r = 0; r < 9; ++r) {
    const auto t0 = Clock::now();
    std::memcpy(r % 2 ? a.data() : b.data(), r % 2 ? b.data() : a.data(), bytes);
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  volatile uint8_t sink = a[bytes / 2];  // the copies are observable
  sink = static_cast<uint8_t>(sink + b[bytes / 3]);
  const double s = median(seconds);
  return s > 0 ? static_cast<double>(bytes) / s / 1e9 : 0;
}

void compose_reference_frame(Surface& out) {
  const int w = 640, h = 360;
  out.resize(w, h);
  out.clear({12, 18, 30, 255});
  Compositor compositor;

  // Main video: 1280x720 BT.709 limited, downscaled 2:1 to the full frame.
  const SyntheticI420 main_video(1280, 720, {YuvMatrix::Bt709, YuvRange::Limited}, 1, 32);
  compositor.draw(out, main_video.view, whole(main_video.view), {0, 0, w, h});

  // Crossfade to a second shot (BT.601 full range, odd size, reframed by ROI into the left half).
  const SyntheticI420 second(333, 187, {YuvMatrix::Bt601, YuvRange::Full}, 5, 6);
  const Fit reframed = fit_source(333, 187, {0, 0, 320, 360}, FitMode::Roi, {0.05, 0.2, 0.2, 0.5});
  compositor.draw(out, second.view, reframed.source, reframed.dest,
                  77 /* a crossfade 30% through: 0.3 x 255, rounded */);

  // Picture-in-picture: fractional crop, upscaled in y and downscaled in x, clipped at the
  // bottom-right corner, at opacity 200.
  const SyntheticI420 pip(331, 120, {YuvMatrix::Bt709, YuvRange::Full}, 9);
  compositor.draw(out, pip.view, {10.25, 5.5, 300.5, 100.75}, {480, 250, 180, 140}, 200);

  // 1:1 I420 at full opacity (converted straight into the output), clipped at the top and left,
  // and 1:1 at half opacity.
  const SyntheticI420 tile(64, 48, {YuvMatrix::Bt601, YuvRange::Limited}, 3);
  compositor.draw(out, tile.view, whole(tile.view), {-10, -7, 64, 48});
  compositor.draw(out, tile.view, {1, 1, 40, 30}, {100, 20, 40, 30}, 128);

  // Contain-fitted letterbox of the main video into a small region, then a translucent
  // premultiplied RGBA picture upscaled with bilinear filtering, clipped at the left edge.
  const Fit boxed = fit_source(1280, 720, {200, 40, 120, 120}, FitMode::Contain);
  fill(out, {200, 40, 120, 120}, {0, 0, 0, 255});
  compositor.draw(out, main_video.view, boxed.source, boxed.dest);
  Surface badge(23, 17);
  for (int y = 0; y < 17; ++y)
    for (int x = 0; x < 23; ++x) badge.blend_pixel(x, y, {static_cast<uint8_t>(x * 11), 200, static_cast<uint8_t>(y * 15),
                                                         static_cast<uint8_t>(40 + (x + y) * 6)}, 255);
  compositor.draw(out, view_of(badge), {0, 0, 23, 17}, {-30, 150, 69, 51}, 180);
  compositor.draw(out, view_of(badge), {2.5, 1.25, 10.5, 8}, {360, 60, 5, 4});  // tiny downscale

  // A BGRX picture (as Firefox hands out frames), swizzled and drawn 1:1 at the right edge.
  std::vector<uint8_t> bgrx(40 * 30 * 4);
  for (size_t i = 0; i < bgrx.size(); ++i) bgrx[i] = static_cast<uint8_t>(i * 7 + i / 160);
  Surface swizzled(40, 30);
  rgbx_to_rgba(bgrx.data(), 160, RgbxOrder::Bgrx, 40, 30, swizzled.data(), 160);
  compositor.draw(out, view_of(swizzled), {0, 0, 40, 30}, {620, 100, 40, 30});

  // Fills: translucent, clipped, and a dip to black in progress over everything.
  fill(out, {30, 280, 400, 50}, {0, 0, 0, 160});
  fill(out, {-20, -20, 60, 60}, {250, 200, 20, 255}, 90);
  fill(out, {0, 0, w, h}, {0, 0, 0, 255}, 102 /* a dip 20% through: the colour at 0.4 x 255 */);
}

std::string compose_reference_frame_sha256() {
  Surface frame;
  compose_reference_frame(frame);
  return sha256_hex(frame.data(), frame.byte_size());
}

}  // namespace tessera
