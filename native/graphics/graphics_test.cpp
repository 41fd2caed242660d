#include <doctest.h>

#include <cmath>
#include <string>

#include "graphics/animation.h"
#include "graphics/draw.h"
#include "graphics/graphic.h"
#include "graphics/graphics_reference.h"
#include "graphics/path.h"
#include "graphics/rasterizer.h"
#include "tests/test_font.h"

using nlohmann::ordered_json;
using tessera::Easing;
using tessera::FillRule;
using tessera::Keyframe;
using tessera::Path;
using tessera::Polyline;
using tessera::Rgba;
using tessera::Surface;

namespace {

constexpr Rgba kWhite{255, 255, 255, 255};

ordered_json json(const std::string& text) { return ordered_json::parse(text, nullptr, false); }

tessera::GraphicParseResult parse(const std::string& text) {
  return tessera::parse_graphic(json(text), "/assets/g/graphic");
}

const tessera::Diagnostic* find(const tessera::GraphicParseResult& r, const std::string& pointer) {
  for (const auto& d : r.diagnostics.items())
    if (d.pointer == pointer) return &d;
  return nullptr;
}

std::vector<Polyline> polygons(const Path& path) {
  std::vector<Polyline> out;
  size_t budget = 100000;
  tessera::flatten_path(path, {}, &budget, &out);
  return out;
}

Path parse_path(const std::string& d) {
  Path p;
  std::string error;
  REQUIRE_MESSAGE(tessera::parse_path_data(d, 1000, &p, &error), error);
  return p;
}

// Sum of alpha / 255 over the surface: the painted area in pixels.
double painted_area(const Surface& s) {
  double sum = 0;
  for (int y = 0; y < s.height(); ++y)
    for (int x = 0; x < s.width(); ++x) sum += s.pixel(x, y)[3] / 255.0;
  return sum;
}

bool same_bytes(const Surface& a, const Surface& b) {
  return a.byte_size() == b.byte_size() && std::equal(a.data(), a.data() + a.byte_size(), b.data());
}

}  // namespace

// ---- format ---------------------------------------------------------------------------------

TEST_CASE("a graphic with every element type parses into its model") {
  const auto r = parse(R"({
    "width": 700, "height": 100,
    "elements": [
      { "type": "rect", "id": "bar", "x": 0, "y": 10, "width": 520, "height": 80, "radius": 12, "fill": "#1d3557e6",
        "stroke": "#FFFFFF", "strokeWidth": 2,
        "keyframes": [ { "at": 0, "x": -540, "easing": "ease-out" }, { "at": 0.6, "x": 0 } ] },
      { "type": "path", "d": "M0 0 L10 0 L10 10 Z", "fill": "#ff0000", "fillRule": "evenodd" },
      { "type": "image", "asset": "logo", "x": 1, "y": 2, "width": 30, "height": 40, "fit": "cover", "opacity": 0.5 },
      { "type": "text", "x": 28, "y": 18, "width": 470, "text": "Hello, {viewerName}", "font": "ui-font", "size": 34,
        "align": "centre", "lineHeight": 1.4, "maxLines": 2, "anchor": { "x": 0, "y": 1 },
        "keyframes": [ { "at": 0.2, "opacity": 0, "scale": 0.5, "easing": [0.2, 0.8, 0.3, 1.2] }, { "at": 1, "opacity": 1, "scale": 1 } ] }
    ]
  })");
  for (const auto& d : r.diagnostics.items()) MESSAGE(d.pointer << ": " << d.message);
  REQUIRE(r.ok);
  CHECK(r.diagnostics.items().empty());
  const tessera::Graphic& g = r.graphic;
  CHECK(g.width == 700);
  REQUIRE(g.elements.size() == 4);
  const auto& rect = g.elements[0];
  CHECK(rect.type == tessera::GraphicElementType::Rect);
  CHECK(rect.id == "bar");
  CHECK(rect.radius == 12);
  CHECK(rect.fill->a == 0xe6);
  CHECK(rect.stroke->r == 255);
  CHECK(rect.keyframes.size() == 2);
  CHECK(rect.keyframes[0].x.value() == -540);
  CHECK(rect.keyframes[0].easing.kind == Easing::Kind::CubicBezier);
  CHECK(g.elements[1].fill_rule == FillRule::EvenOdd);
  CHECK(g.elements[1].path.commands.size() == 4);
  CHECK(g.elements[1].path_max.x == 10);
  CHECK(g.elements[2].fit == tessera::ImageFit::Cover);
  CHECK(g.elements[2].opacity == 0.5);
  const auto& text = g.elements[3];
  CHECK(text.align == tessera::TextAlign::Centre);
  CHECK(text.max_lines == 2);
  CHECK(text.anchor_y == 1);
  REQUIRE(text.text.size() == 2);
  CHECK(text.text[1].variable);
  CHECK(text.text[1].text == "viewerName");
  CHECK(text.fill->g == 255);  // white unless told
  // References for the programme validator.
  REQUIRE(r.assets.size() == 2);
  CHECK(r.assets[0].asset == "logo");
  CHECK(r.assets[0].kind == "image");
  CHECK(r.assets[0].pointer == "/assets/g/graphic/elements/2/asset");
  CHECK(r.assets[1].kind == "font");
  REQUIRE(r.variables.size() == 1);
  CHECK(r.variables[0].name == "viewerName");
  CHECK(r.variables[0].pointer == "/assets/g/graphic/elements/3/text");
}

