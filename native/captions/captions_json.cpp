// The captions JSON contract (captions_json.h): as ordered_json, and as text written with the
// engine's JavaScript number formatting.
#include "captions/captions_json.h"

#include <cmath>

#include "logic/js_value.h"

namespace tessera::captions {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json auto_or_number(const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json("auto"); }

void write_string(const std::string& s, std::string& out) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\') {  // escapes or non-ASCII: the full quoter
      out += logic::json_quote(s);
      return;
    }
  }
  out.push_back('"');
  out += s;
  out.push_back('"');
}

void write_number(double d, std::string& out) {
  if (!std::isfinite(d)) {
    out += "null";  // as JSON.stringify writes it
    return;
  }
  if (d == std::floor(d) && std::fabs(d) < 1e15) {
    out += std::to_string(static_cast<long long>(d));  // -0 → "0"
    return;
  }
  // Times in milliseconds and percentages with up to three decimals (nearly every number here):
  // when d is the double nearest k / 1000, that decimal, trailing zeros removed, is its shortest
  // round-trip form (below 1e15 distinct decimals are distinct doubles), i.e. what JavaScript
  // prints, without the general digit search.
  const double k = std::round(d * 1000.0);
  if (std::fabs(k) < 1e15 && k / 1000.0 == d) {
    const long long milli = static_cast<long long>(std::fabs(k));
    if (d < 0) out.push_back('-');
    out += std::to_string(milli / 1000);
    char digits[4] = {static_cast<char>('0' + milli / 100 % 10), static_cast<char>('0' + milli / 10 % 10),
                      static_cast<char>('0' + milli % 10), 0};
    int n = 3;
    while (n > 0 && digits[n - 1] == '0') --n;
    out.push_back('.');
    out.append(digits, static_cast<size_t>(n));
    return;
  }
  out += logic::number_to_string(d);
}

void write_auto_or_number(const std::optional<double>& v, std::string& out) {
  if (v) write_number(*v, out);
  else out += "\"auto\"";
}

}  // namespace

ordered_json captions_json(const ParsedCaptions& parsed) {
  ordered_json cues = ordered_json::array();
  for (const Cue& cue : parsed.cues) {
    ordered_json c = ordered_json::object();
    c["id"] = cue.id;
    c["startTime"] = cue.start_time;
    c["endTime"] = cue.end_time;
    c["text"] = cue.text;
    c["vertical"] = writing_direction_name(cue.vertical);
    c["snapToLines"] = cue.snap_to_lines;
    c["line"] = auto_or_number(cue.line);
    c["lineAlign"] = line_align_name(cue.line_align);
    c["position"] = auto_or_number(cue.position);
    c["positionAlign"] = position_align_name(cue.position_align);
    c["size"] = cue.size;
    c["align"] = cue_align_name(cue.align);
    if (cue.region >= 0 && static_cast<size_t>(cue.region) < parsed.regions.size())
      c["region"] = parsed.regions[static_cast<size_t>(cue.region)].id;
    else
      c["region"] = nullptr;
    cues.push_back(std::move(c));
  }
  ordered_json regions = ordered_json::array();
  for (const Region& region : parsed.regions) {
    ordered_json r = ordered_json::object();
    r["id"] = region.id;
    r["width"] = region.width;
    r["lines"] = region.lines;
    r["regionAnchorX"] = region.region_anchor_x;
    r["regionAnchorY"] = region.region_anchor_y;
    r["viewportAnchorX"] = region.viewport_anchor_x;
    r["viewportAnchorY"] = region.viewport_anchor_y;
    r["scroll"] = region_scroll_name(region.scroll);
    regions.push_back(std::move(r));
  }
  ordered_json errors = ordered_json::array();
  for (const Error& e : parsed.errors) errors.push_back(ordered_json{{"line", e.line}, {"message", e.message}});
  ordered_json out = ordered_json::object();
  out["cues"] = std::move(cues);
  out["regions"] = std::move(regions);
  out["errors"] = std::move(errors);
  return out;
}

// Written directly rather than through captions_json(): building and freeing the ordered_json
// tree costs more than the writing.
std::string captions_json_text(const ParsedCaptions& parsed) {
  std::string out = "{\"cues\":[";
  for (size_t i = 0; i < parsed.cues.size(); ++i) {
    const Cue& cue = parsed.cues[i];
    out += i ? ",{\"id\":" : "{\"id\":";
    write_string(cue.id, out);
    out += ",\"startTime\":";
    write_number(cue.start_time, out);
    out += ",\"endTime\":";
    write_number(cue.end_time, out);
    out += ",\"text\":";
    write_string(cue.text, out);
    out += ",\"vertical\":\"";
    out += writing_direction_name(cue.vertical);
    out += cue.snap_to_lines ? "\",\"snapToLines\":true,\"line\":" : "\",\"snapToLines\":false,\"line\":";
    write_auto_or_number(cue.line, out);
    out += ",\"lineAlign\":\"";
    out += line_align_name(cue.line_align);
    out += "\",\"position\":";
    write_auto_or_number(cue.position, out);
    out += ",\"positionAlign\":\"";
    out += position_align_name(cue.position_align);
    out += "\",\"size\":";
    write_number(cue.size, out);
    out += ",\"align\":\"";
    out += cue_align_name(cue.align);
    out += "\",\"region\":";
    if (cue.region >= 0 && static_cast<size_t>(cue.region) < parsed.regions.size()) write_string(parsed.regions[static_cast<size_t>(cue.region)].id, out);
    else out += "null";
    out += '}';
  }
  out += "],\"regions\":[";
  for (size_t i = 0; i < parsed.regions.size(); ++i) {
    const Region& r = parsed.regions[i];
    out += i ? ",{\"id\":" : "{\"id\":";
    write_string(r.id, out);
    out += ",\"width\":";
    write_number(r.width, out);
    out += ",\"lines\":";
    write_number(r.lines, out);
    out += ",\"regionAnchorX\":";
    write_number(r.region_anchor_x, out);
    out += ",\"regionAnchorY\":";
    write_number(r.region_anchor_y, out);
    out += ",\"viewportAnchorX\":";
    write_number(r.viewport_anchor_x, out);
    out += ",\"viewportAnchorY\":";
    write_number(r.viewport_anchor_y, out);
    out += ",\"scroll\":\"";
    out += region_scroll_name(r.scroll);
    out += "\"}";
  }
  out += "],\"errors\":[";
  for (size_t i = 0; i < parsed.errors.size(); ++i) {
    out += i ? ",{\"line\":" : "{\"line\":";
    out += std::to_string(parsed.errors[i].line);
    out += ",\"message\":";
    write_string(parsed.errors[i].message, out);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace tessera::captions
