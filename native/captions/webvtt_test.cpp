// WebVTT parser tests: the file parsing algorithm (signature, header, blocks, identifiers,
// timings, every cue setting and its invalid forms, REGION and STYLE blocks), the cue text
// parsing rules (every tag, classes, annotations, languages, timestamps, character references),
// the errors reported for what the algorithm drops, the limits on untrusted input, and the
// captions JSON contract. Inputs are our own; expectations follow the W3C specification's steps
// (and agree with the web-platform-tests webvtt/parsing suites where those test the same thing).
#include <doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "captions/captions_json.h"
#include "logic/js_value.h"
#include "captions/webvtt.h"

using namespace tessera::captions;

namespace {

const char* const kTiming = "00:00:00.000 --> 00:00:01.000";

ParsedCaptions vtt(const std::string& text, const CaptionOptions& options = {}) { return parse_webvtt(text, options); }

// One cue whose timing line ends with `settings`.
Cue cue_with(const std::string& settings, const std::string& before = "") {
  const ParsedCaptions p = vtt("WEBVTT\n\n" + before + kTiming + " " + settings + "\ntext\n");
  REQUIRE(p.cues.size() == 1);
  return p.cues[0];
}

// A compact picture of a node tree: text "…", timestamps <seconds>, internal nodes as
// name.class[annotation](children).
std::string show(const CueNode& node);
std::string show_node(const CueNode& n) {
  if (n.type == CueNodeType::Text) return "\"" + n.value + "\"";
  if (n.type == CueNodeType::Timestamp) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "<%g>", n.timestamp);
    return buffer;
  }
  std::string out = cue_node_type_name(n.type);
  for (const std::string& c : n.classes) out += "." + c;
  if (n.type == CueNodeType::Voice || n.type == CueNodeType::Language) out += "[" + n.value + "]";
  return out + "(" + show(n) + ")";
}
std::string show(const CueNode& node) {
  std::string out;
  for (size_t i = 0; i < node.children.size(); ++i) out += (i ? " " : "") + show_node(node.children[i]);
  return out;
}
std::string tree(const std::string& text, const CaptionOptions& options = {}) { return show(parse_cue_text(text, options)); }

bool has_error(const ParsedCaptions& p, int line, const std::string& fragment) {
  for (const Error& e : p.errors)
    if (e.line == line && e.message.find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE("captions/webvtt") {

// ---- bytes and signature ---------------------------------------------------------------------

TEST_CASE("decoding: BOM dropped, invalid UTF-8 replaced as the WHATWG decoder does, NUL and CR/CRLF normalised") {
  CHECK(decode_caption_text("\xEF\xBB\xBFWEBVTT") == "WEBVTT");
  CHECK(decode_caption_text("\xEF\xBB\xBF\xEF\xBB\xBFW") == "\xEF\xBB\xBFW");  // only the first BOM goes
  CHECK(decode_caption_text("a\xE2\x82" "b") == "a\xEF\xBF\xBD" "b");         // a truncated sequence: one U+FFFD
  CHECK(decode_caption_text("\xF0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD");         // F0 cannot be followed by 80
  CHECK(decode_caption_text("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(decode_caption_text("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(decode_caption_text("\xE2\x82") == "\xEF\xBF\xBD");  // truncated at the end
  CHECK(decode_caption_text("\xF0\x9F\x98\x80 \xC5\xB5") == "\xF0\x9F\x98\x80 \xC5\xB5");  // valid text is kept
  CHECK(decode_caption_text(std::string("a\0b", 3)) == "a\xEF\xBF\xBD" "b");
  CHECK(decode_caption_text("a\rb\r\nc\n\rd\r\re") == "a\nb\nc\n\nd\n\ne");
}

TEST_CASE("signature: WEBVTT then a space, a tab or a line break, or nothing") {
  for (const char* ok : {"WEBVTT", "WEBVTT\n", "WEBVTT header text", "WEBVTT\tkind", "\xEF\xBB\xBFWEBVTT", "WEBVTT\r\n"}) {
    const ParsedCaptions p = vtt(ok);
    CHECK_MESSAGE(p.ok, ok);
    CHECK(p.cues.empty());
    CHECK(p.errors.empty());
  }
  const std::string body = std::string("\n\n") + kTiming + "\ntext\n";
  for (const std::string bad : {"", "WEBVT", "webvtt", "WEBVTTX", "WEBVTT\f", " WEBVTT", "WEBVTT-",
                                "\xEF\xBB\xBF\xEF\xBB\xBFWEBVTT", "\xEF\xBB\xBFwebvtt"}) {
    const ParsedCaptions p = vtt(bad + body);
    CHECK_MESSAGE(!p.ok, bad);
    CHECK(p.cues.empty());
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].line == 1);
    CHECK(p.errors[0].message.find("WEBVTT") != std::string::npos);
  }
}

TEST_CASE("header: lines after the signature up to a blank line are skipped, a timing line ends them") {
  ParsedCaptions p = vtt(std::string("WEBVTT\nKind: captions\nLanguage: en\n\n") + kTiming + "\ntext\n");
  REQUIRE(p.cues.size() == 1);
  CHECK(p.errors.empty());
  p = vtt(std::string("WEBVTT\n") + kTiming + "\ntext\n");  // no blank line: the timing line is a cue
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].text == "text");
  p = vtt(std::string("WEBVTT\nfoo\n") + kTiming + "\ntext\n");
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].id == "");  // "foo" belongs to the header
  // A REGION or STYLE block glued to the header is part of it.
  p = vtt(std::string("WEBVTT\nREGION\nid:r\n\nSTYLE\n::cue {}\n\n") + kTiming + " region:r\ntext\n");
  CHECK(p.regions.empty());
  CHECK(p.stylesheets.size() == 1);
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].region == -1);
  // NUL in the header line after the signature line.
  p = vtt(std::string("WEBVTT\n") + '\0' + "\nmore header\n" + kTiming + "\ntext1\n");
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].text == "text1");
}

