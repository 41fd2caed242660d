// libFuzzer target for TTML in the engine: the input is snapshot JSON as the host hands it in
// (src/captions/snapshot.ts), parsed, and every snapshot laid out and drawn at a small size with
// the engine's sans font and a default and an enlarged caption setting. Any crash, sanitizer
// report, hang or out-of-memory is a bug. Seeds: native/fuzz/corpus/ttml/ (made from the
// fixtures' TTML by imsc).
// It also checks what the parser promises: snapshots sorted, not overlapping, within the limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "captions/caption_settings_json.h"
#include "captions/ttml.h"
#include "raster/surface.h"

namespace {

using namespace tessera;
using namespace tessera::captions;

void require(bool ok) {
  if (!ok) std::abort();
}

const std::vector<FontSet>& families() {
  static std::unique_ptr<Font> font = [] {
    std::ifstream in(std::string(TESSERA_SOURCE_DIR) + "/public/fonts/DejaVuSans.ttf", std::ios::binary);
    std::string error;
    return Font::load({std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}, &error);
  }();
  static std::vector<FontSet> sets = [] {
    require(font != nullptr);
    FontSet set;
    set.regular = font.get();
    return std::vector<FontSet>(3, set);
  }();
  return sets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  const TtmlDocument doc = parse_ttml_snapshots(input);
  if (!doc.ok) require(doc.snapshots.empty() && !doc.errors.empty());
  require(doc.snapshots.size() <= kMaxTtmlSnapshots);
  for (size_t i = 0; i < doc.snapshots.size(); ++i) {
    const TtmlSnapshot& s = doc.snapshots[i];
    require(s.begin >= 0 && s.end > s.begin);
    if (i > 0) require(doc.snapshots[i - 1].end <= s.begin);
    require(s.regions.size() <= kMaxTtmlRegions);
    for (const TtmlRegion& r : s.regions) require(r.paragraphs.size() <= kMaxTtmlParagraphs);
    require(ttml_snapshot_at(doc, s.begin) == &s);
  }
  const CaptionSettings defaults;
  const CaptionSettings big = caption_settings_from_json(R"({"size":200,"edge":"outline","font":"mono","position":"top"})");
  Surface surface(160, 90);
  for (size_t i = 0; i < doc.snapshots.size() && i < 8; ++i) {
    (void)ttml_snapshot_text(doc.snapshots[i]);
    for (const CaptionSettings* settings : {&defaults, &big})
      draw_ttml(surface, layout_ttml(doc.snapshots[i], surface.width(), surface.height(), *settings, families()), *settings);
  }
  return 0;
}
