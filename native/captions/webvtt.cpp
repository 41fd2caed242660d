// The WebVTT parser algorithm, block by block, as the W3C specification writes it. Step names in
// comments are the specification's ("collect a WebVTT block", "parse the WebVTT cue settings",
// "WebVTT cue text tokenizer", …) so each piece can be checked against it. The one addition is
// the error list: wherever the algorithm drops or ignores something, a line-numbered message
// says what and why. Every loop advances through the input, and nothing is revisited more than
// once (a rewound line is re-read by the next block only), so parsing is linear.
#include "captions/webvtt.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "captions/html_entities.h"

namespace tessera::captions {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
// ASCII whitespace (the HTML standard's): tab, LF, FF, CR, space.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

void skip_whitespace(std::string_view in, size_t& pos) {
  while (pos < in.size() && is_space(in[pos])) ++pos;
}

std::string_view collect_digits(std::string_view in, size_t& pos) {
  const size_t start = pos;
  while (pos < in.size() && is_digit(in[pos])) ++pos;
  return in.substr(start, pos - start);
}

// "Split a string on spaces": calls f for each token between runs of ASCII whitespace.
template <class F>
void for_each_token(std::string_view in, F f) {
  size_t pos = 0;
  while (true) {
    skip_whitespace(in, pos);
    if (pos >= in.size()) return;
    const size_t start = pos;
    while (pos < in.size() && !is_space(in[pos])) ++pos;
    f(in.substr(start, pos - start));
  }
}

// Text quoted in a message: at most 60 bytes, cut at a character boundary.
std::string quoted(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return "\"" + std::string(text) + "\"";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(text.substr(0, cut)) + "…\"";
}

double two_digits(std::string_view s) { return (s[0] - '0') * 10.0 + (s[1] - '0'); }

// "Collect a WebVTT timestamp" from in at pos. Returns nullptr with the time in seconds, or why
// it failed. A timestamp whose hours are too many to be a finite double is refused too (no
// VTTCue can hold it).
const char* collect_timestamp(std::string_view in, size_t& pos, double& seconds) {
  if (pos >= in.size() || !is_digit(in[pos])) return "a timestamp must start with a digit";
  const std::string_view first = collect_digits(in, pos);
  const bool hours = first.size() != 2 || two_digits(first) > 59;
  if (pos >= in.size() || in[pos] != ':') return "a timestamp needs ':' after its first number";
  ++pos;
  const std::string_view second = collect_digits(in, pos);
  if (second.size() != 2) return "minutes and seconds must have two digits";
  double value1 = 0, value2 = 0, value3 = 0;
  if (hours || (pos < in.size() && in[pos] == ':')) {
    if (pos >= in.size() || in[pos] != ':') return "hours (or a first number over 59) need minutes and seconds";
    ++pos;
    const std::string_view third = collect_digits(in, pos);
    if (third.size() != 2) return "seconds must have two digits";
    const std::optional<double> h = decimal_value(first);
    if (!h) return "hours out of range";
    value1 = *h;
    value2 = two_digits(second);
    value3 = two_digits(third);
  } else {
    value2 = two_digits(first);
    value3 = two_digits(second);
  }
  if (pos >= in.size() || in[pos] != '.') return "a timestamp needs '.' before its milliseconds";
  ++pos;
  const std::string_view millis = collect_digits(in, pos);
  if (millis.size() != 3) return "milliseconds must have three digits";
  if (value2 > 59 || value3 > 59) return "minutes and seconds must be at most 59";
  const double value4 = (millis[0] - '0') * 100.0 + (millis[1] - '0') * 10.0 + (millis[2] - '0');
  seconds = value1 * 60 * 60 + value2 * 60 + value3 + value4 / 1000;
  if (!std::isfinite(seconds)) return "hours out of range";
  return nullptr;
}

// "Parse a percentage string": a WebVTT percentage (digits, optionally '.' and digits, then '%')
// in 0..100.
std::optional<double> parse_percentage(std::string_view in) {
  size_t pos = 0;
  if (collect_digits(in, pos).empty()) return std::nullopt;
  if (pos < in.size() && in[pos] == '.') {
    ++pos;
    if (collect_digits(in, pos).empty()) return std::nullopt;
  }
  if (pos + 1 != in.size() || in[pos] != '%') return std::nullopt;
  const std::optional<double> value = decimal_value(in.substr(0, pos));
  if (!value || *value < 0 || *value > 100) return std::nullopt;
  return value;
}

// A "name:value" setting split at its first colon; false when there is no colon or it is the
// first or last character.
bool split_setting(std::string_view setting, std::string_view& name, std::string_view& value) {
  const size_t colon = setting.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == setting.size()) return false;
  name = setting.substr(0, colon);
  value = setting.substr(colon + 1);
  return true;
}

