#!/usr/bin/env bash
# Builds the libFuzzer target (clang, ASan+UBSan) and fuzzes the façade for FUZZ_SECONDS (default 60).
# The seed corpus is made from the fixtures: each config as params (0x00) and estimate (0x01) input,
# a safetensors header as inspect (0x02) input, and a few numbers for the converter (0x03).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
# FUZZ_PRESET=native-debug (npm test): the fuzz target links the core the ASan test stage has just built
# (one clang build instead of two, ~2.5 min of CI); FUZZ_PRESET=fuzz: an optimized build for long runs.
preset="${FUZZ_PRESET:-fuzz}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target gpumem_fuzz
bin="build/$preset/bin/gpumem_fuzz"
corpus=build/fuzz/corpus
mkdir -p "$corpus"
for f in tests/fixtures/configs/*.json; do
  b=$(basename "$f" .json)
  { printf '\x00'; cat "$f"; } > "$corpus/params-$b"
  { printf '\x01'; cat "$f"; } > "$corpus/estimate-$b"
done
node -e '
const h = Buffer.from(JSON.stringify({__metadata__: {format: "pt"}, "model.embed_tokens.weight": {dtype: "BF16", shape: [8, 4], data_offsets: [0, 64]}}));
const n = Buffer.alloc(8); n.writeBigUInt64LE(BigInt(h.length));
require("fs").writeFileSync(process.argv[1], Buffer.concat([Buffer.from([2]), n, h, Buffer.alloc(64)]));
' "$corpus/inspect-safetensors"
for v in 3.14 65504 1e-8 -0 nan 0x7f800001; do printf '\x03%s' "$v" > "$corpus/convert-$v"; done
# -max_len covers every fixture config; the run stops at the first property violation or sanitizer report.
"$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 "$corpus" 2>&1 | tee build/fuzz/last-run.log | grep -E "^#[0-9]+ +(INITED|DONE|pulse)|ERROR|SUMMARY|stat::number_of_executed_units|Done" || true
grep -q "stat::number_of_executed_units" build/fuzz/last-run.log && ! grep -qE "ERROR|property violated|SUMMARY: (Address|UndefinedBehavior)" build/fuzz/last-run.log
