// The AudioWorkletProcessor that plays the engine's mix ('tessera-output'): each quantum it takes
// 128 frames from the shared ring (or, without cross-origin isolation, from the chunks posted to
// it) through Playout (playout.ts), which counts frames played and underrun frames. Loaded by
// output.ts with audioWorklet.addModule(); it runs in the AudioWorkletGlobalScope, so it imports
// nothing that touches the DOM. process() allocates nothing on the shared-ring path.
import { Playout } from './playout';
import { AudioRing, PortRingReader } from './ring';
import { PORT_COUNTER_QUANTA, PORT_LEVEL_QUANTA, OUTPUT_PROCESSOR_NAME, type FromOutputWorklet, type ToOutputWorklet } from './worklet-protocol';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const currentFrame: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare function registerProcessor(name: string, processor: new (options?: unknown) => AudioWorkletProcessor): void;

class OutputProcessor extends AudioWorkletProcessor {
  readonly #playout = new Playout();
  /** Set on the port path: the main thread has no shared counters to read. */
  #postCounters = false;
  #quanta = 0;

  constructor(options?: unknown) {
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
