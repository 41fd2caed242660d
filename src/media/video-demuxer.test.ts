// The video demuxer in Node (no decoding): each fixture's track facts, frame table and key frames
// against fixtures/media/manifest.json, the colour space the decoder will be given (tagged vs
// untagged), the seek target → key frame computation, URL sources (over a local HTTP server with
// range requests) and the plain errors for missing, foreign and damaged files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

import { FIXTURE_MEDIA_DIR, readFixtureManifest } from './fixture-manifest';
import { MediaInputError } from './media-input-error';
import {
  DEFAULT_DECODER_COLOUR_SPACE,
  VideoDemuxer,
  chooseDecoderColourSpace,
  colourForMatrix,
} from './video-demuxer';

const manifest = readFixtureManifest();
const videos = manifest.files.flatMap((f) => (f.video ? [{ name: f.name, video: f.video }] : []));

function bytes(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(fs.readFileSync(path.join(FIXTURE_MEDIA_DIR, name)));
}

async function rejection(promise: Promise<unknown>): Promise<MediaInputError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MediaInputError);
    return error as MediaInputError;
  }
  throw new Error('expected a MediaInputError');
}

describe('VideoDemuxer on the fixtures', () => {
  it('covers every video fixture', () => {
    expect(videos.map((v) => v.name).sort()).toEqual(['audio-sync-h264-aac.mp4', 'audio-sync-vp9-opus.webm', 'count-a-h264-aac.mp4', 'count-a-vp9-opus.webm', 'count-b-vp9-opus.webm']);
  });

  for (const { name, video } of videos) {
    describe(name, () => {
      it('reports the track as the manifest describes it', async () => {
        const demuxer = await VideoDemuxer.open(bytes(name), { name });
        const info = demuxer.info;
        expect(info).toMatchObject({
          name,
          codec: video.codec,
          width: video.width,
          height: video.height,
          displayWidth: video.width,
          displayHeight: video.height,
          rotation: 0,
          frameRate: video.fps,
          firstTimestampUs: Math.round(video.firstTimestampSeconds * 1e6),
        });
        expect(info.mimeType).toContain(name.endsWith('.mp4') ? 'video/mp4' : 'video/webm');
        // The last frame starts one frame before the end (WebM rounds timestamps to 1 ms).
        const lastFrameUs = ((video.frameCount - 1) / video.fps) * 1e6;
        expect(Math.abs(info.lastFrameTimestampUs - lastFrameUs)).toBeLessThanOrEqual(500);
        expect(Math.abs(info.endUs - video.durationSeconds * 1e6)).toBeLessThanOrEqual(500);
        expect(demuxer.decoderConfig.codec).toBe(video.codec);
        expect(demuxer.decoderConfig.colorSpace).toEqual(info.decoderColourSpace);
        demuxer.close();
      });

      it('lists exactly frameCount frames, contiguous, with key frames every keyframeInterval', async () => {
        const demuxer = await VideoDemuxer.open(bytes(name), { name });
        const frames = await demuxer.listFrames();
        expect(frames.length).toBe(video.frameCount);
        const keys = frames.flatMap((f, i) => (f.key ? [i] : []));
        expect(keys).toEqual(frames.map((_, i) => i).filter((i) => i % video.keyframeInterval === 0));
        frames.forEach((f, i) => {
          // No B-frames: presentation order is decode order.
          expect(f.decodeIndex).toBe(i);
          expect(Math.abs(f.timestampUs - (i / video.fps) * 1e6)).toBeLessThanOrEqual(500);
          // Container durations are approximate (WebM infers the last block of each cluster's),
          // which is why the reader goes by timestamps: a frame lasts until the next begins.
          expect(Math.abs(f.durationUs - 1e6 / video.fps)).toBeLessThanOrEqual(1000);
        });
        // Packets in decode order, all of them, with their data.
        let count = 0;
        for await (const packet of demuxer.packets()) {
          expect(packet.data.byteLength).toBeGreaterThan(0);
          count++;
        }
        expect(count).toBe(video.frameCount);
        demuxer.close();
      });

      it('chooses the decoder colour space: the stream tags, else BT.709 limited', async () => {
        const demuxer = await VideoDemuxer.open(bytes(name), { name });
        const { colourTags, decoderColourSpace, colour } = demuxer.info;
        if (video.colour === 'untagged') {
          expect(colourTags).toMatchObject({ primaries: null, transfer: null, matrix: null });
          expect(decoderColourSpace).toEqual(DEFAULT_DECODER_COLOUR_SPACE);
        } else {
          expect(colourTags).toEqual(video.colour);
          expect(decoderColourSpace).toEqual(video.colour);
        }
        expect(colour).toEqual({ matrix: 'bt709', fullRange: false });
        demuxer.close();
      });

      it('starts a seek at the last key frame at or before the target', async () => {
        const demuxer = await VideoDemuxer.open(bytes(name), { name });
        const frames = await demuxer.listFrames();
        const keyFrameFor = (frame: number): number => frames[frame - (frame % video.keyframeInterval)]!.timestampUs;
        for (let frame = 0; frame < video.frameCount; frame++) {
          const start = frames[frame]!.timestampUs;
          const end = frames[frame + 1]?.timestampUs ?? demuxer.info.endUs;
          // At the frame's first microsecond, in its middle and at its last microsecond.
          for (const t of [start, Math.floor((start + end) / 2), end - 1]) {
            expect((await demuxer.keyPacketFor(t)).microsecondTimestamp, `frame ${frame}, t=${t}`).toBe(keyFrameFor(frame));
          }
        }
        // One microsecond before a key frame belongs to the previous group.
        expect((await demuxer.keyPacketFor(frames[video.keyframeInterval]!.timestampUs - 1)).microsecondTimestamp).toBe(0);
        // Before the start: the first key frame; after the end: the last one.
        expect((await demuxer.keyPacketFor(-1_000_000)).microsecondTimestamp).toBe(0);
        const lastKey = frames.filter((f) => f.key).pop()!.timestampUs;
        expect((await demuxer.keyPacketFor(1e9)).microsecondTimestamp).toBe(lastKey);
        // Packets from a key frame run to the end in decode order.
        let count = 0;
        for await (const _ of demuxer.packets(await demuxer.keyPacketFor(lastKey + 1))) count++;
        expect(count).toBe(video.frameCount - frames.findIndex((f) => f.timestampUs === lastKey));
        demuxer.close();
      });
    });
  }
});

