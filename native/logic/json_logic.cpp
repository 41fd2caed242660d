// The JSONLogic evaluator (see json_logic.h). Its structure follows json-logic-js's
// jsonLogic.apply on purpose: rules are plain values (so data that re-enters evaluation, as in
// missing_some, behaves the same), "if"/"and"/"or" and the array operations control their own
// evaluation, and every other operation first evaluates all its arguments depth-first.
#include "logic/json_logic.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tessera::logic {

// ---- parsing -----------------------------------------------------------------------------------

namespace {

using Sax = nlohmann::json;

void remove_duplicate_keys(std::vector<Member>& members) {
  if (members.size() < 2) return;
  if (members.size() <= 8) {  // the common case: small objects, no duplicates, no allocation
    bool duplicate = false;
    for (size_t i = 1; i < members.size() && !duplicate; ++i) {
      for (size_t j = 0; j < i && !duplicate; ++j) duplicate = members[i].first == members[j].first;
    }
    if (!duplicate) return;
  }
  // JSON.parse: a repeated key keeps its first position and takes its last value.
  const std::vector<uint32_t> order = members_by_key(members);
  std::vector<uint8_t> drop(members.size(), 0);
  bool any = false;
  for (size_t i = 0; i + 1 < order.size();) {
    size_t j = i + 1;
    while (j < order.size() && members[order[j]].first == members[order[i]].first) ++j;
    if (j - i > 1) {
      members[order[i]].second = std::move(members[order[j - 1]].second);
      for (size_t k = i + 1; k < j; ++k) drop[order[k]] = 1;
      any = true;
    }
    i = j;
  }
  if (!any) return;
  size_t w = 0;
  for (size_t r = 0; r < members.size(); ++r) {
    if (!drop[r]) {
      if (w != r) members[w] = std::move(members[r]);
      ++w;
    }
  }
  members.resize(w);
}

// Builds Values straight from nlohmann's SAX events, with an explicit stack (no recursion).
class Builder {
 public:
  explicit Builder(uint32_t max_depth) : max_depth_(max_depth) {}

  bool null() { return put(Value::null()); }
  bool boolean(bool b) { return put(Value::boolean(b)); }
  // nlohmann's lexer reports only numbers written with a leading '-' as signed integers, so an
  // integer 0 here was "-0".
  bool number_integer(Sax::number_integer_t n) { return put(Value::number(n == 0 ? -0.0 : static_cast<double>(n))); }
  bool number_unsigned(Sax::number_unsigned_t n) { return put(Value::number(static_cast<double>(n))); }
  bool number_float(Sax::number_float_t n, const Sax::string_t&) { return put(Value::number(n)); }
  bool string(Sax::string_t& s) { return put(Value::string(utf8_to_utf16(s))); }
  bool binary(Sax::binary_t&) { return fail("binary values are not JSON"); }
  bool start_object(std::size_t) { return open(true); }
  bool key(Sax::string_t& k) {
    stack_.back().key = utf8_to_utf16(k);
    return true;
  }
  bool end_object() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    remove_duplicate_keys(frame.members);
    return put(Value::object(std::move(frame.members)));
  }
  bool start_array(std::size_t) { return open(false); }
  bool end_array() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    return put(Value::array(std::move(frame.items)));
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) {
    std::string message = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." → drop the tag.
    const size_t tag = message.find("] ");
    if (message.rfind("[json.exception.", 0) == 0 && tag != std::string::npos) message.erase(0, tag + 2);
    return fail(message);
  }

  Value root;
  std::string error;

 private:
  struct Frame {
    bool object = false;
    Array items;
    std::vector<Member> members;
    std::u16string key;
  };

  bool fail(std::string message) {
    if (error.empty()) error = std::move(message);
    return false;
  }
  bool open(bool object) {
    if (stack_.size() >= max_depth_) return fail("JSON nested deeper than " + std::to_string(max_depth_) + " levels");
    stack_.emplace_back();
    stack_.back().object = object;
    return true;
  }
  bool put(Value v) {
    if (stack_.empty()) {
      root = std::move(v);
      return true;
    }
    Frame& f = stack_.back();
    if (f.object) {
      f.members.emplace_back(std::move(f.key), std::move(v));
      f.key.clear();
    } else {
      f.items.push_back(std::move(v));
    }
    return true;
  }

  uint32_t max_depth_;
  std::vector<Frame> stack_;
};

