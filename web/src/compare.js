// "Compare with a measurement": reads what the user measured (a size with its unit, an nvidia-smi line,
// a vLLM or llama.cpp log line), picks what in the breakdown it corresponds to, and says by how much
// they differ and which parts explain it. The metric decides what is comparable:
//   nvidia-smi          → the total, CUDA context included (runtime_overhead part)
//   max_memory_allocated/reserved → the total without runtime_overhead (the allocator never sees it)
//   vLLM / llama.cpp log line → the part the line names (weights, KV cache, activations/compute buffer)

const UNITS = { b: 1, bytes: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

// The first "<number> <unit>" in the text, in bytes (a bare number counts as the current display unit).
export function parseSize(text, fallbackUnit) {
  const m = String(text).match(/(\d+(?:[.,]\d+)?)\s*(bytes|b|[kmgt]i?b)?\b/i);
  if (!m) return null;
  const value = Number(m[1].replace(',', '.'));
  const unit = (m[2] || fallbackUnit).toLowerCase();
  const factor = UNITS[unit];
  if (!factor || !Number.isFinite(value)) return null;
  return Math.round(value * factor);
}

// Which part a log line names, by the words engines print (vLLM: "model weights take 14.99GiB",
// "KV Cache is 54.96GiB", "activation peak memory takes 1.19GiB", "non_torch_memory takes 0.13GiB";
// llama.cpp: "CUDA0 model buffer size = 4403.49 MiB", "KV buffer size", "compute buffer size").
function partOfLine(text) {
  const s = text.toLowerCase();
  const rules = [
    [/model weights|model buffer|weights take/, 'weights'],
    [/kv cache|kv buffer|kv self size/, 'kv_cache'],
    [/activation|compute buffer/, 'workspace'],
    [/non_torch|non-torch/, 'runtime_overhead'],
  ];
  for (const [re, part] of rules) {
    if (re.test(s)) {
      // vLLM prints several "takes" on one line: read the size right after the words we matched.
      const at = s.search(re);
      return { part, text: text.slice(at) };
    }
  }
  return null;
}

// measured text + metric + the result on screen ({parts: [{id, label, bytes}], total}) → a report.
export function compare(text, metric, view, displayUnit) {
  let target = null;
  let sizeText = text;
  if (metric === 'vllm' || metric === 'llamacpp') {
    const named = partOfLine(text);
    if (named) {
      target = named.part;
      sizeText = named.text;
    }
  }
  const measured = parseSize(sizeText, displayUnit === 'gb' ? 'gb' : 'gib');
  if (measured === null) return null;
  const overhead = view.parts.find((p) => p.id === 'runtime_overhead')?.bytes ?? 0;
  let estimate;
  let what;
  if (target) {
    const part = view.parts.find((p) => p.id === target);
    estimate = part ? part.bytes : 0;
    what = { key: 'compare.what.part', fields: { part: part ? part.label : target } };
  } else if (metric === 'allocated' || metric === 'reserved') {
    estimate = view.total - overhead;
    what = { key: 'compare.what.totalNoOverhead' };
  } else {
    estimate = view.total;
    what = { key: 'compare.what.total' };
  }
  const diff = measured - estimate;
  // The part whose size is nearest the difference, when it is within a quarter of it.
  let near = null;
  for (const p of view.parts) {
    if (p.bytes === 0) continue;
    const off = Math.abs(Math.abs(diff) - p.bytes);
    if (off <= 0.25 * p.bytes && (!near || off < near.off)) near = { label: p.label, off };
  }
  return { measured, estimate, diff, pct: estimate ? (100 * diff) / estimate : 0, what, near: near?.label ?? null, metric };
}