// Splits value at its first comma: the part before, and the part after (nullopt without a comma).
std::string_view split_comma(std::string_view value, std::optional<std::string_view>& after) {
  const size_t comma = value.find(',');
  if (comma == std::string_view::npos) {
    after.reset();
    return value;
  }
  after = value.substr(comma + 1);
  return value.substr(0, comma);
}

// The line setting's number form: '-'? digits ('.' digits)?, checked as the spec's steps do.
bool valid_line_number(std::string_view linepos) {
  size_t dots = 0;
  for (size_t i = 0; i < linepos.size(); ++i) {
    const char c = linepos[i];
    if (c == '-' && i != 0) return false;
    if (c == '.') ++dots;
    else if (c != '-' && !is_digit(c)) return false;
  }
  if (dots > 1) return false;
  const size_t dot = linepos.find('.');
  if (dot != std::string_view::npos) {
    if (dot == 0 || dot + 1 == linepos.size() || !is_digit(linepos[dot - 1]) || !is_digit(linepos[dot + 1])) return false;
  }
  return true;
}

// ---- cue text --------------------------------------------------------------------------------

struct Token {
  enum Kind { String, StartTag, EndTag, TimestampTag } kind = String;
  std::string value;  // the string, the tag name, or the timestamp tag's value
  std::vector<std::string> classes;
  std::string annotation;
};

// "WebVTT cue text tokenizer": one token from in at pos (which is not at the end).
void next_token(std::string_view in, size_t& pos, Token& token) {
  enum class State { Data, Tag, StartTag, StartTagClass, StartTagAnnotation, EndTag, TimestampTag };
  State state = State::Data;
  token.value.clear();
  token.classes.clear();
  token.annotation.clear();
  std::string& result = token.value;
  std::string buffer;
  auto start_tag = [&](bool with_annotation) {
    token.kind = Token::StartTag;
    if (with_annotation) {
      // Leading and trailing ASCII whitespace removed, inner runs collapsed to one space.
      std::string& a = token.annotation;
      for (const char c : buffer) {
        if (is_space(c)) {
          if (!a.empty() && a.back() != ' ') a.push_back(' ');
        } else {
          a.push_back(c);
        }
      }
      if (!a.empty() && a.back() == ' ') a.pop_back();
    }
  };
  while (true) {
    const bool eof = pos >= in.size();
    const char c = eof ? '\0' : in[pos];
    switch (state) {
      case State::Data:
        if (eof) {
          token.kind = Token::String;
          return;
        }
        if (c == '&') {
          // HTML character reference in data state; the reference's characters, or the '&'.
          const size_t used = consume_character_reference(in, pos + 1, result);
          if (used == 0) result.push_back('&');
          pos += 1 + used;
          continue;
        }
        if (c == '<') {
          if (!result.empty()) {
            token.kind = Token::String;
            return;
          }
          state = State::Tag;
          break;
        }
        result.push_back(c);
        break;
      case State::Tag:
        if (eof) {
          token.kind = Token::StartTag;
          return;
        }
        if (c == '\t' || c == '\n' || c == '\f' || c == ' ') state = State::StartTagAnnotation;
        else if (c == '.') state = State::StartTagClass;
        else if (c == '/') state = State::EndTag;
        else if (is_digit(c)) {
          result.assign(1, c);
          state = State::TimestampTag;
        } else if (c == '>') {
          ++pos;
          token.kind = Token::StartTag;
          return;
        } else {
          result.assign(1, c);
          state = State::StartTag;
        }
        break;
      case State::StartTag:
        if (eof) {
          start_tag(false);
          return;
        }
        if (c == '\t' || c == '\f' || c == ' ') state = State::StartTagAnnotation;
        else if (c == '\n') {
          buffer.assign(1, c);
          state = State::StartTagAnnotation;
        } else if (c == '.') state = State::StartTagClass;
        else if (c == '>') {
          ++pos;
          start_tag(false);
          return;
        } else {
          result.push_back(c);
        }
        break;
      case State::StartTagClass:
        if (eof || c == '>') {
          if (!eof) ++pos;
          token.classes.push_back(std::move(buffer));
          start_tag(false);
          return;
        }
        if (c == '\t' || c == '\f' || c == ' ') {
          token.classes.push_back(std::move(buffer));
          buffer.clear();
          state = State::StartTagAnnotation;
        } else if (c == '\n') {
          token.classes.push_back(std::move(buffer));
          buffer.assign(1, c);
          state = State::StartTagAnnotation;
        } else if (c == '.') {
          token.classes.push_back(std::move(buffer));
          buffer.clear();
        } else {
          buffer.push_back(c);
        }
        break;
      case State::StartTagAnnotation:
        if (eof || c == '>') {
          if (!eof) ++pos;
          start_tag(true);
          return;
        }
        if (c == '&') {
          // HTML character reference in annotation state ('>' is the additional allowed
          // character: "&>" is no reference, which the lookup already says).
          const size_t used = consume_character_reference(in, pos + 1, buffer);
          if (used == 0) buffer.push_back('&');
          pos += 1 + used;
          continue;
        }
        buffer.push_back(c);
        break;
      case State::EndTag:
        if (eof || c == '>') {
          if (!eof) ++pos;
          token.kind = Token::EndTag;
          return;
        }
        result.push_back(c);
        break;
      case State::TimestampTag:
        if (eof || c == '>') {
          if (!eof) ++pos;
          token.kind = Token::TimestampTag;
          return;
        }
        result.push_back(c);
        break;
    }
    ++pos;  // "Next"
  }
}

