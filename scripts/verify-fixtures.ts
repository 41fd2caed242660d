// Verifies the generated test media in fixtures/media against fixtures/media/manifest.json by
// decoding it with ffmpeg (every video frame's FRAME STRIP and flash, every click's position, the
// tone's exact samples) and demuxing it with Mediabunny (codec strings, first timestamps).
// Run: npx tsx scripts/verify-fixtures.ts   (make-fixtures.sh runs it last). Exits 1 on a mismatch.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { FRAME_STRIP_HEIGHT_DIVISOR, readFrameStrip } from '../src/media/frame-strip';
import { FIXTURE_MEDIA_DIR, type FixtureAudio, type FixtureFile, type FixtureManifest, type FixtureVideo } from '../src/media/fixture-manifest';

const MEDIA = FIXTURE_MEDIA_DIR;


let failures = 0;
function check(ok: boolean, what: string): void {
  if (!ok) {
    failures++;
    console.error(`  FAIL ${what}`);
  }
}
const note = (s: string) => console.log(`  ${s}`);

function ffprobeJson(file: string, args: string[]): any {
  const out = execFileSync('ffprobe', ['-v', 'error', '-of', 'json', ...args, file], { maxBuffer: 64 << 20 });
  return JSON.parse(out.toString('utf8'));
}

/** Streams every decoded frame as RGBA to `onFrame`; resolves with the frame count. */
function decodeVideo(file: string, w: number, h: number, onFrame: (rgba: Uint8Array, i: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const ff = spawn('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-map', '0:v:0', '-fps_mode', 'passthrough',
      '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
    const size = w * h * 4;
    let pending: Buffer = Buffer.alloc(0);
    let n = 0;
    let stderr = '';
    ff.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    ff.stdout.on('data', (d: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      while (pending.length >= size) {
        onFrame(new Uint8Array(pending.buffer, pending.byteOffset, size), n++);
        pending = pending.subarray(size);
      }
    });
    ff.on('error', reject);
    ff.on('close', (code) => {
      if (code !== 0) reject(new Error(`ffmpeg video decode of ${file} failed: ${stderr}`));
      else if (pending.length) reject(new Error(`${file}: ${pending.length} stray bytes after ${n} frames`));
      else resolve(n);
    });
  });
}

/** Decoded audio, interleaved float32, as ffmpeg presents it (priming removed). */
function decodeAudio(file: string): Float32Array {
  const buf = execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-map', '0:a:0', '-f', 'f32le', '-'], {
    maxBuffer: 256 << 20,
  });
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function luma(rgba: Uint8Array, o: number): number {
  return 0.2126 * rgba[o]! + 0.7152 * rgba[o + 1]! + 0.0722 * rgba[o + 2]!;
}

async function verifyVideo(file: string, v: FixtureVideo): Promise<void> {
  // Packets: count and key frames (ffprobe's view).
  const pk = ffprobeJson(file, ['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags']);
  const packets: { pts_time: string; flags: string }[] = pk.packets;
  check(packets.length === v.frameCount, `video packets ${packets.length} != ${v.frameCount}`);
  const keys = packets.flatMap((p, i) => (p.flags.includes('K') ? [i] : []));
  const expectKeys = Array.from({ length: Math.ceil(v.frameCount / v.keyframeInterval) }, (_, k) => k * v.keyframeInterval);
  check(JSON.stringify(keys) === JSON.stringify(expectKeys), `key frames at ${keys.join(',')}, expected ${expectKeys.join(',')}`);
  note(`video: ${packets.length} packets, key frames at ${keys.join(', ')}; first pts ${packets[0]?.pts_time} s (ffprobe)`);

  const st = ffprobeJson(file, ['-select_streams', 'v:0', '-show_entries',
    'stream=width,height,r_frame_rate,color_space,color_primaries,color_transfer,color_range']).streams[0];
  check(st.width === v.width && st.height === v.height, `size ${st.width}x${st.height}`);
  check(st.r_frame_rate === `${v.fps}/1`, `frame rate ${st.r_frame_rate}`);
  if (v.colour === 'untagged') {
    for (const k of ['color_space', 'color_primaries', 'color_transfer']) {
      check(st[k] === undefined || st[k] === 'unknown', `untagged stream has ${k}=${st[k]}`);
    }
  } else {
    check(st.color_space === v.colour.matrix && st.color_primaries === v.colour.primaries &&
      st.color_transfer === v.colour.transfer && st.color_range === (v.colour.fullRange ? 'pc' : 'tv'),
      `colour tags ${st.color_space}/${st.color_primaries}/${st.color_transfer}/${st.color_range}`);
  }
  note(`colour: ${st.color_space ?? 'unknown'}/${st.color_primaries ?? 'unknown'}/${st.color_transfer ?? 'unknown'}, range ${st.color_range ?? 'unknown'}`);

  // Every frame: strip reads its index; flash frames white below the strip, others not.
  const stripH = Math.round(v.height / FRAME_STRIP_HEIGHT_DIVISOR);
  const flashes = new Set(v.flashFrames);
  let stripErrors = 0;
  let minFlashLuma = 255;
  let minFlashMean = 255;
  let maxOtherMean = 0;
  const count = await decodeVideo(file, v.width, v.height, (rgba, i) => {
    const r = readFrameStrip(rgba, v.width, v.height);
    if (!('frame' in r) || r.frame !== i) {
      if (stripErrors++ < 5) check(false, `frame ${i}: strip reads ${JSON.stringify(r)}`);
    }
    let sum = 0;
    let min = 255;
    for (let y = stripH; y < v.height; y++) {
      for (let x = 0, o = y * v.width * 4; x < v.width; x++, o += 4) {
        const l = luma(rgba, o);
        sum += l;
        if (l < min) min = l;
      }
    }
    const mean = sum / ((v.height - stripH) * v.width);
    if (flashes.has(i)) {
      minFlashLuma = Math.min(minFlashLuma, min);
      minFlashMean = Math.min(minFlashMean, mean);
      check(mean >= 254 && min >= 240, `flash frame ${i}: below-strip mean luma ${mean.toFixed(2)}, min ${min.toFixed(1)}`);
    } else {
      maxOtherMean = Math.max(maxOtherMean, mean);
      check(mean < 160, `frame ${i} looks like a flash (mean luma ${mean.toFixed(1)})`);
    }
  });
  check(stripErrors === 0, `${stripErrors} frames with a wrong or unreadable strip`);
  check(count === v.frameCount, `decoded ${count} frames, manifest says ${v.frameCount}`);
  note(`decoded ${count} frames, strip read exactly on ${count - stripErrors}; flash frames ${v.flashFrames.join(', ')}: ` +
    `min mean luma ${minFlashMean.toFixed(2)}, min pixel luma ${minFlashLuma.toFixed(1)}; max mean luma elsewhere ${maxOtherMean.toFixed(1)}`);
}

