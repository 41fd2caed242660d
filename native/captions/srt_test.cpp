// SRT parser tests: blocks, cue numbers, timing lines and their lenient forms, missing blank
// lines, the tags mapped onto the WebVTT node tree, line-numbered errors, limits, and the same
// JSON contract as WebVTT.
#include <doctest.h>

#include <string>

#include "captions/captions_json.h"
#include "captions/srt.h"

using namespace tessera::captions;

namespace {

std::string show(const CueNode& node);
std::string show_node(const CueNode& n) {
  if (n.type == CueNodeType::Text) return "\"" + n.value + "\"";
  std::string out = cue_node_type_name(n.type);
  for (const std::string& c : n.classes) out += "." + c;
  if (!n.color.empty()) out += "{" + n.color + "}";
  return out + "(" + show(n) + ")";
}
std::string show(const CueNode& node) {
  std::string out;
  for (size_t i = 0; i < node.children.size(); ++i) out += (i ? " " : "") + show_node(node.children[i]);
  return out;
}
std::string tree(const std::string& text) { return show(parse_srt_text(text)); }

bool has_error(const ParsedCaptions& p, int line, const std::string& fragment) {
  for (const Error& e : p.errors)
    if (e.line == line && e.message.find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE("captions/srt") {

TEST_CASE("numbered blocks with CRLF and a BOM become cues with VTTCue defaults") {
  const ParsedCaptions p = parse_srt(
      "\xEF\xBB\xBF" "1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\nworld\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n<i>Bye</i>\r\n");
  CHECK(p.ok);
  CHECK(p.errors.empty());
  REQUIRE(p.cues.size() == 2);
  const Cue& a = p.cues[0];
  CHECK(a.id == "1");
  CHECK(a.start_time == 1);
  CHECK(a.end_time == 2.5);
  CHECK(a.text == "Hello\nworld");
  CHECK(a.source_line == 2);
  CHECK(show(a.tree) == "\"Hello\nworld\"");
  CHECK(a.vertical == WritingDirection::Horizontal);
  CHECK(a.snap_to_lines);
  CHECK(!a.line);
  CHECK(!a.position);
  CHECK(a.size == 100);
  CHECK(a.align == CueAlign::Center);
  CHECK(a.region == -1);
  CHECK(p.cues[1].id == "2");
  CHECK(p.cues[1].source_line == 7);
  CHECK(show(p.cues[1].tree) == "i(\"Bye\")");
}

TEST_CASE("timing lines: ',' or '.', optional hours and numbers, 1-3 fraction digits, coordinates ignored") {
  struct Case {
    const char* line;
    double start, end;
  } cases[] = {
      {"00:00:01.000 --> 00:00:02.000", 1, 2},
      {"01:02,5 --> 01:03,25", 62.5, 63.25},  // minutes:seconds, fraction digits as a decimal fraction
      {"1:00:00,000 --> 100:00:00,050", 3600, 360000.05},
      {"0:0:1 --> 0:0:2", 1, 2},
      {"  00:00:01,000-->00:00:02,000  ", 1, 2},
      {"00:00:01,000 --> 00:00:02,000  X1:100 X2:200 Y1:10 Y2:20", 1, 2},
      {"00:00:05,000 --> 00:00:01,000", 5, 1},  // kept as written
  };
  for (const Case& c : cases) {
    const ParsedCaptions p = parse_srt(std::string("7\n") + c.line + "\ntext\n");
    REQUIRE_MESSAGE(p.cues.size() == 1, c.line);
    CHECK(p.cues[0].start_time == c.start);
    CHECK(p.cues[0].end_time == c.end);
    CHECK(p.errors.empty());
  }
}

TEST_CASE("bad timing lines drop their block and are reported by line") {
  const char* bad[] = {"00:61:00,000 --> 00:62:00,000", "00:00:01,0000 --> 00:00:02,000", "00:00:01,000 --> 00:00:02,000x",
                       "00:00:01 000 --> 00:00:02,000", "00:00 --> ",                       "a --> b",
                       "00:00:01,000 -> 00:00:02,000 -->"};
  for (const char* line : bad) {
    const ParsedCaptions p = parse_srt(std::string("1\n") + line + "\ndropped\n\n2\n00:00:03,000 --> 00:00:04,000\nkept\n");
    REQUIRE_MESSAGE(p.cues.size() == 1, line);
    CHECK(p.cues[0].text == "kept");
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].line == 2);
    CHECK(p.errors[0].message.find("bad timing line") == 0);
  }
  const ParsedCaptions p = parse_srt("1\n00:00:01,000 -> 00:00:02,000\ntext\n\njust words\n");
  CHECK(p.cues.empty());
  REQUIRE(p.errors.size() == 2);
  CHECK(p.errors[0].line == 1);
  CHECK(p.errors[0].message == "block \"1\" has no timing line; ignored");
  CHECK(p.errors[1].line == 5);
}

TEST_CASE("cue numbers are optional, and a non-number is kept as the id with a warning") {
  ParsedCaptions p = parse_srt("00:00:01,000 --> 00:00:02,000\nno number\n\n\n \t\n00:00:03,000 --> 00:00:04,000\nnor here\n");
  REQUIRE(p.cues.size() == 2);
  CHECK(p.cues[0].id == "");
  CHECK(p.cues[1].text == "nor here");
  CHECK(p.errors.empty());
  p = parse_srt("intro\n00:00:01,000 --> 00:00:02,000\nhi\n");
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].id == "intro");
  CHECK(has_error(p, 1, "cue number \"intro\" is not a number"));
}

