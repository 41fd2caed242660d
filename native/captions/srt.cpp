// SubRip files: blocks of an optional number, a timing line and text, read leniently (see srt.h).
// Linear: each line is looked at a bounded number of times, and tag scans stop at the next '<'.
#include "captions/srt.h"

#include <algorithm>
#include <cmath>

namespace tessera::captions {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool blank(std::string_view line) { return trim(line).empty(); }

bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

std::string quoted(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return "\"" + std::string(text) + "\"";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(text.substr(0, cut)) + "…\"";
}

// One or two digits' value.
double small_number(std::string_view digits) {
  double v = 0;
  for (const char c : digits) v = v * 10 + (c - '0');
  return v;
}

// [H+:]M{1,2}:S{1,2}[(,|.)F{1,3}] at pos. Returns nullptr with the time, or why it failed.
const char* read_timestamp(std::string_view in, size_t& pos, double& seconds) {
  std::string_view fields[3];
  size_t count = 0;
  while (true) {
    const size_t start = pos;
    while (pos < in.size() && is_digit(in[pos])) ++pos;
    if (pos == start) return "expected a number";
    fields[count++] = in.substr(start, pos - start);
    if (count == 3 || pos >= in.size() || in[pos] != ':') break;
    ++pos;
  }
  if (count < 2) return "a time needs minutes and seconds (HH:MM:SS,mmm)";
  const std::string_view h = count == 3 ? fields[0] : std::string_view();
  const std::string_view m = fields[count - 2], s = fields[count - 1];
  if (m.size() > 2 || s.size() > 2) return "minutes and seconds have one or two digits";
  const double minutes = small_number(m), secs = small_number(s);
  if (minutes > 59 || secs > 59) return "minutes and seconds must be at most 59";
  double fraction = 0;
  if (pos < in.size() && (in[pos] == ',' || in[pos] == '.')) {
    ++pos;
    const size_t start = pos;
    while (pos < in.size() && is_digit(in[pos])) ++pos;
    const size_t digits = pos - start;
    if (digits == 0 || digits > 3) return "milliseconds have one to three digits";
    double millis = 0;
    for (size_t k = 0; k < 3; ++k) millis = millis * 10 + (k < digits ? in[start + k] - '0' : 0);
    fraction = millis / 1000;
  }
  if (pos < in.size() && !is_space(in[pos]) && in[pos] != '-') return "unexpected characters after a time";
  double hours = 0;
  if (!h.empty()) {
    const std::optional<double> v = decimal_value(h);
    if (!v) return "hours out of range";
    hours = *v;
  }
  seconds = hours * 60 * 60 + minutes * 60 + secs + fraction;
  if (!std::isfinite(seconds)) return "hours out of range";
  return nullptr;
}

// "start --> end", anything after the end time (such as X1:… coordinates) ignored.
const char* read_timing_line(std::string_view line, double& start, double& end) {
  size_t pos = 0;
  while (pos < line.size() && is_space(line[pos])) ++pos;
  if (const char* problem = read_timestamp(line, pos, start)) return problem;
  while (pos < line.size() && is_space(line[pos])) ++pos;
  if (line.substr(pos, 3) != "-->") return "the start time must be followed by \"-->\"";
  pos += 3;
  while (pos < line.size() && is_space(line[pos])) ++pos;
  return read_timestamp(line, pos, end);
}

bool is_timing_line(std::string_view line) {
  double start = 0, end = 0;
  return line.find("-->") != std::string_view::npos && read_timing_line(line, start, end) == nullptr;
}

struct NamedColor {
  const char* name;
  const char* hex;
};
// HTML's basic colour keywords, and the other WebVTT colour class names.
constexpr NamedColor kColors[] = {
    {"aqua", "#00ffff"},   {"black", "#000000"}, {"blue", "#0000ff"},    {"cyan", "#00ffff"},   {"fuchsia", "#ff00ff"},
    {"gray", "#808080"},   {"green", "#008000"}, {"grey", "#808080"},    {"lime", "#00ff00"},   {"magenta", "#ff00ff"},
    {"maroon", "#800000"}, {"navy", "#000080"},  {"olive", "#808000"},   {"orange", "#ffa500"}, {"purple", "#800080"},
    {"red", "#ff0000"},    {"silver", "#c0c0c0"}, {"teal", "#008080"},   {"white", "#ffffff"},  {"yellow", "#ffff00"},
};
constexpr const char* kWebVttColorClasses[] = {"white", "lime", "cyan", "red", "yellow", "magenta", "blue", "black"};

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// "#rgb", "#rrggbb" (the '#' may be missing) or a colour name → "#rrggbb"; "" if unknown.
std::string color_hex(const std::string& lowered) {
  for (const NamedColor& c : kColors)
    if (lowered == c.name) return c.hex;
  const std::string_view digits = lowered[0] == '#' ? std::string_view(lowered).substr(1) : std::string_view(lowered);
  if (!std::all_of(digits.begin(), digits.end(), is_hex)) return "";
  if (digits.size() == 6) return "#" + std::string(digits);
  if (digits.size() == 3) return std::string{'#', digits[0], digits[0], digits[1], digits[1], digits[2], digits[2]};
  return "";
}

struct SrtTag {
  CueNodeType type = CueNodeType::Bold;  // Bold, Italic, Underline, or Class for <font>
  bool end = false;
  std::string color;  // <font color>, lowered, unquoted; empty when absent
};

// Reads a <b>, <i>, <u>, <font …> tag or its end tag at pos ('<'); false if it is none.
bool read_tag(std::string_view in, size_t pos, SrtTag& tag, size_t& after) {
  size_t p = pos + 1;
  tag = SrtTag();
  if (p < in.size() && in[p] == '/') {
    tag.end = true;
    ++p;
  }
  const size_t name_start = p;
  while (p < in.size() && ((in[p] >= 'a' && in[p] <= 'z') || (in[p] >= 'A' && in[p] <= 'Z'))) ++p;
  std::string name(in.substr(name_start, p - name_start));
  std::transform(name.begin(), name.end(), name.begin(), lower);
  if (name == "b") tag.type = CueNodeType::Bold;
  else if (name == "i") tag.type = CueNodeType::Italic;
  else if (name == "u") tag.type = CueNodeType::Underline;
  else if (name == "font") tag.type = CueNodeType::Class;
  else return false;
  const size_t attributes_start = p;
  while (p < in.size() && in[p] != '>' && in[p] != '<') ++p;
  if (p >= in.size() || in[p] != '>') return false;
  after = p + 1;
  const std::string_view attributes = in.substr(attributes_start, p - attributes_start);
  if (tag.type != CueNodeType::Class || tag.end) return trim(attributes).empty();
  if (!attributes.empty() && !is_space(attributes[0])) return false;  // "<fontx>"
  // name[=value] pairs; only color matters.
  size_t a = 0;
  while (a < attributes.size()) {
    while (a < attributes.size() && is_space(attributes[a])) ++a;
    const size_t key_start = a;
    while (a < attributes.size() && !is_space(attributes[a]) && attributes[a] != '=') ++a;
    std::string key(attributes.substr(key_start, a - key_start));
    std::transform(key.begin(), key.end(), key.begin(), lower);
    while (a < attributes.size() && is_space(attributes[a])) ++a;
    std::string value;
    if (a < attributes.size() && attributes[a] == '=') {
      ++a;
      while (a < attributes.size() && is_space(attributes[a])) ++a;
      if (a < attributes.size() && (attributes[a] == '"' || attributes[a] == '\'')) {
        const char quote = attributes[a++];
        const size_t value_start = a;
        while (a < attributes.size() && attributes[a] != quote) ++a;
        value = std::string(attributes.substr(value_start, a - value_start));
        if (a < attributes.size()) ++a;
      } else {
        const size_t value_start = a;
        while (a < attributes.size() && !is_space(attributes[a])) ++a;
        value = std::string(attributes.substr(value_start, a - value_start));
      }
    }
    if (key == "color") {
      std::transform(value.begin(), value.end(), value.begin(), lower);
      tag.color = std::string(trim(value));
    }
  }
  return true;
}

class SrtTextParser : CueTreeBuilder {
 public:
  SrtTextParser(std::string_view text, const CaptionOptions& options, ErrorList* errors, int first_line, size_t& node_budget)
      : CueTreeBuilder(text, options, errors, first_line, node_budget) {}

