#!/usr/bin/env bash
# Generates Tessera's demo programme into public/demo/: a three-minute explainer about
# object-based media ("what Tessera does") that the player opens by default. Everything is
# synthesised here from Debian tools: pictures with ffmpeg's lavfi sources (gradients, colour
# tiles, drawtext with the DejaVu fonts), voices with espeak-ng (English en-gb, Welsh cy, audio
# description en-us+f3 / cy+f3), music and effects with ffmpeg's aevalsrc. Nothing is downloaded.
#
# Writes: public/demo/programme.json, public/demo/media/*.webm, public/demo/captions/*.vtt (English,
# WebVTT) and *.ttml (Welsh, EBU-TT-D). public/demo/README.md documents the result.
#
# The scene timings are fixed (so the 1-, 2- and 3-minute versions are exactly 60, 120 and 180 s);
# the speech inside each scene is placed from measured espeak-ng lengths, and the script stops if a
# line does not fit its scene. Each audio object's loudness is measured with ffmpeg's ebur128 and
# written to the programme.
#
# Determinism: as scripts/make-fixtures.sh (bit-exact muxing, no metadata, single-threaded
# encoders, fixed GOPs, no alt-ref frames, swresample). Two runs give the same bytes with the same
# ffmpeg/libvpx/libopus/espeak-ng (built with Debian 12's ffmpeg 5.1.9 and espeak-ng 1.51).
#
# Usage: bash scripts/make-demo.sh        (needs ffmpeg, ffprobe, espeak-ng, node, fonts-dejavu-core)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/public/demo"
FONT="${TESSERA_DEMO_FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}"
FONT_BOLD="${TESSERA_DEMO_FONT_BOLD:-/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf}"

for tool in ffmpeg ffprobe espeak-ng node; do
  command -v "$tool" >/dev/null || { echo "make-demo: '$tool' not found (apt-get install -y ffmpeg espeak-ng nodejs)" >&2; exit 1; }
