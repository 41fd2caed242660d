#include "text/font.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

#include <stb_truetype.h>

#include "text/utf8.h"

namespace tessera {

namespace {
// What a rasterised glyph depends on: the glyph and the exact bits of its scale and shifts.
struct GlyphKey {
  int glyph;
  uint32_t scale, shift_x, shift_y;
  bool operator==(const GlyphKey& o) const {
    return glyph == o.glyph && scale == o.scale && shift_x == o.shift_x && shift_y == o.shift_y;
  }
};
struct GlyphKeyHash {
  size_t operator()(const GlyphKey& k) const {
    uint64_t h = static_cast<uint32_t>(k.glyph) * 0x9E3779B97F4A7C15ull;
    for (uint32_t v : {k.scale, k.shift_x, k.shift_y}) h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
    return static_cast<size_t>(h ^ (h >> 31));
  }
};
uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}
}  // namespace

struct Font::Impl {
  std::vector<uint8_t> bytes;
  stbtt_fontinfo info{};
  // Glyph masks already rasterised (see cached_glyph).
  std::unordered_map<GlyphKey, GlyphBitmap, GlyphKeyHash> glyphs;
  size_t glyph_bytes = 0;
};

Font::Font() : impl_(std::make_unique<Impl>()) {}
Font::~Font() = default;

namespace {
uint32_t read_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
uint16_t read_u16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

// stb_truetype trusts its input; check the sfnt table directory first so every table it will
// look up lies inside the buffer.
bool table_directory_is_sane(const std::vector<uint8_t>& b, std::string* error) {
  if (b.size() < 12) { *error = "font: file shorter than an sfnt header"; return false; }
  const uint32_t tag = read_u32(b.data());
  if (tag != 0x00010000u && tag != 0x74727565u /*true*/ && tag != 0x4F54544Fu /*OTTO*/) {
    *error = "font: not a TrueType/OpenType font (bad sfnt version)";
    return false;
  }
  const uint16_t tables = read_u16(b.data() + 4);
  if (12u + tables * 16u > b.size()) { *error = "font: table directory runs past the end of the file"; return false; }
  for (uint16_t t = 0; t < tables; ++t) {
    const uint8_t* entry = b.data() + 12 + t * 16;
    const uint64_t offset = read_u32(entry + 8), length = read_u32(entry + 12);
    if (offset + length > b.size()) { *error = "font: a table lies outside the file"; return false; }
  }
  return true;
}
}  // namespace

std::unique_ptr<Font> Font::load(std::vector<uint8_t> bytes, std::string* error) {
  if (bytes.size() > kMaxBytes) { *error = "font: larger than 32 MiB"; return nullptr; }
  if (!table_directory_is_sane(bytes, error)) return nullptr;
  std::unique_ptr<Font> font(new Font());
  font->impl_->bytes = std::move(bytes);
  const unsigned char* data = font->impl_->bytes.data();
  if (!stbtt_InitFont(&font->impl_->info, data, stbtt_GetFontOffsetForIndex(data, 0))) {
    *error = "font: missing required tables (cmap, head, hhea, hmtx, loca/glyf)";
    return nullptr;
  }
  return font;
}

bool Font::has_glyph(char32_t codepoint) const {
  return stbtt_FindGlyphIndex(&impl_->info, static_cast<int>(codepoint)) != 0;
}

float Font::scale_for_em(float em_pixels) const {
  const float scale = stbtt_ScaleForMappingEmToPixels(&impl_->info, em_pixels);
  return std::isfinite(scale) ? scale : 0.0f;  // a font claiming 0 units per em draws nothing
}

float Font::scale_for_pixel_height(float pixel_size) const { return stbtt_ScaleForPixelHeight(&impl_->info, pixel_size); }

int Font::glyph_index(char32_t codepoint) const { return stbtt_FindGlyphIndex(&impl_->info, static_cast<int>(codepoint)); }

float Font::glyph_advance(int glyph, float scale) const {
  int advance = 0, bearing = 0;
  stbtt_GetGlyphHMetrics(&impl_->info, glyph, &advance, &bearing);
  return static_cast<float>(advance) * scale;
}

float Font::kerning(int left_glyph, int right_glyph, float scale) const {
  if (!left_glyph) return 0.0f;  // as measure(): no kerning after a missing glyph
  return static_cast<float>(stbtt_GetGlyphKernAdvance(&impl_->info, left_glyph, right_glyph)) * scale;
}

TextMetrics Font::vertical_metrics(float scale) const {
  int ascent = 0, descent = 0, gap = 0;
  stbtt_GetFontVMetrics(&impl_->info, &ascent, &descent, &gap);
  TextMetrics m;
  m.ascent = static_cast<float>(ascent) * scale;
  m.descent = static_cast<float>(-descent) * scale;
  m.line_gap = static_cast<float>(gap) * scale;
  return m;
}

