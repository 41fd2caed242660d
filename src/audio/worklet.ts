// The AudioWorkletProcessor that plays the engine's mix ('tessera-output'): each quantum it takes
// 128 frames from the shared ring (or, without cross-origin isolation, from the chunks posted to
// it) through Playout (playout.ts), which counts frames played and underrun frames. Loaded by
// output.ts with audioWorklet.addModule(); it runs in the AudioWorkletGlobalScope, so it imports
// nothing that touches the DOM. process() allocates nothing on the shared-ring path.
import { Playout } from './playout';
import { AudioRing, PortRingReader } from './ring';
import {
  ONSET_PROCESSOR_NAME,
  OUTPUT_PROCESSOR_NAME,
  PORT_COUNTER_QUANTA,
  PORT_LEVEL_QUANTA,
  type FromOutputWorklet,
  type OnsetMessage,
  type OnsetOptions,
  type ToOutputWorklet,
} from './worklet-protocol';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const currentFrame: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
declare function registerProcessor(name: string, processor: new (options?: { processorOptions?: unknown }) => AudioWorkletProcessor): void;

class OutputProcessor extends AudioWorkletProcessor {
  readonly #playout = new Playout();
  /** Set on the port path: the main thread has no shared counters to read. */
  #postCounters = false;
  #quanta = 0;

  constructor(options?: { processorOptions?: unknown }) {
    super(options);
    this.port.onmessage = (event: MessageEvent<ToOutputWorklet>) => this.#onMessage(event.data);
  }

  #onMessage(message: ToOutputWorklet): void {
    switch (message.type) {
      case 'connect-ring':
        this.#playout.connect(new AudioRing(message.buffer));
        this.#postCounters = false;
        break;
      case 'connect-port':
        this.#playout.connect(new PortRingReader(message.port, { channels: message.channels, reportEvery: PORT_LEVEL_QUANTA }));
        this.#postCounters = true;
        break;
      case 'start':
        this.#playout.start();
        this.#reportLevel();
        break;
      case 'stop':
        this.#playout.stop();
        this.#reportLevel();
        break;
      case 'flush':
        this.#playout.flush();
        this.#reportLevel();
        break;
    }
  }

  #reportLevel(): void {
    const source = this.#playout.source;
    if (source instanceof PortRingReader) source.reportNow(this.#playout.counters, this.#playout.state === 'playing');
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    if (out && out.length > 0) {
      this.#playout.process(out, out[0]!.length, currentFrame);
    }
    if (this.#postCounters && ++this.#quanta % PORT_COUNTER_QUANTA === 0) {
      this.port.postMessage({ type: 'counters', counters: { ...this.#playout.counters } } satisfies FromOutputWorklet);
    }
    return true;
  }
}

registerProcessor(OUTPUT_PROCESSOR_NAME, OutputProcessor);

/** Posts the context frame of each onset in its input (ONSET_PROCESSOR_NAME); outputs silence. */
class OnsetProcessor extends AudioWorkletProcessor {
  readonly #threshold: number;
  readonly #quietFrames: number;
  /** Frames since the input was last at or above the threshold. */
  #quiet: number;

  constructor(options?: { processorOptions?: unknown }) {
    super(options);
    const o = (options?.processorOptions ?? {}) as Partial<OnsetOptions>;
    this.#threshold = typeof o.threshold === 'number' && o.threshold > 0 ? o.threshold : 0.1;
    this.#quietFrames = typeof o.quietFrames === 'number' && o.quietFrames >= 0 ? o.quietFrames : 4800;
    this.#quiet = this.#quietFrames;
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0] ?? [];
    const frames = input[0]?.length ?? 0;
    for (let i = 0; i < frames; i++) {
      let magnitude = 0;
      for (const channel of input) magnitude = Math.max(magnitude, Math.abs(channel[i]!));
      if (magnitude < this.#threshold) {
        this.#quiet++;
        continue;
      }
      if (this.#quiet >= this.#quietFrames) {
        const message: OnsetMessage = { type: 'onset', contextFrame: currentFrame + i, magnitude };
        this.port.postMessage(message);
      }
      this.#quiet = 0;
    }
    return true;
  }
}

registerProcessor(ONSET_PROCESSOR_NAME, OnsetProcessor);