describe('decoder colour space choice', () => {
  const untagged = { primaries: null, transfer: null, matrix: null, fullRange: null };

  it('fills every missing field from BT.709 limited range', () => {
    expect(chooseDecoderColourSpace(untagged)).toEqual({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', fullRange: false });
    expect(chooseDecoderColourSpace({ ...untagged, matrix: 'smpte170m', fullRange: true })).toEqual({
      primaries: 'bt709',
      transfer: 'bt709',
      matrix: 'smpte170m',
      fullRange: true,
    });
  });

  it('maps matrices to the two the engine converts, and refuses the rest', () => {
    expect(colourForMatrix({ matrix: 'bt709', fullRange: false })).toEqual({ matrix: 'bt709', fullRange: false });
    expect(colourForMatrix({ matrix: 'smpte170m', fullRange: false })).toEqual({ matrix: 'bt601', fullRange: false });
    expect(colourForMatrix({ matrix: 'bt470bg', fullRange: true })).toEqual({ matrix: 'bt601', fullRange: true });
    expect(colourForMatrix({ matrix: 'bt2020-ncl', fullRange: false })).toBeNull();
    expect(colourForMatrix({ matrix: 'rgb', fullRange: true })).toBeNull();
  });
});

describe('VideoDemuxer errors', () => {
  it('names the file when the bytes are not a media file', async () => {
    const error = await rejection(VideoDemuxer.open(new Uint8Array(4096).fill(7), { name: 'junk.webm' }));
    expect(error.code).toBe('unsupported-format');
    expect(error.file).toBe('junk.webm');
    expect(error.message).toMatch(/^junk\.webm is not a media file/);
  });

  it('refuses a file without video', async () => {
    const error = await rejection(VideoDemuxer.open(bytes('speech-en.webm'), { name: 'speech-en.webm' }));
    expect(error).toMatchObject({ code: 'no-video-track', message: 'speech-en.webm has no video track.' });
  });

  it('reports a truncated file as damaged', async () => {
    const error = await rejection(VideoDemuxer.open(bytes('count-a-vp9-opus.webm').slice(0, 3000), { name: 'cut.webm' }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/^cut\.webm /);
  });
});

describe('VideoDemuxer over HTTP (UrlSource)', () => {
  let server: http.Server;
  let base = '';
  let rangeRequests = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const file = path.join(FIXTURE_MEDIA_DIR, path.basename(new URL(request.url ?? '/', 'http://x').pathname));
      if (!fs.existsSync(file)) {
        response.writeHead(404, 'Not Found').end();
        return;
      }
      const data = fs.readFileSync(file);
      const range = /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? '');
      if (!range) {
        response.writeHead(200, { 'Content-Length': data.length, 'Accept-Ranges': 'bytes' }).end(data);
        return;
      }
      rangeRequests++;
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
      response
        .writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${data.length}`, 'Content-Length': end - start + 1 })
        .end(data.subarray(start, end + 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a fixture by URL with range requests and names it by its last path segment', async () => {
    const demuxer = await VideoDemuxer.open(`${base}/media/count-b-vp9-opus.webm?v=1`);
    expect(demuxer.info.name).toBe('count-b-vp9-opus.webm');
    expect((await demuxer.listFrames()).length).toBe(90);
    expect(rangeRequests).toBeGreaterThan(0);
    demuxer.close();
  });

  it('says plainly that a missing URL could not be fetched', async () => {
    const error = await rejection(VideoDemuxer.open(`${base}/media/missing.webm`));
    expect(error).toMatchObject({ code: 'not-found', file: 'missing.webm' });
    expect(error.message).toBe('missing.webm could not be fetched (HTTP 404 Not Found).');
  });
});
