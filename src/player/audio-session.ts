// The engine worker's audio: renders the engine's programme mix into the page's audio output
// (an AudioProducer on the shared ring or the port fallback), keeps the mix fed with decoded PCM
// (AudioFeeder) and tells the playback clock which programme time is being heard.
//
// Positions: the producer's frame is the programme frame (time × 48000) it renders next, so the
// time heard now is (producer position − frames queued) / 48000 − the output's latency.
// States: silent (no programme playing, or no output yet: the producer writes silence so the
// worklet never runs dry) and audible (playing at rate 1 with the context running: the engine's
// mix). Going audible seeks the mix and the producer to the clock's time; settles (pause, seek)
// seek the mix and the decoders to the settled time and go silent.
import { AUDIO_SAMPLE_RATE } from '../engine/audio';
import type { AudioTransport } from '../audio/output';
import { AudioProducer } from '../audio/producer';
import { AudioRing, PortRingWriter } from '../audio/ring';
import { AUDIO_START_HOLD_MS } from './clock';
import { AudioFeeder, type FeederEngine, type FeederHost, type FeederStats } from './audio-feeder';
import { LevelHistory } from './audio-settings';
import type { AudioProbe } from './protocol';

/** How long a settle waits for the decoders to fill the mix before it shows its frame. */
export const PRIME_WAIT_MS = 300;
/** A play tick this close after the primed frame starts the mix at the primed frame. */
const START_SLACK_FRAMES = 0.15 * AUDIO_SAMPLE_RATE;
/** Feeding interval while audible. */
const FEED_INTERVAL_MS = 25;
/** PCM every active object must have queued before the mix starts playing out (seconds). */
const START_PRIMED_SECONDS = 0.15;

export interface SessionEngine extends FeederEngine {
  renderAudio(frame: number, frames: number): Float32Array;
  audioSeek(frame: number): void;
  setAudioControls(controls: { volume?: number; muted?: boolean }): void;
  audioStats(): { underrunFrames: number; frame: number; objects: { object: string; underrunFrames: number; queuedFrames: number }[] };
}

export interface AudioStatsReport {
  transport: AudioTransport['kind'] | null;
  /** The AudioContext runs. */
  running: boolean;
  /** The engine's mix is playing out (else silence). */
  audible: boolean;
  framesPlayed: number;
  /** Output underruns (silence the worklet had to play) while the programme's mix was playing out. */
  underrunFrames: number;
  /** All output underruns since the output was attached, silent stretches included. */
  totalUnderrunFrames: number;
  queuedFrames: number;
  heardTime: number | null;
  latencySeconds: number;
  /** Frames the engine's objects had no PCM for (all objects, since the programme loaded). */
  objectUnderrunFrames: number;
  feeder: FeederStats | null;
  /** Per object: frames without PCM, frames queued. */
  objects: { object: string; underrunFrames: number; queuedFrames: number }[];
  producer: {
    minQueuedFrames: number;
    maxQueuedFrames: number;
    shortRenders: number;
    maxTickGapMs: number;
    /** The producer's latest stalls (tick gaps the queue could not cover): [epoch ms when it began, ms]. */
    stalls: Array<[number, number]>;
    /** The output's latest stops (its clock stood still while the producer ran): [epoch ms when it last moved, ms]. */
    outputStalls: Array<[number, number]>;
    /** The latest output underruns: [epoch ms when the producer saw them, frames]. */
    underruns: Array<[number, number]>;
    /** Port fallback: the longest delay of the worklet's level reports beyond the fastest (ms). */
    maxReportLagMs: number;
    wakeups: number;
  } | null;
}

export class AudioSession {
  readonly #engine: SessionEngine;
  #producer: AudioProducer | null = null;
  #transport: AudioTransport['kind'] | null = null;
  #feeder: AudioFeeder | null = null;
  #running = false;
  #latency = 0;
  #audible = false;
  /** The next frame the engine renders (its mix position). */
  #engineFrame = 0;
  #feedTimer: ReturnType<typeof setInterval> | null = null;
  /** When play() first found the mix not primed (performance.now ms), while it waits to start. */
  #waitingSinceMs: number | null = null;
  /** Underruns counted while audible, and the counter's value when the mix last went audible. */
  #audibleUnderruns = 0;
  #underrunsAtAudible = 0;
  readonly levels = new LevelHistory();
  readonly changes: AudioProbe['changes'] = [];
  readonly avOffsets: number[] = [];
  /** Presented frames while playing: [programme time, epoch ms when handed to the canvas]. */
  readonly presented: Array<[number, number]> = [];

  constructor(engine: SessionEngine) {
    this.#engine = engine;
  }

