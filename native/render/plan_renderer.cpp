#include "render/plan_renderer.h"

#include <algorithm>
#include <cmath>

#include "captions/srt.h"
#include "captions/webvtt.h"
#include "compose/fit.h"
#include "graphics/graphic.h"
#include "logic/js_value.h"
#include "raster/image.h"
#include "text/utf8.h"
#include "timeline/visuals.h"

namespace tessera {

namespace {

RectI region_rect(const Region& r) {
  // Layout regions are in layout pixels; edges are rounded to whole pixels.
  const int x0 = static_cast<int>(std::lround(r.rect.x));
  const int y0 = static_cast<int>(std::lround(r.rect.y));
  const int x1 = static_cast<int>(std::lround(r.rect.x + r.rect.width));
  const int y1 = static_cast<int>(std::lround(r.rect.y + r.rect.height));
  return {x0, y0, x1 - x0, y1 - y0};
}

FitMode fit_mode(const std::string& fit) {
  if (fit == "contain") return FitMode::Contain;
  if (fit == "roi") return FitMode::Roi;
  return FitMode::Cover;
}

// What a placeholder shows: the value as JavaScript's String() would write it (null: nothing).
std::string variable_text(const ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return logic::number_to_string(v.get<double>());
  if (v.is_array()) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + variable_text(v[i]);
    return out;
  }
  return {};
}

void quote(std::string& out, const std::string& s) { out += logic::json_quote(s); }

}  // namespace

bool PlanRenderer::add_font(const std::string& asset, std::vector<uint8_t> bytes, std::string* error) {
  std::unique_ptr<Font> font = Font::load(std::move(bytes), error);
  if (!font) return false;
  fonts_[asset] = std::move(font);
  graphics_.fonts[asset] = fonts_[asset].get();
  return true;
}

bool PlanRenderer::add_image(const std::string& asset, const std::vector<uint8_t>& bytes, std::string* error) {
  Surface decoded;
  if (!decode_image(bytes.data(), bytes.size(), &decoded, error)) return false;
  images_[asset] = std::move(decoded);
  graphics_.images[asset] = &images_[asset];
  return true;
}

namespace {
// CJK Radicals to Yi, Hangul syllables, CJK compatibility ideographs, half- and full-width forms,
// and the supplementary ideograph planes: what DejaVu does not draw.
bool has_cjk(std::string_view text) {
  for (const char32_t c : decode_utf8(text))
    if ((c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF))
      return true;
  return false;
}
}  // namespace

bool PlanRenderer::add_captions(const Asset& asset, const std::vector<uint8_t>& bytes, std::string* error) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!caption_fonts_wanted_.count("cjk") && has_cjk(text)) caption_fonts_wanted_.insert("cjk");
  if (asset.format == "ttml") {
    captions::TtmlDocument doc = captions::parse_ttml_snapshots(text);
    if (!doc.ok) {
      if (error) *error = doc.errors.empty() ? "not TTML snapshots" : doc.errors.front();
      return false;
    }
    auto want = [&](const captions::TtmlSpan& s) {
      if (s.family == captions::TtmlFamily::Serif) caption_fonts_wanted_.insert("serif");
      if (s.family == captions::TtmlFamily::Mono) caption_fonts_wanted_.insert("mono");
    };
    for (const captions::TtmlSnapshot& snapshot : doc.snapshots)
      for (const captions::TtmlRegion& r : snapshot.regions)
        for (const captions::TtmlParagraph& p : r.paragraphs)
          for (const captions::TtmlInline& in : p.inlines) {
            want(in.span);
            for (const captions::TtmlSpan& s : in.base) want(s);
          }
    ttml_[asset.id] = std::move(doc);
    return true;
  }
  captions::ParsedCaptions parsed;
  if (asset.format == "srt") {
    parsed = captions::parse_srt(text);
  } else if (asset.format == "webvtt" || asset.format.empty()) {
    parsed = captions::parse_webvtt(text);
  } else {
    if (error) *error = "captions in format \"" + asset.format + "\" are not parsed by the engine";
    return false;
  }
  if (!parsed.ok) {
    if (error) *error = parsed.errors.empty() ? "not a caption file" : parsed.errors.front().message;
    return false;
  }
  captions_[asset.id] = std::move(parsed);
  return true;
}