TEST_CASE("graphic diagnostics name the place of each problem") {
  const auto r = parse(R"({
    "height": 100, "colour": "red",
    "elements": [
      { "type": "rect", "x": 0, "y": 0, "width": 10, "height": 10, "fill": "red" },
      { "type": "circle" },
      { "type": "path", "d": "M 0 0 A 5 5 0 0 1 10 10", "stroke": "#000000" },
      { "type": "text", "x": 0, "y": 0, "width": 10, "text": "Hi {name", "font": "f", "size": 0 },
      { "type": "rect", "x": 0, "y": 0, "width": -1, "height": 10, "fill": "#00000080",
        "keyframes": [ { "at": 1, "x": 1 }, { "at": 0.5, "x": 2 }, { "at": 2, "easing": "bouncy" } ] },
      { "type": "image", "x": 0, "y": 0, "width": 10, "height": 10, "fit": "stretch" },
      { "type": "text", "x": 0, "y": 0, "width": 10, "text": "ok", "font": "f", "size": 10, "align": "justify",
        "maxLines": 0, "fillRule": "evenodd" }
    ]
  })");
  CHECK_FALSE(r.ok);
  const std::string g = "/assets/g/graphic";
  auto message = [&](const std::string& pointer) {
    const auto* d = find(r, g + pointer);
    return d ? d->message : std::string("(no diagnostic at ") + g + pointer + ")";
  };
  CHECK(message("") == "missing required property \"width\"");
  CHECK(message("/colour") == "unknown property \"colour\" is ignored");
  CHECK(find(r, g + "/colour")->severity == tessera::Severity::Warning);
  CHECK(message("/elements/0/fill") == "expected a colour \"#rrggbb\" or \"#rrggbbaa\"");
  CHECK(message("/elements/1/type") == "expected \"rect\", \"path\", \"image\" or \"text\"");
  CHECK(message("/elements/2/d").find("arcs (A) are not supported") != std::string::npos);
  CHECK(message("/elements/3/text") == "placeholder '{' is not closed (write '{{' for a brace)");
  CHECK(message("/elements/3/size") == "must be more than 0 and at most 10000");
  CHECK(message("/elements/4/width") == "must be more than 0 and at most 100000");
  CHECK(message("/elements/4/keyframes/1/at") == "keyframes must be in increasing time order");
  CHECK(message("/elements/4/keyframes/2/easing").find("expected \"linear\"") == 0);
  CHECK(message("/elements/4/keyframes/2") == "sets none of x, y, scale, opacity");
  CHECK(message("/elements/5") == "missing required property \"asset\"");
  CHECK(message("/elements/5/fit") == "expected \"contain\" or \"cover\"");
  CHECK(message("/elements/6/align") == "expected \"left\", \"centre\" or \"right\"");
  CHECK(message("/elements/6/maxLines") == "expected a whole number from 1 to 50");
  CHECK(message("/elements/6/fillRule") == "unknown property \"fillRule\" is ignored");
  CHECK(tessera::parse_graphic(json("[]"), "/x").diagnostics.items().at(0).message ==
        "a graphic must be an object with width, height and elements");
}

