// Parsing and validation of `graphic` objects (see graphic.h and docs/programme-format.md).
// Structure follows the programme validator: missing or mistyped fields are errors, unknown
// properties are warnings (newer programmes still load), ranges are checked against GraphicLimits.
#include "graphics/graphic.h"

#include <cmath>
#include <initializer_list>

#include "text/utf8.h"

namespace tessera {

using nlohmann::ordered_json;

std::optional<Rgba> parse_colour(const std::string& text) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') return std::nullopt;
  uint8_t bytes[4] = {0, 0, 0, 255};
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    int v = 0;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else return std::nullopt;
    const size_t byte = (i - 1) / 2;
    bytes[byte] = static_cast<uint8_t>(i % 2 == 1 ? v << 4 : bytes[byte] | v);
  }
  return Rgba{bytes[0], bytes[1], bytes[2], bytes[3]};
}

bool parse_text_template(const std::string& text, std::vector<TextSegment>* out, std::string* error) {
  out->clear();
  std::string literal;
  auto flush = [&]() {
    if (!literal.empty()) out->push_back({literal, false});
    literal.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') { literal.push_back('{'); ++i; continue; }
    if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') { literal.push_back('}'); ++i; continue; }
    if (c == '}') { *error = "a lone '}' (write '}}' for a brace)"; return false; }
    if (c != '{') { literal.push_back(c); continue; }
    const size_t close = text.find('}', i + 1);
    if (close == std::string::npos) { *error = "placeholder '{' is not closed (write '{{' for a brace)"; return false; }
    const std::string name = text.substr(i + 1, close - i - 1);
    bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (const char n : name)
      valid = valid && ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9') || n == '_');
    if (!valid) { *error = "\"{" + name + "}\" is not a variable name"; return false; }
    flush();
    out->push_back({name, true});
    i = close;
  }
  flush();
  return true;
}

namespace {

std::string format_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return ordered_json(v).dump();
}

class GraphicParser {
 public:
  explicit GraphicParser(GraphicParseResult& r) : r_(r), d_(r.diagnostics) {}

  void parse(const ordered_json& j, const std::string& ptr) {
    if (!j.is_object()) { d_.error(ptr, "a graphic must be an object with width, height and elements"); return; }
    known_keys(j, ptr, {"width", "height", "elements"});
    Graphic& g = r_.graphic;
    // At least one design unit, so scaling into a region stays finite.
    g.width = number(j, "width", ptr, true, 1, GraphicLimits::kMaxCoordinate).value_or(0);
    g.height = number(j, "height", ptr, true, 1, GraphicLimits::kMaxCoordinate).value_or(0);
    const ordered_json* elements = field(j, "elements", ptr, true);
    if (!elements) return;
    const std::string ep = ptr + "/elements";
    if (!elements->is_array()) { d_.error(ep, "expected an array"); return; }
    if (elements->size() > GraphicLimits::kMaxElements) {
      d_.error(ep, "more than " + std::to_string(GraphicLimits::kMaxElements) + " elements");
      return;
    }
    for (size_t i = 0; i < elements->size(); ++i) element((*elements)[i], pointer_join(ep, i));
  }

 private:
  GraphicParseResult& r_;
  Diagnostics& d_;
  size_t path_commands_ = 0;

