// The player controller: owns the engine worker, sends it typed commands and folds its messages
// into the store. DOM use is limited to handing over (or drawing into) the canvas it is given.
import type { TierRequest } from '../engine/simd';
import type { AudioOutput } from '../audio/output';
import type { AudioSettings } from './audio-settings';
import type { CaptionSettings } from './caption-settings';
import type { AudioProbe, FrameCapture, FromWorker, LocalProgramme, ToWorker, ViewerContext } from './protocol';
import { applyWorkerMessage, type PlayerStore } from './store';

/** A programme to play instead of the test card. */
export interface ProgrammeRequest {
  /** Same-origin URL of the programme JSON. */
  url: string;
  /** Seconds to start at (default 0). */
  at?: number;
  /** Show the frame at `at` and wait (default: play). */
  paused?: boolean;
}

export interface ControllerOptions {
  /** Where to draw; attachCanvas gives one later (the player starts loading before the page has it). */
  canvas?: HTMLCanvasElement;
  fontUrl: string;
  width: number;
  height: number;
  tier?: TierRequest;
  verifyPresentation?: boolean;
  /** Play this programme; without it the worker draws the test card. */
  programme?: ProgrammeRequest;
  /** The viewer's caption settings (e.g. loaded from storage), applied from the first frame. */
  captionSettings?: CaptionSettings;
  /** The viewer's context (e.g. captions on, their language) to resolve programmes with. */
  context?: ViewerContext;
  /** The viewer's audio settings (dialogue balance and description join the context). */
  audioSettings?: AudioSettings;
  /**
   * Make an audio output (default true): an AudioContext with the output worklet, its queue
   * handed to the worker. It plays once a user gesture resumes it (unlockAudio).
   */
  audio?: boolean;
  /** Force the audio queue's transport (tests: 'port' exercises the fallback). */
  audioTransport?: 'auto' | 'port';
}

export class PlayerController {
  readonly #worker: Worker;
  readonly #store: PlayerStore;
  /** The frame size before a programme sets its own (the test card's). */
  readonly #size: { width: number; height: number };
  /** Frames come back as pixels (no OffscreenCanvas): drawn here, on the attached canvas. */
  readonly #pixelsPresentation: boolean;
  #fallbackContext: CanvasRenderingContext2D | null = null;
  /** The last frame sent back as pixels, drawn when a canvas is attached after it arrived. */
  #lastPixels: Extract<FromWorker, { type: 'pixels' }> | null = null;
  readonly #captures = new Map<number, { resolve: (capture: FrameCapture) => void; reject: (error: Error) => void }>();
  #nextCaptureId = 1;
  readonly #probes = new Map<number, (probe: AudioProbe | null) => void>();
  /** The audio output once made (null: none yet, or none possible). */
  #output: AudioOutput | null = null;
  #outputMade: Promise<AudioOutput | null> = Promise.resolve(null);
  /** A gesture came before the output was ready: start it as soon as it is. */
  #startWanted = false;
  readonly #audioEnabled: boolean = true;
  readonly #audioTransport: 'auto' | 'port' = 'auto';
  /** The AudioContext, made in the first gesture (pages never played make none). */
  #audioContext: AudioContext | null = null;
  /** The worklet was told to play (AudioOutput.start resolved). */
  #outputStarted = false;
  /** Samples the output's lead over the device while it runs (see #measureLead). */
  #leadTimer: ReturnType<typeof setInterval> | null = null;

  constructor(store: PlayerStore, options: ControllerOptions) {
    this.#store = store;
    this.#worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'tessera-engine' });
    this.#worker.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(event.data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#receive({ type: 'error', stage: 'load', message: event.message || 'the engine worker failed to start' });
    };
    store.setState({ status: 'loading' });