TEST_CASE("a timing line without a blank line before it starts the next cue") {
  ParsedCaptions p = parse_srt("1\n00:00:01,000 --> 00:00:02,000\nA\n2\n00:00:03,000 --> 00:00:04,000\nB\n");
  REQUIRE(p.cues.size() == 2);
  CHECK(p.cues[0].text == "A");
  CHECK(p.cues[1].id == "2");
  CHECK(p.cues[1].text == "B");
  p = parse_srt("00:00:01,000 --> 00:00:02,000\nA\n00:00:03,000 --> 00:00:04,000\nB\n");
  REQUIRE(p.cues.size() == 2);
  CHECK(p.cues[0].text == "A");
  CHECK(p.cues[1].id == "");
  // A number inside the text stays text unless a timing line follows it.
  p = parse_srt("1\n00:00:01,000 --> 00:00:02,000\n42\nis the answer\n");
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].text == "42\nis the answer");
  // A text line with an arrow that is no timing line is text.
  p = parse_srt("1\n00:00:01,000 --> 00:00:02,000\nthis --> that\n");
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].text == "this --> that");
}

TEST_CASE("empty files, NULs and invalid UTF-8") {
  ParsedCaptions p = parse_srt("");
  CHECK(p.ok);
  CHECK(p.cues.empty());
  CHECK(p.errors.empty());
  p = parse_srt(std::string("1\n00:00:01,000 --> 00:00:02,000\na") + '\0' + "b\xFF" + "c\n");
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].text == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
}

TEST_CASE("tags: b, i, u in any case, nested and unclosed") {
  CHECK(tree("<b>bold</b> <i>it</i> <u>u</u>") == "b(\"bold\") \" \" i(\"it\") \" \" u(\"u\")");
  CHECK(tree("<B>x</B><I>y</i>") == "b(\"x\") i(\"y\")");
  CHECK(tree("<b><i>x</i></b>") == "b(i(\"x\"))");
  CHECK(tree("<b>x\ny") == "b(\"x\ny\")");
  CHECK(tree("<b >x</b >") == "b(\"x\")");
  // A closing tag closes everything opened inside it; one with nothing to close is ignored.
  std::vector<Error> errors;
  CHECK(show(parse_srt_text("<b><i>x</b>y</i>", {}, &errors, 3)) == "b(i(\"x\")) \"y\"");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 3);
  CHECK(errors[0].message == "closing tag </i> without its opening tag; ignored");
}

