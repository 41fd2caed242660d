// HTML's "consume a character reference" (character reference, named, numeric and numeric end
// states of the HTML tokenizer), outside attributes, for WebVTT cue text.
#include "captions/html_entities.h"
#include "text/utf8.h"

namespace tessera::captions {

namespace {

constexpr size_t kLongestName = 32;  // "CounterClockwiseContourIntegral;"

bool is_ascii_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The table entry named exactly `name`, or nullptr.
const NamedCharacterReference* find_name(std::string_view name) {
  size_t lo = 0, hi = kNamedCharacterReferenceCount;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const std::string_view candidate(kNamedCharacterReferences[mid].name);
    const int order = candidate.compare(name);
    if (order == 0) return &kNamedCharacterReferences[mid];
    if (order < 0) lo = mid + 1;
    else hi = mid;
  }
  return nullptr;
}

// Windows-1252 code points that numeric references in 0x80..0x9F stand for (HTML's replacement
// table); 0 = the number is kept.
constexpr char32_t kC1Replacements[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

}  // namespace


size_t consume_character_reference(std::string_view text, size_t at, std::string& out) {
  if (at >= text.size()) return 0;
  if (text[at] == '#') {
    size_t p = at + 1;
    bool hex = false;
    if (p < text.size() && (text[p] == 'x' || text[p] == 'X')) {
      hex = true;
      ++p;
    }
    const size_t digits_start = p;
    char32_t code = 0;
    for (; p < text.size(); ++p) {
      const char c = text[p];
      unsigned digit = 0;
      if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
      else if (hex && c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
      else if (hex && c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
      else break;
      // Saturate just above the Unicode range: the number is out of range whatever follows.
      code = code > 0x10FFFF ? 0x110000 : code * (hex ? 16u : 10u) + digit;
    }
    if (p == digits_start) return 0;  // "&#" / "&#x" without digits: not a reference
    if (p < text.size() && text[p] == ';') ++p;  // a missing ';' is a parse error, not a failure
    if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
    else if (code >= 0x80 && code <= 0x9F && kC1Replacements[code - 0x80] != 0) code = kC1Replacements[code - 0x80];
    append_utf8(out, code);
    return p - at;
  }
  if (!is_ascii_alnum(text[at])) return 0;
  // The longest name in the table that the text starts with. Names are ASCII alphanumerics with
  // an optional final ';', so candidates are prefixes of that run (plus its ';').
  size_t run = 0;
  while (run < kLongestName && at + run < text.size() && is_ascii_alnum(text[at + run])) ++run;
  size_t longest = run;
  if (at + run < text.size() && text[at + run] == ';' && run < kLongestName) longest = run + 1;
  for (size_t length = longest; length > 0; --length) {
    if (const NamedCharacterReference* ref = find_name(text.substr(at, length))) {
      out += ref->value;
      return length;
    }
  }
  return 0;  // HTML's ambiguous ampersand: the '&' and what follows stay as they are
}

}  // namespace tessera::captions