TEST_CASE("graphic limits bound untrusted input") {
  std::string many = R"({"width":10,"height":10,"elements":[)";
  for (int i = 0; i < 257; ++i) many += std::string(i ? "," : "") + R"({"type":"rect","x":0,"y":0,"width":1,"height":1,"fill":"#000000"})";
  many += "]}";
  CHECK(find(parse(many), "/assets/g/graphic/elements")->message == "more than 256 elements");

  std::string d = "M0 0";
  for (int i = 0; i < 4100; ++i) d += " L1 1";
  const auto long_path = parse(R"({"width":10,"height":10,"elements":[{"type":"path","fill":"#000000","d":")" + d + "\"}]}");
  CHECK(find(long_path, "/assets/g/graphic/elements/0/d")->message.find("more than 4096 commands") != std::string::npos);

  const auto long_text = parse(R"({"width":10,"height":10,"elements":[{"type":"text","x":0,"y":0,"width":5,"font":"f","size":5,"text":")" +
                               std::string(1001, 'a') + "\"}]}");
  CHECK(find(long_text, "/assets/g/graphic/elements/0/text")->message == "longer than 1000 characters");

  std::string frames;
  for (int i = 0; i < 33; ++i) frames += std::string(i ? "," : "") + R"({"at":)" + std::to_string(i) + R"(,"x":0})";
  const auto many_frames = parse(R"({"width":10,"height":10,"elements":[{"type":"rect","x":0,"y":0,"width":1,"height":1,"fill":"#000000","keyframes":[)" +
                                 frames + "]}]}");
  CHECK(find(many_frames, "/assets/g/graphic/elements/0/keyframes")->message == "more than 32 keyframes");

  const auto far = parse(R"({"width":10,"height":10,"elements":[{"type":"rect","x":1e9,"y":0,"width":1,"height":1,"fill":"#000000"}]})");
  CHECK(find(far, "/assets/g/graphic/elements/0/x")->message == "must be from -100000 to 100000");
}

TEST_CASE("colours and text templates") {
  CHECK(tessera::parse_colour("#1D3557").value().b == 0x57);
  CHECK(tessera::parse_colour("#1d355780").value().a == 0x80);
  CHECK_FALSE(tessera::parse_colour("#123"));
  CHECK_FALSE(tessera::parse_colour("1d3557"));
  CHECK_FALSE(tessera::parse_colour("#1d355g"));
  std::vector<tessera::TextSegment> t;
  std::string error;
  REQUIRE(tessera::parse_text_template("{{a}} {b_2}!", &t, &error));
  REQUIRE(t.size() == 3);
  CHECK(t[0].text == "{a} ");
  CHECK(t[1].variable);
  CHECK(t[2].text == "!");
  CHECK_FALSE(tessera::parse_text_template("{}", &t, &error));
  CHECK_FALSE(tessera::parse_text_template("{a b}", &t, &error));
  CHECK_FALSE(tessera::parse_text_template("a } b", &t, &error));
}

TEST_CASE("placeholders are replaced by the variables' text; unknown ones vanish") {
  std::vector<tessera::TextSegment> t;
  std::string error;
  REQUIRE(tessera::parse_text_template("Hello, {viewerName}{missing} ({{x}})", &t, &error));
  std::map<std::string, std::string, std::less<>> vars{{"viewerName", "Siân"}};
  CHECK(tessera::substitute_text(t, vars) == "Hello, Siân ({x})");
  vars["viewerName"] = std::string(5000, 'z');
  CHECK(tessera::substitute_text(t, vars).size() == tessera::GraphicLimits::kMaxSubstitutedCodepoints);
}

TEST_CASE("the sample programme's graphics are valid") {
  const auto bytes = tessera::testing::read_repo_file("docs/examples/sample-programme.json");
  const ordered_json sample = ordered_json::parse(bytes.begin(), bytes.end(), nullptr, false);
  int graphics = 0;
  for (auto it = sample["assets"].begin(); it != sample["assets"].end(); ++it) {
    if (it.value()["type"] != "graphic") continue;
    ++graphics;
    const auto r = tessera::parse_graphic(it.value()["graphic"], "/assets/" + it.key() + "/graphic");
    for (const auto& d : r.diagnostics.items()) MESSAGE(d.pointer << ": " << d.message);
    CHECK(r.ok);
    CHECK(r.diagnostics.items().empty());
    for (const auto& a : r.assets) CHECK(sample["assets"].contains(a.asset));
    for (const auto& v : r.variables) CHECK(sample["variables"].contains(v.name));
  }
  CHECK(graphics == 2);
}

// ---- path data ----------------------------------------------------------------------------------

TEST_CASE("path data: absolute, relative, implicit repeats, H/V, S/T reflection and compact numbers") {
  const Path p = parse_path("m10,20 l5-5 h10 v-1.5e1 L0 0 1 1 Z M0 0 C 1 2 3 4 5 6 S 9 10 11 12 Q 1 1 2 2 T 4 0");
  using V = tessera::PathVerb;
  REQUIRE(p.commands.size() == 12);
  CHECK(p.commands[0].verb == V::Move);
  CHECK(p.commands[1].p[0].x == 15);
  CHECK(p.commands[1].p[0].y == 15);
  CHECK(p.commands[2].p[0].x == 25);
  CHECK(p.commands[3].p[0].y == 0);
  CHECK(p.commands[5].p[0].x == 1);  // implicit repeat of L
  CHECK(p.commands[6].verb == V::Close);
  CHECK(p.commands[9].verb == V::Cubic);
  CHECK(p.commands[9].p[0].x == 7);   // reflection of (3, 4) about (5, 6)
  CHECK(p.commands[9].p[0].y == 8);
  CHECK(p.commands[10].verb == V::Quad);
  CHECK(p.commands[11].verb == V::Quad);
  CHECK(p.commands[11].p[0].x == 3);  // reflection of (1, 1) about (2, 2)
  CHECK(p.commands[11].p[1].x == 4);
  const Path compact = parse_path("M.5.5-1-2");
  CHECK(compact.commands[0].p[0].x == 0.5);
  CHECK(compact.commands[0].p[0].y == 0.5);
  CHECK(compact.commands[1].p[0].x == -1);
  CHECK(compact.commands[1].p[0].y == -2);
  CHECK(parse_path("M 0.1 1e-3").commands[0].p[0].x == 0.1);
  CHECK(parse_path("M 0.1 1e-3").commands[0].p[0].y == 0.001);
  const Path rel = parse_path("M 10 10 l 5 0 z l 0 5");
  CHECK(rel.commands[3].p[0].x == 10);  // after z, relative to the subpath's start
  CHECK(rel.commands[3].p[0].y == 15);
}

TEST_CASE("bad path data is refused with the offset of the problem") {
  Path p;
  std::string error;
  CHECK_FALSE(tessera::parse_path_data("L 1 1", 100, &p, &error));
  CHECK(error.find("must start with a move") != std::string::npos);
  CHECK_FALSE(tessera::parse_path_data("M 1", 100, &p, &error));
  CHECK(error == "path data at offset 3: expected a number for 'M'");
  CHECK_FALSE(tessera::parse_path_data("M 1 1 X 2", 100, &p, &error));
  CHECK(error.find("unexpected 'X'") != std::string::npos);
  CHECK_FALSE(tessera::parse_path_data("M 1 1e", 100, &p, &error));
  CHECK_FALSE(tessera::parse_path_data("M 1 1 L 2e7 0", 100, &p, &error));
  CHECK(error.find("out of range") != std::string::npos);
  CHECK_FALSE(tessera::parse_path_data("M0 0 L1 1 2 2 3 3", 3, &p, &error));
  CHECK(error.find("more than 3 commands") != std::string::npos);
  CHECK_FALSE(tessera::parse_path_data("", 3, &p, &error));
}

// ---- coverage -----------------------------------------------------------------------------------

TEST_CASE("a square path fills exactly the pixels fill_rect fills, opaque or translucent") {
  for (const Rgba colour : {Rgba{200, 40, 10, 255}, Rgba{200, 40, 10, 100}}) {
    Surface a(32, 32), b(32, 32);
    a.clear({10, 20, 30, 255});
    b.clear({10, 20, 30, 255});
    a.fill_rect(5, 7, 11, 13, colour);
    tessera::fill_polygons(b, polygons(parse_path("M5 7 H16 V20 H5 Z")), FillRule::NonZero, colour, {0, 0, 32, 32});
    CHECK(same_bytes(a, b));
  }
}

TEST_CASE("a triangle's coverage sums to its area") {
  Surface s(64, 64);
  tessera::fill_polygons(s, polygons(parse_path("M3.3 2.1 L60.7 20.4 L12.2 58.9 Z")), FillRule::NonZero, kWhite, {0, 0, 64, 64});
  const double area = std::fabs((60.7 - 3.3) * (58.9 - 2.1) - (12.2 - 3.3) * (20.4 - 2.1)) / 2;
  CHECK(painted_area(s) == doctest::Approx(area).epsilon(0.002));
  // Interior pixels are exactly full, far pixels exactly empty.
  CHECK(s.pixel(20, 20)[3] == 255);
  CHECK(s.pixel(60, 60)[3] == 0);
}

TEST_CASE("half-covered pixels: vertical edges exact, horizontal edges in sixteenths") {
  Surface s(4, 4);
  tessera::fill_polygons(s, polygons(parse_path("M0.5 0 H4 V2.25 H0.5 Z")), FillRule::NonZero, kWhite, {0, 0, 4, 4});
  CHECK(s.pixel(0, 0)[3] == 128);  // 2048 of 4096
  CHECK(s.pixel(1, 0)[3] == 255);
  CHECK(s.pixel(1, 2)[3] == 64);   // a quarter: 4 of 16 sub-scanlines
  CHECK(s.pixel(0, 2)[3] == 32);
  CHECK(s.pixel(1, 3)[3] == 0);
}

TEST_CASE("even-odd leaves holes where non-zero fills") {
  // Two nested squares drawn the same way round, and a pentagram.
  const auto squares = polygons(parse_path("M0 0 H20 V20 H0 Z M5 5 H15 V15 H5 Z"));
  Surface nonzero(20, 20), evenodd(20, 20);
  tessera::fill_polygons(nonzero, squares, FillRule::NonZero, kWhite, {0, 0, 20, 20});
  tessera::fill_polygons(evenodd, squares, FillRule::EvenOdd, kWhite, {0, 0, 20, 20});
  CHECK(nonzero.pixel(10, 10)[3] == 255);
  CHECK(evenodd.pixel(10, 10)[3] == 0);
  CHECK(evenodd.pixel(2, 2)[3] == 255);
  CHECK(painted_area(evenodd) == doctest::Approx(300));
  // Drawn the other way round, the inner square cancels under non-zero too.
  Surface reversed(20, 20);
  tessera::fill_polygons(reversed, polygons(parse_path("M0 0 H20 V20 H0 Z M5 5 V15 H15 V5 Z")), FillRule::NonZero, kWhite,
                         {0, 0, 20, 20});
  CHECK(reversed.pixel(10, 10)[3] == 0);
  const auto star = polygons(parse_path("M50 5 L76.5 86.4 7.2 36.1 92.8 36.1 23.5 86.4 Z"));
  Surface star_nz(100, 100), star_eo(100, 100);
  tessera::fill_polygons(star_nz, star, FillRule::NonZero, kWhite, {0, 0, 100, 100});
  tessera::fill_polygons(star_eo, star, FillRule::EvenOdd, kWhite, {0, 0, 100, 100});
  CHECK(star_nz.pixel(50, 50)[3] == 255);
  CHECK(star_eo.pixel(50, 50)[3] == 0);
  CHECK(star_eo.pixel(50, 20)[3] == 255);  // a point of the star
}

TEST_CASE("rounded rectangles: exact interior, empty corners, area of the rounded shape") {
  Surface s(60, 50);
  tessera::fill_polygons(s, polygons(tessera::rounded_rect_path(5, 5, 50, 40, 10)), FillRule::NonZero, kWhite, {0, 0, 60, 50});
  for (int y = 5; y < 45; ++y)
    for (int x = 15; x < 45; ++x) REQUIRE(s.pixel(x, y)[3] == 255);
  for (int y = 15; y < 35; ++y)
    for (int x = 5; x < 55; ++x) REQUIRE(s.pixel(x, y)[3] == 255);
  CHECK(s.pixel(5, 5)[3] == 0);    // corner outside the arc
  CHECK(s.pixel(54, 44)[3] == 0);
  CHECK(s.pixel(4, 20)[3] == 0);   // outside the straight edge
  const int arc = s.pixel(7, 8)[3];  // on the arc: partly covered
  CHECK(arc > 0);
  CHECK(arc < 255);
  // The flattened arcs are chords inside the circle (at most 0.1 px away): a little area is lost.
  const double area = 50.0 * 40.0 - (4 - 3.14159265358979) * 100;
  CHECK(painted_area(s) < area);
  CHECK(painted_area(s) == doctest::Approx(area).epsilon(0.003));
  // Radius 0 is fill_rect.
  Surface a(20, 20), b(20, 20);
  a.fill_rect(2, 3, 10, 11, kWhite);
  tessera::fill_polygons(b, polygons(tessera::rounded_rect_path(2, 3, 10, 11, 0)), FillRule::NonZero, kWhite, {0, 0, 20, 20});
  CHECK(same_bytes(a, b));
}

TEST_CASE("strokes have the given width, round caps, and unite their pieces without seams") {
  std::vector<Polyline> outline;
  size_t budget = 100000;
  REQUIRE(tessera::stroke_outline(polygons(parse_path("M10 10 H40")), 4, &budget, &outline));
  Surface s(50, 20);
  tessera::fill_polygons(s, outline, FillRule::NonZero, kWhite, {0, 0, 50, 20});
  for (int x = 10; x < 40; ++x) {
    CHECK(s.pixel(x, 8)[3] == 255);
    CHECK(s.pixel(x, 11)[3] == 255);
    CHECK(s.pixel(x, 7)[3] == 0);
    CHECK(s.pixel(x, 12)[3] == 0);
  }
  CHECK(s.pixel(9, 10)[3] == 255);  // round cap
  CHECK(s.pixel(6, 10)[3] == 0);
  CHECK(painted_area(s) == doctest::Approx(30 * 4 + 3.14159265 * 4).epsilon(0.01));
  // A closed square outline: corners joined, no gaps, hollow inside.
  outline.clear();
  REQUIRE(tessera::stroke_outline(polygons(parse_path("M10 10 H40 V40 H10 Z")), 2, &budget, &outline));
  Surface sq(50, 50);
  tessera::fill_polygons(sq, outline, FillRule::NonZero, kWhite, {0, 0, 50, 50});
  CHECK(sq.pixel(25, 25)[3] == 0);
  CHECK(sq.pixel(9, 25)[3] == 255);
  CHECK(sq.pixel(25, 40)[3] == 255);
  CHECK(sq.pixel(9, 9)[3] > 100);  // only the round join covers the outer corner
  CHECK(sq.pixel(11, 11)[3] == 0);
  // A sharp turn: the join fills the outside of the apex.
  outline.clear();
  REQUIRE(tessera::stroke_outline(polygons(parse_path("M10 40 L25 10 L40 40")), 4, &budget, &outline));
  Surface v(50, 50);
  tessera::fill_polygons(v, outline, FillRule::NonZero, kWhite, {0, 0, 50, 50});
  CHECK(v.pixel(24, 8)[3] > 200);
  CHECK(v.pixel(24, 6)[3] == 0);
  CHECK(v.pixel(24, 20)[3] == 0);
  // A dot for a zero-length subpath, nothing for a bare move.
  outline.clear();
  REQUIRE(tessera::stroke_outline(polygons(parse_path("M5 5 Z M20 20")), 4, &budget, &outline));
  Surface dot(30, 30);
  tessera::fill_polygons(dot, outline, FillRule::NonZero, kWhite, {0, 0, 30, 30});
  CHECK(painted_area(dot) == doctest::Approx(3.14159265 * 4).epsilon(0.05));  // chords within 0.1 px
}

TEST_CASE("the rasterizer never paints outside its clip") {
  Surface s(30, 30);
  tessera::fill_polygons(s, polygons(parse_path("M-100 -100 H100 V100 H-100 Z")), FillRule::NonZero, kWhite, {5, 6, 10, 12});
  CHECK(painted_area(s) == doctest::Approx(120));
  CHECK(s.pixel(5, 6)[3] == 255);
  CHECK(s.pixel(4, 6)[3] == 0);
  CHECK(s.pixel(14, 17)[3] == 255);
  CHECK(s.pixel(15, 17)[3] == 0);
}

// ---- animation ----------------------------------------------------------------------------------

TEST_CASE("easings follow CSS at their ends and in between") {
  CHECK(tessera::ease(Easing::linear(), 0.3) == 0.3);
  CHECK(tessera::ease(Easing::step(), 0.999) == 0);
  CHECK(tessera::ease(Easing::step(), 1) == 1);
  for (const Easing e : {Easing::ease(), Easing::ease_in(), Easing::ease_out(), Easing::ease_in_out()}) {
    CHECK(tessera::ease(e, 0) == 0);
    CHECK(tessera::ease(e, 1) == 1);
    CHECK(tessera::ease(e, -1) == 0);
    CHECK(tessera::ease(e, 2) == 1);
  }
  CHECK(tessera::ease(Easing::ease_in_out(), 0.5) == doctest::Approx(0.5).epsilon(1e-9));
  CHECK(tessera::ease(Easing::ease_in(), 0.5) == doctest::Approx(0.3153568).epsilon(1e-5));
  CHECK(tessera::ease(Easing::ease_out(), 0.5) == doctest::Approx(0.6846432).epsilon(1e-5));
  CHECK(tessera::ease(Easing::ease(), 0.5) == doctest::Approx(0.8024034).epsilon(1e-5));
  // Overshoot is allowed in y.
  const Easing back = Easing::cubic(0.3, 1.6, 0.7, 1.4);
  CHECK(tessera::ease(back, 0.5) > 1);
}

TEST_CASE("keyframes hold before the first and after the last, and interpolate each property on its own") {
  std::vector<Keyframe> k(3);
  k[0].at = 0.5;
  k[0].x = -100;
  k[0].opacity = 0;
  k[0].easing = Easing::ease_out();
  k[1].at = 1.5;
  k[1].x = 0;
  k[1].easing = Easing::step();
  k[2].at = 2.5;
  k[2].x = 50;
  k[2].opacity = 1;
  CHECK(tessera::evaluate_keyframes(k, 0).x == -100);
  CHECK(tessera::evaluate_keyframes(k, 0.5).x == -100);
  CHECK(tessera::evaluate_keyframes(k, 1.5).x == 0);
  CHECK(tessera::evaluate_keyframes(k, 9).x == 50);
  CHECK(tessera::evaluate_keyframes(k, 1.0).x == doctest::Approx(-100 + 100 * tessera::ease(Easing::ease_out(), 0.5)));
  CHECK(tessera::evaluate_keyframes(k, 2.4).x == 0);  // step holds until the next keyframe
  CHECK(tessera::evaluate_keyframes(k, 2.5).x == 50);
  // Opacity skips keyframe 1 (which does not set it) and uses keyframe 0's easing.
  CHECK(tessera::evaluate_keyframes(k, 1.5).opacity == doctest::Approx(tessera::ease(Easing::ease_out(), 0.5)));
  CHECK(tessera::evaluate_keyframes(k, 1.5).y == 0);
  CHECK(tessera::evaluate_keyframes(k, 1.5).scale == 1);
  k[0].easing = Easing::linear();
  CHECK(tessera::evaluate_keyframes(k, 0.75).x == doctest::Approx(-75));
  k[0].easing = Easing::ease_in_out();
  CHECK(tessera::evaluate_keyframes(k, 1.0).x == doctest::Approx(-50));
  k[0].easing = Easing::ease_in();
  CHECK(tessera::evaluate_keyframes(k, 1.0).x < -50);
}

// ---- drawing ------------------------------------------------------------------------------------

TEST_CASE("a graphic is scaled uniformly into its region, centred, and clipped to it") {
  const auto r = parse(R"({"width":100,"height":50,"elements":[
    {"type":"rect","x":0,"y":0,"width":100,"height":50,"fill":"#ff0000"},
    {"type":"rect","x":-50,"y":20,"width":300,"height":10,"fill":"#00ff00"}]})");
  REQUIRE(r.ok);
  Surface s(300, 300);
  tessera::draw_graphic(s, r.graphic, {50, 50, 200, 200}, 0, {});
  CHECK(s.pixel(50, 100)[0] == 255);  // canvas 200×100 at (50, 100)
  CHECK(s.pixel(249, 199)[0] == 255);
  CHECK(s.pixel(150, 99)[3] == 0);
  CHECK(s.pixel(150, 200)[3] == 0);
  CHECK(s.pixel(50, 145)[1] == 255);   // the green bar runs to the region's edges, no further
  CHECK(s.pixel(249, 145)[1] == 255);
  CHECK(s.pixel(49, 145)[3] == 0);
  CHECK(s.pixel(250, 145)[3] == 0);
  CHECK(painted_area(s) == doctest::Approx(200 * 100));
}

