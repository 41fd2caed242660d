// The engine's YUV -> RGB against Chromium's own WebCodecs conversion, bit for bit.
// Reference frames come from scripts/yuv-reference.mjs (build/yuv-reference/<case>.bin: decoded
// I420 planes + Chromium's copyTo RGBA); testdata/yuv-reference.json records the SHA-256 of each
// frame's planes and of Chromium's RGBA, so planes alone, regenerated without the browser, are
// still checked: ffmpeg decodes the same planes, e.g.
//   ffmpeg -i fixtures/media/count-a-vp9-opus.webm -frames:v 10 -pix_fmt yuv420p
//     -f rawvideo build/yuv-reference/count-a-vp9-opus.yuv
// Firefox's frames (BGRX, no planes) are recorded as hashes only (firefoxRgbaSha256).
// Without either file the test skips with a message.
#include <doctest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "raster/sha256.h"
#include "video/yuv.h"

namespace {

const std::string kRoot = TESSERA_SOURCE_DIR;

bool read_file(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

uint32_t u32_at(const std::vector<uint8_t>& b, size_t at) {
  return b[at] | (uint32_t{b[at + 1]} << 8) | (uint32_t{b[at + 2]} << 16) | (uint32_t{b[at + 3]} << 24);
}

}  // namespace

TEST_CASE("yuv reference: the engine's RGBA equals Chromium's copyTo(RGBA) on decoded fixture frames") {
  std::vector<uint8_t> json_text;
  REQUIRE(read_file(kRoot + "/native/video/testdata/yuv-reference.json", json_text));
  const nlohmann::json record = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, false);
  REQUIRE(record.is_object());
  int compared_with_browser = 0, compared_with_hash = 0, compared_with_firefox = 0, cases_found = 0;
  for (const nlohmann::json& c : record["cases"]) {
    const std::string name = c["name"].get<std::string>();
    CAPTURE(name);
    const int w = c["width"].get<int>(), h = c["height"].get<int>();
    const int cw = (w + 1) / 2, ch = (h + 1) / 2;
    const size_t plane_bytes = static_cast<size_t>(w) * h + 2 * static_cast<size_t>(cw) * ch;
    const size_t rgba_bytes = static_cast<size_t>(w) * h * 4;
    tessera::YuvColour colour;
    colour.matrix = c["matrix"] == "bt601" ? tessera::YuvMatrix::Bt601 : tessera::YuvMatrix::Bt709;
    colour.range = c["range"] == "full" ? tessera::YuvRange::Full : tessera::YuvRange::Limited;

    // Either the browser's recording (planes + its RGBA), or raw yuv420p planes decoded by other
    // means (ffmpeg's decode is bit-identical to Chromium's), checked against the recorded hashes.
    std::vector<uint8_t> data;
    size_t header = 0, frame_bytes = plane_bytes;
    bool with_rgba = false;
    const std::string stem = c["file"].get<std::string>().substr(0, c["file"].get<std::string>().rfind('.'));
    if (read_file(kRoot + "/build/yuv-reference/" + name + ".bin", data)) {
      REQUIRE(data.size() >= 24);
      REQUIRE(u32_at(data, 0) == 0x56555954u);  // "TYUV"
      REQUIRE(u32_at(data, 4) == 1);
      REQUIRE(static_cast<int>(u32_at(data, 8)) == w);
      REQUIRE(static_cast<int>(u32_at(data, 12)) == h);
      CHECK(data[20] == (colour.matrix == tessera::YuvMatrix::Bt709 ? 1 : 0));
      CHECK(data[21] == (colour.range == tessera::YuvRange::Full ? 1 : 0));
      header = 24;
      frame_bytes = plane_bytes + rgba_bytes;
      with_rgba = true;
      REQUIRE(data.size() == header + u32_at(data, 16) * frame_bytes);
    } else if (!read_file(kRoot + "/build/yuv-reference/" + stem + ".yuv", data)) {
      continue;
    }
    ++cases_found;
    const int frames = static_cast<int>((data.size() - header) / frame_bytes);
    std::vector<uint8_t> ours(rgba_bytes);
    for (int f = 0; f < frames; ++f) {
      CAPTURE(f);
      const uint8_t* planes = data.data() + header + f * frame_bytes;
      tessera::I420View frame;
      frame.y = planes;
      frame.u = planes + static_cast<size_t>(w) * h;
      frame.v = frame.u + static_cast<size_t>(cw) * ch;
      frame.y_stride = w;
      frame.u_stride = frame.v_stride = cw;
      frame.width = w;
      frame.height = h;
      frame.colour = colour;
      tessera::i420_to_rgba(frame, ours.data(), w * 4);
      if (with_rgba) {
        const uint8_t* chromium = planes + plane_bytes;
        size_t differing = 0, first = rgba_bytes;
        for (size_t i = 0; i < rgba_bytes; ++i) {
          if (ours[i] != chromium[i] && differing++ == 0) first = i;
        }
        CAPTURE(first);
        CHECK(differing == 0);
        ++compared_with_browser;
      }
      if (f < static_cast<int>(c["frames"].size())) {
        const nlohmann::json& expected = c["frames"][f];
        const std::string planes_sha = tessera::sha256_hex(planes, plane_bytes);
        CHECK(planes_sha == expected["planesSha256"].get<std::string>());
        CHECK(tessera::sha256_hex(ours.data(), rgba_bytes) == expected["rgbaSha256"].get<std::string>());
        compared_with_hash += !with_rgba;
        if (expected.contains("firefoxRgbaSha256")) {
          // Firefox ignores the decoder's colorSpace and converts every stream as BT.709 limited
          // range; its BGRX, swizzled, is then exactly the engine's BT.709 conversion.
          frame.colour = {tessera::YuvMatrix::Bt709, tessera::YuvRange::Limited};
          tessera::i420_to_rgba(frame, ours.data(), w * 4);
          CHECK(tessera::sha256_hex(ours.data(), rgba_bytes) == expected["firefoxRgbaSha256"].get<std::string>());
          ++compared_with_firefox;
        }
      }
    }
  }
  if (cases_found == 0) {
    MESSAGE("skipped: no build/yuv-reference/*.bin or *.yuv (run `node scripts/yuv-reference.mjs`)");
  } else {
    MESSAGE(compared_with_browser << " frames compared byte for byte with Chromium's RGBA, " << compared_with_hash
                                  << " (raw planes) with its recorded hashes, " << compared_with_firefox
                                  << " with Firefox's recorded BGRX hashes, in " << cases_found << " cases");
  }
}
