// JavaScript values and coercions for the JSONLogic evaluator (see js_value.h). The reference is
// ECMAScript itself as V8 implements it (what json-logic-js runs on); comments name the spec
// operation each function mirrors.
#include "logic/js_value.h"
#include "text/utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tessera::logic {

// ---- storage -----------------------------------------------------------------------------------

namespace detail {
const std::u16string kEmptyString;
const Array kEmptyArray;
const std::vector<Member> kEmptyMembers;
}  // namespace detail

namespace {
using detail::ArrayHeap;
using detail::ObjectHeap;
using detail::StringHeap;
constexpr size_t kLinearLookup = 8;
}  // namespace

std::vector<uint32_t> members_by_key(const std::vector<Member>& members) {
  std::vector<uint32_t> order(members.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&members](uint32_t a, uint32_t b) {
    const int c = members[a].first.compare(members[b].first);
    return c < 0 || (c == 0 && a < b);
  });
  return order;
}

Value Value::null() {
  Value v;
  v.type_ = Type::Null;
  return v;
}

Value Value::boolean(bool b) {
  Value v;
  v.type_ = Type::Boolean;
  v.boolean_ = b;
  return v;
}

Value Value::number(double n) {
  Value v;
  v.type_ = Type::Number;
  v.number_ = n;
  return v;
}

Value Value::string(std::u16string s) {
  auto heap = std::make_shared<StringHeap>();
  heap->text = std::move(s);
  Value v;
  v.type_ = Type::String;
  v.heap_ = std::move(heap);
  return v;
}

Value Value::array(Array items) {
  auto heap = std::make_shared<ArrayHeap>();
  uint32_t deepest = 0;
  for (const Value& item : items) deepest = std::max(deepest, item.depth());
  heap->depth = deepest + 1;
  heap->items = std::move(items);
  Value v;
  v.type_ = Type::Array;
  v.heap_ = std::move(heap);
  return v;
}

Value Value::object(std::vector<Member> members) {
  auto heap = std::make_shared<ObjectHeap>();
  uint32_t deepest = 0;
  for (const Member& m : members) deepest = std::max(deepest, m.second.depth());
  heap->depth = deepest + 1;
  heap->members = std::move(members);
  if (heap->members.size() > kLinearLookup) heap->sorted = members_by_key(heap->members);
  Value v;
  v.type_ = Type::Object;
  v.heap_ = std::move(heap);
  return v;
}

const Value* Value::find_sorted_member(std::u16string_view key) const {
  const auto* heap = static_cast<const ObjectHeap*>(heap_.get());
  const auto& ms = heap->members;
  auto it = std::lower_bound(heap->sorted.begin(), heap->sorted.end(), key,
                             [&ms](uint32_t i, std::u16string_view k) { return std::u16string_view(ms[i].first) < k; });
  if (it != heap->sorted.end() && ms[*it].first == key) return &ms[*it].second;
  return nullptr;
}

// ---- budget ------------------------------------------------------------------------------------

bool Budget::fail(std::string message) {
  if (!failed_) error_ = message.empty() ? std::string("failed") : std::move(message);
  failed_ = true;
  return false;
}

bool Budget::exceeded() { return fail("evaluation exceeded " + std::to_string(limits_.max_steps) + " steps"); }

bool Budget::allocate_string(size_t length) {
  if (failed()) return false;
  if (length > limits_.max_string_length) {
    return fail("a string would be longer than " + std::to_string(limits_.max_string_length) + " code units");
  }
  allocated_ += length * sizeof(char16_t);
  if (allocated_ > limits_.max_allocation_bytes) {
    return fail("evaluation built more than " + std::to_string(limits_.max_allocation_bytes) + " bytes");
  }
  return scan(length);
}

bool Budget::allocate_array(size_t length) {
  if (failed()) return false;
  if (length > limits_.max_array_length) {
    return fail("an array would be longer than " + std::to_string(limits_.max_array_length) + " elements");
  }
  allocated_ += length * sizeof(Value);
  if (allocated_ > limits_.max_allocation_bytes) {
    return fail("evaluation built more than " + std::to_string(limits_.max_allocation_bytes) + " bytes");
  }
  return scan(length);
}

bool Budget::check_depth(const Value& v) {
  if (v.depth() > limits_.max_json_depth) {
    return fail("a value would be nested deeper than " + std::to_string(limits_.max_json_depth) + " levels");
  }
  return !failed();
}