TEST_CASE("line ends: CR, LF and CRLF all separate lines") {
  const ParsedCaptions p = vtt(std::string("WEBVTT\r\rcr\r") + kTiming + "\rtext1\n\nlf\n" + kTiming + "\ntext2\r\n\r\ncrlf\r\n" + kTiming +
                               "\r\ntext3\n\rlfcr\r" + kTiming + "\ntext4\n\r");
  REQUIRE(p.cues.size() == 4);
  const char* ids[] = {"cr", "lf", "crlf", "lfcr"};
  for (size_t i = 0; i < 4; ++i) {
    CHECK(p.cues[i].id == ids[i]);
    CHECK(p.cues[i].text == "text" + std::to_string(i + 1));
  }
}

// ---- blocks --------------------------------------------------------------------------------------

TEST_CASE("cue identifiers are the line before the timing line, exactly as written") {
  const ParsedCaptions p = vtt(std::string("WEBVTT\n\n leading space\n") + kTiming + "\na\n\ntrailing space \n" + kTiming +
                               "\nb\n\n-- >\n" + kTiming + "\nc\n\n->\n" + kTiming + "\nd\n\n \n" + kTiming + "\ne\n\n" +
                               kTiming + "\nf\n\ncrédit de transcription\n" + kTiming + "\ng");
  REQUIRE(p.cues.size() == 7);
  CHECK(p.cues[0].id == " leading space");
  CHECK(p.cues[1].id == "trailing space ");
  CHECK(p.cues[2].id == "-- >");
  CHECK(p.cues[3].id == "->");
  CHECK(p.cues[4].id == " ");
  CHECK(p.cues[5].id == "");
  CHECK(p.cues[6].id == "crédit de transcription");
  CHECK(p.cues[6].text == "g");
  CHECK(p.errors.empty());
}

TEST_CASE("cue text runs to a blank line; a line with --> starts the next cue") {
  ParsedCaptions p = vtt(std::string("WEBVTT\n\n") + kTiming + "\nline one\n  line two\n\n" + kTiming + "\nsecond\n");
  REQUIRE(p.cues.size() == 2);
  CHECK(p.cues[0].text == "line one\n  line two");
  CHECK(p.cues[0].source_line == 3);
  CHECK(p.cues[1].source_line == 7);
  // Arrows anywhere on a line: the cue ends before it and that line is read again.
  p = vtt(std::string("WEBVTT\n\n-->\n") + kTiming + "\ntext1\nfoo-->\n" + kTiming + "\ntext2\n-->foo\n" + kTiming +
          "\ntext3\n" + kTiming + "\ntext4\n");
  REQUIRE(p.cues.size() == 4);
  CHECK(p.cues[0].id == "");
  CHECK(p.cues[0].text == "text1");
  CHECK(p.cues[1].id == "");  // "foo-->" failed as a timing line; the next timing line is the cue
  CHECK(p.cues[1].text == "text2");
  CHECK(p.cues[3].text == "text4");
  CHECK(has_error(p, 3, "bad cue timings"));
}

TEST_CASE("a cue whose timings fail is dropped with its text, and reported") {
  const ParsedCaptions p = vtt("WEBVTT\n\nid\n00:00:00.000 --> 00:00:01.0\ndropped text\nmore\n\n00:00.000 --> 00:01.000\nkept\n");
  REQUIRE(p.cues.size() == 1);
  CHECK(p.cues[0].text == "kept");
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].line == 4);
  CHECK(p.errors[0].message.find("milliseconds must have three digits") != std::string::npos);
  CHECK(p.errors[0].message.find("dropped") != std::string::npos);
}

TEST_CASE("NOTE blocks are comments; other blocks without a timing line are reported") {
  ParsedCaptions p = vtt(std::string("WEBVTT\n\nNOTE a comment\nover two lines\n\nNOTE\n\nNOTE\tx\n\n") + kTiming + "\nt\n");
  CHECK(p.cues.size() == 1);
  CHECK(p.errors.empty());
  p = vtt(std::string("WEBVTT\n\nNOTES are not comments\n\njust text\nmore\n\n") + kTiming + "\nt\n");
  CHECK(p.cues.size() == 1);
  REQUIRE(p.errors.size() == 2);
  CHECK(p.errors[0].line == 3);
  CHECK(p.errors[1].line == 5);
  CHECK(p.errors[1].message.find("\"just text\"") != std::string::npos);
}

// ---- timings -------------------------------------------------------------------------------------

TEST_CASE("timestamps: hours optional, more than two hour digits, and the spec's arithmetic") {
  struct Case {
    const char* line;
    double start, end;
  } cases[] = {
      {"00:00.000 --> 00:00:01.000", 0, 1},
      {"00:00:00.000 --> 00:01.000", 0, 1},
      {"01:02.003 --> 59:59.999", 62.003, 3599.999},
      {"000:00:00.000 --> 0:00:01.000", 0, 1},
      {"00:00:00.000 --> 60:00:01.000", 0, 216001},  // a first field over 59 is hours
      {"123456:00:00.500 --> 123456:00:01.000", 444441600.5, 444441601},
      {"01:00:00.000 --> 00:59:59.999", 3600, 3599.999},  // an end before the start is kept
      {"\t\f 00:00.000\t-->\f00:01.000 ", 0, 1},           // tabs, form feeds and spaces around
      {"00:00.000-->00:01.000", 0, 1},
  };
  for (const Case& c : cases) {
    const ParsedCaptions p = vtt(std::string("WEBVTT\n\n") + c.line + "\nt\n");
    REQUIRE_MESSAGE(p.cues.size() == 1, c.line);
    CHECK(p.cues[0].start_time == c.start);
    CHECK(p.cues[0].end_time == c.end);
  }
}

