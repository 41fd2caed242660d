// Line breaking shared by text layout (text/layout.h) and caption layout (captions/render.h):
// break opportunities and greedy breaking over code points whose advances are already known, so
// text in one font (graphics) and styled runs in several fonts (captions) break alike.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace tessera {

bool is_breaking_space(char32_t c);  // U+0020: lines break after it and trailing ones hang
bool is_hard_break(char32_t c);      // LF, CR, U+2028, U+2029
bool is_cjk(char32_t c);

// True when a line may break between text[i - 1] and text[i]: a small, fixed subset of UAX #14
// (after spaces, after a hyphen that follows a letter, after U+200B, and between CJK characters
// except before closing or after opening punctuation).
bool can_break_before(const std::vector<char32_t>& text, size_t i);

// Greedy breaking of the paragraph [begin, end) (no hard breaks inside) into lines no wider than
// box_width (0: no limit), appended to `out` as code point ranges. advance[i] is the width of
// text[i]; kern[i] the adjustment between text[i - 1] and text[i]. A word wider than the box is
// broken between characters; a wrapped line does not start with spaces.
void break_paragraph(const std::vector<char32_t>& text, const std::vector<float>& advance,
                     const std::vector<float>& kern, size_t begin, size_t end, float box_width,
                     std::vector<std::pair<size_t, size_t>>& out);

}  // namespace tessera
