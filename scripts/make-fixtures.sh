#!/usr/bin/env bash
# Generates Tessera's frame-exact test media into fixtures/media/ with ffmpeg and espeak-ng,
# then verifies every file (scripts/verify-fixtures.ts). The generated files are committed;
# rerun this script (npm run fixtures) only when the fixtures themselves must change.
#
# Layout of the machine-readable FRAME STRIP (also in fixtures/README.md and
# src/media/frame-strip.ts): top band of the picture, height = H/15, 20 equal cells across.
# Cell 0 white, cell 1 black (references), cells 2..17 = bits 15..0 of the frame number
# (white = 1), cell 18 = even parity (white when the 16 data bits hold an odd number of ones),
# cell 19 black.
#
# Determinism: bit-exact muxing (no random UIDs, no encoder version strings, no metadata),
# single-threaded encoders, fixed GOPs. Byte-identical output needs the same ffmpeg/libvpx/
# x264/libopus/espeak-ng versions (built and checked with Debian 12's ffmpeg 5.1 and
# espeak-ng 1.51); the decoded content (strip, flashes, clicks) is what the tests rely on.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/fixtures/media"
FONT="${TESSERA_FIXTURE_FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}"
FONT_BOLD="${TESSERA_FIXTURE_FONT_BOLD:-/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf}"

for tool in ffmpeg espeak-ng npx; do
  command -v "$tool" >/dev/null || { echo "make-fixtures: '$tool' not found (apt-get install -y ffmpeg espeak-ng)" >&2; exit 1; }
done
for f in "$FONT" "$FONT_BOLD"; do
  [[ -f "$f" ]] || { echo "make-fixtures: font $f not found (apt-get install -y fonts-dejavu-core)" >&2; exit 1; }
done

mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

W=640
H=360
FPS=30
GOP=30          # key frame every 30 frames; also the flash period
RATE=48000      # audio sample rate
STRIP_CELLS=20
STRIP_H=$((H / 15))
CELL_W=$((W / STRIP_CELLS))
if (( H % 15 != 0 || W % STRIP_CELLS != 0 )); then
  echo "make-fixtures: picture size must divide into the strip grid" >&2; exit 1
fi
# shellcheck source=scripts/fixture-strip.sh
source "$(dirname "${BASH_SOURCE[0]}")/fixture-strip.sh"

# Common ffmpeg flags: quiet, deterministic, no metadata carried over.
FF=(ffmpeg -hide_banner -loglevel error -nostdin -y)
BITEXACT=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 -map_chapters -1)

# --- picture -----------------------------------------------------------------------------
# The picture is built in RGB (rgb24) and converted to yuv420p once at the end, so the strip
# and the flash are exact black/white (Y 16 / 235, Cb = Cr = 128) whatever the matrix.
# Args: letter, background colour (0xRRGGBB), frame count, output matrix (bt601|bt709).
video_filter() {
  local letter="$1" bg="$2" frames="$3" matrix="$4"
  local dur
  dur="$(awk -v f="$frames" -v r="$FPS" 'BEGIN { printf "%.6f", f / r }')"
  local g="color=c=${bg}:s=${W}x${H}:r=${FPS}:d=${dur},format=rgb24"
  # A dark separator line under the strip, the clip letter, captions and the frame number.
  g+=",drawbox=x=0:y=${STRIP_H}:w=${W}:h=4:color=0x202020:t=fill"
  g+=",drawtext=fontfile=${FONT_BOLD}:text=${letter}:fontsize=200:fontcolor=white:x=40:y=80"
  g+=",drawtext=fontfile=${FONT}:text='clip ${letter}':fontsize=22:fontcolor=0xdddddd:x=44:y=300"
  g+=",drawtext=fontfile=${FONT}:text='frame':fontsize=22:fontcolor=0xdddddd:x=300:y=80"
  g+=",drawtext=fontfile=${FONT_BOLD}:text='%{frame_num}':fontsize=150:fontcolor=yellow:x=300:y=110"
  # A dot that moves every frame, so motion is visible while scrubbing.
  g+=",drawtext=fontfile=${FONT}:text='●':fontsize=20:fontcolor=white:x='300+mod(n,${GOP})*10':y=300"
  # FRAME STRIP: black band, white reference (cell 0), data bits, parity (cell 18).
  g+=",drawbox=x=0:y=0:w=${W}:h=${STRIP_H}:color=black:t=fill"
  g+="$(frame_strip_boxes)"
  # FLASH: everything below the strip is pure white on frames n % 30 == 0, n > 0.
  g+="$(flash_box)"
  # To limited-range 4:2:0 with an explicit matrix.
  g+=",scale=out_color_matrix=${matrix}:out_range=tv:flags=bitexact+accurate_rnd+full_chroma_int,format=yuv420p"
  printf '%s' "$g"
}

