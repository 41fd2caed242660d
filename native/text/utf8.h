// UTF-8 decoding for text drawn by the engine. Invalid sequences become U+FFFD, one per bad byte,
// as the WHATWG decoder does, so untrusted text can never make the decoder read past the end.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace tessera {

std::vector<char32_t> decode_utf8(std::string_view text);

}  // namespace tessera
