// The engine's home in the browser: a module Web Worker that loads the wasm engine, plays
// programmes (clock, scheduler, video readers: playback.ts, scheduler.ts) and presents the engine's
// frames on an OffscreenCanvas, so the main thread only runs the React shell. Without a
// programme it draws the test card.
/// <reference lib="webworker" />
import { captionFontFile } from '../captions/caption-fonts';
import type { Plan, TesseraEngine, ValidationReport } from '../engine/engine';
import { loadEngineBrowser } from '../engine/load-browser';
import type { VideoFrameStats } from '../media/decoded-video-frame';
import { DEFAULT_CAPTION_SETTINGS, type CaptionFont, type CaptionSettings } from './caption-settings';
import { AudioFollowingClock } from './clock';
import type { FeederHost } from './audio-feeder';
import { AudioSession } from './audio-session';
import { choicesOfPlan, withoutChoices } from './choices';
import { declaredContextVariables } from './context-variables';
import { resolveAssetPath } from './local-files';
import { assetDescriptions } from './media-errors';
import { Playback, displayCadence, type PlaybackCounters, type TickScheduler } from './playback';
import type { ContextVariable, FrameReport, FromWorker, LocalProgramme, ProgrammeInfo, ToWorker, ViewerContext } from './protocol';
import { PlaybackScheduler, type MediaProblem, type SchedulerHost, type TickMode, type TickResult } from './scheduler';

declare const self: DedicatedWorkerGlobalScope;

// The media readers (Mediabunny: most of this worker's code) load in their own chunk, alongside
// the engine's WebAssembly rather than before it; a programme's first video waits for them.
// Nothing of theirs is imported statically here: a module shared by this entry and that chunk
// would make the chunk import this entry's file, and WebKit then evaluates the worker's entry
// module a second time (its onmessage replacing this one's).
const media = import('../media/video-reader');
/** VideoFrames opened and closed so far (zero until the readers' module has loaded). */
let videoFrameStats = (): VideoFrameStats => ({ opened: 0, closed: 0, open: 0 });
media.then(
  (module) => {
    videoFrameStats = module.videoFrameStats;
  },
  () => {}, // a failure surfaces where a video is opened
);

let engine: TesseraEngine | null = null;
/** The programme's sound: made with the engine, fed once the page sends its audio output. */
let audio: AudioSession | null = null;
/** The output's queue when it arrives before the engine has loaded. */
let pendingAudio: { transport: import('../audio/output').AudioTransport; latencySeconds: number; running: boolean } | null = null;
/** The viewer's volume and mute (applied to the engine once there). */
let audioControls = { volume: 1, muted: false };
/** The audio readers, in a chunk of their own like the video readers (loaded on the first programme). */
let audioMedia: Promise<typeof import('../media/audio-reader')> | null = null;
/** Frames go back to the main thread as pixels (no OffscreenCanvas there). */
let pixelsPresentation = false;
let canvas: OffscreenCanvas | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;
/**
 * A frame composed while there was no canvas to draw it on, drawn (and its settled-frame report
 * sent) when one arrives.
 */
let undrawn: { settled: { renderMs: number; time?: number } | null; programmeFrame: boolean } | null = null;
let size = { width: 0, height: 0 };
let verifyPresentation = false;
/** The programme playing, if any. */
let playback: Playback | null = null;
let firstFrameEpochMs: number | null = null;
/**
 * Commands run one after another, each after the previous one's work (a seek's settled frame, a
 * load) is done: a capture after a seek sees the sought frame, and the engine is never used by
 * two commands at once.
 */
