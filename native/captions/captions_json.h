// The `tessera captions <file> --json` contract for WebVTT and SRT:
//   { "cues": [...], "regions": [...], "errors": [...] }
// each region with the fields of the HTML VTTRegion interface (id, width, lines, regionAnchorX,
// regionAnchorY, viewportAnchorX, viewportAnchorY, scroll "" or "up"), each cue with the fields
// and value forms of VTTCue (id, startTime, endTime, text, vertical "" / "rl" / "lr",
// snapToLines, line number or "auto", lineAlign, position number or "auto", positionAlign,
// size, align, region id or null), each error as { line, message }.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "captions/cue.h"

namespace tessera::captions {

nlohmann::ordered_json captions_json(const ParsedCaptions& parsed);

// The same as JSON text, numbers written as JavaScript writes them (1 not 1.0, 0.5, 1e+21);
// a number JSON cannot hold (an infinite region line count) is written as null, as
// JSON.stringify does.
std::string captions_json_text(const ParsedCaptions& parsed);

}  // namespace tessera::captions