// "WebVTT cue text parsing rules", building the tree within the options' limits. node_budget is
// shared by all cues of a file.
class CueTextParser : CueTreeBuilder {
 public:
  CueTextParser(std::string_view text, const CaptionOptions& options, ErrorList* errors, int first_line, size_t& node_budget)
      : CueTreeBuilder(text, options, errors, first_line, node_budget) {}

  CueNode parse() {
    CueNode root;
    root.type = CueNodeType::Root;
    std::vector<std::string> languages;  // the language stack
    if (options_.fallback_language) {
      root.language = *options_.fallback_language;
      languages.push_back(*options_.fallback_language);
    }
    stack_.push_back({CueNodeType::Root, &root});
    size_t pos = 0;
    Token token;
    while (pos < text_.size()) {
      const size_t token_start = pos;
      next_token(text_, pos, token);
      if (full_) continue;  // over a limit: the rest adds nothing (tokenizing it is cheap and linear)
      switch (token.kind) {
        case Token::String: {
          CueNode* n = add(CueNodeType::Text, token_start);
          if (n) n->value = std::move(token.value);
          break;
        }
        case Token::StartTag: start_tag(token, token_start, languages); break;
        case Token::EndTag: end_tag(token, token_start, languages); break;
        case Token::TimestampTag: {
          size_t p = 0;
          double seconds = 0;
          const char* problem = collect_timestamp(token.value, p, seconds);
          if (problem || p != token.value.size()) {
            error(token_start, "cue text: <" + token.value + "> is not a timestamp; ignored");
            break;
          }
          CueNode* n = add(CueNodeType::Timestamp, token_start);
          if (n) n->timestamp = seconds;
          break;
        }
      }
    }
    return root;
  }

 private:
  // "Attach a WebVTT Internal Node Object".
  void attach(CueNodeType type, Token& token, size_t at, const std::vector<std::string>& languages) {
    CueNode* n = open(type, at);
    if (!n) return;
    for (std::string& c : token.classes)
      if (!c.empty()) n->classes.push_back(std::move(c));
    if (!languages.empty()) n->language = languages.back();
    if (type == CueNodeType::Voice || type == CueNodeType::Language) n->value = token.annotation;
  }

