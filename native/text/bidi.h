// Bidirectional text (Unicode Standard Annex #9), the part captions need: a paragraph's base
// direction from its first strong character (rules P2–P3, as CSS unicode-bidi: plaintext does
// for WebVTT) or given (TTML tts:direction); the levels of strong, number and neutral characters
// (W1–W7 for European and Arabic numbers and their separators, N1–N2, I1–I2, with no explicit
// embeddings: caption text has no bidi controls worth honouring); the visual order of a line
// (L1 trailing white space at the paragraph level, L2 reversal); mirrored brackets (L4).
//
// Character classes come from the Unicode blocks of the scripts (Hebrew, Arabic, Syriac, Thaana,
// NKo, and the presentation forms) rather than the full UnicodeData table. Arabic is reordered but
// not shaped (no joining forms): the letters show in their isolated forms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera {

enum class BidiClass : uint8_t { L, R, AL, EN, ES, ET, AN, CS, B, S, WS, ON, NSM };
BidiClass bidi_class(char32_t c);

// 0 (left to right) or 1 (right to left): the first strong character's direction, else `fallback`.
int bidi_paragraph_level(const char32_t* text, size_t n, int fallback = 0);

// The embedding level of each character of one paragraph at base level 0 or 1.
std::vector<uint8_t> bidi_levels(const char32_t* text, size_t n, int base_level);

// The visual order (indices into the line, left to right) of a line's characters, given their
// levels and the paragraph's base level (trailing white space takes the base level).
std::vector<size_t> bidi_visual_order(const char32_t* text, const uint8_t* levels, size_t n, int base_level);

// The mirror image of a paired bracket or comparison sign ("(" ↔ ")"), or c itself.
char32_t bidi_mirror(char32_t c);

}  // namespace tessera
