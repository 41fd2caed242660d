// Prints the built app's sizes (raw and gzip): the wasm binaries and the initial JS. Run by
// `npm run build`; the budget check (issue 7) will read the same numbers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const files = [];
(function walk(d) {
  for (const name of readdirSync(d)) {
    const p = path.join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(wasm|js|mjs|css)$/.test(name)) files.push(p);
  }
})(dir);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = files.sort().map((f) => {
  const bytes = readFileSync(f);
  return { file: path.relative(dir, f), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const width = Math.max(...rows.map((r) => r.file.length));
console.log(`\nsizes in ${dir}/ (raw, gzip -9):`);
for (const r of rows) console.log(`  ${r.file.padEnd(width)}  ${kb(r.raw).padStart(10)}  ${kb(r.gzip).padStart(10)}`);
for (const kind of ['wasm', 'js']) {
  const sel = rows.filter((r) => r.file.endsWith(`.${kind}`));
  console.log(`  total ${kind}: ${kb(sel.reduce((a, r) => a + r.raw, 0))} raw, ${kb(sel.reduce((a, r) => a + r.gzip, 0))} gzip`);
}