  void start_tag(Token& token, size_t at, std::vector<std::string>& languages) {
    const std::string& name = token.value;
    if (name == "c") attach(CueNodeType::Class, token, at, languages);
    else if (name == "i") attach(CueNodeType::Italic, token, at, languages);
    else if (name == "b") attach(CueNodeType::Bold, token, at, languages);
    else if (name == "u") attach(CueNodeType::Underline, token, at, languages);
    else if (name == "ruby") attach(CueNodeType::Ruby, token, at, languages);
    else if (name == "rt") {
      if (stack_.back().type == CueNodeType::Ruby) attach(CueNodeType::RubyText, token, at, languages);
      else error(at, "cue text: <rt> outside <ruby> ignored");
    } else if (name == "v") {
      attach(CueNodeType::Voice, token, at, languages);
    } else if (name == "lang") {
      languages.push_back(token.annotation);
      attach(CueNodeType::Language, token, at, languages);
    } else {
      error(at, "cue text: <" + tag_text(name) + "> is not a WebVTT tag; ignored");
    }
  }

  void end_tag(const Token& token, size_t at, std::vector<std::string>& languages) {
    const std::string& name = token.value;
    const CueNodeType current = stack_.back().type;
    const bool closes = (name == "c" && current == CueNodeType::Class) || (name == "i" && current == CueNodeType::Italic) ||
                        (name == "b" && current == CueNodeType::Bold) || (name == "u" && current == CueNodeType::Underline) ||
                        (name == "ruby" && current == CueNodeType::Ruby) || (name == "rt" && current == CueNodeType::RubyText) ||
                        (name == "v" && current == CueNodeType::Voice);
    if (closes) {
      stack_.pop_back();
    } else if (name == "lang" && current == CueNodeType::Language) {
      stack_.pop_back();
      languages.pop_back();
    } else if (name == "ruby" && current == CueNodeType::RubyText) {
      stack_.pop_back();  // the rt
      stack_.pop_back();  // its ruby
    } else {
      error(at, "cue text: </" + tag_text(name) + "> does not close the current element; ignored");
    }
  }

  static std::string tag_text(const std::string& name) {
    const std::string q = quoted(name);
    return q.substr(1, q.size() - 2);
  }
};

// ---- the file ----------------------------------------------------------------------------------

class WebVttParser {
 public:
  WebVttParser(std::string input, const CaptionOptions& options, ParsedCaptions& out)
      : input_(std::move(input)), options_(options), out_(out), errors_(out.errors, options.max_errors),
        node_budget_(options.max_total_nodes) {}

  void run() {
    // Signature.
    const std::string_view in = input_;
    if (in.size() < 6 || in.substr(0, 6) != "WEBVTT" ||
        (in.size() > 6 && in[6] != ' ' && in[6] != '\t' && in[6] != '\n')) {
      errors_.add(1, "not a WebVTT file: it must start with \"WEBVTT\" followed by a space, a tab or a line break");
      errors_.finish();
      return;
    }
    out_.ok = true;
    pos_ = in.find('\n');  // the rest of the signature line
    if (pos_ == std::string_view::npos) return finish();
    advance_line_feed();
    if (pos_ >= in.size()) return finish();
    // Header.
    if (in[pos_] != '\n') collect_block(true);
    else advance_line_feed();
    skip_line_feeds();
    // Block loop.
    while (pos_ < in.size()) {
      collect_block(false);
      skip_line_feeds();
    }
    finish();
  }

 private:
  void finish() { errors_.finish(); }

  void advance_line_feed() {
    ++pos_;
    ++line_;
  }
  void skip_line_feeds() {
    while (pos_ < input_.size() && input_[pos_] == '\n') advance_line_feed();
  }

  static bool block_keyword(std::string_view buffer, std::string_view keyword) {
    if (buffer.substr(0, keyword.size()) != keyword) return false;
    return std::all_of(buffer.begin() + static_cast<std::ptrdiff_t>(keyword.size()), buffer.end(), is_space);
  }

