// The one translation unit that instantiates stb_image (Debian's libstb-dev header), restricted
// to PNG and JPEG from memory. STBI_NO_SIMD keeps native and wasm on the same (integer) code
// path, so both decode a JPEG to the same bytes. Size limits are checked by decode_image before
// decoding (stb's own STBI_MAX_DIMENSIONS stays as a backstop for the header pass).
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_STDIO
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_SIMD
// Its failure reason is a thread_local in C++11; the engine's wasm has no threads (and thread-local
// storage would need the atomics feature to link). decode_image runs on one thread at a time.
#define STBI_NO_THREAD_LOCALS
#define STBI_MAX_DIMENSIONS (1 << 16)
#include <stb_image.h>
