// Exact parameter counts, as transformers' model.num_parameters() prints them, from a ModelSpec.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpumem/model.hpp"

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

}  // namespace gpumem
