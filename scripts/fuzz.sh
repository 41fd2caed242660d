#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a time budget on a scratch
# copy of its seed corpus (the committed corpus is never written). Any finding fails the run.
#   scripts/fuzz.sh [seconds per target, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
if [[ ! -f build/fuzz/CMakeCache.txt ]]; then
  cmake -S native -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_COMPILER=clang -DTESSERA_FUZZ=ON -DTESSERA_TESTS=OFF >/dev/null
fi
cmake --build build/fuzz --parallel --target fuzz_json_logic fuzz_programme fuzz_webvtt fuzz_ttml
status=0
for target in json_logic programme webvtt ttml; do
  work="$(mktemp -d)"
  cp -r "native/fuzz/corpus/$target/." "$work/"
  echo "fuzz_$target: ${seconds}s"
  if ! "build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="build/fuzz/crash-$target-" "$work" 2>build/fuzz/$target.log; then
    echo "fuzz_$target FAILED: see build/fuzz/$target.log and build/fuzz/crash-$target-*"
    tail -30 "build/fuzz/$target.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "build/fuzz/$target.log" | tail -1
  fi
  rm -rf "$work"
done
exit $status