  CueNode parse() {
    CueNode root;
    stack_.push_back({CueNodeType::Root, &root});
    std::string run;  // text since the last tag
    size_t run_start = 0;
    size_t pos = 0;
    while (pos < text_.size() && !full_) {
      SrtTag tag;
      size_t after = 0;
      if (text_[pos] == '<' && read_tag(text_, pos, tag, after)) {
        flush(run, run_start);
        if (tag.end) end_tag(tag, pos);
        else start_tag(tag, pos);
        pos = after;
        run_start = pos;
        continue;
      }
      run.push_back(text_[pos++]);
    }
    flush(run, run_start);
    return root;
  }

 private:
  void flush(std::string& run, size_t at) {
    if (run.empty() || full_) return;
    if (CueNode* n = add(CueNodeType::Text, at)) n->value = std::move(run);
    run.clear();
  }

  void start_tag(const SrtTag& tag, size_t at) {
    CueNode* n = open(tag.type, at);
    if (!n || tag.type != CueNodeType::Class || tag.color.empty()) return;
    n->color = color_hex(tag.color);
    if (n->color.empty()) error(at, "font color " + quoted(tag.color) + " is not a colour name or #rrggbb; ignored");
    for (const char* name : kWebVttColorClasses)
      if (tag.color == name) n->classes.emplace_back(name);
  }