// ---- UTF ---------------------------------------------------------------------------------------

std::u16string utf8_to_utf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  size_t i = 0;
  const size_t n = s.size();
  auto byte = [&s](size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < n) {
    const unsigned c = byte(i);
    uint32_t cp = 0xFFFD;
    size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 < n && (byte(i + 1) & 0xC0) == 0x80) {
        cp = ((c & 0x1Fu) << 6) | (byte(i + 1) & 0x3Fu);
        len = 2;
      }
    } else if (c >= 0xE0 && c <= 0xEF) {
      const unsigned lo = c == 0xE0 ? 0xA0 : 0x80;
      const unsigned hi = c == 0xED ? 0x9F : 0xBF;
      if (i + 1 < n && byte(i + 1) >= lo && byte(i + 1) <= hi) {
        if (i + 2 < n && (byte(i + 2) & 0xC0) == 0x80) {
          cp = ((c & 0x0Fu) << 12) | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu);
          len = 3;
        } else {
          len = 2;
        }
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      const unsigned lo = c == 0xF0 ? 0x90 : 0x80;
      const unsigned hi = c == 0xF4 ? 0x8F : 0xBF;
      if (i + 1 < n && byte(i + 1) >= lo && byte(i + 1) <= hi) {
        len = 2;
        if (i + 2 < n && (byte(i + 2) & 0xC0) == 0x80) {
          len = 3;
          if (i + 3 < n && (byte(i + 3) & 0xC0) == 0x80) {
            cp = ((c & 0x07u) << 18) | ((byte(i + 1) & 0x3Fu) << 12) | ((byte(i + 2) & 0x3Fu) << 6) |
                 (byte(i + 3) & 0x3Fu);
            len = 4;
          }
        }
      }
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return out;
}

namespace {

bool is_high_surrogate(char16_t c) { return c >= 0xD800 && c <= 0xDBFF; }
bool is_low_surrogate(char16_t c) { return c >= 0xDC00 && c <= 0xDFFF; }

// Calls emit(code_point, lone) for each code point; lone marks an unpaired surrogate.
template <typename Emit>
void for_each_code_point(std::u16string_view s, Emit emit) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char16_t c = s[i];
    if (is_high_surrogate(c) && i + 1 < s.size() && is_low_surrogate(s[i + 1])) {
      emit(0x10000 + ((static_cast<uint32_t>(c) - 0xD800) << 10) + (static_cast<uint32_t>(s[i + 1]) - 0xDC00), false);
      ++i;
    } else {
      emit(static_cast<uint32_t>(c), is_high_surrogate(c) || is_low_surrogate(c));
    }
  }
}

}  // namespace

std::string utf16_to_utf8(std::u16string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_code_point(s, [&out](uint32_t cp, bool lone) { append_utf8(out, lone ? 0xFFFD : cp); });
  return out;
}

// ---- numbers -----------------------------------------------------------------------------------

