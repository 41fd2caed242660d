// Main-thread side of the video-reader test page: starts the test worker and exposes
// window.videoSourceTest, through which e2e/video-source.spec.ts runs scenarios in the worker. It
// also demuxes on the main thread (the frame table the spec computes its expectations from),
// which shows the demuxer works outside workers too.
import { VideoDemuxer } from '../../src/media/video-demuxer';
import {
  FIXTURE_URL_PREFIX,
  type FromVideoTestWorker,
  type ToVideoTestWorker,
  type VideoSourceTestPage,
  type VideoTestResult,
} from './video-source-protocol';

const status = document.getElementById('status')!;
const worker = new Worker(new URL('./video-source-worker.ts', import.meta.url), { type: 'module' });
const pending = new Map<number, { resolve: (r: VideoTestResult) => void; reject: (e: Error) => void }>();
let nextId = 1;

worker.onmessage = (event: MessageEvent<FromVideoTestWorker>) => {
  const message = event.data;
  const waiter = pending.get(message.id);
  if (!waiter) return;
  pending.delete(message.id);
  if (message.ok) waiter.resolve(message.result);
  else waiter.reject(new Error(`${message.error.name}${message.error.code ? ` (${message.error.code})` : ''}: ${message.error.message}`));
};

const page: VideoSourceTestPage = {
  workerError: null,
  run(request) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, request } satisfies ToVideoTestWorker);
    });
  },
  async frames(file) {
    const demuxer = await VideoDemuxer.open(FIXTURE_URL_PREFIX + file);
    try {
      return { info: demuxer.info, frames: await demuxer.listFrames() };
    } finally {
      demuxer.close();
    }
  },
};

worker.onerror = (event) => {
  page.workerError = event.message || 'the test worker failed to start';
  status.textContent = page.workerError;
  for (const waiter of pending.values()) waiter.reject(new Error(page.workerError));
  pending.clear();
};

window.videoSourceTest = page;
status.textContent = 'ready';
document.body.dataset.ready = '1';
