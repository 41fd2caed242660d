// Bidirectional text (see bidi.h).
#include "text/bidi.h"

#include <algorithm>

namespace tessera {

namespace {

bool in(char32_t c, char32_t a, char32_t b) { return c >= a && c <= b; }

bool hebrew_mark(char32_t c) {
  return in(c, 0x0591, 0x05BD) || c == 0x05BF || in(c, 0x05C1, 0x05C2) || in(c, 0x05C4, 0x05C5) || c == 0x05C7;
}
bool arabic_mark(char32_t c) {
  return in(c, 0x0610, 0x061A) || in(c, 0x064B, 0x065F) || c == 0x0670 || in(c, 0x06D6, 0x06DC) ||
         in(c, 0x06DF, 0x06E4) || in(c, 0x06E7, 0x06E8) || in(c, 0x06EA, 0x06ED);
}

}  // namespace

BidiClass bidi_class(char32_t c) {
  if (c < 0x80) {
    if (c >= '0' && c <= '9') return BidiClass::EN;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return BidiClass::L;
    switch (c) {
      case '+': case '-': return BidiClass::ES;
      case '#': case '$': case '%': return BidiClass::ET;
      case ',': case '.': case '/': case ':': return BidiClass::CS;
      case '\t': case 0x0B: case 0x1F: return BidiClass::S;
      case ' ': case 0x0C: return BidiClass::WS;
      case '\n': case '\r': case 0x1C: case 0x1D: case 0x1E: case 0x85: return BidiClass::B;
      default: return BidiClass::ON;
    }
  }
  if (c == 0x00A0) return BidiClass::CS;
  if (in(c, 0x00A2, 0x00A5) || c == 0x00B0 || c == 0x00B1 || c == 0x20AC || in(c, 0x20A0, 0x20CF)) return BidiClass::ET;
  if (in(c, 0x00B2, 0x00B3) || c == 0x00B9) return BidiClass::EN;
  if (in(c, 0x00A1, 0x00BF) || c == 0x00D7 || c == 0x00F7) return BidiClass::ON;
  if (in(c, 0x0300, 0x036F) || in(c, 0x1AB0, 0x1AFF) || in(c, 0x1DC0, 0x1DFF) || in(c, 0x20D0, 0x20FF) ||
      in(c, 0xFE20, 0xFE2F))
    return BidiClass::NSM;
  // Hebrew, NKo, Samaritan, Mandaic and the Hebrew presentation forms.
  if (in(c, 0x0590, 0x05FF)) return hebrew_mark(c) ? BidiClass::NSM : BidiClass::R;
  if (in(c, 0x07C0, 0x085F) || in(c, 0xFB1D, 0xFB4F) || in(c, 0x10800, 0x10FFF) || in(c, 0x1E800, 0x1EDFF))
    return BidiClass::R;
  // Arabic, Syriac, Thaana and the Arabic presentation forms.
  if (in(c, 0x0600, 0x06FF)) {
    if (in(c, 0x0600, 0x0605) || in(c, 0x0660, 0x0669) || in(c, 0x066B, 0x066C) || c == 0x06DD) return BidiClass::AN;
    if (in(c, 0x06F0, 0x06F9)) return BidiClass::EN;
    if (c == 0x060C) return BidiClass::CS;
    if (c == 0x066A) return BidiClass::ET;
    if (arabic_mark(c)) return BidiClass::NSM;
    return BidiClass::AL;
  }
  if (in(c, 0x0700, 0x07BF) || in(c, 0x0860, 0x08FF) || in(c, 0xFB50, 0xFDFF) || in(c, 0xFE70, 0xFEFE) ||
      in(c, 0x1EE00, 0x1EEFF))
    return BidiClass::AL;
  if (c == 0x2028) return BidiClass::WS;
  if (c == 0x2029) return BidiClass::B;
  if (in(c, 0x2000, 0x200A) || c == 0x205F || c == 0x3000) return BidiClass::WS;
  if (c == 0x200E) return BidiClass::L;
  if (c == 0x200F) return BidiClass::R;
  if (c == 0x2212) return BidiClass::ES;
  if (in(c, 0x2030, 0x2034)) return BidiClass::ET;
  if (in(c, 0x2010, 0x2027) || in(c, 0x2035, 0x205E) || in(c, 0x2190, 0x2BFF) || in(c, 0x3001, 0x3003) ||
      in(c, 0x3008, 0x3020) || in(c, 0xFE50, 0xFE6F) || in(c, 0xFF01, 0xFF0F) || in(c, 0xFF1A, 0xFF20))
    return BidiClass::ON;
  return BidiClass::L;
}

int bidi_paragraph_level(const char32_t* text, size_t n, int fallback) {
  for (size_t i = 0; i < n; ++i) {
    const BidiClass t = bidi_class(text[i]);
    if (t == BidiClass::L) return 0;
    if (t == BidiClass::R || t == BidiClass::AL) return 1;
    if (t == BidiClass::B) break;
  }
  return fallback;
}

std::vector<uint8_t> bidi_levels(const char32_t* text, size_t n, int base_level) {
  const int e = base_level & 1;
  const BidiClass sos = e ? BidiClass::R : BidiClass::L;
  std::vector<BidiClass> t(n);
  for (size_t i = 0; i < n; ++i) t[i] = bidi_class(text[i]);

  // W1: a mark takes the class of what it marks.
  for (size_t i = 0; i < n; ++i)
    if (t[i] == BidiClass::NSM) t[i] = i == 0 ? sos : t[i - 1];
  // W2, W3: numbers after Arabic letters are Arabic numbers; Arabic letters are right to left.
  BidiClass strong = sos;
  for (size_t i = 0; i < n; ++i) {
    if (t[i] == BidiClass::L || t[i] == BidiClass::R || t[i] == BidiClass::AL) strong = t[i];
    else if (t[i] == BidiClass::EN && strong == BidiClass::AL) t[i] = BidiClass::AN;
  }
  for (BidiClass& c : t)
    if (c == BidiClass::AL) c = BidiClass::R;
  // W4: one separator between two numbers of a kind joins them.
  for (size_t i = 1; i + 1 < n; ++i) {
    if (t[i] == BidiClass::ES && t[i - 1] == BidiClass::EN && t[i + 1] == BidiClass::EN) t[i] = BidiClass::EN;
    else if (t[i] == BidiClass::CS && t[i - 1] == t[i + 1] && (t[i - 1] == BidiClass::EN || t[i - 1] == BidiClass::AN))
      t[i] = t[i - 1];
  }
  // W5: terminators next to European numbers join them.
  for (size_t i = 0; i < n; ++i) {
    if (t[i] != BidiClass::ET) continue;
    size_t j = i;
    while (j < n && t[j] == BidiClass::ET) ++j;
    const bool next_to_number = (i > 0 && t[i - 1] == BidiClass::EN) || (j < n && t[j] == BidiClass::EN);
    if (next_to_number)
      for (size_t k = i; k < j; ++k) t[k] = BidiClass::EN;
    i = j - 1;
  }
  // W6: what is left of the separators and terminators is neutral.
  for (BidiClass& c : t)
    if (c == BidiClass::ES || c == BidiClass::ET || c == BidiClass::CS) c = BidiClass::ON;
  // W7: European numbers in left-to-right text are left to right.
  strong = sos;
  for (size_t i = 0; i < n; ++i) {
    if (t[i] == BidiClass::L || t[i] == BidiClass::R) strong = t[i];
    else if (t[i] == BidiClass::EN && strong == BidiClass::L) t[i] = BidiClass::L;
  }
  // N1, N2: neutrals between two strong runs of one direction take it (numbers count as right to
  // left); the others take the paragraph's.
  auto direction = [](BidiClass c) {
    return c == BidiClass::L ? 0 : (c == BidiClass::R || c == BidiClass::EN || c == BidiClass::AN) ? 1 : -1;
  };
  for (size_t i = 0; i < n; ++i) {
    if (direction(t[i]) >= 0) continue;
    size_t j = i;
    while (j < n && direction(t[j]) < 0) ++j;
    const int before = i == 0 ? e : direction(t[i - 1]);
    const int after = j == n ? e : direction(t[j]);
    const BidiClass resolved = (before == after ? before : e) ? BidiClass::R : BidiClass::L;
    for (size_t k = i; k < j; ++k) t[k] = resolved;
    i = j - 1;
  }
  // I1, I2.
  std::vector<uint8_t> levels(n, static_cast<uint8_t>(e));
  for (size_t i = 0; i < n; ++i) {
    if (e == 0) {
      if (t[i] == BidiClass::R) levels[i] = 1;
      else if (t[i] == BidiClass::AN || t[i] == BidiClass::EN) levels[i] = 2;
    } else if (t[i] == BidiClass::L || t[i] == BidiClass::EN || t[i] == BidiClass::AN) {
      levels[i] = 2;
    }
  }
  return levels;
}

std::vector<size_t> bidi_visual_order(const char32_t* text, const uint8_t* levels, size_t n, int base_level) {
  std::vector<uint8_t> lv(levels, levels + n);
  // L1: white space at the end of the line, and separators, go back to the paragraph level.
  for (size_t i = n; i > 0; --i) {
    const BidiClass c = bidi_class(text[i - 1]);
    if (c != BidiClass::WS && c != BidiClass::S && c != BidiClass::B) break;
    lv[i - 1] = static_cast<uint8_t>(base_level & 1);
  }
  for (size_t i = 0; i < n; ++i) {
    const BidiClass c = bidi_class(text[i]);
    if (c == BidiClass::S || c == BidiClass::B) lv[i] = static_cast<uint8_t>(base_level & 1);
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  uint8_t highest = 0, lowest_odd = 255;
  for (const uint8_t l : lv) {
    highest = std::max(highest, l);
    if (l & 1) lowest_odd = std::min(lowest_odd, l);
  }
  // L2: from the highest level down to the lowest odd one, reverse every run at that level or above.
  for (int level = highest; level >= lowest_odd && level > 0; --level) {
    size_t i = 0;
    while (i < n) {
      if (lv[order[i]] < level) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < n && lv[order[j]] >= level) ++j;
      std::reverse(order.begin() + static_cast<std::ptrdiff_t>(i), order.begin() + static_cast<std::ptrdiff_t>(j));
      i = j;
    }
  }
  return order;
}

char32_t bidi_mirror(char32_t c) {
  switch (c) {
    case '(': return ')';
    case ')': return '(';
    case '<': return '>';
    case '>': return '<';
    case '[': return ']';
    case ']': return '[';
    case '{': return '}';
    case '}': return '{';
    case 0x00AB: return 0x00BB;
    case 0x00BB: return 0x00AB;
    case 0x2039: return 0x203A;
    case 0x203A: return 0x2039;
    case 0x2264: return 0x2265;
    case 0x2265: return 0x2264;
    case 0x3008: return 0x3009;
    case 0x3009: return 0x3008;
    case 0x300A: return 0x300B;
    case 0x300B: return 0x300A;
    case 0x300C: return 0x300D;
    case 0x300D: return 0x300C;
    case 0xFF08: return 0xFF09;
    case 0xFF09: return 0xFF08;
    default: return c;
  }
}

}  // namespace tessera
