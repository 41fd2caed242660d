// The viewer's caption settings as the player sends them (src/engine/caption-settings.ts: size in
// percent, "#rrggbb" colours with 0–1 opacities, edge, font and position names) turned into the
// renderer's CaptionSettings. The text is untrusted: a field that is missing or invalid keeps its
// default, numbers are clamped, and nothing throws.
#pragma once

#include <string_view>

#include "captions/render.h"

namespace tessera::captions {

// Font families in the order the engine offers them (CaptionSettings::font_family indexes it).
enum CaptionFontFamily : int { kCaptionDefault = -1, kCaptionSans = 0, kCaptionSerif = 1, kCaptionMono = 2 };

CaptionSettings caption_settings_from_json(std::string_view json);

}  // namespace tessera::captions