TEST_CASE("keyframes move, scale about the anchor and fade elements") {
  const auto r = parse(R"({"width":100,"height":100,"elements":[
    {"type":"rect","x":40,"y":40,"width":20,"height":20,"fill":"#ffffff","anchor":{"x":0,"y":0},
     "keyframes":[{"at":0,"x":-40,"scale":0.5,"opacity":0},{"at":1,"x":0,"scale":1,"opacity":1}]}]})");
  REQUIRE(r.ok);
  Surface end(100, 100), mid(100, 100), start(100, 100);
  tessera::draw_graphic(end, r.graphic, {0, 0, 100, 100}, 5, {});
  tessera::draw_graphic(mid, r.graphic, {0, 0, 100, 100}, 0.5, {});
  tessera::draw_graphic(start, r.graphic, {0, 0, 100, 100}, 0, {});
  CHECK(painted_area(end) == doctest::Approx(400));
  CHECK(end.pixel(40, 40)[3] == 255);
  CHECK(painted_area(start) == 0);
  // Halfway: offset −20, scale 0.75 about the top-left corner → (20, 40) to (35, 55), half opacity.
  CHECK(mid.pixel(20, 40)[3] == 128);
  CHECK(mid.pixel(34, 54)[3] == 128);
  CHECK(mid.pixel(19, 40)[3] == 0);
  CHECK(mid.pixel(35, 40)[3] == 0);
  tessera::GraphicContext faded;
  faded.opacity = 0.2;
  Surface f(100, 100);
  tessera::draw_graphic(f, r.graphic, {0, 0, 100, 100}, 5, faded);
  CHECK(f.pixel(45, 45)[3] == 51);
}

