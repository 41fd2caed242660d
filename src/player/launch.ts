// What the page's address asks the player to do: which engine build, whether to verify
// presentation, and which programme to play (?programme=<same-origin URL>&at=<seconds>&paused;
// without ?programme the demo programme, and ?testcard for the engine's test card instead).
// Pure, so it is unit-tested without a browser.
import type { TierRequest } from '../engine/simd';
import type { ProgrammeRequest } from './controller';

export interface LaunchOptions {
  tier: TierRequest;
  /** ?verify=1: the worker reads the canvas back and hashes it (e2e tests). */
  verifyPresentation: boolean;
  /** ?programme=… (else the demo programme): play it; null: show the test card (?testcard). */
  programme: ProgrammeRequest | null;
  /** Why the programme parameter was refused, if it was. */
  problem: string | null;
}

/** The demo programme, played when the address names none (relative to the app's base URL). */
export const DEMO_PROGRAMME_PATH = 'demo/programme.json';

export function launchOptions(search: string, pageUrl: string, demoUrl: string | null = null): LaunchOptions {
  const params = new URLSearchParams(search);
  const requested = params.get('engine');
  // ?engine=scalar forces the non-SIMD build (for testing the fallback older TVs get).
  const tier: TierRequest = requested === 'simd' || requested === 'scalar' ? requested : 'auto';
  const options: LaunchOptions = { tier, verifyPresentation: params.get('verify') === '1', programme: null, problem: null };

  if (params.has('testcard')) return options;
  const named = params.get('programme');
  // No programme named: the demo (a page without one, e.g. a unit test's, shows the test card).
  const programme = named === null || named === '' ? demoUrl : named;
  if (programme === null) return options;
  let url: URL;
  try {
    url = new URL(programme, pageUrl);
  } catch {
    return { ...options, problem: `the programme address "${programme}" is not a URL` };
  }
  // Programmes and their media come from this site only (the CSP's connect-src says the same).
  if (url.origin !== new URL(pageUrl).origin) {
    return { ...options, problem: `the programme must be on this site; ${url.origin} is not` };
  }
  const atParam = params.get('at');
  const at = atParam === null ? 0 : Number(atParam);
  if (!Number.isFinite(at) || at < 0) return { ...options, problem: `at=${atParam} is not a time in seconds` };
  return { ...options, programme: { url: url.pathname + url.search, at, paused: params.has('paused') } };
}
