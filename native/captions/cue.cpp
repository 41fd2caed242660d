// The caption model's names, and what the WebVTT and SRT parsers share: decoding the bytes,
// bounded error lists, decimal numerals.
#include "captions/cue.h"

#include <cmath>
#include <cstdlib>

#include "captions/html_entities.h"
#include "text/utf8.h"

namespace tessera::captions {

const char* writing_direction_name(WritingDirection d) {
  switch (d) {
    case WritingDirection::Horizontal: return "";
    case WritingDirection::VerticalGrowingLeft: return "rl";
    case WritingDirection::VerticalGrowingRight: return "lr";
  }
  return "";
}

const char* line_align_name(LineAlign a) {
  switch (a) {
    case LineAlign::Start: return "start";
    case LineAlign::Center: return "center";
    case LineAlign::End: return "end";
  }
  return "start";
}

const char* position_align_name(PositionAlign a) {
  switch (a) {
    case PositionAlign::Auto: return "auto";
    case PositionAlign::LineLeft: return "line-left";
    case PositionAlign::Center: return "center";
    case PositionAlign::LineRight: return "line-right";
  }
  return "auto";
}

const char* cue_align_name(CueAlign a) {
  switch (a) {
    case CueAlign::Start: return "start";
    case CueAlign::Center: return "center";
    case CueAlign::End: return "end";
    case CueAlign::Left: return "left";
    case CueAlign::Right: return "right";
  }
  return "center";
}

const char* region_scroll_name(RegionScroll s) { return s == RegionScroll::Up ? "up" : ""; }

const char* cue_node_type_name(CueNodeType t) {
  switch (t) {
    case CueNodeType::Root: return "root";
    case CueNodeType::Class: return "c";
    case CueNodeType::Italic: return "i";
    case CueNodeType::Bold: return "b";
    case CueNodeType::Underline: return "u";
    case CueNodeType::Ruby: return "ruby";
    case CueNodeType::RubyText: return "rt";
    case CueNodeType::Voice: return "v";
    case CueNodeType::Language: return "lang";
    case CueNodeType::Text: return "text";
    case CueNodeType::Timestamp: return "timestamp";
  }
  return "root";
}

std::string decode_caption_text(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size(), i = 0;
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;  // UTF-8 decode's BOM sniff
  bool after_cr = false;  // a CR was just written as LF: an LF right after it belongs to it
  auto emit = [&](char32_t cp) {
    if (cp == '\n' && after_cr) {
      after_cr = false;
      return;
    }
    after_cr = cp == '\r';
    if (cp == '\r') cp = '\n';
    if (cp == 0) cp = 0xFFFD;
    append_utf8(out, cp);
  };
  // The WHATWG UTF-8 decoder: a byte that cannot continue a sequence ends it with one U+FFFD and
  // is read again on its own.
  char32_t cp = 0;
  int needed = 0, seen = 0;
  unsigned char lower = 0x80, upper = 0xBF;
  while (i < n) {
    const unsigned char b = s[i];
    if (needed == 0) {
      ++i;
      if (b >= 0x20 && b < 0x80) {  // the common case: plain ASCII
        out.push_back(static_cast<char>(b));
        after_cr = false;
      } else if (b < 0x80) {
        emit(b);
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
        cp = b & 0x1Fu;
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
        needed = 2;
        cp = b & 0x0Fu;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
        needed = 3;
        cp = b & 0x07u;
      } else {
        emit(0xFFFD);
      }
      continue;
    }
    if (b < lower || b > upper) {
      cp = 0, needed = 0, seen = 0, lower = 0x80, upper = 0xBF;
      emit(0xFFFD);
      continue;  // the byte is read again
    }
    ++i;
    lower = 0x80, upper = 0xBF;
    cp = (cp << 6) | (b & 0x3Fu);
    if (++seen == needed) {
      emit(cp);
      cp = 0, needed = 0, seen = 0;
    }
  }
  if (needed != 0) emit(0xFFFD);
  return out;
}

void ErrorList::add(int line, std::string message) {
  if (errors_.size() >= max_) {
    ++dropped_;
    return;
  }
  errors_.push_back({line, std::move(message)});
}

CueNode* CueTreeBuilder::add(CueNodeType type, size_t at) {
  if (nodes_ >= options_.max_nodes_per_cue || node_budget_ == 0) {
    if (!full_) {
      error(at, nodes_ >= options_.max_nodes_per_cue
                    ? "cue text has more than " + std::to_string(options_.max_nodes_per_cue) + " nodes; the rest is left out"
                    : "the file's cue texts have more than " + std::to_string(options_.max_total_nodes) +
                          " nodes; the rest is left out");
    }
    full_ = true;
    return nullptr;
  }
  ++nodes_;
  --node_budget_;
  CueNode* parent = insertion_node();
  parent->children.emplace_back();
  CueNode* n = &parent->children.back();
  n->type = type;
  return n;
}

CueNode* CueTreeBuilder::open(CueNodeType type, size_t at) {
  if (stack_.size() > options_.max_depth) {
    if (!depth_reported_) error(at, "cue text: tags nested more than " + std::to_string(options_.max_depth) + " deep are flattened");
    depth_reported_ = true;
    stack_.push_back({type, nullptr});
    return nullptr;
  }
  CueNode* n = add(type, at);
  if (n) stack_.push_back({type, n});
  return n;
}

void CueTreeBuilder::error(size_t at, std::string message) {
  if (!errors_) return;
  for (; counted_ < at && counted_ < text_.size(); ++counted_)
    if (text_[counted_] == '\n') ++line_offset_;
  errors_->add(first_line_ + line_offset_, std::move(message));
}

void ErrorList::finish() {
  if (dropped_ == 0) return;
  errors_.push_back({0, std::to_string(dropped_) + " more problems were not listed"});
  dropped_ = 0;
}

std::optional<double> decimal_value(std::string_view numeral) {
  bool negative = false;
  if (!numeral.empty() && numeral[0] == '-') {
    negative = true;
    numeral.remove_prefix(1);
  }
  const size_t dot = numeral.find('.');
  std::string_view whole = numeral.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : numeral.substr(dot + 1);
  while (!whole.empty() && whole[0] == '0') whole.remove_prefix(1);
  // value = 0.DIGITS × 10^exponent, DIGITS starting with the first non-zero digit.
  long long exponent = static_cast<long long>(whole.size());
  if (whole.empty()) {
    size_t zeros = 0;
    while (zeros < fraction.size() && fraction[zeros] == '0') ++zeros;
    fraction.remove_prefix(zeros);
    if (fraction.empty()) return 0.0;
    exponent = -static_cast<long long>(zeros);
  }
  if (exponent > 310) return std::nullopt;  // at least 10^309: beyond the largest double
  if (exponent < -400) return 0.0;          // below half the smallest subnormal
  // 800 significant digits, and a final 1 standing for any non-zero digit beyond them, round
  // exactly as all the digits would: no halfway point between doubles needs more than 767.
  constexpr size_t kKeptDigits = 800;
  std::string text = "0.";
  bool sticky = false;
  for (std::string_view part : {whole, fraction}) {
    for (const char c : part) {
      if (text.size() - 2 < kKeptDigits) text.push_back(c);
      else if (c != '0') {
        sticky = true;
        break;
      }
    }
    if (sticky) break;
  }
  if (sticky) text.push_back('1');
  text += 'e';
  text += std::to_string(exponent);
  const double value = std::strtod(text.c_str(), nullptr);  // correctly rounded in glibc and musl
  if (std::isinf(value)) return std::nullopt;
  if (value == 0) return 0.0;
  return negative ? -value : value;
}

size_t tree_depth(const CueNode& node) {
  size_t deepest = 0;
  for (const CueNode& child : node.children) {
    const size_t d = tree_depth(child) + 1;
    if (d > deepest) deepest = d;
  }
  return deepest;
}

namespace {
void append_text(const CueNode& node, std::string& out) {
  if (node.type == CueNodeType::Text) {
    out += node.value;
    return;
  }
  for (const CueNode& child : node.children) append_text(child, out);
}
}  // namespace

std::string plain_text(const CueNode& tree) {
  std::string out;
  append_text(tree, out);
  return out;
}

}  // namespace tessera::captions
