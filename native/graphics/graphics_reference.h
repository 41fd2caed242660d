// The graphics reference frame: a name strap, a data card and a logo bug drawn mid-animation, so
// every build (native, wasm in Node and in each browser) can be checked for identical bytes.
// Its SHA-256 is pinned in graphics_test.cpp; change it only with a deliberate rendering change.
#pragma once

#include <string>

#include "raster/surface.h"
#include "text/font.h"

namespace tessera {

constexpr int kGraphicsReferenceWidth = 640;
constexpr int kGraphicsReferenceHeight = 360;

// Draws the scene with `font` (the committed public/fonts/DejaVuSans.ttf for the pinned hash).
Surface render_graphics_reference(const Font& font);
// Lower-case hex SHA-256 of the reference frame's premultiplied RGBA bytes.
std::string graphics_reference_sha256(const Font& font);

}  // namespace tessera
