#!/usr/bin/env bash
# Generates Tessera's object-based audio fixtures (issue 6) into fixtures/media/audio-*: the stems
# of a 20 s two-language programme (dialogue in English and Welsh, a music bed, effects, audio
# description) and an A/V sync clip (white flash frames with coincident clicks). It measures each
# stem's loudness with ffmpeg's ebur128 filter, merges the files' entries into
# fixtures/media/manifest.json (entries named audio-* are replaced, all others kept as they are),
# then runs scripts/verify-fixtures.ts over the whole manifest (skip that with --no-verify).
# fixtures/programmes/audio.json plays these files; fixtures/README.md documents them.
#
# Everything is synthesised: espeak-ng voices and ffmpeg sources (aevalsrc and its random()
# function with a fixed state); no recorded or downloaded sound.
#
# Determinism: as in make-fixtures.sh (bit-exact muxing, no metadata, single-threaded encoders,
# fixed GOPs, swresample rather than soxr). Byte-identical output needs the same ffmpeg/libvpx/
# x264/libopus/espeak-ng versions (checked with Debian 12's ffmpeg 5.1 and espeak-ng 1.51: two
# runs give the same bytes). Another espeak-ng changes the speech (and so the measured speech
# intervals and loudness, which the script re-measures); the music, effects and sync clip depend
# on ffmpeg only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/fixtures/media"
VERIFY=1
[[ "${1:-}" == "--no-verify" ]] && VERIFY=0

for tool in ffmpeg ffprobe espeak-ng node; do
  command -v "$tool" >/dev/null || { echo "make-audio-fixtures: '$tool' not found (apt-get install -y ffmpeg espeak-ng)" >&2; exit 1; }
done
[[ -f "$OUT/manifest.json" ]] || { echo "make-audio-fixtures: $OUT/manifest.json missing (run scripts/make-fixtures.sh first)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

RATE=48000
DUR=20                          # programme length, seconds
N=$((DUR * RATE))               # samples per full-length stem
FF=(ffmpeg -hide_banner -loglevel error -nostdin -y)
BITEXACT=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 -map_chapters -1)
# Opus priming: see make-fixtures.sh. Delaying the encoder input by the 312-sample pre-skip puts
# the first Opus block at 0 ms and the first decoded sample at t = 0.
OPUS_PRESKIP=312
OPUS_DELAY="asetpts=PTS+${OPUS_PRESKIP}/SR/TB"
RESAMPLE="aresample=${RATE}:resampler=swr:filter_size=32"

sec_to_samples() { awk -v s="$1" -v r="$RATE" 'BEGIN { printf "%d", s * r + 0.5 }'; }

# --- speech ------------------------------------------------------------------------------
# Each line is rendered on its own by espeak-ng (22.05 kHz), resampled to 48 kHz, given a fixed
# gain and placed at its start time; the lines are summed (amix without normalisation: they do
# not overlap, so the sum is exact) and cut to exactly 20 s. The start times leave room for the
# longer of the English and Welsh renderings; the audio description speaks in the pauses.
DIALOGUE_STARTS=(0.40 7.70 15.80)
EN_LINES=("Good evening. Is anybody home?"
          "I brought the lamp you asked for. It is getting dark outside."
          "Thank you. Sit down, and we will have some tea.")
CY_LINES=("Noswaith dda. Oes rhywun adref?"
          "Des i â'r lamp y gofynnaist ti amdani. Mae hi'n tywyllu tu allan."
          "Diolch. Eistedda, a gawn ni baned o de.")
AD_STARTS=(4.30 12.95)
AD_LINES=("The door opens. Rhys comes in with a lamp."
          "Megan lights the lamp and smiles.")
DIALOGUE_VOICE_EN="en-gb"
DIALOGUE_VOICE_CY="cy"
AD_VOICE="en-us+f3"             # a different (female) voice for the describer, a little faster
DIALOGUE_GAIN_DB=-2
AD_GAIN_DB=-2

