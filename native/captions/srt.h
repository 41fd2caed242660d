// SubRip (.srt) files, read leniently into the same cues as WebVTT: blocks separated by blank
// lines, each an optional cue number, a timing line "HH:MM:SS,mmm --> HH:MM:SS,mmm" ('.' also
// accepted for ','; hours optional; 1–3 fraction digits read as a decimal fraction, so ",5" is
// 500 ms) and text lines. A timing line inside a block starts a new cue even without the blank
// line before it. <b>, <i>, <u> and <font color="…"> (any case) become the tree's bold, italic,
// underline and class nodes (a font colour is kept as "#rrggbb", and as the class of the same
// name when WebVTT has one: white, lime, cyan, red, yellow, magenta, blue, black); any other
// '<' is text. Settings keep the VTTCue defaults. Problems are reported by line.
#pragma once

#include <string_view>

#include "captions/cue.h"

namespace tessera::captions {

ParsedCaptions parse_srt(std::string_view bytes, const CaptionOptions& options = {});

// SRT cue text (tags as above) → node tree; problems appended to `errors` (if given), numbered
// from first_line.
CueNode parse_srt_text(std::string_view text, const CaptionOptions& options = {}, std::vector<Error>* errors = nullptr,
                       int first_line = 1);

}  // namespace tessera::captions
