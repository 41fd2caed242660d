// Line breaking (see line_break.h): the break opportunities and the greedy breaker that
// layout_text has always used, shared with caption layout.
#include "text/line_break.h"

#include <algorithm>
#include <iterator>

namespace tessera {

namespace {
bool is_space(char32_t c) { return c == U' '; }
bool is_hyphen(char32_t c) { return c == U'-' || c == 0x2010 || c == 0x2013; }

// Characters that must not start a line (closing punctuation, small kana) or end one (openers).
bool no_break_before(char32_t c) {
  static constexpr char32_t kList[] = {U'、', U'。', U'，', U'．', U'・', U'：', U'；', U'？', U'！', U'ー', U'」',
                                       U'』', U'）', U'〕', U'］', U'｝', U'〉', U'》', U'】', U'ぁ', U'ぃ', U'ぅ',
                                       U'ぇ', U'ぉ', U'っ', U'ゃ', U'ゅ', U'ょ', U'ァ', U'ィ', U'ゥ', U'ェ', U'ォ',
                                       U'ッ', U'ャ', U'ュ', U'ョ', U')', U']', U'}', U',', U'.', U'!', U'?', U':',
                                       U';', 0x2026};
  return std::find(std::begin(kList), std::end(kList), c) != std::end(kList);
}
bool no_break_after(char32_t c) {
  static constexpr char32_t kList[] = {U'「', U'『', U'（', U'〔', U'［', U'｛', U'〈', U'《', U'【', U'(', U'[', U'{'};
  return std::find(std::begin(kList), std::end(kList), c) != std::end(kList);
}

}  // namespace

bool is_breaking_space(char32_t c) { return is_space(c); }
bool is_hard_break(char32_t c) { return c == U'\n' || c == U'\r' || c == 0x2028 || c == 0x2029; }

bool is_cjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) ||    // radicals, CJK punctuation, kana, ideographs, ext. A
         (c >= 0xAC00 && c <= 0xD7AF) ||    // Hangul syllables
         (c >= 0xF900 && c <= 0xFAFF) ||    // compatibility ideographs
         (c >= 0xFF00 && c <= 0xFFEF) ||    // full-width and half-width forms
         (c >= 0x20000 && c <= 0x3FFFF);    // ideograph extensions B and later
}

bool can_break_before(const std::vector<char32_t>& t, size_t i) {
  if (i == 0 || i >= t.size()) return false;
  const char32_t prev = t[i - 1], cur = t[i];
  if (is_space(cur)) return false;  // break after a run of spaces, never inside it
  if (is_space(prev) || prev == 0x200B) return true;
  if (is_hyphen(prev)) return i >= 2 && !is_space(t[i - 2]) && !is_hyphen(t[i - 2]);
  if ((is_cjk(prev) || is_cjk(cur)) && !no_break_before(cur) && !no_break_after(prev)) return true;
  return false;
}

void break_paragraph(const std::vector<char32_t>& text, const std::vector<float>& advance,
                     const std::vector<float>& kern, size_t begin, size_t end, float box_width,
                     std::vector<std::pair<size_t, size_t>>& out) {
  if (begin == end) { out.emplace_back(begin, end); return; }
  size_t pos = begin;
  while (pos < end) {
    size_t last_break = 0;  // 0 = none (a break is never allowed before the paragraph's start)
    float width = 0.0f;
    size_t i = pos;
    for (; i < end; ++i) {
      if (i > pos && can_break_before(text, i)) last_break = i;
      const float next = width + (i > pos ? kern[i] : 0.0f) + advance[i];
      if (box_width > 0.0f && i > pos && !is_space(text[i]) && next > box_width) break;
      width = next;
    }
    if (i == end) { out.emplace_back(pos, end); return; }
    const size_t cut = last_break > pos ? last_break : i;  // no opportunity: break between characters
    out.emplace_back(pos, cut);
    pos = cut;
    while (pos < end && is_space(text[pos])) ++pos;  // a wrapped line does not start with spaces
  }
}

}  // namespace tessera