# --- sound -------------------------------------------------------------------------------
# Left 440 Hz, right 660 Hz, amplitude 0.1 (-20 dBFS peak), plus a 2 ms click (3 kHz burst,
# amplitude 0.8, starting at phase 0) on both channels at every whole second t >= 1 s, i.e. at
# the start of each flash frame (frame 30k is shown at t = k s).
CLICK_LEN=$((RATE * 2 / 1000))
CLICK="0.8*sin(2*PI*3000*mod(n,${RATE})/${RATE})*lt(mod(n,${RATE}),${CLICK_LEN})*gte(n,${RATE})"
audio_source() {
  local frames="$1"
  local samples=$((frames * RATE / FPS))
  printf "aevalsrc=exprs='0.1*sin(2*PI*440*n/%d)+%s|0.1*sin(2*PI*660*n/%d)+%s':s=%d:c=stereo:n=%d,atrim=end_sample=%d" \
    "$RATE" "$CLICK" "$RATE" "$CLICK" "$RATE" 1024 "$samples"
}

VP9=(-c:v libvpx-vp9 -pix_fmt yuv420p -b:v 0 -crf 34 -deadline good -cpu-used 2
     -g "$GOP" -keyint_min "$GOP" -auto-alt-ref 0 -lag-in-frames 0 -threads 1 -row-mt 0
     -tile-columns 0 -frame-parallel 0)
OPUS=(-c:a libopus -b:a 96k -frame_duration 20 -application audio)
# libopus primes with 312 samples (OpusHead pre-skip, Matroska CodecDelay 6.5 ms) and ffmpeg 5.1
# hands the muxer a first audio packet at -6.5 ms; its default avoid_negative_ts then shifts the
# VIDEO to start at 7 ms. Delaying the encoder input by exactly the pre-skip makes the first Opus
# block land at 0 ms next to the first video frame, with CodecDelay = 6.5 ms telling players to
# drop the priming: decoded sample 0 is at t = 0. verify-fixtures.ts checks the resulting layout.
OPUS_PRESKIP=312
OPUS_DELAY="asetpts=PTS+${OPUS_PRESKIP}/SR/TB"

make_clip() { # letter bg frames matrix(bt601|bt709; bt709 also tags the stream) out webm|mp4
  local letter="$1" bg="$2" frames="$3" matrix="$4" out="$5" kind="$6"
  local vf af
  vf="$(video_filter "$letter" "$bg" "$frames" "$matrix")"
  af="$(audio_source "$frames")"
  local tags=()
  if [[ "$matrix" == bt709 ]]; then
    tags=(-color_primaries bt709 -color_trc bt709 -colorspace bt709 -color_range tv)
  fi
  case "$kind" in
    webm)
      "${FF[@]}" -f lavfi -i "$vf" -f lavfi -i "$af" -map 0:v -map 1:a \
        "${VP9[@]}" "${tags[@]}" -filter:a "$OPUS_DELAY" "${OPUS[@]}" -ar "$RATE" -ac 2 \
        "${BITEXACT[@]}" -f webm "$out"
      ;;
    mp4)
      "${FF[@]}" -f lavfi -i "$vf" -f lavfi -i "$af" -map 0:v -map 1:a \
        -c:v libx264 -pix_fmt yuv420p -profile:v high -level:v 3.0 -preset medium -crf 26 \
        -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 -bf 0 -threads 1 \
        -x264-params "open-gop=0:rc-lookahead=0:sliced-threads=0" "${tags[@]}" \
        -c:a aac -b:a 128k -ar "$RATE" -ac 2 \
        "${BITEXACT[@]}" -movflags +faststart -f mp4 "$out"
      ;;
  esac
}

