// Benchmarks and the determinism reference of the pixel pipeline (video/ + compose/), shared by
// every host so native and wasm time and hash exactly the same code. Timings are medians of
// `runs` (plus one warm-up), in milliseconds.
#pragma once

#include <string>

namespace tessera {

class Surface;

// Composes one width x height output frame: a full-frame 1920x1080 I420 video converted and
// scaled to the output (1:1 at 1080p, so the conversion writes straight into the output), a
// picture-in-picture I420 video of a quarter of the output's area scaled into a corner at opacity
// 230, and three translucent rectangles. Synthetic, deterministic I420 content.
double bench_compose_frame(int width, int height, int runs);
// The same scene with a main video of src_width x src_height.
double bench_compose_frame_from(int src_width, int src_height, int width, int height, int runs);

// Measured memcpy bandwidth (GB/s, bytes copied per second / 1e9) over a 32 MB buffer: the floor
// against which frame composition cost can be judged (a 1080p RGBA frame is 8.3 MB).
double bench_memory_copy_gbps();

// A fixed 640x360 scene that exercises every path (I420 in all matrices and ranges, up- and
// downscaling with fractional crops, 1:1 fast paths, opacity, clipping at every edge, fills,
// a crossfade and a dip, a BGRX picture, a translucent premultiplied picture).
void compose_reference_frame(Surface& out);
// SHA-256 of compose_reference_frame's pixels: must be the same in native, wasm SIMD and wasm
// scalar builds (src/engine/golden.json holds the expected value).
std::string compose_reference_frame_sha256();

}  // namespace tessera