done
for f in "$FONT" "$FONT_BOLD"; do
  [[ -f "$f" ]] || { echo "make-demo: font $f not found (apt-get install -y fonts-dejavu-core)" >&2; exit 1; }
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT/media" "$OUT/captions"
# Only generated files live in media/ and captions/: clear them so a rerun leaves no stale file.
rm -f "$OUT"/media/* "$OUT"/captions/*

cat > "$TMP/make-demo.mjs" <<'JS'
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const { OUT, TMP, FONT, FONT_BOLD } = process.env;
const RATE = 48000;            // audio sample rate
const W = 960, H = 540;        // video size (16:9); the portrait layout crops 304x540 of it by ROI
const FPS = 25, GOP = 50;      // key frame every 2 s
const SIGN_W = 288, SIGN_H = 320;

const FF = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"];
const BITEXACT = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1", "-map_chapters", "-1"];
const VP9 = ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf", "38", "-deadline", "good", "-cpu-used", "4",
  "-g", String(GOP), "-keyint_min", String(GOP), "-auto-alt-ref", "0", "-lag-in-frames", "0", "-threads", "1", "-row-mt", "0",
  "-tile-columns", "0", "-frame-parallel", "0",
  "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-color_range", "tv"];
// Opus priming: see make-fixtures.sh. Delaying the input by the 312-sample pre-skip puts the first
// Opus block at 0 ms and the first decoded sample at t = 0.
const OPUS_DELAY = "asetpts=PTS+312/SR/TB";
const RESAMPLE = `aresample=${RATE}:resampler=swr:filter_size=32`;

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 30 });
const ffmpeg = (args) => run("ffmpeg", [...FF, ...args]);
const r3 = (v) => Math.round(v * 1000) / 1000;
const fail = (msg) => { console.error(`make-demo: ${msg}`); process.exit(1); };
let textFiles = 0;
const textFile = (s) => { const p = path.join(TMP, `text${textFiles++}.txt`); fs.writeFileSync(p, s); return p; };

// ---------------------------------------------------------------------------------------------
// The script of the programme. Scene durations are fixed; required scenes add up to 60 s,
// priority-2 scenes to 60 s and priority-1 scenes to 60 s, so timeAvailable 60/120/180 fits
// exactly. `seq` is the order of speech: n0, n1 … narration parts; "ad" the audio description,
// which speaks in a pause of the narration (the same pause in both languages).
// ---------------------------------------------------------------------------------------------
const SUBTITLE = { en: "Tessera · object-based media", cy: "Tessera · cyfryngau ar sail gwrthrychau" };
const GREETINGS = {
  "greeting-morning": { en: "Good morning", cy: "Bore da", when: { "and": [{ ">=": [{ var: "timeOfDay" }, 5] }, { "<": [{ var: "timeOfDay" }, 12] }] } },
  "greeting-afternoon": { en: "Good afternoon", cy: "Prynhawn da", when: { "and": [{ ">=": [{ var: "timeOfDay" }, 12] }, { "<": [{ var: "timeOfDay" }, 18] }] } },
  "greeting-evening": { en: "Good evening", cy: "Noswaith dda" },
};
const SCENES = [
  ...Object.entries(GREETINGS).map(([id, g]) => ({
    id, duration: 6, title: { en: g.en, cy: g.cy }, video: id, greeting: true,
    seq: ["n0"], n: [{ en: `${g.en}, and welcome to Tessera.`, cy: `${g.cy}, a chroeso i Tessera.` }],
    next: "intro",
  })),
  {
    id: "intro", duration: 18, title: { en: "What is object-based media?", cy: "Beth yw cyfryngau ar sail gwrthrychau?" },
    seq: ["ad", "n0", "n1"],
    ad: { en: "Coloured tiles fly in and form a mosaic.", cy: "Mae teils lliw yn hedfan i mewn." },
    n: [{ en: "Tessera plays object-based media. A programme is not one finished video,",
          cy: "Mae Tessera yn chwarae cyfryngau ar sail gwrthrychau. Nid un fideo gorffenedig yw rhaglen," },
        { en: "but a set of objects, put together for you as you watch.",
          cy: "ond set o wrthrychau, wedi'u cyfuno i chi wrth i chi wylio." }],
    next: "objects", effects: [{ asset: "fx-tiles", start: 0 }],
  },
  {
    id: "objects", duration: 30, optional: 2, title: { en: "A programme made of objects", cy: "Rhaglen o wrthrychau" },
    seq: ["n0", "ad", "n1"],
    ad: { en: "A row of tiles, each with a symbol. A white frame moves from one to the next.",
          cy: "Rhes o deils, pob un â symbol. Mae ffrâm wen yn symud o un i'r llall." },
    n: [{ en: "Pictures, voices, music, captions and graphics are separate objects, and each one carries rules.",
          cy: "Mae lluniau, lleisiau, cerddoriaeth, capsiynau a graffeg yn wrthrychau ar wahân, a rheolau gan bob un." },
        { en: "The engine reads those rules for every viewer. It mixes every sample and draws every pixel itself.",
          cy: "Mae'r peiriant yn darllen y rheolau i bob gwyliwr. Mae'n cymysgu pob sampl ac yn tynnu pob picsel ei hun." }],
    next: "graphics",
  },
  {
    id: "graphics", duration: 30, optional: 1, title: { en: "Drawn by the engine", cy: "Wedi'u tynnu gan y peiriant" },
    seq: ["n0", "ad", "n1"], card: { start: 14, end: 28 },
    ad: { en: "An orange tile loops over a grid. A card with the viewer's settings appears.",
          cy: "Mae teilsen oren yn dolennu dros grid. Mae cerdyn gyda'ch gosodiadau yn ymddangos." },
    n: [{ en: "The name strap, the logo and this card are not in the video. The engine draws them from a description.",
          cy: "Nid yw'r strap enw, y logo na'r cerdyn hwn yn y fideo. Mae'r peiriant yn eu tynnu o ddisgrifiad." },
        { en: "So they look the same in every browser, and they can show what is true for you.",
          cy: "Felly maen nhw'r un fath ym mhob porwr, a gallant ddangos beth sy'n wir i chi." }],
    next: "screens",
  },
  {
    id: "screens", duration: 30, optional: 2, title: { en: "Every screen", cy: "Pob sgrin" },
    seq: ["n0", "ad", "n1"],
    ad: { en: "A blue tile drifts across a wide screen, and a tall phone slides in.",
          cy: "Mae teilsen las yn symud ar draws sgrin lydan, a ffôn tal yn llithro i mewn." },
    n: [{ en: "On a phone held upright, the layout changes. Each shot marks where its subject is, so the picture is cropped around it.",
          cy: "Ar ffôn sy'n sefyll yn syth, mae'r cynllun yn newid. Mae pob siot yn nodi lle mae'r testun, a'r llun yn cael ei docio o'i gwmpas." },
        { en: "And a sign language interpreter can join you, in a window of their own.",
          cy: "A gall dehonglydd iaith arwyddion ymuno â chi, mewn ffenestr ei hun." }],
    next: "access",
  },
  {
    id: "access", duration: 10, title: { en: "Your choice", cy: "Eich dewis" },
    seq: ["n0"],
    n: [{ en: "What would you like to learn about next? Captions, or sound?",
          cy: "Am beth hoffech chi ddysgu nesaf? Capsiynau, neu sain?" }],
    choice: { at: 4, timeout: 6 },
    effects: [{ asset: "fx-chime", start: 3.8 }],
  },
  {
    id: "captions", duration: 16, title: { en: "Captions", cy: "Capsiynau" },
    seq: ["n0", "ad", "n1"],
    ad: { en: "A figure speaks. Caption bars appear below.", cy: "Mae ffigur yn siarad. Mae capsiynau'n ymddangos." },
    n: [{ en: "Captions are drawn by the engine too,", cy: "Mae'r peiriant yn tynnu'r capsiynau hefyd," },
        { en: "in English from WebVTT, in Welsh from EBU-TT-D, in the size and colours you choose.",
          cy: "yn Saesneg o WebVTT, yn Gymraeg o EBU-TT-D, yn y maint a'r lliwiau a ddewiswch." }],
    next: "length",
  },
  {
    id: "audio", duration: 16, title: { en: "Sound in layers", cy: "Sain mewn haenau" },
    seq: ["n0", "ad", "n1"],
    ad: { en: "Three groups of level meters dance.", cy: "Mae tri grŵp o fesuryddion yn dawnsio." },
    n: [{ en: "Every sound is its own object.", cy: "Mae pob sain yn wrthrych ei hun." },
        { en: "Ask for clearer dialogue, and the music fades first, then the effects, but never the voice.",
          cy: "Gofynnwch am ddeialog gliriach, ac mae'r gerddoriaeth yn pylu gyntaf, yna'r effeithiau, ond byth y llais." }],
    next: "length",
  },
  {
    id: "length", duration: 30, optional: 1, title: { en: "Any length", cy: "Unrhyw hyd" },
    seq: ["n0", "ad", "n1"],
    ad: { en: "Three bars of different lengths, marked three, two and one minutes.",
          cy: "Tri bar o hyd gwahanol: tri, dau ac un munud." },
    n: [{ en: "Short of time? Tell Tessera how long you have. Optional scenes carry priorities,",
          cy: "Dim llawer o amser? Dywedwch wrth Tessera faint sydd gennych chi. Mae gan olygfeydd dewisol flaenoriaeth," },
        { en: "and the least important go first, so this programme runs for one, two or three minutes.",
          cy: "ac mae'r rhai lleiaf pwysig yn mynd gyntaf, felly mae'r rhaglen hon yn para un, dau neu dri munud." }],
    next: "outro",
  },
  {
    id: "outro", duration: 10, title: { en: "Tessera", cy: "Tessera" }, card: { start: 1, end: 9.5 },
    seq: ["n0"],
    n: [{ en: "That was Tessera: one programme, made for every viewer. Thank you for watching.",
          cy: "Dyna oedd Tessera: un rhaglen, i bob gwyliwr. Diolch am wylio." }],
  },
];
const SCENE = Object.fromEntries(SCENES.map((s) => [s.id, s]));
for (const s of SCENES) s.video ??= s.id;

// ---------------------------------------------------------------------------------------------
// Speech
// ---------------------------------------------------------------------------------------------
const VOICES = { en: { voice: "en-gb", wpm: 160 }, cy: { voice: "cy", wpm: 160 } };
const AD_VOICES = { en: { voice: "en-us+f3", wpm: 170 }, cy: { voice: "cy+f3", wpm: 170 } };
const SPEECH_GAIN_DB = -2;
const LEAD = 0.5, GAP = 0.45, AD_GAP = 0.8, TAIL = 0.5;   // seconds

const probeSeconds = (file) => {
  const out = run("ffprobe", ["-v", "error", "-show_entries", "stream=sample_rate,duration_ts", "-of", "json", file]).toString();
  const s = JSON.parse(out).streams[0];
  return Number(s.duration_ts) / Number(s.sample_rate);
};
let lineNo = 0;
const say = (v, text) => {
  const file = path.join(TMP, `line${lineNo++}.wav`);
  run("espeak-ng", ["-v", v.voice, "-s", String(v.wpm), "-w", file, text]);
  return { file, seconds: probeSeconds(file), text };
};

console.log("make-demo: speech (espeak-ng en-gb, cy; description en-us+f3, cy+f3)");
for (const s of SCENES) {
  s.lines = { en: [], cy: [] };      // { kind, text, start, seconds }
  const rendered = {};
  for (const lang of ["en", "cy"]) {
    rendered[lang] = {
      n: s.n.map((p) => say(VOICES[lang], p[lang])),
      ad: s.ad ? say(AD_VOICES[lang], s.ad[lang]) : null,
    };
  }
  let t = LEAD, prevAd = false;
  for (const item of s.seq) {
    const isAd = item === "ad";
    if (isAd || prevAd) t += AD_GAP - GAP;       // room for the duck's attack and release
    const start = r3(t);
    let longest = 0;
    for (const lang of ["en", "cy"]) {
      const r = isAd ? rendered[lang].ad : rendered[lang].n[Number(item.slice(1))];
      s.lines[lang].push({ kind: isAd ? "ad" : "narration", text: r.text, start, seconds: r.seconds, file: r.file });
      longest = Math.max(longest, r.seconds);
    }
    t = start + longest + GAP;
    prevAd = isAd;
  }
  const end = t - GAP;
  if (end > s.duration - TAIL + 1e-9) fail(`scene ${s.id}: speech runs to ${end.toFixed(2)} s, over its ${s.duration} s (less ${TAIL} s)`);
  console.log(`  ${s.id.padEnd(20)} speech ends at ${end.toFixed(2)} s of ${s.duration} s`);
}

// A stem: the lines of one kind and language placed at their start times, summed (they do not
// overlap, so the sum is exact), as a 48 kHz mono float WAV ending TAIL_PAD after the last line.
const stem = (lines, out) => {
  const inputs = [], chains = [];
  lines.forEach((l, i) => {
    inputs.push("-i", l.file);
    chains.push(`[${i}:a]${RESAMPLE},volume=${SPEECH_GAIN_DB}dB,adelay=${Math.round(l.start * RATE)}S[l${i}]`);
  });
  const last = lines[lines.length - 1];
  const n = Math.round((last.start + last.seconds + 0.25) * RATE);
  const mix = lines.length > 1 ? `${lines.map((_, i) => `[l${i}]`).join("")}amix=inputs=${lines.length}:normalize=0:duration=longest,` : `[l0]`;
  const graph = `${chains.join(";")};${mix}${lines.length > 1 ? "" : "anull,"}apad=whole_len=${n},atrim=end_sample=${n}[out]`;
  ffmpeg([...inputs, "-filter_complex", graph, "-map", "[out]", "-c:a", "pcm_f32le", "-f", "wav", out]);
};
const opus = (wav, channels, bitrate, application, out) =>
  ffmpeg(["-i", wav, "-af", OPUS_DELAY, "-c:a", "libopus", "-b:a", bitrate, "-frame_duration", "20", "-application", application,
    "-ac", String(channels), "-ar", String(RATE), ...BITEXACT, "-f", "webm", out]);

console.log("make-demo: narration and description stems");
for (const s of SCENES) {
  for (const lang of ["en", "cy"]) {
    const nar = s.lines[lang].filter((l) => l.kind === "narration");
    stem(nar, path.join(TMP, `n-${s.id}-${lang}.wav`));
    opus(path.join(TMP, `n-${s.id}-${lang}.wav`), 1, "24k", "voip", path.join(OUT, "media", `narration-${s.id}.${lang}.webm`));
    const ad = s.lines[lang].filter((l) => l.kind === "ad");
    if (ad.length) {
      stem(ad, path.join(TMP, `ad-${s.id}-${lang}.wav`));
      opus(path.join(TMP, `ad-${s.id}-${lang}.wav`), 1, "24k", "voip", path.join(OUT, "media", `description-${s.id}.${lang}.webm`));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Music and effects (aevalsrc; noise is its random(0), a fixed sequence)
// ---------------------------------------------------------------------------------------------
const MUSIC_SECONDS = 30, CHORD = 3.75, MUSIC_AMP = 0.02;
const pick = (k, v) => `if(eq(${k},0),${v[0]},if(eq(${k},1),${v[1]},if(eq(${k},2),${v[2]},${v[3]})))`;
const musicChannel = (weights, arpPan) => {
  // C, Am, F, G (3.75 s each, twice): bass and three chord tones, each a sine plus a quarter-level
  // octave, 0.1 s attack and a 1 s release that reaches 0 at the chord change; and a soft
  // arpeggio over the chord tones, eight notes per chord, each decaying.
  const k = `mod(floor(t/${CHORD}),4)`, u = `(t-${CHORD}*floor(t/${CHORD}))`;
  const env = `min(1,${u}/0.1)*min(1,(${CHORD}-${u})/1)`;
  const notes = [[48, 45, 41, 43], [60, 57, 57, 55], [64, 60, 60, 59], [67, 64, 65, 62]].map((v) => pick(k, v));
  const f = (note) => `440*pow(2,(${note}-69)/12)`;
  const pad = notes.map((nt, j) => `${weights[j]}*(sin(2*PI*${f(nt)}*t)+0.25*sin(4*PI*${f(nt)}*t))`).join("+");
  const step = CHORD / 8, sk = `mod(floor(t/${step}),4)`, su = `(t-${step}*floor(t/${step}))`;
  const arpNote = `if(eq(${sk},0),${notes[1]},if(eq(${sk},1),${notes[2]},if(eq(${sk},2),${notes[3]},${notes[2]})))+12`;
  const arp = `${arpPan}*0.6*exp(-${su}*5)*min(1,${su}/0.005)*sin(2*PI*${f(arpNote)}*t)`;
  return `${MUSIC_AMP}*(${env}*(${pad})+${arp})`;
};
console.log("make-demo: music and effects");
ffmpeg(["-f", "lavfi", "-i", `aevalsrc=exprs='${musicChannel([0.8, 1, 0.7, 0.4], 0.6)}|${musicChannel([0.8, 0.4, 0.7, 1], 1)}':s=${RATE}:c=stereo:n=1024,atrim=end_sample=${MUSIC_SECONDS * RATE}`,
  "-c:a", "pcm_f32le", "-f", "wav", path.join(TMP, "music.wav")]);
opus(path.join(TMP, "music.wav"), 2, "40k", "audio", path.join(OUT, "media", "music-bed.webm"));

const EFFECTS = {
  // A whoosh for scene changes: noise under a sin² envelope, band-passed, 1.2 s.
  "fx-whoosh": { seconds: 1.2, expr: "pow(sin(PI*t/1.2),2)*0.9*(2*random(0)-1)", filter: "bandpass=f=900:width_type=o:w=2" },
  // A chime when the choice opens: C6, G6, C7, each decaying, the later ones 0.12 s apart.
  "fx-chime": { seconds: 2, expr: [[1046.5, 0], [1568, 0.12], [2093, 0.24]]
      .map(([f, d]) => `if(gte(t,${d}),0.3*exp(-(t-${d})/0.5)*sin(2*PI*${f}*(t-${d})),0)`).join("+"), filter: "anull" },
  // Nine ticks as the intro's tiles land (see the intro picture: tile i lands at 1.0 + 0.4 i + 1.2 s).
  "fx-tiles": { seconds: 6, expr: Array.from({ length: 9 }, (_, i) => 2.2 + 0.4 * i)
      .map((tk) => `if(between(t,${r3(tk)},${r3(tk + 0.08)}),exp(-(t-${r3(tk)})/0.015)*(0.6*sin(2*PI*1800*(t-${r3(tk)}))+0.3*(2*random(0)-1)),0)`).join("+"),
    filter: "highpass=f=400" },
};
for (const [id, fx] of Object.entries(EFFECTS)) {
  const n = Math.round(fx.seconds * RATE);
  ffmpeg(["-f", "lavfi", "-i", `aevalsrc=exprs='${fx.expr}':s=${RATE}:c=mono:n=1024,atrim=end_sample=${n}`,
    "-af", `${fx.filter},volume=-6dB,atrim=end_sample=${n}`, "-c:a", "pcm_f32le", "-f", "wav", path.join(TMP, `${id}.wav`)]);
  opus(path.join(TMP, `${id}.wav`), 1, "32k", "audio", path.join(OUT, "media", `${id}.webm`));
}

// ---------------------------------------------------------------------------------------------
// Pictures. Each scene's picture is one lavfi graph: a background, colour tiles moved by overlay
// expressions, symbols drawn with drawtext. Language-neutral on purpose: every word on screen is
// an engine-drawn graphic object, chosen by language. Each picture also has a `roi(t)` function
// (normalised) that mirrors the motion of its subject, sampled into regionsOfInterest.
// ---------------------------------------------------------------------------------------------
const ease = (t0, d) => `(st(9,clip((t-${r3(t0)})/${d},0,1))*ld(9)*(3-2*ld(9)))`;   // smoothstep, ffmpeg expr
const easeJs = (t, t0, d) => { const p = Math.min(1, Math.max(0, (t - t0) / d)); return p * p * (3 - 2 * p); };
const hex = (c) => (c.startsWith("#") ? `0x${c.slice(1)}` : c);

class Pic {
  constructor(seconds, bg) {
    this.seconds = seconds; this.parts = []; this.n = 0;
    this.parts.push(`${bg},scale=out_color_matrix=bt709:out_range=tv:flags=bitexact+accurate_rnd+full_chroma_int,format=yuv420p[v0]`);
    this.chain = [];
  }
  tile(colour, w, h, x, y) {     // x, y: ffmpeg expressions of t (top-left)
    const i = this.n++;
    this.parts.push(`color=c=${hex(colour)}:s=${w}x${h}:r=${FPS}:d=${this.seconds}[c${i}]`);
    this.parts.push(`[v${i}][c${i}]overlay=x='${x}':y='${y}':eval=frame:format=yuv420[v${i + 1}]`);
    return this;
  }
  text(s, { size, colour = "white", x, y, bold = false, alpha = "1", enable = null }) {
    this.chain.push(`drawtext=fontfile=${bold ? FONT_BOLD : FONT}:textfile=${textFile(s)}:fontsize=${size}:fontcolor=${hex(colour)}` +
      `:x='${x}':y='${y}':alpha='${alpha}'${enable ? `:enable='${enable}'` : ""}`);
    return this;
  }
  box(colour, x, y, w, h, { enable = null, t = "fill" } = {}) {
    this.chain.push(`drawbox=x=${x}:y=${y}:w=${w}:h=${h}:color=${hex(colour)}:t=${t}${enable ? `:enable='${enable}'` : ""}`);
    return this;
  }
  graph() {
    const last = `[v${this.n}]${this.chain.length ? this.chain.join(",") : "null"}[out]`;
    return [...this.parts, last].join(";");
  }
}
const gradient = (seconds, c0, c1, speed = 0.00001) =>
  `gradients=s=${W}x${H}:r=${FPS}:d=${seconds}:c0=${hex(c0)}:c1=${hex(c1)}:x0=0:y0=0:x1=${W / 3}:y1=${H}:nb_colors=2:seed=7:speed=${speed}`;
const solid = (seconds, c) => `color=c=${hex(c)}:s=${W}x${H}:r=${FPS}:d=${seconds}`;
const box = (cx, cy, w, h) => ({ x: r3(cx / W - w / W / 2), y: r3(cy / H - h / H / 2), width: r3(w / W), height: r3(h / H) });
const PALETTE = ["#e63946", "#f4a261", "#e9c46a", "#2a9d8f", "#457b9d", "#8ecae6", "#b5838d", "#90be6d", "#f28482"];

const PICTURES = {};
// Greetings: a sky with the sun (or moon) moving; the subject is the sun.
const sky = (id, c0, c1, ground, body, bodyColour, from, to, stars) => {
  PICTURES[id] = {
    build(d) {
      const p = new Pic(d, gradient(d, c0, c1));
      if (stars) for (const [x, y] of [[120, 80], [300, 150], [520, 60], [780, 120], [860, 220], [200, 260]])
        p.text("★", { size: 22, colour: "#fff8dc", x, y, alpha: `0.5+0.5*sin(t*2+${x})` });
      p.text(body, { size: 200, colour: bodyColour, x: `${from[0]}+(${to[0] - from[0]})*${ease(0, d)}-text_w/2`,
        y: `${from[1]}+(${to[1] - from[1]})*${ease(0, d)}-text_h/2` });
      p.box(ground, 0, H - 110, W, 110);
      for (let i = 0; i < 6; i++) p.box(PALETTE[i], 60 + i * 150, H - 86, 110, 60);
      return p;
    },
    roi: (t, d) => { const e = easeJs(t, 0, d); return box(from[0] + (to[0] - from[0]) * e, from[1] + (to[1] - from[1]) * e, 220, 220); },
  };
};
sky("greeting-morning", "#ffcf8a", "#7fb3e0", "#3d6b35", "●", "#ffd23f", [300, 420], [420, 230], false);
sky("greeting-afternoon", "#4a90d9", "#a8d4ff", "#4c8a3f", "●", "#fff3a0", [520, 150], [640, 140], false);
sky("greeting-evening", "#1b1440", "#c0584a", "#1f2a1a", "●", "#f0ead6", [700, 300], [620, 160], true);

// Intro: nine tiles fly in from the edges and lock into a 3x3 mosaic (tile i lands at 2.2 + 0.4 i s).
const MOSAIC = { cx: W / 2, cy: 250, size: 100, gap: 12 };
const mosaicCell = (i) => ({ x: MOSAIC.cx - 1.5 * MOSAIC.size - MOSAIC.gap + (i % 3) * (MOSAIC.size + MOSAIC.gap),
  y: MOSAIC.cy - 1.5 * MOSAIC.size - MOSAIC.gap + Math.floor(i / 3) * (MOSAIC.size + MOSAIC.gap) });
PICTURES.intro = {
  build(d) {
    const p = new Pic(d, gradient(d, "#0b1d3a", "#1d3557", 0.002));
    for (let i = 0; i < 9; i++) {
      const c = mosaicCell(i), a = (i * 2 * Math.PI) / 9;
      const sx = Math.round(MOSAIC.cx + 700 * Math.cos(a) - 50), sy = Math.round(MOSAIC.cy + 500 * Math.sin(a) - 50);
      const e = ease(1 + 0.4 * i, 1.2);
      p.tile(PALETTE[i], MOSAIC.size, MOSAIC.size, `${sx}+(${c.x - sx})*${e}`, `${sy}+(${c.y - sy})*${e}`);
    }
    p.text("Tessera", { size: 64, bold: true, x: "(w-text_w)/2", y: 430, alpha: `clip((t-6.5)/1.5,0,1)` });
    return p;
  },
  roi: (t) => box(MOSAIC.cx, MOSAIC.cy + 20, 380, 440),
};

// Objects: a row of five symbol tiles; a white frame moves from one to the next every 5 s.
const ROW = ["▶", "☺", "♪", "CC", "◆"];
const rowX = (i) => 95 + i * 165;
PICTURES.objects = {
  build(d) {
    const p = new Pic(d, gradient(d, "#13233f", "#2b3f66", 0.002));
    const k = `clip(floor((t-2.5)/5),0,4)`;
    p.tile("#ffffff", 150, 150, `${rowX(0) - 10}+165*(${k})`, `165+1000*lt(t,2.5)`);
    ROW.forEach((sym, i) => {
      p.tile(PALETTE[[0, 3, 4, 2, 1][i]], 130, 130, `${rowX(i)}`, `${195}-20*eq(${k},${i})*gte(t,2.5)`);
    });
    ROW.forEach((sym, i) => p.text(sym, { size: sym === "CC" ? 54 : 70, bold: true, x: `${rowX(i) + 65}-text_w/2`,
      y: `${260}-text_h/2-20*eq(${k},${i})*gte(t,2.5)` }));
    p.box("#ffffff40", 60, 380, 840, 4);
    return p;
  },
  roi: (t) => { const k = Math.min(4, Math.max(0, Math.floor((t - 2.5) / 5))); return box(rowX(k) + 65, 250, 200, 240); },
  roiTimes: (d) => [0, ...Array.from({ length: 5 }, (_, k) => [2.5 + 5 * k - 0.01, 2.5 + 5 * k + 0.6]).flat().filter((x) => x > 0), d],
};

// Graphics: an orange tile loops a Lissajous path over a grid, a pen symbol riding on it.
const lissa = (t) => ({ x: 480 + 300 * Math.sin((2 * Math.PI * t) / 15), y: 250 + 110 * Math.sin((2 * Math.PI * t) / 7.5) });
PICTURES.graphics = {
  build(d) {
    const p = new Pic(d, `${solid(d, "#101820")},drawgrid=w=40:h=40:t=1:c=0xffffff@0.12`);
    const lx = `480+300*sin(2*PI*t/15)`, ly = `250+110*sin(2*PI*t/7.5)`;
    p.tile("#f4a261", 110, 110, `${lx}-55`, `${ly}-55`);
    p.text("✎", { size: 80, colour: "#101820", x: `${lx}-text_w/2`, y: `${ly}-text_h/2` });
    return p;
  },
  roi: (t) => { const c = lissa(t); return box(c.x, c.y, 180, 180); },
  roiStep: 0.5,
};

// Screens: a blue tile drifts across a wide screen; at 12 s a tall phone outline slides in around it.
PICTURES.screens = {
  build(d) {
    const p = new Pic(d, gradient(d, "#1a1a2e", "#16213e", 0.002));
    p.box("#ffffff", 80, 60, 800, 420, { t: 6 });
    const tx = `200+560*t/${d}`;
    p.tile("#457b9d", 120, 120, `${tx}-60`, `210`);
    p.tile("#ffffff", 200, 360, `${tx}-100+700*(1-${ease(12, 2)})`, `90`);
    p.tile("#1a1a2e", 184, 344, `${tx}-92+700*(1-${ease(12, 2)})`, `98`);
    p.tile("#8ecae6", 120, 120, `${tx}-60+700*(1-${ease(12, 2)})`, `210`);
    return p;
  },
  roi: (t, d) => box(200 + (560 * t) / d, 270, 220, 380),
  roiStep: 2,
};

// Access (the choice): two big tiles, CC and a note, a question mark pulsing between them.
PICTURES.access = {
  build(d) {
    const p = new Pic(d, gradient(d, "#22223b", "#4a4e69", 0.002));
    p.tile("#2a9d8f", 220, 220, 210, 150).tile("#e76f51", 220, 220, 530, 150);
    p.text("CC", { size: 96, bold: true, x: "320-text_w/2", y: "260-text_h/2" });
    p.text("♪", { size: 130, x: "640-text_w/2", y: "260-text_h/2" });
    p.text("?", { size: 90, bold: true, colour: "#f2e9e4", x: "480-text_w/2", y: "270-text_h/2", alpha: "0.55+0.45*sin(2*PI*t/1.5)" });
    return p;
  },
  roi: () => box(480, 260, 560, 260),
};

// Captions: a simple figure "speaks" (its mouth opens and closes); caption bars appear below.
PICTURES.captions = {
  build(d) {
    const p = new Pic(d, gradient(d, "#2b2d42", "#5c677d", 0.002));
    p.tile("#8d99ae", 220, 170, 370, 250);                       // shoulders
    p.text("●", { size: 220, colour: "#edf2f4", x: "480-text_w/2", y: "180-text_h/2" });
    p.box("#2b2d42", 455, 205, 50, 10, { enable: "lt(mod(t,0.5),0.25)" });
    for (let k = 0; k < 4; k++)
      p.box("#000000c0", 230 + (k % 2) * 60, 430, 500 - (k % 2) * 120, 60, { enable: `between(t,${1 + 3.5 * k},${3.8 + 3.5 * k})` })
        .text("▬▬▬ ▬▬▬▬ ▬▬ ▬▬▬▬▬".slice(0, 18 - (k % 2) * 5), { size: 30, colour: k % 2 ? "#ffff00" : "#ffffff",
          x: "480-text_w/2", y: "460-text_h/2", enable: `between(t,${1 + 3.5 * k},${3.8 + 3.5 * k})` });
    return p;
  },
  roi: () => box(480, 290, 300, 400),
};

// Audio: three groups of five level meters (voice, music, effects) moving to different rhythms.
PICTURES.audio = {
  build(d) {
    const p = new Pic(d, solid(d, "#0d1b2a"));
    const groups = [["☺", "#2a9d8f", 4.1], ["♪", "#9d4edd", 2.3], ["✸", "#f4a261", 6.7]];
    groups.forEach(([sym, colour, f], g) => {
      for (let b = 0; b < 5; b++) {
        const x = 90 + g * 290 + b * 46;
        p.tile(colour, 36, 300, x, `430-30-250*abs(sin(${f}*t+${b * 1.3 + g}))*(0.6+0.4*abs(sin(0.7*t+${b})))`);
      }
      p.text(sym, { size: 70, colour, x: `${90 + g * 290 + 112}-text_w/2`, y: 60 });
    });
    p.box("#0d1b2a", 0, 430, W, H - 430).box("#ffffff60", 60, 430, 840, 3);
    return p;
  },
  roi: () => box(202, 280, 300, 420),
};

// Length: three bars 3:00, 2:00, 1:00, each with a playhead that reaches its end at the scene's end.
PICTURES.length = {
  build(d) {
    const p = new Pic(d, gradient(d, "#1b263b", "#415a77", 0.002));
    [[720, "#e63946"], [480, "#f4a261"], [240, "#2a9d8f"]].forEach(([len, c], i) => p.tile(c, len, 60, 150, 130 + i * 110));
    [720, 480, 240].forEach((len, i) => p.tile("#ffffff", 6, 80, `150+${len}*t/${d}-3`, 120 + i * 110));
    ["3:00", "2:00", "1:00"].forEach((label, i) => p.text(label, { size: 36, bold: true, x: 40, y: 142 + i * 110 }));
    return p;
  },
  roi: (t, d) => box(150 + (480 * t) / d, 240, 300, 380),
  roiStep: 3,
};

// Outro: the mosaic again with the name, on a slowly moving gradient.
PICTURES.outro = {
  build(d) {
    const p = new Pic(d, gradient(d, "#0b1d3a", "#2a9d8f", 0.004));
    for (let i = 0; i < 9; i++) { const c = mosaicCell(i); p.tile(PALETTE[i], MOSAIC.size, MOSAIC.size, `${c.x}`, `${c.y - 20}`); }
    p.text("Tessera", { size: 72, bold: true, x: "(w-text_w)/2", y: 420 });
    return p;
  },
  roi: () => box(MOSAIC.cx, 290, 380, 480),
};

const encodeVideo = (graph, frames, out) =>
  ffmpeg(["-filter_complex", graph, "-map", "[out]", "-frames:v", String(frames), "-r", String(FPS), ...VP9, ...BITEXACT, "-f", "webm", out]);

console.log("make-demo: pictures (VP9)");
const videoIds = [...new Set(SCENES.map((s) => s.video))];
const videoInfo = {};
for (const id of videoIds) {
  const d = SCENES.find((s) => s.video === id).duration, pic = PICTURES[id];
  if (!pic) fail(`no picture for ${id}`);
  encodeVideo(pic.build(d).graph(), d * FPS, path.join(OUT, "media", `picture-${id}.webm`));
  let times;
  if (pic.roiTimes) times = pic.roiTimes(d);
  else if (pic.roiStep) times = Array.from({ length: Math.floor(d / pic.roiStep) + 1 }, (_, i) => i * pic.roiStep);
  else if (pic.roi.length === 2) times = Array.from({ length: Math.floor(d) + 1 }, (_, i) => i);
  else times = [0];
  videoInfo[id] = { duration: d, rois: times.map((t) => ({ at: r3(t), ...pic.roi(t, d) })) };
  console.log(`  picture-${id}.webm`);
}

// The sign-language stand-in: a figure with moving hands, clearly labelled as a placeholder.
console.log("make-demo: sign-language placeholder");
{
  const d = 30;
  const p = new Pic(d, `color=c=0x24343f:s=${SIGN_W}x${SIGN_H}:r=${FPS}:d=${d}`);
  // The Pic helper draws at the demo's size; the signer has its own.
  p.tile("#3a5a72", 200, 150, 44, 170);                         // body
  p.text("●", { size: 120, colour: "#c9a27e", x: "144-text_w/2", y: "95-text_h/2" });
  p.text("●", { size: 54, colour: "#e0b892", x: "100-text_w/2+34*sin(2*PI*t/1.3)", y: "200-text_h/2-40*abs(sin(2*PI*t/1.9))" });
  p.text("●", { size: 54, colour: "#e0b892", x: "188-text_w/2+30*sin(2*PI*t/1.7+1)", y: "200-text_h/2-46*abs(sin(2*PI*t/1.1+0.5))" });
  p.box("#000000b0", 0, SIGN_H - 52, SIGN_W, 52);
  p.text("BSL interpreter", { size: 20, bold: true, x: "(w-text_w)/2", y: SIGN_H - 48 });
  p.text("(placeholder)", { size: 18, colour: "#ffd166", x: "(w-text_w)/2", y: SIGN_H - 24 });
  encodeVideo(p.graph(), d * FPS, path.join(OUT, "media", "signer-placeholder.webm"));
}

// ---------------------------------------------------------------------------------------------
// Captions: English WebVTT, Welsh EBU-TT-D, one file per scene (cue times from the scene's start).
// A narration part becomes one or more cues (split at sentence ends, then at commas, at most about
// 80 characters), timed in proportion to their length over the part's measured speech.
// ---------------------------------------------------------------------------------------------
const splitCues = (text) => {
  const sentences = text.match(/[^.?!:]+[.?!:]?/g).map((s) => s.trim()).filter(Boolean);
  const out = [];
  for (const s of sentences) {
    if (s.length <= 80) { out.push(s); continue; }
    const parts = s.split(/(?<=,)\s+/); let cur = "";
    for (const q of parts) { if (cur && (cur + " " + q).length > 80) { out.push(cur); cur = q; } else cur = cur ? `${cur} ${q}` : q; }
    if (cur) out.push(cur);
  }
  return out;
};
const wrap = (s) => {            // two lines when over 40 characters, broken at the space nearest the middle
  if (s.length <= 40) return [s];
  let best = -1;
  for (let i = 0; i < s.length; i++) if (s[i] === " " && (best < 0 || Math.abs(i - s.length / 2) < Math.abs(best - s.length / 2))) best = i;
  return best < 0 ? [s] : [s.slice(0, best), s.slice(best + 1)];
};
const cuesOf = (lines) => {
  const cues = [];
  for (const l of lines.filter((x) => x.kind === "narration")) {
    const chunks = splitCues(l.text), total = chunks.reduce((a, c) => a + c.length, 0);
    const t0 = l.start + 0.05, span = Math.max(0.5, l.seconds - 0.25);
    let t = t0;
    for (const c of chunks) { const e = t + (span * c.length) / total; cues.push({ start: r3(t), end: r3(e), lines: wrap(c) }); t = e; }
  }
  return cues;
};
const ts = (s) => { const ms = Math.round(s * 1000); const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, sec = Math.floor(ms / 1000) % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}.${String(ms % 1000).padStart(3, "0")}`; };
const escVtt = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escXml = (s) => escVtt(s).replace(/"/g, "&quot;");
console.log("make-demo: captions (WebVTT en, EBU-TT-D cy)");
for (const s of SCENES) {
  const en = cuesOf(s.lines.en);
  fs.writeFileSync(path.join(OUT, "captions", `${s.id}.en.vtt`),
    `WEBVTT\n\nNOTE Tessera demo, scene "${s.id}", English narration. Generated by scripts/make-demo.sh; times from the scene's start.\n\n` +
    en.map((c, i) => `${s.id}-${i + 1}\n${ts(c.start)} --> ${ts(c.end)}\n${c.lines.map(escVtt).join("\n")}\n`).join("\n"));
  const cy = cuesOf(s.lines.cy);
  const ps = cy.map((c, i) => `      <p xml:id="${s.id}-${i + 1}" region="bottom" begin="${ts(c.start)}" end="${ts(c.end)}">` +
    c.lines.map((l) => `<span style="white">${escXml(l)}</span>`).join("<br/>") + "</p>").join("\n");
  fs.writeFileSync(path.join(OUT, "captions", `${s.id}.cy.ttml`), `<?xml version="1.0" encoding="UTF-8"?>
<!-- Tessera demo, scene "${s.id}", Welsh narration, EBU-TT-D. Generated by scripts/make-demo.sh; times from the scene's start. -->
<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling"
    xmlns:ttp="http://www.w3.org/ns/ttml#parameter" xmlns:ttm="http://www.w3.org/ns/ttml#metadata"
    xmlns:ebuttm="urn:ebu:tt:metadata" xmlns:ebutts="urn:ebu:tt:style"
    xml:lang="cy" xml:space="default" ttp:timeBase="media" ttp:cellResolution="32 15">
  <head>
    <metadata>
      <ebuttm:documentMetadata>
        <ebuttm:conformsToStandard>urn:ebu:tt:distribution:2014-01</ebuttm:conformsToStandard>
      </ebuttm:documentMetadata>
    </metadata>
    <styling>
      <style xml:id="defaultStyle" tts:fontFamily="proportionalSansSerif, default" tts:fontSize="100%" tts:lineHeight="120%"
             tts:textAlign="center" ebutts:linePadding="0.5c" ebutts:multiRowAlign="center"/>
      <style xml:id="white" tts:color="#FFFFFF" tts:backgroundColor="#000000C2"/>
    </styling>
    <layout>
      <region xml:id="bottom" tts:origin="10% 10%" tts:extent="80% 80%" tts:displayAlign="after" tts:writingMode="lrtb"/>
    </layout>
  </head>
  <body style="defaultStyle">
    <div>
${ps}
    </div>
  </body>
</tt>
`);
}

// ---------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------
const integrated = (file) => {      // ebur128 prints its summary on stderr
  const r = spawnSync("ffmpeg", ["-hide_banner", "-nostats", "-nostdin", "-i", file, "-map", "0:a:0", "-af", "ebur128", "-f", "null", "-"],
    { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
  const m = r.stderr.toString().match(/Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+) LUFS/);
  if (r.status !== 0 || !m) fail(`no loudness for ${file}`);
  return Number(m[1]);
};
const decodedSeconds = (file) => {
  const b = execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", file, "-map", "0:a:0", "-f", "f32le", "-ac", "1", "-"],
    { maxBuffer: 1 << 30 });
  return Math.round((b.length / 4 / RATE) * 1e6) / 1e6;
};

// ---------------------------------------------------------------------------------------------
// The programme
// ---------------------------------------------------------------------------------------------
console.log("make-demo: programme.json (measuring loudness)");
const v = (name) => ({ var: name });
const eq = (a, b) => ({ "==": [a, b] });
const langIs = (l) => eq(v("language"), l);
const assets = {};
const audio = (id, file, extra) => {
  const p = path.join(OUT, "media", file);
  assets[id] = { type: "audio", src: `media/${file}`, duration: decodedSeconds(p), ...extra, loudness: integrated(p) };
};
for (const s of SCENES) {
  for (const lang of ["en", "cy"]) {
    audio(`narration-${s.id}-${lang}`, `narration-${s.id}.${lang}.webm`, { language: lang, role: "narration", importance: 3 });
    if (s.ad) {
      audio(`description-${s.id}-${lang}`, `description-${s.id}.${lang}.webm`, { language: lang, role: "description", importance: 3 });
      assets[`description-${s.id}-${lang}`].duck = { depth: -12, attack: 0.25, release: 0.5 };
    }
  }
}
audio("music-bed", "music-bed.webm", { role: "music", importance: 1 });
for (const id of Object.keys(EFFECTS)) audio(id, `${id}.webm`, { role: "effects", importance: 2 });
for (const id of videoIds) {
  assets[`picture-${id}`] = { type: "video", src: `media/picture-${id}.webm`, duration: videoInfo[id].duration, role: "other",
    regionsOfInterest: videoInfo[id].rois };
}
assets.signer = { type: "video", src: "media/signer-placeholder.webm", duration: 30, role: "sign" };
for (const s of SCENES) {
  assets[`captions-${s.id}-en`] = { type: "captions", src: `captions/${s.id}.en.vtt`, language: "en", format: "webvtt" };
  assets[`captions-${s.id}-cy`] = { type: "captions", src: `captions/${s.id}.cy.ttml`, language: "cy", format: "ttml" };
}
assets["ui-font"] = { type: "font", src: "../fonts/DejaVuSans.ttf" };

// Graphics drawn by the engine.
assets.logo = { type: "graphic", graphic: { width: 320, height: 90, elements: [
  ...[[0, 0, "#e63946"], [1, 0, "#e9c46a"], [0, 1, "#2a9d8f"], [1, 1, "#457b9d"]].map(([i, j, fill]) =>
    ({ type: "path", d: `M${12 + i * 36} ${9 + j * 36} h32 v32 h-32 Z`, fill })),
  { type: "text", x: 92, y: 20, width: 228, text: "Tessera", font: "ui-font", size: 44, fill: "#000000a0" },
  { type: "text", x: 90, y: 18, width: 228, text: "Tessera", font: "ui-font", size: 44, fill: "#ffffff" },
] } };
const slide = [{ at: 0, x: -740, easing: "ease-out" }, { at: 0.6, x: 0 }];
for (const s of SCENES.filter((x) => !x.greeting)) for (const lang of ["en", "cy"]) {
  assets[`strap-${s.id}-${lang}`] = { type: "graphic", graphic: { width: 700, height: 100, elements: [
    { type: "rect", id: "panel", x: 0, y: 6, width: 690, height: 88, radius: 12, fill: "#1d3557e6", keyframes: slide },
    { type: "rect", id: "accent", x: 0, y: 6, width: 10, height: 88, fill: "#e63946", keyframes: slide },
    { type: "text", id: "title", x: 28, y: 14, width: 650, text: s.title[lang], font: "ui-font", size: 36, fill: "#ffffff", maxLines: 1, keyframes: slide },
    { type: "text", id: "subtitle", x: 28, y: 58, width: 650, text: SUBTITLE[lang], font: "ui-font", size: 22, fill: "#f1faeecc", maxLines: 1,
      keyframes: [{ at: 0.4, opacity: 0 }, { at: 0.9, opacity: 1, easing: "ease-in-out" }] },
  ] } };
}
for (const [id, g] of Object.entries(GREETINGS)) for (const lang of ["en", "cy"]) {
  assets[`title-${id}-${lang}`] = { type: "graphic", graphic: { width: 800, height: 140, elements: [
    { type: "text", x: 4, y: 24, width: 800, text: g[lang], font: "ui-font", size: 84, fill: "#00000080", align: "centre", maxLines: 1,
      keyframes: [{ at: 0, opacity: 0, scale: 0.9, easing: "ease-out" }, { at: 0.8, opacity: 1, scale: 1 }] },
    { type: "text", x: 0, y: 20, width: 800, text: g[lang], font: "ui-font", size: 84, fill: "#ffffff", align: "centre", maxLines: 1,
      keyframes: [{ at: 0, opacity: 0, scale: 0.9, easing: "ease-out" }, { at: 0.8, opacity: 1, scale: 1 }] },
  ] } };
}
const CARD = {
  en: { title: "Made for you", lines: ["Language: {language} · Screen: {orientation}", "Hour: {timeOfDay} · Dialogue balance: {dialogueBalance}"] },
  cy: { title: "Wedi'i wneud i chi", lines: ["Iaith: {language} · Sgrin: {orientation}", "Awr: {timeOfDay} · Cydbwysedd deialog: {dialogueBalance}"] },
};
for (const lang of ["en", "cy"]) {
  assets[`card-${lang}`] = { type: "graphic", graphic: { width: 700, height: 180, elements: [
    { type: "rect", id: "card", x: 2, y: 2, width: 696, height: 176, radius: 18, fill: "#f1faeef0", stroke: "#457b9d", strokeWidth: 3,
      anchor: { x: 0.5, y: 1 }, keyframes: [{ at: 0, scale: 0.8, opacity: 0, easing: [0.2, 0.8, 0.3, 1.2] }, { at: 0.4, scale: 1, opacity: 1 }] },
    ...[[0, 0, "#e63946"], [1, 0, "#e9c46a"], [0, 1, "#2a9d8f"], [1, 1, "#457b9d"]].map(([i, j, fill]) =>
      ({ type: "path", d: `M${24 + i * 34} ${24 + j * 34} h30 v30 h-30 Z`, fill, keyframes: [{ at: 0.2, opacity: 0 }, { at: 0.5, opacity: 1 }] })),
    { type: "text", id: "title", x: 110, y: 18, width: 570, text: CARD[lang].title, font: "ui-font", size: 36, fill: "#1d3557", maxLines: 1 },
    { type: "path", id: "underline", d: "M110 66 C 180 58 260 72 340 62", stroke: "#e63946", strokeWidth: 4 },
    { type: "text", id: "line1", x: 110, y: 84, width: 570, text: CARD[lang].lines[0], font: "ui-font", size: 24, fill: "#1d3557", maxLines: 1 },
    { type: "text", id: "line2", x: 110, y: 122, width: 570, text: CARD[lang].lines[1], font: "ui-font", size: 24, fill: "#1d3557cc", maxLines: 1 },
  ] } };
}

const WHOOSH_SCENES = new Set(["objects", "graphics", "screens", "captions", "audio", "length", "outro"]);
const MUSIC_GAIN = -12, FX_GAIN = -6;   // under the narration, after loudness normalisation to the same target
const scenes = {};
for (const s of SCENES) {
  const d = s.duration, objects = [];
  objects.push({ id: "picture", asset: `picture-${s.video}`, region: "main", layer: 0 });
  objects.push({ id: "signer", asset: "signer", end: d, region: "pip", layer: 3, when: v("signLanguage"), fadeIn: 0.3, fadeOut: 0.3 });
  if (s.greeting) {
    for (const lang of ["en", "cy"]) objects.push({ id: `title-${lang}`, asset: `title-${s.id}-${lang}`, start: 0.3, end: d - 0.3, region: "title", layer: 2, when: langIs(lang) });
  } else {
    for (const lang of ["en", "cy"]) objects.push({ id: `strap-${lang}`, asset: `strap-${s.id}-${lang}`, start: 0.5, end: Math.min(d - 0.5, 6.5), region: "strap", layer: 2, when: langIs(lang) });
  }
  objects.push({ id: "logo", asset: "logo", end: d, region: "logo", layer: 4 });
  if (s.card) for (const lang of ["en", "cy"]) objects.push({ id: `card-${lang}`, asset: `card-${lang}`, start: s.card.start, end: s.card.end, region: "card", layer: 2, when: langIs(lang) });
  for (const lang of ["en", "cy"]) objects.push({ id: `narration-${lang}`, asset: `narration-${s.id}-${lang}`, start: 0, when: langIs(lang) });
  // Description objects are not gated on audioDescription: the mixer plays them only while it is
  // on, so turning it on is a ramp in the mix, not a new decoder (docs/programme-format.md).
  if (s.ad) for (const lang of ["en", "cy"]) objects.push({ id: `description-${lang}`, asset: `description-${s.id}-${lang}`, start: 0,
    when: langIs(lang) });
  objects.push({ id: "music", asset: "music-bed", start: 0, end: d, gain: MUSIC_GAIN, fadeIn: 0.8, fadeOut: 0.8 });
  if (WHOOSH_SCENES.has(s.id)) objects.push({ id: "whoosh", asset: "fx-whoosh", start: 0, gain: FX_GAIN });
  for (const [i, fx] of (s.effects ?? []).entries()) objects.push({ id: `effect-${i + 1}`, asset: fx.asset, start: fx.start, gain: FX_GAIN });
  const capLang = { var: ["captionsLanguage", v("language")] };
  for (const lang of ["en", "cy"]) objects.push({ id: `captions-${lang}`, asset: `captions-${s.id}-${lang}`, start: 0, end: d,
    when: { and: [v("captions"), eq(capLang, lang)] } });
  const scene = { title: s.title.en, duration: d, objects };
  if (s.optional) scene.optional = { priority: s.optional };
  if (!s.greeting && s.id !== "intro") scene.transition = { kind: "dip", duration: 0.6, colour: "#000000" };
  if (s.choice) scene.choice = {
    prompt: "What next? · Beth nesaf?",
    options: [
      { id: "captions", label: "Learn about captions · Capsiynau", scene: "captions" },
      { id: "audio", label: "Learn about sound · Sain", scene: "audio" },
    ],
    timeout: s.choice.timeout, default: "captions", at: s.choice.at, oneShot: true,
  };
  else if (s.next) scene.next = [{ scene: s.next }];
  scenes[s.id] = scene;
}

const programme = {
  format: "tessera-programme",
  version: 1,
  id: "tessera-demo",
  title: "Tessera: one programme, made for every viewer",
  description: "The demo programme: a three-minute explainer about object-based media, in English or Welsh, with captions, audio description, a sign-language placeholder, landscape and portrait layouts, 1-, 2- and 3-minute versions, a choice and a time-of-day greeting. Generated by scripts/make-demo.sh; see public/demo/README.md.",
  variables: {
    orientation: { type: "string", default: "landscape", values: ["landscape", "portrait", "square"], context: "orientation" },
    language: { type: "string", default: "en", values: ["en", "cy"], context: "language", description: "Narration, on-screen text and default caption language" },
    captions: { type: "boolean", default: false, context: "captions" },
    signLanguage: { type: "boolean", default: false, context: "signLanguage" },
    audioDescription: { type: "boolean", default: false, context: "audioDescription" },
    dialogueBalance: { type: "number", default: 0, min: 0, max: 1, context: "dialogueBalance" },
    timeAvailable: { type: "number", default: 0, min: 0, context: "timeAvailable", description: "0 = no limit; 60, 120 and 180 give the three versions" },
    timeOfDay: { type: "number", default: 12, min: 0, max: 24, context: "timeOfDay", description: "Chooses the greeting" },
  },
  assets,
  layouts: {
    portrait: {
      when: eq(v("orientation"), "portrait"),
      width: 720, height: 1280,
      safeArea: { x: 36, y: 64, width: 648, height: 1152 },
      regions: {
        main: { x: 0, y: 0, width: 720, height: 1280, fit: "roi" },
        pip: { x: 414, y: 226, width: 270, height: 280, fit: "contain" },
        strap: { x: 36, y: 120, width: 648, height: 93 },
        title: { x: 36, y: 470, width: 648, height: 114 },
        logo: { x: 500, y: 40, width: 184, height: 52 },
        card: { x: 36, y: 520, width: 648, height: 167 },
      },
    },
    landscape: {
      width: 1280, height: 720,
      safeArea: { x: 64, y: 36, width: 1152, height: 648 },
      regions: {
        main: { x: 0, y: 0, width: 1280, height: 720, fit: "cover" },
        pip: { x: 948, y: 150, width: 288, height: 320, fit: "contain" },
        strap: { x: 64, y: 44, width: 560, height: 80 },
        title: { x: 240, y: 100, width: 800, height: 140 },
        logo: { x: 1060, y: 44, width: 176, height: 50 },
        card: { x: 64, y: 300, width: 560, height: 144 },
      },
    },
  },
  beginnings: [
    { scene: "greeting-morning", when: GREETINGS["greeting-morning"].when },
    { scene: "greeting-afternoon", when: GREETINGS["greeting-afternoon"].when },
    { scene: "greeting-evening" },
  ],
  scenes,
};
fs.writeFileSync(path.join(OUT, "programme.json"), JSON.stringify(programme, null, 2) + "\n");

// A summary of the speech timing, for the README and for checking.
const timing = SCENES.map((s) => ({ scene: s.id, duration: s.duration,
  lines: s.lines.en.map((l, i) => ({ kind: l.kind, start: l.start, en: r3(l.seconds), cy: r3(s.lines.cy[i].seconds) })) }));
fs.writeFileSync(path.join(TMP, "timing.json"), JSON.stringify(timing, null, 2));
JS

export OUT TMP FONT FONT_BOLD
node "$TMP/make-demo.mjs"

total=0
while IFS= read -r f; do
  size="$(stat -c %s "$f")"
  total=$((total + size))
  printf '  %-48s %9d bytes\n' "${f#"$OUT"/}" "$size"
done < <(find "$OUT" -type f | LC_ALL=C sort)
printf 'make-demo: total %d bytes (%.2f MB) in public/demo\n' "$total" "$(awk -v t="$total" 'BEGIN { print t / 1e6 }')"