TEST_CASE("timestamps: every malformed form drops the cue with a reason") {
  const char* bad[] = {
      "0000:00.000 --> 00:00:01.000",  "00:0:00.000 --> 00:00:01.000",   "00:00:0.000 --> 00:00:01.000",
      "00:00:00.00 --> 00:00:01.000",  "00:00:00.0000 --> 00:00:01.000", "00:00:00 --> 00:00:01.000",
      "00:00 --> 00:00:01.000",        "00 --> 00:00:01.000",            " --> 00:00:01.000",
      "0:00.000 --> 00:01.000",        "00::00.000 --> 00:01.000",       "00:00:00..000 --> 00:00:01.000",
      "00:00:60.000 --> 00:00:01.000", "00:60:00.000 --> 00:00:01.000",  "00:00:00.000 --> 00:60:00.000",
      "60:00.000 --> 61:00.000",       "00:00:00,000 --> 00:00:01,000",  "00:00:00.000 x --> 00:00:01.000",
      "00:00:00.000 --> 00:00:01.00",  "00:00:00.000 -->",               "\v00:00:00.000 --> 00:00:01.000",
      "-00:00.000 --> 00:01.000",      "00:00.000 -->> 00:01.000",
  };
  for (const char* line : bad) {
    const ParsedCaptions p = vtt(std::string("WEBVTT\n\n") + line + "\ninvalid\n");
    CHECK_MESSAGE(p.cues.empty(), line);
    REQUIRE_MESSAGE(p.errors.size() == 1, line);
    CHECK(p.errors[0].line == 3);
    CHECK_MESSAGE(p.errors[0].message.find("bad cue timings") == 0, p.errors[0].message);
  }
  // Hours beyond any finite double.
  const ParsedCaptions p = vtt("WEBVTT\n\n" + std::string(400, '9') + ":00:00.000 --> 00:01.000\nt\n");
  CHECK(p.cues.empty());
  CHECK(has_error(p, 3, "hours out of range"));
}

TEST_CASE("settings may follow the end time without a space, as the algorithm reads them") {
  CHECK(vtt("WEBVTT\n\n00:00.000 --> 00:01.000align:end\nt\n").cues.at(0).align == CueAlign::End);
  const std::string nul(1, '\0');
  CHECK(vtt("WEBVTT\n\n00:00.000 --> 00:01.000" + nul + "align:end\nt\n").cues.at(0).align == CueAlign::Center);  // "\uFFFDalign:end"
  CHECK(vtt("WEBVTT\n\n00:00.000 --> 00:01.000" + nul + " align:end\nt\n").cues.at(0).align == CueAlign::End);
  // Trailing characters that are not ASCII whitespace make a (bad) setting, not bad timings.
  const ParsedCaptions p = vtt("WEBVTT\n\n00:00.000 --> 00:01.000\v\nt\n");
  CHECK(p.cues.size() == 1);
  CHECK(has_error(p, 3, "is not name:value"));
}

// ---- cue settings --------------------------------------------------------------------------------

TEST_CASE("defaults are VTTCue's") {
  const Cue c = cue_with("");
  CHECK(c.vertical == WritingDirection::Horizontal);
  CHECK(c.snap_to_lines);
  CHECK(!c.line);
  CHECK(c.line_align == LineAlign::Start);
  CHECK(!c.position);
  CHECK(c.position_align == PositionAlign::Auto);
  CHECK(c.size == 100);
  CHECK(c.align == CueAlign::Center);
  CHECK(c.region == -1);
}

TEST_CASE("vertical: rl and lr, the last valid one wins, anything else is ignored") {
  CHECK(cue_with("vertical:rl").vertical == WritingDirection::VerticalGrowingLeft);
  CHECK(cue_with("vertical:lr").vertical == WritingDirection::VerticalGrowingRight);
  CHECK(cue_with("vertical:rl vertical:lr").vertical == WritingDirection::VerticalGrowingRight);
  CHECK(cue_with("vertical:lr vertical:RL").vertical == WritingDirection::VerticalGrowingRight);
  for (const char* s : {"vertical:", "vertical:RL", "vertical: rl", "vertical:vertical-rl", "vertical:r"}) {
    const ParsedCaptions p = vtt(std::string("WEBVTT\n\n") + kTiming + " " + s + "\nt\n");
    CHECK_MESSAGE(p.cues.at(0).vertical == WritingDirection::Horizontal, s);
    CHECK(has_error(p, 3, ""));
  }
}

TEST_CASE("line: numbers (snap to lines) and percentages, with start/center/end alignment") {
  struct Case {
    const char* setting;
    double line;
    bool snap;
    LineAlign align;
  } cases[] = {
      {"line:-1", -1, true, LineAlign::Start},
      {"line:0", 0, true, LineAlign::Start},
      {"line:101", 101, true, LineAlign::Start},
      {"line:4294967296", 4294967296.0, true, LineAlign::Start},
      {"line:10000000000000000000000000000000000", 1e34, true, LineAlign::Start},
      {"line:1.5", 1.5, true, LineAlign::Start},
      {"line:-2.25,end", -2.25, true, LineAlign::End},
      {"line:0%", 0, false, LineAlign::Start},
      {"line:00%", 0, false, LineAlign::Start},
      {"line:12.5%", 12.5, false, LineAlign::Start},
      {"line:100%,start", 100, false, LineAlign::Start},
      {"line:100%,center", 100, false, LineAlign::Center},
      {"line:50%,end", 50, false, LineAlign::End},
      {"line:3,center line:20%", 20, false, LineAlign::Center},  // the alignment of the first stays
  };
  for (const Case& c : cases) {
    const Cue cue = cue_with(c.setting);
    REQUIRE_MESSAGE(cue.line, c.setting);
    CHECK(*cue.line == c.line);
    CHECK(cue.snap_to_lines == c.snap);
    CHECK(cue.line_align == c.align);
  }
  const Cue negative_zero = cue_with("line:-0");
  CHECK(*negative_zero.line == 0);
  CHECK(!std::signbit(*negative_zero.line));  // the spec's numbers have no -0
  CHECK(*cue_with("line:0." + std::string(323, '0') + "5").line == 5e-324);
  CHECK(*cue_with("line:0." + std::string(323, '0') + "2").line == 0);  // rounds to zero
  CHECK(*cue_with("line:179769313486231570" + std::string(291, '0')).line == 1.7976931348623157e308);
}