bool is_js_whitespace(char16_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

namespace {

// The shortest decimal digits that round-trip to v (> 0, finite), and the decimal exponent of the
// first digit. Among equally short candidates the closest to v wins, ties to even: exactly what
// ECMAScript's Number::toString asks for. printf's %e is correctly rounded (glibc, musl), so the
// nearest p-digit decimal is the printed one; when it does not round-trip, its neighbour on the
// other side of v is the only other p-digit candidate.
void shortest_digits(double v, std::string& digits, int& exponent) {
  char buf[64];
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    const double back = std::strtod(buf, nullptr);
    std::string d;
    const char* e = buf;
    for (; *e != 'e'; ++e) {
      if (*e >= '0' && *e <= '9') d.push_back(*e);
    }
    int exp10 = std::atoi(e + 1);
    if (back == v) {
      digits = d;
      exponent = exp10;
      break;
    }
    std::string other = d;
    int other_exp = exp10;
    if (back < v) {  // step up one unit in the last place
      size_t i = other.size();
      while (i > 0 && other[i - 1] == '9') other[--i] = '0';
      if (i == 0) {
        other.insert(other.begin(), '1');
        other.pop_back();
        ++other_exp;
      } else {
        ++other[i - 1];
      }
    } else {  // step down
      size_t i = other.size();
      while (i > 0 && other[i - 1] == '0') other[--i] = '9';
      --other[i - 1];
      if (other[0] == '0') {
        other.erase(other.begin());
        other.push_back('9');
        --other_exp;
      }
    }
    std::string text = other.substr(0, 1);
    if (other.size() > 1) text += "." + other.substr(1);
    text += "e" + std::to_string(other_exp);
    if (std::strtod(text.c_str(), nullptr) == v) {
      digits = other;
      exponent = other_exp;
      break;
    }
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

}  // namespace

std::string number_to_string(double v) {
  if (std::isnan(v)) return "NaN";
  if (v == 0) return "0";
  if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
  std::string out;
  if (v < 0) {
    out.push_back('-');
    v = -v;
  }
  if (v < 9007199254740992.0 && v == std::floor(v)) {
    out += std::to_string(static_cast<uint64_t>(v));
    return out;
  }
  std::string s;
  int exp10 = 0;
  shortest_digits(v, s, exp10);
  const int k = static_cast<int>(s.size());
  const int n = exp10 + 1;
  if (k <= n && n <= 21) {
    out += s;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += s.substr(0, static_cast<size_t>(n));
    out += '.';
    out += s.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += s;
  } else {
    out += s[0];
    if (k > 1) {
      out += '.';
      out += s.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

namespace {

bool is_digit(char16_t c) { return c >= u'0' && c <= u'9'; }

// Length of the longest StrDecimalLiteral prefix of s (0 if none); sets infinity for the
// [+-]Infinity form.
size_t decimal_prefix(std::u16string_view s, bool& infinity) {
  infinity = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == u'+' || s[i] == u'-')) ++i;
  constexpr std::u16string_view kInfinity = u"Infinity";
  if (s.substr(i, kInfinity.size()) == kInfinity) {
    infinity = true;
    return i + kInfinity.size();
  }
  size_t int_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  size_t frac_digits = 0;
  if (i < s.size() && s[i] == u'.') {
    size_t j = i + 1;
    while (j < s.size() && is_digit(s[j])) ++j, ++frac_digits;
    if (int_digits > 0 || frac_digits > 0) i = j;
  }
  if (int_digits == 0 && frac_digits == 0) return 0;
  if (i < s.size() && (s[i] == u'e' || s[i] == u'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == u'+' || s[j] == u'-')) ++j;
    if (j < s.size() && is_digit(s[j])) {
      while (j < s.size() && is_digit(s[j])) ++j;
      i = j;
    }
  }
  return i;
}

double decimal_value(std::u16string_view literal, bool infinity) {
  if (infinity) return literal[0] == u'-' ? -HUGE_VAL : HUGE_VAL;
  std::string ascii(literal.size(), '\0');
  for (size_t i = 0; i < literal.size(); ++i) ascii[i] = static_cast<char>(literal[i]);
  return std::strtod(ascii.c_str(), nullptr);  // correctly rounded in glibc and musl; "C" locale
}

// 0x / 0o / 0b integer literals, rounded to nearest (ties to even) like JS.
double radix_value(std::u16string_view digits, unsigned bits_per_digit) {
  uint64_t top = 0;
  int64_t total = 0;
  bool sticky = false;
  for (char16_t c : digits) {
    unsigned d = 0;
    if (c >= u'0' && c <= u'9') d = c - u'0';
    else if (c >= u'a' && c <= u'f') d = c - u'a' + 10;
    else d = c - u'A' + 10;
    for (int bit = static_cast<int>(bits_per_digit) - 1; bit >= 0; --bit) {
      const unsigned b = (d >> bit) & 1u;
      if (total == 0 && b == 0) continue;
      if (total < 64) top = (top << 1) | b;
      else sticky = sticky || b != 0;
      ++total;
    }
  }
  if (total == 0) return 0;
  const int64_t kept = std::min<int64_t>(total, 64);
  if (kept <= 53) return std::ldexp(static_cast<double>(top), static_cast<int>(total - kept));
  const int shift = static_cast<int>(kept - 53);
  uint64_t mantissa = top >> shift;
  const uint64_t rest = top & ((uint64_t{1} << shift) - 1);
  const uint64_t half = uint64_t{1} << (shift - 1);
  if (rest > half || (rest == half && (sticky || (mantissa & 1u)))) ++mantissa;
  const int64_t scale = total - 53;
  if (scale > 2000) return HUGE_VAL;
  return std::ldexp(static_cast<double>(mantissa), static_cast<int>(scale));
}

bool valid_radix_digits(std::u16string_view digits, unsigned radix) {
  if (digits.empty()) return false;
  for (char16_t c : digits) {
    unsigned d = 99;
    if (c >= u'0' && c <= u'9') d = c - u'0';
    else if (c >= u'a' && c <= u'z') d = c - u'a' + 10;
    else if (c >= u'A' && c <= u'Z') d = c - u'A' + 10;
    if (d >= radix) return false;
  }
  return true;
}

}  // namespace

double string_to_number(std::u16string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_js_whitespace(s[b])) ++b;
  while (e > b && is_js_whitespace(s[e - 1])) --e;
  s = s.substr(b, e - b);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == u'0') {
    const char16_t p = s[1];
    unsigned radix = 0, bits = 0;
    if (p == u'x' || p == u'X') radix = 16, bits = 4;
    if (p == u'o' || p == u'O') radix = 8, bits = 3;
    if (p == u'b' || p == u'B') radix = 2, bits = 1;
    if (radix != 0) {
      const std::u16string_view digits = s.substr(2);
      return valid_radix_digits(digits, radix) ? radix_value(digits, bits) : NAN;
    }
  }
  bool infinity = false;
  const size_t len = decimal_prefix(s, infinity);
  if (len != s.size()) return NAN;
  return decimal_value(s, infinity);
}

double parse_float_string(std::u16string_view s) {
  size_t b = 0;
  while (b < s.size() && is_js_whitespace(s[b])) ++b;
  s = s.substr(b);
  bool infinity = false;
  const size_t len = decimal_prefix(s, infinity);
  if (len == 0) return NAN;
  return decimal_value(s.substr(0, len), infinity);
}

double to_integer_or_infinity(double n) {
  if (std::isnan(n) || n == 0) return 0;
  if (std::isinf(n)) return n;
  return std::trunc(n);
}

// ---- coercions ---------------------------------------------------------------------------------

namespace {

std::u16string ascii16(std::string_view s) { return std::u16string(s.begin(), s.end()); }

const char kNotPrimitive[] = "Cannot convert object to primitive value";

// Array.prototype.join(",") into out, bounded by max_string_length.
void join_into(const Value& array, std::u16string& out, Budget& budget) {
  const Array& items = array.array_items();
  for (size_t i = 0; i < items.size(); ++i) {
    if (budget.failed()) return;
    if (i > 0) out.push_back(u',');
    const Value& item = items[i];
    if (item.is_nullish()) continue;
    if (item.is_array()) {
      join_into(item, out, budget);
    } else if (item.is_string()) {
      if (!budget.scan(item.string_value().size())) return;
      out += item.string_value();
    } else {
      out += to_string(item, budget);
    }
    if (out.size() > budget.limits().max_string_length) {
      budget.allocate_string(out.size());
      return;
    }
  }
}

}  // namespace

std::u16string to_string(const Value& v, Budget& budget) {
  switch (v.type()) {
    case Type::Undefined:
      return u"undefined";
    case Type::Null:
      return u"null";
    case Type::Boolean:
      return v.boolean_value() ? u"true" : u"false";
    case Type::Number:
      return ascii16(number_to_string(v.number_value()));
    case Type::String:
      return v.string_value();
    case Type::Array: {
      std::u16string out;
      join_into(v, out, budget);
      if (budget.failed() || !budget.allocate_string(out.size())) return {};
      return out;
    }
    case Type::Object:
      // An own "toString" key shadows Object.prototype.toString with a non-function, and
      // Object.prototype.valueOf returns the object itself: JS throws a TypeError.
      if (v.find_member(u"toString") != nullptr) {
        budget.fail(kNotPrimitive);
        return {};
      }
      return u"[object Object]";
  }
  return {};
}

Value to_primitive(const Value& v, Budget& budget) {
  if (!v.is_array() && !v.is_object()) return v;
  std::u16string s = to_string(v, budget);
  if (budget.failed()) return Value();
  return Value::string(std::move(s));
}

double to_number(const Value& v, Budget& budget) {
  switch (v.type()) {
    case Type::Undefined:
      return NAN;
    case Type::Null:
      return 0;
    case Type::Boolean:
      return v.boolean_value() ? 1 : 0;
    case Type::Number:
      return v.number_value();
    case Type::String:
      budget.scan(v.string_value().size());
      return string_to_number(v.string_value());
    case Type::Array:
    case Type::Object: {
      const std::u16string s = to_string(v, budget);
      if (budget.failed()) return NAN;
      return string_to_number(s);
    }
  }
  return NAN;
}

double parse_float(const Value& v, Budget& budget) {
  if (v.is_number()) {
    // parseFloat(ToString(n)): ToString round-trips every number except -0, which prints as "0".
    const double n = v.number_value();
    return n == 0 ? 0.0 : n;
  }
  if (v.is_string()) {
    budget.scan(v.string_value().size());
    return parse_float_string(v.string_value());
  }
  const std::u16string s = to_string(v, budget);
  if (budget.failed()) return NAN;
  return parse_float_string(s);
}

bool strictly_equal(const Value& a, const Value& b, Budget& budget) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::Undefined:
    case Type::Null:
      return true;
    case Type::Boolean:
      return a.boolean_value() == b.boolean_value();
    case Type::Number:
      return a.number_value() == b.number_value();
    case Type::String:
      budget.scan(std::min(a.string_value().size(), b.string_value().size()));
      return a.string_value() == b.string_value();
    case Type::Array:
    case Type::Object:
      return a.identity() == b.identity();
  }
  return false;
}