let commands: Promise<void> = Promise.resolve();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer> | Uint8ClampedArray<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function init(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  size = { width: message.width, height: message.height };
  verifyPresentation = message.verifyPresentation ?? false;
  pixelsPresentation = message.presentation === 'pixels';
  fontBase = new URL('.', new URL(message.fontUrl, self.location.href));
  if (message.captionSettings) captionSettings = message.captionSettings;
  if (message.context) viewerContext = { ...message.context };
  // The font is fetched while the engine compiles.
  const font = fetch(message.fontUrl).then(async (response) => {
    if (!response.ok) throw new Error(`${message.fontUrl}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  });
  font.catch(() => {}); // reported below, once the engine is there to report it
  try {
    engine = await loadEngineBrowser({ tier: message.tier });
  } catch (error) {
    post({ type: 'error', stage: 'load', message: describe(error) });
    return;
  }
  try {
    engine.addFont('sans', await font);
  } catch (error) {
    engine.dispose();
    engine = null;
    post({ type: 'error', stage: 'font', message: describe(error) });
    return;
  }
  audio = new AudioSession(engine);
  if (pendingAudio) {
    audio.attach(pendingAudio.transport, pendingAudio.latencySeconds);
    audio.setRunning(pendingAudio.running, pendingAudio.latencySeconds);
    pendingAudio = null;
  }
  post({ type: 'ready', tier: engine.tier, loadMs: engine.loadMs, heapBytes: engine.heapBytes() });
  if (message.testCard ?? true) await renderTestCard();
}

// ---- Presenting ------------------------------------------------------------------------------

/**
 * Draws the engine's current frame on the canvas (or sends it to the main thread). Returns false
 * when there is nowhere to draw it yet (no canvas attached).
 */
function presentEngineFrame(live: TesseraEngine): boolean {
  if (!pixelsPresentation && !(context && canvas)) return false;
  framePresented = true;
  live.withFramePixels((pixels, width, height) => {
    if (context && canvas) {
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      // ImageData over the heap view: putImageData copies it, so no JS copy of the frame is made.
      context.putImageData(new ImageData(pixels, width, height), 0, 0);
    } else {
      const copy = pixels.slice();
      post({ type: 'pixels', width, height, pixels: copy.buffer }, [copy.buffer]);
    }
  });
  return true;
}

/**
 * Presents the engine's frame and, for a settled frame (a test card, a seek's or a pause's frame),
 * reports it; a frame with nowhere to go yet waits for the canvas (attach).
 */
async function show(live: TesseraEngine, settled: { renderMs: number; time?: number } | null, programmeFrame: boolean): Promise<void> {
  const started = performance.now();
  if (!presentEngineFrame(live)) {
    undrawn = { settled, programmeFrame };
    return;
  }
  undrawn = null;
  const presentMs = performance.now() - started;
  if (programmeFrame && contextPending && playback) {
    contextPending = false;
    post({ type: 'context-applied', epochMs: performance.timeOrigin + performance.now(), time: playback.counters().time });
  }
  if (programmeFrame && firstFrameEpochMs === null) {
    firstFrameEpochMs = performance.timeOrigin + performance.now();
    performance.mark('tessera:first-programme-frame');
    if (playback) postStats(playback.counters());
  }
  if (settled) await reportFrame(live, settled.renderMs, presentMs, settled.time);
}

/** The page's canvas arrived (or went): draw there from now on, starting with a waiting frame. */
function attach(next: OffscreenCanvas | null): void {
  canvas = next;
  context = next ? next.getContext('2d', { alpha: false }) : null;
  const waiting = undrawn;
  if (next && waiting && engine) void show(engine, waiting.settled, waiting.programmeFrame);
  // A canvas replacing one that was drawn on (React StrictMode mounts the stage twice) shows the
  // engine's frame at once, rather than staying blank until the next frame is composed.
  else if (next && engine && framePresented) presentEngineFrame(engine);
}

/** Whether any engine frame has been drawn on a canvas yet (attach redraws it on a new one). */
let framePresented = false;

/** Hashes the engine's frame (and, when verifying, what the canvas holds) for a frame report. */
async function reportFrame(live: TesseraEngine, renderMs: number, presentMs: number, time?: number): Promise<void> {
  const frame = live.copyFrame();
  const report: FrameReport = {
    width: frame.width,
    height: frame.height,
    renderMs,
    presentMs,
    sha256: await sha256Hex(frame.pixels),
    heapBytes: live.heapBytes(),
  };
  if (time !== undefined) report.time = time;
  if (verifyPresentation && context) {
    const readback = context.getImageData(0, 0, frame.width, frame.height);
    report.presentedSha256 = await sha256Hex(readback.data);
  }
  post({ type: 'frame', report });
}

async function renderTestCard(): Promise<void> {
  if (!engine) return;
  const started = performance.now();
  try {
    engine.renderTestCard(size.width, size.height);
  } catch (error) {
    post({ type: 'error', stage: 'render', message: describe(error) });
    return;
  }
  await show(engine, { renderMs: performance.now() - started }, false);
}

// ---- Programmes ------------------------------------------------------------------------------

/** A URL on this worker's own origin (programmes and their media are same-origin only). */
function sameOriginUrl(url: string, base: string): URL {
  const resolved = new URL(url, base);
  if (resolved.origin !== self.location.origin) {
    throw new Error(`${url} is not on this site (${self.location.origin}); Tessera reads programmes and media only from its own origin`);
  }
  return resolved;
}

/** Where a programme's assets are read from: its site, or the files the viewer opened. */
interface AssetSource {
  /** What the page is told the programme is (ProgrammeInfo.url). */
  name: string;
  local: boolean;
  /** The key an asset's `src` is read by; throws when it cannot be read from here. */
  resolve(src: string): string;
  /** What a media reader opens for a key: a URL, or the viewer's file. */
  media(key: string): string | Blob;
  bytes(key: string): Promise<Uint8Array>;
}

/** Assets beside a programme on this site, by same-origin URL. */
function siteAssets(programmeUrl: URL): AssetSource {
  return {
    name: programmeUrl.href,
    local: false,
    resolve: (src) => sameOriginUrl(src, programmeUrl.href).href,
    media: (url) => url,
    async bytes(url) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** Assets among the viewer's files, by path relative to the programme (never outside them). */
function fileAssets(programme: LocalProgramme): AssetSource {
  const file = (path: string): Blob => {
    const found = programme.files.get(path);
    if (!found) throw new Error(`${path} is not among the opened files`);
    return found;
  };
  return {
    name: programme.path,
    local: true,
    resolve(src) {
      const where = resolveAssetPath(programme.path, src);
      if ('problem' in where) throw new Error(where.problem);
      file(where.path);
      return where.path;
    },
    media: file,
    bytes: async (path) => new Uint8Array(await file(path).arrayBuffer()),
  };
}

function schedulerHost(source: AssetSource): SchedulerHost {
  return {
    resolveUrl: (src) => source.resolve(src),
    openVideo: async (key, name) => (await media).VideoReader.open(source.media(key), { name }),
    fetchAsset: (key) => source.bytes(key),
    async fetchFont(name) {
      if (!fontBase) throw new Error('no font directory');
      const response = await fetch(new URL(captionFontFile(name).url, fontBase));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    error: (problem: MediaProblem) =>
      post({
        type: 'error',
        stage: problem.kind === 'video' ? 'media' : 'asset',
        file: problem.file,
        message: `${problem.file} (asset "${problem.asset}"): ${problem.message}`,
        asset: problem.asset,
        ...loadedAssets.get(problem.asset),
      }),
    nowMs: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

function feederHost(source: AssetSource): FeederHost {
  return {
    resolveUrl: (src) => source.resolve(src),
    async openAudio(key, name) {
      audioMedia ??= import('../media/audio-reader');
      return (await audioMedia).AudioReader.open(source.media(key), { name });
    },
    error: (problem) =>
      post({ type: 'error', stage: 'media', file: problem.file, message: `${problem.file} (asset "${problem.asset}"): ${problem.message}` }),
    yieldToTimers: () => new Promise((resolve) => setTimeout(resolve, 0)),
    nowMs: () => performance.now(),
  };
}

/**
 * The scheduler as playback drives it, with the audio beside it: a settle (pause, seek, load)
 * moves the mix and its decoders to the settled time; a play tick starts the mix playing out.
 */
function withAudio(inner: PlaybackScheduler, session: AudioSession, clock: AudioFollowingClock): TickScheduler {
  return {
    async tick(time: number, mode: TickMode): Promise<TickResult> {
      if (mode === 'settle') await session.prepare(time);
      else session.play(time, clock.rate);
      return inner.tick(time, mode);
    },
    closeAll() {
      session.silence();
      inner.closeAll();
    },
    get readers() {
      return inner.readers;
    },
    get decodeQueue() {
      return inner.decodeQueue;
    },
  };
}

/** The programme's resources released: nothing plays until the next one starts. */
function stopProgramme(): void {
  playback?.dispose();
  playback = null;
  audio?.setProgramme(null);
  firstFrameEpochMs = null;
  captionsSent = [];
}

/** Diagnostics sent with an invalid programme's error (the UI lists them). */
const DIAGNOSTICS_SENT = 50;

/** An invalid programme's error: the first few errors in the message, the validator's list beside. */
function invalidProgramme(name: string, report: ValidationReport, kept: boolean): FromWorker {
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  const listed = errors.slice(0, 3).map((d) => `${d.message} (${d.pointer || '/'}, line ${d.line})`);
  return {
    type: 'error',
    stage: 'programme',
    file: name,
    message: `${name} is not a valid programme: ${listed.join('; ')}${errors.length > 3 ? ` and ${errors.length - 3} more` : ''}`,
    diagnostics: errors.slice(0, DIAGNOSTICS_SENT),
    ...(kept ? { kept } : {}),
  };
}

async function loadProgramme(message: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  const live = engine;
  if (!live) return;
  stopProgramme();
  let url: URL;
  let text: string;
  try {
    url = sameOriginUrl(message.url, self.location.href);
    text = await takeProgramme(message.url, url);
  } catch (error) {
    return post({ type: 'error', stage: 'programme', message: `the programme could not be fetched: ${describe(error)}` });
  }
  await ensureCaptionFont(live, captionSettings.font);
  live.setCaptionSettings(captionSettings);
  const report = live.loadProgramme(text);
  if (!report.ok) return post(invalidProgramme(message.url, report, false));
  await startProgramme(live, text, siteAssets(url), message);
}

/**
 * A programme from the viewer's files: checked first, and only a valid one replaces what is
 * playing (an invalid one leaves it playing, and the page lists the validator's diagnostics).
 */
async function openFiles(message: Extract<ToWorker, { type: 'open-files' }>): Promise<void> {
  const live = engine;
  if (!live) return;
  const { programme } = message;
  const check = live.validateProgramme(programme.text);
  if (!check.ok) return post(invalidProgramme(programme.path, check, true));
  stopProgramme();
  // Choices answered in the programme that was playing mean nothing in this one.
  viewerContext = withoutChoices(viewerContext);
  await ensureCaptionFont(live, captionSettings.font);
  live.setCaptionSettings(captionSettings);
  const report = live.loadProgramme(programme.text);
  if (!report.ok) return post(invalidProgramme(programme.path, report, false));
  await startProgramme(live, programme.text, fileAssets(programme), message);
}

/** Plays a programme the engine has loaded: resolves its plan and settles the frame at `at`. */
async function startProgramme(live: TesseraEngine, text: string, source: AssetSource, { at, paused }: { at: number; paused: boolean }): Promise<void> {
  const plan = live.resolve({ ...viewerContext });
  live.setAudioControls(audioControls); // the viewer's volume and mute, for this programme's mix
  const layout = plan.layout;
  if (canvas && (canvas.width !== layout.width || canvas.height !== layout.height)) {
    canvas.width = layout.width;
    canvas.height = layout.height;
  }

  // The seek below settles the frame at `at`: its fonts and images are fetched alongside its video.
  const scheduler = new PlaybackScheduler(live, schedulerHost(source));
  const facts = programmeFacts(text);
  loadedAssets = assetDescriptions(text);
  loaded = { url: source.name, ...(source.local ? { local: true } : {}), ...facts };
  post({ type: 'programme', programme: programmeInfo(loaded, plan) });

  const clock = new AudioFollowingClock();
  let tickScheduler: TickScheduler = scheduler;
  if (audio) {
    const session = audio;
    session.setProgramme(feederHost(source));
    clock.follow(() => session.heard(), () => session.expectsAudio);
    tickScheduler = withAudio(scheduler, session, clock);
  }
  const started = new Playback({
    scheduler: tickScheduler,
    clock,
    cadence: displayCadence(self),
    duration: plan.duration,
    present: (result, settled) => present(live, result, settled),
    onStats: postStats,
    onError: (error) => post({ type: 'error', stage: 'render', message: describe(error) }),
  });
  playback = started;
  await started.seek(at);
  if (!paused && playback === started) started.play();
}

/** Programme texts being fetched ahead, from the moment a load command arrives. */
const programmeFetches = new Map<string, Promise<string>>();

async function fetchProgramme(url: URL, asked: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${asked}: HTTP ${response.status}`);
  return response.text();
}

/** Starts fetching a programme while earlier commands (the engine's start) still run. */
function prefetchProgramme(asked: string): void {
  if (programmeFetches.has(asked)) return;
  let url: URL;
  try {
    url = sameOriginUrl(asked, self.location.href);
  } catch {
    return; // loadProgramme reports it
  }
  const text = fetchProgramme(url, asked);
  text.catch(() => {}); // loadProgramme reports it
  programmeFetches.set(asked, text);
}

function takeProgramme(asked: string, url: URL): Promise<string> {
  const pending = programmeFetches.get(asked);
  programmeFetches.delete(asked);
  return pending ?? fetchProgramme(url, asked);
}

/** The loaded programme's assets' types and roles (for plain-language media errors). */
let loadedAssets = new Map<string, { assetType?: string; role?: string }>();

/** What the page is told of the loaded programme that its plans do not say. */
let loaded: ProgrammeFacts | null = null;

interface ProgrammeFacts {
  url: string;
  local?: boolean;
  title: string;
  captionLanguages: string[];
  variables: ContextVariable[];
}

/** The programme's title, caption languages and context variables (the engine validated the text, so it parses). */
function programmeFacts(text: string): Omit<ProgrammeFacts, 'url' | 'local'> {
  const doc = JSON.parse(text) as { title?: unknown; assets?: Record<string, { type?: unknown; language?: unknown }> };
  const languages = new Set<string>();
  for (const asset of Object.values(doc.assets ?? {})) {
    if (asset.type === 'captions' && typeof asset.language === 'string' && asset.language !== '') languages.add(asset.language);
  }
  return { title: typeof doc.title === 'string' ? doc.title : '', captionLanguages: [...languages].sort(), variables: declaredContextVariables(doc) };
}

function programmeInfo(facts: ProgrammeFacts, plan: Plan): ProgrammeInfo {
  return {
    ...facts,
    duration: plan.duration,
    width: plan.layout.width,
    height: plan.layout.height,
    scenes: plan.path.map((s) => ({ id: s.scene, ...(s.title ? { title: s.title } : {}), start: s.start, end: s.end })),
    context: effectiveContext(plan.context),
    choices: choicesOfPlan(plan.path),
  };
}

/** A plan's context values (each variable's value, or the default it fell back to) and the viewer's choices. */
function effectiveContext(context: Record<string, unknown>): ViewerContext {
  const out: ViewerContext = {};
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) out[key] = value;
  }
  if (viewerContext.choices) out.choices = { ...viewerContext.choices };
  return out;
}

