// Streaming sample-rate converter for audio objects whose media is not at the mix rate
// (44.1 kHz music, 22.05/16 kHz speech, 96 kHz masters) — the mixer itself only takes PCM at
// its output rate.
//
// Polyphase windowed sinc for the exact rational ratio: the rates are reduced by their gcd to
// out/in = L/M (44100 -> 48000 is 160/147) and a table of L phases x K taps is computed once,
// so every output sample is one K-tap dot product with no trigonometry. The prototype low-pass
// is a Kaiser-windowed sinc designed against the lower of the two Nyquist frequencies:
// passband flat (ripple < 0.001 dB) to 0.9 x Nyquist, stopband >= 100 dB (design target) from
// Nyquist on — the same filter rejects images when upsampling and aliases when downsampling.
//
// Timing: the kernel is centred on each output instant, so output frame n is the signal at
// input time n * in_rate / out_rate exactly (zero phase delay): a sample at time t comes out at
// time t. The cost of that is look-ahead: output n can only be produced once the input reaches
// about latency_input_frames() frames past its instant. Input before the first pushed frame is
// taken as silence; flush() appends silence so the tail comes out (ceil(in_frames * L / M)
// output frames in all).
//
// Determinism: each output sample depends only on the input samples and the fixed table, and is
// summed in a fixed order, so any chunking of push() and pull() gives the same bytes. With equal
// rates the converter is an exact copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera::audio {

class Resampler {
 public:
  // Rates in Hz (> 0); channels >= 1, interleaved. Ratios whose reduced numerator L exceeds
  // kMaxPhases are not supported: ok() is false and the converter produces nothing.
  Resampler(int in_rate, int out_rate, int channels);

  static constexpr int kMaxPhases = 4096;

  bool ok() const { return ok_; }
  bool identity() const { return identity_; }
  int in_rate() const { return in_rate_; }
  int out_rate() const { return out_rate_; }
  int channels() const { return channels_; }
  int up() const { return up_; }      // L: out_rate / gcd
  int down() const { return down_; }  // M: in_rate / gcd
  int taps() const { return taps_; }  // K: taps per phase (0 for identity)

  // Input frames of look-ahead needed beyond an output instant before it can be produced (the
  // kernel's half-length). Not a delay: the output is time-aligned with the input.
  int latency_input_frames() const { return half_; }

  // Appends interleaved input. Ignored after flush() (until reset()).
  void push(const float* interleaved, size_t frames);
  // Marks the end of the input so the last output frames can be produced.
  void flush();
  // Output frames that pull() can deliver now.
  size_t available() const;
  // Writes up to max_frames interleaved output frames; returns how many.
  size_t pull(float* out_interleaved, size_t max_frames);
  // Back to the freshly constructed state (same rates and table).
  void reset();

  int64_t input_frames() const { return in_count_; }
  int64_t output_frames() const { return out_pos_; }
  // Total output frames the input pushed so far maps to: ceil(input_frames * L / M).
  int64_t output_frames_for_input() const;

  // The coefficients of phase p (0 <= p < up()), K taps; tap j weights input frame
  // floor(n*M/L) - (K/2 - 1) + j for an output n whose phase is p. For tests and tools.
  const float* phase_taps(int p) const { return table_.data() + static_cast<size_t>(p) * taps_; }

 private:
  void compact();

  bool ok_ = false;
  bool identity_ = false;
  bool flushed_ = false;
  int in_rate_ = 0, out_rate_ = 0, channels_ = 0;
  int up_ = 1, down_ = 1;
  int taps_ = 0, half_ = 0;
  std::vector<float> table_;             // up_ x taps_
  std::vector<std::vector<float>> buf_;  // per channel, input frames from buf_start_
  int64_t buf_start_ = 0;                // absolute input frame of buf_[c][0]
  int64_t in_count_ = 0;                 // input frames pushed
  int64_t out_pos_ = 0;                  // next output frame
};

}  // namespace tessera::audio
