// libFuzzer target for the caption parsers: the input is a caption file's bytes, read as WebVTT
// and as SRT, and as bare cue text. Any crash, sanitizer report, hang or out-of-memory is a bug.
// Seeds: native/fuzz/corpus/webvtt/.
// It also checks what the parsers promise: cues name only regions that exist, trees keep within
// the depth and node limits, error lists within theirs, every string is valid UTF-8, and the JSON
// text is JSON whose numbers read back exactly.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "captions/captions_json.h"
#include "captions/srt.h"
#include "captions/webvtt.h"

namespace {

using namespace tessera::captions;

void require(bool ok) {
  if (!ok) std::abort();
}

bool valid_utf8(std::string_view s) {
  // Valid UTF-8 decodes to itself once line breaks and NULs are out of the way (and a leading
  // byte order mark, which decoding drops, is shielded by a space).
  std::string plain = " " + std::string(s);
  for (char& c : plain)
    if (c == '\r' || c == '\0') c = ' ';
  return decode_caption_text(plain) == plain;
}

size_t count_nodes(const CueNode& node) {
  size_t n = node.children.size();
  for (const CueNode& child : node.children) {
    require(valid_utf8(child.value));
    for (const std::string& c : child.classes) require(!c.empty() && valid_utf8(c));
    n += count_nodes(child);
  }
  return n;
}

void check_tree(const CueNode& root, const CaptionOptions& options, size_t& total) {
  require(tree_depth(root) <= options.max_depth + 1);
  const size_t nodes = count_nodes(root);
  require(nodes <= options.max_nodes_per_cue);
  total += nodes;
}

void check(const ParsedCaptions& parsed, const CaptionOptions& options) {
  require(parsed.cues.size() <= options.max_cues);
  require(parsed.regions.size() <= options.max_regions);
  require(parsed.errors.size() <= options.max_errors + 1);
  if (!parsed.ok) require(parsed.cues.empty() && !parsed.errors.empty());
  size_t total = 0;
  for (const Cue& cue : parsed.cues) {
    require(cue.region >= -1 && cue.region < static_cast<int>(parsed.regions.size()));
    require(valid_utf8(cue.id) && valid_utf8(cue.text));
    require(cue.text.find('\r') == std::string::npos);
    check_tree(cue.tree, options, total);
  }
  require(total <= options.max_total_nodes);
  for (const Error& e : parsed.errors) require(e.line >= 0 && valid_utf8(e.message));

  const nlohmann::ordered_json back = nlohmann::ordered_json::parse(captions_json_text(parsed), nullptr, false);
  require(!back.is_discarded());
  require(back["cues"].size() == parsed.cues.size() && back["regions"].size() == parsed.regions.size() &&
          back["errors"].size() == parsed.errors.size());
  // The text writer and the ordered_json builder agree (but for infinite line counts: null).
  bool finite = true;
  for (const Region& r : parsed.regions) finite = finite && std::isfinite(r.lines);
  if (finite) require(back == captions_json(parsed));
  for (size_t i = 0; i < parsed.cues.size(); ++i) {
    const Cue& cue = parsed.cues[i];
    const nlohmann::ordered_json& c = back["cues"][i];
    require(c["startTime"].get<double>() == cue.start_time && c["endTime"].get<double>() == cue.end_time);
    require(c["size"].get<double>() == cue.size);
    require(cue.line ? c["line"].get<double>() == *cue.line : c["line"] == "auto");
    require(cue.position ? c["position"].get<double>() == *cue.position : c["position"] == "auto");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  CaptionOptions options;
  options.max_bytes = 1u << 20;
  options.max_cues = 2000;
  options.max_nodes_per_cue = 2000;
  options.max_total_nodes = 20000;
  options.max_errors = 200;
  check(parse_webvtt(input, options), options);
  check(parse_srt(input, options), options);
  // Bare cue text (decoded as a file's would be), with tight limits to reach their edges.
  CaptionOptions tight = options;
  tight.max_depth = 3;
  tight.max_nodes_per_cue = 40;
  tight.fallback_language = "en";
  const std::string text = decode_caption_text(input);
  size_t total = 0;
  check_tree(parse_cue_text(text, tight), tight, total);
  check_tree(parse_srt_text(text, tight), tight, total);
  return 0;
}