/** The viewer's context programmes are resolved with. */
let viewerContext: ViewerContext = {};
/** A context change is waiting for its first presented frame ('context-applied'). */
let contextPending = false;

/** A new viewer context: the playing programme is re-resolved from where it is, and goes on. */
async function changeContext(context: ViewerContext): Promise<void> {
  const before = viewerContext;
  viewerContext = { ...context };
  const live = engine;
  const current = playback;
  if (!live || !current || !loaded) return;
  const { plan } = live.reresolve({ ...viewerContext }, current.counters().time);
  current.duration = plan.duration;
  if (audio) {
    const changed = (['dialogueBalance', 'audioDescription'] as const).filter((key) => before[key] !== viewerContext[key]);
    if (changed.length > 0) audio.noteChange(changed.map((key) => `${key} ${String(viewerContext[key])}`).join(', '));
    audio.kick(); // a new object (the description) is decoded at once
  }
  contextPending = true;
  post({ type: 'programme-changed', programme: programmeInfo(loaded, plan) });
  if (current.counters().state !== 'playing') await current.seek(current.counters().time);
}

/** The viewer's caption settings, handed to the engine with each programme and on change. */
let captionSettings: CaptionSettings = { ...DEFAULT_CAPTION_SETTINGS };

/** Where the player's fonts are (the directory of init's fontUrl). */
let fontBase: URL | null = null;
/** Loads a caption font family the first time the viewer picks it (the engine draws sans until then). */
async function ensureCaptionFont(live: TesseraEngine, font: CaptionFont): Promise<void> {
  if (font === 'default' || font === 'sans' || live.hasFont(font) || !fontBase) return;
  const url = new URL(captionFontFile(font).url, fontBase);
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    live.addFont(font, new Uint8Array(await response.arrayBuffer()));
  } catch (error) {
    // Not fatal: the captions stay in the sans family.
    post({ type: 'error', stage: 'asset', file: url.pathname, message: `${url.pathname} (caption font ${font}): ${describe(error)}` });
  }
}