TEST_CASE("image elements fit inside (contain) or fill and crop (cover) their box") {
  const auto r = parse(R"({"width":100,"height":100,"elements":[
    {"type":"image","asset":"img","x":0,"y":0,"width":100,"height":50,"fit":"contain"},
    {"type":"image","asset":"img","x":0,"y":50,"width":100,"height":50,"fit":"cover"},
    {"type":"image","asset":"absent","x":0,"y":0,"width":100,"height":100}]})");
  REQUIRE(r.ok);
  Surface img(10, 10);
  img.clear({0, 0, 255, 255});
  tessera::GraphicContext ctx;
  ctx.images["img"] = &img;
  Surface s(100, 100);
  tessera::draw_graphic(s, r.graphic, {0, 0, 100, 100}, 0, ctx);
  CHECK(s.pixel(24, 10)[3] == 0);     // contain: a 50×50 square centred in 100×50
  CHECK(s.pixel(25, 10)[3] == 255);
  CHECK(s.pixel(74, 49)[3] == 255);
  CHECK(s.pixel(75, 10)[3] == 0);
  CHECK(s.pixel(0, 50)[3] == 255);    // cover: the whole 100×50 box, cropped
  CHECK(s.pixel(99, 99)[3] == 255);
  CHECK(painted_area(s) == doctest::Approx(2500 + 5000));
}

