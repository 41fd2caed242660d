// Prints the built app's sizes (raw, gzip -9): every JS, CSS and wasm file, then the budget's
// measures (scripts/size-budget.mjs): the initial JS (index.html's scripts and their static
// imports) and each wasm binary. Run by `npm run build`.
//   node scripts/report-sizes.mjs [dir=dist] [--budget]
// --budget: exit 1, saying what is over, when a measure is over its budget (the `size` layer of
// scripts/test-all.sh).
import { BUDGET, budgetProblems, formatKb, measureBuild } from './size-budget.mjs';

const args = process.argv.slice(2);
const enforce = args.includes('--budget');
const dir = args.find((a) => !a.startsWith('--')) ?? 'dist';

const sizes = measureBuild(dir);
const width = Math.max(...sizes.rows.map((r) => r.file.length));
console.log(`\nsizes in ${dir}/ (raw, gzip -9):`);
for (const r of sizes.rows) console.log(`  ${r.file.padEnd(width)}  ${formatKb(r.raw).padStart(10)}  ${formatKb(r.gzip).padStart(10)}`);
for (const kind of ['wasm', 'js']) {
  const sel = sizes.rows.filter((r) => r.file.endsWith(`.${kind}`));
  console.log(`  total ${kind}: ${formatKb(sel.reduce((a, r) => a + r.raw, 0))} raw, ${formatKb(sel.reduce((a, r) => a + r.gzip, 0))} gzip`);
}
console.log(`\nbudget (gzip):`);
console.log(
  `  initial JS: ${formatKb(sizes.initialJs.gzip)} of ${formatKb(BUDGET.initialJsGzip)} (${sizes.initialJs.files.map((f) => f.file).join(' + ') || 'none found'})`,
);
if (sizes.initialOnDemandJs.files.length > 0) {
  const files = sizes.initialOnDemandJs.files.map((f) => f.file).join(' + ');
  console.log(`  (not budgeted: imported on demand by the initial JS, e.g. the React shell: ${formatKb(sizes.initialOnDemandJs.gzip)}, ${files})`);
}
for (const w of sizes.wasm) console.log(`  ${w.file}: ${formatKb(w.gzip)} of ${formatKb(BUDGET.wasmGzip)}`);

const problems = budgetProblems(sizes);
if (problems.length === 0) console.log('size budget: OK');
else {
  for (const p of problems) console.log(`  over budget: ${p}`);
  console.log(`size budget: ${enforce ? 'FAILED' : 'over (not enforced without --budget)'}`);
  if (enforce) process.exit(1);
}
