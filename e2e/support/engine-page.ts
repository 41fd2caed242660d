// Shared by the e2e specs: what "the engine's frame is on screen" means, as code, and the golden
// hash from its one home (src/engine/golden.json).
import golden from '../../src/engine/golden.json' with { type: 'json' };

export const GOLDEN_TEST_CARD_SHA256: string = golden.testCard.sha256;

/**
 * Runs in the page: the readout's data once a frame (or an error) has been reported, else null.
 * A real function, not a string: the app's CSP forbids eval, and only protocol-level evaluation
 * (CDP, BiDi, WebDriver) of a function bypasses it. Self-contained: it is serialised.
 */
export function readFrameState(): FrameState | null {
  const el = document.getElementById('frame-readout');
  if (!el) return null;
  const d = el.dataset;
  if (d.status === 'error') return { status: 'error', text: el.textContent ?? '' };
  if (!d.sha256) return null;
  return {
    status: d.status ?? '',
    tier: d.tier ?? '',
    sha256: d.sha256,
    presentedSha256: d.presentedSha256 || null,
    crossOriginIsolated: self.crossOriginIsolated,
  };
}

export interface FrameState {
  status: string;
  tier?: string;
  sha256?: string;
  presentedSha256?: string | null;
  crossOriginIsolated?: boolean;
  text?: string;
}

export function hashMismatch(browser: string, actual: string | undefined): string {
  return `${browser}: the engine's test card hashed to ${actual ?? '(nothing)'} but src/engine/golden.json expects ${GOLDEN_TEST_CARD_SHA256}. The engine's output is no longer identical across platforms.`;
}
