#!/usr/bin/env bash
# Runs the test layers (native C++ via ctest, Vitest, Playwright, a short libFuzzer run, the size
# budget on the e2e layer's build), every layer even when an
# earlier one fails, then prints each runner's summary and one combined line. Exit status is
# non-zero when any layer fails or a runner reports no tests. Called by `npm test` after setup.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf build/test-reports; mkdir -p build/test-reports  # no stale report may count
status=0

layer() {  # $1 = name, rest = command; output teed to test-results/<name>.log
  local name="$1"; shift
  printf '\n\033[1;34m== %s ==\033[0m\n' "$name"
  "$@" 2>&1 | tee "build/test-reports/$name.log"
  local rc=${PIPESTATUS[0]}
  if [[ $rc -ne 0 ]]; then echo "[$name] FAILED (exit $rc)"; status=1; fi
}

layer native ctest --test-dir build/native --output-on-failure
layer unit node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile=build/test-reports/vitest.json
layer e2e node_modules/.bin/playwright test
layer fuzz bash scripts/fuzz.sh "${TESSERA_FUZZ_SECONDS:-20}"

size_budget() {  # the build the e2e layer served (production, as viewers get it), else one made here
  local dir=build/e2e-dist
  if [[ ! -f "$dir/index.html" ]]; then
    dir=build/size-dist
    node_modules/.bin/vite build --logLevel warn --outDir "$dir" || return 1
  fi
  node scripts/report-sizes.mjs "$dir" --budget
}
layer size size_budget

printf '\n\033[1;34m== summary ==\033[0m\n'
node scripts/test-summary.mjs || status=1
exit $status