echo "make-fixtures: clip A (VP9/Opus, H.264/AAC), clip B (VP9/Opus, BT.709)"
make_clip A 0x1f3f8f 150 bt601 "$OUT/count-a-vp9-opus.webm" webm
make_clip A 0x1f3f8f 150 bt601 "$OUT/count-a-h264-aac.mp4" mp4
make_clip B 0x1f7a3a 90 bt709 "$OUT/count-b-vp9-opus.webm" webm

# --- speech ------------------------------------------------------------------------------
echo "make-fixtures: speech (espeak-ng en, cy)"
speech() { # voice text out
  espeak-ng -v "$1" -s 150 -w "$TMP/$1.wav" "$2"
  "${FF[@]}" -i "$TMP/$1.wav" -af "aresample=${RATE}:resampler=swr:filter_size=32,${OPUS_DELAY}" -c:a libopus -b:a 32k \
    -application voip -ac 1 -ar "$RATE" "${BITEXACT[@]}" -f webm "$3"
}
EN_TEXT="This is the Tessera test narration. One, two, three."
CY_TEXT="Dyma lais prawf Tessera. Mae'r ŵyn yn yfed dŵr wrth y tŷ. Un, dau, tri."
speech en "$EN_TEXT" "$OUT/speech-en.webm"
speech cy "$CY_TEXT" "$OUT/speech-cy.webm"

# --- reference tone ----------------------------------------------------------------------
# 1 kHz, 2.000 s, stereo, 16-bit. Peak = round(32768 * 10^(-18/20)) = 4125 codes, computed so the
# float->s16 conversion is exact (4125/32768 = -18.0005 dBFS peak; 48 samples per cycle, so the
# crest at sample 12 is hit exactly).
echo "make-fixtures: tone"
TONE="round(4125*sin(2*PI*1000*n/${RATE}))/32768"
"${FF[@]}" -f lavfi -i "aevalsrc=exprs='${TONE}|${TONE}':s=${RATE}:c=stereo:n=1024,atrim=end_sample=$((2 * RATE))" \
  -c:a pcm_s16le "${BITEXACT[@]}" -f wav "$OUT/tone-1k-stereo.wav"

