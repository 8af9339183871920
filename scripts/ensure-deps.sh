#!/usr/bin/env bash
# Installs what is missing, and only that: Debian packages (as root, via apt-get) and npm packages.
# Usage: scripts/ensure-deps.sh start|test   (start needs less: no Catch2, no browser)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-test}"

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_cmd cmake || need+=(cmake)
have_cmd make || need+=(make)
have_cmd g++ || need+=(g++)
have_cmd emcc || [ -x /usr/share/emscripten/emcc ] || need+=(emscripten)
[ -f /usr/include/nlohmann/json.hpp ] || need+=(nlohmann-json3-dev)
if [ "$purpose" = test ]; then
  [ -f /usr/include/catch2/catch.hpp ] || need+=(catch2)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # A CJK font, so the Chinese page and its screenshots render glyphs rather than boxes.
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
  have_cmd clang-format || need+=(clang-format)
  have_cmd clang++ || need+=(clang)
  ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || need+=(libclang-rt-dev)
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "gpumem: installing Debian packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ "$purpose" = test ] && { [ ! -d node_modules/@playwright/test ] || [ ! -d node_modules/@axe-core/playwright ]; }; then
  echo "gpumem: installing npm packages (npm ci)"
  # Playwright must never download a browser here: Debian's chromium is used.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
