// Renders a resolved plan at a moment into the engine's frame: the timeline says what is on
// screen (timeline/visuals.h); video frames the host decoded, images and fonts it handed in, and
// graphic assets are drawn into their layout regions by the compositor. The host asks
// media_at() which video frames a moment needs, hands each in, then calls render().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "captions/cue.h"
#include "captions/render.h"
#include "captions/ttml.h"
#include "compose/compose.h"
#include "graphics/draw.h"
#include "narrative/plan.h"
#include "raster/surface.h"
#include "text/font.h"

namespace tessera {

// How a decoded video frame's bytes are laid out (what the browser's VideoFrame gave).
enum class VideoPixelFormat : uint8_t { I420, Rgbx, Bgrx };

struct VideoFrameInfo {
  VideoPixelFormat format = VideoPixelFormat::I420;
  int width = 0, height = 0;
  // I420: three planes at these offsets/strides in the buffer; RGBX/BGRX: plane 0 only.
  uint32_t offset[3] = {0, 0, 0};
  uint32_t stride[3] = {0, 0, 0};
  YuvColour colour;
  double media_time = 0;  // seconds: the frame's timestamp in its media
};

struct RenderReport {
  int width = 0, height = 0;
  int drawn = 0;                     // objects drawn
  std::vector<std::string> missing;  // video objects with no frame handed in (drawn as nothing)
  // The text of the caption cues showing, one entry per cue in cue order, tags removed and
  // character references decoded: what a screen reader or braille display is given.
  std::vector<std::string> captions;
};

class PlanRenderer {
 public:
  static constexpr size_t kMaxVideoFrameBytes = 64u << 20;

  // Fonts and images by asset id (bytes from the host; untrusted).
  bool add_font(const std::string& asset, std::vector<uint8_t> bytes, std::string* error);
  bool add_image(const std::string& asset, const std::vector<uint8_t>& bytes, std::string* error);
  // A captions asset's file (WebVTT or SRT, by the asset's format; for "ttml", the snapshot JSON the
  // host made from the TTML with imsc: src/captions/snapshot.ts); refused only when the file is
  // refused as a whole (no WebVTT signature, too large). Problems inside it are kept in its errors.
  bool add_captions(const Asset& asset, const std::vector<uint8_t>& bytes, std::string* error);
  const captions::ParsedCaptions* captions(const std::string& asset) const;
  // The engine fonts the caption files handed in need beyond sans: "cjk" for text in a script the
  // caption families lack (Han, kana, Hangul), "serif" and "mono" for TTML that asks for them.
  // Engine::media_at lists those the host has not given.
  const std::set<std::string>& caption_fonts_wanted() const { return caption_fonts_wanted_; }
  const Font* font(const std::string& asset) const;
  bool has_asset(const std::string& asset) const {
    return fonts_.count(asset) || images_.count(asset) || captions_.count(asset) || ttml_.count(asset);
  }

  // A buffer of `bytes` for the next frame of a plan object (its id as in the plan), or nullptr
  // when too large. Fill it, then commit_video().
  uint8_t* video_buffer(const std::string& object, size_t bytes);
  bool commit_video(const std::string& object, const VideoFrameInfo& info, std::string* error);
  void forget_video(const std::string& object) { videos_.erase(object); }
  void forget_all_video() { videos_.clear(); }

  // JSON: {"time", "layout":{"width","height"}, "video":[{"object","asset","src","mediaTime","start","end"}],
  // "assets":[{"asset","type","src"}]} — video objects active at t or starting before t + lookahead
  // (so the host can decode ahead of a join), and the fonts, images and caption files the plan
  // uses that have not been handed in yet.
  std::string media_at(const Programme& programme, const PlanState& plan, double t, double lookahead) const;

  // The viewer's caption settings, and the caption font families they choose from (index =
  // CaptionSettings::font_family; the fonts must outlive the renderer's use of them).
  void set_caption_settings(const captions::CaptionSettings& settings) { caption_settings_ = settings; }
  void set_caption_fonts(std::vector<captions::FontSet> families) { caption_families_ = std::move(families); }

  // Draws the plan at time t into `out` (resized to the layout): its pictures, then the captions
  // showing (every captions object's active cues laid out together, as the WebVTT rules lay out
  // all showing tracks, over any dip to colour).
  RenderReport render(const PlanState& plan, double t, Surface& out);

 private:
  struct StoredVideo {
    std::vector<uint8_t> bytes;
    VideoFrameInfo info;
    bool committed = false;
    Surface rgba;  // RGBX/BGRX frames, converted once
  };
  void draw_video(Surface& out, const StoredVideo& v, const Region& region, const Asset& asset, double media_time,
                  uint8_t opacity);
  void draw_picture(Surface& out, const RgbaView& src, const Region& region, const Asset* asset, double media_time,
                    uint8_t opacity);
  void update_variables(const PlanState& plan);

  std::map<std::string, std::unique_ptr<Font>> fonts_;
  std::map<std::string, Surface> images_;
  std::map<std::string, captions::ParsedCaptions> captions_;
  std::map<std::string, captions::TtmlDocument> ttml_;
  std::set<std::string> caption_fonts_wanted_;
  captions::CaptionSettings caption_settings_;
  std::vector<captions::FontSet> caption_families_;
  std::map<std::string, StoredVideo> videos_;
  GraphicContext graphics_;
  Compositor compositor_;
};

}  // namespace tessera
