// JavaScript values and the JavaScript coercions JSONLogic depends on (ToString, ToNumber,
// parseFloat, ==, <, +, Number.prototype.toString), so the engine's JSONLogic matches json-logic-js
// bit for bit. Strings are UTF-16 like JS strings (comparisons, substr and indexes count code
// units). Values are immutable; arrays and objects are shared and have identity, as in JS.
// Every operation that can build or scan something large charges a Budget, which stops the
// evaluation (never the process) when a limit is reached.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::logic {

// What untrusted rules and data may cost. Defaults are documented in docs/json-logic.md.
struct Limits {
  size_t max_input_bytes = 4u << 20;     // size of the rule's and of the data's JSON text (each)
  uint32_t max_depth = 256;              // operations/arrays being evaluated inside each other
  uint32_t max_json_depth = 512;         // nesting of input JSON and of values built while evaluating
  uint64_t max_steps = 1'000'000;        // rule nodes evaluated, plus 1 per 64 code units/elements scanned
  size_t max_string_length = 1'000'000;  // UTF-16 code units in any string built
  size_t max_array_length = 100'000;     // elements in any array built
  size_t max_allocation_bytes = 128u << 20;  // total bytes of strings and arrays built (cumulative)
  size_t max_result_bytes = 16u << 20;   // size of the result as JSON text
};

enum class Type : uint8_t { Undefined, Null, Boolean, Number, String, Array, Object };

class Value;
using Array = std::vector<Value>;
using Member = std::pair<std::u16string, Value>;

class Value {
 public:
  Value() = default;  // undefined
  static Value null();
  static Value boolean(bool b);
  static Value number(double n);
  static Value string(std::u16string s);
  static Value array(Array items);
  // Keys must be unique; order is insertion order (what JSON.parse would have created).
  static Value object(std::vector<Member> members);

