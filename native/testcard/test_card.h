// The engine's test card: 75% colour bars, a grey ramp, an anti-aliased circle and text in the
// embedded font. It is the first thing the engine draws and the reference frame for the
// cross-platform determinism test (its SHA-256 is pinned in src/engine/golden.json).
#pragma once

#include "raster/surface.h"
#include "text/font.h"

namespace tessera {

void render_test_card(Surface& surface, const Font& font);

}  // namespace tessera
