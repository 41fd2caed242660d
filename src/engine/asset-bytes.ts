// What the engine is handed for an asset: the file as it is, except TTML captions, which the host
// parses with imsc into timed snapshots (src/captions/snapshot.ts) for the engine to lay out and
// draw. imsc is loaded only when a programme has TTML captions.
import type { MediaNeeds } from './engine';

export type AssetNeed = MediaNeeds['assets'][number];

/** The bytes to hand to TesseraEngine.addAsset for a file fetched for `need`. */
export async function assetBytesForEngine(need: AssetNeed, bytes: Uint8Array, aspectRatio?: number): Promise<Uint8Array> {
  if (need.type !== 'captions' || need.format !== 'ttml') return bytes;
  const { ttmlSnapshotBytes } = await import('../captions/ttml');
  return ttmlSnapshotBytes(new TextDecoder().decode(bytes), aspectRatio === undefined ? {} : { aspectRatio });
}