TEST_CASE("line: invalid forms leave it auto and snapping, and are reported") {
  for (const char* s : {"line:65536%", "line:101%", "line:-0%", "line:1%-", "line:1-", "line:%1", "line:1%%", "line:0%0",
                        "line: 0%", "line:0%x", "line:-", "line:%", "line:1..5", "line:.5", "line:5.", "line:-.5", "line:1e2",
                        "line:auto"}) {
    const ParsedCaptions p = vtt(std::string("WEBVTT\n\n") + kTiming + " " + s + "\nt\n");
    const Cue& c = p.cues.at(0);
    CHECK_MESSAGE(!c.line, s);
    CHECK(c.snap_to_lines);
    CHECK(c.line_align == LineAlign::Start);
    CHECK_MESSAGE(has_error(p, 3, ""), s);
  }
  // A valid line with an alignment that is not start, center or end (or an empty one): the whole
  // setting is ignored and reported, as the algorithm checks the alignment before it sets the
  // line (web-platform-tests' settings-line, cues 36, 37 and 46).
  for (const char* setting : {"line:100%,middle", "line:100%,", "line:1,", "line:1,END", "line:100%,startend"}) {
    const ParsedCaptions p = vtt(std::string("WEBVTT\n\n") + kTiming + " " + setting + "\nt\n");
    const Cue& c = p.cues.at(0);
    CHECK_MESSAGE(!c.line, setting);
    CHECK(c.snap_to_lines);
    CHECK(c.line_align == LineAlign::Start);
    CHECK_MESSAGE(has_error(p, 3, "alignment"), setting);
  }
  // Beyond the largest double either way.
  CHECK(!cue_with("line:179769313486231590" + std::string(291, '0')).line);
  CHECK(!cue_with("line:-179769313486231590" + std::string(291, '0')).line);
}

TEST_CASE("position: a percentage, with line-left/center/line-right alignment") {
  struct Case {
    const char* setting;
    double position;
    PositionAlign align;
  } cases[] = {
      {"position:1%", 1, PositionAlign::Auto},
      {"position:100%", 100, PositionAlign::Auto},
      {"position:0.5%", 0.5, PositionAlign::Auto},
      {"position:1% position:x", 1, PositionAlign::Auto},
      {"position:10%,line-left", 10, PositionAlign::LineLeft},
      {"position:10%,center", 10, PositionAlign::Center},
      {"position:10%,line-right", 10, PositionAlign::LineRight},
      {"position:1% ,center", 1, PositionAlign::Auto},
  };
  for (const Case& c : cases) {
    const Cue cue = cue_with(c.setting);
    REQUIRE_MESSAGE(cue.position, c.setting);
    CHECK(*cue.position == c.position);
    CHECK(cue.position_align == c.align);
  }
  // An alignment that is not one of the three, or an empty one, drops the whole setting
  // (web-platform-tests' settings-position, cues 8 and 9).
  for (const char* s : {"position:1%,middle", "position:1%, center", "position:1%,"}) {
    const Cue cue = cue_with(s);
    CHECK_MESSAGE(!cue.position, s);
    CHECK(cue.position_align == PositionAlign::Auto);
  }
  for (const char* s : {"position:-1%", "position:1", "position:1x",
                        "position:1%x", "position: 1%", "position:101%", "position:65536%", "position:101%,line-left",
                        "position:auto", "position:.5%"}) {
    const Cue cue = cue_with(s);
    CHECK_MESSAGE(!cue.position, s);
    CHECK(cue.position_align == PositionAlign::Auto);
  }
}

TEST_CASE("size: a percentage from 0 to 100") {
  CHECK(cue_with("size:0%").size == 0);
  CHECK(cue_with("size:00%").size == 0);
  CHECK(cue_with("size:1.5%").size == 1.5);
  CHECK(cue_with("size:50% size:100%").size == 100);
  CHECK(cue_with("size:1xx size:2%").size == 2);
  for (const char* s : {"size:x", "size:%", "size:%%", "size:1%%", "size:1%x", "size:101%", "size:-3%", "size:200%", "size:50"}) {
    const ParsedCaptions p = vtt(std::string("WEBVTT\n\n") + kTiming + " " + s + "\nt\n");
    CHECK_MESSAGE(p.cues.at(0).size == 100, s);
    CHECK(has_error(p, 3, "size"));
  }
}

TEST_CASE("align: start, center, end, left, right; case matters") {
  CHECK(cue_with("align:start").align == CueAlign::Start);
  CHECK(cue_with("align:center").align == CueAlign::Center);
  CHECK(cue_with("align:end").align == CueAlign::End);
  CHECK(cue_with("align:left").align == CueAlign::Left);
  CHECK(cue_with("align:right").align == CueAlign::Right);
  CHECK(cue_with("align:start align:end").align == CueAlign::End);
  for (const char* s : {"align:end align:CENTER", "align:end align: center", "align:end align:", "align:end align:middle", "align:end align"})
    CHECK_MESSAGE(cue_with(s).align == CueAlign::End, s);
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "align:end ";
  CHECK(cue_with(many + "align:center").align == CueAlign::Center);
}

TEST_CASE("malformed and unknown settings are ignored and reported on the timing line") {
  const ParsedCaptions p = vtt(std::string("WEBVTT\n\nid\n") + kTiming + " align :end :end foo:bar align: x align:start\nt\n");
  const Cue& c = p.cues.at(0);
  CHECK(c.align == CueAlign::Start);
  REQUIRE(p.errors.size() == 6);  // align, :end, :end, foo:bar, align:, x
  for (const Error& e : p.errors) CHECK(e.line == 4);
  CHECK(p.errors[0].message.find("\"align\"") != std::string::npos);
  CHECK(p.errors[3].message.find("unknown cue setting \"foo\"") == 0);
}

