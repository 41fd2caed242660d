// A read-only JSON document in one flat block: what the programme validator reads.
//
// The engine's own strict reader puts the values into one vector of nodes whose containers hold
// their children contiguously, and every string and key into one arena sized to the text.
// Building a programme's document is a handful of allocations instead of one per value, looking
// a key up never allocates, and every node knows where it starts in the text, so diagnostics get
// their line and column without a second pass. (nlohmann's ordered DOM spent five of every six
// milliseconds of parsing a large programme on allocation and linear duplicate-key scans, and its
// lexer, which copies every character twice, was slow in wasm.)
//
// Object keys follow JSON.parse: a duplicated key keeps the first key's position and the last
// value. Numbers are doubles (as in JavaScript) with a note of whether the text was an integer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "programme/json_locator.h"  // TextPosition

namespace tessera {

// One value of a JsonDoc (internal to JsonDoc and JsonView).
struct JsonNode {
  enum class Type : uint8_t { Null, Boolean, Number, String, Array, Object };
  Type type = Type::Null;
  bool integer = false;      // numbers: written as an integer
  bool boolean = false;
  uint32_t count = 0;        // containers: children, stored at nodes_[first, first + count)
  uint32_t first = 0;
  uint32_t key_offset = 0;   // the member key of this node (in its parent object), in the arena
  uint32_t key_length = 0;
  uint32_t text_offset = 0;  // strings, in the arena
  uint32_t text_length = 0;
  uint32_t offset = 0;       // where the value starts in the text
  double number = 0;
};

class JsonDoc;

// A value in a JsonDoc, or nothing (a missing member). Cheap to copy; valid while its JsonDoc is.
// It reads like a pointer where that helps (`if (v)`, `v->size()`, `*v`) so code that held
// `const ordered_json*` reads the same.
class JsonView {
 public:
  JsonView() = default;

  explicit operator bool() const { return doc_ != nullptr; }
  const JsonView* operator->() const { return this; }
  JsonView operator*() const { return *this; }

  bool is_null() const;
  bool is_boolean() const;
  bool is_number() const;
  bool is_number_integer() const;  // a number written without fraction or exponent
  bool is_string() const;
  bool is_array() const;
  bool is_object() const;

  bool boolean() const;
  double number() const;
  std::string_view string() const;  // "" unless a string

  size_t size() const;  // elements or members; 0 for other values
  bool empty() const { return size() == 0; }
  JsonView operator[](size_t i) const;  // element (arrays) or member value (objects)
  std::string_view key(size_t i) const;  // member key (objects)
  JsonView find(std::string_view key) const;  // member value, or nothing
  bool contains(std::string_view key) const { return static_cast<bool>(find(key)); }

  // Iterates elements (arrays) or member values (objects, with key()).
  class iterator {
   public:
    iterator(const JsonView* parent, size_t i) : parent_(parent), i_(i) {}
    JsonView operator*() const { return (*parent_)[i_]; }
    JsonView value() const { return (*parent_)[i_]; }
    std::string key() const { return std::string(parent_->key(i_)); }
    iterator& operator++() { ++i_; return *this; }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const JsonView* parent_;
    size_t i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

  // The value as an nlohmann document (for the parts of a programme kept as JSON).
  nlohmann::ordered_json to_json() const;
  std::string dump() const { return to_json().dump(); }

 private:
  friend class JsonDoc;
  JsonView(const JsonDoc* doc, uint32_t index) : doc_(doc), index_(index) {}
  const JsonNode& node() const;
  const JsonDoc* doc_ = nullptr;  // null: nothing
  uint32_t index_ = 0;
};

class JsonDoc {
 public:
  struct ParseError {
    size_t offset = 0;     // byte offset of the error in the text
    std::string message;   // what was expected
    bool too_deep = false;  // nesting went past max_depth (no offset)
  };

  // Parses `text`, whose arrays and objects may nest max_depth deep; on failure root() is
  // nothing and error() says why. The text must outlive the document (positions read it).
  JsonDoc(std::string_view text, size_t max_depth);
  JsonDoc(const JsonDoc&) = delete;
  JsonDoc& operator=(const JsonDoc&) = delete;

  bool ok() const { return ok_; }
  const ParseError& error() const { return error_; }
  JsonView root() const { return ok_ ? JsonView(this, static_cast<uint32_t>(nodes_.size() - 1)) : JsonView(); }

  // Byte offset of the value at an RFC 6901 pointer, or of its nearest existing ancestor.
  size_t locate(std::string_view pointer) const;
  // Line and column (1-based, bytes) of a byte offset.
  TextPosition position(size_t offset) const;

 private:
  friend class JsonView;
  friend class JsonDocBuilder;
  std::string_view arena_text(uint32_t offset, uint32_t length) const { return {arena_.data() + offset, length}; }

  std::string_view text_;
  std::vector<JsonNode> nodes_;
  std::string arena_;
  mutable std::vector<size_t> line_starts_;  // filled on the first position() call
  bool ok_ = false;
  ParseError error_;
};

}  // namespace tessera