  /** The page's output queue: silence is written into it until a programme plays. */
  attach(transport: AudioTransport, latencySeconds: number): void {
    this.#producer?.close();
    this.#transport = transport.kind;
    this.#latency = latencySeconds;
    this.#producer = new AudioProducer(transport, (frame, frames) => this.#render(frame, frames));
    this.#producer.start(0);
  }

  setRunning(running: boolean, latencySeconds: number): void {
    this.#running = running;
    this.#latency = latencySeconds;
    if (!running) this.silence();
  }

  get available(): boolean {
    return this.#producer !== null && this.#running;
  }

  /** Sound will start when playing begins (the clock holds the first frame for it). */
  get expectsAudio(): boolean {
    return this.available && this.#feeder !== null;
  }

  /** A new programme (or none): its decoders replace the last one's. */
  setProgramme(host: FeederHost | null): void {
    this.silence();
    this.#feeder?.close();
    this.#feeder = host ? new AudioFeeder(this.#engine, host) : null;
    this.#engineFrame = -1; // unknown: the next prepare seeks
    this.levels.reset();
  }

  /** The programme time heard now, or null when the engine's mix is not playing out. */
  heard(): number | null {
    const producer = this.#producer;
    if (!producer || !this.#audible || !this.#running) return null;
    const position = producer.stats().position;
    return (position - producer.writer.queued()) / AUDIO_SAMPLE_RATE - this.#latency;
  }

  /** A settle at `time` (pause, seek, load): silence, the mix and decoders moved there and primed. */
  async prepare(time: number): Promise<void> {
    this.silence();
    const feeder = this.#feeder;
    if (!feeder || !this.#producer) return;
    const frame = Math.round(time * AUDIO_SAMPLE_RATE);
    let primed: Promise<void>;
    if (frame === this.#engineFrame) {
      primed = feeder.fill(time); // already there (a context change while paused): new objects only
    } else {
      this.#engine.audioSeek(frame);
      this.#engineFrame = frame;
      this.levels.reset();
      primed = feeder.seek(time);
    }
    await Promise.race([primed, new Promise((resolve) => setTimeout(resolve, PRIME_WAIT_MS))]);
  }

  /** A play tick at `time`: starts the mix there if it is not playing out yet. */
  play(time: number, rate: number): void {
    if (this.#audible || !this.#producer || !this.#feeder || !this.#running || rate !== 1) return;
    let frame = Math.round(time * AUDIO_SAMPLE_RATE);
    // Just after a settle the mix waits primed at the settled frame: start there (the clock holds
    // its first frame until that sound is heard) rather than throw the primed PCM away.
    if (this.#engineFrame >= 0 && frame >= this.#engineFrame && frame - this.#engineFrame < START_SLACK_FRAMES) frame = this.#engineFrame;
    if (frame !== this.#engineFrame) {
      this.#engine.audioSeek(frame);
      this.#engineFrame = frame;
      this.levels.reset();
      void this.#feeder.seek(time);
      this.#waitingSinceMs = null;
    }
    // Start only once every object playing at the start has PCM queued (the clock holds the
    // first frame meanwhile), so the first quanta are not missing an object; a decoder that
    // never delivers holds the start for at most AUDIO_START_HOLD_MS.
    const now = performance.now();
    this.#waitingSinceMs ??= now;
    if (now - this.#waitingSinceMs < AUDIO_START_HOLD_MS && !this.#primedAt(frame)) {
      void this.#feeder.fill(frame / AUDIO_SAMPLE_RATE);
      return;
    }
    this.#waitingSinceMs = null;
    this.#audible = true;
    this.#underrunsAtAudible = this.#counters().underrunFrames;
    this.#producer.seek(frame);
    this.#startFeeding();
  }

  /** Whether every object playing at `frame` has PCM queued START_PRIMED_SECONDS past it (or has ended, or failed). */
  #primedAt(frame: number): boolean {
    const time = frame / AUDIO_SAMPLE_RATE;
    const feeder = this.#feeder;
    return this.#engine
      .audioAt(time, 0)
      .audio.every((need) => !need.active || need.queuedEnd >= Math.min(need.end, time + START_PRIMED_SECONDS) - 1e-6 || (feeder?.settled(need.object) ?? true));
  }

  /** Back to silence (the producer keeps the worklet's queue full of it). */
  silence(): void {
    this.#waitingSinceMs = null;
    if (!this.#audible) return;
    this.#audibleUnderruns += this.#counters().underrunFrames - this.#underrunsAtAudible;
    this.#audible = false;
    this.#stopFeeding();
    // Silence from now: what is queued of the mix is flushed.
    this.#producer?.seek(this.#producer.stats().position);
  }

  /** A control change applied now (for the latency measurements). */
  noteChange(what: string): void {
    const heard = this.heard();
    this.changes.push({
      what,
      heardFrame: heard === null ? null : Math.round(heard * AUDIO_SAMPLE_RATE),
      renderFrame: this.#engineFrame,
      epochMs: performance.timeOrigin + performance.now(),
    });
    if (this.changes.length > 100) this.changes.shift();
  }

  /** Tops up the decoders now (e.g. a new object after a context change). */
  kick(): void {
    if (this.#audible && this.#feeder && this.#engineFrame >= 0) void this.#feeder.fill(this.#engineFrame / AUDIO_SAMPLE_RATE);
  }

  setControls(volume: number, muted: boolean): void {
    this.#engine.setAudioControls({ volume, muted });
    this.noteChange(muted ? 'mute' : `volume ${volume}`);
  }

  /** A playing frame for `time` was handed to the canvas at `epochMs` (performance.timeOrigin + now). */
  recordPresented(time: number, epochMs: number): void {
    this.presented.push([time, epochMs]);
    if (this.presented.length > 2000) this.presented.shift();
    const heard = this.heard();
    if (heard === null) return;
    this.avOffsets.push(time - heard);
    if (this.avOffsets.length > 2000) this.avOffsets.shift();
  }


  #counters(): { framesPlayed: number; underrunFrames: number } {
    const writer = this.#producer?.writer;
    if (!writer) return { framesPlayed: 0, underrunFrames: 0 };
    return writer instanceof AudioRing ? writer.readCounters({ framesPlayed: 0, underrunFrames: 0, contextFrame: 0, framesDiscarded: 0 }) : (writer as PortRingWriter).counters;
  }

  stats(): AudioStatsReport {
    const producer = this.#producer;
    const { framesPlayed, underrunFrames: totalUnderrunFrames } = this.#counters();
    const underrunFrames = this.#audibleUnderruns + (this.#audible ? totalUnderrunFrames - this.#underrunsAtAudible : 0);
    const p = producer?.stats();
    let objectUnderrunFrames = 0;
    let objects: AudioStatsReport['objects'] = [];
    try {
      if (this.#feeder) {
        const engineStats = this.#engine.audioStats();
        objectUnderrunFrames = engineStats.underrunFrames;
        objects = engineStats.objects.map((o) => ({ object: o.object, underrunFrames: o.underrunFrames, queuedFrames: o.queuedFrames }));
      }
    } catch {
      objectUnderrunFrames = 0; // no programme
    }
    return {
      transport: this.#transport,
      running: this.#running,
      audible: this.#audible,
      framesPlayed,
      underrunFrames,
      totalUnderrunFrames,
      queuedFrames: producer ? producer.writer.queued() : 0,
      heardTime: this.heard(),
      latencySeconds: this.#latency,
      objectUnderrunFrames,
      objects,
      feeder: this.#feeder?.stats() ?? null,
      producer: p
        ? {
            minQueuedFrames: p.minQueuedFrames,
            maxQueuedFrames: p.maxQueuedFrames,
            shortRenders: p.shortRenders,
            maxTickGapMs: p.maxTickGapMs,
            stalls: p.stalls.map(toEpoch),
            outputStalls: p.outputStalls.map(toEpoch),
            underruns: p.underruns.map(toEpoch),
            maxReportLagMs: p.maxReportLagMs,
            wakeups: p.wakeups,
          }
        : null,
    };
  }

  probe(): AudioProbe {
    return { stats: this.stats(), levels: this.levels.blocks.slice(), changes: this.changes.slice(), avOffsets: this.avOffsets.slice(), presented: this.presented.slice() };
  }

  dispose(): void {
    this.#stopFeeding();
    this.#feeder?.close();
    this.#producer?.close();
  }

  #render(frame: number, frames: number): Float32Array {
    if (!this.#audible) return new Float32Array(frames * 2);
    if (frame !== this.#engineFrame) {
      this.#engine.audioSeek(frame);
      this.levels.reset();
    }
    const samples = this.#engine.renderAudio(frame, frames);
    this.#engineFrame = frame + frames;
    this.levels.add(frame, samples, frames);
    return samples;
  }

  #startFeeding(): void {
    this.#stopFeeding();
    this.kick();
    this.#feedTimer = setInterval(() => this.kick(), FEED_INTERVAL_MS);
  }

  #stopFeeding(): void {
    if (this.#feedTimer !== null) clearInterval(this.#feedTimer);
    this.#feedTimer = null;
  }
}

/** A stall on this thread's clock ([performance.now ms, ms]) on the epoch clock the page shares. */
function toEpoch([at, gap]: [number, number]): [number, number] {
  return [performance.timeOrigin + at, gap];
}