/** First decoded audio frame's timestamp as ffprobe reports it (after priming is dropped). */
function firstDecodedAudioTime(file: string): number {
  const j = ffprobeJson(file, ['-select_streams', 'a:0', '-read_intervals', '%+#2', '-show_entries',
    'frame=pts_time,best_effort_timestamp_time,nb_samples']);
  const f = j.frames?.[0];
  return Number(f?.best_effort_timestamp_time ?? f?.pts_time ?? 0);
}

function verifyAudio(file: string, a: FixtureAudio): void {
  const st = ffprobeJson(file, ['-select_streams', 'a:0', '-show_entries', 'stream=sample_rate,channels,codec_name']).streams[0];
  check(Number(st.sample_rate) === a.sampleRate, `sample rate ${st.sample_rate}`);
  check(st.channels === a.channels, `channels ${st.channels}`);
  const firstPkt = ffprobeJson(file, ['-select_streams', 'a:0', '-read_intervals', '%+#1', '-show_entries', 'packet=pts_time'])
    .packets?.[0]?.pts_time;
  const t0 = firstDecodedAudioTime(file);
  const pcm = decodeAudio(file);
  const ch = a.channels;
  const frames = pcm.length / ch;
  const expected = Math.round(a.durationSeconds * a.sampleRate);
  note(`audio ${st.codec_name}: first packet pts ${firstPkt} s, first decoded frame at ${t0} s (ffprobe); ` +
    `decoded ${frames} samples/channel, manifest duration ${expected}${frames !== expected ? ` (${frames - expected > 0 ? '+' : ''}${frames - expected})` : ''}`);
  // Click times below are measured from the first decoded sample, placed at t0.
  check(Math.abs(t0) <= 0.0005, `first decoded audio frame at ${t0} s, expected 0`);
  // The decoded length may exceed the manifest by less than one codec frame of tail padding
  // (ffmpeg 5.1 does not trim the last AAC frame of an MP4 to its stts duration).
  check(frames >= expected && frames - expected < 1024, `decoded ${frames} samples, expected ${expected}`);

  if (a.frequencyHz !== undefined && a.peakSampleValue !== undefined) {
    // Exact PCM: every sample equals the formula, on both channels.
    let bad = 0;
    for (let n = 0; n < frames; n++) {
      const want = Math.round(a.peakSampleValue * Math.sin((2 * Math.PI * a.frequencyHz * n) / a.sampleRate));
      for (let c = 0; c < ch; c++) if (Math.round(pcm[n * ch + c]! * 32768) !== want) bad++;
    }
    check(bad === 0, `${bad} tone samples differ from round(${a.peakSampleValue}·sin(2π·${a.frequencyHz}·n/${a.sampleRate}))`);
    let peak = 0;
    for (const s of pcm) peak = Math.max(peak, Math.abs(s));
    note(`tone: all samples exact; peak ${Math.round(peak * 32768)} = ${(20 * Math.log10(peak)).toFixed(4)} dBFS`);
    return;
  }

  // Loudness sanity: not silent.
  let sq = 0;
  for (const s of pcm) sq += s * s;
  const rms = Math.sqrt(sq / pcm.length);
  check(rms > 0.005, `audio is (nearly) silent: rms ${rms}`);

  if (a.clickTimesSeconds.length || /click/.test(a.content)) {
    // Click onsets: first sample above 0.45 (the tone peaks at 0.1, clicks at 0.8) after at least
    // 50 ms below it; per channel.
    const thr = 0.45;
    const quiet = Math.round(0.05 * a.sampleRate);
    for (let c = 0; c < ch; c++) {
      const onsets: number[] = [];
      let last = -Infinity;
      for (let n = 0; n < frames; n++) {
        if (Math.abs(pcm[n * ch + c]!) > thr) {
          if (n - last > quiet) onsets.push(n);
          last = n;
        }
      }
      const times = onsets.map((n) => t0 + n / a.sampleRate);
      check(times.length === a.clickTimesSeconds.length,
        `channel ${c}: ${times.length} clicks at ${times.map((t) => t.toFixed(4)).join(', ')}, expected ${a.clickTimesSeconds.join(', ')}`);
      const offsetsMs = a.clickTimesSeconds.map((t, k) => ((times[k] ?? NaN) - t) * 1000);
      for (const [k, d] of offsetsMs.entries()) {
        check(Math.abs(d) <= 1, `channel ${c}: click ${k} at ${(times[k] ?? NaN).toFixed(5)} s, expected ${a.clickTimesSeconds[k]} s`);
      }
      note(`channel ${c}: click onsets − flash times (ms): ${offsetsMs.map((d) => d.toFixed(3)).join(', ')}`);
    }
  }
}

