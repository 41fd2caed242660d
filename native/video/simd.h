// Vector types for the pixel loops (YUV conversion, scaling, blending), written once with GCC/Clang
// vector extensions: they compile to wasm simd128 under -msimd128, to SSE2 on x86-64 and to NEON
// on ARM. Builds without any of those (the MVP wasm tier) use each loop's scalar twin instead;
// tests prove the two produce the same bytes. Integer lanes only: no floats, no relaxed SIMD.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(TESSERA_FORCE_SCALAR)  // for checking the scalar twins natively
#define TESSERA_PIXEL_VECTORS 0
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define TESSERA_PIXEL_VECTORS 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#if defined(__SSSE3__)
#include <tmmintrin.h>
#endif
#define TESSERA_PIXEL_VECTORS 1
#elif defined(__ARM_NEON)
#if defined(__aarch64__)
#include <arm_neon.h>
#endif
#define TESSERA_PIXEL_VECTORS 1
#else
#define TESSERA_PIXEL_VECTORS 0
#endif

#if TESSERA_PIXEL_VECTORS
namespace tessera::simd {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the pixel loops assume little-endian lanes");

typedef uint8_t u8x8 __attribute__((vector_size(8)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef int16_t i16x8 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));

inline u16x8 splat16(uint16_t x) { return u16x8{x, x, x, x, x, x, x, x}; }
inline i16x8 splat16s(int16_t x) { return i16x8{x, x, x, x, x, x, x, x}; }
inline u32x4 splat32(uint32_t x) { return u32x4{x, x, x, x}; }

inline u8x16 load16(const uint8_t* p) {
  u8x16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store16(uint8_t* p, u8x16 v) { std::memcpy(p, &v, sizeof v); }
inline u16x8 load8_u16(const uint8_t* p) {  // 8 bytes, zero-extended to 16-bit lanes
#if defined(__SSE2__)
  return (u16x8)_mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)), _mm_setzero_si128());
#else
  u8x8 v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, u16x8);
#endif
}
inline u16x8 load_u16(const uint16_t* p) {
  u16x8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Zero-extension of the low or high half to lanes twice as wide. (GCC turns the generic form
// into several shuffles; the SSE2 unpack is one instruction with the same result.)
#if defined(__SSE2__)
inline u16x8 widen_lo(u8x16 v) { return (u16x8)_mm_unpacklo_epi8((__m128i)v, _mm_setzero_si128()); }
inline u16x8 widen_hi(u8x16 v) { return (u16x8)_mm_unpackhi_epi8((__m128i)v, _mm_setzero_si128()); }
#else
inline u16x8 widen_lo(u8x16 v) {
  return __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7), u16x8);
}
inline u16x8 widen_hi(u8x16 v) {
  return __builtin_convertvector(__builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15), u16x8);
}
#endif

// Rounding average of bytes, (a + b + 1) >> 1: equal to (128 * a + 128 * b + 128) >> 8, i.e. a
// two-tap filter of weights 128 and 128.
inline u8x16 average(u8x16 a, u8x16 b) {
#if defined(__wasm_simd128__)
  return (u8x16)wasm_u8x16_avgr((v128_t)a, (v128_t)b);
#elif defined(__SSE2__)
  return (u8x16)_mm_avg_epu8((__m128i)a, (__m128i)b);
#else
  return narrow((widen_lo(a) + widen_lo(b) + splat16(1)) >> 1, (widen_hi(a) + widen_hi(b) + splat16(1)) >> 1);
#endif
}

// The even and the odd 32-bit lanes of two vectors (a's first): 4 RGBA pixels each.
inline void deinterleave_pixels(u8x16 a, u8x16 b, u8x16& even, u8x16& odd) {
#if defined(__SSE2__) && !defined(__wasm_simd128__)
  even = (u8x16)_mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps((__m128i)a), _mm_castsi128_ps((__m128i)b), 0x88));
  odd = (u8x16)_mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps((__m128i)a), _mm_castsi128_ps((__m128i)b), 0xDD));
#else
  even = (u8x16)__builtin_shufflevector((u32x4)a, (u32x4)b, 0, 2, 4, 6);
  odd = (u8x16)__builtin_shufflevector((u32x4)a, (u32x4)b, 1, 3, 5, 7);
#endif
}

// Multiply-and-add of neighbouring 16-bit lane pairs into 32-bit lanes, where the platform has
// it in one instruction (wasm i32x4.dot_i16x8_s, SSE2 pmaddwd): the resampler's horizontal pass.
#if defined(__wasm_simd128__) || defined(__SSE2__)
#define TESSERA_PAIR_DOT 1
typedef int32_t i32x4 __attribute__((vector_size(16)));
// Two neighbouring RGBA pixels (8 bytes at p) as 16-bit lanes [r0, r1, g0, g1, b0, b1, a0, a1].
inline i16x8 load_pixel_pair(const uint8_t* p) {
#if defined(__wasm_simd128__)
  return (i16x8)wasm_i8x16_shuffle(wasm_v128_load64_zero(p), wasm_i64x2_const(0, 0), 0, 16, 4, 16, 1, 16, 5, 16, 2, 16,
                                   6, 16, 3, 16, 7, 16);
#else
  const __m128i x = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)), _mm_setzero_si128());
  return (i16x8)_mm_unpacklo_epi16(x, _mm_srli_si128(x, 8));
