// WebVTT files parsed as W3C "WebVTT: The Web Video Text Tracks Format" (CR 2019, and the
// editor's draft, which agree here) says, step for step: the signature and header, blocks
// (cues with identifiers, timings and settings; STYLE and REGION blocks before the first cue;
// NOTE and anything else skipped), the region settings, and each cue's text through the cue
// text parsing rules into its node tree. What the algorithm silently skips (bad timings,
// malformed settings, unknown tags, …) is also reported as a line-numbered error.
#pragma once

#include <string_view>
#include <vector>

#include "captions/cue.h"

namespace tessera::captions {

// Parses a WebVTT file from its bytes (UTF-8; a BOM, NULs and CR/CRLF line ends are dealt with as
// the spec says). Without a valid "WEBVTT" signature, or over options.max_bytes, the result has
// ok == false, no cues and an error saying why.
ParsedCaptions parse_webvtt(std::string_view bytes, const CaptionOptions& options = {});

// The WebVTT cue text parsing rules: a cue's text → its list of WebVTT node objects (root), with
// HTML character references decoded. Problems are appended to `errors` (if given) with line
// numbers counted from `first_line`, the line the text starts on.
CueNode parse_cue_text(std::string_view text, const CaptionOptions& options = {}, std::vector<Error>* errors = nullptr,
                       int first_line = 1);

}  // namespace tessera::captions
