#include "testcard/test_card.h"

#include <algorithm>
#include <cstdio>

namespace tessera {

namespace {
// ITU-R BT.801-style 75% bars (straight RGB), left to right.
constexpr Rgba kBars[7] = {
    {191, 191, 191, 255}, {191, 191, 0, 255}, {0, 191, 191, 255}, {0, 191, 0, 255},
    {191, 0, 191, 255},   {191, 0, 0, 255},   {0, 0, 191, 255},
};
}  // namespace

void render_test_card(Surface& surface, const Font& font) {
  const int w = surface.width(), h = surface.height();
  if (w <= 0 || h <= 0) return;
  surface.clear({16, 16, 16, 255});

  const int bars_bottom = h * 2 / 3;
  for (int i = 0; i < 7; ++i) {
    const int x0 = i * w / 7, x1 = (i + 1) * w / 7;
    surface.fill_rect(x0, 0, x1 - x0, bars_bottom, kBars[i]);
  }
  const int ramp_top = bars_bottom + h / 24;
  const int ramp_height = h / 8;
  surface.fill_horizontal_ramp(w / 16, ramp_top, w - w / 8, ramp_height, 0, 255);

  const float size = static_cast<float>(std::min(w, h));
  const float cx = static_cast<float>(w) * 0.5f, cy = static_cast<float>(h) * 0.42f;
  const float radius = size * 0.3f;
  surface.fill_circle(cx, cy, radius, {0, 0, 0, 160});
  surface.stroke_circle(cx, cy, radius, std::max(2.0f, size * 0.012f), {255, 255, 255, 255});

  const Rgba white{255, 255, 255, 255};
  font.draw(surface, "TESSERA", size * 0.14f, cx, cy + size * 0.02f, TextAlign::Centre, white);
  font.draw(surface, "engine test card \xC2\xB7 \xC5\xB5 \xC5\xB7 \xC3\xA2", size * 0.045f, cx, cy + size * 0.11f,
            TextAlign::Centre, {230, 230, 230, 255});
  char label[64];
  std::snprintf(label, sizeof label, "%d \xC3\x97 %d", w, h);
  font.draw(surface, label, size * 0.045f, static_cast<float>(w) - size * 0.03f, static_cast<float>(h) - size * 0.04f,
            TextAlign::Right, white);
  font.draw(surface, "AVAWAY Tw Yo", size * 0.045f, size * 0.03f, static_cast<float>(h) - size * 0.04f,
            TextAlign::Left, white);
}

}  // namespace tessera