TEST_CASE("region: the last region with the id; vertical, line and size after it leave the region") {
  const std::string regions = "REGION\nid:foo\n\nREGION\nid:bar\nlines:1\n\nREGION\nid:foo\nlines:7\n\n";
  auto parse = [&](const std::string& settings) {
    return vtt("WEBVTT\n\n" + regions + kTiming + " " + settings + "\nt\n");
  };
  ParsedCaptions p = parse("region:foo");
  REQUIRE(p.regions.size() == 3);
  CHECK(p.cues.at(0).region == 2);  // the second "foo"
  CHECK(parse("region:bar").cues.at(0).region == 1);
  CHECK(parse("region:foo region:bar").cues.at(0).region == 1);
  CHECK(parse("region:invalid region:foo").cues.at(0).region == 2);
  for (const char* s : {"region:invalid", "region:foo region:invalid", "region:", "region: foo", "region :foo"})
    CHECK_MESSAGE(parse(s).cues.at(0).region == -1, s);
  for (const char* s : {"region:foo vertical:rl", "region:foo line:0", "region:foo line:50%", "region:foo size:50%",
                        "region:foo vertical:lr vertical:x"}) {
    p = parse(s);
    CHECK_MESSAGE(p.cues.at(0).region == -1, s);
    CHECK(has_error(p, 14, "leaves region \"foo\""));
  }
  // Order matters, as the algorithm processes settings one by one: set after them, it stays.
  CHECK(parse("vertical:rl region:foo").cues.at(0).region == 2);
  CHECK(parse("size:50% region:foo").cues.at(0).region == 2);
  CHECK(parse("region:foo size:100%").cues.at(0).region == 2);  // size 100 keeps it
}

// ---- regions and style sheets -------------------------------------------------------------------

TEST_CASE("REGION: defaults, every setting, settings over several lines") {
  const ParsedCaptions p = vtt(
      "WEBVTT\n\nREGION\n\nREGION\nid:full width:40.5% lines:2\nregionanchor:10%,90%\tviewportanchor:0%,100% scroll:up\n\n"
      "REGION \nid:-->x\n\n");
  // A lone REGION line makes no region; a region id may not contain "-->": that line starts a cue.
  REQUIRE(p.regions.size() == 1);
  const Region& r = p.regions[0];
  CHECK(r.id == "full");
  CHECK(r.width == 40.5);
  CHECK(r.lines == 2);
  CHECK(r.region_anchor_x == 10);
  CHECK(r.region_anchor_y == 90);
  CHECK(r.viewport_anchor_x == 0);
  CHECK(r.viewport_anchor_y == 100);
  CHECK(r.scroll == RegionScroll::Up);
  CHECK(r.source_line == 5);
  const Region defaults;
  CHECK(defaults.width == 100);
  CHECK(defaults.lines == 3);
  CHECK(defaults.region_anchor_x == 0);
  CHECK(defaults.region_anchor_y == 100);
  CHECK(defaults.viewport_anchor_x == 0);
  CHECK(defaults.viewport_anchor_y == 100);
  CHECK(defaults.scroll == RegionScroll::None);
}

TEST_CASE("REGION: invalid values keep the defaults and are reported on their line") {
  const ParsedCaptions p = vtt(
      "WEBVTT\n\nREGION\nid:r\nwidth:101% width:x\nlines:-1 lines:1.5 lines:3%\n"
      "regionanchor:0,0 regionanchor:0%,0 regionanchor:1% regionanchor:,1% regionanchor:-0%,0% regionanchor:100%, 100%\n"
      "viewportanchor:101%,1% viewportanchor:65536%,65536%\nscroll:down scroll:UP scroll: up\nfoo:1 bar id\n");
  REQUIRE(p.regions.size() == 1);
  const Region& r = p.regions[0];
  CHECK(r.id == "r");
  CHECK(r.width == 100);
  CHECK(r.lines == 3);
  CHECK(r.region_anchor_x == 0);
  CHECK(r.region_anchor_y == 100);
  CHECK(r.viewport_anchor_x == 0);
  CHECK(r.viewport_anchor_y == 100);
  CHECK(r.scroll == RegionScroll::None);
  CHECK(has_error(p, 5, "width"));
  CHECK(has_error(p, 6, "lines"));
  CHECK(has_error(p, 7, "regionanchor"));
  CHECK(has_error(p, 8, "viewportanchor"));
  CHECK(has_error(p, 9, "scroll"));
  CHECK(has_error(p, 10, "unknown region setting \"foo\""));
  CHECK(has_error(p, 10, "\"bar\" is not name:value"));
}

TEST_CASE("REGION: lines is any whole number, ids may repeat, the last setting wins") {
  const ParsedCaptions p = vtt(
      "WEBVTT\n\nREGION\nid:a\nlines:0\n\nREGION\nid:b lines:18446744073709552000\n\nREGION\nid:x\nid:a\nlines:9\n\nREGION\nid:\v\n\n" +
      std::string(kTiming) + " region:a\nt\n\n" + kTiming + " region:\v\nt\n");
  REQUIRE(p.regions.size() == 4);
  CHECK(p.regions[0].lines == 0);
  CHECK(p.regions[1].lines == 18446744073709552000.0);
  CHECK(p.regions[2].id == "a");
  REQUIRE(p.cues.size() == 2);
  CHECK(p.cues[0].region == 2);
  CHECK(p.cues[1].region == 3);  // "\v" is not whitespace
}