#endif
}
// Lane i: a[2i] * b[2i] + a[2i + 1] * b[2i + 1] (signed).
inline i32x4 dot_pairs(i16x8 a, i16x8 b) {
#if defined(__wasm_simd128__)
  return (i32x4)wasm_i32x4_dot_i16x8((v128_t)a, (v128_t)b);
#else
  return (i32x4)_mm_madd_epi16((__m128i)a, (__m128i)b);
#endif
}
// Two vectors of 32-bit values into one of 16-bit values (lo first), saturating.
inline i16x8 narrow32(i32x4 lo, i32x4 hi) {
#if defined(__wasm_simd128__)
  return (i16x8)wasm_i16x8_narrow_i32x4((v128_t)lo, (v128_t)hi);
#else
  return (i16x8)_mm_packs_epi32((__m128i)lo, (__m128i)hi);
#endif
}
#else
#define TESSERA_PAIR_DOT 0
#endif

// Four bytes (one per pixel), each repeated over its pixel's four 16-bit lanes: pixels 0 and 1
// in lo, 2 and 3 in hi. (GCC turns the generic shuffle into byte-by-byte moves.)
inline void spread4(uint32_t four, u16x8& lo, u16x8& hi) {
#if defined(__SSE2__)
  const __m128i x = _mm_unpacklo_epi8(_mm_cvtsi32_si128(static_cast<int>(four)), _mm_setzero_si128());
  const __m128i pairs = _mm_unpacklo_epi16(x, x);
  lo = (u16x8)_mm_unpacklo_epi32(pairs, pairs);
  hi = (u16x8)_mm_unpackhi_epi32(pairs, pairs);
#else
  const u8x16 c = (u8x16)u32x4{four, 0, 0, 0};
  lo = widen_lo(__builtin_shufflevector(c, c, 0, 0, 0, 0, 1, 1, 1, 1, 4, 4, 4, 4, 4, 4, 4, 4));
  hi = widen_lo(__builtin_shufflevector(c, c, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4));
#endif
}

// Two vectors of values 0..255 in 16-bit lanes into one vector of bytes (lo first). The platform
// pack instruction where there is one; every variant gives the same bytes for in-range values.
inline u8x16 narrow(u16x8 lo, u16x8 hi) {
#if defined(__wasm_simd128__)
  return (u8x16)wasm_u8x16_narrow_i16x8((v128_t)lo, (v128_t)hi);
#elif defined(__SSE2__)
  return (u8x16)_mm_packus_epi16((__m128i)lo, (__m128i)hi);
#else
  return __builtin_shufflevector((u8x16)lo, (u8x16)hi, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
#endif
}

// Lane-wise select: mask lanes are all ones (take a) or all zeros (take b).
inline i16x8 select(i16x8 mask, i16x8 a, i16x8 b) { return (a & mask) | (b & ~mask); }
inline i16x8 clamp(i16x8 v, int16_t lo, int16_t hi) {
#if defined(__SSE2__)
  return (i16x8)_mm_min_epi16(_mm_max_epi16((__m128i)v, _mm_set1_epi16(lo)), _mm_set1_epi16(hi));
#else
  const i16x8 vlo = splat16s(lo), vhi = splat16s(hi);
  v = select(v < vlo, vlo, v);
  return select(v > vhi, vhi, v);
#endif
}

// Two vectors of signed 16-bit values into one vector of bytes (lo first), each clamped to
// 0..255: the platform's saturating pack where there is one.
inline u8x16 narrow_clamped(i16x8 lo, i16x8 hi) {
#if defined(__wasm_simd128__) || defined(__SSE2__)
  return narrow((u16x8)lo, (u16x8)hi);  // narrow's pack instruction saturates signed lanes to 0..255
#else
  return narrow((u16x8)clamp(lo, 0, 255), (u16x8)clamp(hi, 0, 255));
#endif
}

// Byte table lookup (a shuffle with run-time lane indices): lane i of the result is
// table[index[i]] for an index below 16, and 0 for the index 0x80. The loops use no other index
// values, on which wasm's swizzle, SSSE3's pshufb and NEON's tbl all agree. Only where the build
// has the instruction (TESSERA_BYTE_SWIZZLE); x86-64 builds without SSSE3 pick it at run time
// (compose/scale.cpp).
#if defined(__wasm_simd128__)
#define TESSERA_BYTE_SWIZZLE 1
inline u8x16 swizzle(u8x16 table, u8x16 index) {
  return (u8x16)wasm_i8x16_swizzle((v128_t)table, (v128_t)index);
}
#elif defined(__SSSE3__)
#define TESSERA_BYTE_SWIZZLE 1
inline u8x16 swizzle(u8x16 table, u8x16 index) { return (u8x16)_mm_shuffle_epi8((__m128i)table, (__m128i)index); }
#elif defined(__ARM_NEON) && defined(__aarch64__)
#define TESSERA_BYTE_SWIZZLE 1
inline u8x16 swizzle(u8x16 table, u8x16 index) { return (u8x16)vqtbl1q_u8((uint8x16_t)table, (uint8x16_t)index); }
#else
#define TESSERA_BYTE_SWIZZLE 0
#endif

// Exact round(x / 255) in 16-bit lanes, for x <= 65152 (so that x + 128 + ((x + 128) >> 8) fits).
inline u16x8 div255(u16x8 x) {
  x += splat16(128);
  return (x + (x >> 8)) >> 8;
}

}  // namespace tessera::simd
#endif
