// Reads the runners' own reports (and the size budget's verdict) and prints their summaries plus one combined
// "N passed, N failed, N skipped" line. Exits 1 if a report is missing or a layer ran no test.
import { existsSync, readFileSync } from 'node:fs';

const layers = [];
let ok = true;

// ctest: "100% tests passed, 0 tests failed out of 17"
const ctestLog = existsSync('build/test-reports/native.log') ? readFileSync('build/test-reports/native.log', 'utf8') : '';
const ctest = ctestLog.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
if (ctest) {
  const failed = Number(ctest[2]), total = Number(ctest[3]);
  layers.push({ name: 'native (ctest/doctest)', passed: total - failed, failed, skipped: 0, line: ctest[0] });
} else layers.push({ name: 'native (ctest/doctest)', missing: true });

const vitestFile = 'build/test-reports/vitest.json';
if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  const skipped = (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  layers.push({ name: 'unit (vitest)', passed: v.numPassedTests, failed: v.numFailedTests, skipped,
    line: `Tests ${v.numPassedTests} passed | ${v.numFailedTests} failed | ${skipped} skipped (${v.numTotalTests})` });
} else layers.push({ name: 'unit (vitest)', missing: true });

const e2eFile = 'build/test-reports/e2e.json';
if (existsSync(e2eFile)) {
  const report = JSON.parse(readFileSync(e2eFile, 'utf8'));
  const s = report.stats;
  // A flaky test (failed, then passed when run again) passes the layer: only the tests that name a
  // reason retry (a stall of the machine in a real-time measurement, a Firefox page freeze:
  // e2e/support/freezes.ts). Each is named here with its failures, so none goes unseen.
  const flaky = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'flaky') continue;
        const errors = t.results.filter((r) => r.status !== 'passed').map((r) => (r.error?.message ?? r.status).split('\n')[0].replace(/\u001b\[[0-9;]*m/g, ''));
        flaky.push(`[${t.projectName}] ${[...titles, spec.title].join(' › ')} — first ${errors.join('; then ')}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
  layers.push({ name: 'e2e (playwright)', passed: s.expected + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0,
    line: `${s.expected} passed, ${s.unexpected} failed, ${s.flaky} flaky (passed when run again), ${s.skipped} skipped`, notes: flaky.map((f) => `  flaky: ${f}`) });
} else layers.push({ name: 'e2e (playwright)', missing: true });

// fuzz: one result per fuzzer ("fuzz_x: Ns" then a stats line, or "fuzz_x FAILED").
const fuzzLog = existsSync('build/test-reports/fuzz.log') ? readFileSync('build/test-reports/fuzz.log', 'utf8') : '';
const fuzzRan = [...fuzzLog.matchAll(/^fuzz_(\w+): \d+s$/gm)].map((m) => m[1]);
if (fuzzRan.length) {
  const failed = [...fuzzLog.matchAll(/^fuzz_(\w+) FAILED/gm)].length;
  const runs = [...fuzzLog.matchAll(/number_of_executed_units: (\d+)/g)].map((m) => Number(m[1]));
  layers.push({ name: 'fuzz (libFuzzer, ASan+UBSan)', passed: fuzzRan.length - failed, failed, skipped: 0,
    line: `${fuzzRan.length - failed} of ${fuzzRan.length} fuzzers clean (${runs.join(' + ')} inputs)` });
} else layers.push({ name: 'fuzz (libFuzzer, ASan+UBSan)', missing: true });

// size: scripts/report-sizes.mjs --budget ends with "size budget: OK" or "size budget: FAILED".
const sizeLog = existsSync('build/test-reports/size.log') ? readFileSync('build/test-reports/size.log', 'utf8') : '';
const sizeResult = sizeLog.match(/^size budget: (OK|FAILED)$/m);
if (sizeResult) {
  const over = [...sizeLog.matchAll(/^\s*over budget: (.*)$/gm)].map((m) => m[1]);
  const failed = sizeResult[1] === 'OK' ? 0 : 1;
  layers.push({ name: 'size (budget)', passed: 1 - failed, failed, skipped: 0, line: failed ? `over budget: ${over.join('; ')}` : 'initial JS and every wasm within budget' });
} else layers.push({ name: 'size (budget)', missing: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const layer of layers) {
  if (layer.missing) {
    console.log(`${layer.name}: no report (the runner did not finish)`);
    ok = false;
    continue;
  }
  console.log(`${layer.name}: ${layer.line}`);
  for (const note of layer.notes ?? []) console.log(note);
  if (layer.passed + layer.failed === 0) {
    console.log(`  ${layer.name} ran no test`);
    ok = false;
  }
  if (layer.failed > 0) ok = false;
  totals.passed += layer.passed;
  totals.failed += layer.failed;
  totals.skipped += layer.skipped;
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);