# speech_stem out.wav voice wpm gain_db "start1 start2 ..." line1 line2 ...
# Writes a 48 kHz mono float WAV of exactly $N samples; fails if a line runs into the next one.
speech_stem() {
  local out="$1" voice="$2" wpm="$3" gain="$4"
  local -a starts=($5)
  shift 5
  local -a inputs=() chains=()
  local i labels="" next_start len
  for ((i = 0; i < $#; i++)); do
    local text="${@:i+1:1}"
    espeak-ng -v "$voice" -s "$wpm" -w "$TMP/line$i.wav" "$text"
    # Length at 48 kHz, to check that the line ends before the next one starts.
    len="$(ffprobe -v error -show_entries stream=duration_ts,sample_rate -of csv=p=0 "$TMP/line$i.wav" |
      awk -F, -v r="$RATE" '{ printf "%.6f", $2 / $1 }')"
    if ((i + 1 < ${#starts[@]})); then next_start="${starts[i + 1]}"; else next_start="$DUR"; fi
    awk -v s="${starts[i]}" -v l="$len" -v e="$next_start" 'BEGIN { exit !(s + l <= e - 0.2) }' || {
      echo "make-audio-fixtures: '$text' ($voice, ${len} s from ${starts[i]} s) runs into ${next_start} s" >&2; exit 1; }
    inputs+=(-i "$TMP/line$i.wav")
    chains+=("[$i:a]${RESAMPLE},volume=${gain}dB,adelay=$(sec_to_samples "${starts[i]}")S[l$i]")
    labels+="[l$i]"
  done
  local graph
  graph="$(IFS=';'; echo "${chains[*]}");${labels}amix=inputs=$#:normalize=0:duration=longest,apad=whole_len=${N},atrim=end_sample=${N}[out]"
  "${FF[@]}" "${inputs[@]}" -filter_complex "$graph" -map '[out]' -c:a pcm_f32le -f wav "$out"
}

echo "make-audio-fixtures: speech stems (espeak-ng $DIALOGUE_VOICE_EN, $DIALOGUE_VOICE_CY, $AD_VOICE)"
speech_stem "$TMP/dialogue-en.wav" "$DIALOGUE_VOICE_EN" 150 "$DIALOGUE_GAIN_DB" "${DIALOGUE_STARTS[*]}" "${EN_LINES[@]}"
speech_stem "$TMP/dialogue-cy.wav" "$DIALOGUE_VOICE_CY" 150 "$DIALOGUE_GAIN_DB" "${DIALOGUE_STARTS[*]}" "${CY_LINES[@]}"
speech_stem "$TMP/description.wav" "$AD_VOICE" 165 "$AD_GAIN_DB" "${AD_STARTS[*]}" "${AD_LINES[@]}"

# --- music bed ---------------------------------------------------------------------------
# C - Am - F - G, 2.5 s per chord, twice (20 s). Each chord: a bass note and three chord tones,
# every note a sine plus 0.25 of its octave. Left leans on the lower chord tones, right on the
# upper ones. Each chord has a 50 ms linear attack and a 0.8 s linear release that reaches 0
# exactly at the chord change, so the frequency switch is silent (no clicks).
# MIDI notes (440 Hz = 69, equal temperament): bass, tone 1, tone 2, tone 3.
CHORD_SECONDS=2.5
MUSIC_AMP=0.02
pick() { # index-expression v0 v1 v2 v3 -> nested if()
  printf 'if(eq(%s,0),%s,if(eq(%s,1),%s,if(eq(%s,2),%s,%s)))' "$1" "$2" "$1" "$3" "$1" "$4" "$5"
}
music_channel() { # weights of bass, tone1, tone2, tone3
  local k="mod(floor(t/${CHORD_SECONDS}),4)" u="(t-${CHORD_SECONDS}*floor(t/${CHORD_SECONDS}))"
  local env="min(1,${u}/0.05)*min(1,(${CHORD_SECONDS}-${u})/0.8)"
  local e="${MUSIC_AMP}*${env}*("
  local -a notes=("$(pick "$k" 48 45 41 43)" "$(pick "$k" 60 57 57 55)" "$(pick "$k" 64 60 60 59)" "$(pick "$k" 67 64 65 62)")
  local j f sep=""
  for j in 0 1 2 3; do
    f="440*pow(2,(${notes[j]}-69)/12)"   # frequency of note j: a sine plus a quarter of its octave
    e+="${sep}${@:j+1:1}*(sin(2*PI*${f}*t)+0.25*sin(4*PI*${f}*t))"
    sep="+"
  done
  printf '%s)' "$e"
}
echo "make-audio-fixtures: music bed"
"${FF[@]}" -f lavfi -i "aevalsrc=exprs='$(music_channel 0.8 1.0 0.7 0.4)|$(music_channel 0.8 0.4 0.7 1.0)':s=${RATE}:c=stereo:n=1024,atrim=end_sample=${N}" \
  -c:a pcm_f32le -f wav "$TMP/music.wav"

# --- effects -----------------------------------------------------------------------------
# A 5 s mono stem, placed at 3.0 s in the programme (3.0-8.0 s): three door knocks, the door
# swinging open (a band-passed noise whoosh) and four footsteps. Times below are in the stem.
# Noise is aevalsrc's random(0): a fixed pseudo-random sequence (state starts at 0).
FX_START=3.0
FX_SECONDS=5
FX_N=$((FX_SECONDS * RATE))
KNOCKS=(0.50 0.75 1.00)
WHOOSH=(1.60 2.40)
STEPS=(2.80 3.30 3.80 4.30)
FX_GAIN_DB=-6
burst_sum() { # "times" decay_s length_s body -> sum over times of gate * exp decay * body(d)
  local e="" tk
  for tk in $1; do
    # if(), not a product with a gate: exp() before the burst overflows, and 0 * inf is NaN.
    e+="${e:++}if(between(t,$tk,$tk+$3),exp(-(t-$tk)/$2)*($(printf '%s' "$4" | sed "s/D/(t-$tk)/g")),0)"
  done
  printf '%s' "$e"
}
# Knock: a 170 Hz thump with a noisy attack, 20 ms decay, low-passed (wood, not metal).
KNOCK_EXPR="$(burst_sum "${KNOCKS[*]}" 0.02 0.15 '0.9*sin(2*PI*170*D)+0.6*(2*random(0)-1)')"
# Whoosh: noise under a sin^2 envelope over 0.8 s, band-passed around 700 Hz.
WHOOSH_EXPR="gte(t,${WHOOSH[0]})*lt(t,${WHOOSH[1]})*pow(sin(PI*(t-${WHOOSH[0]})/(${WHOOSH[1]}-${WHOOSH[0]})),2)*0.9*(2*random(0)-1)"
# Footstep: a short noise tick, 6 ms decay, high-passed.
STEP_EXPR="$(burst_sum "${STEPS[*]}" 0.006 0.06 '0.8*(2*random(0)-1)')"
echo "make-audio-fixtures: effects"
"${FF[@]}" \
  -f lavfi -i "aevalsrc=exprs='${KNOCK_EXPR}':s=${RATE}:c=mono:n=1024,atrim=end_sample=${FX_N}" \
  -f lavfi -i "aevalsrc=exprs='${WHOOSH_EXPR}':s=${RATE}:c=mono:n=1024,atrim=end_sample=${FX_N}" \
  -f lavfi -i "aevalsrc=exprs='${STEP_EXPR}':s=${RATE}:c=mono:n=1024,atrim=end_sample=${FX_N}" \
  -filter_complex "[0:a]lowpass=f=900[k];[1:a]bandpass=f=700:width_type=o:w=1.5[w];[2:a]highpass=f=1500[s];[k][w][s]amix=inputs=3:normalize=0,volume=${FX_GAIN_DB}dB,atrim=end_sample=${FX_N}[out]" \
  -map '[out]' -c:a pcm_f32le -f wav "$TMP/effects.wav"

# Sample peaks of the float masters (dBFS); none may reach -1 dBFS, so nothing clips in the
# 16-bit WAV or in the lossy encodes.
for stem in dialogue-en dialogue-cy description music effects; do
  peak="$(ffmpeg -hide_banner -nostdin -i "$TMP/$stem.wav" -af astats=measure_perchannel=none:measure_overall=Peak_level \
    -f null - 2>&1 | awk '/Peak level dB:/ { print $NF }')"
  echo "  $stem: sample peak $peak dBFS"
  awk -v p="$peak" 'BEGIN { exit !(p < -1) }' || { echo "make-audio-fixtures: $stem peaks at $peak dBFS" >&2; exit 1; }
done

# --- encodes -----------------------------------------------------------------------------
opus_webm() { # in.wav channels bitrate application out
  "${FF[@]}" -i "$1" -af "$OPUS_DELAY" -c:a libopus -b:a "$3" -frame_duration 20 -application "$4" \
    -ac "$2" -ar "$RATE" "${BITEXACT[@]}" -f webm "$5"
}
echo "make-audio-fixtures: encoding stems"
opus_webm "$TMP/dialogue-en.wav" 1 32k voip "$OUT/audio-dialogue-en.webm"
opus_webm "$TMP/dialogue-cy.wav" 1 32k voip "$OUT/audio-dialogue-cy.webm"
opus_webm "$TMP/description.wav" 1 32k voip "$OUT/audio-description-en.webm"
opus_webm "$TMP/music.wav" 2 64k audio "$OUT/audio-music.webm"
"${FF[@]}" -i "$TMP/music.wav" -c:a aac -b:a 64k -ar "$RATE" -ac 2 "${BITEXACT[@]}" -movflags +faststart -f mp4 \
  "$OUT/audio-music.mp4"
# 16-bit PCM. swresample's float -> s16 conversion rounds (no dither), so it is deterministic.
"${FF[@]}" -i "$TMP/effects.wav" -c:a pcm_s16le "${BITEXACT[@]}" -f wav "$OUT/audio-effects.wav"

# --- A/V sync clip -----------------------------------------------------------------------
# 640x360, 30 fps, 120 frames (4.000 s): black, with the FRAME STRIP of make-fixtures.sh on top
# (the verifier and the frame-exact tests read it), and everything below the strip white on the
# flash frames 30, 60 and 90 (t = 1, 2, 3 s). Audio: digital silence except a 10 ms click on both
# channels at each flash time: 10 whole cycles of 1 kHz (480 samples) at amplitude 0.8, starting
# at phase 0 on sample 48000 k, so it starts and ends at a zero crossing.
W=640
H=360
FPS=30
GOP=30
SYNC_FRAMES=120
STRIP_CELLS=20
STRIP_H=$((H / 15))
CELL_W=$((W / STRIP_CELLS))
# shellcheck source=scripts/fixture-strip.sh
source "$(dirname "${BASH_SOURCE[0]}")/fixture-strip.sh"
CLICK_N=$((RATE / 100))
sync_video_filter() {
  local g="color=c=black:s=${W}x${H}:r=${FPS}:d=$(awk -v f="$SYNC_FRAMES" -v r="$FPS" 'BEGIN { printf "%.6f", f / r }'),format=rgb24"
  g+="$(frame_strip_boxes)$(flash_box)"
  g+=",scale=out_color_matrix=bt601:out_range=tv:flags=bitexact+accurate_rnd+full_chroma_int,format=yuv420p"
  printf '%s' "$g"
}
SYNC_CLICK="0.8*sin(2*PI*1000*mod(n,${RATE})/${RATE})*lt(mod(n,${RATE}),${CLICK_N})*gte(n,${RATE})"
SYNC_AUDIO="aevalsrc=exprs='${SYNC_CLICK}|${SYNC_CLICK}':s=${RATE}:c=stereo:n=1024,atrim=end_sample=$((SYNC_FRAMES * RATE / FPS))"
VP9=(-c:v libvpx-vp9 -pix_fmt yuv420p -b:v 0 -crf 34 -deadline good -cpu-used 2
     -g "$GOP" -keyint_min "$GOP" -auto-alt-ref 0 -lag-in-frames 0 -threads 1 -row-mt 0
     -tile-columns 0 -frame-parallel 0)
echo "make-audio-fixtures: A/V sync clip (VP9/Opus, H.264/AAC)"
"${FF[@]}" -f lavfi -i "$(sync_video_filter)" -f lavfi -i "$SYNC_AUDIO" -map 0:v -map 1:a \
  "${VP9[@]}" -filter:a "$OPUS_DELAY" -c:a libopus -b:a 96k -frame_duration 20 -application audio -ar "$RATE" -ac 2 \
  "${BITEXACT[@]}" -f webm "$OUT/audio-sync-vp9-opus.webm"
"${FF[@]}" -f lavfi -i "$(sync_video_filter)" -f lavfi -i "$SYNC_AUDIO" -map 0:v -map 1:a \
  -c:v libx264 -pix_fmt yuv420p -profile:v high -level:v 3.0 -preset medium -crf 26 \
  -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 -bf 0 -threads 1 \
  -x264-params "open-gop=0:rc-lookahead=0:sliced-threads=0" \
  -c:a aac -b:a 128k -ar "$RATE" -ac 2 \
  "${BITEXACT[@]}" -movflags +faststart -f mp4 "$OUT/audio-sync-h264-aac.mp4"

# --- measurements ------------------------------------------------------------------------
# Loudness of each file as a player decodes it (Opus/AAC priming removed), EBU R128 / ITU-R
# BS.1770: integrated loudness (LUFS), loudness range (LU) and true peak (dBTP), as ffmpeg's
# ebur128 filter prints them (one decimal). A mono file is measured as one channel (weight 1.0).
loudness_json() { # file -> { "integratedLufs": ..., "loudnessRangeLu": ..., "truePeakDbtp": ... }
  ffmpeg -hide_banner -nostats -nostdin -i "$1" -map 0:a:0 -af ebur128=framelog=verbose:peak=true -f null - 2>&1 |
    awk '/Integrated loudness:/ { s = "i" } /Loudness range:/ { s = "r" } /True peak:/ { s = "p" }
         s == "i" && $1 == "I:" { i = $2 } s == "r" && $1 == "LRA:" { r = $2 } s == "p" && $1 == "Peak:" { p = $2 }
         END { if (i == "" || r == "" || p == "") exit 1
               printf "{ \"integratedLufs\": %s, \"loudnessRangeLu\": %s, \"truePeakDbtp\": %s }", i, r, p }'
}
decoded_seconds() { # file -> decoded audio duration (s)
  local bytes
  bytes="$(ffmpeg -hide_banner -loglevel error -nostdin -i "$1" -map 0:a:0 -f f32le -ac 1 - | wc -c)"
  awk -v b="$bytes" -v r="$RATE" 'BEGIN { printf "%.6f", b / 4 / r }'
}
# Stretches of sound in a float WAV: [[start, end], ...] in seconds of the file (ms-rounded),
# where |sample| > 0.01 (-40 dBFS), gaps under 0.3 s bridged. Measured on the unencoded stem.
sound_intervals() { # wav offset_s (0: times in the file)
  ffmpeg -hide_banner -loglevel error -nostdin -i "$1" -f f32le -ac 1 - | node -e '
    const chunks = []; process.stdin.on("data", (c) => chunks.push(c)); process.stdin.on("end", () => {
      const b = Buffer.concat(chunks); const x = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
      const rate = Number(process.argv[1]), off = Number(process.argv[2]), gap = 0.3 * rate;
      const out = []; let s = -1, last = -Infinity;
      for (let n = 0; n < x.length; n++) {
        if (Math.abs(x[n]) <= 0.01) continue;
        if (n - last > gap) { if (s >= 0) out.push([s, last + 1]); s = n; }
        last = n;
      }
      if (s >= 0) out.push([s, last + 1]);
      const r3 = (v) => Math.round((v / rate + off) * 1000) / 1000;
      console.log(JSON.stringify(out.map(([a, e]) => [r3(a), r3(e)])));
    });' "$RATE" "$2"
}
json_str() { node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1"; }
json_list() { node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' "$@"; }
json_nums() { node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1).map(Number)))' "$@"; }

echo "make-audio-fixtures: measuring loudness"
stem_json() { # name container codec channels priming firstPacket durationSeconds content role language|"" programmeStart extra-json
  # Every time in an entry is in the file's own time; programmeStartSeconds is where
  # fixtures/programmes/audio.json places the file.
  local lang=""
  if [[ -n "${10}" ]]; then lang=$'\n'"        \"language\": \"${10}\","; fi
  cat <<JSON
    {
      "name": "$1",
      "container": "$2",
      "audio": {
        "codec": "$3",
        "sampleRate": $RATE,
        "channels": $4,
        "durationSeconds": $7,
        "primingSamples": $5,
        "firstPacketTimestampSeconds": $6,
        "content": $(json_str "$8"),
        "clickTimesSeconds": [],
        "role": "$9",${lang}
        "programmeStartSeconds": ${11},
        "loudness": $(loudness_json "$OUT/$1")${12:+,
        ${12}}
      }
    }
JSON
}
EN_SPEECH="$(sound_intervals "$TMP/dialogue-en.wav" 0)"
CY_SPEECH="$(sound_intervals "$TMP/dialogue-cy.wav" 0)"
AD_SPEECH="$(sound_intervals "$TMP/description.wav" 0)"
FX_SOUND="$(sound_intervals "$TMP/effects.wav" 0)"
# The description must speak in the dialogue's pauses, in both languages, at least 0.5 s clear of
# any dialogue (room for the duck's attack and release).
node -e 'const [ad, ...dia] = process.argv.slice(1).map((s) => JSON.parse(s));
  for (const [a0, a1] of ad) for (const d of dia) for (const [d0, d1] of d) {
    if (a0 < d1 + 0.5 && d0 < a1 + 0.5) {
      console.error(`make-audio-fixtures: description ${a0}-${a1} s is within 0.5 s of dialogue ${d0}-${d1} s`);
      process.exit(1);
    }
  }' "$AD_SPEECH" "$EN_SPEECH" "$CY_SPEECH"
DIALOGUE_CONTENT="espeak-ng speech, one line at each of ${DIALOGUE_STARTS[*]} s (programme time), silence between; gain ${DIALOGUE_GAIN_DB} dB"
AD_CONTENT="audio description: espeak-ng -v ${AD_VOICE} -s 165, lines at ${AD_STARTS[*]} s in the dialogue's pauses, silence elsewhere; gain ${AD_GAIN_DB} dB"
MUSIC_CONTENT="music bed: C, Am, F, G (2.5 s each, twice), sines with a quarter-level octave, stereo, amplitude ${MUSIC_AMP} per note"
FX_CONTENT="effects for 3.0-8.0 s of the programme: door knocks at ${KNOCKS[*]} s, a noise whoosh ${WHOOSH[0]}-${WHOOSH[1]} s, footsteps at ${STEPS[*]} s (stem time)"
ENTRIES="$TMP/entries.json"
{
  echo "["
  stem_json audio-dialogue-en.webm webm opus 1 "$OPUS_PRESKIP" 0 "$(decoded_seconds "$OUT/audio-dialogue-en.webm")" \
    "$DIALOGUE_CONTENT (espeak-ng -v $DIALOGUE_VOICE_EN -s 150)" dialogue en 0 \
    "\"voice\": \"$DIALOGUE_VOICE_EN\", \"lines\": $(json_list "${EN_LINES[@]}"), \"lineStartsSeconds\": $(json_nums "${DIALOGUE_STARTS[@]}"), \"speechIntervalsSeconds\": $EN_SPEECH"
  echo "    ,"
  stem_json audio-dialogue-cy.webm webm opus 1 "$OPUS_PRESKIP" 0 "$(decoded_seconds "$OUT/audio-dialogue-cy.webm")" \
    "$DIALOGUE_CONTENT (espeak-ng -v $DIALOGUE_VOICE_CY -s 150)" dialogue cy 0 \
    "\"voice\": \"$DIALOGUE_VOICE_CY\", \"lines\": $(json_list "${CY_LINES[@]}"), \"lineStartsSeconds\": $(json_nums "${DIALOGUE_STARTS[@]}"), \"speechIntervalsSeconds\": $CY_SPEECH"
  echo "    ,"
  stem_json audio-description-en.webm webm opus 1 "$OPUS_PRESKIP" 0 "$(decoded_seconds "$OUT/audio-description-en.webm")" \
    "$AD_CONTENT" description en 0 \
    "\"voice\": \"$AD_VOICE\", \"lines\": $(json_list "${AD_LINES[@]}"), \"lineStartsSeconds\": $(json_nums "${AD_STARTS[@]}"), \"speechIntervalsSeconds\": $AD_SPEECH"
  echo "    ,"
  stem_json audio-music.webm webm opus 2 "$OPUS_PRESKIP" 0 "$(decoded_seconds "$OUT/audio-music.webm")" \
    "$MUSIC_CONTENT" music "" 0 "\"chordSeconds\": $CHORD_SECONDS"
  echo "    ,"
  # ffmpeg's AAC encoder primes with 1024 samples, hidden by an edit list (see make-fixtures.sh).
  stem_json audio-music.mp4 mp4 mp4a.40.2 2 1024 -0.021333 "$DUR" \
    "$MUSIC_CONTENT; AAC-LC twin of audio-music.webm" music "" 0 "\"chordSeconds\": $CHORD_SECONDS"
  echo "    ,"
  stem_json audio-effects.wav wav pcm-s16 1 0 0 "$FX_SECONDS" "$FX_CONTENT" effects "" "$FX_START" \
    "\"eventTimesSeconds\": { \"knocks\": $(json_nums "${KNOCKS[@]}"), \"whoosh\": $(json_nums "${WHOOSH[@]}"), \"footsteps\": $(json_nums "${STEPS[@]}") }, \"soundIntervalsSeconds\": $FX_SOUND"
  for kind in vp9-opus h264-aac; do
    if [[ "$kind" == vp9-opus ]]; then
      name=audio-sync-vp9-opus.webm container=webm vcodec="vp09.00.21.08.01.02.02.02.00" acodec=opus priming=$OPUS_PRESKIP first=0
    else
      name=audio-sync-h264-aac.mp4 container=mp4 vcodec="avc1.64001e" acodec=mp4a.40.2 priming=1024 first=-0.021333
    fi
    cat <<JSON
    ,
    {
      "name": "$name",
      "container": "$container",
      "clip": "sync",
      "video": {
        "codec": "$vcodec",
        "width": $W,
        "height": $H,
        "fps": $FPS,
        "frameCount": $SYNC_FRAMES,
        "durationSeconds": $((SYNC_FRAMES / FPS)),
        "firstTimestampSeconds": 0,
        "keyframeInterval": $GOP,
        "colour": "untagged",
        "rgbToYuvMatrix": "bt601",
        "flashFrames": [30, 60, 90],
        "flashTimesSeconds": [1, 2, 3],
        "content": "black below the frame strip; white below the strip on the flash frames only"
      },
      "audio": {
        "codec": "$acodec",
        "sampleRate": $RATE,
        "channels": 2,
        "durationSeconds": $((SYNC_FRAMES / FPS)),
        "primingSamples": $priming,
        "firstPacketTimestampSeconds": $first,
        "content": "digital silence except a 10 ms click (10 cycles of 1 kHz from phase 0, amplitude 0.8, $CLICK_N samples) on both channels at each flash time",
        "clickTimesSeconds": [1, 2, 3],
        "clickStartSamples": [$RATE, $((2 * RATE)), $((3 * RATE))],
        "clickLengthSamples": $CLICK_N,
        "loudness": $(loudness_json "$OUT/$name")
      }
    }
JSON
  done
  echo "]"
} > "$ENTRIES"

# Merge: drop any audio-* entries, append these, pretty-print as make-fixtures.sh does.
node -e 'const fs = require("fs"); const [p, e] = process.argv.slice(1);
  const m = JSON.parse(fs.readFileSync(p, "utf8"));
  m.files = m.files.filter((f) => !f.name.startsWith("audio-")).concat(JSON.parse(fs.readFileSync(e, "utf8")));
  fs.writeFileSync(p, JSON.stringify(m, null, 2) + "\n");' "$OUT/manifest.json" "$ENTRIES"

# fixtures/programmes/audio.json carries the measured loudness of the files it plays; it is
# hand-written, so check it against the measurements instead of rewriting it.
node -e 'const fs = require("fs"); const path = require("path"); const [m, p] = process.argv.slice(1);
  const files = new Map(JSON.parse(fs.readFileSync(m, "utf8")).files.map((f) => [f.name, f]));
  const prog = JSON.parse(fs.readFileSync(p, "utf8")); let bad = 0;
  for (const [id, a] of Object.entries(prog.assets)) {
    if (a.type !== "audio") continue;
    const f = files.get(path.basename(a.src));
    const want = f?.audio?.loudness?.integratedLufs;
    if (a.loudness !== want || a.duration !== f?.audio?.durationSeconds) {
      bad++;
      console.error(`make-audio-fixtures: ${p}: asset ${id} says loudness ${a.loudness}, duration ${a.duration}; ` +
        `measured ${want} LUFS, ${f?.audio?.durationSeconds} s: update the programme`);
    }
  }
  process.exit(bad ? 1 : 0);' "$OUT/manifest.json" "$ROOT/fixtures/programmes/audio.json"

for f in "$OUT"/audio-*; do
  printf '  %-28s %8d bytes\n' "$(basename "$f")" "$(stat -c %s "$f")"
done
if ((VERIFY)); then
  echo "make-audio-fixtures: verifying"
  cd "$ROOT"
  npx --no-install tsx scripts/verify-fixtures.ts
fi
