// The JSONLogic evaluator (see json_logic.h). Its structure follows json-logic-js's
// jsonLogic.apply on purpose: rules are plain values (so data that re-enters evaluation, as in
// missing_some, behaves the same), "if"/"and"/"or" and the array operations control their own
// evaluation, and every other operation first evaluates all its arguments depth-first.
#include "logic/json_logic.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>

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

// ---- compiled rules ----------------------------------------------------------------------------
//
// compile() turns a rule into a flat tree of Nodes once: operator names resolved to an Op,
// literals kept as Values, constant var paths pre-split into segments, and arrays of literals
// that an operation only reads (the ["tv","desktop"] of an "in") pre-built. evaluate() walks the
// tree with json-logic-js's order of evaluation, counting one step per rule node exactly as
// jsonLogic.apply would be called, and returns pointers to results (into the data, the program or
// a caller's slot) so the common case copies and allocates nothing.

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

// Whether an evaluated argument at `index` can only be read by the operation, never returned,
// stored or logged: its identity is then unobservable and a pre-built array may stand in for the
// fresh one json-logic-js builds on every call.
bool only_reads_argument(Op op, size_t index) {
  switch (op) {
    case Op::Eq: case Op::StrictEq: case Op::Ne: case Op::StrictNe: case Op::Gt: case Op::Ge:
    case Op::Lt: case Op::Le: case Op::NotNot: case Op::Not: case Op::Mod: case Op::In:
    case Op::Cat: case Op::Substr: case Op::Plus: case Op::Minus: case Op::Div: case Op::Min:
    case Op::Max: case Op::Merge: case Op::Missing:
      return true;
    case Op::Var:
      return index == 0;  // the path; the default can be returned
    default:
      return false;  // control operations return arguments; log passes them on; {"*": [x]} is x
  }
}

// jsonLogic.is_logic: an object with exactly one key is an operation.
bool is_logic(const Value& v) { return v.is_object() && v.object_members().size() == 1; }
// Evaluates to itself (one step, no nesting).
bool is_plain(const Value& v) { return !v.is_array() && !is_logic(v); }

const Value kUndefined;
const Value kNull = Value::null();
const Value kTrue = Value::boolean(true);
const Value kFalse = Value::boolean(false);
const Value kNotFound;  // a sentinel address

// One var path segment: the key, and how arrays and strings read it.
struct Segment {
  std::u16string key;
  int64_t index = -1;  // canonical array index, or -1
  bool length = false;
};

// What evaluating a node does.
enum class Code : uint8_t {
  Literal,     // evaluates to `value`
  ConstArray,  // an array whose elements are all literals: `value` holds them
  Array,       // an array of rules, evaluated element by element
  Opaque,      // a subtree below kCompileLevels, compiled when (if ever) evaluation reaches it
  // Operations (children are the arguments):
  If,       // if, ?:
  AndOr,    // and, or
  ArrayOp,  // filter, map, all, none, some
  Reduce,
  Var,      // var with a constant path
  Generic,  // every other operation: arguments first, then run()
};

bool has_kids(Code code) { return code == Code::Array || code >= Code::If; }

struct Node {
  Code code = Code::Literal;
  Op op = Op::Unknown;
  bool listed = false;      // Op: the arguments were written as an array (pointers include indexes)
  bool read_only = false;   // ConstArray: the parent only reads it, so `value` itself is the result
  bool const_path = false;  // Op::Var: argument 0 is a primitive literal; the path is pre-split
  bool whole_data = false;  // Op::Var with const_path: the path is "", null or absent
  uint32_t count = 0;       // children (Array, Op) or elements (ConstArray)
  uint32_t first = 0;       // index of the first child while compiling
  uint32_t path_length = 0; // Op::Var with const_path: UTF-16 length of the path (charged as a scan)
  uint32_t segment_first = 0;
  uint32_t segment_count = 0;
  const Node* kids = nullptr;
  const Segment* segments = nullptr;
  const std::u16string* name = nullptr;  // Op: the operation's key, inside the program's rule
  Value value;
};

const Node kUndefinedNode;  // args.at(i) past the end: apply(undefined)

// Compiled depth (operations and arrays inside each other) before subtrees are left Opaque. It
// keeps compile()'s recursion bounded for any input; evaluation stops at Limits::max_depth (256
// by default) before reaching them.
constexpr uint32_t kCompileLevels = 384;

}  // namespace

struct Program::Impl {
  Value rule;          // keeps the operation names that nodes point to alive
  uint32_t depth = 0;  // rule.depth(), checked against Limits::max_json_depth
  std::vector<Node> nodes;
  std::vector<Segment> segments;
  const Node& root() const { return nodes.front(); }
};

