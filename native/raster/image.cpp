// Image decoding and bilinear drawing. Decoding is stb_image's integer code; drawing is integer
// arithmetic after one rounding of each row's and column's source position, so the bytes are the
// same wherever the engine runs.
#include "raster/image.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <vector>

#include <stb_image.h>

namespace tessera {

bool decode_image(const uint8_t* data, size_t size, Surface* out, std::string* error) {
  if (size == 0) { *error = "image: empty file"; return false; }
  if (size > ImageLimits::kMaxBytes || size > static_cast<size_t>(INT_MAX)) {
    *error = "image: file larger than 64 MiB";
    return false;
  }
  const int length = static_cast<int>(size);
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(data, length, &w, &h, &channels)) {
    *error = "image: not a PNG or JPEG file (or its header is damaged)";
    return false;
  }
  if (w <= 0 || h <= 0 || w > ImageLimits::kMaxSide || h > ImageLimits::kMaxSide) {
    *error = "image: " + std::to_string(w) + "x" + std::to_string(h) + " is larger than 8192x8192";
    return false;
  }
  if (static_cast<size_t>(w) * static_cast<size_t>(h) * 4 > ImageLimits::kMaxBytes) {
    *error = "image: " + std::to_string(w) + "x" + std::to_string(h) + " needs more than 64 MiB decoded";
    return false;
  }
  int dw = 0, dh = 0;
  stbi_uc* rgba = stbi_load_from_memory(data, length, &dw, &dh, &channels, 4);
  if (!rgba) {
    const char* reason = stbi_failure_reason();
    *error = std::string("image: cannot decode (") + (reason ? reason : "unknown reason") + ")";
    return false;
  }
  if (dw != w || dh != h) {  // the header lied between the two passes; refuse rather than guess
    stbi_image_free(rgba);
    *error = "image: inconsistent dimensions";
    return false;
  }
  out->resize(w, h);
  uint8_t* d = out->data();
  const size_t n = static_cast<size_t>(w) * static_cast<size_t>(h) * 4;
  for (size_t i = 0; i < n; i += 4) {
    const uint32_t a = rgba[i + 3];
    d[i] = static_cast<uint8_t>(div255(rgba[i] * a));
    d[i + 1] = static_cast<uint8_t>(div255(rgba[i + 1] * a));
    d[i + 2] = static_cast<uint8_t>(div255(rgba[i + 2] * a));
    d[i + 3] = static_cast<uint8_t>(a);
  }
  stbi_image_free(rgba);
  return true;
}

namespace {

// Fixed-point 24.8 position of a device coordinate, clamped far outside any surface.
int64_t to_fixed8(double v) {
  const double c = v >= -1.0e7 ? (v <= 1.0e7 ? v : 1.0e7) : -1.0e7;  // NaN → −1e7, never UB
  return static_cast<int64_t>(std::floor(c * 256.0 + 0.5));
}

// One destination row or column: which source samples it blends and with what weight, and how
// much of the destination pixel lies inside the drawn area (0..256).
struct Tap {
  int i0 = 0, i1 = 0;
  uint32_t weight = 0;    // of i1, 0..255
  uint32_t coverage = 0;  // 0..256
};

std::vector<Tap> taps(int first, int last, double dest_origin, double dest_size, int source_size, int64_t clip0,
                      int64_t clip1) {
  std::vector<Tap> out(static_cast<size_t>(last - first));
  const double ratio = static_cast<double>(source_size) / dest_size;
  for (int p = first; p < last; ++p) {
    Tap& t = out[static_cast<size_t>(p - first)];
    const int64_t lo = std::max<int64_t>(int64_t{p} * 256, clip0), hi = std::min<int64_t>(int64_t{p} * 256 + 256, clip1);
    t.coverage = hi > lo ? static_cast<uint32_t>(hi - lo) : 0;
    // Pixel centre mapped into the source, minus half a texel: 1:1 maps centres onto centres.
    const double s = (static_cast<double>(p) + 0.5 - dest_origin) * ratio - 0.5;
    const double sc = s >= -1.0 ? (s <= source_size ? s : static_cast<double>(source_size)) : -1.0;  // NaN → −1
    const int64_t f = static_cast<int64_t>(std::floor(sc * 65536.0 + 0.5));
    int64_t i0 = f >> 16;
    uint32_t w = static_cast<uint32_t>((f >> 8) & 255);
    if (i0 < 0) { i0 = 0; w = 0; }
    if (i0 >= source_size - 1) { i0 = source_size - 1; w = 0; }
    t.i0 = static_cast<int>(i0);
    t.i1 = std::min(t.i0 + 1, source_size - 1);
    t.weight = w;
  }
  return out;
}

}  // namespace

