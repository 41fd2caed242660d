// PNG encoding of a Surface (through stb_image_write from Debian's libstb-dev), for the CLI and
// for producers' previews. Premultiplied pixels are un-premultiplied on the way out.
#pragma once

#include <cstdint>
#include <vector>

#include "raster/surface.h"

namespace tessera {

std::vector<uint8_t> encode_png(const Surface& surface);

}  // namespace tessera
