#include "programme/json_locator.h"

#include <algorithm>
#include <vector>


namespace tessera {

namespace {

class Scanner {
 public:
  Scanner(std::string_view text, const std::unordered_set<std::string>& wanted, std::unordered_map<std::string, size_t>& out)
      : t_(text), wanted_(wanted), out_(out) {}

  void run() {
    skip_ws();
    value();
  }

 private:
  std::string_view t_;
  const std::unordered_set<std::string>& wanted_;
  std::unordered_map<std::string, size_t>& out_;
  std::string pointer_;  // grows and shrinks with the walk: no allocation per value
  size_t i_ = 0;
  int depth_ = 0;

  void skip_ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }

  // Appends a JSON string's contents (starting at '"') to the pointer, escaped as RFC 6901 wants.
  void append_key() {
    ++i_;  // opening quote
    while (i_ < t_.size() && t_[i_] != '"') {
      char c = t_[i_++];
      if (c == '\\' && i_ < t_.size()) {
        const char e = t_[i_++];
        switch (e) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'r': c = '\r'; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'u': {
            unsigned cp = 0;
            for (int k = 0; k < 4 && i_ < t_.size(); ++k, ++i_) {
              const char h = t_[i_];
              cp = cp * 16 + static_cast<unsigned>(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
            }
            if (cp < 0x80) { c = static_cast<char>(cp); break; }
            if (cp < 0x800) { pointer_.push_back(static_cast<char>(0xC0 | (cp >> 6))); c = static_cast<char>(0x80 | (cp & 0x3F)); break; }
            pointer_.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            pointer_.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            c = static_cast<char>(0x80 | (cp & 0x3F));
            break;
          }
          default: c = e;
        }
      }
      if (c == '~') pointer_ += "~0";
      else if (c == '/') pointer_ += "~1";
      else pointer_.push_back(c);
    }
    if (i_ < t_.size()) ++i_;  // closing quote
  }

  void skip_string() {
    ++i_;
    while (i_ < t_.size() && t_[i_] != '"') i_ += t_[i_] == '\\' ? 2 : 1;
    if (i_ < t_.size()) ++i_;
  }

  // Skips one value without building pointers (a subtree no wanted pointer lies in).
  void skip_value() {
    int depth = 0;
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c == '"') { skip_string(); if (depth == 0) return; continue; }
      if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') {
        if (depth == 0) return;  // the end of the enclosing container: not ours
        if (--depth == 0) { ++i_; return; }
      } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
        return;
      }
      ++i_;
    }
  }

  void value() {
    if (i_ >= t_.size() || ++depth_ > 512) return;
    // `wanted_` holds every wanted pointer and all its ancestors: elsewhere, skip the subtree.
    if (!wanted_.count(pointer_)) {
      skip_value();
      --depth_;
      return;
    }
    out_.emplace(pointer_, i_);
    const char c = t_[i_];
    if (c == '{') {
      ++i_;
      skip_ws();
      while (i_ < t_.size() && t_[i_] == '"') {
        const size_t mark = pointer_.size();
        pointer_.push_back('/');
        append_key();
        skip_ws();
        if (i_ < t_.size() && t_[i_] == ':') ++i_;
        skip_ws();
        value();
        pointer_.resize(mark);
        skip_ws();
        if (i_ < t_.size() && t_[i_] == ',') { ++i_; skip_ws(); }
      }
      if (i_ < t_.size()) ++i_;
    } else if (c == '[') {
      ++i_;
      skip_ws();
      size_t index = 0;
      while (i_ < t_.size() && t_[i_] != ']') {
        const size_t mark = pointer_.size();
        pointer_.push_back('/');
        pointer_ += std::to_string(index++);
        value();
        pointer_.resize(mark);
        skip_ws();
        if (i_ < t_.size() && t_[i_] == ',') { ++i_; skip_ws(); }
        else break;
      }
      if (i_ < t_.size() && t_[i_] == ']') ++i_;
    } else if (c == '"') {
      skip_string();
    } else {
      while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' && t_[i_] != ' ' && t_[i_] != '\n' &&
             t_[i_] != '\r' && t_[i_] != '\t')
        ++i_;
    }
    --depth_;
  }
};

}  // namespace

JsonLocator::JsonLocator(std::string_view text, const std::vector<std::string>& wanted) : text_(text) {
  std::unordered_set<std::string> set;
  for (const std::string& w : wanted) {
    std::string p = w;
    while (true) {  // the pointer and its ancestors (fallback when the exact value is absent)
      if (!set.insert(p).second || p.empty()) break;
      p.erase(p.rfind('/'));
    }
  }
  Scanner(text, set, offsets_).run();
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts_.push_back(i + 1);
}

TextPosition position_of_offset(std::string_view text, size_t offset) {
  TextPosition p{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') { ++p.line; p.column = 1; }
    else ++p.column;
  }
  return p;
}

TextPosition JsonLocator::position_of(size_t offset) const {
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line = static_cast<size_t>(it - line_starts_.begin());  // 1-based
  return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
}

TextPosition JsonLocator::locate(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    auto it = offsets_.find(p);
    if (it != offsets_.end()) return position_of(it->second);
    if (p.empty()) return {};
    p.erase(p.rfind('/'));
  }
}

int json_nesting_depth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c == '}' || c == ']') --depth;
  }
  return deepest;
}

}  // namespace tessera