TEST_CASE("REGION and STYLE blocks count only before the first cue") {
  const ParsedCaptions p = vtt(std::string("WEBVTT\n\nSTYLE\n::cue { color: lime }\n\n") + kTiming +
                               "\nt\n\nREGION\nid:late\n\nSTYLE\n::cue { color: red }\n");
  CHECK(p.regions.empty());
  REQUIRE(p.stylesheets.size() == 1);
  CHECK(p.stylesheets[0] == "::cue { color: lime }");
  CHECK(has_error(p, 9, "REGION block after the first cue"));
  CHECK(has_error(p, 12, "STYLE block after the first cue"));
  // The old "REGION:" header syntax is no region.
  const ParsedCaptions old = vtt(std::string("WEBVTT\n\nREGION: id=foo width=40%\n\n") + kTiming + " region:foo\nt\n");
  CHECK(old.regions.empty());
  CHECK(old.cues.at(0).region == -1);
  CHECK(has_error(old, 3, "ignored"));
}

TEST_CASE("STYLE blocks keep their text; a --> line ends one, comments may sit between them") {
  const ParsedCaptions p = vtt(
      "WEBVTT\n\nSTYLE  \n::cue(#foo) {\n    width: 20px;\n} /*\nNOTE hello\n00:00:00.000 -- > 00:00:01.000\n*/\n.foo {\n}\n\n"
      ".bar {\n    width: 18px;\n}\n\nNOTE between\n\nSTYLE\n::cue(b) { color: peachpuff }\n" + std::string(kTiming) + "\nafter\n");
  REQUIRE(p.stylesheets.size() == 2);
  CHECK(p.stylesheets[0] == "::cue(#foo) {\n    width: 20px;\n} /*\nNOTE hello\n00:00:00.000 -- > 00:00:01.000\n*/\n.foo {\n}");
  CHECK(p.stylesheets[1] == "::cue(b) { color: peachpuff }");
  REQUIRE(p.cues.size() == 1);  // the timing line ended the second style sheet
  CHECK(p.cues[0].text == "after");
  CHECK(has_error(p, 13, "\".bar {\""));
}

// ---- cue text ------------------------------------------------------------------------------------

TEST_CASE("cue text: every tag type with classes and annotations") {
  CHECK(tree("plain text\nsecond line") == "\"plain text\nsecond line\"");
  CHECK(tree("a<c.d e>b</c>c") == "\"a\" c.d(\"b\") \"c\"");
  CHECK(tree("<i>i</i><b>b</b><u>u</u>") == "i(\"i\") b(\"b\") u(\"u\")");
  CHECK(tree("a<ruby.f g>b<rt.h j>c</rt>d</ruby>e") == "\"a\" ruby.f(\"b\" rt.h(\"c\") \"d\") \"e\"");
  CHECK(tree("<v Roger Bingham>We are") == "v[Roger Bingham](\"We are\")");
  CHECK(tree("<v.first.loud Esme>Hi</v> <i>x</i>") == "v.first.loud[Esme](\"Hi\") \" \" i(\"x\")");
  CHECK(tree("<v>test") == "v[](\"test\")");
  CHECK(tree("<v \t a \n  b \f>x") == "v[a b](\"x\")");  // annotation trimmed, whitespace runs collapsed
  CHECK(tree("<v.a..b.>x") == "v.a.b[](\"x\")");       // empty class names are dropped
  CHECK(tree("<lang en>hi</lang>") == "lang[en](\"hi\")");
  CHECK(tree("<c.yellow.bg_blue>y</c>") == "c.yellow.bg_blue(\"y\")");
  CHECK(tree("<b\nfoo>x") == "b(\"x\")");  // a line break ends the tag name
  CHECK(tree("<c></\nc>x") == "c(\"x\")");
}

TEST_CASE("cue text: ruby, rt and the end tags the rules accept") {
  CHECK(tree("<rt>test") == "\"test\"");  // rt only inside ruby
  CHECK(tree("<ruby>test<rt>test") == "ruby(\"test\" rt(\"test\"))");
  CHECK(tree("<ruby>test<rt>test</ruby>test") == "ruby(\"test\" rt(\"test\")) \"test\"");  // </ruby> closes rt and ruby
  CHECK(tree("<ruby>test<rt><b>test</rt></ruby>test") == "ruby(\"test\" rt(b(\"test\" \"test\")))");
  CHECK(tree("<ruby>test<rt><b>test</rt></ruby></b>test") == "ruby(\"test\" rt(b(\"test\") \"test\"))");
  CHECK(tree("<ruby>test<rt><b>test</rt></b></ruby>test") == "ruby(\"test\" rt(b(\"test\"))) \"test\"");
  CHECK(tree("<i><b>x</i>y</b>z") == "i(b(\"x\" \"y\") \"z\")");  // </i> does not close b
  CHECK(tree("<c></>x") == "c(\"x\")");
}

TEST_CASE("cue text: languages stack over lang spans, and a fallback applies to the root") {
  const CueNode root = parse_cue_text("<lang en-GB><b>x<lang cy>y</lang>z</b></lang><i>w</i>");
  CHECK(!root.language);
  REQUIRE(root.children.size() == 2);
  const CueNode& lang = root.children[0];
  CHECK(*lang.language == "en-GB");
  const CueNode& bold = lang.children.at(0);
  CHECK(*bold.language == "en-GB");
  CHECK(*bold.children.at(1).language == "cy");
  CHECK(!root.children[1].language);
  CaptionOptions options;
  options.fallback_language = "de";
  const CueNode with_fallback = parse_cue_text("<i>x</i><lang>y</lang>", options);
  CHECK(*with_fallback.language == "de");
  CHECK(*with_fallback.children.at(0).language == "de");
  CHECK(*with_fallback.children.at(1).language == "");  // <lang> without annotation pushes ""
}

TEST_CASE("cue text: timestamps inside the text") {
  CHECK(tree("test<00:00:00.500>test") == "\"test\" <0.5> \"test\"");
  CHECK(tree("<00:00.500") == "<0.5>");
  CHECK(tree("<100:00:00.000>") == "<360000>");
  for (const char* bad : {"<0>", "<0.500>", "<0:00.500>", "<00:00.500 >", "<00:00:00.5000>", "<00:60.000>"}) CHECK_MESSAGE(tree(bad) == "", bad);
}

