// The browser half of the compose benchmark (src/bench/compose.ts serves this module to Debian's
// Chromium through Playwright). It times, in the same page:
//   - the engine's own compose loop (native/engine/benchmarks.cpp, kind "compose") in the SIMD and
//     scalar wasm builds, loaded from src/engine/generated/;
//   - the same scene drawn with Canvas 2D: VideoFrames built from the same I420 bytes
//     (`new VideoFrame(buffer, {format: 'I420', …})`) drawn with drawImage, the name strap with
//     roundRect/fillRect/fillText, and two caption lines on translucent bands with fillText;
//     `getImageData(0, 0, 1, 1)` forces the recorded drawing to complete inside the timing.
// Plain JavaScript on purpose: it is served as it is, with no build step.

const FONT_FAMILY = 'TesseraBenchSans';
const CAPTION_LINES = ['The engine composes every frame itself:', 'video, pictures, graphics and captions.'];

// The same bytes as BenchI420 in native/engine/benchmarks.cpp (integer formulas, uint32 hash).
function syntheticI420(width, height, seed) {
  const cw = (width + 1) >> 1, ch = (height + 1) >> 1;
  const data = new Uint8Array(width * height + 2 * cw * ch);
  for (let r = 0; r < height; r++) {
    for (let x = 0; x < width; x++) {
      const noise = (Math.imul(x, 73856093) ^ Math.imul(r, 19349663) ^ Math.imul(seed, 83492791)) >>> 27;
      const checker = (((x >> 4) + (r >> 4)) & 1) * 40;
      const bar = (x + seed * 37) % width < Math.trunc(width / 8) ? 60 : 0;
      data[r * width + x] = Math.min(235, 16 + Math.trunc((x * 160) / width) + checker + bar / 2 + noise);
    }
  }
  const u = width * height, v = u + cw * ch;
  for (let r = 0; r < ch; r++) {
    for (let x = 0; x < cw; x++) {
      data[u + r * cw + x] = 64 + Math.trunc((x * 128) / cw);
      data[v + r * cw + x] = 192 - Math.trunc((r * 128) / ch);
    }
  }
  return { data, width, height };
}

function videoFrame(picture, timestamp) {
  return new VideoFrame(picture.data, {
    format: 'I420',
    codedWidth: picture.width,
    codedHeight: picture.height,
    timestamp,
    colorSpace: { matrix: 'bt709', primaries: 'bt709', transfer: 'bt709', fullRange: false },
  });
}

function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function loadFont() {
  const face = new FontFace(FONT_FAMILY, 'url(/font.ttf)');
  await face.load();
  document.fonts.add(face);
}

/** The engine's compose loop in one wasm tier; returns the reply JSON text. */
async function engine(tier, requestJson) {
  const { default: create } = await import('/engine/tessera-engine.mjs');
  const wasm = tier === 'scalar' ? 'tessera-engine-scalar.wasm' : 'tessera-engine.wasm';
  const module = await create({ locateFile: (p) => (p.endsWith('.wasm') ? `/engine/${wasm}` : `/engine/${p}`) });
  const native = new module.Engine();
  try {
    return native.runBenchmark(requestJson);
  } finally {
    native.delete();
  }
}

/** The scene with Canvas 2D; milliseconds per composition (draw + forced completion). */
function canvas({ width: w, height: h, videoWidth, videoHeight, runs }) {
  const element = document.createElement('canvas');
  element.width = w;
  element.height = h;
  const ctx = element.getContext('2d', { alpha: false });
  const main = syntheticI420(videoWidth, videoHeight, 1);
  const pipPicture = syntheticI420(Math.max(2, Math.trunc(w / 2)), Math.max(2, Math.trunc(h / 2)), 2);
  const div = (a, b) => Math.trunc(a / b);
  const pip = { x: w - div(w, 4) - div(w, 32), y: div(h, 32), width: div(w, 4), height: div(h, 4) };
  const strap = { x: div(w, 20), y: div(h * 55, 100), width: div(w, 2), height: div(w, 14) };
  const captionBox = { x: div(w, 10), y: div(h * 78, 100), width: div(w * 8, 10) };
  const captionSize = h / 20;
  const lineHeight = captionSize * 1.3;
  const pad = Math.trunc(captionSize * 0.3);

  const compose = (mainFrame, pipFrame) => {
    ctx.drawImage(mainFrame, 0, 0, w, h);
    ctx.globalAlpha = 230 / 255;
    ctx.drawImage(pipFrame, pip.x, pip.y, pip.width, pip.height);
    ctx.globalAlpha = 1;

    // The name strap: a 700×100 design scaled uniformly into its region, centred, clipped to it.
    const scale = Math.min(strap.width / 700, strap.height / 100);
    ctx.save();
    ctx.beginPath();
    ctx.rect(strap.x, strap.y, strap.width, strap.height);
    ctx.clip();
    ctx.translate(strap.x + (strap.width - 700 * scale) / 2, strap.y + (strap.height - 100 * scale) / 2);
    ctx.scale(scale, scale);
    ctx.fillStyle = '#1d3557e6';
    ctx.beginPath();
    ctx.roundRect(0, 10, 520, 80, 12);
    ctx.fill();
    ctx.fillStyle = '#e63946';
    ctx.fillRect(0, 10, 10, 80);
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillStyle = '#ffffff';
    ctx.font = `34px ${FONT_FAMILY}`;
    ctx.fillText('Siân Jones', 28, 16, 470);
    ctx.fillStyle = '#f1faeecc';
    ctx.font = `20px ${FONT_FAMILY}`;
    ctx.fillText('How object-based media works', 28, 56, 470);
    ctx.restore();

    // Two caption lines, centred, each on its own translucent band.
    ctx.font = `${captionSize}px ${FONT_FAMILY}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const centre = captionBox.x + captionBox.width / 2;
    CAPTION_LINES.forEach((text, i) => {
      const top = captionBox.y + i * lineHeight;
      const width = ctx.measureText(text).width;
      ctx.fillStyle = 'rgba(0, 0, 0, 0.627)';
      ctx.fillRect(Math.round(centre - width / 2) - pad, Math.trunc(top), Math.trunc(width) + 2 * pad, Math.trunc(lineHeight));
      ctx.fillStyle = '#ffffff';
      ctx.fillText(text, centre, top + lineHeight / 2);
    });
    ctx.getImageData(0, 0, 1, 1);  // completes the drawing (Chromium records, then rasterises on read-back)
  };

  // Fresh frames every time (untimed): a new video frame is converted again, never served from a
  // cache of the last one, as in playback.
  let frameNumber = 0;
  const once = () => {
    const mainFrame = videoFrame(main, frameNumber * 40000);
    const pipFrame = videoFrame(pipPicture, frameNumber * 40000);
    frameNumber++;
    const t0 = performance.now();
    compose(mainFrame, pipFrame);
    const t1 = performance.now();
    mainFrame.close();
    pipFrame.close();
    return t1 - t0;
  };
  // The same warm-up as the engine's benchmarks: at least 5 runs and 300 ms.
  for (const start = performance.now(); frameNumber < 5 || performance.now() - start < 300; ) once();
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(once());
  return { samples, median: median(samples) };
}

window.composeBench = { engine, canvas, crossOriginIsolated: globalThis.crossOriginIsolated === true };
window.composeBenchReady = loadFont().then(() => true);