bool convert(const nlohmann::ordered_json& j, Value& out, uint32_t depth, uint32_t max_depth) {
  using nlohmann::ordered_json;
  switch (j.type()) {
    case ordered_json::value_t::null:
      out = Value::null();
      return true;
    case ordered_json::value_t::boolean:
      out = Value::boolean(j.get<bool>());
      return true;
    case ordered_json::value_t::number_integer:
      out = Value::number(static_cast<double>(j.get<int64_t>()));
      return true;
    case ordered_json::value_t::number_unsigned:
      out = Value::number(static_cast<double>(j.get<uint64_t>()));
      return true;
    case ordered_json::value_t::number_float:
      out = Value::number(j.get<double>());
      return true;
    case ordered_json::value_t::string:
      out = Value::string(utf8_to_utf16(j.get_ref<const std::string&>()));
      return true;
    case ordered_json::value_t::array: {
      if (depth >= max_depth) return false;
      Array items;
      items.reserve(j.size());
      for (const auto& item : j) {
        items.emplace_back();
        if (!convert(item, items.back(), depth + 1, max_depth)) return false;
      }
      out = Value::array(std::move(items));
      return true;
    }
    case ordered_json::value_t::object: {
      if (depth >= max_depth) return false;
      std::vector<Member> members;
      members.reserve(j.size());
      for (const auto& item : j.items()) {
        members.emplace_back(utf8_to_utf16(item.key()), Value());
        if (!convert(item.value(), members.back().second, depth + 1, max_depth)) return false;
      }
      out = Value::object(std::move(members));
      return true;
    }
    default:  // binary, discarded
      out = Value::null();
      return true;
  }
}

}  // namespace

ParseResult parse_json(std::string_view text, uint32_t max_depth) {
  Builder builder(max_depth);
  ParseResult result;
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok || !builder.error.empty()) {
    result.error = builder.error.empty() ? "invalid JSON" : builder.error;
    return result;
  }
  result.ok = true;
  result.value = std::move(builder.root);
  return result;
}

// ---- operations --------------------------------------------------------------------------------

namespace {

enum class Op : uint8_t {
  Unknown,
  // Control their own evaluation (not members of json-logic-js's `operations` table).
  If, Ternary, And, Or, Filter, Map, Reduce, All, None, Some,
  // Evaluate all arguments first (members of `operations`).
  Eq, StrictEq, Ne, StrictNe, Gt, Ge, Lt, Le, NotNot, Not, Mod, Log, In, Cat, Substr,
  Plus, Times, Minus, Div, Min, Max, Merge, Var, Missing, MissingSome,
};

struct OpName {
  std::u16string_view name;
  Op op;
};

constexpr OpName kOps[] = {
    {u"var", Op::Var},       {u"==", Op::Eq},          {u"===", Op::StrictEq},   {u"!=", Op::Ne},
    {u"!==", Op::StrictNe},  {u">", Op::Gt},           {u">=", Op::Ge},          {u"<", Op::Lt},
    {u"<=", Op::Le},         {u"!!", Op::NotNot},      {u"!", Op::Not},          {u"%", Op::Mod},
    {u"log", Op::Log},       {u"in", Op::In},          {u"cat", Op::Cat},        {u"substr", Op::Substr},
    {u"+", Op::Plus},        {u"*", Op::Times},        {u"-", Op::Minus},        {u"/", Op::Div},
    {u"min", Op::Min},       {u"max", Op::Max},        {u"merge", Op::Merge},    {u"missing", Op::Missing},
    {u"missing_some", Op::MissingSome},
    {u"if", Op::If},         {u"?:", Op::Ternary},     {u"and", Op::And},        {u"or", Op::Or},
    {u"filter", Op::Filter}, {u"map", Op::Map},        {u"reduce", Op::Reduce},  {u"all", Op::All},
    {u"none", Op::None},     {u"some", Op::Some},
};

Op lookup_op(std::u16string_view name) {
  for (const OpName& entry : kOps) {
    if (entry.name.size() == name.size() && entry.name == name) return entry.op;
  }
  return Op::Unknown;
}

// A member of json-logic-js's `operations` object (so "op.x" names descend into it).
bool in_operations_table(Op op) { return op >= Op::Eq; }

const Value kUndefined;

// An operation's arguments: the array in the rule, or a lone non-array value as a one-element list.
struct Args {
  const Value* items = nullptr;
  size_t count = 0;
  bool listed = false;  // the rule wrote an array (pointer segments include the index)