TEST_CASE("text elements lay out in design units and scale with the region") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  const auto r = parse(R"({"width":200,"height":100,"elements":[
    {"type":"text","x":10,"y":10,"width":180,"text":"Hello, {viewerName} and everyone else here","font":"ui","size":20,
     "maxLines":2,"fill":"#000000"}]})");
  REQUIRE(r.ok);
  tessera::GraphicContext ctx;
  ctx.fonts["ui"] = font.get();
  ctx.variables["viewerName"] = "Siân";
  Surface small(200, 100), large(400, 200);
  tessera::draw_graphic(small, r.graphic, {0, 0, 200, 100}, 0, ctx);
  tessera::draw_graphic(large, r.graphic, {0, 0, 400, 200}, 0, ctx);
  auto ink_rows = [](const Surface& s) {
    int lo = s.height(), hi = -1;
    for (int y = 0; y < s.height(); ++y)
      for (int x = 0; x < s.width(); ++x)
        if (s.pixel(x, y)[3] > 100) { lo = std::min(lo, y); hi = std::max(hi, y); }
    return std::make_pair(lo, hi);
  };
  const auto [s_lo, s_hi] = ink_rows(small);
  const auto [l_lo, l_hi] = ink_rows(large);
  CHECK(s_hi > s_lo + 20);  // two lines
  CHECK(std::abs(l_lo - 2 * s_lo) <= 2);
  CHECK(std::abs(l_hi - 2 * s_hi) <= 3);
  // Without its font the element is skipped rather than failing the frame.
  Surface none(200, 100);
  tessera::draw_graphic(none, r.graphic, {0, 0, 200, 100}, 0, {});
  CHECK(painted_area(none) == 0);
}