# --- manifest ----------------------------------------------------------------------------
# Declares what each file must contain; verify-fixtures.ts and src/media/fixtures.test.ts check
# the files against it. Speech durations are measured (decoded samples / rate) since espeak-ng
# decides them.
echo "make-fixtures: manifest"
decoded_seconds() { # file -> decoded audio duration (s), priming and padding removed by ffmpeg
  local bytes
  bytes="$(ffmpeg -hide_banner -loglevel error -nostdin -i "$1" -map 0:a:0 -f f32le -ac 1 - | wc -c)"
  awk -v b="$bytes" -v r="$RATE" 'BEGIN { printf "%.6f", b / 4 / r }'
}
seq_json() { # first step last -> "[a, b, ...]"
  local out="" i
  for ((i = $1; i <= $3; i += $2)); do out+="${out:+, }$i"; done
  printf '[%s]' "$out"
}
flash_frames() { seq_json "$GOP" "$GOP" $(($1 - 1)); }
click_times() { # frames -> click times in seconds (flash frame / fps; whole seconds here)
  local out="" i
  for ((i = GOP; i < $1; i += GOP)); do out+="${out:+, }$(awk -v n="$i" -v r="$FPS" 'BEGIN { printf "%g", n / r }')"; done
  printf '[%s]' "$out"
}
UNTAGGED='"untagged"'
BT709='{ "primaries": "bt709", "transfer": "bt709", "matrix": "bt709", "fullRange": false }'
CLIP_AUDIO="440 Hz sine left, 660 Hz sine right, amplitude 0.1 (-20 dBFS peak); 2 ms click (3 kHz burst from phase 0, amplitude 0.8) on both channels at each flash time"
clip_json() { # name container vcodec acodec frames colour yuvMatrix priming firstAudioPacket letter
  cat <<JSON
    {
      "name": "$1",
      "container": "$2",
      "clip": "${10}",
      "video": {
        "codec": "$3",
        "width": $W,
        "height": $H,
        "fps": $FPS,
        "frameCount": $5,
        "durationSeconds": $(awk -v f="$5" -v r="$FPS" 'BEGIN { printf "%g", f / r }'),
        "firstTimestampSeconds": 0,
        "keyframeInterval": $GOP,
        "colour": $6,
        "rgbToYuvMatrix": "$7",
        "flashFrames": $(flash_frames "$5")
      },
      "audio": {
        "codec": "$4",
        "sampleRate": $RATE,
        "channels": 2,
        "durationSeconds": $(awk -v f="$5" -v r="$FPS" 'BEGIN { printf "%g", f / r }'),
        "primingSamples": $8,
        "firstPacketTimestampSeconds": $9,
        "content": "$CLIP_AUDIO",
        "clickTimesSeconds": $(click_times "$5")
      }
    }
JSON
}
speech_json() { # name lang text
  cat <<JSON
    {
      "name": "$1",
      "container": "webm",
      "audio": {
        "codec": "opus",
        "sampleRate": $RATE,
        "channels": 1,
        "durationSeconds": $(decoded_seconds "$OUT/$1"),
        "primingSamples": $OPUS_PRESKIP,
        "firstPacketTimestampSeconds": 0,
        "content": "espeak-ng -v $2 speech",
        "language": "$2",
        "text": "$3",
        "clickTimesSeconds": []
      }
    }
JSON
}
VP9_UNTAGGED="vp09.00.21.08.01.02.02.02.00"  # profile 0, level 2.1, 8-bit, 4:2:0, colour unspecified (2)
VP9_709="vp09.00.21.08"                      # BT.709 limited range is the default suffix
AVC="avc1.64001e"                            # High profile, level 3.0
{
  cat <<JSON
{
  "description": "Tessera frame-exact test fixtures, generated by scripts/make-fixtures.sh. See fixtures/README.md.",
  "stripLayout": {
    "heightDivisor": 15,
    "cells": $STRIP_CELLS,
    "whiteCell": 0,
    "blackCell": 1,
    "bitCells": [2, 17],
    "bits": 16,
    "bitOrder": "msb-first",
    "parityCell": 18,
    "parity": "even (cell white when the 16 data bits hold an odd number of ones)",
    "endCell": 19,
    "sampleFraction": 0.5,
    "pixelsAt640x360": { "stripHeight": $STRIP_H, "cellWidth": $CELL_W }
  },
  "flash": "every frame n with n % $GOP == 0 and n > 0: the whole picture below the strip is white (Y 235, Cb = Cr = 128) for that one frame; its click starts at n / fps seconds",
  "files": [
JSON
  clip_json count-a-vp9-opus.webm webm "$VP9_UNTAGGED" opus 150 "$UNTAGGED" bt601 "$OPUS_PRESKIP" 0 A
  echo "    ,"
  clip_json count-a-h264-aac.mp4 mp4 "$AVC" mp4a.40.2 150 "$UNTAGGED" bt601 1024 -0.021333 A
  echo "    ,"
  clip_json count-b-vp9-opus.webm webm "$VP9_709" opus 90 "$BT709" bt709 "$OPUS_PRESKIP" 0 B
  echo "    ,"
  speech_json speech-en.webm en "$EN_TEXT"
  echo "    ,"
  speech_json speech-cy.webm cy "$CY_TEXT"
  echo "    ,"
  cat <<JSON
    {
      "name": "tone-1k-stereo.wav",
      "container": "wav",
      "audio": {
        "codec": "pcm-s16",
        "sampleRate": $RATE,
        "channels": 2,
        "durationSeconds": 2,
        "primingSamples": 0,
        "firstPacketTimestampSeconds": 0,
        "content": "1 kHz sine on both channels, peak 4125/32768 (-18.0005 dBFS; -18 dBFS rounded to the nearest 16-bit code), sample n = round(4125 * sin(2 pi 1000 n / 48000))",
        "frequencyHz": 1000,
        "peakSampleValue": 4125,
        "clickTimesSeconds": []
      }
    }
  ]
}
JSON
} > "$OUT/manifest.json"
# Validate and pretty-print (stable formatting, 2-space indent, trailing newline).
node -e 'const fs = require("fs"); const p = process.argv[1];
  fs.writeFileSync(p, JSON.stringify(JSON.parse(fs.readFileSync(p, "utf8")), null, 2) + "\n");' "$OUT/manifest.json"

# The object-based audio fixtures (audio-*) have their own script. It touches no file above; it
# regenerates its own files (the same bytes) and adds their entries back to the manifest just
# written, so that the manifest lists every file in fixtures/media.
bash "$ROOT/scripts/make-audio-fixtures.sh" --no-verify

echo "make-fixtures: verifying"
cd "$ROOT"
npx --no-install tsx scripts/verify-fixtures.ts
