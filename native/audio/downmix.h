// Channel-layout conversion to stereo for the mixer: mono, stereo and 5.1 sources all mix on a
// stereo bus.
//
// 5.1 (interleaved L R C LFE Ls Rs) follows ITU-R BS.775's stereo downmix:
//   L' = L + 0.7071 C + 0.7071 Ls,   R' = R + 0.7071 C + 0.7071 Rs,   LFE dropped.
// The coefficients are NOT normalised by default: a typical 5.1 programme keeps the level the
// viewer expects from the broadcaster's own Lo/Ro downmix, and the rare full-scale peak that
// sums above 0 dBFS is the output limiter's job. Normalisation (dividing by
// 1 + 0.7071 + 0.7071 = 2.4142, -7.66 dB) guarantees no overload but makes 5.1 objects quieter
// than stereo ones, so it is opt-in (Downmix51::Normalised).
//
// Mono goes to both sides at -3 dB (0.7071, the constant-power pan law's centre), not doubled at
// full level: the summed acoustic power matches the mono source.
#pragma once

#include <cstddef>

namespace tessera::audio {

constexpr float kMinus3dB = 0.70710678f;  // 1/sqrt(2)

enum class Downmix51 { Unnormalised, Normalised };

// One 5.1 frame (L R C LFE Ls Rs) to stereo, BS.775 coefficients.
inline void downmix_51_frame(const float* in, float& l, float& r,
                             Downmix51 mode = Downmix51::Unnormalised) {
  // Fixed evaluation order so the result is the same bytes on every build.
  const float c = kMinus3dB * in[2];
  l = (in[0] + c) + kMinus3dB * in[4];
  r = (in[1] + c) + kMinus3dB * in[5];
  if (mode == Downmix51::Normalised) {
    constexpr float kNorm = 0.41421356f;  // 1 / (1 + 2 * 0.7071)
    l *= kNorm;
    r *= kNorm;
  }
}

// Converts `frames` interleaved frames of `channels` (1, 2 or 6) to interleaved stereo.
// Returns false (and writes nothing) for other channel counts.
bool downmix_to_stereo(const float* in, int channels, size_t frames, float* out_stereo,
                       Downmix51 mode = Downmix51::Unnormalised);

}  // namespace tessera::audio