    const { fontUrl, width, height } = options;
    this.#size = { width, height };
    this.#pixelsPresentation = typeof HTMLCanvasElement.prototype.transferControlToOffscreen !== 'function';
    this.#post({
      type: 'init',
      presentation: this.#pixelsPresentation ? 'pixels' : 'offscreen',
      fontUrl,
      width,
      height,
      tier: options.tier ?? 'auto',
      verifyPresentation: options.verifyPresentation ?? false,
      testCard: !options.programme,
      ...(options.captionSettings ? { captionSettings: options.captionSettings } : {}),
      ...(options.context ? { context: options.context } : {}),
    });
    if (options.captionSettings) store.setState({ captionSettings: options.captionSettings });
    if (options.context) store.setState({ context: options.context });
    if (options.audioSettings) {
      store.setState({ audioSettings: options.audioSettings });
      this.#post({ type: 'audio-controls', volume: options.audioSettings.volume, muted: options.audioSettings.muted });
    }
    this.#audioEnabled = options.audio ?? true;
    if (!this.#audioEnabled) store.setState((s) => ({ ...s, audio: { ...s.audio, available: false, problem: 'sound is turned off for this page' } }));
    this.#audioTransport = options.audioTransport ?? 'auto';
    if (options.programme) this.load(options.programme);
    if (options.canvas) this.attachCanvas(options.canvas);
  }

  /**
   * Draws on `canvas` from now on (the frame already composed at once). Control of a canvas can be
   * handed to the worker only once: attach a new canvas element after detachCanvas.
   */
  attachCanvas(canvas: HTMLCanvasElement): void {
    canvas.width = this.#size.width;
    canvas.height = this.#size.height;
    if (this.#pixelsPresentation) {
      this.#fallbackContext = canvas.getContext('2d', { alpha: false });
      if (this.#lastPixels) this.#drawPixels(this.#lastPixels);
      return;
    }
    const offscreen = canvas.transferControlToOffscreen();
    this.#post({ type: 'canvas', canvas: offscreen }, [offscreen]);
  }

  /** Stops drawing on the attached canvas (the player goes on; attach another to see it). */
  detachCanvas(): void {
    if (this.#pixelsPresentation) this.#fallbackContext = null;
    else this.#post({ type: 'canvas', canvas: null });
  }

  renderTestCard(): void {
    this.#post({ type: 'render-test-card' });
  }

  /** Loads a programme and shows its frame at `at`; plays unless `paused`. */
  load({ url, at = 0, paused = false }: ProgrammeRequest): void {
    this.#post({ type: 'load', url, at, paused });
  }

  /**
   * Opens a programme from the viewer's files (src/player/open-files.ts prepares it). It replaces
   * the programme playing only if the engine finds it valid; if not, the store's `rejected` says why
   * and what was playing goes on.
   */
  openFiles(programme: LocalProgramme, { at = 0, paused = false }: { at?: number; paused?: boolean } = {}): void {
    this.#store.setState({ rejected: null });
    this.#post({ type: 'open-files', programme, at, paused });
  }

  /** The viewer has read why an opened programme was refused. */
  dismissRejection(): void {
    this.#store.setState({ rejected: null });
  }

  /** Plays; called from a gesture (a click, a key), it also lets the sound start (unlockAudio). */
  play(): void {
    this.unlockAudio();
    this.#post({ type: 'play' });
  }

  pause(): void {
    this.#post({ type: 'pause' });
  }

  /** Changes the viewer's context (merged into the current one); the programme re-resolves in place. */
  setContext(context: ViewerContext): void {
    const merged = { ...this.#store.getState().context, ...context };
    this.#store.setState({ context: merged });
    this.#post({ type: 'context', context: merged });
  }

  /**
   * Resumes the AudioContext: call it from a user gesture (a click, a key press). Until then the
   * picture plays on its own clock, silently. Harmless when already running.
   */
  unlockAudio(): void {
    const output = this.#output;
    if (!output) {
      this.#startWanted = true;
      if (this.#audioEnabled && !this.#audioContext && typeof AudioContext === 'function') {
        // Made and resumed inside the gesture (Firefox and WebKit start audio only from one);
        // the worklet and the queue follow asynchronously.
        try {
          this.#audioContext = new AudioContext({ sampleRate: 48_000, latencyHint: 'interactive' });
          void this.#audioContext.resume().catch(() => {});
          this.#outputMade = this.#makeOutput(this.#audioTransport, this.#audioContext);
        } catch (error) {
          this.#store.setState((st) => ({ ...st, audio: { ...st.audio, available: false, problem: error instanceof Error ? error.message : String(error) } }));
        }
      }
      return;
    }
    if (this.#outputStarted && output.running) return;
    output.start().then(
      () => {
        this.#outputStarted = true;
        this.#audioRunning(output);
      },
      () => {}, // not allowed yet: the next gesture tries again
    );
  }

  /** The viewer's audio settings in force. */
  audioSettings(): AudioSettings {
    return this.#store.getState().audioSettings;
  }

  /** The viewer's volume and mute (the engine's output controls, applied within a render quantum). */
  setAudioSettings(settings: AudioSettings): void {
    const previous = this.#store.getState().audioSettings;
    this.#store.setState({ audioSettings: settings });
    if (previous.volume !== settings.volume || previous.muted !== settings.muted) {
      this.#post({ type: 'audio-controls', volume: settings.volume, muted: settings.muted });
    }
  }

  /** The worker's audio levels and counters (tests). */
  audioProbe(): Promise<AudioProbe | null> {
    const id = this.#nextCaptureId++;
    return new Promise((resolve) => {
      this.#probes.set(id, resolve);
      this.#post({ type: 'audio-probe', id });
    });
  }

  /** The page's audio output (tests and diagnostics), once made. */
  audioOutput(): Promise<AudioOutput | null> {
    return this.#outputMade;
  }

  async #makeOutput(transport: 'auto' | 'port', context: AudioContext): Promise<AudioOutput | null> {
    let output: AudioOutput;
    try {
      const { AudioOutput } = await import('../audio/output');
      output = await AudioOutput.create({ transport, context });
    } catch (error) {
      void context.close().catch(() => {});
      // No audio (no AudioWorklet, no device): the picture plays silently.
      this.#store.setState((s) => ({ ...s, audio: { ...s.audio, available: false, problem: error instanceof Error ? error.message : String(error) } }));
      return null;
    }
    this.#output = output;
    this.#post({ type: 'audio-output', transport: output.transport, latencySeconds: output.clock.latencySeconds() }, output.transferables);
    this.#store.setState((s) => ({ ...s, audio: { ...s.audio, available: true, transport: output.transport.kind } }));
    output.context.addEventListener('statechange', () => {
      // A context the browser let run without a gesture still needs the worklet started.
      if (output.running) this.unlockAudio();
      else {
        this.#store.setState((s) => ({ ...s, audio: { ...s.audio, running: false } }));
        this.#post({ type: 'audio-running', running: false, latencySeconds: output.clock.latencySeconds() });
      }
    });
    if (this.#startWanted || output.running) this.unlockAudio();
    return output;
  }

  #audioRunning(output: AudioOutput): void {
    if (!output.running || this.#store.getState().audio.running) return;
    this.#store.setState((s) => ({ ...s, audio: { ...s.audio, running: true } }));
    this.#post({ type: 'audio-running', running: true, latencySeconds: output.clock.latencySeconds() });
    this.#measureLead(output);
  }

  /**
   * The worker places the heard time at the worklet's position less the output latency. Browsers'
   * outputLatency leaves out their render-ahead (Chromium runs the worklet ~35 ms ahead of the
   * device in bursts), so the latency sent is measured: the mean, over the last 3 s, of how far
   * currentTime leads the device's output timestamp (sampled every 100 ms, sent when it moves by
   * 1 ms). Where the browser gives no timestamps, outputLatency stands.
   */
  #measureLead(output: AudioOutput): void {
    if (this.#leadTimer !== null) return;
    const samples: number[] = [];
    let sent = output.clock.latencySeconds();
    this.#leadTimer = setInterval(() => {
      if (!output.running) return;
      // Firefox's timestamps put the device at currentTime (lead 0) and report the latency as
      // outputLatency instead: the larger of the two is the better estimate.
      const lead = Math.max(output.clock.leadSeconds() ?? 0, output.clock.latencySeconds());
      samples.push(lead);
      if (samples.length > 30) samples.shift();
      if (samples.length < 5) return;
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      if (Math.abs(mean - sent) < 0.001) return;
      sent = mean;
      this.#post({ type: 'audio-running', running: true, latencySeconds: mean });
    }, 100);
  }

  /**
   * Takes `option` at the choice of scene `scene`: merged into the context's choices, so the
   * programme re-resolves where it is (no restart) and its path follows the option.
   */
  choose(scene: string, option: string): void {
    const choices = { ...(this.#store.getState().context.choices ?? {}), [scene]: option };
    this.setContext({ choices });
  }

  /** Applies caption settings from the next frame on (the store keeps them for the UI). */
  setCaptionSettings(settings: CaptionSettings): void {
    this.#store.setState({ captionSettings: settings });
    this.#post({ type: 'caption-settings', settings });
  }

  /** Moves to `time` seconds; the frame there is shown once decoded, and playing goes on from it. */
  seek(time: number): void {
    this.#post({ type: 'seek', time });
  }

  setRate(rate: number): void {
    this.#post({ type: 'rate', rate });
  }

  /** Pauses and closes every video reader (releasing decoders); play or seek reopens them. */
  stop(): void {
    this.#post({ type: 'stop' });
  }

  /**
   * A copy of the engine's frame on screen, taken after every command sent before it (a seek's
   * frame, once decoded). For tests and diagnostics.
   */
  capture(): Promise<FrameCapture> {
    const id = this.#nextCaptureId++;
    return new Promise((resolve, reject) => {
      this.#captures.set(id, { resolve, reject });
      this.#post({ type: 'capture', id });
    });
  }

  dispose(): void {
    if (this.#leadTimer !== null) clearInterval(this.#leadTimer);
    this.#worker.terminate();
    void this.#output?.close();
    void this.#audioContext?.close().catch(() => {});
    for (const pending of this.#captures.values()) pending.reject(new Error('the player was disposed'));
    this.#captures.clear();
  }

  #post(message: ToWorker, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  #drawPixels(message: Extract<FromWorker, { type: 'pixels' }>): void {
    const context = this.#fallbackContext;
    if (!context) return;
    const target = context.canvas;
    if (target.width !== message.width || target.height !== message.height) {
      target.width = message.width; // a programme's layout may differ from the initial size
      target.height = message.height;
    }
    context.putImageData(new ImageData(new Uint8ClampedArray(message.pixels), message.width, message.height), 0, 0);
  }

  #receive(message: FromWorker): void {
    if (message.type === 'pixels') {
      this.#lastPixels = message;
      this.#drawPixels(message);
    }
    if (message.type === 'audio-probe') {
      this.#probes.get(message.id)?.(message.probe);
      this.#probes.delete(message.id);
    }
    if (message.type === 'capture') {
      const pending = this.#captures.get(message.id);
      this.#captures.delete(message.id);
      if (pending && message.capture) pending.resolve(message.capture);
      else pending?.reject(new Error(message.error ?? 'no frame to capture'));
    }
    this.#store.setState((state) => applyWorkerMessage(state, message));
  }
}
