#!/usr/bin/env bash
# Builds the wasm module and assembles the complete static site in dist/ (copy it to any static host).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"   # emcc needs Debian's node modules (acorn)
cmake --preset wasm >/dev/null   # cheap when configured; applies new cache variables
cmake --build --preset wasm --target gpumem_web gpumem_verdict
rm -rf dist
mkdir -p dist/src
cp web/index.html web/*.css dist/
cp web/src/*.js dist/src/
cp build/wasm/web/gpumem.js build/wasm/web/gpumem.wasm build/wasm/web/gpumem-verdict.js build/wasm/web/gpumem-verdict.wasm dist/
# The embeddable widget (dist/gpumem-calculator.js beside the wasm), its iframe page and the sample
# docs page; the gallery of bundled configs the widget's gallery attribute names (id = file name).
cp web/gpumem-calculator.js web/embed.html web/embed.js web/embed.css dist/
mkdir -p dist/examples dist/gallery
cp web/examples/* dist/examples/
cp tests/fixtures/configs/*.json dist/gallery/
node scripts/gallery-index.mjs dist/gallery
echo "gpumem: static site written to dist/"