void Font::rasterize_glyph(int glyph, float scale, float shift_x, float shift_y, GlyphBitmap* out) const {
  out->width = out->height = 0;
  out->coverage.clear();
  if (!(scale > 0.0f) || !(scale < 1.0e4f)) return;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  stbtt_GetGlyphBitmapBoxSubpixel(&impl_->info, glyph, scale, scale, shift_x, shift_y, &x0, &y0, &x1, &y1);
  const int w = x1 - x0, h = y1 - y0;
  if (w <= 0 || h <= 0 || w > kMaxGlyphSide || h > kMaxGlyphSide) return;
  out->x0 = x0;
  out->y0 = y0;
  out->width = w;
  out->height = h;
  out->coverage.assign(static_cast<size_t>(w) * static_cast<size_t>(h), 0);
  stbtt_MakeGlyphBitmapSubpixel(&impl_->info, out->coverage.data(), w, h, w, scale, scale, shift_x, shift_y, glyph);
}

const GlyphBitmap& Font::cached_glyph(int glyph, float scale, float shift_x, float shift_y) const {
  Impl& impl = *impl_;
  const GlyphKey key{glyph, bits_of(scale), bits_of(shift_x), bits_of(shift_y)};
  const auto found = impl.glyphs.find(key);
  if (found != impl.glyphs.end()) return found->second;
  if (impl.glyphs.size() >= kGlyphCacheEntries || impl.glyph_bytes >= kGlyphCacheBytes) {
    impl.glyphs.clear();  // e.g. text moving by sub-pixel steps: every frame's glyphs are new
    impl.glyph_bytes = 0;
  }
  GlyphBitmap& bitmap = impl.glyphs[key];
  rasterize_glyph(glyph, scale, shift_x, shift_y, &bitmap);
  impl.glyph_bytes += bitmap.coverage.size() + sizeof(GlyphBitmap) + sizeof(GlyphKey);
  return bitmap;
}

TextMetrics Font::measure(std::string_view utf8, float pixel_size) const {
  const stbtt_fontinfo& info = impl_->info;
  const float scale = stbtt_ScaleForPixelHeight(&info, pixel_size);
  int ascent = 0, descent = 0, gap = 0;
  stbtt_GetFontVMetrics(&info, &ascent, &descent, &gap);
  TextMetrics m;
  m.ascent = static_cast<float>(ascent) * scale;
  m.descent = static_cast<float>(-descent) * scale;
  m.line_gap = static_cast<float>(gap) * scale;
  const std::vector<char32_t> text = decode_utf8(utf8);
  int previous = 0;
  for (const char32_t cp : text) {
    const int glyph = stbtt_FindGlyphIndex(&info, static_cast<int>(cp));
    if (previous) m.width += static_cast<float>(stbtt_GetGlyphKernAdvance(&info, previous, glyph)) * scale;
    int advance = 0, bearing = 0;
    stbtt_GetGlyphHMetrics(&info, glyph, &advance, &bearing);
    m.width += static_cast<float>(advance) * scale;
    previous = glyph;
  }
  return m;
}

TextMetrics Font::draw(Surface& surface, std::string_view utf8, float pixel_size, float x, float y, TextAlign align,
                       Rgba colour) const {
  const stbtt_fontinfo& info = impl_->info;
  const TextMetrics m = measure(utf8, pixel_size);
  const float scale = stbtt_ScaleForPixelHeight(&info, pixel_size);
  float pen = x;
  if (align == TextAlign::Centre) pen -= m.width * 0.5f;
  if (align == TextAlign::Right) pen -= m.width;
  const float baseline = std::floor(y);
  std::vector<uint8_t> mask;
  int previous = 0;
  for (const char32_t cp : decode_utf8(utf8)) {
    const int glyph = stbtt_FindGlyphIndex(&info, static_cast<int>(cp));
    if (previous) pen += static_cast<float>(stbtt_GetGlyphKernAdvance(&info, previous, glyph)) * scale;
    const float origin = std::floor(pen);
    const float shift_x = pen - origin;  // sub-pixel position, so spacing stays even
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    stbtt_GetGlyphBitmapBoxSubpixel(&info, glyph, scale, scale, shift_x, 0.0f, &x0, &y0, &x1, &y1);
    const int w = x1 - x0, h = y1 - y0;
    if (w > 0 && h > 0) {
      mask.assign(static_cast<size_t>(w) * h, 0);
      stbtt_MakeGlyphBitmapSubpixel(&info, mask.data(), w, h, w, scale, scale, shift_x, 0.0f, glyph);
      surface.blend_mask(static_cast<int>(origin) + x0, static_cast<int>(baseline) + y0, mask.data(), w, h, w, colour);
    }
    int advance = 0, bearing = 0;
    stbtt_GetGlyphHMetrics(&info, glyph, &advance, &bearing);
    pen += static_cast<float>(advance) * scale;
    previous = glyph;
  }
  return m;
}

}  // namespace tessera
