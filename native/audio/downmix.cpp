// Mono / stereo / 5.1 to stereo; coefficients and their rationale in downmix.h.
#include "audio/downmix.h"

namespace tessera::audio {

bool downmix_to_stereo(const float* in, int channels, size_t frames, float* out,
                       Downmix51 mode) {
  switch (channels) {
    case 1:
      for (size_t i = 0; i < frames; ++i) {
        const float v = kMinus3dB * in[i];
        out[2 * i] = v;
        out[2 * i + 1] = v;
      }
      return true;
    case 2:
      for (size_t i = 0; i < 2 * frames; ++i) out[i] = in[i];
      return true;
    case 6:
      for (size_t i = 0; i < frames; ++i)
        downmix_51_frame(in + 6 * i, out[2 * i], out[2 * i + 1], mode);
      return true;
    default:
      return false;
  }
}

}  // namespace tessera::audio