  // "Collect a WebVTT block".
  void collect_block(bool in_header) {
    const std::string_view in = input_;
    const int first_line = line_;
    size_t line_count = 0;
    size_t previous_position = pos_;
    int previous_line = line_;
    std::string buffer;
    bool seen_eof = false, seen_arrow = false;
    bool have_cue = false, have_stylesheet = false, have_region = false;
    Cue cue;
    Region region;
    int text_line = 0;  // where the cue text starts
    while (true) {
      const size_t lf = in.find('\n', pos_);
      const std::string_view text = in.substr(pos_, lf == std::string_view::npos ? std::string_view::npos : lf - pos_);
      const int this_line = line_;
      ++line_count;
      if (lf == std::string_view::npos) {
        pos_ = in.size();
        seen_eof = true;
      } else {
        pos_ = lf;
        advance_line_feed();
      }
      if (text.find("-->") != std::string_view::npos) {
        if (!in_header && (line_count == 1 || (line_count == 2 && !seen_arrow))) {
          seen_arrow = true;
          previous_position = pos_;
          previous_line = line_;
          // Cue creation: every field at its default, the buffer as identifier.
          cue = Cue();
          cue.id = buffer;
          cue.source_line = this_line;
          have_cue = collect_timings_and_settings(text, cue, this_line);
          if (have_cue) {
            buffer.clear();
            seen_cue_ = true;
            text_line = this_line + 1;
          }
        } else {
          pos_ = previous_position;
          line_ = previous_line;
          break;
        }
      } else if (text.empty()) {
        break;
      } else {
        if (!in_header && line_count == 2) {
          if (!seen_cue_ && block_keyword(buffer, "STYLE")) {
            have_stylesheet = true;
            buffer.clear();
          } else if (!seen_cue_ && block_keyword(buffer, "REGION")) {
            have_region = true;
            region = Region();  // Region creation: the defaults
            region.source_line = first_line;
            buffer.clear();
          }
        }
        if (!buffer.empty()) buffer.push_back('\n');
        buffer += text;
        previous_position = pos_;
        previous_line = line_;
      }
      if (seen_eof) break;
    }
    if (have_cue) {
      cue.text = std::move(buffer);
      add_cue(std::move(cue), text_line);
    } else if (have_stylesheet) {
      if (out_.stylesheets.size() >= options_.max_stylesheets) {
        errors_.add(first_line, "more than " + std::to_string(options_.max_stylesheets) + " STYLE blocks; this one is dropped");
      } else {
        out_.stylesheets.push_back(std::move(buffer));
      }
    } else if (have_region) {
      collect_region_settings(buffer, region, first_line + 1);
      add_region(std::move(region));
    } else if (!in_header && !seen_arrow) {
      report_ignored_block(buffer, first_line);
    }
  }

  void report_ignored_block(std::string_view buffer, int first_line) {
    const std::string_view first = buffer.substr(0, buffer.find('\n'));
    // A comment: "NOTE" alone on its line, or followed by a space or a tab.
    if (first.substr(0, 4) == "NOTE" && (first.size() == 4 || first[4] == ' ' || first[4] == '\t')) return;
    if (block_keyword(first, "STYLE") || block_keyword(first, "REGION")) {
      const std::string keyword(first.substr(0, first[0] == 'S' ? 5 : 6));
      errors_.add(first_line, seen_cue_ ? keyword + " block after the first cue is ignored"
                                        : keyword + " block without settings is ignored");
      return;
    }
    errors_.add(first_line, "block " + quoted(first) + " is not a cue (no \"-->\" timing line), STYLE, REGION or NOTE; ignored");
  }

  void add_cue(Cue cue, int text_line) {
    if (out_.cues.size() >= options_.max_cues) {
      if (!cues_full_reported_)
        errors_.add(cue.source_line, "more than " + std::to_string(options_.max_cues) + " cues; the rest are dropped");
      cues_full_reported_ = true;
      return;
    }
    if (options_.cue_trees) {
      CueTextParser parser(cue.text, options_, &errors_, text_line, node_budget_);
      cue.tree = parser.parse();
    }
    out_.cues.push_back(std::move(cue));
  }

  void add_region(Region region) {
    if (out_.regions.size() >= options_.max_regions) {
      errors_.add(region.source_line, "more than " + std::to_string(options_.max_regions) + " REGION blocks; this one is dropped");
      return;
    }
    region_index_[region.id] = static_cast<int>(out_.regions.size());  // "the last region" with an id wins
    out_.regions.push_back(std::move(region));
  }