const captions::ParsedCaptions* PlanRenderer::captions(const std::string& asset) const {
  const auto it = captions_.find(asset);
  return it == captions_.end() ? nullptr : &it->second;
}

const Font* PlanRenderer::font(const std::string& asset) const {
  auto it = fonts_.find(asset);
  return it == fonts_.end() ? nullptr : it->second.get();
}

uint8_t* PlanRenderer::video_buffer(const std::string& object, size_t bytes) {
  if (bytes == 0 || bytes > kMaxVideoFrameBytes) return nullptr;
  StoredVideo& v = videos_[object];
  v.bytes.resize(bytes);
  v.committed = false;
  return v.bytes.data();
}

bool PlanRenderer::commit_video(const std::string& object, const VideoFrameInfo& info, std::string* error) {
  auto it = videos_.find(object);
  if (it == videos_.end() || it->second.bytes.empty()) {
    *error = "no buffer was asked for object \"" + object + "\"";
    return false;
  }
  StoredVideo& v = it->second;
  if (info.width <= 0 || info.height <= 0 || info.width > 8192 || info.height > 8192) {
    *error = "video frame size out of range";
    return false;
  }
  // Every plane the layout names must lie inside the buffer.
  auto fits = [&](uint32_t offset, uint32_t stride, int row_bytes, int rows) {
    if (stride < static_cast<uint32_t>(row_bytes)) return false;
    const uint64_t end = offset + static_cast<uint64_t>(stride) * static_cast<uint64_t>(rows - 1) + static_cast<uint64_t>(row_bytes);
    return end <= v.bytes.size();
  };
  const int cw = (info.width + 1) / 2, ch = (info.height + 1) / 2;
  const bool ok = info.format == VideoPixelFormat::I420
                      ? fits(info.offset[0], info.stride[0], info.width, info.height) &&
                            fits(info.offset[1], info.stride[1], cw, ch) && fits(info.offset[2], info.stride[2], cw, ch)
                      : fits(info.offset[0], info.stride[0], info.width * 4, info.height);
  if (!ok) {
    *error = "video frame layout does not fit its buffer";
    return false;
  }
  v.info = info;
  v.committed = true;
  if (info.format != VideoPixelFormat::I420) {
    v.rgba.resize(info.width, info.height);
    rgbx_to_rgba(v.bytes.data() + info.offset[0], static_cast<int>(info.stride[0]),
                 info.format == VideoPixelFormat::Bgrx ? RgbxOrder::Bgrx : RgbxOrder::Rgbx, info.width, info.height,
                 v.rgba.data(), info.width * 4);
  }
  return true;
}

std::string PlanRenderer::media_at(const Programme& programme, const PlanState& plan, double t, double lookahead) const {
  std::string out = "{\"time\":" + logic::number_to_string(t);
  const Layout* layout = plan.layout.chosen;
  out += ",\"layout\":{\"width\":" + std::to_string(layout ? layout->width : 0) +
         ",\"height\":" + std::to_string(layout ? layout->height : 0) + "}";
  out += ",\"video\":[";
  bool first = true;
  for (const PlanObject& o : plan.objects) {
    if (o.start > t + lookahead) break;  // sorted by start
    if (o.end <= t || !o.asset || o.asset->type != AssetType::Video) continue;
    const double from = std::max(t, o.start);
    out += first ? "{" : ",{";
    first = false;
    out += "\"object\":";
    quote(out, plan.visits[o.visit].key + "/" + o.placement->id);
    out += ",\"asset\":";
    quote(out, o.asset->id);
    out += ",\"src\":";
    quote(out, o.asset->src);
    out += ",\"mediaTime\":" + logic::number_to_string(o.asset->trim_in + (from - o.start));
    out += ",\"start\":" + logic::number_to_string(o.start);
    out += ",\"end\":" + logic::number_to_string(o.end);
    out += ",\"active\":";
    out += o.start <= t ? "true" : "false";
    out += "}";
  }
  out += "],\"assets\":[";
  // Fonts, images and caption files the plan's objects and graphics use, not yet handed in.
  std::vector<const Asset*> wanted;
  auto want = [&](const Asset* a) {
    if (a && (a->type == AssetType::Font || a->type == AssetType::Image || a->type == AssetType::Captions) &&
        !has_asset(a->id) && std::find(wanted.begin(), wanted.end(), a) == wanted.end())
      wanted.push_back(a);
  };
  for (const PlanObject& o : plan.objects) {
    if (!o.asset) continue;
    want(o.asset);
    if (!o.asset->graphic_model) continue;
    for (const GraphicElement& e : o.asset->graphic_model->elements) {
      if (e.type == GraphicElementType::Image) want(programme.asset(e.asset));
      else if (e.type == GraphicElementType::Text) want(programme.asset(e.font));
    }
  }
  first = true;
  for (const Asset* a : wanted) {
    out += first ? "{" : ",{";
    first = false;
    out += "\"asset\":";
    quote(out, a->id);
    out += ",\"type\":";
    quote(out, asset_type_name(a->type));
    out += ",\"src\":";
    quote(out, a->src);
    if (!a->format.empty()) {
      out += ",\"format\":";
      quote(out, a->format);
    }
    out += "}";
  }
  out += "]}";
  return out;
}