/** Applies new caption settings; a paused programme's frame is composed again with them. */
async function applyCaptionSettings(settings: CaptionSettings): Promise<void> {
  captionSettings = settings;
  if (!engine) return;
  await ensureCaptionFont(engine, settings.font);
  engine.setCaptionSettings(settings);
  const current = playback;
  if (current && current.counters().state !== 'playing') await current.seek(current.counters().time);
}

/** The caption text last sent to the page (sent again only when it changes). */
let captionsSent: string[] = [];

function sendCaptions(text: string[]): void {
  if (text.length === captionsSent.length && text.every((line, i) => line === captionsSent[i])) return;
  captionsSent = text;
  post({ type: 'captions', text });
}

async function present(live: TesseraEngine, result: TickResult, settled: boolean): Promise<void> {
  sendCaptions(result.report.captions);
  // Settled frames (paused, sought) are hashed for determinism checks; playing frames are not:
  // hashing 3.7 MB sixty times a second would cost more than composing.
  await show(live, settled ? { renderMs: result.composeMs, time: result.time } : null, true);
  if (!settled) audio?.recordPresented(result.time, performance.timeOrigin + performance.now());
}

function postStats(counters: PlaybackCounters): void {
  post({ type: 'stats', stats: { ...counters, videoFrames: videoFrameStats(), firstFrameEpochMs, audio: audio?.stats() ?? null } });
}

