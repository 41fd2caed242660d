// Captions as the engine holds them after parsing a WebVTT or SRT file: cues with the fields and
// value forms of the HTML VTTCue interface, regions with those of VTTRegion, each cue's text as
// its tree of WebVTT node objects, and the problems found, by line. Files are untrusted input:
// CaptionOptions bounds size, counts and nesting, and every parser step is linear in the input.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::captions {

enum class WritingDirection { Horizontal, VerticalGrowingLeft, VerticalGrowingRight };  // "", "rl", "lr"
enum class LineAlign { Start, Center, End };
enum class PositionAlign { Auto, LineLeft, Center, LineRight };
enum class CueAlign { Start, Center, End, Left, Right };
enum class RegionScroll { None, Up };  // "", "up"

// The HTML interfaces' strings for each value.
const char* writing_direction_name(WritingDirection d);
const char* line_align_name(LineAlign a);
const char* position_align_name(PositionAlign a);
const char* cue_align_name(CueAlign a);
const char* region_scroll_name(RegionScroll s);

// The WebVTT node objects of cue text (WebVTT "cue text parsing rules"): the root list,
// internal nodes (c, i, b, u, ruby, rt, v, lang) and leaves (text, timestamp).
enum class CueNodeType { Root, Class, Italic, Bold, Underline, Ruby, RubyText, Voice, Language, Text, Timestamp };
const char* cue_node_type_name(CueNodeType t);  // "root", "c", "i", "b", "u", "ruby", "rt", "v", "lang", "text", "timestamp"

struct CueNode {
  CueNodeType type = CueNodeType::Root;
  std::string value;                    // Text: the text; Voice: the voice name; Language: its annotation
  double timestamp = 0;                 // Timestamp: seconds
  std::vector<std::string> classes;     // internal nodes: applicable classes (never empty strings)
  std::optional<std::string> language;  // internal nodes: applicable language, when one applies
  std::string color;                    // SRT <font color>: "#rrggbb"; "" = none
  std::vector<CueNode> children;        // internal nodes
};

// VTTRegion.
struct Region {
  std::string id;
  double width = 100;  // percent of the viewport
  double lines = 3;    // an integer, possibly beyond 2^53 as written
  double region_anchor_x = 0, region_anchor_y = 100;
  double viewport_anchor_x = 0, viewport_anchor_y = 100;
  RegionScroll scroll = RegionScroll::None;
  int source_line = 0;  // the REGION line
};

// VTTCue.
struct Cue {
  std::string id;
  double start_time = 0, end_time = 0;  // seconds
  std::string text;                     // the cue text as written (tags and references undecoded)
  WritingDirection vertical = WritingDirection::Horizontal;
  bool snap_to_lines = true;
  std::optional<double> line;  // nullopt = "auto"
  LineAlign line_align = LineAlign::Start;
  std::optional<double> position;  // nullopt = "auto"
  PositionAlign position_align = PositionAlign::Auto;
  double size = 100;
  CueAlign align = CueAlign::Center;
  int region = -1;  // index into ParsedCaptions::regions; -1 = null
  CueNode tree;     // the text's node tree (root); empty when CaptionOptions::cue_trees is off
  int source_line = 0;  // the timing line
};

struct Error {
  int line = 0;  // 1-based line of the input; 0 = the whole file
  std::string message;
};

struct ParsedCaptions {
  bool ok = false;  // false: the file was refused as a whole (no signature, too large); see errors
  std::vector<Cue> cues;
  std::vector<Region> regions;
  std::vector<std::string> stylesheets;  // WebVTT STYLE blocks, as text, in order
  std::vector<Error> errors;             // what the parser dropped or ignored, in input order
};

