// Messages between the main thread (player controller) and the engine worker. Every message is a
// member of one of these two unions; nothing else crosses the boundary.
import type { EngineTier } from '../engine/engine';
import type { TierRequest } from '../engine/simd';

export interface FrameReport {
  width: number;
  height: number;
  /** Engine time to compose the frame, in milliseconds. */
  renderMs: number;
  /** Time to hand the frame to the canvas, in milliseconds. */
  presentMs: number;
  /** SHA-256 (hex) of the engine's RGBA output, for determinism checks. */
  sha256: string;
  /** With `verifyPresentation`: SHA-256 of the pixels read back from the canvas after drawing. */
  presentedSha256?: string;
  heapBytes: number;
}

export type ToWorker =
  | {
      type: 'init';
      /** Present here directly; absent where OffscreenCanvas is missing (pixels come back instead). */
      canvas?: OffscreenCanvas;
      fontUrl: string;
      width: number;
      height: number;
      tier: TierRequest;
      /** Read the canvas back after each frame and hash it (tests; costs a readback). */
      verifyPresentation?: boolean;
    }
  | { type: 'render-test-card' };

export type FromWorker =
  | { type: 'ready'; tier: EngineTier; loadMs: number; heapBytes: number }
  | { type: 'frame'; report: FrameReport }
  /** Fallback presentation: the frame's RGBA bytes, transferred (not shared) to the main thread. */
  | { type: 'pixels'; width: number; height: number; pixels: ArrayBuffer }
  | { type: 'error'; stage: 'load' | 'font' | 'render'; message: string };
