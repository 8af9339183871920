// "Compare with a measurement": reads what the user measured (a size with its unit, an nvidia-smi line,
// a vLLM or llama.cpp log line), picks what in the breakdown it corresponds to, and says by how much
// they differ and which parts explain it. The metric decides what is comparable:
//   nvidia-smi          → the total, CUDA context included (runtime_overhead part)
//   max_memory_allocated/reserved → the total without runtime_overhead (the allocator never sees it)
//   vLLM / llama.cpp log line → what the line names: a part, or the engine's own figure from the core's
//   engine_report (vLLM's KV cache in bytes and tokens, its maximum concurrency; llama.cpp's per-device
//   model / KV / compute / host buffers). Nothing is computed here but the difference.

const UNITS = { b: 1, bytes: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
// vLLM prints sizes divided by GiB_bytes = 2^30 whatever the label: "Loading model weights took 14.9888 GB"
// (vllm/v1/worker/gpu_model_runner.py load_model, `self.model_memory_usage / GiB_bytes` with the unit
// written "GB" until it was relabelled "GiB"), so its GB, MB and KB are binary.
const VLLM_UNITS = { ...UNITS, kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30, tb: 2 ** 40 };

const number = (s) => Number(String(s).replace(/,/g, ''));

// The first "<number> <unit>" in the text, in bytes; without one, the first bare number in the current display
// unit (an nvidia-smi row's GPU index and fan percentage come before its "18200MiB").
export function parseSize(text, fallbackUnit, units = UNITS) {
  const m = String(text).match(/(\d[\d,]*(?:\.\d+)?)\s*(bytes|b|[kmgt]i?b)\b/i) ?? String(text).match(/(\d[\d,]*(?:\.\d+)?)()/);
  if (!m) return null;
  const value = number(m[1]);
  const unit = (m[2] || fallbackUnit).toLowerCase();
  const factor = units[unit];
  if (!factor || !Number.isFinite(value)) return null;
  return Math.round(value * factor);
}

// What a log line names. kind: 'bytes' (a size), 'tokens' or 'ratio' (vLLM's KV tokens and concurrency).
// report: the engine_report key it is compared with; part: the breakdown's part when there is no report.
// The sentence keys of what a vLLM line is compared with (web/src/i18n.js), by engine_report key.
const WHAT = {
  kv_cache_bytes: 'compare.what.kv_cache_bytes',
  kv_cache_tokens: 'compare.what.kv_cache_tokens',
  max_concurrency: 'compare.what.max_concurrency',
};
const VLLM_LINES = [
  // "GPU KV cache size: 46,768 tokens" (vllm/v1/core/kv_cache_utils.py)
  { re: /kv cache size:?\s*([\d,]+)\s*tokens/, kind: 'tokens', report: 'kv_cache_tokens' },
  // "Maximum concurrency for 8,192 tokens per request: 5.71x"
  { re: /maximum concurrency for [\d,]+ tokens per request:?\s*([\d.]+)\s*x/, kind: 'ratio', report: 'max_concurrency' },
  // "Available KV cache memory: 5.71 GiB" (gpu_worker.py determine_available_memory), "KV Cache is 54.96GiB"
  { re: /available kv cache memory|kv cache is/, kind: 'bytes', report: 'kv_cache_bytes', part: 'kv_cache' },
  // "Loading model weights took 14.9888 GB", "Model loading took 15.06 GiB", "model weights take 14.96GiB"
  { re: /model weights|loading took|weights take/, kind: 'bytes', part: 'weights' },
  { re: /activation peak memory|torch peak memory/, kind: 'bytes', part: 'workspace' },
  { re: /non_torch|non-torch/, kind: 'bytes', part: 'runtime_overhead' },
];
// llama.cpp: "CUDA0 model buffer size = 4403.49 MiB", "CUDA0 KV buffer size = 512.00 MiB",
// "CUDA0 compute buffer size = 258.50 MiB", "CUDA_Host compute buffer size", "CPU_Mapped model buffer size".
// The core's engine_report.buffers holds the same names: {model: {CUDA0: bytes, CPU_Mapped: bytes}, kv: …}.
const LLAMA_LINES = [
  { re: /model buffer/, kind: 'bytes', buffer: 'model', part: 'weights' },
  { re: /kv buffer|kv self size/, kind: 'bytes', buffer: 'kv', part: 'kv_cache' },
  { re: /compute buffer/, kind: 'bytes', buffer: 'compute', part: 'workspace' },
];
const DEVICE = /\b(CUDA\d+|ROCm\d+|Metal|SYCL\d+|Vulkan\d+|CUDA_Host|CPU_Mapped|CPU)\b/i;

// The report's bytes for a buffer line: by the device the line names, or the only figure there is.
function bufferBytes(report, line, text) {
  const entry = report?.buffers?.[line.buffer];
  if (typeof entry === 'number') return { bytes: entry, device: '' };
  if (!entry || typeof entry !== 'object') return null;
  const device = text.match(DEVICE)?.[1];
  const key = device && Object.keys(entry).find((k) => k.toLowerCase() === device.toLowerCase());
  return key && typeof entry[key] === 'number' ? { bytes: entry[key], device: key } : null;
}

function lineOf(text, metric) {
  const s = text.toLowerCase();
  for (const rule of metric === 'vllm' ? VLLM_LINES : LLAMA_LINES) {
    const m = s.match(rule.re);
    if (m) return { ...rule, match: m, at: m.index };
  }
  return null;
}

function nearestPart(view, diff) {
  // The part whose size is nearest the difference, when it is within a quarter of it.
  let near = null;
  for (const p of view.parts) {
    if (p.bytes === 0) continue;
    const off = Math.abs(Math.abs(diff) - p.bytes);
    if (off <= 0.25 * p.bytes && (!near || off < near.off)) near = { label: p.label, off };
  }
  return near?.label ?? null;
}

const result = (measured, estimate, what, metric, kind, view) => {
  const diff = measured - estimate;
  return {
    measured, estimate, diff, pct: estimate ? (100 * diff) / estimate : 0, what, metric, kind,
    near: kind === 'bytes' ? nearestPart(view, diff) : null,
  };
};

// measured text + metric + the result on screen ({parts: [{id, label, bytes}], total, result}) → a report,
// or null when nothing in the text can be compared.
export function compare(text, metric, view, displayUnit) {
  const fallback = displayUnit === 'gb' ? 'gb' : 'gib';
  const report = view.result?.engine_report ?? null;
  if (metric === 'vllm' || metric === 'llamacpp') {
    const line = lineOf(text, metric);
    if (line && line.kind !== 'bytes') {
      const measured = number(line.match[1]);
      const estimate = report?.[line.report];
      if (!Number.isFinite(measured) || typeof estimate !== 'number') return null;
      return result(measured, estimate, { key: WHAT[line.report] }, metric, line.kind, view);
    }
    if (line) {
      const measured = parseSize(text.slice(line.at), fallback, metric === 'vllm' ? VLLM_UNITS : UNITS);
      if (measured === null) return null;
      const buffer = line.buffer ? bufferBytes(report, line, text) : null;
      if (buffer)
        return result(measured, buffer.bytes, { key: 'compare.what.buffer', fields: { buffer: `${buffer.device} ${line.buffer}`.trim() } }, metric, 'bytes', view);
      if (line.report && typeof report?.[line.report] === 'number')
        return result(measured, report[line.report], { key: WHAT[line.report] }, metric, 'bytes', view);
      if (!line.part) return null;
      const part = view.parts.find((p) => p.id === line.part);
      return result(measured, part ? part.bytes : 0, { key: 'compare.what.part', fields: { part: part ? part.label : line.part } }, metric, 'bytes', view);
    }
  }
  const measured = parseSize(text, fallback, metric === 'vllm' ? VLLM_UNITS : UNITS);
  if (measured === null) return null;
  const overhead = view.parts.find((p) => p.id === 'runtime_overhead')?.bytes ?? 0;
  if (metric === 'allocated' || metric === 'reserved')
    return result(measured, view.total - overhead, { key: 'compare.what.totalNoOverhead' }, metric, 'bytes', view);
  return result(measured, view.total, { key: 'compare.what.total' }, metric, 'bytes', view);
}
