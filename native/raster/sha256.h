// SHA-256 (FIPS 180-4) of engine output, so determinism checks can compare a frame's bytes
// against a pinned hash inside the engine itself (native and wasm alike).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tessera {

std::array<uint8_t, 32> sha256(const uint8_t* data, size_t size);
// Lower-case hexadecimal digest.
std::string sha256_hex(const uint8_t* data, size_t size);

}  // namespace tessera
