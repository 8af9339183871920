// What changed between transformers releases that moves memory (docs/ESTIMATION.md, "transformers
// versions"): read by the inference estimate (generate's peak, buffers) and the training estimate
// (buffers, cached keys, eager attention's saved tensors).
#pragma once

#include <cstdint>
#include <string>

#include "gpumem/model/model.hpp"

namespace gpumem {

// How a transformers release allocates for one model, in generate() and in training (docs/ESTIMATION.md, "transformers
// versions"). A default-constructed value is the current release for a model whose forward takes
// logits_to_keep.
struct HfLegacy {
  uint32_t version = 0;              // major × 100 + minor (4.40 → 440); 0: the current release
  bool tuple_cache = false;          // past_key_values as tuples: each step's torch.cat builds a new cache
                                     // while the previous one is still referenced, so both exist at its end
  bool keep_prefill_logits = false;  // generate keeps the prefill `outputs` (every position's logits) alive
                                     // through the first decoding step (no `del outputs` before 4.42)
  bool full_prefill_logits = false;  // the prefill computes logits for every prompt position (no
                                     // logits_to_keep = 1: before 4.45, or a model without it)
  bool fp32_prefill_logits = false;  // LlamaForCausalLM ≤ 4.44: logits.float() of every position as well
  bool clone_full_logits = false;    // 4.45–4.46 _sample: outputs.logits.clone()[:, -1, :] copies them all
  bool softmax_fp32 = false;         // eager attention's softmax in fp32 (Llama's eager_attention_forward
                                     // and the models built on it, T5, OPT ≥ 4.21; GPT-2, BERT: no)
  bool eager_clamp = false;          // OPT before 4.49, Llama before 4.31: torch.max(scores, min) keeps the
                                     // scores for backward
  bool fp32_keys = false;            // GPT-NeoX: fp32 rotary tables promote the cached keys to fp32
  bool layer_bias_buffer = false;    // GPT-NeoX, GPT-J: a causal mask of n_ctx² per layer (`bias`)
  bool bias_is_bool = true;          // bool (accelerate counts 1/8 B per element) or uint8 (1 B)
  bool bias_cast = false;            // 4.20–4.21 with a device_map: the checkpoint's mask cast to the load
                                     // dtype (its element is then 2 or 4 B)
  bool layer_rotary_tables = false;  // GPT-NeoX: per-layer fp32 cos/sin tables of n_ctx × rotary dims
};

// The behaviours of transformers `version` (major × 100 + minor; 0: current) for this model. `unsure`
// receives a phrase on what was assumed rather than known for its model_type (empty when all is known).
HfLegacy hf_legacy(const ModelSpec& m, uint32_t version, Text* unsure = nullptr);

// 440 → "4.40"; 0 → "current".
std::string transformers_version_text(uint32_t version);

// The buffers one decoder layer registers under `lg` (causal mask, rotary tables), allocated bytes.
uint64_t hf_layer_buffer_bytes(const ModelSpec& m, const HfLegacy& lg, uint64_t act);

}  // namespace gpumem
