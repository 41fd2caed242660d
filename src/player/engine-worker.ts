// The engine's home in the browser: a module Web Worker that loads the wasm engine, renders, and
// presents frames on an OffscreenCanvas so the main thread only runs the React shell.
/// <reference lib="webworker" />
import type { TesseraEngine } from '../engine/engine';
import { loadEngineBrowser } from '../engine/load-browser';
import type { FrameReport, FromWorker, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let engine: TesseraEngine | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;
let size = { width: 0, height: 0 };
let verifyPresentation = false;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function init(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  size = { width: message.width, height: message.height };
  verifyPresentation = message.verifyPresentation ?? false;
  if (message.canvas) {
    context = message.canvas.getContext('2d', { alpha: false });
  }
  try {
    engine = await loadEngineBrowser({ tier: message.tier });
  } catch (error) {
    post({ type: 'error', stage: 'load', message: String(error instanceof Error ? error.message : error) });
    return;
  }
  try {
    const response = await fetch(message.fontUrl);
    if (!response.ok) throw new Error(`${message.fontUrl}: HTTP ${response.status}`);
    engine.addFont('sans', new Uint8Array(await response.arrayBuffer()));
  } catch (error) {
    post({ type: 'error', stage: 'font', message: String(error instanceof Error ? error.message : error) });
    return;
  }
  post({ type: 'ready', tier: engine.tier, loadMs: engine.loadMs, heapBytes: engine.heapBytes() });
  await renderTestCard();
}

async function renderTestCard(): Promise<void> {
  if (!engine) return;
  const started = performance.now();
  try {
    engine.renderTestCard(size.width, size.height);
  } catch (error) {
    post({ type: 'error', stage: 'render', message: String(error instanceof Error ? error.message : error) });
    return;
  }
  const rendered = performance.now();
  const frame = engine.copyFrame();
  if (context) {
    context.putImageData(new ImageData(frame.pixels, frame.width, frame.height), 0, 0);
  }
  const presented = performance.now();
  const report: FrameReport = {
    width: frame.width,
    height: frame.height,
    renderMs: rendered - started,
    presentMs: presented - rendered,
    sha256: await sha256Hex(new Uint8Array(frame.pixels.buffer)),
    heapBytes: engine.heapBytes(),
  };
  if (verifyPresentation && context) {
    const readback = context.getImageData(0, 0, frame.width, frame.height);
    report.presentedSha256 = await sha256Hex(new Uint8Array(readback.data.buffer));
  }
  if (!context) {
    post({ type: 'pixels', width: frame.width, height: frame.height, pixels: frame.pixels.buffer }, [frame.pixels.buffer]);
  }
  post({ type: 'frame', report });
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      void init(message);
      break;
    case 'render-test-card':
      void renderTestCard();
      break;
  }
};
