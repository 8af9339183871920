#!/usr/bin/env bash
# Builds the wasm module and assembles the complete static site in dist/ (copy it to any static host).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"   # emcc needs Debian's node modules (acorn)
cmake --preset wasm >/dev/null   # cheap when configured; applies new cache variables
cmake --build --preset wasm --target gpumem_web
rm -rf dist
mkdir -p dist/src
cp web/index.html web/*.css dist/
cp web/src/*.js dist/src/
cp build/wasm/web/gpumem.js build/wasm/web/gpumem.wasm dist/
echo "gpumem: static site written to dist/"
