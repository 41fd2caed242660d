// Demuxes every committed test fixture (fixtures/media) with Mediabunny and checks it against
// fixtures/media/manifest.json: packet counts, key frames, sizes, codecs, colour tags, audio
// format, first timestamps and durations, plus the total size budget. Node only (no decoding).
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input, type EncodedPacket } from 'mediabunny';
import { FIXTURE_MEDIA_DIR, type FixtureManifest } from './fixture-manifest';

const MEDIA = FIXTURE_MEDIA_DIR;
const MAX_TOTAL_BYTES = 5_000_000;


const manifest: FixtureManifest = JSON.parse(fs.readFileSync(path.join(MEDIA, 'manifest.json'), 'utf8'));

function open(name: string): Input {
  return new Input({ source: new BufferSource(fs.readFileSync(path.join(MEDIA, name))), formats: ALL_FORMATS });
}

async function allPackets(sink: EncodedPacketSink): Promise<EncodedPacket[]> {
  const out: EncodedPacket[] = [];
  for await (const p of sink.packets()) out.push(p);
  return out;
}

describe('fixtures/media', () => {
  it('lists every file in the manifest and stays within the size budget', () => {
    const names = fs.readdirSync(MEDIA).filter((f) => f !== 'manifest.json').sort();
    expect(names).toEqual(manifest.files.map((f) => f.name).sort());
    const total = fs.readdirSync(MEDIA).reduce((n, f) => n + fs.statSync(path.join(MEDIA, f)).size, 0);
    expect(total).toBeLessThanOrEqual(MAX_TOTAL_BYTES);
  });

  it('manifest matches the documented strip layout and flash rule', () => {
    expect(manifest.stripLayout).toMatchObject({ heightDivisor: 15, cells: 20 });
    for (const f of manifest.files) {
      if (!f.video) continue;
      const v = f.video;
      const flashes = Array.from({ length: v.frameCount }, (_, n) => n).filter((n) => n > 0 && n % 30 === 0);
      expect(v.flashFrames).toEqual(flashes);
      expect(f.audio?.clickTimesSeconds).toEqual(flashes.map((n) => n / v.fps));
      expect(v.durationSeconds).toBeCloseTo(v.frameCount / v.fps, 9);
    }
  });

  for (const entry of manifest.files) {
    describe(entry.name, () => {
      const v = entry.video;
      const a = entry.audio;

      it('has the declared tracks', async () => {
        const input = open(entry.name);
        expect((await input.getVideoTracks()).length).toBe(v ? 1 : 0);
        expect((await input.getAudioTracks()).length).toBe(a ? 1 : 0);
        const mime = await input.getMimeType();
        expect(mime).toContain(entry.container === 'wav' ? 'wav' : entry.container);
      });

      if (v) {
        it('video: codec, size, colour', async () => {
          const track = (await open(entry.name).getPrimaryVideoTrack())!;
          expect(await track.getCodecParameterString()).toBe(v.codec);
          expect(track.codedWidth).toBe(v.width);
          expect(track.codedHeight).toBe(v.height);
          expect(track.displayWidth).toBe(v.width);
          expect(track.displayHeight).toBe(v.height);
          const cs = await track.getColorSpace();
          if (v.colour === 'untagged') {
            expect(cs.primaries ?? null).toBeNull();
            expect(cs.transfer ?? null).toBeNull();
            expect(cs.matrix ?? null).toBeNull();
          } else {
            expect(cs).toMatchObject(v.colour);
          }
        });

        it('video: every frame is a packet, key frames exactly every keyframeInterval', async () => {
          const track = (await open(entry.name).getPrimaryVideoTrack())!;
          const packets = await allPackets(new EncodedPacketSink(track));
          expect(packets.length).toBe(v.frameCount);
          expect(packets[0]!.type).toBe('key');
          const keys = packets.flatMap((p, i) => (p.type === 'key' ? [i] : []));
          expect(keys).toEqual(packets.map((_, i) => i).filter((i) => i % v.keyframeInterval === 0));
          // No B-frames: decode order is presentation order, frame i at i / fps (ms-rounded in WebM).
          packets.forEach((p, i) => {
            expect(Math.abs(p.timestamp - (v.firstTimestampSeconds + i / v.fps))).toBeLessThanOrEqual(0.0005 + 1e-9);
          });
          expect(await track.getFirstTimestamp()).toBeCloseTo(v.firstTimestampSeconds, 6);
          const duration = await track.computeDuration();
          expect(Math.abs(duration - v.durationSeconds)).toBeLessThanOrEqual(1 / v.fps);
        });
      }

      if (a) {
        it('audio: codec, format, first packet, duration', async () => {
          const input = open(entry.name);
          const track = (await input.getPrimaryAudioTrack())!;
          expect(await track.getCodecParameterString()).toBe(a.codec);
          expect(track.sampleRate).toBe(a.sampleRate);
          expect(track.numberOfChannels).toBe(a.channels);
          const config = await track.getDecoderConfig();
          expect(config?.sampleRate).toBe(a.sampleRate);
          expect(config?.numberOfChannels).toBe(a.channels);
          if (a.codec === 'opus') {
            // OpusHead pre-skip (bytes 10..11, little endian) is the priming the decoder drops.
            const d = config!.description!;
            const bytes = ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);
            expect(bytes[10]! | (bytes[11]! << 8)).toBe(a.primingSamples);
          }
          const first = await new EncodedPacketSink(track).getFirstPacket();
          expect(first!.timestamp).toBeCloseTo(a.firstPacketTimestampSeconds, 5);
          const duration = await track.computeDuration();
          const frame = v ? 1 / v.fps : 1 / 30;
          expect(Math.abs(duration - a.durationSeconds)).toBeLessThanOrEqual(frame);
          expect(Math.abs((await input.computeDuration()) - (v?.durationSeconds ?? a.durationSeconds))).toBeLessThanOrEqual(frame);
        });
      }
    });
  }
});