  explicit Args(const Value& raw) {
    if (raw.is_array()) {
      items = raw.array_items().data();
      count = raw.array_items().size();
      listed = true;
    } else {
      items = &raw;
      count = 1;
    }
  }
  const Value& at(size_t i) const { return i < count ? items[i] : kUndefined; }
};

std::string escape_pointer_segment(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

// KMP substring search (linear, so untrusted strings cannot make it quadratic).
bool contains(std::u16string_view hay, std::u16string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  std::vector<size_t> fail(needle.size(), 0);
  for (size_t i = 1, k = 0; i < needle.size(); ++i) {
    while (k > 0 && needle[i] != needle[k]) k = fail[k - 1];
    if (needle[i] == needle[k]) ++k;
    fail[i] = k;
  }
  for (size_t i = 0, k = 0; i < hay.size(); ++i) {
    while (k > 0 && hay[i] != needle[k]) k = fail[k - 1];
    if (hay[i] == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

class Evaluator {
 public:
  Evaluator(const Limits& limits, LogSink log) : budget_(limits), log_(log) {}

  Budget& budget() { return budget_; }

  std::string pointer() const {
    std::string out;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) out += "/" + escape_pointer_segment(*it);
    return out;
  }

  // jsonLogic.apply(logic, data).
  bool apply(const Value& logic, const Value& data, Value& out) {
    if (!budget_.step()) return false;
    const bool operation = logic.is_object() && logic.object_members().size() == 1;  // is_logic
    if (!logic.is_array() && !operation) {
      out = logic;
      return true;
    }
    if (depth_ >= budget_.limits().max_depth) {
      return budget_.fail("rule nesting deeper than " + std::to_string(budget_.limits().max_depth) + " levels");
    }
    ++depth_;
    const bool ok = logic.is_array() ? apply_array(logic, data, out) : apply_operation(logic, data, out);
    --depth_;
    return ok;
  }

 private:
  bool fail_at(size_t index) {
    path_.push_back(std::to_string(index));
    return false;
  }
  // Records where below this operation the failure happened (segments are innermost first).
  bool fail_in(const std::u16string& name, const Args& args, size_t index) {
    if (args.listed) path_.push_back(std::to_string(index));
    path_.push_back(utf16_to_utf8(name));
    return false;
  }
  bool finish_array(Array items, Value& out) {
    if (!budget_.allocate_array(items.size())) return false;
    out = Value::array(std::move(items));
    return budget_.check_depth(out);
  }

  bool apply_array(const Value& logic, const Value& data, Value& out) {
    const Array& items = logic.array_items();
    Array result;
    result.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      result.emplace_back();
      if (!apply(items[i], data, result.back())) return fail_at(i);
    }
    return finish_array(std::move(result), out);
  }

  bool apply_operation(const Value& logic, const Value& data, Value& out) {
    const Member& member = logic.object_members()[0];
    const std::u16string& name = member.first;
    const Args args(member.second);
    const Op op = lookup_op(name);

    switch (op) {
      case Op::If:
      case Op::Ternary: {
        size_t i = 0;
        for (; i + 1 < args.count; i += 2) {
          Value condition;
          if (!apply(args.at(i), data, condition)) return fail_in(name, args, i);
          if (logic_truthy(condition)) {
            return apply(args.at(i + 1), data, out) || fail_in(name, args, i + 1);
          }
        }
        if (args.count == i + 1) return apply(args.at(i), data, out) || fail_in(name, args, i);
        out = Value::null();
        return true;
      }
      case Op::And:
      case Op::Or: {
        Value current;
        for (size_t i = 0; i < args.count; ++i) {
          if (!apply(args.at(i), data, current)) return fail_in(name, args, i);
          if (logic_truthy(current) == (op == Op::Or)) break;
        }
        out = current;
        return true;
      }
      case Op::Filter:
      case Op::Map:
      case Op::All:
      case Op::None:
      case Op::Some:
        return apply_array_operation(op, name, args, data, out);
      case Op::Reduce:
        return apply_reduce(name, args, data, out);
      default:
        break;
    }

    // Everyone else: depth-first evaluation of every argument, then the operation.
    std::vector<Value> values(args.count);
    for (size_t i = 0; i < args.count; ++i) {
      if (!apply(args.at(i), data, values[i])) return fail_in(name, args, i);
    }
    const Value* v = values.data();
    const size_t n = values.size();
    auto at = [v, n](size_t i) -> const Value& { return i < n ? v[i] : kUndefined; };
    return run(op, name, v, n, at(0), at(1), at(2), data, out);
  }

  bool apply_array_operation(Op op, const std::u16string& name, const Args& args, const Value& data, Value& out) {
    Value scoped;
    if (!apply(args.at(0), data, scoped)) return fail_in(name, args, 0);
    const Value& scoped_logic = args.at(1);
    const bool is_array = scoped.is_array();
    const Array& items = scoped.array_items();
    switch (op) {
      case Op::Filter:
      case Op::Map: {
        if (!is_array) return finish_array({}, out);
        Array result;
        result.reserve(items.size());
        for (const Value& datum : items) {
          Value r;
          if (!apply(scoped_logic, datum, r)) return fail_in(name, args, 1);
          if (op == Op::Map) result.push_back(std::move(r));
          else if (logic_truthy(r)) result.push_back(datum);
        }
        return finish_array(std::move(result), out);
      }
      default: {
        // all: false for an empty set; none: true; some: false.
        if (!is_array || items.empty()) {
          out = Value::boolean(op == Op::None);
          return true;
        }
        for (const Value& datum : items) {
          Value r;
          if (!apply(scoped_logic, datum, r)) return fail_in(name, args, 1);
          const bool t = logic_truthy(r);
          if (op == Op::All && !t) return (out = Value::boolean(false)), true;
          if (op == Op::None && t) return (out = Value::boolean(false)), true;
          if (op == Op::Some && t) return (out = Value::boolean(true)), true;
        }
        out = Value::boolean(op != Op::Some);
        return true;
      }
    }
  }

  bool apply_reduce(const std::u16string& name, const Args& args, const Value& data, Value& out) {
    Value scoped;
    if (!apply(args.at(0), data, scoped)) return fail_in(name, args, 0);
    Value accumulator = Value::null();
    if (args.count > 2 && !args.at(2).is_undefined()) {
      if (!apply(args.at(2), data, accumulator)) return fail_in(name, args, 2);
    }
    if (scoped.is_array()) {
      for (const Value& current : scoped.array_items()) {
        std::vector<Member> scope;
        scope.reserve(2);
        scope.emplace_back(u"current", current);
        scope.emplace_back(u"accumulator", accumulator);
        const Value scope_value = Value::object(std::move(scope));
        if (!budget_.allocate_array(2) || !budget_.check_depth(scope_value)) return fail_in(name, args, 1);
        Value next;
        if (!apply(args.at(1), scope_value, next)) return fail_in(name, args, 1);
        accumulator = std::move(next);
      }
    }
    out = std::move(accumulator);
    return true;
  }

  // {"var": key} applied to data: the key (or the elements of an array key) is evaluated as
  // logic, then var runs. missing and missing_some build these rules from evaluated values.
  bool apply_var_rule(const Value& key, const Value& data, Value& out) {
    if (!budget_.step()) return false;
    const Args args(key);
    std::vector<Value> values(args.count);
    for (size_t i = 0; i < args.count; ++i) {
      if (!apply(args.at(i), data, values[i])) return false;
    }
    return op_var(values.empty() ? kUndefined : values[0], values.size() > 1 ? values[1] : kUndefined, data, out);
  }

  bool op_var(const Value& a, const Value& b, const Value& data, Value& out) {
    const Value not_found = b.is_undefined() ? Value::null() : b;
    if (a.is_nullish() || (a.is_string() && a.string_value().empty())) {
      out = data;
      return true;
    }
    const std::u16string path = to_string(a, budget_);
    if (budget_.failed() || !budget_.scan(path.size())) return false;
    Value current = data;
    size_t start = 0;
    while (true) {
      const size_t dot = path.find(u'.', start);
      if (current.is_nullish()) {
        out = not_found;
        return true;
      }
      const std::u16string_view part =
          std::u16string_view(path).substr(start, dot == std::u16string::npos ? std::u16string::npos : dot - start);
      current = get_property(current, part, budget_);
      if (budget_.failed()) return false;
      if (current.is_undefined()) {
        out = not_found;
        return true;
      }
      if (dot == std::u16string::npos) break;
      start = dot + 1;
    }
    out = std::move(current);
    return true;
  }

  bool op_missing(const Value* values, size_t n, const Value& data, Value& out) {
    const Value* keys = values;
    size_t count = n;
    if (n > 0 && values[0].is_array()) {
      keys = values[0].array_items().data();
      count = values[0].array_items().size();
    }
    Array missing;
    for (size_t i = 0; i < count; ++i) {
      Value found;
      if (!apply_var_rule(keys[i], data, found)) return false;
      if (found.is_null() || (found.is_string() && found.string_value().empty())) missing.push_back(keys[i]);
    }
    return finish_array(std::move(missing), out);
  }

  bool op_missing_some(const Value& need, const Value& options, const Value& data, Value& out) {
    // are_missing = jsonLogic.apply({"missing": options}, data)
    if (!budget_.step()) return false;
    const Args args(options);
    std::vector<Value> evaluated(args.count);
    for (size_t i = 0; i < args.count; ++i) {
      if (!apply(args.at(i), data, evaluated[i])) return false;
    }
    Value are_missing;
    if (!op_missing(evaluated.data(), evaluated.size(), data, are_missing)) return false;
    if (options.is_nullish()) {
      return budget_.fail(std::string("Cannot read properties of ") + (options.is_null() ? "null" : "undefined") +
                          " (reading 'length')");
    }
    const Value length = get_property(options, u"length", budget_);
    const double present = to_number(length, budget_) - static_cast<double>(are_missing.array_items().size());
    const int lt = less_than(Value::number(present), need, budget_);  // present >= need ⇔ !(present < need)
    if (budget_.failed()) return false;
    if (lt == 0) return finish_array({}, out);
    out = are_missing;
    return true;
  }

  std::u16string js_substr(const std::u16string& s, const Value& start, const Value& length) {
    const double size = static_cast<double>(s.size());
    double from = to_integer_or_infinity(to_number(start, budget_));
    if (from == -HUGE_VAL) from = 0;
    else if (from < 0) from = std::max(size + from, 0.0);
    else from = std::min(from, size);
    double count = length.is_undefined() ? size : to_integer_or_infinity(to_number(length, budget_));
    count = std::min(std::max(count, 0.0), size);
    const double end = std::min(from + count, size);
    if (budget_.failed() || end <= from) return {};
    return s.substr(static_cast<size_t>(from), static_cast<size_t>(end - from));
  }

  bool op_substr(const Value& source, const Value& start, const Value& end, Value& out) {
    const int negative = less_than(end, Value::number(0), budget_);
    if (budget_.failed()) return false;
    const std::u16string s = to_string(source, budget_);
    if (budget_.failed()) return false;
    std::u16string result;
    if (negative == 1) {
      // PHP-style negative length: json-logic-js takes substr(start), then cuts `end` off the end
      // with `temp.length + end` (a JS +, so a string `end` concatenates).
      const std::u16string temp = js_substr(s, start, kUndefined);
      const Value length = add(Value::number(static_cast<double>(temp.size())), end, budget_);
      result = js_substr(temp, Value::number(0), length);
    } else {
      result = js_substr(s, start, end);
    }
    if (budget_.failed() || !budget_.allocate_string(result.size())) return false;
    out = Value::string(std::move(result));
    return true;
  }

  bool op_in(const Value& a, const Value& b, Value& out) {
    bool found = false;
    if (js_truthy(b)) {
      if (b.is_string()) {
        const std::u16string needle = to_string(a, budget_);
        if (!budget_.scan(b.string_value().size() + needle.size())) return false;
        found = contains(b.string_value(), needle);
      } else if (b.is_array()) {
        const Array& items = b.array_items();
        if (!budget_.scan(items.size())) return false;
        for (const Value& item : items) {
          if (strictly_equal(item, a, budget_)) {
            found = true;
            break;
          }
        }
      } else if (b.is_object()) {
        const Value* index_of = b.find_member(u"indexOf");
        if (index_of != nullptr && !index_of->is_undefined()) return budget_.fail("b.indexOf is not a function");
      }
    }
    if (budget_.failed()) return false;
    out = Value::boolean(found);
    return true;
  }

  bool op_cat(const Value* values, size_t n, Value& out) {
    std::u16string s;
    for (size_t i = 0; i < n; ++i) {
      const Value& v = values[i];
      if (v.is_nullish()) continue;
      if (v.is_string()) s += v.string_value();
      else s += to_string(v, budget_);
      if (budget_.failed()) return false;
      if (s.size() > budget_.limits().max_string_length) return budget_.allocate_string(s.size());
    }
    if (!budget_.allocate_string(s.size())) return false;
    out = Value::string(std::move(s));
    return true;
  }

  bool op_merge(const Value* values, size_t n, Value& out) {
    size_t total = 0;
    for (size_t i = 0; i < n; ++i) total += values[i].is_array() ? values[i].array_items().size() : 1;
    if (!budget_.allocate_array(total)) return false;
    Array result;
    result.reserve(total);
    for (size_t i = 0; i < n; ++i) {
      if (values[i].is_array()) {
        const Array& items = values[i].array_items();
        result.insert(result.end(), items.begin(), items.end());
      } else {
        result.push_back(values[i]);
      }
    }
    out = Value::array(std::move(result));
    return budget_.check_depth(out);
  }

  bool op_min_max(bool max, const Value* values, size_t n, Value& out) {
    double result = max ? -HUGE_VAL : HUGE_VAL;
    for (size_t i = 0; i < n; ++i) {
      const double x = to_number(values[i], budget_);
      if (budget_.failed()) return false;
      if (std::isnan(result)) continue;
      if (std::isnan(x)) {
        result = x;
      } else if (max ? (x > result || (x == 0 && result == 0 && !std::signbit(x)))
                     : (x < result || (x == 0 && result == 0 && std::signbit(x)))) {
        result = x;
      }
    }
    out = Value::number(result);
    return true;
  }

  bool unknown_operation(const std::u16string& name, const Value* values, size_t n, const Value& data, Value& out) {
    const std::string name8 = utf16_to_utf8(name);
    const size_t dot = name.find(u'.');
    if (dot == std::u16string::npos || dot == 0) return budget_.fail("Unrecognized operation " + name8);
    // json-logic-js walks "a.b.c" through its operations table with hasOwnProperty. Below an
    // operation (a function) the own properties are length, name (a string) and prototype
    // (whose own property is constructor, the function again).
    std::vector<std::u16string_view> parts;
    for (size_t start = 0;;) {
      const size_t next = name.find(u'.', start);
      parts.push_back(std::u16string_view(name).substr(start, next == std::u16string::npos ? next : next - start));
      if (next == std::u16string::npos) break;
      start = next + 1;
    }
    auto failed_at = [&](size_t i) {
      std::u16string prefix;
      for (size_t k = 0; k <= i; ++k) {
        if (k > 0) prefix += u'.';
        prefix += parts[k];
      }
      return budget_.fail("Unrecognized operation " + name8 + " (failed at " + utf16_to_utf8(prefix) + ")");
    };
    const Op base = lookup_op(parts[0]);
    if (!in_operations_table(base)) return failed_at(0);
    enum class Kind { Function, Number, String, Prototype } kind = Kind::Function;
    size_t string_length = 0;
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::u16string_view p = parts[i];
      if (kind == Kind::Function && p == u"length") kind = Kind::Number;
      else if (kind == Kind::Function && p == u"name") kind = Kind::String, string_length = parts[0].size();
      else if (kind == Kind::Function && p == u"prototype") kind = Kind::Prototype;
      else if (kind == Kind::Prototype && p == u"constructor") kind = Kind::Function;
      else if (kind == Kind::String && p == u"length") kind = Kind::Number;
      else if (kind == Kind::String && get_property(Value::string(std::u16string(string_length, u'x')), p, budget_).is_string())
        string_length = 1;
      else return failed_at(i);
    }
    if (kind != Kind::Function) return budget_.fail("operation.apply is not a function");
    const Value& undefined = kUndefined;
    return run(base, name, values, n, n > 0 ? values[0] : undefined, n > 1 ? values[1] : undefined,
               n > 2 ? values[2] : undefined, data, out);
  }

  bool number(double x, Value& out) {
    if (budget_.failed()) return false;
    out = Value::number(x);
    return true;
  }

  bool boolean(bool x, Value& out) {
    if (budget_.failed()) return false;
    out = Value::boolean(x);
    return true;
  }

  // Operations from json-logic-js's `operations` table, on evaluated values.
  bool run(Op op, const std::u16string& name, const Value* values, size_t n, const Value& a, const Value& b,
           const Value& c, const Value& data, Value& out) {
    switch (op) {
      case Op::Eq: return boolean(loosely_equal(a, b, budget_), out);
      case Op::Ne: return boolean(!loosely_equal(a, b, budget_), out);
      case Op::StrictEq: return boolean(strictly_equal(a, b, budget_), out);
      case Op::StrictNe: return boolean(!strictly_equal(a, b, budget_), out);
      case Op::Gt: return boolean(less_than(b, a, budget_) == 1, out);
      case Op::Ge: return boolean(less_than(a, b, budget_) == 0, out);
      case Op::Lt:
      case Op::Le: {
        // a <= b is !(b < a), false when a NaN is involved. With c: (a op b) && (b op c).
        auto test = [this, op](const Value& x, const Value& y) {
          return op == Op::Lt ? less_than(x, y, budget_) == 1 : less_than(y, x, budget_) == 0;
        };
        if (c.is_undefined()) return boolean(test(a, b), out);
        const bool first = test(a, b);
        return boolean(first && !budget_.failed() && test(b, c), out);
      }
      case Op::NotNot: return boolean(logic_truthy(a), out);
      case Op::Not: return boolean(!logic_truthy(a), out);
      case Op::Mod: {
        const double x = to_number(a, budget_);
        return number(std::fmod(x, to_number(b, budget_)), out);
      }
      case Op::Div: {
        const double x = to_number(a, budget_);
        return number(x / to_number(b, budget_), out);
      }
      case Op::Minus: {
        const double x = to_number(a, budget_);
        if (b.is_undefined()) return number(-x, out);
        return number(x - to_number(b, budget_), out);
      }
      case Op::Plus: {
        // reduce((a, b) => parseFloat(a) + parseFloat(b), 0)
        double sum = 0;
        for (size_t i = 0; i < n && !budget_.failed(); ++i) sum = (sum == 0 ? 0.0 : sum) + parse_float(values[i], budget_);
        return number(sum, out);
      }
      case Op::Times: {
        // reduce((a, b) => parseFloat(a) * parseFloat(b)) without an initial value: one argument
        // comes back unchanged (not even converted), none is a TypeError.
        if (n == 0) return budget_.fail("Reduce of empty array with no initial value");
        if (n == 1) {
          out = values[0];
          return true;
        }
        double product = parse_float(values[0], budget_);
        for (size_t i = 1; i < n && !budget_.failed(); ++i) {
          if (i > 1) product = product == 0 ? 0.0 : product;  // parseFloat(-0) is 0
          product = product * parse_float(values[i], budget_);
        }
        return number(product, out);
      }
      case Op::Min: return op_min_max(false, values, n, out);
      case Op::Max: return op_min_max(true, values, n, out);
      case Op::Log:
        if (log_.write != nullptr) log_.write(log_.user, a);
        out = a;
        return true;
      case Op::In: return op_in(a, b, out);
      case Op::Cat: return op_cat(values, n, out);
      case Op::Substr: return op_substr(a, b, c, out);
      case Op::Merge: return op_merge(values, n, out);
      case Op::Var: return op_var(a, b, data, out);
      case Op::Missing: {
        const size_t mark = path_.size();
        if (op_missing(values, n, data, out)) return true;
        path_.resize(mark);
        return false;
      }
      case Op::MissingSome: {
        const size_t mark = path_.size();
        if (op_missing_some(a, b, data, out)) return true;
        path_.resize(mark);
        return false;
      }
      default:
        return unknown_operation(name, values, n, data, out);
    }
  }

  Budget budget_;
  LogSink log_;
  uint32_t depth_ = 0;
  std::vector<std::string> path_;  // innermost segment first
};

}  // namespace

// ---- entry points ------------------------------------------------------------------------------

EvalResult evaluate(const Value& rule, const Value& data, const Limits& limits, LogSink log) {
  EvalResult result;
  if (rule.depth() > limits.max_json_depth || data.depth() > limits.max_json_depth) {
    result.error = "JSON nested deeper than " + std::to_string(limits.max_json_depth) + " levels";
    return result;
  }
  Evaluator evaluator(limits, log);
  Value out;
  if (evaluator.apply(rule, data, out)) {
    result.ok = true;
    result.value = std::move(out);
  } else {
    result.error = evaluator.budget().error();
    result.pointer = evaluator.pointer();
  }
  return result;
}

EvalResult evaluate(const nlohmann::ordered_json& rule, const nlohmann::ordered_json& data, const Limits& limits,
                    LogSink log) {
  Value r, d;
  if (!convert(rule, r, 0, limits.max_json_depth) || !convert(data, d, 0, limits.max_json_depth)) {
    EvalResult result;
    result.error = "JSON nested deeper than " + std::to_string(limits.max_json_depth) + " levels";
    return result;
  }
  return evaluate(r, d, limits, log);
}

JsonResult evaluate_json(std::string_view rule_text, std::string_view data_text, const Limits& limits, LogSink log) {
  JsonResult result;
  // Parsed values take ~16 times their text (a JSON "0," is 2 bytes, a Value 32 plus its array
  // slot), so the text size bounds the memory an untrusted document can claim.
  for (const auto& [what, text] : {std::pair{"rule", rule_text}, std::pair{"data", data_text}}) {
    if (text.size() > limits.max_input_bytes) {
      result.error = std::string(what) + ": JSON text larger than " + std::to_string(limits.max_input_bytes) + " bytes";
      return result;
    }
  }
  ParseResult rule = parse_json(rule_text, limits.max_json_depth);
  if (!rule.ok) {
    result.error = "rule: " + rule.error;
    return result;
  }
  ParseResult data = parse_json(data_text, limits.max_json_depth);
  if (!data.ok) {
    result.error = "data: " + data.error;
    return result;
  }
  EvalResult evaluated = evaluate(rule.value, data.value, limits, log);
  if (!evaluated.ok) {
    result.error = std::move(evaluated.error);
    result.pointer = std::move(evaluated.pointer);
    return result;
  }
  Budget budget(limits);
  if (!to_json(evaluated.value, result.json, budget)) {
    result.json.clear();
    result.error = budget.error();
    return result;
  }
  result.ok = true;
  return result;
}

std::string to_envelope(const JsonResult& result) {
  if (result.ok) return "{\"ok\":true,\"value\":" + result.json + "}";
  return "{\"ok\":false,\"error\":" + json_quote(result.error) + ",\"pointer\":" + json_quote(result.pointer) + "}";
}

}  // namespace tessera::logic