struct CaptionOptions {
  size_t max_bytes = 16u << 20;      // larger files are refused
  size_t max_cues = 100000;          // later cues are dropped
  size_t max_regions = 1000;         // later REGION blocks are dropped
  size_t max_stylesheets = 1000;     // later STYLE blocks are dropped
  size_t max_depth = 32;             // tags nested deeper add no nodes (their text joins the deepest node)
  size_t max_nodes_per_cue = 10000;  // the rest of a cue's text is not added to its tree
  size_t max_total_nodes = 1u << 19;  // later cues get no tree
  size_t max_errors = 1000;          // one more entry says how many were left out
  bool cue_trees = true;             // parse each cue's text into Cue::tree
  std::optional<std::string> fallback_language;  // the root's applicable language (WebVTT)
};

// ---- shared by the parsers ---------------------------------------------------------------------

// The bytes as UTF-8 text the WebVTT parser reads: a leading UTF-8 byte order mark removed,
// invalid sequences replaced by U+FFFD as the WHATWG UTF-8 decoder replaces them, U+0000 replaced
// by U+FFFD, and CRLF and lone CR turned into LF.
std::string decode_caption_text(std::string_view bytes);

// A cue's text as a reader is given it: the text and ruby text of its tree in order (tags gone,
// character references already decoded by the parser), lines joined by "\n". Timestamps and
// voice names are not read out.
std::string plain_text(const CueNode& tree);

// Appends errors up to a limit; finish() then notes how many were left out.
class ErrorList {
 public:
  ErrorList(std::vector<Error>& errors, size_t max) : errors_(errors), max_(max) {}
  void add(int line, std::string message);
  void finish();

 private:
  std::vector<Error>& errors_;
  size_t max_;
  size_t dropped_ = 0;
};

// Runs a cue-text parser (a CueTreeBuilder with a parse() method) on one cue's text alone, with
// a fresh node budget; errors are optional.
template <typename Parser>
CueNode parse_cue_tree(std::string_view text, const CaptionOptions& options, std::vector<Error>* errors, int first_line) {
  size_t budget = options.max_total_nodes;
  if (!errors) return Parser(text, options, nullptr, first_line, budget).parse();
  ErrorList list(*errors, options.max_errors);
  CueNode root = Parser(text, options, &list, first_line, budget).parse();
  list.finish();
  return root;
}

// What the WebVTT and SRT cue-text parsers share: a node tree built under CaptionOptions' limits
// (nodes per cue, the file's node budget, nesting depth) with errors located by line. `text` is
// the cue text; `at` arguments are offsets into it.
class CueTreeBuilder {
 protected:
  CueTreeBuilder(std::string_view text, const CaptionOptions& options, ErrorList* errors, int first_line, size_t& node_budget)
      : text_(text), options_(options), errors_(errors), first_line_(first_line), node_budget_(node_budget) {}

  struct Open {
    CueNodeType type;
    CueNode* node;  // nullptr: nested deeper than max_depth; its content goes to the deepest real node
  };

  // The node new children go to: current, or the deepest real node when current is too deep.
  CueNode* insertion_node() const { return stack_[std::min(stack_.size() - 1, options_.max_depth)].node; }
  // Appends a node to current, or returns nullptr when the node limits are reached (reported once).
  CueNode* add(CueNodeType type, size_t at);
  // Opens an internal node and makes it current. Nested deeper than max_depth, a placeholder is
  // opened instead (its text joins the deepest real node) and nullptr returned, as it is when the
  // node limits are reached.
  CueNode* open(CueNodeType type, size_t at);
  void error(size_t at, std::string message);

  std::string_view text_;
  const CaptionOptions& options_;
  ErrorList* errors_;
  int first_line_;
  size_t& node_budget_;
  std::vector<Open> stack_;
  size_t nodes_ = 0;
  bool full_ = false;

 private:
  bool depth_reported_ = false;
  size_t counted_ = 0;  // text_ scanned for line breaks up to here
  int line_offset_ = 0;
};

// Correctly rounded value of a decimal numeral ("-"? digits ("." digits)?), as HTML's rules for
// parsing floating-point number values round it; nullopt when it rounds beyond the largest
// double. −0 reads as 0. Linear in the numeral's length.
std::optional<double> decimal_value(std::string_view numeral);

// Depth of a node tree: 0 for a node without children.
size_t tree_depth(const CueNode& node);

}  // namespace tessera::captions