TEST_CASE("cue text: '<' edge cases and unknown tags") {
  for (const char* s : {"<", "<<", "<\t", "< ", "<.", "</", "<>", "<foo>", "</foo>", "<span>"}) CHECK_MESSAGE(tree(s) == "", s);
  CHECK(tree("<c.") == "c()");
  CHECK(tree("a<foo>b</foo>c") == "\"a\" \"b\" \"c\"");  // each string is its own text node
  CHECK(tree("a > b") == "\"a > b\"");
}

TEST_CASE("cue text: HTML character references, named and numeric") {
  CHECK(tree("&amp; &lt; &gt; &quot; &apos;") == "\"& < > \" '\"");
  CHECK(tree("a&lrm;b&rlm;c&nbsp;d") == "\"a\xE2\x80\x8E" "b\xE2\x80\x8F" "c\xC2\xA0" "d\"");
  CHECK(tree("&AMP; &amp &copy; &not &notin; &notit;") == "\"& & \xC2\xA9 \xC2\xAC \xE2\x88\x89 \xC2\xACit;\"");
  CHECK(tree("&ClockwiseContourIntegral; &nsubE;") == "\"\xE2\x88\xB2 \xE2\xAB\x85\xCC\xB8\"");
  CHECK(tree("& && &1 &1; &; &unknown; &amp") == "\"& && &1 &1; &; &unknown; &\"");
  CHECK(tree("&#32;&#x20;&#X41;&#65&#x42x") == "\"  AABx\"");
  CHECK(tree("&#128;&#x9f;&#0;&#x110000;&#xD800;&#99999999999999;") ==
        "\"\xE2\x82\xAC\xC5\xB8\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  CHECK(tree("&#; &#x; &#xg; &#a") == "\"&#; &#x; &#xg; &#a\"");
  CHECK(tree("&<c>x") == "\"&\" c(\"x\")");
  CHECK(tree("<v Tom &amp; Jerry&gt;>hi") == "v[Tom & Jerry>](\"hi\")");  // references in annotations
  CHECK(tree("<v a&>b") == "v[a&](\"b\")");
}

TEST_CASE("cue text: ignored tags, closes and timestamps are reported with their line") {
  std::vector<Error> errors;
  parse_cue_text("ok\n<foo>x</b>\n<rt>y<00:99.000>", {}, &errors, 10);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].line == 11);
  CHECK(errors[0].message.find("<foo>") != std::string::npos);
  CHECK(errors[1].line == 11);
  CHECK(errors[1].message.find("</b>") != std::string::npos);
  CHECK(errors[2].line == 12);
  CHECK(errors[2].message.find("<rt> outside <ruby>") != std::string::npos);
  CHECK(errors[3].line == 12);
  CHECK(errors[3].message.find("not a timestamp") != std::string::npos);
  // Through the file: lines counted from the cue's first text line.
  const ParsedCaptions p = vtt(std::string("WEBVTT\n\n") + kTiming + "\nfine\n<x>bad\n");
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].line == 5);
}

// ---- limits ----------------------------------------------------------------------------------------

TEST_CASE("limits: file size, cue count, regions and style sheets") {
  CaptionOptions options;
  options.max_bytes = 100;
  ParsedCaptions p = vtt("WEBVTT\n\n" + std::string(200, 'x'), options);
  CHECK(!p.ok);
  CHECK(p.cues.empty());
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].message.find("larger than 100 bytes") != std::string::npos);

  options = CaptionOptions();
  options.max_cues = 3;
  options.max_regions = 1;
  options.max_stylesheets = 1;
  std::string text = "WEBVTT\n\nREGION\nid:a\n\nREGION\nid:b\n\nSTYLE\na{}\n\nSTYLE\nb{}\n\n";
  for (int i = 0; i < 10; ++i) text += std::string(kTiming) + "\ncue " + std::to_string(i) + "\n\n";
  p = vtt(text, options);
  CHECK(p.cues.size() == 3);
  CHECK(p.cues[2].text == "cue 2");
  CHECK(p.regions.size() == 1);
  CHECK(p.stylesheets.size() == 1);
  CHECK(has_error(p, 6, "REGION blocks"));
  CHECK(has_error(p, 12, "STYLE blocks"));
  CHECK(has_error(p, 24, "more than 3 cues"));
  CHECK(p.errors.size() == 3);  // the cue limit is reported once
}

TEST_CASE("limits: nesting deeper than max_depth is flattened, keeping the text") {
  CaptionOptions options;
  options.max_depth = 3;
  std::string text;
  for (int i = 0; i < 10; ++i) text += "<b>" + std::to_string(i);
  for (int i = 0; i < 10; ++i) text += "</b>";
  text += "after";
  std::vector<Error> errors;
  const CueNode root = parse_cue_text(text, options, &errors);
  CHECK(tree_depth(root) == 4);  // three b levels and the text under the deepest
  CHECK(show(root) == "b(\"0\" b(\"1\" b(\"2\" \"3\" \"4\" \"5\" \"6\" \"7\" \"8\" \"9\"))) \"after\"");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("nested more than 3 deep") != std::string::npos);
  // The default depth bounds a hostile file's trees.
  std::string deep = "WEBVTT\n\n" + std::string(kTiming) + "\n";
  for (int i = 0; i < 100000; ++i) deep += "<i>";
  const ParsedCaptions p = vtt(deep + "x");
  CHECK(tree_depth(p.cues.at(0).tree) == CaptionOptions().max_depth + 1);
}

