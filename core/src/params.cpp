// Parameter layouts per family; docs/ESTIMATION.md lists each with the transformers file it follows.
//
// Worked example, Llama-2-7b (n_embd 4096, n_ff 11008, 32 layers, 32 KV heads, vocab 32000, untied):
//   embeddings 32000·4096 = 131,072,000; lm_head the same;
//   per layer: attention 4·4096² = 67,108,864, MLP 3·4096·11008 = 135,266,304, norms 2·4096;
//   32 layers = 6,476,267,520; final norm 4096; total 6,738,415,616 (model.num_parameters()).
#include "gpumem/params.hpp"

#include "gpumem/checked.hpp"

namespace gpumem {

namespace {

// Parameters of one norm over n features: RMSNorm has a weight, LayerNorm a weight and a bias.
uint64_t norm_params(const ModelSpec& m, uint64_t n) { return m.norm == NormKind::layer ? mul(2, n) : n; }

uint64_t attention_params(const ModelSpec& m, uint64_t il) {
  const uint64_t q = m.n_embd_q();
  const uint64_t kv = mul(m.n_head_kv_at(il), m.n_embd_head);
  uint64_t p = add(mul(m.n_embd, add(q, mul(2, kv))), mul(q, m.n_embd));  // W_q, W_k, W_v, W_o
  if (m.attn_qkv_bias) p = add(p, add(q, mul(2, kv)));
  if (m.attn_o_bias) p = add(p, m.n_embd);
  return p;
}

uint64_t mlp_params(const ModelSpec& m, uint64_t il) {
  const uint64_t ff = m.n_ff_at(il);
  const uint64_t matrices = m.mlp == MlpKind::gated ? 3 : 2;  // gate+up+down, or up+down
  uint64_t p = mul({matrices, m.n_embd, ff});
  if (m.mlp_bias) p = add(p, add(mul(matrices - 1, ff), m.n_embd));
  return p;
}

}  // namespace

ParamCount count_params(const ModelSpec& m) {
  uint64_t embeddings = mul(m.n_vocab, m.n_embd);
  uint64_t positions = m.positions == PositionKind::learned ? mul(m.n_pos, m.n_embd) : 0;
  uint64_t attention = 0, mlp = 0, norms = 0;
  for (uint64_t il = 0; il < m.n_layer; ++il) {
    attention = add(attention, attention_params(m, il));
    mlp = add(mlp, mlp_params(m, il));
    norms = add(norms, mul(2, norm_params(m, m.n_embd)));  // pre-attention and pre-MLP norms
  }
  norms = add(norms, norm_params(m, m.n_embd));  // final norm
  uint64_t lm_head = m.tied_embeddings ? 0 : mul(m.n_vocab, m.n_embd);

  ParamCount out;
  out.groups = {{"embeddings", embeddings},
                {"positions", positions},
                {"attention", attention},
                {"mlp", mlp},
                {"norms", norms},
                {"lm_head", lm_head},
                {"other", 0}};
  for (const auto& g : out.groups) out.total = add(out.total, g.count);
  return out;
}

}  // namespace gpumem
