#include <doctest.h>

#include <string>

#include "captions/caption_settings_json.h"

using tessera::captions::caption_settings_from_json;
using tessera::captions::CaptionEdge;
using tessera::captions::CaptionPositionOverride;
using tessera::captions::CaptionSettings;

TEST_CASE("caption settings JSON: the player's fields become the renderer's settings") {
  const CaptionSettings s = caption_settings_from_json(
      R"({"size":150,"textColour":"#ffff00","textOpacity":0.5,"backgroundColour":"#102030","backgroundOpacity":0.75,)"
      R"("windowColour":"#ABCDEF","windowOpacity":1,"edge":"drop-shadow","font":"mono","position":"top"})");
  CHECK(s.size_percent == 150);
  CHECK(int{s.text_colour.r} == 255);
  CHECK(int{s.text_colour.g} == 255);
  CHECK(int{s.text_colour.b} == 0);
  CHECK(int{s.text_opacity} == 128);  // 0.5 × 255 rounded half up
  CHECK(int{s.background_colour.r} == 0x10);
  CHECK(int{s.background_colour.b} == 0x30);
  CHECK(int{s.background_opacity} == 191);
  CHECK(int{s.window_colour.g} == 0xCD);
  CHECK(int{s.window_opacity} == 255);
  CHECK(s.edge == CaptionEdge::DropShadow);
  CHECK(s.font_family == tessera::captions::kCaptionMono);
  CHECK(s.position == CaptionPositionOverride::Top);
}

TEST_CASE("caption settings JSON: invalid fields keep their defaults, numbers are clamped, nothing throws") {
  const CaptionSettings d;
  const CaptionSettings s = caption_settings_from_json(
      R"({"size":1e308,"textColour":"yellow","textOpacity":"half","backgroundColour":"#12345","backgroundOpacity":-3,)"
      R"("edge":"glow","font":7,"position":"middle"})");
  CHECK(s.size_percent == 200);
  CHECK(int{s.text_colour.r} == int{d.text_colour.r});
  CHECK(int{s.text_opacity} == int{d.text_opacity});
  CHECK(int{s.background_colour.g} == int{d.background_colour.g});
  CHECK(int{s.background_opacity} == 0);  // clamped to 0
  CHECK(s.edge == d.edge);
  CHECK(s.font_family == d.font_family);
  CHECK(s.position == d.position);
  CHECK(caption_settings_from_json(R"({"size":10})").size_percent == 50);
  for (const char* bad : {"", "null", "[1,2]", "{", "\"x\"", "{\"size\":", "{\"textColour\":\"#gggggg\"}"}) {
    const CaptionSettings b = caption_settings_from_json(bad);
    CHECK(b.size_percent == d.size_percent);
    CHECK(int{b.text_colour.r} == int{d.text_colour.r});
  }
  CHECK(caption_settings_from_json(std::string(5000, ' ')).size_percent == d.size_percent);  // too long: ignored
}
