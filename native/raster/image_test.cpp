#include <doctest.h>

#include <string>
#include <vector>

#include "raster/image.h"
#include "raster/png.h"
#include "raster/sha256.h"

using tessera::RectD;
using tessera::Surface;

namespace {
// A 16×8 baseline JPEG of the solid colour #c03020, written by ffmpeg (yuvj444p, bitexact).
const uint8_t kTinyJpeg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x08, 0x04, 0x04, 0x04, 0x04, 0x04, 0x05,
    0x05, 0x05, 0x05, 0x05, 0x05, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06,
    0x06, 0x06, 0x07, 0x07, 0x07, 0x08, 0x08, 0x08, 0x07, 0x07, 0x07, 0x06, 0x06, 0x07, 0x07, 0x08,
    0x08, 0x08, 0x08, 0x09, 0x09, 0x09, 0x08, 0x08, 0x08, 0x08, 0x09, 0x09, 0x0a, 0x0a, 0x0a, 0x0c,
    0x0c, 0x0b, 0x0b, 0x0e, 0x0e, 0x0e, 0x11, 0x11, 0x14, 0xff, 0xc4, 0x00, 0x4d, 0x00, 0x01, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06,
    0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x06, 0x07, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x08, 0x00,
    0x10, 0x03, 0x01, 0x12, 0x00, 0x02, 0x12, 0x00, 0x03, 0x12, 0x00, 0xff, 0xda, 0x00, 0x0c, 0x03,
    0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0x99, 0x13, 0xe3, 0x49, 0x00, 0x01, 0xff,
    0xd9
};

Surface pattern(int w, int h, bool translucent) {
  Surface s(w, h);
  uint8_t* p = s.data();
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x, p += 4) {
      const uint32_t a = translucent && (x + y) % 3 == 0 ? 128 : 255;
      p[0] = static_cast<uint8_t>(tessera::div255(static_cast<uint32_t>(x * 40 + 10) * a));
      p[1] = static_cast<uint8_t>(tessera::div255(static_cast<uint32_t>(y * 50 + 5) * a));
      p[2] = static_cast<uint8_t>(tessera::div255(200u * a));
      p[3] = static_cast<uint8_t>(a);
    }
  return s;
}

bool same_bytes(const Surface& a, const Surface& b) {
  return a.width() == b.width() && a.height() == b.height() &&
         std::equal(a.data(), a.data() + a.byte_size(), b.data());
}

std::string decode_error(std::vector<uint8_t> bytes) {
  Surface out;
  std::string error;
  CHECK_FALSE(tessera::decode_image(bytes.data(), bytes.size(), &out, &error));
  return error;
}

// The same PNG claiming other dimensions in its IHDR chunk (stb_image does not check CRCs).
std::vector<uint8_t> with_png_size(std::vector<uint8_t> png, uint32_t w, uint32_t h) {
  const uint8_t size[8] = {static_cast<uint8_t>(w >> 24), static_cast<uint8_t>(w >> 16), static_cast<uint8_t>(w >> 8),
                           static_cast<uint8_t>(w),       static_cast<uint8_t>(h >> 24), static_cast<uint8_t>(h >> 16),
                           static_cast<uint8_t>(h >> 8),  static_cast<uint8_t>(h)};
  if (png.size() > 24) std::copy(size, size + 8, png.begin() + 16);
  return png;
}
}  // namespace

TEST_CASE("a PNG written by the engine decodes to the same premultiplied pixels") {
  const Surface original = pattern(6, 4, false);
  const std::vector<uint8_t> png = tessera::encode_png(original);
  Surface decoded;
  std::string error;
  REQUIRE(tessera::decode_image(png.data(), png.size(), &decoded, &error));
  CHECK(same_bytes(decoded, original));
}

TEST_CASE("translucent PNG pixels come back premultiplied, within one step of rounding") {
  const Surface original = pattern(5, 3, true);
  const std::vector<uint8_t> png = tessera::encode_png(original);
  Surface decoded;
  std::string error;
  REQUIRE(tessera::decode_image(png.data(), png.size(), &decoded, &error));
  REQUIRE(decoded.width() == 5);
  for (size_t i = 0; i < original.byte_size(); ++i) {
    CHECK(std::abs(int{decoded.data()[i]} - int{original.data()[i]}) <= 1);
    if (i % 4 == 3) CHECK(decoded.data()[i] == original.data()[i]);
  }
}

TEST_CASE("a JPEG decodes, opaque, to its colour") {
  Surface decoded;
  std::string error;
  REQUIRE(tessera::decode_image(kTinyJpeg, sizeof kTinyJpeg, &decoded, &error));
  CHECK(decoded.width() == 16);
  CHECK(decoded.height() == 8);
  const uint8_t* p = decoded.pixel(7, 3);
  CHECK(std::abs(p[0] - 0xc0) <= 3);
  CHECK(std::abs(p[1] - 0x30) <= 3);
  CHECK(std::abs(p[2] - 0x20) <= 3);
  CHECK(p[3] == 255);
}

