// Main-thread side of the audio test page: creates the AudioOutput (shared ring, or the port
// fallback with ?transport=port), hands its transport to the test worker, starts playback from
// the Start button (a real click: resume() needs a user gesture), and exposes
// window.audioOutputTest for e2e/audio-output.spec.ts.
import { AudioOutput } from '../../src/audio/output';
import { emptyCounters } from '../../src/audio/ring';
import type { AudioProducerStats } from '../../src/audio/producer';
import type { AudioOutputTestPage, DecodeSummary, FromAudioTestWorker, Measurement, ToAudioTestWorker } from './audio-output-protocol';

type Request = ToAudioTestWorker extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

const status = document.getElementById('status')!;
const button = document.getElementById('start') as HTMLButtonElement;
const worker = new Worker(new URL('./audio-output-worker.ts', import.meta.url), { type: 'module' });
const pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
let nextId = 1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

worker.onmessage = (event: MessageEvent<FromAudioTestWorker>) => {
  const message = event.data;
  const waiter = pending.get(message.id);
  if (!waiter) return;
  pending.delete(message.id);
  if (message.ok) waiter.resolve(message.result);
  else waiter.reject(new Error(message.error));
};
worker.onerror = (event) => {
  page.setupError = `the test worker failed: ${event.message}`;
  status.textContent = page.setupError;
};

/** Asks the worker; a request left unanswered for 20 s fails rather than hanging the test. */
function ask<T>(request: Request, transfer: Transferable[] = []): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`the test worker did not answer '${request.kind}' within 20 s`));
    }, 20_000);
    pending.set(id, {
      resolve: (r) => (clearTimeout(timer), resolve(r as T)),
      reject: (e) => (clearTimeout(timer), reject(e)),
    });
    worker.postMessage({ ...request, id } as ToAudioTestWorker, transfer);
  });
}

let output: AudioOutput | null = null;

const page: AudioOutputTestPage = {
  setup: null,
  setupError: null,
  async waitPlaying(timeoutMs) {
    const t0 = performance.now();
    while (performance.now() - t0 < timeoutMs) {
      if (output && output.context.state === 'running' && output.clock.framesPlayed() > 0) {
        return { waitedMs: performance.now() - t0, contextState: output.context.state, framesPlayed: output.clock.framesPlayed() };
      }
      await sleep(20);
    }
    return { waitedMs: performance.now() - t0, contextState: output?.context.state ?? 'none', framesPlayed: output?.clock.framesPlayed() ?? 0 };
  },
  async waitSteady(windowMs, timeoutMs) {
    const t0 = performance.now();
    let lastRate = 0;
    while (performance.now() - t0 < timeoutMs) {
      const p0 = output!.clock.framesPlayed();
      const w0 = performance.now();
      await sleep(windowMs);
      lastRate = ((output!.clock.framesPlayed() - p0) * 1000) / (performance.now() - w0);
      if (lastRate >= 0.9 * output!.clock.sampleRate) return { waitedMs: performance.now() - t0, steady: true, lastRate };
    }
    return { waitedMs: performance.now() - t0, steady: false, lastRate };
  },
  async measure(ms) {
    const out = output!;
    await ask({ kind: 'stats', reset: true }); // the producer's extremes over this window only
    const before = out.clock.snapshot();
    const t0 = performance.now();
    const c0 = out.context.currentTime;
    await sleep(ms);
    const after = out.clock.snapshot();
    const t1 = performance.now();
    const c1 = out.context.currentTime;
    const seconds = (t1 - t0) / 1000;
    const producer = await ask<AudioProducerStats>({ kind: 'stats', reset: false });
    return {
      transport: out.transport.kind,
      elapsedMs: t1 - t0,
      framesPlayed: after.framesPlayed - before.framesPlayed,
      framesPerSecond: (after.framesPlayed - before.framesPlayed) / seconds,
      contextFramesPerSecond: ((c1 - c0) * out.context.sampleRate) / seconds,
      underrunFramesDuring: after.underrunFrames - before.underrunFrames,
      underrunFramesTotal: after.underrunFrames,
      before,
      after,
      baseLatency: typeof out.context.baseLatency === 'number' ? out.context.baseLatency : null,
      outputLatency: typeof out.context.outputLatency === 'number' ? out.context.outputLatency : null,
      latencySeconds: out.clock.latencySeconds(),
      producer,
    } satisfies Measurement;
  },
  bursts(ms) {
    const clock = output!.clock;
    const end = performance.now() + ms;
    let last = clock.framesPlayed();
    let burstStart = -1;
    let burstFrames = 0;
    let lastChange = -1;
    let maxBurstFrames = 0;
    let maxPauseMs = 0;
    let bursts = 0;
    for (let now = performance.now(); now < end; now = performance.now()) {
      const played = clock.framesPlayed();
      if (played === last) continue;
      if (burstStart < 0 || now - burstStart > 3) {
        if (lastChange >= 0) maxPauseMs = Math.max(maxPauseMs, now - lastChange);
        burstStart = now;
        burstFrames = 0;
        bursts++;
      }
      burstFrames += played - last;
      maxBurstFrames = Math.max(maxBurstFrames, burstFrames);
      last = played;
      lastChange = now;
    }
    return { maxBurstFrames, maxPauseMs, bursts };
  },
  async seek(frame, settleMs) {
    const before = output!.clock.snapshot(emptyCounters());
    await ask({ kind: 'seek', frame });
    await sleep(settleMs);
    return { before, after: output!.clock.snapshot() };
  },
  decode: (file, seekUs) => ask<DecodeSummary>({ kind: 'decode', file, seekUs }),
};
window.audioOutputTest = page;

async function setUp(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const targetMs = query.get('targetMs');
  output = await AudioOutput.create({ transport: query.get('transport') === 'port' ? 'port' : 'auto' });
  await ask({ kind: 'connect', transport: output.transport, targetMs: targetMs === null ? null : Number(targetMs) }, output.transferables);
  page.setup = { transport: output.transport.kind, crossOriginIsolated: globalThis.crossOriginIsolated === true, contextState: output.context.state };
  button.addEventListener('click', () => {
    // resume() inside the click handler: the gesture is what lets Firefox and WebKit start audio.
    void output!.start();
    void ask({ kind: 'start' });
    status.textContent = 'started';
  });
  status.textContent = `ready (${output.transport.kind})`;
  document.body.dataset.ready = '1';
}

setUp().catch((error: unknown) => {
  page.setupError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  status.textContent = page.setupError;
  document.body.dataset.ready = 'error';
});
