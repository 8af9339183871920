// KV cache per layer, the way each engine lays it out. Sources (read, not copied):
//   transformers cache_utils.py (DynamicCache: full-length K and V per layer; sliding layers of Gemma 2/3
//     capped at the window by HybridCache/DynamicSlidingWindowLayer; DeepSeek's MLA caches expanded K, V),
//   vLLM v1 kv_cache_interface.py (FullAttentionSpec page = 2·block_size·kv_heads·head_size·dtype bytes,
//     block_size 16; MLAAttentionSpec: one latent of kv_lora_rank + qk_rope_head_dim, no ×2; sliding
//     windows capped), llama.cpp src/llama-kv-cache.cpp (one K row of n_embd_k_gqa and one V row per cell,
//     cells padded to 256; SWA cache min(n_ctx, pad(n_swa·n_seq + n_ubatch, 256)); MLA caches the latent),
//   llama.cpp llama-memory-recurrent.cpp (Mamba: conv and ssm states per sequence, F32).
#include <algorithm>
#include <map>

#include "gpumem/base/checked.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/memory/inference.hpp"

namespace gpumem {

namespace {

// Bytes of one row of `n` values in the cache type (q8_0/q4_0 rows are whole 32-value blocks).
uint64_t row_bytes(const KvType& t, uint64_t n) { return mul(ceil_div(n, t.block), t.bytes); }

const KvType kFp32{"fp32", 1, 4};
constexpr uint64_t kVllmBlock = 16;
constexpr uint64_t kLlamaPad = 256;
constexpr uint64_t kLlamaUbatch = 512;

}  // namespace

KvCache kv_cache(const ModelSpec& m, const InferenceOptions& o, uint64_t seqs, uint64_t tokens, bool formulas,
                 uint64_t first, uint64_t count) {
  KvCache kv;
  // A pipeline stage holds the cache of its own layers only; sliding and full layers are told apart by
  // index (each run's spec), so a stage of Gemma 2 keeps whichever of its layers slide capped.
  const uint64_t last = count == 0 ? 0 : (count - 1 > UINT64_MAX - first ? UINT64_MAX : first + (count - 1));
  auto in_range = [&](const LayerRun& run) -> uint64_t {
    if (count == 0 || run.to < first || run.from > last) return 0;
    return std::min(run.to, last) - std::max(run.from, first) + 1;
  };
  // (bytes per token of one layer, tokens the layer keeps) → layers
  std::map<std::pair<uint64_t, uint64_t>, uint64_t> groups;
  uint64_t cells = tokens;  // llama.cpp: one unified cache of pad(seqs·tokens, 256) cells
  if (o.engine == Engine::vllm) cells = round_up(tokens, kVllmBlock);
  uint64_t state = 0;  // recurrent states per sequence
  for (const auto& run : m.layers) {
    const LayerSpec& l = run.spec;
    const uint64_t n_run = in_range(run);
    if (l.role == LayerRole::encoder || n_run == 0) continue;
    uint64_t per_token = 0;
    if (l.mixer == MixerKind::attention) {
      if (m.attn_layout == AttnLayout::mla && o.engine != Engine::hf) {
        per_token = row_bytes(o.kv, add(m.n_lora_kv, m.n_rot));
      } else {
        const uint64_t heads = m.attn_layout == AttnLayout::mla ? m.n_head : l.n_head_kv;
        const uint64_t h = std::max<uint64_t>(1, heads / o.tp);
        // GPT-NeoX before transformers 4.45 cached fp32 keys (its rotary tables promote them).
        const KvType& key = o.engine == Engine::hf && o.runtime.hf.fp32_keys ? kFp32 : o.kv;
        per_token = add(row_bytes(key, mul(h, m.n_embd_head_k)), row_bytes(o.kv, mul(h, m.n_embd_head_v)));
      }
    } else if (l.mixer == MixerKind::mamba) {
      state = add(state, mul({n_run, 4, m.ssm_d_inner, add(m.ssm_d_conv - 1, m.ssm_d_state)}));
    } else if (l.mixer == MixerKind::mamba2) {
      const uint64_t conv_dim = add(m.ssm_d_inner, mul({2, m.ssm_n_group, m.ssm_d_state}));
      state = add(state, mul({n_run, 4, add(mul(conv_dim, m.ssm_d_conv - 1), mul(m.ssm_d_inner, m.ssm_d_state))}));
    }
    if (per_token != 0) {
      kv.bytes_per_token = add(kv.bytes_per_token, mul(per_token, n_run));
      uint64_t keep = cells;
      if (l.attn == AttnKind::sliding && l.window != 0) {
        uint64_t w = l.window;
        if (o.engine == Engine::vllm) w = round_up(w, kVllmBlock);
        if (o.engine == Engine::llamacpp) w = round_up(add(mul(l.window, seqs), kLlamaUbatch), kLlamaPad) / seqs;
        keep = std::min(keep, w);
      }
      groups[{per_token, keep}] += n_run;
    }
    if (l.cross_attn) {
      // Cross-attention keys and values of the encoder output (the prompt), computed once per sequence.
      const uint64_t h = std::max<uint64_t>(1, m.n_head / o.tp);
      const uint64_t ct = add(row_bytes(o.kv, mul(h, m.n_embd_head_k)), row_bytes(o.kv, mul(h, m.n_embd_head_v)));
      groups[{ct, o.prompt}] += n_run;
    }
  }
  Formula f;
  for (const auto& [key, n] : groups) {
    const auto [per_token, keep] = key;
    uint64_t t = mul(keep, seqs);
    if (o.engine == Engine::llamacpp) t = round_up(t, kLlamaPad);
    kv.bytes = add(kv.bytes, mul({n, per_token, t}));
    if (formulas) {
      if (!f.empty()) f += txt("formula.plus");
      f += txt("formula.kv.group",
               {{"layers", std::to_string(n)}, {"per_token", with_commas(per_token)}, {"tokens", with_commas(t)}});
    }
  }
  if (state != 0) {
    kv.bytes = add(kv.bytes, mul(state, seqs));
    if (formulas) {
      if (!f.empty()) f += txt("formula.plus");
      f += txt("formula.kv.state", {{"bytes", with_commas(state)}, {"seqs", std::to_string(seqs)}});
    }
  }
  if (!formulas) return kv;
  if (f.empty()) f = txt("formula.kv.no_attention");
  f += txt("formula.kv.total", {{"bytes", with_commas(kv.bytes)}, {"seqs", std::to_string(seqs)}, {"kv", o.kv.id}});
  if (o.engine == Engine::hf && o.runtime.hf.fp32_keys) f += txt("formula.kv.fp32_keys");
  if (m.attn_layout == AttnLayout::mla && o.engine != Engine::hf) f += txt("formula.kv.mla");
  f += txt("formula.close_paren");
  kv.formula = std::move(f);
  kv.source = txt(o.engine == Engine::hf     ? "source.kv.hf"
                  : o.engine == Engine::vllm ? "source.kv.vllm"
                                             : "source.kv.llamacpp");
  return kv;
}

}  // namespace gpumem