async function capture(id: number): Promise<void> {
  const live = engine;
  const current = playback;
  if (!live || !current) {
    post({ type: 'capture', id, capture: null, error: 'no programme is loaded' });
    return;
  }
  await current.idle();
  const frame = live.copyFrame();
  const sha256 = await sha256Hex(frame.pixels);
  const time = current.counters().time;
  post({ type: 'capture', id, capture: { time, width: frame.width, height: frame.height, sha256, pixels: frame.pixels.buffer } }, [
    frame.pixels.buffer,
  ]);
}

async function run(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init':
      return init(message);
    case 'canvas':
      return attach(message.canvas);
    case 'caption-settings':
      return applyCaptionSettings(message.settings);
    case 'context':
      return changeContext(message.context);
    case 'render-test-card':
      return renderTestCard();
    case 'load':
      return loadProgramme(message);
    case 'open-files':
      return openFiles(message);
    case 'play':
      return playback?.play();
    case 'pause':
      return playback?.pause();
    case 'seek':
      return playback?.seek(message.time);
    case 'rate':
      return playback?.setRate(message.rate);
    case 'stop':
      return playback?.stop();
    case 'capture':
      return capture(message.id);
    case 'audio-probe':
      return post({ type: 'audio-probe', id: message.id, probe: audio?.probe() ?? null });
  }
}