void draw_image(Surface& out, const Surface& image, const RectD& dest, const RectD& clip, uint8_t opacity) {
  if (image.width() <= 0 || image.height() <= 0 || opacity == 0) return;
  if (!(dest.width > 0) || !(dest.height > 0) || !std::isfinite(dest.x) || !std::isfinite(dest.y)) return;
  // The drawn area is dest ∩ clip, in 24.8 fixed point.
  const int64_t ax0 = std::max(to_fixed8(dest.x), to_fixed8(clip.x));
  const int64_t ay0 = std::max(to_fixed8(dest.y), to_fixed8(clip.y));
  const int64_t ax1 = std::min(to_fixed8(dest.x + dest.width), to_fixed8(clip.x + clip.width));
  const int64_t ay1 = std::min(to_fixed8(dest.y + dest.height), to_fixed8(clip.y + clip.height));
  if (ax1 <= ax0 || ay1 <= ay0) return;
  const int px0 = static_cast<int>(std::max<int64_t>(0, ax0 >> 8));
  const int py0 = static_cast<int>(std::max<int64_t>(0, ay0 >> 8));
  const int px1 = static_cast<int>(std::min<int64_t>(out.width(), (ax1 + 255) >> 8));
  const int py1 = static_cast<int>(std::min<int64_t>(out.height(), (ay1 + 255) >> 8));
  if (px1 <= px0 || py1 <= py0) return;
  const std::vector<Tap> cols = taps(px0, px1, dest.x, dest.width, image.width(), ax0, ax1);
  const std::vector<Tap> rows = taps(py0, py1, dest.y, dest.height, image.height(), ay0, ay1);
  const uint8_t* src = image.data();
  const size_t stride = static_cast<size_t>(image.width()) * 4;
  uint8_t* dst = out.data();
  for (int py = py0; py < py1; ++py) {
    const Tap& row = rows[static_cast<size_t>(py - py0)];
    if (row.coverage == 0) continue;
    const uint8_t* r0 = src + static_cast<size_t>(row.i0) * stride;
    const uint8_t* r1 = src + static_cast<size_t>(row.i1) * stride;
    const uint32_t wy1 = row.weight, wy0 = 256 - wy1;
    uint8_t* d = dst + (static_cast<size_t>(py) * static_cast<size_t>(out.width()) + static_cast<size_t>(px0)) * 4;
    for (int px = px0; px < px1; ++px, d += 4) {
      const Tap& col = cols[static_cast<size_t>(px - px0)];
      // Area coverage (0..65536) → 0..255, then the element's opacity.
      const uint32_t area = (col.coverage * row.coverage * 255 + 32768) >> 16;
      const uint32_t c = div255(area * opacity);
      if (c == 0) continue;
      const uint32_t wx1 = col.weight, wx0 = 256 - wx1;
      const uint8_t* p00 = r0 + static_cast<size_t>(col.i0) * 4;
      const uint8_t* p01 = r0 + static_cast<size_t>(col.i1) * 4;
      const uint8_t* p10 = r1 + static_cast<size_t>(col.i0) * 4;
      const uint8_t* p11 = r1 + static_cast<size_t>(col.i1) * 4;
      uint32_t s[4];
      for (int k = 0; k < 4; ++k) {
        const uint32_t top = p00[k] * wx0 + p01[k] * wx1, bottom = p10[k] * wx0 + p11[k] * wx1;
        s[k] = (top * wy0 + bottom * wy1 + 32768) >> 16;
        if (c != 255) s[k] = div255(s[k] * c);
      }
      const uint32_t inv = 255 - s[3];
      d[0] = static_cast<uint8_t>(s[0] + div255(d[0] * inv));
      d[1] = static_cast<uint8_t>(s[1] + div255(d[1] * inv));
      d[2] = static_cast<uint8_t>(s[2] + div255(d[2] * inv));
      d[3] = static_cast<uint8_t>(s[3] + div255(d[3] * inv));
    }
  }
}

}  // namespace tessera