// IsLooselyEqual.
bool loosely_equal(const Value& a, const Value& b, Budget& budget) {
  if (budget.failed()) return false;
  if (a.type() == b.type()) return strictly_equal(a, b, budget);
  if (a.is_nullish() && b.is_nullish()) return true;
  if (a.is_number() && b.is_string()) return a.number_value() == to_number(b, budget);
  if (a.is_string() && b.is_number()) return to_number(a, budget) == b.number_value();
  if (a.type() == Type::Boolean) return loosely_equal(Value::number(a.boolean_value() ? 1 : 0), b, budget);
  if (b.type() == Type::Boolean) return loosely_equal(a, Value::number(b.boolean_value() ? 1 : 0), budget);
  const bool a_prim = a.is_number() || a.is_string();
  const bool b_prim = b.is_number() || b.is_string();
  const bool a_obj = a.is_array() || a.is_object();
  const bool b_obj = b.is_array() || b.is_object();
  if (a_prim && b_obj) {
    const Value pb = to_primitive(b, budget);
    return !budget.failed() && loosely_equal(a, pb, budget);
  }
  if (a_obj && b_prim) {
    const Value pa = to_primitive(a, budget);
    return !budget.failed() && loosely_equal(pa, b, budget);
  }
  return false;
}

namespace {

// IsLessThan on primitives.
int primitive_less_than(const Value& pa, const Value& pb, Budget& budget) {
  if (pa.is_string() && pb.is_string()) {
    budget.scan(std::min(pa.string_value().size(), pb.string_value().size()));
    return pa.string_value() < pb.string_value() ? 1 : 0;  // code-unit order (char16_t is unsigned)
  }
  const double na = to_number(pa, budget);
  const double nb = to_number(pb, budget);
  if (std::isnan(na) || std::isnan(nb)) return -1;
  return na < nb ? 1 : 0;
}

bool is_object_like(const Value& v) { return v.is_array() || v.is_object(); }

}  // namespace