/** Seeks received so far: a seek still queued when a newer one arrives is skipped (slider drags). */
let seeksReceived = 0;

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'canvas') return attach(message.canvas);
  // Audio messages are handled at once: a control change must be heard within ~50 ms, not after
  // a seek or load queued before it.
  if (message.type === 'audio-output') {
    if (audio) audio.attach(message.transport, message.latencySeconds);
    else pendingAudio = { transport: message.transport, latencySeconds: message.latencySeconds, running: false };
    return;
  }
  if (message.type === 'audio-running') {
    if (audio) audio.setRunning(message.running, message.latencySeconds);
    else if (pendingAudio) pendingAudio = { ...pendingAudio, running: message.running, latencySeconds: message.latencySeconds };
    return;
  }
  if (message.type === 'audio-controls') {
    audioControls = { volume: message.volume, muted: message.muted };
    if (audio && playback) {
      try {
        audio.setControls(message.volume, message.muted);
      } catch (error) {
        post({ type: 'error', stage: 'render', message: describe(error) });
      }
    }
    return;
  }
  if (message.type === 'load') prefetchProgramme(message.url);
  const seekNumber = message.type === 'seek' ? ++seeksReceived : 0;
  commands = commands.then(() => {
    if (message.type === 'seek' && seekNumber !== seeksReceived) return;
    return run(message).catch((error: unknown) => {
      post({ type: 'error', stage: message.type === 'load' || message.type === 'open-files' ? 'programme' : 'render', message: describe(error) });
    });
  });
};
