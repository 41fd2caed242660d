// Records what Chromium's WebCodecs makes of Tessera's fixture videos, so the engine's YUV -> RGB
// conversion (native/video/yuv.h) can be checked against the browser bit for bit.
//
//   node scripts/yuv-reference.mjs [--frames N]
//
// For each case below, Chromium (Debian's /usr/bin/chromium, driven by the installed
// @playwright/test) demuxes the clip with Mediabunny, decodes its first N frames with a
// VideoDecoder, and for every frame copies out the I420 planes of its visibleRect and
// copyTo(…, {format: 'RGBA', colorSpace: 'srgb'}). Writes:
//   build/yuv-reference/<case>.bin   planes + browser RGBA per frame (format below; not committed)
//   native/video/testdata/yuv-reference.json   SHA-256 of each frame's planes and browser RGBA
// native/video/yuv_reference_test.cpp converts the planes and asserts equality with the RGBA (and
// with the recorded hashes, so planes alone suffice later: ffmpeg decodes identical planes, and
// build/yuv-reference/<clip>.yuv from `ffmpeg -i fixtures/media/<clip>.webm -frames:v 10
// -pix_fmt yuv420p -f rawvideo …` is checked against this JSON without a browser).
//
// .bin layout (little-endian): "TYUV", u32 version = 1, u32 width, u32 height, u32 frames,
// u8 matrix (0 BT.601, 1 BT.709), u8 range (0 limited, 1 full), u16 0; then per frame the Y, U, V
// planes tightly packed (U and V are ceil(w/2) x ceil(h/2)) followed by width*height*4 RGBA bytes.
//
// With Debian's firefox-esr installed, Firefox decodes the same cases too; its BGRX frames,
// swizzled to RGBA, are recorded as hashes (firefoxRgbaSha256). Firefox ESR 153 ignores the
// decoder's colorSpace and converts every stream as BT.709 limited range.
//
// Everything is served from 127.0.0.1; nothing is fetched from the network.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { chromium, firefox } from '@playwright/test';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'build/yuv-reference');
const jsonPath = path.join(root, 'native/video/testdata/yuv-reference.json');
const framesArg = process.argv.indexOf('--frames');
const frameCount = framesArg > 0 ? Number(process.argv[framesArg + 1]) : 10;

const bt709 = { matrix: 'bt709', primaries: 'bt709', transfer: 'bt709', fullRange: false };
const bt601 = { matrix: 'smpte170m', primaries: 'smpte170m', transfer: 'smpte170m', fullRange: false };
// matrix/range: what the engine must convert with to match. decoderColorSpace null = the stream's own.
const cases = [
  { name: 'count-a-bt709', file: 'count-a-vp9-opus.webm', decoderColorSpace: bt709, matrix: 'bt709', range: 'limited' },
  { name: 'count-a-bt601', file: 'count-a-vp9-opus.webm', decoderColorSpace: bt601, matrix: 'bt601', range: 'limited' },
  { name: 'count-a-untagged', file: 'count-a-vp9-opus.webm', decoderColorSpace: null, matrix: 'bt601', range: 'limited' },
  { name: 'count-b-bt709', file: 'count-b-vp9-opus.webm', decoderColorSpace: null, matrix: 'bt709', range: 'limited' },
  { name: 'count-a-bt709-full', file: 'count-a-vp9-opus.webm', decoderColorSpace: { ...bt709, fullRange: true }, matrix: 'bt709', range: 'full' },
  { name: 'count-a-bt601-full', file: 'count-a-vp9-opus.webm', decoderColorSpace: { ...bt601, fullRange: true }, matrix: 'bt601', range: 'full' },
];

