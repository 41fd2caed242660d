#!/usr/bin/env bash
# The one set-up script behind `npm start`, `npm test`, `npm run build`, `npm run bench` and
# .ci/run. It installs only what is missing, then builds the engine:
#   1. system packages: on Debian/Ubuntu as root, apt-get installs them; elsewhere it stops with a
#      message naming what to install;
#   2. npm dependencies (npm ci when node_modules is missing or older than package-lock.json);
#   3. the engine (scripts/build-engine.sh; incremental).
# Usage: scripts/setup.sh [--for start|test|build|bench|all]
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=all
while [[ $# -gt 0 ]]; do
  case "$1" in
    --for) purpose="${2:?--for needs start|test|build|bench|all}"; shift 2 ;;
    *) echo "setup: unknown argument $1" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# Debian package -> a file that proves it is present (checked on any system).
gst_dir="/usr/lib/$(uname -m)-linux-gnu/gstreamer-1.0"
declare -A PROVIDES=(
  [emscripten]=/usr/bin/emcc
  [libstb-dev]=/usr/include/stb/stb_truetype.h
  [cmake]=/usr/bin/cmake
  [ninja-build]=/usr/bin/ninja
  [g++]=/usr/bin/g++
  # Writes the HTML named character reference table at build time (native/captions).
  [python3]=/usr/bin/python3
  # Caption font families (serif, monospaced) and the CJK fallback, served and built from here
  # (src/captions/caption-fonts.ts, vite.config.ts).
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf
  [fonts-droid-fallback]=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
  [doctest-dev]=/usr/include/doctest/doctest.h
  [nlohmann-json3-dev]=/usr/include/nlohmann/json.hpp
  [chromium]=/usr/bin/chromium
  [firefox-esr]=/usr/bin/firefox-esr
  [xvfb]=/usr/bin/Xvfb
  [webkit2gtk-driver]=/usr/bin/WebKitWebDriver
  [clang]=/usr/bin/clang++
  [libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
  # WebKitGTK decodes video (WebCodecs) through GStreamer: H.264 via libav, parsers from -bad.
  [gstreamer1.0-libav]="$gst_dir/libgstlibav.so"
  [gstreamer1.0-plugins-bad]="$gst_dir/libgstvideoparsersbad.so"
  # A sound server with a null sink: Firefox starts no AudioContext without one (e2e audio tests).
  [pulseaudio]=/usr/bin/pulseaudio
  [pulseaudio-utils]=/usr/bin/pactl
)
build_packages=(emscripten libstb-dev nlohmann-json3-dev cmake ninja-build g++ python3 fonts-dejavu-core fonts-droid-fallback)
case "$purpose" in
  start|build) wanted=("${build_packages[@]}") ;;
  bench) wanted=("${build_packages[@]}" chromium) ;;
  test|all) wanted=("${build_packages[@]}" doctest-dev chromium firefox-esr xvfb webkit2gtk-driver gstreamer1.0-libav gstreamer1.0-plugins-bad pulseaudio pulseaudio-utils clang libclang-rt-14-dev) ;;
  *) echo "setup: unknown purpose $purpose" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  [[ -e "${PROVIDES[$pkg]}" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ -r /etc/debian_version && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    cat >&2 <<MSG
[setup] Missing: ${missing[*]}
  Tessera needs these to build its engine and run its tests. On Debian/Ubuntu run this script as
  root (or: sudo apt-get install ${missing[*]}). Elsewhere install the equivalents:
    - Emscripten (emcc on PATH): https://emscripten.org/docs/getting_started/downloads.html (emsdk)
    - CMake >= 3.20 and Ninja; a C++17 compiler
    - stb headers (stb_truetype.h, stb_image_write.h) and doctest; point CMake at them with
      -DTESSERA_STB_DIR=... -DTESSERA_DOCTEST_DIR=... (see native/CMakeLists.txt)
    - for tests: Chromium, Firefox ESR, Xvfb and WebKitWebDriver (webkit2gtk-driver) with
      GStreamer's libav and "bad" plugins (WebKit's video decoders); clang with its
      libFuzzer/sanitizer runtimes for the fuzz layer
MSG
    exit 1
  fi
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  echo "[setup] Node.js >= 20.19 is required (found $(node --version))." >&2
  exit 1
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

case "$purpose" in
  start|build) bash scripts/build-engine.sh wasm ;;
  *) bash scripts/build-engine.sh all ;;
esac