// IsLessThan (LeftFirst): 1 true, 0 false, -1 undefined.
int less_than(const Value& a, const Value& b, Budget& budget) {
  if (budget.failed()) return 0;
  if (!is_object_like(a) && !is_object_like(b)) return primitive_less_than(a, b, budget);  // no copies
  const Value pa = to_primitive(a, budget);
  const Value pb = to_primitive(b, budget);
  if (budget.failed()) return 0;
  return primitive_less_than(pa, pb, budget);
}

Value add(const Value& a, const Value& b, Budget& budget) {
  const Value pa = to_primitive(a, budget);
  const Value pb = to_primitive(b, budget);
  if (budget.failed()) return Value();
  if (pa.is_string() || pb.is_string()) {
    std::u16string s = to_string(pa, budget);
    s += to_string(pb, budget);
    if (budget.failed() || !budget.allocate_string(s.size())) return Value();
    return Value::string(std::move(s));
  }
  return Value::number(to_number(pa, budget) + to_number(pb, budget));
}

int64_t array_index(std::u16string_view key, uint64_t limit) {
  if (key.empty() || key.size() > 16) return -1;
  if (key.size() > 1 && key[0] == u'0') return -1;
  uint64_t n = 0;
  for (char16_t c : key) {
    if (!is_digit(c)) return -1;
    n = n * 10 + (c - u'0');
  }
  return n < limit ? static_cast<int64_t>(n) : -1;
}