Program::Program(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Program::~Program() = default;

namespace {

class Compiler {
 public:
  explicit Compiler(Program::Impl& program) : p_(program) {}

  void run(const Value& rule) {
    p_.rule = rule;
    p_.depth = rule.depth();
    p_.nodes.emplace_back();
    build(rule, 0, 0);
    for (Node& n : p_.nodes) {
      if (has_kids(n.code) && n.count > 0) n.kids = p_.nodes.data() + n.first;
      if (n.segment_count > 0) n.segments = p_.segments.data() + n.segment_first;
    }
  }

 private:
  // Fills p_.nodes[index] (children are appended, so only indexes are held across calls).
  void build(const Value& v, size_t index, uint32_t level) {
    Node node;
    if (v.is_array()) {
      const Array& items = v.array_items();
      node.count = static_cast<uint32_t>(items.size());
      if (std::all_of(items.begin(), items.end(), is_plain)) {
        node.code = Code::ConstArray;
        node.value = v;
      } else if (level >= kCompileLevels) {
        node.code = Code::Opaque;
        node.value = v;
      } else {
        node.code = Code::Array;
        node.first = add_children(items.data(), items.size(), level + 1);
      }
    } else if (is_logic(v)) {
      if (level >= kCompileLevels) {
        node.code = Code::Opaque;
        node.value = v;
      } else {
        const Member& member = v.object_members()[0];
        node.name = &member.first;
        node.op = lookup_op(member.first);
        const Value& raw = member.second;
        node.listed = raw.is_array();
        const Value* args = node.listed ? raw.array_items().data() : &raw;
        const size_t count = node.listed ? raw.array_items().size() : 1;
        node.count = static_cast<uint32_t>(count);
        node.first = add_children(args, count, level + 1);
        for (size_t i = 0; i < count; ++i) {
          Node& kid = p_.nodes[node.first + i];
          if (kid.code == Code::ConstArray && only_reads_argument(node.op, i)) {
            // A fresh array (its own identity, never handed out) rather than the rule's own.
            kid.read_only = true;
            kid.value = Value::array(kid.value.array_items());
          }
        }
        if (node.op == Op::Var) prepare_var(node);
        node.code = code_of(node);
      }
    } else {
      node.value = v;
    }
    p_.nodes[index] = std::move(node);
  }

  static Code code_of(const Node& node) {
    switch (node.op) {
      case Op::If: case Op::Ternary: return Code::If;
      case Op::And: case Op::Or: return Code::AndOr;
      case Op::Filter: case Op::Map: case Op::All: case Op::None: case Op::Some: return Code::ArrayOp;
      case Op::Reduce: return Code::Reduce;
      case Op::Var: return node.const_path ? Code::Var : Code::Generic;
      default: return Code::Generic;
    }
  }

  uint32_t add_children(const Value* items, size_t count, uint32_t level) {
    const size_t first = p_.nodes.size();
    p_.nodes.resize(first + count);
    for (size_t i = 0; i < count; ++i) build(items[i], first + i, level);
    return static_cast<uint32_t>(first);
  }

  void prepare_var(Node& node) {
    const Value* key = &kUndefined;
    if (node.count > 0) {
      const Node& kid = p_.nodes[node.first];
      if (kid.code != Code::Literal || kid.value.is_object()) return;  // computed at run time
      key = &kid.value;
    }
    node.const_path = true;
    if (key->is_nullish() || (key->is_string() && key->string_value().empty())) {
      node.whole_data = true;
      return;
    }
    Limits limits;
    Budget budget(limits);
    const std::u16string path = to_string(*key, budget);  // a primitive: cannot fail
    node.path_length = static_cast<uint32_t>(path.size());
    node.segment_first = static_cast<uint32_t>(p_.segments.size());
    for (size_t start = 0;;) {
      const size_t dot = path.find(u'.', start);
      Segment s;
      s.key = path.substr(start, dot == std::u16string::npos ? std::u16string::npos : dot - start);
      s.length = s.key == u"length";
      s.index = array_index(s.key, UINT64_MAX);
      p_.segments.push_back(std::move(s));
      if (dot == std::u16string::npos) break;
      start = dot + 1;
    }
    node.segment_count = static_cast<uint32_t>(p_.segments.size() - node.segment_first);
  }

  Program::Impl& p_;
};

// An operation's evaluated arguments; past the end reads undefined (args[i] in JS).
struct ArgList {
  const Value* const* items = nullptr;
  size_t count = 0;
  const Value& operator[](size_t i) const { return i < count ? *items[i] : kUndefined; }
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
  size_t small[32];
  std::vector<size_t> large;
  size_t* fail = small;
  if (needle.size() > std::size(small)) {
    large.resize(needle.size());
    fail = large.data();
  }
  fail[0] = 0;
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

#if defined(__GNUC__)
#define TESSERA_NOINLINE __attribute__((noinline))
#else
#define TESSERA_NOINLINE
#endif

// Evaluates compiled nodes. Every function returning `const Value*` returns nullptr on failure
// (the budget holds the error) or the result, which lives in the `tmp` it was given, in the data,
// in the program, or in a static constant: never in a local of its own.
class Evaluator {
 public:
  Evaluator(const Limits& limits, LogSink log) : budget_(limits), log_(log) {}

  Budget& budget() { return budget_; }

  std::string pointer() const {
    std::string out;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) out += "/" + escape_pointer_segment(*it);
    return out;
  }

  // jsonLogic.apply(node, data). Literals, the most common nodes, without a call.
  const Value* eval(const Node& n, const Value& data, Value& tmp) {
    if (n.code == Code::Literal) return budget_.step() ? &n.value : nullptr;
    return eval_node(n, data, tmp);
  }

 private:
  TESSERA_NOINLINE const Value* eval_node(const Node& n, const Value& data, Value& tmp) {
    if (n.code == Code::Opaque) return eval_now(n.value, data, tmp);
    if (!budget_.step()) return nullptr;
    if (depth_ >= budget_.limits().max_depth) return too_deep();
    ++depth_;
    const Value* r;
    switch (n.code) {
      case Code::ConstArray: r = eval_const_array(n, tmp); break;
      case Code::Array: r = eval_array(n, data, tmp); break;
      case Code::If: r = eval_if(n, data, tmp); break;
      case Code::AndOr: r = eval_and_or(n, data, tmp); break;
      case Code::ArrayOp: r = eval_array_operation(n, data, tmp); break;
      case Code::Reduce: r = eval_reduce(n, data, tmp); break;
      case Code::Var: r = eval_var(n, data, tmp); break;
      default: r = n.count <= 3 ? eval_arguments<3>(n, data, tmp) : eval_many_arguments(n, data, tmp); break;
    }
    --depth_;
    return r;
  }

  TESSERA_NOINLINE const Value* too_deep() {
    budget_.fail("rule nesting deeper than " + std::to_string(budget_.limits().max_depth) + " levels");
    return nullptr;
  }

  // Compiles a rule met only while evaluating (data that missing / missing_some evaluate as logic,
  // or an Opaque subtree) and applies it; the result is copied into tmp (it may live in the
  // temporary program).
  TESSERA_NOINLINE const Value* eval_now(const Value& rule, const Value& data, Value& tmp) {
    Program::Impl program;
    Compiler(program).run(rule);
    const Value* r = eval(program.root(), data, tmp);
    if (r != nullptr && r != &tmp) {
      tmp = *r;
      r = &tmp;
    }
    return r;
  }

  // apply() on a Value: literals directly, anything else compiled on the spot.
  bool apply_value(const Value& rule, const Value& data, Value& out) {
    if (is_plain(rule)) {
      if (!budget_.step()) return false;
      out = rule;
      return true;
    }
    return eval_now(rule, data, out) != nullptr;
  }

  static const Node& arg(const Node& n, size_t i) { return i < n.count ? n.kids[i] : kUndefinedNode; }

  TESSERA_NOINLINE const Value* fail_at(size_t index) {
    path_.push_back(std::to_string(index));
    return nullptr;
  }
  // Records where below this operation the failure happened (segments are innermost first).
  TESSERA_NOINLINE const Value* fail_in(const Node& n, size_t index) {
    if (n.listed) path_.push_back(std::to_string(index));
    path_.push_back(utf16_to_utf8(*n.name));
    return nullptr;
  }

  const Value* boolean(bool x) {
    if (budget_.failed()) return nullptr;
    return x ? &kTrue : &kFalse;
  }
  const Value* number(double x, Value& tmp) {
    if (budget_.failed()) return nullptr;
    tmp = Value::number(x);
    return &tmp;
  }
  const Value* finish_array(Array items, Value& tmp) {
    if (!budget_.allocate_array(items.size())) return nullptr;
    tmp = Value::array(std::move(items));
    return budget_.check_depth(tmp) ? &tmp : nullptr;
  }

  const Value* eval_const_array(const Node& n, Value& tmp) {
    for (uint32_t i = 0; i < n.count; ++i) {
      if (!budget_.step()) return fail_at(i);  // each element is a literal: one step
    }
    if (n.read_only) {
      if (!budget_.allocate_array(n.count)) return nullptr;
      return budget_.check_depth(n.value) ? &n.value : nullptr;
    }
    return finish_array(n.value.array_items(), tmp);
  }

  const Value* eval_array(const Node& n, const Value& data, Value& tmp) {
    Array result;
    result.reserve(n.count);
    for (uint32_t i = 0; i < n.count; ++i) {
      Value& slot = result.emplace_back();
      const Value* r = eval(n.kids[i], data, slot);
      if (r == nullptr) return fail_at(i);
      if (r != &slot) slot = *r;
    }
    return finish_array(std::move(result), tmp);
  }

  const Value* eval_if(const Node& n, const Value& data, Value& tmp) {
    size_t i = 0;
    for (; i + 1 < n.count; i += 2) {
      const Value* condition = eval(n.kids[i], data, tmp);
      if (condition == nullptr) return fail_in(n, i);
      if (logic_truthy(*condition)) {
        const Value* r = eval(n.kids[i + 1], data, tmp);
        return r != nullptr ? r : fail_in(n, i + 1);
      }
    }
    if (n.count == i + 1) {
      const Value* r = eval(n.kids[i], data, tmp);
      return r != nullptr ? r : fail_in(n, i);
    }
    return &kNull;
  }

  const Value* eval_and_or(const Node& n, const Value& data, Value& tmp) {
    const bool stop_when = n.op == Op::Or;
    const Value* current = &kUndefined;
    for (size_t i = 0; i < n.count; ++i) {
      current = eval(n.kids[i], data, tmp);
      if (current == nullptr) return fail_in(n, i);
      if (logic_truthy(*current) == stop_when) break;
    }
    return current;
  }

  template <size_t N>
  const Value* eval_arguments(const Node& n, const Value& data, Value& tmp) {
    Value slots[N];
    const Value* values[N];
    for (uint32_t i = 0; i < n.count; ++i) {
      values[i] = eval(n.kids[i], data, slots[i]);
      if (values[i] == nullptr) return fail_in(n, i);
    }
    if (const Value* r = run_inline(n.op, values, n.count)) return r;
    return run(n.op, *n.name, ArgList{values, n.count}, data, tmp);
  }

  // The commonest comparisons on numbers and strings without calls (the results run() would
  // give); nullptr when run() must decide.
  const Value* run_inline(Op op, const Value* const* values, size_t count) {
    switch (op) {
      case Op::Eq:
      case Op::StrictEq:
      case Op::Ne:
      case Op::StrictNe: {
        if (count != 2) return nullptr;
        const Value& a = *values[0];
        const Value& b = *values[1];
        if (a.type() != b.type()) return nullptr;
        bool equal;
        if (a.is_number()) {
          equal = a.number_value() == b.number_value();
        } else if (a.is_string()) {
          const std::u16string& x = a.string_value();
          const std::u16string& y = b.string_value();
          if (!budget_.scan(std::min(x.size(), y.size()))) return nullptr;
          equal = detail::same_text(x, y);
        } else {
          return nullptr;
        }
        return equal != (op == Op::Ne || op == Op::StrictNe) ? &kTrue : &kFalse;
      }
      case Op::Gt:
      case Op::Ge:
      case Op::Lt:
      case Op::Le: {
        // Numbers only; IEEE comparisons are false with NaN, as JS's are.
        if (count != 2 && !(count == 3 && (op == Op::Lt || op == Op::Le))) return nullptr;
        for (size_t i = 0; i < count; ++i) {
          if (!values[i]->is_number()) return nullptr;
        }
        const double a = values[0]->number_value();
        const double b = values[1]->number_value();
        bool result;
        switch (op) {
          case Op::Gt: result = a > b; break;
          case Op::Ge: result = a >= b; break;
          case Op::Lt: result = a < b && (count == 2 || b < values[2]->number_value()); break;
          default: result = a <= b && (count == 2 || b <= values[2]->number_value()); break;
        }
        return result ? &kTrue : &kFalse;
      }
      case Op::Not:
      case Op::NotNot:
        if (count == 0) return nullptr;
        return logic_truthy(*values[0]) == (op == Op::NotNot) ? &kTrue : &kFalse;
      default:
        return nullptr;
    }
  }

  TESSERA_NOINLINE const Value* eval_many_arguments(const Node& n, const Value& data, Value& tmp) {
    if (n.count <= 8) return eval_arguments<8>(n, data, tmp);
    std::vector<Value> slots(n.count);
    std::vector<const Value*> values(n.count);
    for (uint32_t i = 0; i < n.count; ++i) {
      values[i] = eval(n.kids[i], data, slots[i]);
      if (values[i] == nullptr) return fail_in(n, i);
    }
    return run(n.op, *n.name, ArgList{values.data(), n.count}, data, tmp);
  }

  const Value* eval_array_operation(const Node& n, const Value& data, Value& tmp) {
    Value scoped_slot;
    const Value* scoped = eval(arg(n, 0), data, scoped_slot);
    if (scoped == nullptr) return fail_in(n, 0);
    const Node& scoped_logic = arg(n, 1);
    const bool is_array = scoped->is_array();
    const Array& items = scoped->array_items();
    switch (n.op) {
      case Op::Filter:
      case Op::Map: {
        if (!is_array) return finish_array({}, tmp);
        Array result;
        result.reserve(items.size());
        for (const Value& datum : items) {
          Value slot;
          const Value* r = eval(scoped_logic, datum, slot);
          if (r == nullptr) return fail_in(n, 1);
          if (n.op == Op::Map) result.push_back(r == &slot ? std::move(slot) : *r);
          else if (logic_truthy(*r)) result.push_back(datum);
        }
        return finish_array(std::move(result), tmp);
      }
      default: {
        // all: false for an empty set; none: true; some: false.
        if (!is_array || items.empty()) return n.op == Op::None ? &kTrue : &kFalse;
        for (const Value& datum : items) {
          Value slot;
          const Value* r = eval(scoped_logic, datum, slot);
          if (r == nullptr) return fail_in(n, 1);
          const bool t = logic_truthy(*r);
          if (n.op == Op::All && !t) return &kFalse;
          if (n.op == Op::None && t) return &kFalse;
          if (n.op == Op::Some && t) return &kTrue;
        }
        return n.op != Op::Some ? &kTrue : &kFalse;
      }
    }
  }

  const Value* eval_reduce(const Node& n, const Value& data, Value& tmp) {
    Value scoped_slot;
    const Value* scoped = eval(arg(n, 0), data, scoped_slot);
    if (scoped == nullptr) return fail_in(n, 0);
    Value accumulator = Value::null();
    // json-logic-js skips an initial value that is undefined in the rule itself.
    if (n.count > 2 && !(n.kids[2].code == Code::Literal && n.kids[2].value.is_undefined())) {
      const Value* initial = eval(n.kids[2], data, accumulator);
      if (initial == nullptr) return fail_in(n, 2);
      if (initial != &accumulator) accumulator = *initial;
    }
    if (scoped->is_array()) {
      for (const Value& current : scoped->array_items()) {
        std::vector<Member> scope;
        scope.reserve(2);
        scope.emplace_back(u"current", current);
        scope.emplace_back(u"accumulator", std::move(accumulator));
        const Value scope_value = Value::object(std::move(scope));
        if (!budget_.allocate_array(2) || !budget_.check_depth(scope_value)) return fail_in(n, 1);
        Value next;
        const Value* r = eval(arg(n, 1), scope_value, next);
        if (r == nullptr) return fail_in(n, 1);
        accumulator = r == &next ? std::move(next) : *r;  // r may point into scope_value
      }
    }
    tmp = std::move(accumulator);
    return &tmp;
  }

  // ---- var -------------------------------------------------------------------------------------

  // base[key] for own data (see get_property), without copying: nullptr when undefined. Values
  // made on the spot (lengths, characters of strings) go into tmp, which base may be.
  const Value* property(const Value& base, std::u16string_view key, bool length, int64_t index, Value& tmp) {
    switch (base.type()) {
      case Type::Object:
        return base.find_member(key);
      case Type::Array: {
        const Array& items = base.array_items();
        if (length) {
          tmp = Value::number(static_cast<double>(items.size()));
          return &tmp;
        }
        return index >= 0 && static_cast<uint64_t>(index) < items.size() ? &items[static_cast<size_t>(index)] : nullptr;
      }
      case Type::String: {
        const std::u16string& s = base.string_value();
        if (length) {
          tmp = Value::number(static_cast<double>(s.size()));
          return &tmp;
        }
        if (index < 0 || static_cast<uint64_t>(index) >= s.size()) return nullptr;
        budget_.allocate_string(1);
        Value c = Value::string(std::u16string(1, s[static_cast<size_t>(index)]));
        tmp = std::move(c);
        return &tmp;
      }
      default:
        return nullptr;
    }
  }

  static const Value* not_found(const Value& fallback, Value& tmp) {
    if (fallback.is_undefined()) return &kNull;
    tmp = fallback;
    return &tmp;
  }

  // {"var": "a.b"} with a constant path: arguments, then a walk over pre-split segments.
  const Value* eval_var(const Node& n, const Value& data, Value& tmp) {
    if (n.count > 0 && !budget_.step()) return fail_in(n, 0);  // argument 0 is a literal
    if (n.count > 1) return eval_var_with_default(n, data, tmp);
    if (n.whole_data) return &data;
    const Value* r = walk(n, data, tmp);
    return r == &kNotFound ? &kNull : r;
  }

  TESSERA_NOINLINE const Value* eval_var_with_default(const Node& n, const Value& data, Value& tmp) {
    Value fallback_slot;
    const Value* fallback = eval(n.kids[1], data, fallback_slot);
    if (fallback == nullptr) return fail_in(n, 1);
    for (uint32_t i = 2; i < n.count; ++i) {
      Value ignored;
      if (eval(n.kids[i], data, ignored) == nullptr) return fail_in(n, i);
    }
    if (n.whole_data) return &data;
    const Value* r = walk(n, data, tmp);
    if (r != &kNotFound) return r;
    if (fallback->is_undefined()) return &kNull;
    if (fallback == &fallback_slot) tmp = std::move(fallback_slot);
    else tmp = *fallback;
    return &tmp;
  }

  // The value at a constant path, or &kNotFound.
  const Value* walk(const Node& n, const Value& data, Value& tmp) {
    if (!budget_.scan(n.path_length)) return nullptr;
    const Value* current = &data;
    for (uint32_t i = 0; i < n.segment_count; ++i) {
      const Segment& s = n.segments[i];
      if (current->is_object()) {
        current = current->find_member(s.key);
      } else {
        if (current->is_nullish()) return &kNotFound;
        current = property(*current, s.key, s.length, s.index, tmp);
        if (budget_.failed()) return nullptr;
      }
      if (current == nullptr || current->is_undefined()) return &kNotFound;
    }
    return current;
  }

  // var on evaluated arguments (computed paths, missing's keys).
  const Value* op_var(const Value& a, const Value& b, const Value& data, Value& tmp) {
    if (a.is_nullish() || (a.is_string() && a.string_value().empty())) return &data;
    std::u16string converted;
    std::u16string_view path;
    if (a.is_string()) {
      path = a.string_value();
    } else {
      converted = to_string(a, budget_);
      path = converted;
    }
    if (budget_.failed() || !budget_.scan(path.size())) return nullptr;
    const Value* current = &data;
    for (size_t start = 0;;) {
      const size_t dot = path.find(u'.', start);
      if (current->is_nullish()) return not_found(b, tmp);
      const std::u16string_view part = path.substr(start, dot == std::u16string_view::npos ? dot : dot - start);
      current = property(*current, part, part == u"length", array_index(part, UINT64_MAX), tmp);
      if (budget_.failed()) return nullptr;
      if (current == nullptr || current->is_undefined()) return not_found(b, tmp);
      if (dot == std::u16string_view::npos) break;
      start = dot + 1;
    }
    return current;
  }

  // jsonLogic.apply({"var": key}, data), as missing does for each key: the key (or each element
  // of an array key) is evaluated as logic, then var runs.
  const Value* apply_var_rule(const Value& key, const Value& data, Value& tmp) {
    if (!budget_.step()) return nullptr;
    if (is_plain(key)) {
      if (!budget_.step()) return nullptr;
      return op_var(key, kUndefined, data, tmp);
    }
    const Value* items = &key;
    size_t count = 1;
    if (key.is_array()) {
      items = key.array_items().data();
      count = key.array_items().size();
    }
    std::vector<Value> values(count);
    for (size_t i = 0; i < count; ++i) {
      if (!apply_value(items[i], data, values[i])) return nullptr;
    }
    return op_var(count > 0 ? values[0] : kUndefined, count > 1 ? values[1] : kUndefined, data, tmp);
  }

  // ---- missing ---------------------------------------------------------------------------------

  template <typename Keys>
  bool missing_keys(size_t count, Keys keys, const Value& data, Value& out) {
    Array missing;
    for (size_t i = 0; i < count; ++i) {
      const Value& key = keys(i);
      Value slot;
      const Value* found = apply_var_rule(key, data, slot);
      if (found == nullptr) return false;
      if (found->is_null() || (found->is_string() && found->string_value().empty())) missing.push_back(key);
    }
    return finish_array(std::move(missing), out) != nullptr;
  }

  // Keys: the first argument's elements if it is an array, else the arguments.
  bool op_missing(ArgList args, const Value& data, Value& out) {
    if (args.count > 0 && args[0].is_array()) {
      const Array& keys = args[0].array_items();
      return missing_keys(keys.size(), [&keys](size_t i) -> const Value& { return keys[i]; }, data, out);
    }
    return missing_keys(args.count, [&args](size_t i) -> const Value& { return *args.items[i]; }, data, out);
  }

  const Value* op_missing_some(const Value& need, const Value& options, const Value& data, Value& tmp) {
    // are_missing = jsonLogic.apply({"missing": options}, data)
    if (!budget_.step()) return nullptr;
    const Value* items = &options;
    size_t count = 1;
    if (options.is_array()) {
      items = options.array_items().data();
      count = options.array_items().size();
    }
    Value are_missing;
    if (std::all_of(items, items + count, is_plain)) {
      // Each option evaluates to itself.
      for (size_t i = 0; i < count; ++i) {
        if (!budget_.step()) return nullptr;
      }
      if (!missing_keys(count, [items](size_t i) -> const Value& { return items[i]; }, data, are_missing)) return nullptr;
    } else {
      std::vector<Value> evaluated(count);
      std::vector<const Value*> pointers(count);
      for (size_t i = 0; i < count; ++i) {
        if (!apply_value(items[i], data, evaluated[i])) return nullptr;
        pointers[i] = &evaluated[i];
      }
      if (!op_missing(ArgList{pointers.data(), count}, data, are_missing)) return nullptr;
    }
    if (options.is_nullish()) {
      budget_.fail(std::string("Cannot read properties of ") + (options.is_null() ? "null" : "undefined") +
                   " (reading 'length')");
      return nullptr;
    }
    const Value length = get_property(options, u"length", budget_);
    const double present = to_number(length, budget_) - static_cast<double>(are_missing.array_items().size());
    const int lt = less_than(Value::number(present), need, budget_);  // present >= need ⇔ !(present < need)
    if (budget_.failed()) return nullptr;
    if (lt == 0) return finish_array({}, tmp);
    tmp = std::move(are_missing);
    return &tmp;
  }

  // ---- string and array operations -------------------------------------------------------------

  std::u16string js_substr(std::u16string_view s, const Value& start, const Value& length) {
    const double size = static_cast<double>(s.size());
    double from = to_integer_or_infinity(to_number(start, budget_));
    if (from == -HUGE_VAL) from = 0;
    else if (from < 0) from = std::max(size + from, 0.0);
    else from = std::min(from, size);
    double count = length.is_undefined() ? size : to_integer_or_infinity(to_number(length, budget_));
    count = std::min(std::max(count, 0.0), size);
    const double end = std::min(from + count, size);
    if (budget_.failed() || end <= from) return {};
    return std::u16string(s.substr(static_cast<size_t>(from), static_cast<size_t>(end - from)));
  }

  const Value* op_substr(const Value& source, const Value& start, const Value& end, Value& tmp) {
    const int negative = less_than(end, Value::number(0), budget_);
    if (budget_.failed()) return nullptr;
    std::u16string converted;
    std::u16string_view s;
    if (source.is_string()) {
      s = source.string_value();
    } else {
      converted = to_string(source, budget_);
      s = converted;
    }
    if (budget_.failed()) return nullptr;
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
    if (budget_.failed() || !budget_.allocate_string(result.size())) return nullptr;
    tmp = Value::string(std::move(result));
    return &tmp;
  }

  const Value* op_in(const Value& a, const Value& b) {
    bool found = false;
    if (js_truthy(b)) {
      if (b.is_string()) {
        std::u16string converted;
        std::u16string_view needle;
        if (a.is_string()) {
          needle = a.string_value();
        } else {
          converted = to_string(a, budget_);
          needle = converted;
        }
        if (!budget_.scan(b.string_value().size() + needle.size())) return nullptr;
        found = contains(b.string_value(), needle);
      } else if (b.is_array()) {
        const Array& items = b.array_items();
        if (!budget_.scan(items.size())) return nullptr;
        for (const Value& item : items) {
          if (strictly_equal(item, a, budget_)) {
            found = true;
            break;
          }
        }
      } else if (b.is_object()) {
        const Value* index_of = b.find_member(u"indexOf");
        if (index_of != nullptr && !index_of->is_undefined()) {
          budget_.fail("b.indexOf is not a function");
          return nullptr;
        }
      }
    }
    return boolean(found);
  }

  const Value* op_cat(ArgList args, Value& tmp) {
    std::u16string s;
    for (size_t i = 0; i < args.count; ++i) {
      const Value& v = *args.items[i];
      if (v.is_nullish()) continue;
      if (v.is_string()) s += v.string_value();
      else s += to_string(v, budget_);
      if (budget_.failed()) return nullptr;
      if (s.size() > budget_.limits().max_string_length) {
        budget_.allocate_string(s.size());
        return nullptr;
      }
    }
    if (!budget_.allocate_string(s.size())) return nullptr;
    tmp = Value::string(std::move(s));
    return &tmp;
  }

  const Value* op_merge(ArgList args, Value& tmp) {
    size_t total = 0;
    for (size_t i = 0; i < args.count; ++i) total += args[i].is_array() ? args[i].array_items().size() : 1;
    if (!budget_.allocate_array(total)) return nullptr;
    Array result;
    result.reserve(total);
    for (size_t i = 0; i < args.count; ++i) {
      const Value& v = args[i];
      if (v.is_array()) result.insert(result.end(), v.array_items().begin(), v.array_items().end());
      else result.push_back(v);
    }
    tmp = Value::array(std::move(result));
    return budget_.check_depth(tmp) ? &tmp : nullptr;
  }

  const Value* op_min_max(bool max, ArgList args, Value& tmp) {
    double result = max ? -HUGE_VAL : HUGE_VAL;
    for (size_t i = 0; i < args.count; ++i) {
      const double x = to_number(args[i], budget_);
      if (budget_.failed()) return nullptr;
      if (std::isnan(result)) continue;
      if (std::isnan(x)) {
        result = x;
      } else if (max ? (x > result || (x == 0 && result == 0 && !std::signbit(x)))
                     : (x < result || (x == 0 && result == 0 && std::signbit(x)))) {
        result = x;
      }
    }
    return number(result, tmp);
  }

  TESSERA_NOINLINE const Value* unknown_operation(const std::u16string& name, ArgList args, const Value& data,
                                                  Value& tmp) {
    const std::string name8 = utf16_to_utf8(name);
    const size_t dot = name.find(u'.');
    if (dot == std::u16string::npos || dot == 0) {
      budget_.fail("Unrecognized operation " + name8);
      return nullptr;
    }
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
    auto failed_at = [&](size_t i) -> const Value* {
      std::u16string prefix;
      for (size_t k = 0; k <= i; ++k) {
        if (k > 0) prefix += u'.';
        prefix += parts[k];
      }
      budget_.fail("Unrecognized operation " + name8 + " (failed at " + utf16_to_utf8(prefix) + ")");
      return nullptr;
    };
    const Op base = lookup_op(parts[0]);
    if (!in_operations_table(base)) return failed_at(0);
    enum class Walk { Function, Number, String, Prototype } kind = Walk::Function;
    size_t string_length = 0;
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::u16string_view p = parts[i];
      if (kind == Walk::Function && p == u"length") kind = Walk::Number;
      else if (kind == Walk::Function && p == u"name") kind = Walk::String, string_length = parts[0].size();
      else if (kind == Walk::Function && p == u"prototype") kind = Walk::Prototype;
      else if (kind == Walk::Prototype && p == u"constructor") kind = Walk::Function;
      else if (kind == Walk::String && p == u"length") kind = Walk::Number;
      else if (kind == Walk::String && get_property(Value::string(std::u16string(string_length, u'x')), p, budget_).is_string())
        string_length = 1;
      else return failed_at(i);
    }
    if (kind != Walk::Function) {
      budget_.fail("operation.apply is not a function");
      return nullptr;
    }
    return run(base, name, args, data, tmp);
  }

  // Operations from json-logic-js's `operations` table, on evaluated arguments.
  const Value* run(Op op, const std::u16string& name, ArgList args, const Value& data, Value& tmp) {
    const Value& a = args[0];
    const Value& b = args[1];
    switch (op) {
      case Op::Eq: return boolean(loosely_equal(a, b, budget_));
      case Op::Ne: return boolean(!loosely_equal(a, b, budget_));
      case Op::StrictEq: return boolean(strictly_equal(a, b, budget_));
      case Op::StrictNe: return boolean(!strictly_equal(a, b, budget_));
      case Op::Gt: return boolean(less_than(b, a, budget_) == 1);
      case Op::Ge: return boolean(less_than(a, b, budget_) == 0);
      case Op::Lt:
      case Op::Le: {
        // a <= b is !(b < a), false when a NaN is involved. With c: (a op b) && (b op c).
        const Value& c = args[2];
        auto test = [this, op](const Value& x, const Value& y) {
          return op == Op::Lt ? less_than(x, y, budget_) == 1 : less_than(y, x, budget_) == 0;
        };
        if (c.is_undefined()) return boolean(test(a, b));
        const bool first = test(a, b);
        return boolean(first && !budget_.failed() && test(b, c));
      }
      case Op::NotNot: return boolean(logic_truthy(a));
      case Op::Not: return boolean(!logic_truthy(a));
      case Op::Mod: {
        const double x = to_number(a, budget_);
        return number(std::fmod(x, to_number(b, budget_)), tmp);
      }
      case Op::Div: {
        const double x = to_number(a, budget_);
        return number(x / to_number(b, budget_), tmp);
      }
      case Op::Minus: {
        const double x = to_number(a, budget_);
        if (b.is_undefined()) return number(-x, tmp);
        return number(x - to_number(b, budget_), tmp);
      }
      case Op::Plus: {
        // reduce((a, b) => parseFloat(a) + parseFloat(b), 0)
        double sum = 0;
        for (size_t i = 0; i < args.count && !budget_.failed(); ++i) {
          sum = (sum == 0 ? 0.0 : sum) + parse_float(args[i], budget_);
        }
        return number(sum, tmp);
      }
      case Op::Times: {
        // reduce((a, b) => parseFloat(a) * parseFloat(b)) without an initial value: one argument
        // comes back unchanged (not even converted), none is a TypeError.
        if (args.count == 0) {
          budget_.fail("Reduce of empty array with no initial value");
          return nullptr;
        }
        if (args.count == 1) {
          tmp = a;
          return &tmp;
        }
        double product = parse_float(a, budget_);
        for (size_t i = 1; i < args.count && !budget_.failed(); ++i) {
          if (i > 1) product = product == 0 ? 0.0 : product;  // parseFloat(-0) is 0
          product = product * parse_float(args[i], budget_);
        }
        return number(product, tmp);
      }
      case Op::Min: return op_min_max(false, args, tmp);
      case Op::Max: return op_min_max(true, args, tmp);
      case Op::Log:
        if (log_.write != nullptr) log_.write(log_.user, a);
        tmp = a;
        return &tmp;
      case Op::In: return op_in(a, b);
      case Op::Cat: return op_cat(args, tmp);
      case Op::Substr: return op_substr(a, b, args[2], tmp);
      case Op::Merge: return op_merge(args, tmp);
      case Op::Var: return op_var(a, b, data, tmp);
      case Op::Missing: {
        // Failures inside the keys' evaluation are reported at this operation.
        const size_t mark = path_.size();
        if (op_missing(args, data, tmp)) return &tmp;
        path_.resize(mark);
        return nullptr;
      }
      case Op::MissingSome: {
        const size_t mark = path_.size();
        if (const Value* r = op_missing_some(a, b, data, tmp)) return r;
        path_.resize(mark);
        return nullptr;
      }
      default:
        return unknown_operation(name, args, data, tmp);
    }
  }

  Budget budget_;
  LogSink log_;
  uint32_t depth_ = 0;
  std::vector<std::string> path_;  // innermost segment first
};

std::string too_deep_input(const Limits& limits) {
  return "JSON nested deeper than " + std::to_string(limits.max_json_depth) + " levels";
}

}  // namespace

