// Exact parameter counts, as transformers' model.num_parameters() prints them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpumem/model.hpp"

namespace gpumem {

struct ParamGroup {
  std::string id;  // embeddings, positions, attention, mlp, norms, lm_head, other
  uint64_t count = 0;
};

struct ParamCount {
  uint64_t total = 0;
  std::vector<ParamGroup> groups;  // always the same ids in the same order; sums to total
};

ParamCount count_params(const ModelSpec& m);

}  // namespace gpumem
