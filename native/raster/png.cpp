#include "raster/png.h"

#include <algorithm>

#include <stb_image_write.h>

namespace tessera {

namespace {
void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}
}  // namespace

std::vector<uint8_t> encode_png(const Surface& surface) {
  std::vector<uint8_t> straight(surface.data(), surface.data() + surface.byte_size());
  for (size_t i = 0; i < straight.size(); i += 4) {
    const uint32_t a = straight[i + 3];
    if (a == 0 || a == 255) continue;
    for (size_t c = 0; c < 3; ++c) straight[i + c] = static_cast<uint8_t>(std::min<uint32_t>(255, (straight[i + c] * 255 + a / 2) / a));
  }
  std::vector<uint8_t> out;
  if (surface.width() == 0 || surface.height() == 0) return out;
  stbi_write_png_to_func(append_bytes, &out, surface.width(), surface.height(), 4, straight.data(), surface.width() * 4);
  return out;
}

}  // namespace tessera
