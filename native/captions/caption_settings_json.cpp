// Caption settings from the player's JSON (see caption_settings_json.h).
#include "captions/caption_settings_json.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace tessera::captions {

namespace {

using nlohmann::json;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "#rrggbb" → opaque colour; anything else leaves `out` as it is.
void colour(const json& j, const char* key, Rgba& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return;
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() != 7 || s[0] != '#') return;
  int v[6];
  for (int i = 0; i < 6; ++i)
    if ((v[i] = hex_digit(s[static_cast<size_t>(i) + 1])) < 0) return;
  out = {static_cast<uint8_t>(v[0] * 16 + v[1]), static_cast<uint8_t>(v[2] * 16 + v[3]), static_cast<uint8_t>(v[4] * 16 + v[5]), 255};
}

// 0–1 → 0–255 (rounded half up; clamped); anything else leaves `out` as it is.
void opacity(const json& j, const char* key, uint8_t& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return;
  const double v = it->get<double>();
  if (!std::isfinite(v)) return;
  out = static_cast<uint8_t>(std::floor(std::clamp(v, 0.0, 1.0) * 255.0 + 0.5));
}

std::string name(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

CaptionSettings caption_settings_from_json(std::string_view text) {
  CaptionSettings s;
  if (text.size() > 4096) return s;
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return s;
  if (const auto it = j.find("size"); it != j.end() && it->is_number()) {
    const double v = it->get<double>();
    if (std::isfinite(v)) s.size_percent = static_cast<int>(std::floor(std::clamp(v, 50.0, 200.0) + 0.5));
  }
  colour(j, "textColour", s.text_colour);
  opacity(j, "textOpacity", s.text_opacity);
  colour(j, "backgroundColour", s.background_colour);
  opacity(j, "backgroundOpacity", s.background_opacity);
  colour(j, "windowColour", s.window_colour);
  opacity(j, "windowOpacity", s.window_opacity);
  const std::string edge = name(j, "edge");
  if (edge == "none") s.edge = CaptionEdge::None;
  else if (edge == "outline") s.edge = CaptionEdge::Outline;
  else if (edge == "drop-shadow") s.edge = CaptionEdge::DropShadow;
  else if (edge == "raised") s.edge = CaptionEdge::Raised;
  else if (edge == "depressed") s.edge = CaptionEdge::Depressed;
  const std::string font = name(j, "font");
  if (font == "default") s.font_family = kCaptionDefault;
  else if (font == "sans") s.font_family = kCaptionSans;
  else if (font == "serif") s.font_family = kCaptionSerif;
  else if (font == "mono") s.font_family = kCaptionMono;
  const std::string position = name(j, "position");
  if (position == "default") s.position = CaptionPositionOverride::Default;
  else if (position == "top") s.position = CaptionPositionOverride::Top;
  return s;
}

}  // namespace tessera::captions