async function verifyWithMediabunny(file: string, e: FixtureFile): Promise<void> {
  const input = new Input({ source: new BufferSource(fs.readFileSync(file)), formats: ALL_FORMATS });
  const parts: string[] = [];
  const vt = await input.getPrimaryVideoTrack();
  if (e.video) {
    if (!vt) {
      check(false, 'Mediabunny finds no video track');
    } else {
      const codec = await vt.getCodecParameterString();
      check(codec === e.video.codec, `Mediabunny video codec ${codec}, manifest ${e.video.codec}`);
      const first = await vt.getFirstTimestamp();
      check(Math.abs(first - e.video.firstTimestampSeconds) < 1e-6, `Mediabunny first video timestamp ${first}`);
      parts.push(`video ${codec} first ${first} s`);
    }
  }
  const at = await input.getPrimaryAudioTrack();
  if (e.audio) {
    if (!at) {
      check(false, 'Mediabunny finds no audio track');
    } else {
      const codec = await at.getCodecParameterString();
      check(codec === e.audio.codec, `Mediabunny audio codec ${codec}, manifest ${e.audio.codec}`);
      const sink = new EncodedPacketSink(at);
      const p = await sink.getFirstPacket();
      const first = p?.timestamp ?? NaN;
      check(Math.abs(first - e.audio.firstPacketTimestampSeconds) < 1e-5,
        `Mediabunny first audio packet at ${first}, manifest ${e.audio.firstPacketTimestampSeconds}`);
      const cfg = await at.getDecoderConfig();
      let preSkip = '';
      if (codec === 'opus' && cfg?.description) {
        const desc = cfg.description;
        const d = ArrayBuffer.isView(desc) ? new Uint8Array(desc.buffer, desc.byteOffset, desc.byteLength) : new Uint8Array(desc);
        const skip = d[10]! | (d[11]! << 8);
        check(skip === e.audio.primingSamples, `OpusHead pre-skip ${skip}, manifest ${e.audio.primingSamples}`);
        preSkip = `, OpusHead pre-skip ${skip}`;
      }
      parts.push(`audio ${codec} first packet ${first} s${preSkip}`);
    }
  }
  parts.push(`duration ${await input.computeDuration()} s`);
  note(`Mediabunny: ${parts.join('; ')}`);
}

async function main(): Promise<void> {
  const manifest: FixtureManifest = JSON.parse(fs.readFileSync(path.join(MEDIA, 'manifest.json'), 'utf8'));
  let total = 0;
  for (const e of manifest.files) {
    const file = path.join(MEDIA, e.name);
    const size = fs.statSync(file).size;
    total += size;
    console.log(`${e.name} (${(size / 1024).toFixed(1)} KiB)`);
    const before = failures;
    if (e.video) await verifyVideo(file, e.video);
    if (e.audio) verifyAudio(file, e.audio);
    await verifyWithMediabunny(file, e);
    if (failures === before) note('ok');
  }
  const listed = new Set([...manifest.files.map((f) => f.name), 'manifest.json']);
  for (const f of fs.readdirSync(MEDIA)) check(listed.has(f), `${f} is in fixtures/media but not in the manifest`);
  console.log(`total ${(total / 1024 / 1024).toFixed(2)} MiB`);
  check(total <= 5 * 1024 * 1024, 'fixtures exceed 5 MiB');
  if (failures) {
    console.error(`verify-fixtures: ${failures} failure(s)`);
    process.exit(1);
  }
  console.log('verify-fixtures: all fixtures match the manifest');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