TEST_CASE("tags: font colours become classes and colours") {
  CHECK(tree("<font color=\"red\">r</font>") == "c.red{#ff0000}(\"r\")");
  CHECK(tree("<FONT COLOR='Lime'>g</FONT>") == "c.lime{#00ff00}(\"g\")");
  CHECK(tree("<font color=#00FF7f>x</font>") == "c{#00ff7f}(\"x\")");
  CHECK(tree("<font color=\"#abc\">x</font>") == "c{#aabbcc}(\"x\")");
  CHECK(tree("<font color=\"0000ff\">x</font>") == "c{#0000ff}(\"x\")");
  CHECK(tree("<font face=\"Arial\" color = \"Yellow\" size=3>x</font>") == "c.yellow{#ffff00}(\"x\")");
  CHECK(tree("<font color=\"green\">x</font>") == "c{#008000}(\"x\")");  // HTML green, not WebVTT's lime
  CHECK(tree("<font>x</font>") == "c(\"x\")");
  std::vector<Error> errors;
  CHECK(show(parse_srt_text("ok\n<font color=\"chartreuse\">x</font>", {}, &errors, 4)) == "\"ok\n\" c(\"x\")");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 5);
  CHECK(errors[0].message.find("\"chartreuse\"") != std::string::npos);
}

TEST_CASE("anything else with '<' is text, and references are not decoded") {
  CHECK(tree("I <3 you") == "\"I <3 you\"");
  CHECK(tree("a < b > c") == "\"a < b > c\"");
  CHECK(tree("<c.x>hi</c>") == "\"<c.x>hi</c>\"");
  CHECK(tree("<fontx>y</fontx>") == "\"<fontx>y</fontx>\"");
  CHECK(tree("<b x>y") == "\"<b x>y\"");
  CHECK(tree("<b") == "\"<b\"");
  CHECK(tree("<<b>x") == "\"<\" b(\"x\")");
  CHECK(tree("Tom &amp; Jerry") == "\"Tom &amp; Jerry\"");
}

TEST_CASE("limits: size, cue count, depth and nodes") {
  CaptionOptions options;
  options.max_bytes = 10;
  ParsedCaptions p = parse_srt("1\n00:00:01,000 --> 00:00:02,000\nx\n", options);
  CHECK(!p.ok);
  CHECK(p.cues.empty());
  REQUIRE(p.errors.size() == 1);

  options = CaptionOptions();
  options.max_cues = 2;
  std::string text;
  for (int i = 1; i <= 5; ++i) text += std::to_string(i) + "\n00:00:0" + std::to_string(i) + ",000 --> 00:00:09,000\nc\n\n";
  p = parse_srt(text, options);
  CHECK(p.cues.size() == 2);
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].line == 10);
  CHECK(p.errors[0].message == "more than 2 cues; the rest are dropped");

  options = CaptionOptions();
  options.max_depth = 2;
  CHECK(show(parse_srt_text("<b>1<i>2<u>3<b>4</b></u></i></b>5", options)) == "b(\"1\" i(\"2\" \"3\" \"4\")) \"5\"");
  std::string deep;
  for (int i = 0; i < 50000; ++i) deep += "<i>";
  CHECK(tree_depth(parse_srt_text(deep + "x")) == CaptionOptions().max_depth + 1);

  options = CaptionOptions();
  options.max_nodes_per_cue = 3;
  CHECK(show(parse_srt_text("a<b>b</b>c<i>d</i>", options)) == "\"a\" b(\"b\")");
}

TEST_CASE("JSON: SRT cues in the captions contract") {
  const ParsedCaptions p = parse_srt("1\n00:00:01,250 --> 00:00:03,000\n<b>Hi</b>\n\nx\n");
  CHECK(captions_json_text(p) ==
        "{\"cues\":[{\"id\":\"1\",\"startTime\":1.25,\"endTime\":3,\"text\":\"<b>Hi</b>\",\"vertical\":\"\",\"snapToLines\":true,"
        "\"line\":\"auto\",\"lineAlign\":\"start\",\"position\":\"auto\",\"positionAlign\":\"auto\",\"size\":100,"
        "\"align\":\"center\",\"region\":null}],\"regions\":[],"
        "\"errors\":[{\"line\":5,\"message\":\"block \\\"x\\\" has no timing line; ignored\"}]}");
  CHECK(nlohmann::ordered_json::parse(captions_json_text(p), nullptr, false) == captions_json(p));
}

}  // TEST_SUITE
