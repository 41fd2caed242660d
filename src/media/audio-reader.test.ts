// AudioReader in Node on the PCM fixture (Mediabunny decodes PCM itself; Opus and AAC need the
// browsers' WebCodecs and are checked by e2e/audio-output.spec.ts): exact sample values and frame
// positions, contiguous chunks, frame-exact seeks, bounded read-ahead, and plain errors.
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { AudioReader, type AudioChunk } from './audio-reader';
import { FIXTURE_MEDIA_DIR, readFixtureManifest } from './fixture-manifest';
import { MediaInputError } from './media-input-error';

const WAV = 'tone-1k-stereo.wav';
const wavBytes = () => new Uint8Array(fs.readFileSync(path.join(FIXTURE_MEDIA_DIR, WAV)));
const fixture = readFixtureManifest().files.find((f) => f.name === WAV)!.audio!;

/** The fixture's sample n on both channels, as a float (16-bit code / 32768). */
function expectedSample(n: number): number {
  return Math.fround(Math.round(fixture.peakSampleValue! * Math.sin((2 * Math.PI * fixture.frequencyHz! * n) / fixture.sampleRate)) / 32768);
}

async function readAll(reader: AudioReader): Promise<AudioChunk[]> {
  const chunks: AudioChunk[] = [];
  for (let chunk = await reader.read(); chunk; chunk = await reader.read()) chunks.push(chunk);
  return chunks;
}

/** Checks a chunk's samples against the formula; returns the number of mismatches. */
function mismatches(chunk: AudioChunk): number {
  let bad = 0;
  for (let i = 0; i < chunk.frames; i++) {
    const want = expectedSample(chunk.startFrame + i);
    if (chunk.samples[2 * i] !== want || chunk.samples[2 * i + 1] !== want) bad++;
  }
  return bad;
}

describe('AudioReader (WAV, PCM decoded by Mediabunny)', () => {
  it('describes the track as the manifest does', async () => {
    using reader = await AudioReader.open(wavBytes(), { name: WAV });
    expect(reader.info).toEqual({
      name: WAV,
      codec: 'pcm-s16',
      codecString: 'pcm-s16',
      sampleRate: 48_000,
      channels: 2,
      firstTimestampUs: 0,
      endUs: fixture.durationSeconds * 1e6,
    });
  });

  it('reads every frame once, in contiguous chunks, with the exact 16-bit values', async () => {
    using reader = await AudioReader.open(wavBytes(), { name: WAV });
    const chunks = await readAll(reader);
    expect(chunks.length).toBeGreaterThan(1);
    let next = 0;
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ channels: 2, sampleRate: 48_000, startFrame: next, timestampUs: Math.round((next * 1e6) / 48_000) });
      expect(chunk.samples.length).toBe(chunk.frames * 2);
      expect(mismatches(chunk)).toBe(0);
      next += chunk.frames;
    }
    expect(next).toBe(fixture.durationSeconds * fixture.sampleRate);
    // Spot checks against the formula's known points: a peak, and a zero crossing.
    const all = new Float32Array(next * 2);
    let at = 0;
    for (const c of chunks) all.set(c.samples, (at += c.frames) * 2 - c.samples.length);
    expect(all[2 * 12]).toBe(Math.fround(4125 / 32768)); // n = 12: a quarter period at 1 kHz
    expect(all[2 * 24]).toBe(0);
    expect(reader.stats).toMatchObject({ framesRead: next, chunksRead: chunks.length, framesTrimmed: 0, decoderStarts: 1 });
    expect(await reader.read()).toBeNull(); // stays at the end
  });

  it('seeks land on the exact frame nearest the time, forwards and backwards', async () => {
    using reader = await AudioReader.open(wavBytes(), { name: WAV });
    for (const [timeUs, frame] of [
      [500_000, 24_000],
      [500_021, 24_001], // 24 001.008 frames
      [104, 5], // frame 5 starts at 104.17 µs: rounding, not flooring, makes timestampUs round-trip
      [1_999_990, 96_000], // rounds to the end: nothing left
      [123_456, 5926],
      [0, 0],
      [-250_000, 0], // before the start: from the start
    ] as const) {
      reader.seek(timeUs);
      const chunk = await reader.read();
      if (frame >= 96_000) {
        expect(chunk, `seek to ${timeUs}`).toBeNull();
        continue;
      }
      expect(chunk, `seek to ${timeUs}`).not.toBeNull();
      expect(chunk!.startFrame, `seek to ${timeUs}`).toBe(frame);
      expect(mismatches(chunk!)).toBe(0);
      const following = await reader.read();
      expect(following!.startFrame).toBe(frame + chunk!.frames);
    }
    reader.seek(3_000_000);
    expect(await reader.read()).toBeNull();
    expect(reader.stats.decoderStarts).toBe(8);
  });

  it('decodes ahead of the consumer, but only up to its bound', async () => {
    using reader = await AudioReader.open(wavBytes(), { name: WAV, readAheadMs: 100 });
    reader.prefetch();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { maxBufferedFrames, samplesDecoded } = reader.stats;
    expect(samplesDecoded).toBeGreaterThan(0); // decoded before any read
    const first = (await reader.read())!;
    // At most the bound plus the chunk that crossed it.
    expect(maxBufferedFrames).toBeLessThanOrEqual(4800 + first.frames);
    expect(reader.stats.framesRead).toBe(first.frames);
  });

  it('fails plainly: junk bytes, a missing decoder in Node, and use after close', async () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff);
    await expect(AudioReader.open(junk, { name: 'junk.bin' })).rejects.toMatchObject({ name: 'MediaInputError', code: 'unsupported-format', file: 'junk.bin' });
    const opus = new Uint8Array(fs.readFileSync(path.join(FIXTURE_MEDIA_DIR, 'count-a-vp9-opus.webm')));
    await expect(AudioReader.open(opus, { name: 'count-a-vp9-opus.webm' })).rejects.toMatchObject({ code: 'no-decoder' });
    const reader = await AudioReader.open(wavBytes(), { name: WAV });
    reader.close();
    await expect(reader.read()).rejects.toBeInstanceOf(MediaInputError);
    await expect(reader.read()).rejects.toMatchObject({ code: 'closed' });
  });
});