void PlanRenderer::update_variables(const PlanState& plan) {
  graphics_.variables.clear();
  if (!plan.context.is_object()) return;
  for (auto it = plan.context.begin(); it != plan.context.end(); ++it) graphics_.variables[it.key()] = variable_text(it.value());
}

void PlanRenderer::draw_picture(Surface& out, const RgbaView& src, const Region& region, const Asset* asset,
                                double media_time, uint8_t opacity) {
  NormalisedRect roi;
  FitMode mode = fit_mode(region.fit);
  if (mode == FitMode::Roi) {
    if (const auto r = asset ? region_of_interest_at(*asset, media_time) : std::nullopt) roi = {r->x, r->y, r->width, r->height};
    else mode = FitMode::Cover;
  }
  const Fit fit = fit_source(src.width, src.height, region_rect(region), mode, roi);
  if (fit.dest.width <= 0 || fit.dest.height <= 0) return;
  compositor_.draw(out, src, fit.source, fit.dest, opacity);
}

void PlanRenderer::draw_video(Surface& out, const StoredVideo& v, const Region& region, const Asset& asset,
                              double media_time, uint8_t opacity) {
  if (v.info.format != VideoPixelFormat::I420) {
    draw_picture(out, view_of(v.rgba), region, &asset, media_time, opacity);
    return;
  }
  I420View view;
  view.y = v.bytes.data() + v.info.offset[0];
  view.u = v.bytes.data() + v.info.offset[1];
  view.v = v.bytes.data() + v.info.offset[2];
  view.y_stride = static_cast<int>(v.info.stride[0]);
  view.u_stride = static_cast<int>(v.info.stride[1]);
  view.v_stride = static_cast<int>(v.info.stride[2]);
  view.width = v.info.width;
  view.height = v.info.height;
  view.colour = v.info.colour;
  NormalisedRect roi;
  FitMode mode = fit_mode(region.fit);
  if (mode == FitMode::Roi) {
    if (const auto r = region_of_interest_at(asset, media_time)) roi = {r->x, r->y, r->width, r->height};
    else mode = FitMode::Cover;
  }
  const Fit fit = fit_source(view.width, view.height, region_rect(region), mode, roi);
  if (fit.dest.width <= 0 || fit.dest.height <= 0) return;
  compositor_.draw(out, view, fit.source, fit.dest, opacity);
}