  // "Collect WebVTT region settings" (settings may span the block's lines; first_line is the
  // line of the first).
  void collect_region_settings(std::string_view settings, Region& region, int first_line) {
    size_t counted = 0;
    int line = first_line;
    for_each_token(settings, [&](std::string_view setting) {
      for (const size_t at = static_cast<size_t>(setting.data() - settings.data()); counted < at; ++counted)
        if (settings[counted] == '\n') ++line;
      std::string_view name, value;
      if (!split_setting(setting, name, value)) {
        errors_.add(line, "region setting " + quoted(setting) + " is not name:value; ignored");
        return;
      }
      if (name == "id") {
        region.id = std::string(value);
      } else if (name == "width") {
        if (const std::optional<double> p = parse_percentage(value)) region.width = *p;
        else errors_.add(line, "region width " + quoted(value) + " is not a percentage from 0% to 100%; ignored");
      } else if (name == "lines") {
        if (!std::all_of(value.begin(), value.end(), is_digit)) {
          errors_.add(line, "region lines " + quoted(value) + " is not a whole number; ignored");
          return;
        }
        region.lines = decimal_value(value).value_or(HUGE_VAL);
      } else if (name == "regionanchor" || name == "viewportanchor") {
        std::optional<std::string_view> y_text;
        const std::string_view x_text = split_comma(value, y_text);
        const std::optional<double> x = parse_percentage(x_text);
        const std::optional<double> y = y_text ? parse_percentage(*y_text) : std::nullopt;
        if (!x || !y) {
          errors_.add(line, "region " + std::string(name) + " " + quoted(value) + " is not two percentages \"x%,y%\"; ignored");
          return;
        }
        if (name == "regionanchor") {
          region.region_anchor_x = *x;
          region.region_anchor_y = *y;
        } else {
          region.viewport_anchor_x = *x;
          region.viewport_anchor_y = *y;
        }
      } else if (name == "scroll") {
        if (value == "up") region.scroll = RegionScroll::Up;
        else errors_.add(line, "region scroll " + quoted(value) + " is not \"up\"; ignored");
      } else {
        errors_.add(line, "unknown region setting " + quoted(name) + "; ignored");
      }
    });
  }

  // "Collect WebVTT cue timings and settings" from a timing line.
  bool collect_timings_and_settings(std::string_view text, Cue& cue, int line) {
    size_t pos = 0;
    skip_whitespace(text, pos);
    const char* problem = collect_timestamp(text, pos, cue.start_time);
    if (!problem) {
      skip_whitespace(text, pos);
      if (text.substr(pos, 3) != "-->") problem = "the start time must be followed by \"-->\"";
    }
    if (!problem) {
      pos += 3;
      skip_whitespace(text, pos);
      problem = collect_timestamp(text, pos, cue.end_time);
    }
    if (problem) {
      errors_.add(line, "bad cue timings " + quoted(text) + ": " + problem + "; the cue is dropped");
      return false;
    }
    parse_cue_settings(text.substr(pos), cue, line);
    return true;
  }

  void drop_region(Cue& cue, int line, const char* why) {
    if (cue.region < 0) return;
    errors_.add(line, "the cue leaves region " + quoted(out_.regions[static_cast<size_t>(cue.region)].id) + ": " + why);
    cue.region = -1;
  }