const page = `<!doctype html><meta charset="utf-8"><title>yuv reference</title>
<script type="module">
import { Input, BufferSource, EncodedPacketSink, ALL_FORMATS } from '/mediabunny.mjs';
// The first frameCount frames of a case's file, decoded with the case's colour space.
async function decodeFrames(c, frameCount) {
  const bytes = await (await fetch('/media/' + c.file)).arrayBuffer();
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  const config = await track.getDecoderConfig();
  if (c.decoderColorSpace) config.colorSpace = c.decoderColorSpace;
  const frames = [];
  let failure = null;
  const decoder = new VideoDecoder({ output: (f) => frames.push(f), error: (e) => { failure = e; } });
  decoder.configure(config);
  let fed = 0;
  for await (const packet of new EncodedPacketSink(track).packets()) {
    decoder.decode(packet.toEncodedVideoChunk());
    if (++fed >= frameCount) break;
  }
  await decoder.flush();
  if (failure) throw failure;
  return { frames, decoder };
}
window.recordCase = async (c, frameCount) => {
  const { frames, decoder } = await decodeFrames(c, frameCount);
  const w = frames[0].visibleRect.width, h = frames[0].visibleRect.height;
  const cw = (w + 1) >> 1, ch = (h + 1) >> 1;
  const frameBytes = w * h + 2 * cw * ch + w * h * 4;
  const out = new Uint8Array(24 + frames.length * frameBytes);
  const view = new DataView(out.buffer);
  out.set([84, 89, 85, 86]);  // "TYUV"
  view.setUint32(4, 1, true);
  view.setUint32(8, w, true);
  view.setUint32(12, h, true);
  view.setUint32(16, frames.length, true);
  out[20] = c.matrix === 'bt709' ? 1 : 0;
  out[21] = c.range === 'full' ? 1 : 0;
  const info = [];
  let at = 24;
  for (const f of frames) {
    if (f.format !== 'I420') throw new Error('decoder gave ' + f.format + ', not I420');
    const rect = f.visibleRect;
    const planes = new Uint8Array(f.allocationSize({ rect }));
    const layout = await f.copyTo(planes, { rect });
    const sizes = [[w, h], [cw, ch], [cw, ch]];
    for (let p = 0; p < 3; p++) {
      const [pw, ph] = sizes[p];
      for (let y = 0; y < ph; y++) {
        const from = layout[p].offset + y * layout[p].stride;
        out.set(planes.subarray(from, from + pw), at);
        at += pw;
      }
    }
    const rgba = new Uint8Array(w * h * 4);
    await f.copyTo(rgba, { format: 'RGBA', colorSpace: 'srgb' });
    out.set(rgba, at);
    at += rgba.length;
    info.push({ timestampUs: f.timestamp, colorSpace: f.colorSpace.toJSON() });
    f.close();
  }
  decoder.close();
  const res = await fetch('/result/' + c.name + '.bin', { method: 'POST', body: out });
  if (!res.ok) throw new Error('upload failed');
  return { width: w, height: h, frames: info };
};
// Firefox hands out BGRX frames (no planes): record them as they come.
window.recordBgrx = async (c, frameCount) => {
  const { frames, decoder } = await decodeFrames(c, frameCount);
  const w = frames[0].visibleRect.width, h = frames[0].visibleRect.height;
  const out = new Uint8Array(frames.length * w * h * 4);
  const formats = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    formats.push(f.format);
    const rect = f.visibleRect;
    const buf = new Uint8Array(f.allocationSize({ rect }));
    const layout = await f.copyTo(buf, { rect });
    for (let y = 0; y < h; y++) out.set(buf.subarray(layout[0].offset + y * layout[0].stride, layout[0].offset + y * layout[0].stride + w * 4), (i * h + y) * w * 4);
    f.close();
  }
  decoder.close();
  const res = await fetch('/result/' + c.name + '.firefox', { method: 'POST', body: out });
  if (!res.ok) throw new Error('upload failed');
  return { width: w, height: h, formats };
};
window.ready = true;
</script>`;

const files = {
  '/': { body: page, type: 'text/html' },
  '/mediabunny.mjs': { file: path.join(root, 'node_modules/mediabunny/dist/bundles/mediabunny.mjs'), type: 'text/javascript' },
};