// ---- entry points ------------------------------------------------------------------------------

std::shared_ptr<const Program> compile(const Value& rule) {
  auto impl = std::make_unique<Program::Impl>();
  Compiler(*impl).run(rule);
  return std::make_shared<const Program>(std::move(impl));
}

EvalResult evaluate(const Program& compiled, const Value& data, const Limits& limits, LogSink log) {
  const Program::Impl& program = compiled.impl();
  EvalResult result;
  if (program.depth > limits.max_json_depth || data.depth() > limits.max_json_depth) {
    result.error = too_deep_input(limits);
    return result;
  }
  Evaluator evaluator(limits, log);
  Value tmp;
  const Value* r = evaluator.eval(program.root(), data, tmp);
  if (r != nullptr) {
    result.ok = true;
    if (r == &tmp) result.value = std::move(tmp);
    else result.value = *r;
  } else {
    result.error = evaluator.budget().error();
    result.pointer = evaluator.pointer();
  }
  return result;
}

EvalResult evaluate(const Value& rule, const Value& data, const Limits& limits, LogSink log) {
  if (rule.depth() > limits.max_json_depth || data.depth() > limits.max_json_depth) {
    EvalResult result;
    result.error = too_deep_input(limits);
    return result;
  }
  return evaluate(*compile(rule), data, limits, log);
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
