// UTF-8 for text the engine reads and writes. Decoding: Invalid sequences become U+FFFD, one per bad byte,
// as the WHATWG decoder does, so untrusted text can never make the decoder read past the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera {

std::vector<char32_t> decode_utf8(std::string_view text);

// Appends one code point (≤ 0x10FFFF; callers replace anything else first) as UTF-8.
void append_utf8(std::string& out, char32_t cp);

}  // namespace tessera
