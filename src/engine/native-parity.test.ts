// The native build draws the same bytes as the wasm build (no libm-dependent maths in the test
// card). Runs when the native tools are built (npm test builds them first).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import golden from './golden.json';

const tool = path.resolve(process.cwd(), 'build/native/tessera-native');

describe('native engine', () => {
  it.skipIf(!existsSync(tool))('renders the test card with the golden SHA-256', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'tessera-native-')), 'card.rgba');
    execFileSync(tool, ['render-test-card', '-o', out]);
    const hash = createHash('sha256').update(readFileSync(out)).digest('hex');
    expect(hash, `native test card hashed to ${hash}; src/engine/golden.json expects ${golden.testCard.sha256}`).toBe(
      golden.testCard.sha256,
    );
  });
});