  Type type() const { return type_; }
  bool is_undefined() const { return type_ == Type::Undefined; }
  bool is_null() const { return type_ == Type::Null; }
  bool is_nullish() const { return type_ == Type::Undefined || type_ == Type::Null; }
  bool is_number() const { return type_ == Type::Number; }
  bool is_string() const { return type_ == Type::String; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_object() const { return type_ == Type::Object; }

  bool boolean_value() const { return boolean_; }
  double number_value() const { return number_; }
  inline const std::u16string& string_value() const;
  inline const Array& array_items() const;
  inline const std::vector<Member>& object_members() const;
  // Own property of an object (nullptr if absent).
  inline const Value* find_member(std::u16string_view key) const;
  // 0 for primitives, 1 + the deepest element for arrays and objects.
  inline uint32_t depth() const;
  // Arrays and objects compare by identity (JS ===); this is that identity.
  const void* identity() const { return heap_.get(); }

  struct Heap;

 private:
  const Value* find_sorted_member(std::u16string_view key) const;

  Type type_ = Type::Undefined;
  bool boolean_ = false;
  double number_ = 0;
  std::shared_ptr<const Heap> heap_;
};

// ---- storage (in the header so the evaluator's accessors inline) -------------------------------

struct Value::Heap {
  uint32_t depth = 0;
};

namespace detail {

struct StringHeap : Value::Heap {
  std::u16string text;
};
struct ArrayHeap : Value::Heap {
  Array items;
};
struct ObjectHeap : Value::Heap {
  std::vector<Member> members;
  std::vector<uint32_t> sorted;  // member indexes ordered by key, for lookups in large objects
};

extern const std::u16string kEmptyString;
extern const Array kEmptyArray;
extern const std::vector<Member> kEmptyMembers;

inline bool same_text(std::u16string_view a, std::u16string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace detail

const std::u16string& Value::string_value() const {
  return type_ == Type::String ? static_cast<const detail::StringHeap*>(heap_.get())->text : detail::kEmptyString;
}

const Array& Value::array_items() const {
  return type_ == Type::Array ? static_cast<const detail::ArrayHeap*>(heap_.get())->items : detail::kEmptyArray;
}

const std::vector<Member>& Value::object_members() const {
  return type_ == Type::Object ? static_cast<const detail::ObjectHeap*>(heap_.get())->members : detail::kEmptyMembers;
}

const Value* Value::find_member(std::u16string_view key) const {
  if (type_ != Type::Object) return nullptr;
  const auto* heap = static_cast<const detail::ObjectHeap*>(heap_.get());
  if (!heap->sorted.empty()) return find_sorted_member(key);
  for (const Member& m : heap->members) {
    if (detail::same_text(m.first, key)) return &m.second;
  }
  return nullptr;
}

uint32_t Value::depth() const { return heap_ ? heap_->depth : 0; }

// Counts the work of one evaluation and holds its first error. Operations that fail set the
// error and return a harmless value; callers check failed().
class Budget {
 public:
  explicit Budget(const Limits& limits) : limits_(limits) {}
  const Limits& limits() const { return limits_; }
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }
  // Records the first error; always returns false so callers can `return budget.fail(...)`.
  bool fail(std::string message);
  bool step() {  // one rule node
    if (failed()) return false;
    ++steps_;
    return steps_ + scanned_ / kUnitsPerStep <= limits_.max_steps || exceeded();
  }
  bool scan(size_t units) {  // code units or elements compared or searched
    if (failed()) return false;
    scanned_ += units;
    return steps_ + scanned_ / kUnitsPerStep <= limits_.max_steps || exceeded();
  }
  bool allocate_string(size_t length);
  bool allocate_array(size_t length);
  // Checks the depth of a value just built.
  bool check_depth(const Value& v);

 private:
  static constexpr uint64_t kUnitsPerStep = 64;
  bool exceeded();  // fails with the step limit's message

  const Limits& limits_;
  uint64_t steps_ = 0;
  uint64_t scanned_ = 0;
  uint64_t allocated_ = 0;
  bool failed_ = false;
  std::string error_;
};

// Member positions ordered by key (ties by position): lookups and duplicate-key removal.
std::vector<uint32_t> members_by_key(const std::vector<Member>& members);

// ---- UTF conversions ---------------------------------------------------------------------------
// Invalid UTF-8 becomes U+FFFD; unpaired surrogates become U+FFFD in UTF-8 output.
std::u16string utf8_to_utf16(std::string_view text);
std::string utf16_to_utf8(std::u16string_view text);

// ---- JavaScript semantics ------------------------------------------------------------------------
bool is_js_whitespace(char16_t c);
// Number.prototype.toString(): shortest round-trip digits, JS layout ("1e+21", "1e-7", "-0" → "0").
std::string number_to_string(double n);
// StringToNumber: trims JS whitespace; "" → 0; 0x/0o/0b; Infinity; anything else invalid → NaN.
double string_to_number(std::u16string_view s);
// parseFloat on a string: the longest decimal prefix after leading whitespace, else NaN.
double parse_float_string(std::u16string_view s);

// JS ToBoolean.
inline bool js_truthy(const Value& v) {
  switch (v.type()) {
    case Type::Undefined:
    case Type::Null:
      return false;
    case Type::Boolean:
      return v.boolean_value();
    case Type::Number:
      return !(v.number_value() == 0 || v.number_value() != v.number_value());  // 0 and NaN
    case Type::String:
      return !v.string_value().empty();
    case Type::Array:
    case Type::Object:
      return true;
  }
  return false;
}
// jsonLogic.truthy: JS ToBoolean, except that an empty array is false.
inline bool logic_truthy(const Value& v) {
  if (v.is_array() && v.array_items().empty()) return false;
  return js_truthy(v);
}

// ToString / ToNumber / parseFloat / ToPrimitive (plain objects become "[object Object]"; an
// object with its own "toString" key cannot be converted, as in JS, and fails).
std::u16string to_string(const Value& v, Budget& budget);
double to_number(const Value& v, Budget& budget);
double parse_float(const Value& v, Budget& budget);
Value to_primitive(const Value& v, Budget& budget);
double to_integer_or_infinity(double n);

bool strictly_equal(const Value& a, const Value& b, Budget& budget);  // ===
bool loosely_equal(const Value& a, const Value& b, Budget& budget);   // ==
// a < b: 1 true, 0 false, -1 undefined (a NaN was involved).
int less_than(const Value& a, const Value& b, Budget& budget);
Value add(const Value& a, const Value& b, Budget& budget);  // the JS + operator

// A canonical array index ("0", "17"; not "01", "-0", "1e3") below limit, or -1.
int64_t array_index(std::u16string_view key, uint64_t limit);

// base[key] for own data (object members, array elements and "length", string code units and
// "length"). Inherited properties (methods, "constructor", "__proto__") are never returned:
// they are functions, which JSON cannot carry.
Value get_property(const Value& base, std::u16string_view key, Budget& budget);

// JSON.stringify (undefined and non-finite numbers become null; object keys in JS order: array
// indexes ascending, then insertion order; unpaired surrogates escaped as \uXXXX).
// Returns false (and sets the budget's error) when the text would exceed max_result_bytes.
bool to_json(const Value& v, std::string& out, Budget& budget);
// A JSON string literal for UTF-8 text (invalid sequences become U+FFFD).
std::string json_quote(std::string_view utf8);

}  // namespace tessera::logic
