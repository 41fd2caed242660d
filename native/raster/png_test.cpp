#include <doctest.h>

#include "raster/png.h"

TEST_CASE("encode_png writes a PNG with the surface's dimensions") {
  tessera::Surface s(7, 3);
  s.clear({1, 2, 3, 255});
  const std::vector<uint8_t> png = tessera::encode_png(s);
  REQUIRE(png.size() > 33);
  const uint8_t signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  for (int i = 0; i < 8; ++i) CHECK(png[i] == signature[i]);
  // IHDR width and height, big-endian, at bytes 16..23.
  CHECK(png[19] == 7);
  CHECK(png[23] == 3);
}

TEST_CASE("encode_png of an empty surface is empty") {
  tessera::Surface s;
  CHECK(tessera::encode_png(s).empty());
}