TEST_CASE("the graphics reference frame has its pinned SHA-256") {
  auto font = tessera::testing::load_test_font();
  REQUIRE(font);
  const std::string hash = tessera::graphics_reference_sha256(*font);
  // Pinned in src/engine/golden.json; the wasm tiers are checked against it in Node and browsers.
  CHECK(hash == tessera::testing::golden_sha256("graphicsReference"));
  // The same call twice gives the same bytes.
  CHECK(hash == tessera::graphics_reference_sha256(*font));
}

TEST_CASE("hostile path data and graphics neither crash nor escape their region") {
  // A small deterministic generator of path-like garbage.
  uint32_t seed = 12345;
  auto next = [&seed]() { return seed = seed * 1664525u + 1013904223u; };
  const char commands[] = "MLHVCSQTZmlhvcsqtz";
  const char* numbers[] = {"0", "-5", "12.5", ".5", "-.25", "1e1", "3E-1", "1.5.5", "99999", "-99999", "7", "20", "-3-4"};
  const char garbage[] = "Aa#e+,";
  Surface s(64, 64);
  int drawn = 0;
  for (int round = 0; round < 400; ++round) {
    std::string d = "M 1 1";
    const int length = static_cast<int>(next() % 60);
    for (int i = 0; i < length; ++i) {
      const uint32_t pick = next() % 100;
      if (pick < 30) d += std::string(" ") + commands[next() % (sizeof commands - 1)];
      else if (pick < 98) d += std::string(" ") + numbers[next() % (sizeof numbers / sizeof numbers[0])];
      else d.push_back(garbage[next() % (sizeof garbage - 1)]);
    }
    const std::string doc = R"({"width":10,"height":10,"elements":[{"type":"path","fill":"#ffffff80","stroke":"#ff0000","strokeWidth":)" +
                            std::to_string(1 + next() % 5) + R"(,"fillRule":"evenodd","d":)" + ordered_json(d).dump() + "}]}";
    const auto r = parse(doc);
    if (!r.ok) continue;
    ++drawn;
    s.clear({0, 0, 0, 0});
    tessera::draw_graphic(s, r.graphic, {16, 16, 32, 32}, 0, {});
    int outside = 0;
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 64; ++x)
        if ((x < 16 || x >= 48 || y < 16 || y >= 48) && s.pixel(x, y)[3]) ++outside;
    REQUIRE(outside == 0);
  }
  CHECK(drawn > 20);  // the generator reaches the rasterizer, not only the parser's errors
  // Extreme but valid numbers: far-off geometry, tiny canvases, huge scales.
  const auto extreme = parse(R"({"width":1,"height":1,"elements":[
    {"type":"path","d":"M-100000 -100000 L100000 99999.99 L-99999 100000 Z","fill":"#ffffff","stroke":"#ffffff","strokeWidth":1000},
    {"type":"rect","x":-100000,"y":-100000,"width":100000,"height":100000,"radius":100000,"fill":"#ffffff",
     "keyframes":[{"at":0,"scale":100,"x":100000}]},
    {"type":"text","x":0,"y":0,"width":100000,"text":"big","font":"f","size":10000}]})");
  REQUIRE(extreme.ok);
  auto font = tessera::testing::load_test_font();
  tessera::GraphicContext ctx;
  ctx.fonts["f"] = font.get();
  tessera::draw_graphic(s, extreme.graphic, {0, 0, 64, 64}, 0, ctx);
  tessera::draw_graphic(s, extreme.graphic, {-1000000, -1000000, 2000000, 2000000}, 0, ctx);
  // Not JSON objects where objects are expected.
  for (const char* bad : {"null", "1", "\"x\"", R"({"width":10,"height":10,"elements":[1,null,[],{"type":7}]})",
                          R"({"width":10,"height":10,"elements":[{"type":"text","x":0,"y":0,"width":1,"text":5,"font":[],"size":"1"}]})",
                          R"({"width":10,"height":10,"elements":[{"type":"rect","x":0,"y":0,"width":1,"height":1,"fill":"#000000","anchor":5,"keyframes":[5,{"at":"x"}]}]})"}) {
    CHECK_FALSE(tessera::parse_graphic(json(bad), "").ok);
  }
}
