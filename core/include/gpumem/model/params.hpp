// Exact parameter counts, as transformers' model.num_parameters() prints them, from a ModelSpec.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpumem/model/model.hpp"

namespace gpumem {

// Stable group ids, always all of them and in this order (zeros included); they sum to the total.
//   embeddings      token (and token-type) embeddings
//   positions       learned position tables, T5's relative-attention bias
//   attention       q/k/v/o (or MLA's) projections and their biases, cross-attention, sinks
//   mlp             dense feed-forward layers
//   experts_routed  routed experts of MoE layers (with their biases)
//   experts_shared  shared experts and their gate
//   router          MoE routers (with their biases)
//   ssm             Mamba mixers: in/out projections, conv1d, x/dt projections, A_log, D, dt_bias
//   norms           every norm's weights and biases (including q/k norms, MLA's latent norms, SSM norms)
//   lm_head         output projection (0 when tied to the embeddings) and its bias
//   other           BERT's pooler, OPT's project_in/project_out
//   vision          a multimodal model's vision encoder (ModelSpec::vision): patch and position embeddings,
//                   its blocks, norms and pooling head
//   projector       what maps the vision features into the language model (Gemma 3's, LLaVA's, Qwen's merger)
struct ParamGroup {
  std::string id;
  uint64_t count = 0;
};

// A run of identical layers (ModelSpec::layers) and the parameters of each one of them.
struct LayerParams {
  LayerRun run;
  uint64_t params = 0;  // per layer
};

struct ParamCount {
  uint64_t total = 0;
  std::vector<ParamGroup> groups;  // see the ids above
  // Mixture of experts: parameters one token passes through — everything except the routed experts
  // that the router does not pick (n_expert − n_expert_used of them in each MoE layer).
  bool has_moe = false;
  uint64_t active = 0;
  // Multi-token-prediction modules (DeepSeek-V3 num_nextn_predict_layers), not part of `total`:
  // transformers' model drops them, so num_parameters() does not count them.
  uint64_t mtp = 0;
  std::vector<LayerParams> layers;
};

ParamCount count_params(const ModelSpec& m);

// The weight matrices of the model, for quantizers: every nn.Linear-shaped tensor with its kind and
// shape, per layer run, and everything else (norms, biases, conv kernels, A/D vectors, sinks, position
// tables) as a plain count. Sums back to count_params(m).total exactly.
enum class MatrixKind {
  attn_q,
  attn_k,
  attn_v,
  attn_o,
  attn_other,
  ffn_gate_up,
  ffn_down,
  exp_gate_up,
  exp_down,
  router,
  ssm
};
struct Matrix {
  MatrixKind kind;
  uint64_t in = 0;      // input features (ggml's ne[0], the quantization row length)
  uint64_t out = 0;     // output features (rows)
  uint64_t copies = 1;  // routed experts: n_expert matrices of this shape
  uint64_t params() const;
};
struct LayerMatrices {
  LayerRun run;
  std::vector<Matrix> matrices;  // per layer of the run
  uint64_t other = 0;            // per layer: parameters that are not in a matrix
};
struct WeightLayout {
  std::vector<LayerMatrices> layers;
  uint64_t embd_rows = 0, embd_cols = 0;  // token embedding table (n_vocab × n_embd_tok)
  uint64_t lm_head = 0;                   // untied output matrix parameters (0 when tied or absent)
  uint64_t other = 0;  // outside the blocks: token-type and position tables, final norms, biases, pooler, projections
  // Of `other`, the vision tower and projector's parameters (the "vision" and "projector" groups): quantizers
  // leave them in the load dtype (quant.cpp), llama.cpp keeps them in a separate mmproj file.
  uint64_t towers = 0;
};
WeightLayout weight_layout(const ModelSpec& m);

}  // namespace gpumem
