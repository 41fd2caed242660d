// Loads the wasm engine in Node (CLI, Vitest, benchmarks): the glue is the browser's ES module,
// given the .wasm bytes directly because its fetch path does not work in Node.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import createTesseraEngine from './generated/tessera-engine.mjs';
import { EngineError, TesseraEngine } from './engine';
import { chooseTier, type TierRequest } from './simd';

const WASM_FILES = { simd: 'tessera-engine.wasm', scalar: 'tessera-engine-scalar.wasm' } as const;

export function generatedDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'generated');
}

export async function loadEngineNode(options: { tier?: TierRequest } = {}): Promise<TesseraEngine> {
  const tier = chooseTier(options.tier);
  const file = path.join(generatedDir(), WASM_FILES[tier]);
  let wasmBinary: Uint8Array;
  try {
    wasmBinary = await readFile(file);
  } catch {
    throw new EngineError(`engine binary ${file} is missing: run \`npm run engine\` to build it`, 'load-failed');
  }
  return TesseraEngine.create(createTesseraEngine, { wasmBinary }, tier);
}
