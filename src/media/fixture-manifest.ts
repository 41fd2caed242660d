// The shape of fixtures/media/manifest.json (what each generated test clip is), read by the
// fixture verifier, the fixture tests and, later, the frame-exact playback tests.
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURE_MEDIA_DIR = path.resolve(process.cwd(), 'fixtures/media');

export interface FixtureVideo {
  codec: string;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  durationSeconds: number;
  firstTimestampSeconds: number;
  keyframeInterval: number;
  colour: 'untagged' | { primaries: string; transfer: string; matrix: string; fullRange: boolean };
  flashFrames: number[];
}

export interface FixtureAudio {
  codec: string;
  sampleRate: number;
  channels: number;
  durationSeconds: number;
  primingSamples: number;
  firstPacketTimestampSeconds: number;
  content: string;
  clickTimesSeconds: number[];
  frequencyHz?: number;
  peakSampleValue?: number;
}

export interface FixtureFile {
  name: string;
  container: string;
  video?: FixtureVideo;
  audio?: FixtureAudio;
}

export interface FixtureManifest {
  stripLayout: { heightDivisor: number; cells: number };
  files: FixtureFile[];
}

export function readFixtureManifest(dir = FIXTURE_MEDIA_DIR): FixtureManifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as FixtureManifest;
}