  // -- field access (the programme validator's wording) --
  const ordered_json* field(const ordered_json& obj, const char* key, const std::string& ptr, bool required) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) d_.error(ptr, std::string("missing required property \"") + key + "\"");
      return nullptr;
    }
    return &*it;
  }
  std::optional<double> number(const ordered_json& obj, const char* key, const std::string& ptr, bool required,
                               double min, double max, bool exclusive_min = false) {
    const ordered_json* j = field(obj, key, ptr, required);
    if (!j) return std::nullopt;
    return number_value(*j, pointer_join(ptr, key), min, max, exclusive_min);
  }
  std::optional<double> number_value(const ordered_json& j, const std::string& ptr, double min, double max,
                                     bool exclusive_min = false) {
    if (!j.is_number()) { d_.error(ptr, "expected a number"); return std::nullopt; }
    const double v = j.get<double>();
    if (!std::isfinite(v) || v < min || v > max || (exclusive_min && v == min)) {
      d_.error(ptr, "must be " + std::string(exclusive_min ? "more than " : "from ") + format_number(min) +
                        (exclusive_min ? " and at most " : " to ") + format_number(max));
      return std::nullopt;
    }
    return v;
  }
  std::optional<std::string> string(const ordered_json& obj, const char* key, const std::string& ptr, bool required) {
    const ordered_json* j = field(obj, key, ptr, required);
    if (!j) return std::nullopt;
    if (!j->is_string()) { d_.error(pointer_join(ptr, key), "expected a string"); return std::nullopt; }
    return j->get<std::string>();
  }
  std::optional<Rgba> colour(const ordered_json& obj, const char* key, const std::string& ptr) {
    const std::optional<std::string> s = string(obj, key, ptr, false);
    if (!s) return std::nullopt;
    const std::optional<Rgba> c = parse_colour(*s);
    if (!c) d_.error(pointer_join(ptr, key), "expected a colour \"#rrggbb\" or \"#rrggbbaa\"");
    return c;
  }
  template <typename T>
  std::optional<T> choice(const ordered_json& obj, const char* key, const std::string& ptr,
                          std::initializer_list<std::pair<const char*, T>> options, const char* expected) {
    const std::optional<std::string> s = string(obj, key, ptr, false);
    if (!s) return std::nullopt;
    for (const auto& [name, value] : options)
      if (*s == name) return value;
    d_.error(pointer_join(ptr, key), std::string("expected ") + expected);
    return std::nullopt;
  }
  void known_keys(const ordered_json& obj, const std::string& ptr, std::initializer_list<const char*> known) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool ok = false;
      for (const char* k : known) ok = ok || it.key() == k;
      if (!ok) d_.warning(pointer_join(ptr, it.key()), "unknown property \"" + it.key() + "\" is ignored");
    }
  }
  void box(const ordered_json& j, const std::string& ptr, GraphicElement& e, bool with_height) {
    constexpr double kMax = GraphicLimits::kMaxCoordinate;
    e.x = number(j, "x", ptr, true, -kMax, kMax).value_or(0);
    e.y = number(j, "y", ptr, true, -kMax, kMax).value_or(0);
    e.width = number(j, "width", ptr, true, 0, kMax, true).value_or(0);
    if (with_height) e.height = number(j, "height", ptr, true, 0, kMax, true).value_or(0);
  }
  void paints(const ordered_json& j, const std::string& ptr, GraphicElement& e) {
    e.fill = colour(j, "fill", ptr);
    e.stroke = colour(j, "stroke", ptr);
    e.stroke_width = number(j, "strokeWidth", ptr, false, 0, 1000, true).value_or(1);
    if (j.contains("strokeWidth") && !j.contains("stroke")) d_.warning(pointer_join(ptr, "strokeWidth"), "has no effect without a stroke");
    if (!j.contains("fill") && !j.contains("stroke")) d_.warning(ptr, "has neither fill nor stroke: it draws nothing");
  }

  void element(const ordered_json& j, const std::string& ptr) {
    if (!j.is_object()) { d_.error(ptr, "expected an object"); return; }
    GraphicElement e;
    e.pointer = ptr;
    const std::optional<std::string> type = string(j, "type", ptr, true);
    if (!type) return;
    static const char* const kCommon[] = {"type", "id", "opacity", "anchor", "keyframes"};
    auto keys = [&](std::initializer_list<const char*> own) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        bool ok = false;
        for (const char* k : kCommon) ok = ok || it.key() == k;
        for (const char* k : own) ok = ok || it.key() == k;
        if (!ok) d_.warning(pointer_join(ptr, it.key()), "unknown property \"" + it.key() + "\" is ignored");
      }
    };
    if (*type == "rect") {
      e.type = GraphicElementType::Rect;
      keys({"x", "y", "width", "height", "radius", "fill", "stroke", "strokeWidth"});
      box(j, ptr, e, true);
      e.radius = number(j, "radius", ptr, false, 0, GraphicLimits::kMaxCoordinate).value_or(0);
      paints(j, ptr, e);
    } else if (*type == "path") {
      e.type = GraphicElementType::Path;
      keys({"d", "fill", "fillRule", "stroke", "strokeWidth"});
      path(j, ptr, e);
      e.fill_rule = choice<FillRule>(j, "fillRule", ptr, {{"nonzero", FillRule::NonZero}, {"evenodd", FillRule::EvenOdd}},
                                     "\"nonzero\" or \"evenodd\"")
                        .value_or(FillRule::NonZero);
      paints(j, ptr, e);
    } else if (*type == "image") {
      e.type = GraphicElementType::Image;
      keys({"x", "y", "width", "height", "asset", "fit"});
      box(j, ptr, e, true);
      if (const std::optional<std::string> a = string(j, "asset", ptr, true)) {
        if (a->empty()) d_.error(ptr + "/asset", "must not be empty");
        e.asset = *a;
        r_.assets.push_back({*a, "image", ptr + "/asset"});
      }
      e.fit = choice<ImageFit>(j, "fit", ptr, {{"contain", ImageFit::Contain}, {"cover", ImageFit::Cover}},
                               "\"contain\" or \"cover\"")
                  .value_or(ImageFit::Contain);
    } else if (*type == "text") {
      e.type = GraphicElementType::Text;
      keys({"x", "y", "width", "text", "font", "size", "fill", "align", "lineHeight", "maxLines"});
      box(j, ptr, e, false);
      text(j, ptr, e);
    } else {
      d_.error(ptr + "/type", "expected \"rect\", \"path\", \"image\" or \"text\"");
      return;
    }
    if (const ordered_json* id = field(j, "id", ptr, false)) {
      if (id->is_string()) e.id = id->get<std::string>();
      else d_.error(ptr + "/id", "expected a string");
    }
    e.opacity = number(j, "opacity", ptr, false, 0, 1).value_or(1);
    if (const ordered_json* anchor = field(j, "anchor", ptr, false)) {
      const std::string ap = ptr + "/anchor";
      if (!anchor->is_object()) d_.error(ap, "expected an object { x, y } of fractions of the element's bounds");
      else {
        known_keys(*anchor, ap, {"x", "y"});
        e.anchor_x = number(*anchor, "x", ap, true, -100, 100).value_or(0.5);
        e.anchor_y = number(*anchor, "y", ap, true, -100, 100).value_or(0.5);
      }
    }
    if (const ordered_json* frames = field(j, "keyframes", ptr, false)) keyframes(*frames, ptr + "/keyframes", e);
    r_.graphic.elements.push_back(std::move(e));
  }

  void path(const ordered_json& j, const std::string& ptr, GraphicElement& e) {
    const std::optional<std::string> d = string(j, "d", ptr, true);
    if (!d) return;
    const std::string dp = ptr + "/d";
    if (d->size() > GraphicLimits::kMaxPathData) {
      d_.error(dp, "path data longer than " + std::to_string(GraphicLimits::kMaxPathData) + " characters");
      return;
    }
    const size_t room = GraphicLimits::kMaxTotalPathCommands - path_commands_;
    std::string error;
    if (!parse_path_data(*d, std::min(GraphicLimits::kMaxPathCommands, room), &e.path, &error)) {
      if (room < GraphicLimits::kMaxPathCommands && error.find("more than") != std::string::npos)
        error = "the graphic's paths have more than " + std::to_string(GraphicLimits::kMaxTotalPathCommands) + " commands in all";
      d_.error(dp, error);
      return;
    }
    path_commands_ += e.path.commands.size();
    PointD lo, hi;
    if (e.path.bounds(&lo, &hi)) {
      e.path_min = lo;
      e.path_max = hi;
    }
  }

  void text(const ordered_json& j, const std::string& ptr, GraphicElement& e) {
    if (const std::optional<std::string> t = string(j, "text", ptr, true)) {
      const std::string tp = ptr + "/text";
      std::string error;
      if (decode_utf8(*t).size() > GraphicLimits::kMaxTextCodepoints)
        d_.error(tp, "longer than " + std::to_string(GraphicLimits::kMaxTextCodepoints) + " characters");
      else if (!parse_text_template(*t, &e.text, &error)) d_.error(tp, error);
      else
        for (const TextSegment& s : e.text)
          if (s.variable) r_.variables.push_back({s.text, tp});
    }
    if (const std::optional<std::string> f = string(j, "font", ptr, true)) {
      if (f->empty()) d_.error(ptr + "/font", "must not be empty");
      e.font = *f;
      r_.assets.push_back({*f, "font", ptr + "/font"});
    }
    e.size = number(j, "size", ptr, true, 0, 10000, true).value_or(32);
    e.fill = colour(j, "fill", ptr);
    if (!e.fill) e.fill = Rgba{255, 255, 255, 255};
    e.align = choice<TextAlign>(j, "align", ptr, {{"left", TextAlign::Left}, {"centre", TextAlign::Centre},
                                                  {"center", TextAlign::Centre}, {"right", TextAlign::Right}},
                                "\"left\", \"centre\" or \"right\"")
                  .value_or(TextAlign::Left);
    e.line_height = number(j, "lineHeight", ptr, false, 0, 10, true).value_or(1.2);
    if (const ordered_json* m = field(j, "maxLines", ptr, false)) {
      if (!m->is_number_integer() || m->get<int64_t>() < 1 || m->get<int64_t>() > GraphicLimits::kMaxLines)
        d_.error(ptr + "/maxLines", "expected a whole number from 1 to " + std::to_string(GraphicLimits::kMaxLines));
      else e.max_lines = static_cast<int>(m->get<int64_t>());
    }
  }

  void keyframes(const ordered_json& frames, const std::string& ptr, GraphicElement& e) {
    if (!frames.is_array()) { d_.error(ptr, "expected an array"); return; }
    if (frames.size() > GraphicLimits::kMaxKeyframes) {
      d_.error(ptr, "more than " + std::to_string(GraphicLimits::kMaxKeyframes) + " keyframes");
      return;
    }
    constexpr double kMax = GraphicLimits::kMaxCoordinate;
    for (size_t i = 0; i < frames.size(); ++i) {
      const std::string kp = pointer_join(ptr, i);
      const ordered_json& f = frames[i];
      if (!f.is_object()) { d_.error(kp, "expected an object"); continue; }
      known_keys(f, kp, {"at", "x", "y", "scale", "opacity", "easing"});
      Keyframe k;
      const std::optional<double> at = number(f, "at", kp, true, 0, 1.0e6);
      k.at = at.value_or(0);
      if (f.contains("x")) k.x = number(f, "x", kp, false, -kMax, kMax);
      if (f.contains("y")) k.y = number(f, "y", kp, false, -kMax, kMax);
      if (f.contains("scale")) k.scale = number(f, "scale", kp, false, 0, 100);
      if (f.contains("opacity")) k.opacity = number(f, "opacity", kp, false, 0, 1);
      if (!f.contains("x") && !f.contains("y") && !f.contains("scale") && !f.contains("opacity"))
        d_.warning(kp, "sets none of x, y, scale, opacity");
      if (const ordered_json* easing = field(f, "easing", kp, false)) k.easing = parse_easing(*easing, kp + "/easing");
      if (at && !e.keyframes.empty() && *at <= e.keyframes.back().at) {
        d_.error(kp + "/at", "keyframes must be in increasing time order");
        continue;
      }
      if (at) e.keyframes.push_back(k);
    }
  }

  Easing parse_easing(const ordered_json& j, const std::string& ptr) {
    if (j.is_string()) {
      const std::string& s = j.get_ref<const std::string&>();
      if (s == "linear") return Easing::linear();
      if (s == "ease") return Easing::ease();
      if (s == "ease-in") return Easing::ease_in();
      if (s == "ease-out") return Easing::ease_out();
      if (s == "ease-in-out") return Easing::ease_in_out();
      if (s == "step") return Easing::step();
    } else if (j.is_array() && j.size() == 4) {
      std::optional<double> v[4];
      for (size_t i = 0; i < 4; ++i) {
        const bool is_x = i % 2 == 0;  // x1 and x2 keep the curve a function of time
        v[i] = number_value(j[i], pointer_join(ptr, i), is_x ? 0 : -10, is_x ? 1 : 10);
      }
      if (v[0] && v[1] && v[2] && v[3]) return Easing::cubic(*v[0], *v[1], *v[2], *v[3]);
      return Easing::linear();
    }
    d_.error(ptr, "expected \"linear\", \"ease\", \"ease-in\", \"ease-out\", \"ease-in-out\", \"step\" or [x1, y1, x2, y2]");
    return Easing::linear();
  }
};

}  // namespace

GraphicParseResult parse_graphic(const ordered_json& json, const std::string& pointer) {
  GraphicParseResult r;
  GraphicParser(r).parse(json, pointer);
  r.ok = !r.diagnostics.has_errors();
  return r;
}

}  // namespace tessera
