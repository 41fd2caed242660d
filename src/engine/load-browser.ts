// Loads the wasm engine in a browser context (the engine worker): Vite turns the two binaries into
// hashed asset URLs and the glue fetches the one the run-time tier check picks.
import createTesseraEngine from './generated/tessera-engine.mjs';
import simdUrl from './generated/tessera-engine.wasm?url';
import scalarUrl from './generated/tessera-engine-scalar.wasm?url';
import { TesseraEngine } from './engine';
import { chooseTier, type TierRequest } from './simd';

export async function loadEngineBrowser(options: { tier?: TierRequest } = {}): Promise<TesseraEngine> {
  const tier = chooseTier(options.tier);
  const wasmUrl = tier === 'simd' ? simdUrl : scalarUrl;
  performance.mark('tessera:engine-load-start');
  const engine = await TesseraEngine.create(
    createTesseraEngine,
    { locateFile: (file) => (file.endsWith('.wasm') ? wasmUrl : file) },
    tier,
  );
  performance.mark('tessera:engine-ready');
  return engine;
}