Value get_property(const Value& base, std::u16string_view key, Budget& budget) {
  switch (base.type()) {
    case Type::String: {
      const std::u16string& s = base.string_value();
      if (key == u"length") return Value::number(static_cast<double>(s.size()));
      const int64_t i = array_index(key, s.size());
      if (i < 0) return Value();
      budget.allocate_string(1);
      return Value::string(std::u16string(1, s[static_cast<size_t>(i)]));
    }
    case Type::Array: {
      const Array& items = base.array_items();
      if (key == u"length") return Value::number(static_cast<double>(items.size()));
      const int64_t i = array_index(key, items.size());
      return i < 0 ? Value() : items[static_cast<size_t>(i)];
    }
    case Type::Object: {
      const Value* v = base.find_member(key);
      return v ? *v : Value();
    }
    default:
      return Value();
  }
}

// ---- JSON output -------------------------------------------------------------------------------

namespace {

const char kHex[] = "0123456789abcdef";

void quote_into(std::u16string_view s, std::string& out) {
  out.push_back('"');
  for_each_code_point(s, [&out](uint32_t cp, bool lone) {
    switch (cp) {
      case '"': out += "\\\""; return;
      case '\\': out += "\\\\"; return;
      case '\b': out += "\\b"; return;
      case '\f': out += "\\f"; return;
      case '\n': out += "\\n"; return;
      case '\r': out += "\\r"; return;
      case '\t': out += "\\t"; return;
      default: break;
    }
    if (cp < 0x20 || lone) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(cp >> shift) & 0xF]);
      return;
    }
    append_utf8(out, cp);
  });
  out.push_back('"');
}

bool json_into(const Value& v, std::string& out, Budget& budget) {
  if (out.size() > budget.limits().max_result_bytes) {
    return budget.fail("the result is larger than " + std::to_string(budget.limits().max_result_bytes) + " bytes of JSON");
  }
  switch (v.type()) {
    case Type::Undefined:
    case Type::Null:
      out += "null";
      return true;
    case Type::Boolean:
      out += v.boolean_value() ? "true" : "false";
      return true;
    case Type::Number:
      out += std::isfinite(v.number_value()) ? number_to_string(v.number_value()) : "null";
      return true;
    case Type::String:
      quote_into(v.string_value(), out);
      return true;
    case Type::Array: {
      out.push_back('[');
      const Array& items = v.array_items();
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out.push_back(',');
        if (!json_into(items[i], out, budget)) return false;
      }
      out.push_back(']');
      return true;
    }
    case Type::Object: {
      // OrdinaryOwnPropertyKeys: array indexes ascending, then the other keys in creation order.
      const std::vector<Member>& members = v.object_members();
      // (index << 32 | position) for array-index keys, sorted; then the rest by position.
      std::vector<uint64_t> indexed;
      std::vector<uint32_t> order;
      order.reserve(members.size());
      for (uint32_t i = 0; i < members.size(); ++i) {
        const int64_t index = array_index(members[i].first, 4294967295u);
        if (index >= 0) indexed.push_back(static_cast<uint64_t>(index) << 32 | i);
      }
      std::sort(indexed.begin(), indexed.end());
      for (uint64_t key : indexed) order.push_back(static_cast<uint32_t>(key & 0xFFFFFFFFu));
      for (uint32_t i = 0; i < members.size(); ++i) {
        if (array_index(members[i].first, 4294967295u) < 0) order.push_back(i);
      }
      out.push_back('{');
      bool first = true;
      for (uint32_t position : order) {
        const Member& m = members[position];
        if (m.second.is_undefined()) continue;
        if (!first) out.push_back(',');
        first = false;
        quote_into(m.first, out);
        out.push_back(':');
        if (!json_into(m.second, out, budget)) return false;
      }
      out.push_back('}');
      return true;
    }
  }
  return true;
}

}  // namespace

bool to_json(const Value& v, std::string& out, Budget& budget) {
  if (!json_into(v, out, budget)) return false;
  if (out.size() > budget.limits().max_result_bytes) {
    return budget.fail("the result is larger than " + std::to_string(budget.limits().max_result_bytes) + " bytes of JSON");
  }
  return true;
}

std::string json_quote(std::string_view utf8) {
  std::string out;
  quote_into(utf8_to_utf16(utf8), out);
  return out;
}

}  // namespace tessera::logic
