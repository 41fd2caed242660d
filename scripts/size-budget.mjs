// The size budget (issue 7): what the viewer downloads before it can start, measured on a build.
//   initial JS  the module scripts index.html names (and its modulepreloads), plus every chunk
//               they import statically, transitively: what runs before anything is imported on
//               demand. Budget: 200 KB gzip.
//   wasm        each engine binary on its own (a browser fetches one of them). Budget: 400 KB gzip.
// KB = 1024 bytes; gzip at level 9, as a server's precompressed files would be. Pure functions over
// a file reader, so the rules are unit-tested (size-budget.test.ts) without a build.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const KB = 1024;
export const BUDGET = { initialJsGzip: 200 * KB, wasmGzip: 400 * KB };

export function gzipSize(bytes) {
  return gzipSync(bytes, { level: 9 }).length;
}

/** The module scripts and modulepreloads an HTML page names, in order (URLs as written). */
export function entryScripts(html) {
  const urls = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const attr = (name) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
    const value = (m) => (m ? (m[1] ?? m[2] ?? m[3]) : null);
    if (/^<script/i.test(tag)) {
      if (value(attr('type')) === 'module' && value(attr('src'))) urls.push(value(attr('src')));
    } else if (value(attr('rel')) === 'modulepreload' && value(attr('href'))) {
      urls.push(value(attr('href')));
    }
  }
  return urls;
}

/**
 * The specifiers a module imports statically: `import … from "x"`, `import "x"`, `export … from
 * "x"`; never `import("x")` (loaded on demand) or `import.meta`. Written for bundler output;
 * a string that merely looks like an import can only add a name that is then not found.
 */
export function staticImports(code) {
  const specifiers = [];
  const re = /(?:^|[^.\w$])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?(["'])([^"'\n]+)\1/g;
  for (const m of code.matchAll(re)) specifiers.push(m[2]);
  return specifiers;
}

/** The literal specifiers a module imports on demand: `import("x")` (also in backquotes). */
export function dynamicImports(code) {
  return [...code.matchAll(/(?:^|[^.\w$])import\s*\(\s*(["'`])([^"'`$\n]+)\1\s*\)/g)].map((m) => m[2]);
}

/**
 * The files (URL paths from the site's root, e.g. /assets/index-x.js) that `entries` and their
 * static imports reach. `read(urlPath)` gives a file's text, or null when the build has no such
 * file (another origin, a bare name): those are left out.
 */
export function staticClosure(entries, read) {
  const seen = new Set();
  const queue = entries.map((url) => new URL(url, 'http://site/').pathname);
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    const code = read(file);
    if (code === null) continue;
    seen.add(file);
    for (const specifier of staticImports(code)) {
      if (!/^(\.{1,2}\/|\/)/.test(specifier)) continue; // bare or absolute URL: not this build's file
      queue.push(new URL(specifier, `http://site${file}`).pathname);
    }
  }
  return [...seen];
}

/** Every file of a build, with its raw and gzip sizes, and the budget's two measures. */
export function measureBuild(dir) {
  const files = [];
  (function walk(d) {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(wasm|js|mjs|css)$/.test(name)) files.push(p);
    }
  })(dir);
  const rows = files.sort().map((f) => {
    const bytes = readFileSync(f);
    return { file: path.relative(dir, f).split(path.sep).join('/'), raw: bytes.length, gzip: gzipSize(bytes) };
  });
  const byUrl = new Map(rows.map((r) => [`/${r.file}`, r]));
  const read = (url) => {
    if (!byUrl.has(url) || !/\.m?js$/.test(url)) return null;
    return readFileSync(path.join(dir, url.slice(1)), 'utf8');
  };
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const initialUrls = staticClosure(entryScripts(html), read);
  const initial = initialUrls.map((url) => byUrl.get(url));
  // Not budgeted, reported beside it: what the initial JS imports on demand (the app loads its
  // React shell that way, at once), with that chunk's own static imports.
  const onDemandEntries = initialUrls.flatMap((url) => dynamicImports(read(url) ?? '').map((spec) => new URL(spec, `http://site${url}`).pathname));
  const onDemand = staticClosure(onDemandEntries, read)
    .filter((url) => !initialUrls.includes(url))
    .map((url) => byUrl.get(url));
  return {
    rows,
    initialJs: { files: initial, raw: sum(initial, 'raw'), gzip: sum(initial, 'gzip') },
    initialOnDemandJs: { files: onDemand, raw: sum(onDemand, 'raw'), gzip: sum(onDemand, 'gzip') },
    wasm: rows.filter((r) => r.file.endsWith('.wasm')),
  };
}

function sum(rows, key) {
  return rows.reduce((total, r) => total + r[key], 0);
}

export function formatKb(bytes) {
  return `${(bytes / KB).toFixed(1)} KB`;
}

/** What is over the budget, in words (none: within it). */
export function budgetProblems(sizes, budget = BUDGET) {
  const problems = [];
  if (sizes.initialJs.files.length === 0) problems.push('no initial JS found: index.html names no module script of this build');
  if (sizes.initialJs.gzip > budget.initialJsGzip) {
    problems.push(
      `initial JS is ${formatKb(sizes.initialJs.gzip)} gzip, over the ${formatKb(budget.initialJsGzip)} budget (${sizes.initialJs.files.map((f) => f.file).join(', ')})`,
    );
  }
  for (const wasm of sizes.wasm) {
    if (wasm.gzip > budget.wasmGzip) problems.push(`${wasm.file} is ${formatKb(wasm.gzip)} gzip, over the ${formatKb(budget.wasmGzip)} wasm budget`);
  }
  return problems;
}