RenderReport PlanRenderer::render(const PlanState& plan, double t, Surface& out) {
  RenderReport report;
  const Layout* layout = plan.layout.chosen;
  const int width = layout ? layout->width : 0, height = layout ? layout->height : 0;
  if (out.width() != width || out.height() != height) out.resize(width, height);
  out.clear({0, 0, 0, 255});
  report.width = width;
  report.height = height;
  if (!layout) return report;
  update_variables(plan);
  const Visuals visuals = visuals_at(plan, t);
  for (const VisualItem& item : visuals.items) {
    const PlanObject& o = *item.object;
    const Region* region = o.region;
    if (!region || !o.asset) continue;
    switch (o.asset->type) {
      case AssetType::Video: {
        const std::string id = plan.visits[o.visit].key + "/" + o.placement->id;
        auto it = videos_.find(id);
        if (it == videos_.end() || !it->second.committed) {
          report.missing.push_back(id);
          continue;
        }
        draw_video(out, it->second, *region, *o.asset, item.media_time, item.opacity);
        break;
      }
      case AssetType::Image: {
        auto it = images_.find(o.asset->id);
        if (it == images_.end()) continue;
        draw_picture(out, view_of(it->second), *region, o.asset, item.media_time, item.opacity);
        break;
      }
      case AssetType::Graphic: {
        if (!o.asset->graphic_model) continue;
        graphics_.opacity = item.opacity / 255.0;
        draw_graphic(out, *o.asset->graphic_model, region_rect(*region), item.local_time, graphics_);
        break;
      }
      default: continue;
    }
    ++report.drawn;
  }
  if (visuals.veil && visuals.veil->opacity > 0)
    fill(out, {0, 0, width, height}, {visuals.veil->r, visuals.veil->g, visuals.veil->b, 255}, visuals.veil->opacity);
  // Captions showing: the cues of every captions object on at t whose times contain its media
  // time, laid out together. Each file's regions join one list; a cue in a region is copied with
  // its region's index in that list.
  std::vector<const captions::Cue*> active;
  std::vector<captions::Cue> region_cues;
  std::vector<captions::Region> regions;
  std::vector<std::pair<size_t, size_t>> region_cue_slots;  // (index in active, index in region_cues)
  std::vector<const captions::TtmlSnapshot*> ttml_showing;
  for (const PlanObject& o : plan.objects) {
    if (o.start > t) break;  // sorted by start
    if (o.end <= t || !o.asset || o.asset->type != AssetType::Captions) continue;
    const double media_time = o.asset->trim_in + (t - o.start);
    if (const auto ttml = ttml_.find(o.asset->id); ttml != ttml_.end()) {
      if (const captions::TtmlSnapshot* snapshot = captions::ttml_snapshot_at(ttml->second, media_time)) {
        for (std::string& text : captions::ttml_snapshot_text(*snapshot)) report.captions.push_back(std::move(text));
        ttml_showing.push_back(snapshot);
      }
      continue;
    }
    const captions::ParsedCaptions* parsed = captions(o.asset->id);
    if (!parsed) continue;
    const size_t region_base = regions.size();
    bool regions_added = false;
    for (const captions::Cue& cue : parsed->cues) {
      if (!(cue.start_time <= media_time && media_time < cue.end_time)) continue;
      report.captions.push_back(captions::plain_text(cue.tree));
      if (cue.region < 0) {
        active.push_back(&cue);
        continue;
      }
      if (!regions_added) {
        regions.insert(regions.end(), parsed->regions.begin(), parsed->regions.end());
        regions_added = true;
      }
      region_cue_slots.emplace_back(active.size(), region_cues.size());
      active.push_back(nullptr);
      region_cues.push_back(cue);
      region_cues.back().region = static_cast<int>(region_base) + cue.region;
    }
  }
  if (!active.empty() && !caption_families_.empty() && caption_families_.front().regular) {
    for (const auto& [slot, copy] : region_cue_slots) active[slot] = &region_cues[copy];
    const captions::CaptionLayout placed =
        captions::layout_captions(active, regions, width, height, caption_settings_, caption_families_);
    captions::draw_captions(out, placed, caption_settings_);
  }
  // TTML tracks place their own regions over the whole picture, after any WebVTT showing.
  if (!caption_families_.empty() && caption_families_.front().regular)
    for (const captions::TtmlSnapshot* snapshot : ttml_showing)
      captions::draw_ttml(out, captions::layout_ttml(*snapshot, width, height, caption_settings_, caption_families_),
                          caption_settings_);
  return report;
}

}  // namespace tessera