TEST_CASE("invalid, damaged and oversized images are refused with a clear message") {
  CHECK(decode_error({}) == "image: empty file");
  CHECK(decode_error({'G', 'I', 'F', '8', '9', 'a', 0, 0}).find("not a PNG or JPEG") != std::string::npos);
  std::vector<uint8_t> png = tessera::encode_png(pattern(6, 4, false));
  std::vector<uint8_t> truncated(png.begin(), png.begin() + 40);
  CHECK(decode_error(truncated).find("image: cannot decode") == 0);
  CHECK(decode_error(with_png_size(png, 9000, 10)) == "image: 9000x10 is larger than 8192x8192");
  CHECK(decode_error(with_png_size(png, 5000, 5000)) == "image: 5000x5000 needs more than 64 MiB decoded");
  std::vector<uint8_t> corrupt_jpeg(kTinyJpeg, kTinyJpeg + 60);
  CHECK(decode_error(corrupt_jpeg).find("image: ") == 0);
  // A failed decode leaves the destination untouched.
  Surface kept(2, 2);
  kept.clear({1, 2, 3, 255});
  std::string error;
  CHECK_FALSE(tessera::decode_image(truncated.data(), truncated.size(), &kept, &error));
  CHECK(kept.width() == 2);
  CHECK(kept.pixel(1, 1)[2] == 3);
}

TEST_CASE("bilinear drawing at 1:1 on whole pixels copies every pixel unchanged") {
  const Surface image = pattern(7, 5, true);
  Surface out(20, 20);
  tessera::draw_image(out, image, RectD{3, 4, 7, 5}, RectD{0, 0, 20, 20}, 255);
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 7; ++x)
      for (int c = 0; c < 4; ++c) CHECK(out.pixel(x + 3, y + 4)[c] == image.pixel(x, y)[c]);
  CHECK(out.pixel(2, 4)[3] == 0);
  CHECK(out.pixel(10, 4)[3] == 0);
  CHECK(out.pixel(3, 9)[3] == 0);
}

TEST_CASE("bilinear upscaling interpolates between pixels and clamps at the edges") {
  Surface image(2, 1);
  uint8_t* p = image.data();
  p[0] = p[1] = p[2] = 0, p[3] = 255;
  p[4] = p[5] = p[6] = 200, p[7] = 255;
  Surface out(8, 1);
  tessera::draw_image(out, image, RectD{0, 0, 8, 1}, RectD{0, 0, 8, 1}, 255);
  // Centres of 4-pixel-wide texels are at 2 and 6: outside them the edge pixel repeats.
  CHECK(out.pixel(0, 0)[0] == 0);
  CHECK(out.pixel(1, 0)[0] == 0);
  CHECK(out.pixel(6, 0)[0] == 200);
  CHECK(out.pixel(7, 0)[0] == 200);
  for (int x = 2; x < 6; ++x) CHECK(out.pixel(x, 0)[0] > out.pixel(x - 1, 0)[0]);
  CHECK(out.pixel(4, 0)[0] == 125);  // centre 4.5 maps to texel 0.625: 200 × 160/256
}

TEST_CASE("fractional image edges get exact area coverage, and opacity scales it") {
  Surface image(1, 1);
  image.clear({255, 255, 255, 255});
  Surface out(4, 1);
  tessera::draw_image(out, image, RectD{0.5, 0, 2, 1}, RectD{0, 0, 4, 1}, 255);
  CHECK(out.pixel(0, 0)[3] == 128);
  CHECK(out.pixel(1, 0)[3] == 255);
  CHECK(out.pixel(2, 0)[3] == 128);
  CHECK(out.pixel(3, 0)[3] == 0);
  Surface faded(1, 1);
  tessera::draw_image(faded, image, RectD{0, 0, 1, 1}, RectD{0, 0, 1, 1}, 51);
  CHECK(faded.pixel(0, 0)[3] == 51);
  CHECK(faded.pixel(0, 0)[0] == 51);  // premultiplied
}

TEST_CASE("the clip rectangle limits drawing") {
  Surface image(4, 4);
  image.clear({255, 0, 0, 255});
  Surface out(4, 4);
  tessera::draw_image(out, image, RectD{0, 0, 4, 4}, RectD{1, 1, 2, 2}, 255);
  CHECK(out.pixel(0, 0)[3] == 0);
  CHECK(out.pixel(1, 1)[3] == 255);
  CHECK(out.pixel(2, 2)[3] == 255);
  CHECK(out.pixel(3, 3)[3] == 0);
}

TEST_CASE("SHA-256 matches the FIPS 180-4 examples") {
  const std::string abc = "abc";
  CHECK(tessera::sha256_hex(reinterpret_cast<const uint8_t*>(abc.data()), abc.size()) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(tessera::sha256_hex(nullptr, 0) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  CHECK(tessera::sha256_hex(reinterpret_cast<const uint8_t*>(two_blocks.data()), two_blocks.size()) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const std::string million(1000000, 'a');
  CHECK(tessera::sha256_hex(reinterpret_cast<const uint8_t*>(million.data()), million.size()) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