  // "Parse the WebVTT cue settings".
  void parse_cue_settings(std::string_view settings, Cue& cue, int line) {
    for_each_token(settings, [&](std::string_view setting) {
      std::string_view name, value;
      if (!split_setting(setting, name, value)) {
        errors_.add(line, "cue setting " + quoted(setting) + " is not name:value; ignored");
        return;
      }
      if (name == "region") {
        const auto it = region_index_.find(std::string(value));
        cue.region = it == region_index_.end() ? -1 : it->second;
        if (cue.region < 0) errors_.add(line, "cue setting region:" + quoted(value) + " names no region defined before it; the cue has none");
      } else if (name == "vertical") {
        if (value == "rl") cue.vertical = WritingDirection::VerticalGrowingLeft;
        else if (value == "lr") cue.vertical = WritingDirection::VerticalGrowingRight;
        else errors_.add(line, "cue setting vertical:" + quoted(value) + " is not rl or lr; ignored");
        // Step by step, as the algorithm does: a region set after this setting stays.
        if (cue.vertical != WritingDirection::Horizontal) drop_region(cue, line, "vertical cues have no regions");
      } else if (name == "line") {
        parse_line_setting(value, cue, line);
      } else if (name == "position") {
        std::optional<std::string_view> colalign;
        const std::string_view colpos = split_comma(value, colalign);
        const std::optional<double> number = parse_percentage(colpos);
        if (!number) {
          errors_.add(line, "cue setting position:" + quoted(value) + " is not a percentage from 0% to 100%; ignored");
          return;
        }
        // The alignment is checked first: an unknown (or empty) one drops the whole setting
        // ("otherwise, if colalign is not null, then jump to the step labeled next setting").
        if (colalign) {
          if (*colalign == "line-left") cue.position_align = PositionAlign::LineLeft;
          else if (*colalign == "center") cue.position_align = PositionAlign::Center;
          else if (*colalign == "line-right") cue.position_align = PositionAlign::LineRight;
          else {
            errors_.add(line, "cue setting position:" + quoted(value) + ": the alignment " + quoted(*colalign) +
                                  " is not line-left, center or line-right; the setting is ignored");
            return;
          }
        }
        cue.position = *number;
      } else if (name == "size") {
        const std::optional<double> number = parse_percentage(value);
        if (!number) {
          errors_.add(line, "cue setting size:" + quoted(value) + " is not a percentage from 0% to 100%; ignored");
          return;
        }
        cue.size = *number;
        if (cue.size != 100) drop_region(cue, line, "a cue with a size is not laid out in a region");
      } else if (name == "align") {
        if (value == "start") cue.align = CueAlign::Start;
        else if (value == "center") cue.align = CueAlign::Center;
        else if (value == "end") cue.align = CueAlign::End;
        else if (value == "left") cue.align = CueAlign::Left;
        else if (value == "right") cue.align = CueAlign::Right;
        else errors_.add(line, "cue setting align:" + quoted(value) + " is not start, center, end, left or right; ignored");
      } else {
        errors_.add(line, "unknown cue setting " + quoted(name) + "; ignored");
      }
    });
  }

  void parse_line_setting(std::string_view value, Cue& cue, int line) {
    std::optional<std::string_view> linealign;
    const std::string_view linepos = split_comma(value, linealign);
    const auto invalid = [&] {
      errors_.add(line, "cue setting line:" + quoted(value) + " is not a line number or a percentage from 0% to 100%; ignored");
    };
    if (std::none_of(linepos.begin(), linepos.end(), is_digit)) return invalid();
    const bool percent = linepos.back() == '%';
    std::optional<double> number;
    if (percent) {
      number = parse_percentage(linepos);
    } else if (valid_line_number(linepos)) {
      number = decimal_value(linepos);
    }
    if (!number) return invalid();
    // The alignment is checked first: an unknown (or empty) one drops the whole setting
    // ("otherwise, if linealign is not null, then jump to the step labeled next setting").
    if (linealign) {
      if (*linealign == "start") cue.line_align = LineAlign::Start;
      else if (*linealign == "center") cue.line_align = LineAlign::Center;
      else if (*linealign == "end") cue.line_align = LineAlign::End;
      else {
        errors_.add(line, "cue setting line:" + quoted(value) + ": the alignment " + quoted(*linealign) +
                              " is not start, center or end; the setting is ignored");
        return;
      }
    }
    cue.line = *number;
    cue.snap_to_lines = !percent;
    drop_region(cue, line, "a cue with a line position is not laid out in a region");
  }

  std::string input_;
  const CaptionOptions& options_;
  ParsedCaptions& out_;
  ErrorList errors_;
  size_t pos_ = 0;
  int line_ = 1;  // the line pos_ is on
  bool seen_cue_ = false;
  bool cues_full_reported_ = false;
  size_t node_budget_;
  std::unordered_map<std::string, int> region_index_;  // id → index of the last region with it
};

}  // namespace

ParsedCaptions parse_webvtt(std::string_view bytes, const CaptionOptions& options) {
  ParsedCaptions out;
  if (bytes.size() > options.max_bytes) {
    out.errors.push_back({0, "the file is larger than " + std::to_string(options.max_bytes) + " bytes; refused"});
    return out;
  }
  WebVttParser parser(decode_caption_text(bytes), options, out);
  parser.run();
  return out;
}

CueNode parse_cue_text(std::string_view text, const CaptionOptions& options, std::vector<Error>* errors, int first_line) {
  return parse_cue_tree<CueTextParser>(text, options, errors, first_line);
}

}  // namespace tessera::captions