  void end_tag(const SrtTag& tag, size_t at) {
    for (size_t k = stack_.size(); k-- > 1;) {
      if (stack_[k].type == tag.type) {
        stack_.resize(k);  // closes it and anything opened inside it
        return;
      }
    }
    error(at, std::string("closing tag </") + (tag.type == CueNodeType::Class ? "font" : cue_node_type_name(tag.type)) +
                  "> without its opening tag; ignored");
  }
};

}  // namespace

ParsedCaptions parse_srt(std::string_view bytes, const CaptionOptions& options) {
  ParsedCaptions out;
  if (bytes.size() > options.max_bytes) {
    out.errors.push_back({0, "the file is larger than " + std::to_string(options.max_bytes) + " bytes; refused"});
    return out;
  }
  out.ok = true;
  const std::string input = decode_caption_text(bytes);
  std::vector<std::string_view> lines;
  for (size_t start = 0;;) {
    const size_t lf = input.find('\n', start);
    lines.push_back(std::string_view(input).substr(start, lf == std::string::npos ? std::string::npos : lf - start));
    if (lf == std::string::npos) break;
    start = lf + 1;
  }
  ErrorList errors(out.errors, options.max_errors);
  size_t node_budget = options.max_total_nodes;
  bool cues_full = false;
  const size_t n = lines.size();
  size_t i = 0;
  while (i < n) {
    if (blank(lines[i])) {
      ++i;
      continue;
    }
    Cue cue;
    size_t timing = i;
    const char* problem = lines[i].find("-->") != std::string_view::npos
                              ? read_timing_line(lines[i], cue.start_time, cue.end_time)
                              : "no \"-->\"";
    if (problem && i + 1 < n && lines[i + 1].find("-->") != std::string_view::npos) {
      // A cue number, then the timing line.
      timing = i + 1;
      problem = read_timing_line(lines[timing], cue.start_time, cue.end_time);
      cue.id = std::string(trim(lines[i]));
      if (!problem && !all_digits(cue.id)) errors.add(static_cast<int>(i + 1), "cue number " + quoted(cue.id) + " is not a number");
    }
    if (problem) {
      const bool arrow = lines[timing].find("-->") != std::string_view::npos;
      if (arrow) {
        errors.add(static_cast<int>(timing + 1), "bad timing line " + quoted(lines[timing]) + ": " + problem + "; the cue is dropped");
      } else {
        errors.add(static_cast<int>(i + 1), "block " + quoted(trim(lines[i])) + " has no timing line; ignored");
      }
      while (i < n && !blank(lines[i])) ++i;
      continue;
    }
    cue.source_line = static_cast<int>(timing + 1);
    // Text lines, up to a blank line or the next timing line (whose number, if any, is the line
    // before it).
    size_t end = timing + 1;
    while (end < n && !blank(lines[end]) && !is_timing_line(lines[end])) ++end;
    size_t next = end;
    if (end < n && !blank(lines[end]) && end - 1 > timing && all_digits(trim(lines[end - 1]))) next = end - 1;
    for (size_t k = timing + 1; k < next; ++k) {
      if (k > timing + 1) cue.text.push_back('\n');
      cue.text += lines[k];
    }
    i = next;
    if (out.cues.size() >= options.max_cues) {
      if (!cues_full) errors.add(cue.source_line, "more than " + std::to_string(options.max_cues) + " cues; the rest are dropped");
      cues_full = true;
      continue;
    }
    if (options.cue_trees) {
      SrtTextParser parser(cue.text, options, &errors, cue.source_line + 1, node_budget);
      cue.tree = parser.parse();
    }
    out.cues.push_back(std::move(cue));
  }
  errors.finish();
  return out;
}

CueNode parse_srt_text(std::string_view text, const CaptionOptions& options, std::vector<Error>* errors, int first_line) {
  return parse_cue_tree<SrtTextParser>(text, options, errors, first_line);
}

}  // namespace tessera::captions
