// The size budget's rules (scripts/size-budget.mjs): which scripts count as initial JS (the
// page's module scripts and their static imports, not what they import on demand), and when a
// build is over budget. On small hand-made builds in a temporary folder; the real build's numbers
// are printed by `npm run build` and checked by the `size` layer of scripts/test-all.sh.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { BUDGET, KB, budgetProblems, dynamicImports, entryScripts, gzipSize, measureBuild, staticClosure, staticImports } from './size-budget.mjs';

describe('entryScripts', () => {
  it('lists module scripts and modulepreloads, not classic scripts, styles or icons', () => {
    const html = `<!doctype html><head>
      <script type="module" crossorigin src="/assets/index-a1.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/vendor-b2.js">
      <link rel="stylesheet" href="/assets/index-c3.css">
      <link rel="icon" href="/favicon.svg">
      <script src="/legacy.js"></script>
      <script type='module' src='./relative.js'></script>`;
    expect(entryScripts(html)).toEqual(['/assets/index-a1.js', '/assets/vendor-b2.js', './relative.js']);
  });
});

describe('staticImports', () => {
  it('finds minified static imports and re-exports, and skips dynamic imports and import.meta', () => {
    const code =
      'import{a as e,b as t}from"./shared-1.js";import"./side-effect-2.js";export{c}from"./re-3.js";export*from"./all-4.js";' +
      'import * as ns from "./ns-5.js";const m=()=>import("./lazy-6.js");new URL("x.wasm",import.meta.url);';
    expect(staticImports(code)).toEqual(['./shared-1.js', './side-effect-2.js', './re-3.js', './all-4.js', './ns-5.js']);
  });
});

describe('dynamicImports', () => {
  it('finds literal import() calls, in any quotes, and nothing static', () => {
    const code = 'import"./static.js";const a=()=>import(`./mount-1.js`),b=()=>import("./other-2.js");import(x);obj.import("./not.js");';
    expect(dynamicImports(code)).toEqual(['./mount-1.js', './other-2.js']);
  });
});

describe('staticClosure', () => {
  const files: Record<string, string> = {
    '/assets/index.js': 'import{a}from"./shared.js";import("./lazy.js");',
    '/assets/shared.js': 'import"./deeper.js";import{x}from"react";export const a=1;',
    '/assets/deeper.js': 'import{a}from"./shared.js";', // a cycle
    '/assets/lazy.js': 'import"./only-lazy.js";',
    '/assets/only-lazy.js': '',
  };
  const read = (url: string) => files[url] ?? null;

  it('follows static imports transitively, once each, and not dynamic imports or bare names', () => {
    expect(staticClosure(['/assets/index.js'], read).sort()).toEqual(['/assets/deeper.js', '/assets/index.js', '/assets/shared.js']);
  });

  it('leaves out files the build does not have', () => {
    expect(staticClosure(['/assets/missing.js'], read)).toEqual([]);
  });
});

describe('measureBuild and budgetProblems', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  /** A build whose entry imports `shared` statically and `lazy` on demand, and a wasm binary. */
  function makeBuild(sizes: { entry: Uint8Array | string; lazy: Uint8Array | string; wasm: Uint8Array }): string {
    dir = mkdtempSync(path.join(tmpdir(), 'tessera-size-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<script type="module" src="/assets/index-1.js"></script>');
    writeFileSync(path.join(dir, 'assets/index-1.js'), Buffer.concat([Buffer.from('import"./shared-2.js";import("./lazy-3.js");'), Buffer.from(sizes.entry)]));
    writeFileSync(path.join(dir, 'assets/shared-2.js'), 'export const shared = 1;');
    writeFileSync(path.join(dir, 'assets/lazy-3.js'), sizes.lazy);
    writeFileSync(path.join(dir, 'assets/engine-4.wasm'), sizes.wasm);
    return dir;
  }

  /** Bytes that gzip does not shrink (SHA-256 in counter mode: fixed, and random-looking). */
  function incompressible(bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    for (let i = 0; i * 32 < bytes; i++) out.set(createHash('sha256').update(String(i)).digest().subarray(0, Math.min(32, bytes - i * 32)), i * 32);
    return out;
  }

  it('counts the entry and its static imports as initial JS, not what it loads on demand', () => {
    const sizes = measureBuild(makeBuild({ entry: '', lazy: incompressible(300 * KB), wasm: incompressible(10) }));
    expect(sizes.initialJs.files.map((f) => f.file).sort()).toEqual(['assets/index-1.js', 'assets/shared-2.js']);
    expect(sizes.initialJs.gzip).toBe(sizes.initialJs.files.reduce((total, f) => total + f.gzip, 0));
    expect(sizes.initialOnDemandJs.files.map((f) => f.file)).toEqual(['assets/lazy-3.js']);
    expect(sizes.wasm.map((w) => w.file)).toEqual(['assets/engine-4.wasm']);
    expect(budgetProblems(sizes)).toEqual([]); // the big chunk is loaded on demand
  });

  it('fails initial JS over 200 KB gzip and a wasm over 400 KB gzip, naming them', () => {
    const sizes = measureBuild(makeBuild({ entry: incompressible(210 * KB), lazy: '', wasm: incompressible(410 * KB) }));
    expect(sizes.initialJs.gzip).toBeGreaterThan(BUDGET.initialJsGzip);
    const problems = budgetProblems(sizes);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^initial JS is .* gzip, over the 200\.0 KB budget \(assets\/index-1\.js, assets\/shared-2\.js\)$/);
    expect(problems[1]).toMatch(/^assets\/engine-4\.wasm is .* gzip, over the 400\.0 KB wasm budget$/);
  });

  it('passes just under the budget and measures gzip as gzip -9 does', () => {
    const wasm = incompressible(390 * KB);
    const sizes = measureBuild(makeBuild({ entry: 'const a = 1;'.repeat(10_000), lazy: '', wasm }));
    expect(sizes.wasm[0]!.gzip).toBe(gzipSize(wasm));
    expect(sizes.wasm[0]!.gzip).toBeLessThan(BUDGET.wasmGzip);
    expect(sizes.initialJs.raw).toBeGreaterThan(100 * KB); // repetitive: large raw, small gzip
    expect(budgetProblems(sizes)).toEqual([]);
  });

  it('says so when index.html names no script of the build', () => {
    const sizes = { initialJs: { files: [], raw: 0, gzip: 0 }, wasm: [] };
    expect(budgetProblems(sizes)).toEqual(['no initial JS found: index.html names no module script of this build']);
  });
});