mkdirSync(outDir, { recursive: true });
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname.startsWith('/result/')) {
    const name = path.basename(url.pathname);
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      writeFileSync(path.join(outDir, name), Buffer.concat(chunks));
      res.end('ok');
    });
    return;
  }
  let entry = files[url.pathname];
  if (!entry && url.pathname.startsWith('/media/')) {
    entry = { file: path.join(root, 'fixtures/media', path.basename(url.pathname)), type: 'video/webm' };
  }
  try {
    const body = entry && (entry.body ?? readFileSync(entry.file));
    if (!body) throw new Error('not found');
    res.writeHead(200, { 'content-type': entry.type });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const record = { description: 'Chromium WebCodecs reference for native/video/yuv.h, written by scripts/yuv-reference.mjs', browser: `Chromium ${browser.version()}`, cases: [] };
try {
  const tab = await browser.newPage();
  tab.on('pageerror', (e) => console.error('page error:', e.message));
  await tab.goto(base);
  await tab.waitForFunction(() => window.ready === true);
  for (const c of cases) {
    const result = await tab.evaluate(([c, n]) => window.recordCase(c, n), [c, frameCount]);
    const bin = readFileSync(path.join(outDir, `${c.name}.bin`));
    const { width: w, height: h } = result;
    const planeBytes = w * h + 2 * ((w + 1) >> 1) * ((h + 1) >> 1);
    const frames = result.frames.map((f, i) => {
      const at = 24 + i * (planeBytes + w * h * 4);
      return {
        index: i,
        timestampUs: f.timestampUs,
        frameColorSpace: f.colorSpace,
        planesSha256: sha256(bin.subarray(at, at + planeBytes)),
        rgbaSha256: sha256(bin.subarray(at + planeBytes, at + planeBytes + w * h * 4)),
      };
    });
    record.cases.push({ name: c.name, file: c.file, decoderColorSpace: c.decoderColorSpace, matrix: c.matrix, range: c.range, width: w, height: h, frames });
    console.log(`${c.name}: ${frames.length} frames ${w}x${h} -> build/yuv-reference/${c.name}.bin`);
  }
} finally {
  await browser.close();
}
// Firefox (Debian's firefox-esr), when installed: its BGRX frames, swizzled to RGBA, hashed per
// frame, so the native test can check the engine's conversion equals Firefox's too.
if (existsSync('/usr/bin/firefox-esr')) {
  const fox = await firefox.launch({ channel: 'moz-firefox', executablePath: '/usr/bin/firefox-esr' });
  record.firefox = `Firefox ${fox.version()}`;
  try {
    const tab = await fox.newPage();
    tab.on('pageerror', (e) => console.error('page error:', e.message));
    await tab.goto(base);
    await tab.waitForFunction(() => window.ready === true);
    for (const c of cases) {
      const result = await tab.evaluate(([c, n]) => window.recordBgrx(c, n), [c, frameCount]);
      const bytes = readFileSync(path.join(outDir, `${c.name}.firefox`));
      const size = result.width * result.height * 4;
      const entry = record.cases.find((e) => e.name === c.name);
      result.formats.forEach((format, i) => {
        const rgba = Buffer.from(bytes.subarray(i * size, (i + 1) * size));
        if (format === 'BGRX' || format === 'BGRA') {
          for (let p = 0; p < size; p += 4) {
            const b = rgba[p];
            rgba[p] = rgba[p + 2];
            rgba[p + 2] = b;
            rgba[p + 3] = 255;
          }
        } else if (format === 'RGBX' || format === 'RGBA') {
          for (let p = 3; p < size; p += 4) rgba[p] = 255;
        } else {
          throw new Error(`Firefox gave ${format}`);
        }
        entry.frames[i].firefoxFormat = format;
        entry.frames[i].firefoxRgbaSha256 = sha256(rgba);
      });
      const same = entry.frames.filter((f) => f.firefoxRgbaSha256 === f.rgbaSha256).length;
      console.log(`${c.name}: Firefox ${result.formats[0]}, ${same}/${entry.frames.length} frames identical to Chromium's RGBA`);
    }
  } finally {
    await fox.close();
  }
}
server.close();

mkdirSync(path.dirname(jsonPath), { recursive: true });
writeFileSync(jsonPath, JSON.stringify(record, null, 2) + '\n');
console.log(`wrote ${path.relative(root, jsonPath)}`);
