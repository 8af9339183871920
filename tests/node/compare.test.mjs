// The page's "Compare with a measurement" reading of today's log lines (web/src/compare.js): vLLM's sizes
// are divided by 2^30 whatever their label, its KV tokens and concurrency come from the core's
// engine_report, llama.cpp's buffers by the names its log prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, parseSize } from '../../web/src/compare.js';

const GiB = 2 ** 30;
const view = {
  total: 20 * GiB,
  parts: [
    { id: 'weights', label: 'Weights', bytes: Math.round(14.96 * GiB) },
    { id: 'kv_cache', label: 'KV cache', bytes: 4 * GiB },
    { id: 'runtime_overhead', label: 'Runtime overhead', bytes: GiB },
  ],
  result: {
    engine_report: {
      kv_cache_bytes: Math.round(5.7 * GiB), kv_cache_tokens: 46_000, max_model_len: 46_000, max_concurrency: 5.6,
      buffers: {
        model: { CUDA0: 4000 * 2 ** 20, CPU_Mapped: 282 * 2 ** 20 }, kv: { CUDA0: 512 * 2 ** 20 },
        compute: { CUDA0: 258.5 * 2 ** 20, CUDA_Host: 9 * 2 ** 20 },
      },
    },
  },
};

test("vLLM's 'took 14.9888 GB' is 14.9888 × 2^30 bytes (+0.2 %, not −6.7 %)", () => {
  // vllm-project/vllm issue logs: "Loading model weights took 14.9888 GB" for Llama-3-8B in bf16.
  const c = compare('INFO 07-19 gpu_model_runner.py:1329] Loading model weights took 14.9888 GB and 4.8 seconds', 'vllm', view, 'gib');
  assert.equal(c.measured, Math.round(14.9888 * GiB));
  assert.equal(c.what.key, 'compare.what.part');
  assert.ok(Math.abs(c.pct - 0.19) < 0.05, `pct ${c.pct}`);
  // the same text read as an nvidia-smi-like plain size keeps GB = 10^9
  assert.equal(parseSize('14.9888 GB', 'gib'), Math.round(14.9888e9));
});

test("vLLM's KV cache lines are compared with its engine report", () => {
  const kv = compare('INFO gpu_worker.py:227] Available KV cache memory: 5.71 GiB', 'vllm', view, 'gib');
  assert.equal(kv.what.key, 'compare.what.kv_cache_bytes');
  assert.equal(kv.estimate, view.result.engine_report.kv_cache_bytes);
  const tokens = compare('INFO kv_cache_utils.py:634] GPU KV cache size: 46,768 tokens', 'vllm', view, 'gib');
  assert.deepEqual([tokens.kind, tokens.measured, tokens.estimate], ['tokens', 46_768, 46_000]);
  const conc = compare('INFO kv_cache_utils.py:637] Maximum concurrency for 8,192 tokens per request: 5.71x', 'vllm', view, 'gib');
  assert.deepEqual([conc.kind, conc.measured, conc.estimate], ['ratio', 5.71, 5.6]);
  // without an engine report (another engine on screen) a token count has nothing to compare with
  assert.equal(compare('GPU KV cache size: 46,768 tokens', 'vllm', { ...view, result: {} }, 'gib'), null);
});

test("llama.cpp's buffer lines by the names its log prints", () => {
  const at = (line) => compare(line, 'llamacpp', view, 'gib');
  const buffers = view.result.engine_report.buffers;
  assert.equal(at('load_tensors:        CUDA0 model buffer size =  4403.49 MiB').estimate, buffers.model.CUDA0);
  assert.equal(at('llama_kv_cache_unified:      CUDA0 KV buffer size =   512.00 MiB').measured, 512 * 2 ** 20);
  assert.equal(at('llama_context:      CUDA0 compute buffer size =   258.50 MiB').estimate, buffers.compute.CUDA0);
  const host = at('llama_context:  CUDA_Host compute buffer size =    9.01 MiB');
  assert.deepEqual([host.estimate, host.what.fields.buffer], [buffers.compute.CUDA_Host, 'CUDA_Host compute']);
  assert.equal(at('load_tensors:   CPU_Mapped model buffer size =   281.81 MiB').estimate, buffers.model.CPU_Mapped);
  // no report: the part the buffer holds
  assert.equal(compare('CUDA0 KV buffer size = 512.00 MiB', 'llamacpp', { ...view, result: {} }, 'gib').what.fields.part, 'KV cache');
});

test('nvidia-smi and allocator readings compare with the total', () => {
  const smi = compare('|  0  ... | 18200MiB / 24564MiB |', 'nvidia-smi', view, 'gib');
  assert.equal(smi.measured, 18200 * 2 ** 20);
  assert.equal(smi.estimate, view.total);
  assert.equal(compare('17.5', 'allocated', view, 'gib').estimate, view.total - GiB);
  assert.equal(compare('no number here', 'vllm', view, 'gib'), null);
});
