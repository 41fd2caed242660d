#!/usr/bin/env bash
# Builds the C++ engine: `native` (system compiler: tests, tools, benchmarks), `wasm` (Emscripten:
# a SIMD and a scalar binary plus one ES-module glue, copied into src/engine/generated/), or `all`.
# Incremental: CMake/Ninja rebuild only what changed. Needs what scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-all}"
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi

build_native() {
  if [[ ! -f build/native/CMakeCache.txt ]]; then
    cmake -S native -B build/native "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build build/native --parallel
}

build_wasm_tier() {  # $1 = build dir, $2 = ON/OFF for SIMD
  if [[ ! -f "$1/CMakeCache.txt" ]]; then
    emcmake cmake -S native -B "$1" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DTESSERA_SIMD="$2" \
      -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
  fi
  cmake --build "$1" --parallel
}

build_wasm() {
  # emcc's JS optimizer needs acorn, which Debian ships under /usr/share/nodejs.
  export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
  build_wasm_tier build/wasm-simd ON
  build_wasm_tier build/wasm-scalar OFF
  local out=src/engine/generated
  mkdir -p "$out"
  # One glue serves both tiers: they export and import the same functions (a unit test proves it).
  cp -p build/wasm-simd/tessera-engine.mjs build/wasm-simd/tessera-engine.wasm "$out/"
  cp -p build/wasm-scalar/tessera-engine-scalar.wasm "$out/"
}

case "$target" in
  native) build_native ;;
  wasm) build_wasm ;;
  all) build_native; build_wasm ;;
  *) echo "usage: $0 [native|wasm|all]" >&2; exit 2 ;;
esac