TEST_CASE("limits: nodes per cue and in total; trees can be skipped") {
  CaptionOptions options;
  options.max_nodes_per_cue = 5;
  std::vector<Error> errors;
  const CueNode root = parse_cue_text("a<b>b</b>c<i>d</i>e<u>f</u>", options, &errors);
  CHECK(show(root) == "\"a\" b(\"b\") \"c\" i()");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("more than 5 nodes") != std::string::npos);

  options = CaptionOptions();
  options.max_total_nodes = 4;
  std::string text = "WEBVTT\n\n";
  for (int i = 0; i < 3; ++i) text += std::string(kTiming) + "\n<b>x</b>\n\n";
  ParsedCaptions p = vtt(text, options);
  REQUIRE(p.cues.size() == 3);
  CHECK(show(p.cues[0].tree) == "b(\"x\")");
  CHECK(show(p.cues[1].tree) == "b(\"x\")");
  CHECK(p.cues[2].tree.children.empty());
  CHECK(p.cues[2].text == "<b>x</b>");

  options = CaptionOptions();
  options.cue_trees = false;
  p = vtt(text, options);
  CHECK(p.cues.at(0).tree.children.empty());
  CHECK(p.cues.at(0).text == "<b>x</b>");
}

TEST_CASE("limits: the error list is capped with a note of how many were left out") {
  CaptionOptions options;
  options.max_errors = 2;
  std::string text = "WEBVTT\n\n";
  for (int i = 0; i < 5; ++i) text += "junk\n\n";
  const ParsedCaptions p = vtt(text, options);
  REQUIRE(p.errors.size() == 3);
  CHECK(p.errors[2].line == 0);
  CHECK(p.errors[2].message == "3 more problems were not listed");
}

TEST_CASE("limits: hostile shapes parse in one pass") {
  // Long runs that a careless parser would rescan: arrows, settings, references, tags.
  std::string text = "WEBVTT\n\n" + std::string(kTiming) + " ";
  for (int i = 0; i < 20000; ++i) text += "line:1% ";
  text += "\n";
  for (int i = 0; i < 20000; ++i) text += "&notit&#x1";
  for (int i = 0; i < 20000; ++i) text += "<v.a.b c d";
  text += "\n";
  for (int i = 0; i < 20000; ++i) text += "x-->\n";
  const ParsedCaptions p = vtt(text);
  REQUIRE(p.cues.size() == 1);
  CHECK(*p.cues[0].line == 1);
  CHECK(p.errors.size() == CaptionOptions().max_errors + 1);
}

// ---- JSON -------------------------------------------------------------------------------------------

TEST_CASE("JSON: the captions contract, with VTTCue and VTTRegion value forms") {
  const ParsedCaptions p = vtt(
      "WEBVTT\n\nREGION\nid:r\nwidth:50%\nlines:10000000000000000000000000000000000\nscroll:up\n\n"
      "intro\n00:00:01.500 --> 00:00:02.000 region:r position:12.25%,line-right align:left\n<b>Hi</b> &amp;\n\n"
      "00:01:00.000 --> 00:01:00.001 vertical:rl line:-1,end size:0.5% junk\nB\n");
  CHECK(captions_json_text(p) ==
        "{\"cues\":["
        "{\"id\":\"intro\",\"startTime\":1.5,\"endTime\":2,\"text\":\"<b>Hi</b> &amp;\",\"vertical\":\"\",\"snapToLines\":true,"
        "\"line\":\"auto\",\"lineAlign\":\"start\",\"position\":12.25,\"positionAlign\":\"line-right\",\"size\":100,"
        "\"align\":\"left\",\"region\":\"r\"},"
        "{\"id\":\"\",\"startTime\":60,\"endTime\":60.001,\"text\":\"B\",\"vertical\":\"rl\",\"snapToLines\":true,"
        "\"line\":-1,\"lineAlign\":\"end\",\"position\":\"auto\",\"positionAlign\":\"auto\",\"size\":0.5,"
        "\"align\":\"center\",\"region\":null}],"
        "\"regions\":[{\"id\":\"r\",\"width\":50,\"lines\":1e+34,\"regionAnchorX\":0,\"regionAnchorY\":100,"
        "\"viewportAnchorX\":0,\"viewportAnchorY\":100,\"scroll\":\"up\"}],"
        "\"errors\":[{\"line\":13,\"message\":\"cue setting \\\"junk\\\" is not name:value; ignored\"}]}");
  const nlohmann::ordered_json j = captions_json(p);
  CHECK(j["cues"][0]["startTime"].get<double>() == 1.5);
  CHECK(j["cues"][1]["region"].is_null());
  CHECK(nlohmann::ordered_json::parse(captions_json_text(p), nullptr, false) == j);
}

TEST_CASE("JSON: numbers print as JavaScript prints them, on the millisecond fast path and off it") {
  // Every number goes through the writer's fast path (a decimal with up to three places) or the
  // general one; both must give JavaScript's Number.prototype.toString.
  std::vector<double> values = {0.001, 0.01, 0.1, 0.5, 1.5, 12.345, 59.999, 3599.999, 86399.5, 1e-7, 0.0005, 1.0005,
                                2.675, 1234567.891, 123456789012.345, 1e21, 5e-324, 1.7976931348623157e308, 0.1 + 0.2,
                                -0.25, -12.125, 1.0 / 3.0};
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < 2000; ++i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const long long k = static_cast<long long>(seed >> 24) % 400000000LL;  // up to ~111 hours in milliseconds
    values.push_back(static_cast<double>(k) / 1000.0);
    values.push_back(static_cast<double>(seed >> 11) / 9007199254740992.0 * 1000.0);  // any double below 1000
  }
  for (const double v : values) {
    ParsedCaptions p;
    p.ok = true;
    Cue cue;
    cue.start_time = v;
    p.cues.push_back(cue);
    const std::string text = captions_json_text(p);
    const size_t from = text.find("\"startTime\":") + 12, to = text.find(',', from);
    REQUIRE_MESSAGE(text.substr(from, to - from) == tessera::logic::number_to_string(v), v);
  }
}

TEST_CASE("JSON: a refused file has no cues and says why") {
  const ParsedCaptions p = vtt("not captions");
  CHECK(captions_json_text(p) ==
        "{\"cues\":[],\"regions\":[],\"errors\":[{\"line\":1,\"message\":\"not a WebVTT file: it must start with "
        "\\\"WEBVTT\\\" followed by a space, a tab or a line break\"}]}");
}

}  // TEST_SUITE
