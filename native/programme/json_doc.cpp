#include "programme/json_doc.h"
#include "text/utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

namespace tessera {

// A strict RFC 8259 reader (what JSON.parse accepts, with UTF-8 checked), iterative so nesting
// cannot exhaust the stack. Finished values wait on a stack; when a container closes, its
// children move to the document as one contiguous block, so every container's children are
// adjacent.
class JsonDocBuilder {
 public:
  using Node = JsonNode;
  using Type = JsonNode::Type;

  JsonDocBuilder(JsonDoc& doc, std::string_view text, size_t max_depth) : doc_(doc), t_(text), max_depth_(max_depth) {
    doc_.arena_.reserve(text.size());  // decoded strings are never longer than their JSON text
    pending_.reserve(256);
  }

  bool run() {
    if (t_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;  // a UTF-8 byte order mark, as editors write
    skip_ws();
    while (true) {
      if (!value()) return false;
      // After a value: close containers or move to the next member/element.
      while (true) {
        skip_ws();
        if (opens_.empty()) {
          if (i_ != t_.size()) return fail("unexpected text after the JSON value");
          doc_.nodes_.push_back(pending_.back());
          return true;
        }
        const bool object = pending_[opens_.back() - 1].type == Type::Object;
        if (i_ < t_.size() && t_[i_] == ',') {
          ++i_;
          skip_ws();
          if (object && !member_key()) return false;
          break;
        }
        if (i_ < t_.size() && t_[i_] == (object ? '}' : ']')) {
          ++i_;
          close(object);
          continue;
        }
        return fail(object ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element");
      }
    }
  }

 private:
  void skip_ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r' || t_[i_] == '\t')) ++i_;
  }
  bool fail(const char* message) {
    doc_.error_.offset = std::min(i_, t_.size());
    doc_.error_.message = message;
    if (i_ >= t_.size()) doc_.error_.message += " (the text ends early)";
    return false;
  }

  // One value; containers are opened (their contents follow in run()'s loop).
  bool value() {
    if (i_ >= t_.size()) return fail("expected a value");
    Node n;
    n.offset = static_cast<uint32_t>(i_);
    const char c = t_[i_];
    switch (c) {
      case '{':
      case '[': {
        if (opens_.size() >= max_depth_) {
          doc_.error_.too_deep = true;
          doc_.error_.offset = i_;
          doc_.error_.message = "nested deeper than " + std::to_string(max_depth_) + " levels";
          return false;
        }
        ++i_;
        n.type = c == '{' ? Type::Object : Type::Array;
        push(n);
        opens_.push_back(pending_.size());
        skip_ws();
        if (i_ < t_.size() && t_[i_] == (c == '{' ? '}' : ']')) {  // empty
          ++i_;
          close(c == '{');
          return true;
        }
        if (c == '{') return member_key() && value();
        skip_ws();
        return value();
      }
      case '"':
        n.type = Type::String;
        if (!string(n.text_offset, n.text_length)) return false;
        push(n);
        return true;
      case 't': return literal("true", n, Type::Boolean, true);
      case 'f': return literal("false", n, Type::Boolean, false);
      case 'n': return literal("null", n, Type::Null, false);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(n);
        return fail("expected a value");
    }
  }

  // `"key" :` inside an object, then whitespace before the value.
  bool member_key() {
    if (i_ >= t_.size() || t_[i_] != '"') return fail("expected a string key");
    if (!string(key_offset_, key_length_)) return false;
    skip_ws();
    if (i_ >= t_.size() || t_[i_] != ':') return fail("expected ':' after an object key");
    ++i_;
    skip_ws();
    return true;
  }

  bool literal(const char* word, Node& n, Type type, bool b) {
    const size_t len = std::char_traits<char>::length(word);
    if (t_.substr(i_, len) != word) return fail("expected a value");
    i_ += len;
    n.type = type;
    n.boolean = b;
    push(n);
    return true;
  }

  bool number(Node& n) {
    const size_t start = i_;
    bool integer = true;
    if (t_[i_] == '-') ++i_;
    if (i_ >= t_.size() || t_[i_] < '0' || t_[i_] > '9') return fail("expected a digit");
    if (t_[i_] == '0') ++i_;
    else while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    if (i_ < t_.size() && t_[i_] == '.') {
      integer = false;
      ++i_;
      if (i_ >= t_.size() || t_[i_] < '0' || t_[i_] > '9') return fail("expected a digit after '.'");
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      integer = false;
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (i_ >= t_.size() || t_[i_] < '0' || t_[i_] > '9') return fail("expected a digit in the exponent");
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    }
    const std::string_view digits = t_.substr(start, i_ - start);
    double v = 0;
    if (integer && digits.size() <= 16) {  // exact: fewer than 2^53
      const bool negative = digits[0] == '-';
      for (size_t k = negative ? 1 : 0; k < digits.size(); ++k) v = v * 10 + (digits[k] - '0');
      if (negative) v = -v;
    } else {
      const std::string copy(digits);  // strtod needs a terminated string; it rounds correctly
      v = std::strtod(copy.c_str(), nullptr);
      if (!std::isfinite(v)) {
        i_ = start;
        return fail("number out of range");
      }
    }
    n.type = Type::Number;
    n.number = v;
    n.integer = integer;
    push(n);
    return true;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool hex4(unsigned& out) {
    if (i_ + 4 > t_.size()) return fail("expected four hex digits after \\u");
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const int h = hex(t_[i_ + static_cast<size_t>(k)]);
      if (h < 0) return fail("expected four hex digits after \\u");
      out = out * 16 + static_cast<unsigned>(h);
    }
    i_ += 4;
    return true;
  }
  void append_utf8(unsigned cp) { tessera::append_utf8(doc_.arena_, cp); }

  // Length of the valid UTF-8 sequence at i_ (lead byte >= 0x80), or 0.
  size_t utf8_sequence() const {
    const auto b = [&](size_t k) { return i_ + k < t_.size() ? static_cast<unsigned char>(t_[i_ + k]) : 0u; };
    const unsigned c0 = b(0);
    const auto cont = [&](size_t k) { return (b(k) & 0xC0) == 0x80; };
    if (c0 >= 0xC2 && c0 <= 0xDF) return cont(1) ? 2 : 0;
    if (c0 >= 0xE0 && c0 <= 0xEF) {
      const unsigned c1 = b(1);
      if (c0 == 0xE0 && c1 < 0xA0) return 0;  // overlong
      if (c0 == 0xED && c1 > 0x9F) return 0;  // UTF-16 surrogates
      return cont(1) && cont(2) ? 3 : 0;
    }
    if (c0 >= 0xF0 && c0 <= 0xF4) {
      const unsigned c1 = b(1);
      if (c0 == 0xF0 && c1 < 0x90) return 0;  // overlong
      if (c0 == 0xF4 && c1 > 0x8F) return 0;  // past U+10FFFF
      return cont(1) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
  }

  // A string literal at i_ (the opening quote), decoded into the arena.
  bool string(uint32_t& offset, uint32_t& length) {
    ++i_;
    std::string& a = doc_.arena_;
    offset = static_cast<uint32_t>(a.size());
    while (true) {
      const size_t run = i_;
      while (i_ < t_.size()) {
        const auto c = static_cast<unsigned char>(t_[i_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++i_;
      }
      a.append(t_.data() + run, i_ - run);
      if (i_ >= t_.size()) return fail("unterminated string");
      const auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        length = static_cast<uint32_t>(a.size() - offset);
        return true;
      }
      if (c < 0x20) return fail("control character in a string (escape it)");
      if (c >= 0x80) {
        const size_t len = utf8_sequence();
        if (!len) return fail("invalid UTF-8 in a string");
        a.append(t_.data() + i_, len);
        i_ += len;
        continue;
      }
      ++i_;  // backslash
      if (i_ >= t_.size()) return fail("unterminated string");
      const char e = t_[i_++];
      switch (e) {
        case '"': a.push_back('"'); break;
        case '\\': a.push_back('\\'); break;
        case '/': a.push_back('/'); break;
        case 'b': a.push_back('\b'); break;
        case 'f': a.push_back('\f'); break;
        case 'n': a.push_back('\n'); break;
        case 'r': a.push_back('\r'); break;
        case 't': a.push_back('\t'); break;
        case 'u': {
          unsigned cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("unpaired UTF-16 surrogate in a \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low = 0;
            if (t_.substr(i_, 2) != "\\u") return fail("unpaired UTF-16 surrogate in a \\u escape");
            i_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("unpaired UTF-16 surrogate in a \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(cp);
          break;
        }
        default:
          --i_;
          return fail("invalid escape in a string");
      }
    }
  }

  void push(Node n) {
    if (!opens_.empty() && pending_[opens_.back() - 1].type == Type::Object) {
      n.key_offset = key_offset_;
      n.key_length = key_length_;
    }
    pending_.push_back(n);
  }
  void close(bool object) {
    const size_t begin = opens_.back();
    opens_.pop_back();
    if (object) drop_duplicate_keys(begin);
    Node& container = pending_[begin - 1];
    container.first = static_cast<uint32_t>(doc_.nodes_.size());
    container.count = static_cast<uint32_t>(pending_.size() - begin);
    doc_.nodes_.insert(doc_.nodes_.end(), pending_.begin() + static_cast<std::ptrdiff_t>(begin), pending_.end());
    pending_.resize(begin);
  }
  std::string_view key_of(const Node& n) const { return doc_.arena_text(n.key_offset, n.key_length); }

  // JSON.parse: the first key's position, the last key's value.
  void drop_duplicate_keys(size_t begin) {
    const size_t n = pending_.size() - begin;
    if (n < 2) return;
    bool duplicates = false;
    if (n <= 8) {
      for (size_t i = begin; i < pending_.size() && !duplicates; ++i)
        for (size_t j = i + 1; j < pending_.size() && !duplicates; ++j) duplicates = key_of(pending_[i]) == key_of(pending_[j]);
    } else {
      std::vector<std::string_view> keys;
      keys.reserve(n);
      for (size_t i = begin; i < pending_.size(); ++i) keys.push_back(key_of(pending_[i]));
      std::sort(keys.begin(), keys.end());
      duplicates = std::adjacent_find(keys.begin(), keys.end()) != keys.end();
    }
    if (!duplicates) return;
    std::unordered_map<std::string_view, size_t> first;  // key → position in `kept`
    std::vector<Node> kept;
    for (size_t i = begin; i < pending_.size(); ++i) {
      auto [it, inserted] = first.emplace(key_of(pending_[i]), kept.size());
      if (inserted) {
        kept.push_back(pending_[i]);
      } else {
        Node& slot = kept[it->second];
        const uint32_t ko = slot.key_offset, kl = slot.key_length;
        slot = pending_[i];
        slot.key_offset = ko;
        slot.key_length = kl;
      }
    }
    pending_.resize(begin);
    pending_.insert(pending_.end(), kept.begin(), kept.end());
  }

  JsonDoc& doc_;
  std::string_view t_;
  size_t i_ = 0;
  const size_t max_depth_;
  std::vector<Node> pending_;   // values not yet placed (open containers and their children so far)
  std::vector<size_t> opens_;   // for each open container: where its children start in pending_
  uint32_t key_offset_ = 0, key_length_ = 0;
};

JsonDoc::JsonDoc(std::string_view text, size_t max_depth) : text_(text) {
  if (text.size() >= UINT32_MAX) {
    error_.message = "document too large";
    return;
  }
  ok_ = JsonDocBuilder(*this, text, max_depth).run();
  if (!ok_) nodes_.clear();
}

size_t JsonDoc::locate(std::string_view pointer) const {
  if (!ok_) return 0;
  JsonView at = root();
  std::string segment;
  size_t i = 0;
  while (i < pointer.size() && pointer[i] == '/') {
    const size_t end = std::min(pointer.find('/', i + 1), pointer.size());
    segment.clear();
    for (size_t k = i + 1; k < end; ++k) {  // RFC 6901: ~1 is '/', ~0 is '~'
      if (pointer[k] == '~' && k + 1 < end && (pointer[k + 1] == '0' || pointer[k + 1] == '1')) {
        segment.push_back(pointer[k + 1] == '0' ? '~' : '/');
        ++k;
      } else {
        segment.push_back(pointer[k]);
      }
    }
    JsonView next;
    if (at.is_object()) {
      next = at.find(segment);
    } else if (at.is_array() && !segment.empty() && segment.size() < 10 &&
               segment.find_first_not_of("0123456789") == std::string::npos) {
      next = at[std::stoul(segment)];
    }
    if (!next) break;  // the nearest existing ancestor
    at = next;
    i = end;
  }
  return nodes_[at.index_].offset;
}

TextPosition JsonDoc::position(size_t offset) const {
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i)
      if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line = static_cast<size_t>(it - line_starts_.begin());  // 1-based
  return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
}

// ---- JsonView ---------------------------------------------------------------------------------

const JsonNode& JsonView::node() const { return doc_->nodes_[index_]; }

bool JsonView::is_null() const { return doc_ && node().type == JsonNode::Type::Null; }
bool JsonView::is_boolean() const { return doc_ && node().type == JsonNode::Type::Boolean; }
bool JsonView::is_number() const { return doc_ && node().type == JsonNode::Type::Number; }
bool JsonView::is_number_integer() const { return is_number() && node().integer; }
bool JsonView::is_string() const { return doc_ && node().type == JsonNode::Type::String; }
bool JsonView::is_array() const { return doc_ && node().type == JsonNode::Type::Array; }
bool JsonView::is_object() const { return doc_ && node().type == JsonNode::Type::Object; }
bool JsonView::boolean() const { return is_boolean() && node().boolean; }
double JsonView::number() const { return is_number() ? node().number : 0.0; }

std::string_view JsonView::string() const {
  if (!is_string()) return {};
  return doc_->arena_text(node().text_offset, node().text_length);
}

size_t JsonView::size() const { return is_array() || is_object() ? node().count : 0; }

JsonView JsonView::operator[](size_t i) const {
  if (i >= size()) return {};
  return {doc_, static_cast<uint32_t>(node().first + i)};
}

std::string_view JsonView::key(size_t i) const {
  if (!is_object() || i >= size()) return {};
  const JsonNode& member = doc_->nodes_[node().first + i];
  return doc_->arena_text(member.key_offset, member.key_length);
}

JsonView JsonView::find(std::string_view k) const {
  if (!is_object()) return {};
  const JsonNode& n = node();
  for (uint32_t i = 0; i < n.count; ++i) {
    const JsonNode& member = doc_->nodes_[n.first + i];
    if (doc_->arena_text(member.key_offset, member.key_length) == k) return {doc_, n.first + i};
  }
  return {};
}

nlohmann::ordered_json JsonView::to_json() const {
  using json = nlohmann::ordered_json;
  if (!doc_) return nullptr;
  const JsonNode& n = node();
  switch (n.type) {
    case JsonNode::Type::Null: return nullptr;
    case JsonNode::Type::Boolean: return n.boolean;
    case JsonNode::Type::Number:
      if (n.integer && std::fabs(n.number) < 9223372036854775808.0) return static_cast<int64_t>(n.number);
      return n.number;
    case JsonNode::Type::String: return std::string(string());
    case JsonNode::Type::Array: {
      json a = json::array();
      for (size_t i = 0; i < n.count; ++i) a.push_back((*this)[i].to_json());
      return a;
    }
    case JsonNode::Type::Object: {
      json o = json::object();
      for (size_t i = 0; i < n.count; ++i) o[std::string(key(i))] = (*this)[i].to_json();
      return o;
    }
  }
  return nullptr;
}

}  // namespace tessera
