// Training memory. docs/ESTIMATION.md ("Training") has every formula with its source and a worked
// example (bert-large-uncased against the transformers "Efficient Training on a Single GPU" table).
#include "gpumem/memory/training.hpp"

#include <algorithm>

#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem {

namespace {

std::string num(uint64_t n) { return with_commas(n); }

bool is_amp(Precision p) { return p == Precision::amp_fp16 || p == Precision::amp_bf16; }

// A frozen bitsandbytes base after prepare_model_for_kbit_training: fp32 embeddings and norm weights make
// the residual stream fp32 (layer_acts).
bool fp32_residual(const TrainOptions& o) { return o.lora_rank != 0 && o.quant != QuantMethod::none && o.prepare_kbit; }

// Element sizes of saved tensors. Under autocast, matmuls run (and save their inputs) in 16 bits while
// layer norm, softmax and the residual stream stay fp32 (torch autocast op lists: layer_norm and softmax
// autocast to float32); pure bf16 keeps everything in bf16; fp32 keeps everything in fp32.
struct ActBytes {
  uint64_t c;  // matmul inputs/outputs
  uint64_t f;  // fp32-autocast ops: norm inputs, softmax outputs, the residual stream
};
ActBytes act_bytes(Precision p) {
  if (p == Precision::fp32) return {4, 4};
  if (p == Precision::bf16) return {2, 2};
  return {2, 4};
}

uint64_t group(const ParamCount& pc, const char* id) {
  for (const auto& g : pc.groups)
    if (g.id == id) return g.count;
  return 0;
}

// Key/value heads one tensor-parallel rank holds: its share, or one replicated head when there are fewer
// KV heads than ranks (estimate_training checks that one divides the other).
uint64_t kv_per_rank(uint64_t kv, uint64_t tp) { return kv >= tp ? kv / tp : 1; }

// Per-token bytes one block saves for backward on one tensor-parallel rank, and the per-sample s² bytes of
// eager attention. `sharded` are the tensors Megatron's TP splits by heads or MLP columns (already divided);
// `replicated` are the ones every TP rank holds in full — norm inputs, the inputs of the column-parallel
// linears, dropout masks, the residual stream — unless sequence parallelism splits them along the sequence
// (Korthikanti et al. 2022, §4.2.2–4.2.3: the "10" and the "24/t" of 10 + 24/t).
struct LayerActs {
  uint64_t sharded = 0;
  uint64_t replicated = 0;
  uint64_t per_score = 0;  // bytes per attention score (a/tp · s² scores per sample and rank)
  uint64_t input = 0;      // bytes per token of the block input (what full checkpointing keeps)
};

unsigned popcount(unsigned bits) {
  unsigned n = 0;
  for (; bits != 0; bits &= bits - 1) ++n;
  return n;
}

LayerActs layer_acts(const ModelSpec& m, const LayerSpec& l, const TrainOptions& o) {
  const ActBytes b = act_bytes(o.precision);
  const bool lora = o.lora_rank != 0;
  const bool amp = is_amp(o.precision);
  const uint64_t tp = o.tp;
  // Linears trained or carrying an adapter among `group` (a frozen linear needs only its weight for the
  // input gradient; lora_A saves its input).
  auto saving = [&](unsigned group) { return popcount(lora ? (o.lora_targets & group) : group); };
  // A frozen bitsandbytes base (QLoRA). After prepare_model_for_kbit_training the residual stream is fp32
  // (fp32 embeddings and norm weights), and each quantized linear casts its input to the compute dtype
  // and returns its output in the input's dtype (bnb nn/modules.py Linear4bit.forward), so the tensors
  // between the linears are fp32 while autocast's matmul inputs stay 16-bit. Otherwise every saved
  // tensor between the linears is in the compute dtype, as for a 16-bit model.
  const bool qbase = lora && o.quant != QuantMethod::none;
  const bool up32 = fp32_residual(o);
  const uint64_t resid = up32 ? 4 : b.f;  // residual stream, norm inputs, checkpointed layer inputs
  const uint64_t lin = up32 ? 4 : b.c;    // linear outputs and the elementwise tensors made from them
  const uint64_t mm = amp ? b.c : lin;    // what attention's matmuls save (autocast's casts under amp)
  const bool bnb4_keeps = qbase && o.quant != QuantMethod::bnb_int8 && bnb_4bit_keeps_input(o.runtime);
  const bool bnb8 = qbase && o.quant == QuantMethod::bnb_int8;
  const bool bnb8_cat = bnb8 && bnb_int8_keeps_cat(o.runtime);
  // Bytes per input element that n linears sharing one input of dtype `in` keep for backward, of which
  // `saved` train or carry an adapter. A copy in the compute dtype is shared when the input already has
  // it (the cast is a no-op); from an fp32 input each cast is its own tensor. bitsandbytes' MatMul4Bit
  // kept its cast input before 0.43.2 and MatMul8bitLt keeps the input itself (plus CAt, 1 B per element,
  // before 0.45.0), adapter or not. `counted`: the input itself is already a saved tensor. With LoRA
  // dropout each adapter keeps its own dropped-out input (lora_A's, under autocast its 16-bit cast) and a
  // one-byte mask.
  auto kept = [&](uint64_t in, unsigned n, unsigned saved, bool counted = false) -> uint64_t {
    bool shared = false;
    uint64_t own = 0;
    if (saved != 0) {
      if (lora && o.lora_dropout)
        own += saved * ((amp ? b.c : in) + 1);
      else if (amp && in != b.c)
        own += saved * b.c;
      else
        shared = true;
    }
    if (bnb4_keeps) {
      if (in != b.c)
        own += n * b.c;
      else
        shared = true;
    }
    if (bnb8) shared = true;
    if (bnb8_cat) own += n;
    return (shared && !counted ? in : 0) + own;
  };
  const uint64_t h = m.n_embd;
  const uint64_t mask = 1;  // torch dropout keeps a bool mask, one byte per element
  LayerActs a;
  a.input = resid * h;
  uint64_t rep = mul(l.n_norm, resid * h);  // every norm saves its input
  uint64_t shard = 0;
  if (l.mixer == MixerKind::mamba || l.mixer == MixerKind::mamba2)
    throw Error(code::unsupported_model, "/model_type", txt("error.train.mamba"));
  if (l.mixer == MixerKind::attention) {
    const uint64_t heads = m.n_head / tp;
    // eager and SDPA in transformers expand K/V to every query head (repeat_kv) before the matmul;
    // flash-attn and MLA keep their own head counts.
    const uint64_t heads_kv = (o.attention == AttentionImpl::flash && m.attn_layout != AttnLayout::mla)
                                  ? kv_per_rank(l.n_head_kv, tp)
                                  : heads;
    const uint64_t wq = mul(heads, m.n_embd_head_k), wk = mul(heads_kv, m.n_embd_head_k),
                   wv = mul(heads_kv, m.n_embd_head_v), wo = mul(heads, m.n_embd_head_v);
    // q/k/v input (one tensor unless casts copy it); o_proj's input is the attention output
    uint64_t att_rep = kept(up32 ? resid : b.c, 3, saving(lora_q | lora_k | lora_v)) * h;
    const uint64_t out = up32 ? mm : b.c;  // dtype of the attention output
    const uint64_t o_in = kept(out, 1, saving(lora_o));
    uint64_t att = mul(qbase ? mm : b.c, add(add(wq, wk), wv));  // Q, K for QKᵀ; V for P·V
    if (o.attention == AttentionImpl::eager) {
      // softmax output (f; fp32 where the model runs softmax in fp32 or its scores are fp32, as old
      // GPT-NeoX's fp32 keys make them) + dropout mask + the 16-bit (or dropped-out) copy P·V saves;
      // an old clamp (torch.max: OPT < 4.49, Llama ≤ 4.30) keeps the scores, promoted by the mask to the
      // residual stream's dtype.
      const uint64_t sm = o.runtime.hf.softmax_fp32 || o.runtime.hf.fp32_keys ? 4 : b.f;
      a.per_score = sm + (o.attn_dropout ? mask : 0) + ((o.attn_dropout || b.c != sm) ? b.c : 0);
      if (o.runtime.legacy_autograd) a.per_score += b.c;  // the scores before scaling, kept by the division
      if (o.runtime.hf.eager_clamp) a.per_score += resid;
      att = add(att, mul(o_in, wo));
    } else {
      // SDPA/flash keep their output and the fp32 log-sum-exp per head and token, no s² term.
      att = add(att, add(mul(out, wo), mul(4, heads)));
      // SDPA's output is transposed and made contiguous before o_proj (a second tensor); flash-attn's
      // (batch, seq, heads, dim) output is o_proj's input as is.
      att = add(att, mul(o.attention == AttentionImpl::sdpa ? o_in : kept(out, 1, saving(lora_o), true), wo));
    }
    // Old GPT-NeoX rotates q and k into fp32 (its fp32 rotary tables): the attention keeps those (eager)
    // or their compute-dtype casts (SDPA) beside the fused q/k/v output, which the value view keeps alive.
    if (o.runtime.hf.fp32_keys) att = add(att, mul(o.attention == AttentionImpl::eager ? 4 : b.c, add(wq, wk)));
    if (o.hidden_dropout) att_rep = add(att_rep, mask * h);
    if (l.cross_attn) att = mul(att, 2), att_rep = mul(att_rep, 2);
    shard = add(shard, att);
    rep = add(rep, att_rep);
  }
  uint64_t ff = 0;
  bool gated = m.mlp == MlpKind::gated;
  if (l.ffn == FfnKind::dense) ff = l.n_ff;
  if (l.ffn == FfnKind::moe) {
    // Routed tokens pass through n_expert_used experts (plus the shared expert); the router's fp32
    // logits are kept for its softmax. Every TP rank routes all tokens (its slice of each expert).
    ff = add(mul(m.n_expert_used, m.n_ff_exp), m.n_ff_shexp);
    gated = true;
    rep = add(rep, add(mul(4, m.n_expert), mul(b.c * h, m.n_expert_used)));
  }
  if (l.ffn != FfnKind::none) {
    const uint64_t ffr = ceil_div(ff, tp);
    rep = add(rep, mul(kept(up32 ? resid : b.c, gated ? 2 : 1, saving(gated ? lora_gate | lora_up : lora_up)), h));
    if (gated)  // act(gate) input, up output, act output (both for the product), product for down
      shard = add(shard, add(mul(3 * lin, ffr), mul(kept(lin, 1, saving(lora_down)), ffr)));
    else  // activation input, activation output for down (ReLU: its output, which down also keeps)
      shard = add(shard, add(mul(lin, ffr), mul(kept(lin, 1, saving(lora_down), o.relu_mlp), ffr)));
    if (o.hidden_dropout) rep = add(rep, mask * h);
  }
  if (lora) {
    // each adapter keeps its rank-r intermediate (lora_A output) for lora_B's weight gradient
    rep = add(rep, mul({popcount(o.lora_targets), b.c, o.lora_rank}));
  }
  a.sharded = shard;
  a.replicated = rep;
  return a;
}

// Calls fn(in, out) for each linear of one block that LoRA targets (PEFT module names).
template <typename Fn>
void for_each_lora_linear(const ModelSpec& m, const LayerSpec& l, const TrainOptions& o, Fn fn) {
  const uint64_t h = m.n_embd;
  auto lin = [&](unsigned t, uint64_t in, uint64_t out) {
    if ((o.lora_targets & t) != 0) fn(in, out);
  };
  if (l.mixer == MixerKind::attention) {
    lin(lora_q, h, mul(m.n_head, m.n_embd_head_k));
    lin(lora_k, h, mul(l.n_head_kv, m.n_embd_head_k));
    lin(lora_v, h, mul(l.n_head_kv, m.n_embd_head_v));
    lin(lora_o, mul(m.n_head, m.n_embd_head_v), h);
  }
  if (l.ffn == FfnKind::dense) {
    if (m.mlp == MlpKind::gated) lin(lora_gate, h, l.n_ff);
    lin(lora_up, h, l.n_ff);
    lin(lora_down, l.n_ff, h);
  }
}

// LoRA adapter parameters of one block: r·(in + out) per targeted linear (PEFT's lora_A and lora_B).
uint64_t lora_params(const ModelSpec& m, const LayerSpec& l, const TrainOptions& o) {
  uint64_t p = 0;
  for_each_lora_linear(m, l, o, [&](uint64_t in, uint64_t out) { p = add(p, mul(o.lora_rank, add(in, out))); });
  return p;
}

// A 2-D weight of full fine-tuning as one tensor-parallel rank holds it; rows are output features
// (nn.Linear stores out × in).
enum class Role { q, k, v, o, mlp, router, embed, head, table };
struct Mat {
  uint64_t rows, cols, count;
  Role role;
};

// The 2-D weights full fine-tuning trains, split as Megatron splits them over tp ranks: q/k/v and gate/up
// by output rows (column-parallel), o and down by input columns (row-parallel), embeddings and the LM head
// by vocabulary rows (vocab-parallel); position tables, the pooler and routers stay whole. MLA attention
// and Mamba mixers are not listed: callers count what is not listed as vectors.
template <typename Fn>
void for_each_matrix(const ModelSpec& m, uint64_t tp, Fn fn) {
  const uint64_t h = m.n_embd;
  for (const auto& run : m.layers) {
    const LayerSpec& l = run.spec;
    const uint64_t n = run.count();
    if (l.mixer == MixerKind::attention && m.attn_layout == AttnLayout::mha) {
      const uint64_t kv = kv_per_rank(l.n_head_kv, tp), stacks = mul(n, l.cross_attn ? 2 : 1);
      fn(Mat{mul(m.n_head / tp, m.n_embd_head_k), h, stacks, Role::q});
      fn(Mat{mul(kv, m.n_embd_head_k), h, stacks, Role::k});
      fn(Mat{mul(kv, m.n_embd_head_v), h, stacks, Role::v});
      fn(Mat{h, mul(m.n_head / tp, m.n_embd_head_v), stacks, Role::o});
    }
    const uint64_t up = m.mlp == MlpKind::gated ? 2 : 1;
    if (l.ffn == FfnKind::dense) {
      fn(Mat{ceil_div(l.n_ff, tp), h, mul(n, up), Role::mlp});
      fn(Mat{h, ceil_div(l.n_ff, tp), n, Role::mlp});
    }
    if (l.ffn == FfnKind::moe) {
      fn(Mat{m.n_expert, h, n, Role::router});
      fn(Mat{ceil_div(m.n_ff_exp, tp), h, mul({n, up, m.n_expert}), Role::mlp});
      fn(Mat{h, ceil_div(m.n_ff_exp, tp), mul(n, m.n_expert), Role::mlp});
      if (m.n_ff_shexp != 0) {
        fn(Mat{ceil_div(m.n_ff_shexp, tp), h, mul(n, 2), Role::mlp});
        fn(Mat{h, ceil_div(m.n_ff_shexp, tp), n, Role::mlp});
      }
    }
  }
  if (m.n_vocab != 0) fn(Mat{ceil_div(m.n_vocab, tp), m.n_embd_tok, 1, Role::embed});
  if (m.has_lm_head && !m.tied_embeddings) fn(Mat{ceil_div(m.n_vocab, tp), h, 1, Role::head});
  if (m.n_pos_tables != 0) fn(Mat{m.n_pos, h, m.n_pos_tables, Role::table});
  if (m.pooler) fn(Mat{h, h, 1, Role::table});
}

// Parameters one tensor-parallel rank holds, from the weight layout (params.hpp) split as for_each_matrix
// says; norms, biases, routers, position tables and MLA's latent down-projections are replicated (so
// column-parallel biases, which Megatron does split, are counted whole: at most a few n_ff per layer).
struct RankParams {
  uint64_t total = 0;
  uint64_t embeddings = 0;  // of which embedding tables (the token table vocab-parallel)
};
RankParams rank_params(const ModelSpec& m, const ParamCount& pc, uint64_t tp) {
  if (tp == 1) return {pc.total, group(pc, "embeddings")};
  const WeightLayout w = weight_layout(m);
  RankParams r;
  for (const auto& lm : w.layers) {
    uint64_t per = lm.other;
    for (const Matrix& x : lm.matrices) {
      uint64_t p = x.params();
      if (x.kind == MatrixKind::attn_k || x.kind == MatrixKind::attn_v) {
        const uint64_t kv = lm.run.spec.n_head_kv;
        p = mul(p / kv, kv_per_rank(kv, tp));
      } else if (x.kind == MatrixKind::router || x.kind == MatrixKind::ssm ||
                 (x.kind == MatrixKind::attn_other && m.attn_layout == AttnLayout::mla && x.in == m.n_embd)) {
        // replicated
      } else {
        p = ceil_div(p, tp);
      }
      per = add(per, p);
    }
    r.total = add(r.total, mul(per, lm.run.count()));
  }
  const uint64_t table = mul(w.embd_rows, w.embd_cols);
  r.embeddings = add(ceil_div(table, tp), group(pc, "embeddings") - std::min(group(pc, "embeddings"), table));
  r.total = add(add(r.total, ceil_div(table, tp)), add(ceil_div(w.lm_head, tp), w.other));
  return r;
}

// Adafactor's factored second moment: a row and a column vector per 2-D weight (Shazeer & Stern 2018;
// transformers' Adafactor with beta1=None keeps no first moment); vectors keep a full second moment.
// Under TP each rank factors its own slice.
uint64_t adafactor_elems(const ModelSpec& m, const TrainOptions& o, uint64_t trainable) {
  uint64_t factored = 0, covered = 0;
  auto matrix = [&](uint64_t rows, uint64_t cols, uint64_t count) {
    factored = add(factored, mul(count, add(rows, cols)));
    covered = add(covered, mul({count, rows, cols}));
  };
  if (o.lora_rank != 0) {
    for (const auto& run : m.layers)
      for_each_lora_linear(m, run.spec, o, [&](uint64_t in, uint64_t out) {
        matrix(o.lora_rank, in, run.count());
        matrix(out, o.lora_rank, run.count());
      });
  } else {
    for_each_matrix(m, o.tp, [&](const Mat& x) { matrix(x.rows, x.cols, x.count); });
  }
  // Biases, norms and any weight whose shape is not listed above keep a full second moment.
  return add(factored, trainable > covered ? trainable - covered : 0);
}

// Adam-mini's second moments: one value per block of the Hessian-based partition (Zhang et al. 2024,
// "Adam-mini: Use Fewer Learning Rates To Gain More", §2.3 and the reference adam_mini.py v1.1): per head
// for q and k, per output neuron (row) for v, o, MLP, router and the pooler, per token (row) for embeddings,
// position tables and the LM head. Vectors and unlisted weights (norms, biases, MLA projections) are
// counted as one value per n_embd elements — the reference keeps one per tensor, and norms are n_embd wide.
// LoRA: per output neuron of lora_A (r) and lora_B (out).
uint64_t adam_mini_elems(const ModelSpec& m, const TrainOptions& o, uint64_t trainable) {
  uint64_t v = 0, covered = 0;
  if (o.lora_rank != 0) {
    for (const auto& run : m.layers)
      for_each_lora_linear(m, run.spec, o, [&](uint64_t in, uint64_t out) {
        v = add(v, mul(run.count(), add(o.lora_rank, out)));
        covered = add(covered, mul({run.count(), o.lora_rank, add(in, out)}));
      });
  } else {
    for_each_matrix(m, o.tp, [&](const Mat& x) {
      const bool per_head = x.role == Role::q || x.role == Role::k;
      v = add(v, mul(x.count, per_head ? x.rows / m.n_embd_head_k : x.rows));
      covered = add(covered, mul({x.count, x.rows, x.cols}));
    });
  }
  return add(v, ceil_div(trainable > covered ? trainable - covered : 0, std::max<uint64_t>(m.n_embd, 1)));
}

// Liger-Kernel's fused linear cross-entropy picks chunk = next_power_of_2(⌈tokens / ⌈V / h⌉⌉) tokens, so a
// chunk's logits are about as large as the hidden states; a chunk never exceeds the tokens there are.
uint64_t loss_chunk(uint64_t tokens, uint64_t vocab, uint64_t h) {
  const uint64_t per = ceil_div(tokens, std::max<uint64_t>(1, ceil_div(vocab, std::max<uint64_t>(h, 1))));
  uint64_t c = 1;
  while (c < per) c <<= 1;
  return std::min(c, tokens);
}

MemoryPart part(const char* id, uint64_t bytes, Formula formula, Text source) {
  formula += txt("formula.eq_bytes_gib", {{"bytes", num(bytes)}, {"gib", gib(bytes)}});
  return make_part(id, bytes, formula, std::move(source));
}

Text none() { return txt("formula.none"); }

}  // namespace

TrainEstimate estimate_training(const ModelSpec& m, const ParamCount& pc, const TrainOptions& o) {
  TrainEstimate e;
  const bool lora = o.lora_rank != 0;
  const bool amp = is_amp(o.precision);
  const bool ds = o.engine == Engine::deepspeed;
  const uint64_t tp = o.tp;
  if (tp == 0 || o.gpus % tp != 0)
    throw Error(code::bad_request, "/options/gpus",
                txt("error.train.gpus_multiple_of_tp", {{"gpus", num(2 * tp)}, {"tp", num(tp)}}));
  if (tp > 1 && lora) throw Error(code::bad_request, "/options/tp", txt("error.train.tp_lora"));
  for (const auto& run : m.layers) {
    const uint64_t kv = run.spec.n_head_kv;
    if (tp > 1 && run.spec.mixer == MixerKind::attention &&
        (m.n_head % tp != 0 || (m.attn_layout == AttnLayout::mha && kv % tp != 0 && tp % kv != 0)))
      throw Error(code::bad_request, "/options/tp",
                  txt("error.train.tp_heads", {{"heads", num(m.n_head)}, {"kv", num(kv)}}));
  }
  if (o.sequence_parallel && (tp == 1 || o.seq % tp != 0))
    throw Error(code::bad_request, "/options/sequence_parallel", txt("error.train.sequence_parallel"));
  // Model states are per tensor-parallel rank; ZeRO then shards them over the G = gpus / tp data-parallel
  // ranks that hold the same slice (Megatron-DeepSpeed's 3-D layout).
  const RankParams rp = rank_params(m, pc, tp);
  const uint64_t N = rp.total;
  const uint64_t G = o.gpus / tp;
  e.dp = G;
  const Text perg =
      G <= 1 ? Text() : txt(tp > 1 ? "formula.train.per_dp_ranks" : "formula.train.per_gpus", {{"g", num(G)}});
  const Text per_rank = tp > 1 ? txt("formula.train.tp_rank", {{"tp", num(tp)}}) : none();

  uint64_t adapters = 0;
  for (const auto& run : m.layers) adapters = add(adapters, mul(run.count(), lora_params(m, run.spec, o)));
  const uint64_t trainable = lora ? adapters : N;
  e.trainable_params = lora ? adapters : pc.total;
  e.frozen_params = lora ? pc.total : 0;

  // ---- model states ----
  const uint64_t w16 = (o.precision == Precision::fp32) ? 4 : 2;  // bytes of the compute copy of a weight
  uint64_t weight_bytes_per = 0, master_per = 0, grad_per = 0;
  Text recipe;
  if (lora) {
    // PEFT trains fp32 adapters (autocast_adapter_dtype) over a frozen base loaded in the compute dtype.
    weight_bytes_per = w16;
    grad_per = 4;
    recipe = txt("train.recipe.lora",
                 {{"kind", o.quant != QuantMethod::none ? "QLoRA" : "LoRA"},
                  {"base", o.quant != QuantMethod::none ? quant_id(o.quant) : (w16 == 4 ? "fp32" : "16-bit")}});
  } else if (o.precision == Precision::fp32) {
    weight_bytes_per = 4, grad_per = 4;
    recipe = txt("train.recipe.fp32");
  } else if (o.precision == Precision::bf16) {
    weight_bytes_per = 2, grad_per = 2;
    recipe = txt("train.recipe.bf16");
  } else if (ds) {
    weight_bytes_per = 2, master_per = 4, grad_per = 2;
    recipe = txt("train.recipe.mixed_deepspeed");
  } else {
    weight_bytes_per = 4, master_per = 2, grad_per = 4;
    recipe = txt("train.recipe.amp");
  }
  e.recipe_text = recipe;
  e.recipe = render(recipe);

  // The weights part; with HF AMP the fp32 parameters are the master copy and the 16-bit copies the
  // "master_weights"-sized extra — reported as weights (16-bit copies) and master_weights (fp32).
  uint64_t weights = 0, master = 0;
  Formula wf, mf;
  // autocast only casts weights that reach a matmul: not embedding tables and not norms.
  const uint64_t matmul_params = N - std::min(N, add(add(rp.embeddings, group(pc, "positions")), group(pc, "norms")));
  if (!lora && amp && !ds) {
    weights = mul(matmul_params, 2);
    wf = txt("formula.train.weights_amp", {{"params", num(matmul_params)}});
    master = mul(N, 4);
    mf = txt("formula.train.master_amp", {{"params", num(N)}, {"rank", per_rank}});
  } else if (lora && o.quant != QuantMethod::none) {
    // QLoRA: the frozen base stored by bitsandbytes (Dettmers et al. 2023); layout and bytes from quant.cpp.
    QuantSpec q;
    q.method = o.quant;
    // prepare_model_for_kbit_training upcasts what stays unquantized (peft utils/other.py): for Llama-2-13b
    // the embeddings, lm_head and norms, 328,094,720 params, take 1,312,378,880 bytes instead of 656,189,440.
    q.base_bits = o.prepare_kbit ? 32 : static_cast<uint32_t>(w16 * 8);
    q.double_quant = o.double_quant;
    const QuantizedWeights qw = quantized_weights(m, q);
    weights = qw.bytes;
    wf = txt("formula.train.weights_qlora",
             {{"method", quant_id(o.quant)},
              {"double_quant", o.double_quant ? txt("formula.train.double_quant") : none()},
              {"prepare", o.prepare_kbit ? txt("formula.train.prepare_kbit") : none()}});
    wf += qw.formula;
  } else {
    weights = mul(N, weight_bytes_per);
    wf =
        txt("formula.train.weights", {{"params", num(N)}, {"rank", per_rank}, {"n", std::to_string(weight_bytes_per)}});
    if (master_per != 0) {
      master = mul(N, master_per);
      mf = txt("formula.train.master", {{"params", num(N)}, {"rank", per_rank}});
    } else {
      mf = txt("formula.train.no_master");
    }
  }

  // Sharding (ZeRO paper, Rajbhandari et al. 2020, Fig. 1; FSDP SHARD_GRAD_OP = stage 2, FULL_SHARD = stage 3).
  uint64_t gathered = 0;
  if (o.zero >= 3 && G > 1) {
    weights = ceil_div(weights, G);
    wf += perg;
    // Stage 3 gathers one layer (FSDP unit) at a time and prefetches the next: two full layers in 16 bits.
    uint64_t max_layer = group(pc, "embeddings");
    for (const auto& lp : pc.layers) max_layer = std::max(max_layer, lp.params);
    max_layer = ceil_div(max_layer, tp);  // the rank's slice of the gathered layer
    gathered = mul({2, max_layer, w16});
    wf += txt("formula.train.gathered", {{"params", num(max_layer)}, {"n", std::to_string(w16)}});
    weights = add(weights, gathered);
  }
  uint64_t cpu = 0;
  if (o.offload == Offload::params) {
    const uint64_t off = weights - gathered;
    cpu = add(cpu, mul(N, weight_bytes_per));
    weights = gathered;
    wf += txt("formula.train.params_offloaded", {{"bytes", num(off)}});
  }
  if (master != 0 && o.zero >= 1 && G > 1) {
    master = ceil_div(master, G);
    mf += perg;
  }

  uint64_t grads = mul(trainable, grad_per);
  Formula gf = txt("formula.train.gradients", {{"params", num(trainable)}, {"n", std::to_string(grad_per)}});
  if (o.zero >= 2 && G > 1) {
    grads = ceil_div(grads, G);
    gf += perg;
  }

  // ---- optimizer states ----
  const uint64_t s = (o.precision == Precision::bf16 && !lora) ? 2 : 4;  // state dtype = parameter dtype
  uint64_t opt = 0;
  Formula of;
  const std::string ss = std::to_string(s);
  switch (o.optimizer) {
    case Optimizer::adamw:
      opt = mul({trainable, 2, s});
      of = txt("formula.train.adamw", {{"params", num(trainable)}, {"n", ss}});
      break;
    case Optimizer::sgd:
      of = txt("formula.train.sgd");
      break;
    case Optimizer::none:
      of = txt("formula.train.no_optimizer");
      break;
    case Optimizer::sgd_momentum:
    case Optimizer::lion:
      opt = mul(trainable, s);
      of = txt("formula.train.momentum", {{"params", num(trainable)}, {"n", ss}});
      break;
    case Optimizer::adamw8bit:
    case Optimizer::paged_adamw8bit: {
      // bitsandbytes: tensors under min_8bit_size (4096) keep 32-bit states — norms; the rest keep two
      // uint8 states plus one fp32 absmax per 256-value block per state (blockwise quantization); the
      // 256-entry dynamic quantization maps are shared by all parameters.
      const uint64_t small = lora ? 0 : std::min(trainable, group(pc, "norms"));
      const uint64_t big = trainable - small;
      opt = add(add(mul(big, 2), mul({ceil_div(big, 256), 2, 4})), mul(small, 8));
      of = txt("formula.train.adamw8bit", {{"big", num(big)}, {"small", num(small)}});
      if (o.optimizer == Optimizer::paged_adamw8bit)
        e.notes.push_back({"paged_optimizer", "/options/optimizer", txt("assume.paged_optimizer")});
      break;
    }
    case Optimizer::adafactor: {
      const uint64_t el = adafactor_elems(m, o, trainable);
      opt = mul(el, s);
      of = txt("formula.train.adafactor", {{"values", num(el)}, {"n", ss}});
      break;
    }
    case Optimizer::adam_mini: {
      const uint64_t v = adam_mini_elems(m, o, trainable);
      opt = mul(add(trainable, v), s);
      of = txt("formula.train.adam_mini", {{"params", num(trainable)}, {"v", num(v)}, {"n", ss}});
      break;
    }
  }
  if (o.zero >= 1 && G > 1 && opt != 0) {
    opt = ceil_div(opt, G);
    of += perg;
  }
  if (o.offload != Offload::none && opt != 0) {
    cpu = add(add(cpu, opt), master);
    of += txt("formula.train.offloaded");
    mf += txt("formula.train.offloaded");
    opt = 0;
    master = 0;
  }

  // ---- activations ----
  const ActBytes b = act_bytes(o.precision);
  const uint64_t resid = fp32_residual(o) ? 4 : b.f;  // the residual stream's dtype
  const uint64_t tokens = mul(o.batch, o.seq);
  // Tokens of the tensors TP replicates: every token, or the rank's 1/tp of the sequence with sequence
  // parallelism (the norms and dropouts run on the sequence shard; the column-parallel linears keep their
  // shard of the input and all-gather it again in backward).
  const uint64_t tokens_rep = o.sequence_parallel ? tokens / tp : tokens;
  const uint64_t scores = mul({o.batch, m.n_head / tp, o.seq, o.seq});  // per layer and rank, eager only
  uint64_t acts = 0, max_layer = 0, inputs = 0, s2 = 0;
  for (const auto& run : m.layers) {
    LayerActs la = layer_acts(m, run.spec, o);
    const uint64_t per_score = o.checkpointing == Checkpointing::selective ? 0 : la.per_score;
    const uint64_t one = add(add(mul(tokens, la.sharded), mul(tokens_rep, la.replicated)), mul(scores, per_score));
    acts = add(acts, mul(run.count(), one));
    s2 = add(s2, mul({run.count(), scores, per_score}));
    max_layer = std::max(max_layer, one);
    inputs = add(inputs, mul({run.count(), tokens_rep, la.input}));
  }
  Formula af;
  const Text tps = tp == 1               ? none()
                   : o.sequence_parallel ? txt("formula.train.acts_tp_sp", {{"tp", num(tp)}})
                                         : txt("formula.train.acts_tp", {{"tp", num(tp)}});
  if (o.checkpointing == Checkpointing::full) {
    // torch.utils.checkpoint keeps each block's input; backward recomputes one block at a time.
    const uint64_t first = m.layers.empty() ? 0 : resid * m.n_embd;
    const uint64_t kept = inputs - std::min(inputs, mul(tokens_rep, first));
    acts = add(kept, max_layer);
    af = txt("formula.train.acts_full_checkpointing",
             {{"layers", num(m.n_layer)}, {"kept", num(kept)}, {"block", num(max_layer)}, {"tp", tps}});
  } else {
    af = txt("formula.train.acts", {{"layers", num(m.n_layer)}, {"tokens", num(tokens)}, {"tp", tps}});
    if (s2 != 0) af += txt("formula.train.acts_scores", {{"bytes", num(s2)}});
    if (o.checkpointing == Checkpointing::selective) af += txt("formula.train.acts_selective");
  }
  // Outside the blocks: embedding dropout mask and the inputs of the norms outside the blocks.
  const uint64_t outside = mul(tokens_rep, add(mul(m.n_norm_out, resid * m.n_embd), o.hidden_dropout ? m.n_embd : 0));
  acts = add(acts, outside);
  af += txt("formula.train.acts_outside", {{"bytes", num(outside)}});

  // ---- logits and loss ----
  uint64_t logits = 0, logits_fwd = 0;  // logits_fwd: what exists at the end of the forward (Loss::sum)
  Formula lf;
  if (m.has_lm_head) {
    // Vocab-parallel LM head and cross-entropy (Megatron): each rank computes the logits of its vocabulary
    // slice; the LM head's input is replicated unless sequence parallel.
    const uint64_t V = ceil_div(m.n_vocab, tp);
    const Text vs = tp > 1 ? txt("formula.train.vocab_tp", {{"v", num(V)}, {"tp", num(tp)}})
                           : txt("formula.train.vocab", {{"v", num(V)}});
    const Text lm_in =
        lora ? none()
             : txt("formula.train.lm_head_input", {{"n", std::to_string(b.c * m.n_embd)}, {"tokens", num(tokens_rep)}});
    if (o.loss == Loss::chunked) {
      // The fused kernel saves the LM head input's gradient (computed in the forward) instead of the logits;
      // one chunk's logits in the compute dtype exist at a time (the gradient overwrites them in place).
      const uint64_t chunk = loss_chunk(tokens, m.n_vocab, m.n_embd);
      e.loss_chunk_tokens = chunk;
      logits = add(mul(tokens_rep, b.c * m.n_embd), mul({chunk, b.c, V}));
      lf = txt("formula.train.logits_chunked", {{"tokens", num(tokens_rep)},
                                                {"n", std::to_string(b.c * m.n_embd)},
                                                {"chunk", num(chunk)},
                                                {"c", std::to_string(b.c)},
                                                {"vocab", vs}});
    } else if (o.loss == Loss::sum) {
      // outputs.logits.sum(): the logits in the compute dtype (kept by `outputs`), then at the start of
      // backward their gradient, materialized because sum's is a stride-0 expand that the lm_head matmul
      // makes contiguous; the lm_head input is saved when it trains.
      const uint64_t in = lora ? 0 : b.c * m.n_embd;
      logits_fwd = mul({tokens, b.c, V});
      logits = add(mul(logits_fwd, 2), mul(tokens_rep, in));
      lf = txt("formula.train.logits_sum",
               {{"tokens", num(tokens)}, {"vocab", vs}, {"c", std::to_string(b.c)}, {"input", lm_in}});
    } else {
      // lm_head output (compute dtype), its fp32 upcast (transformers casts logits to float before the
      // loss), and cross_entropy's saved log_softmax (fp32); the lm_head input is saved when it trains.
      const uint64_t per = add(add(mul(b.c, V), b.c != 4 ? mul(4, V) : 0), mul(4, V));
      const uint64_t in = lora ? 0 : b.c * m.n_embd;
      logits = add(mul(tokens, per), mul(tokens_rep, in));
      lf = txt("formula.train.logits_full", {{"tokens", num(tokens)},
                                             {"c", std::to_string(b.c) + (b.c != 4 ? " + 4" : "")},
                                             {"vocab", vs},
                                             {"input", lm_in}});
    }
  } else {
    lf = txt("formula.train.no_lm_head");
  }

  // ---- adapters ----
  const uint64_t adapter_bytes = mul(adapters, 4);
  const Formula adf = lora ? txt("formula.train.adapters", {{"params", num(adapters)}, {"rank", num(o.lora_rank)}})
                           : txt("formula.train.no_adapters");

  // ---- per-layer buffers of older transformers (the causal mask, GPT-NeoX's rotary tables) ----
  const uint64_t layer_buf = hf_layer_buffer_bytes(m, o.runtime.hf, b.c);
  const uint64_t buffers = mul(m.n_layer, layer_buf);
  // (the part is shown only when there are buffers)
  const Formula bf =
      buffers == 0 ? Formula() : txt("formula.train.buffers", {{"layers", num(m.n_layer)}, {"bytes", num(layer_buf)}});

  // ---- the previous step's outputs, held by a bare loop through the next forward ----
  uint64_t prev = 0;
  Formula pf = txt("formula.train.no_previous_outputs");
  if (o.runtime.keep_outputs && m.has_lm_head) {
    // outputs.logits (compute dtype) and outputs.past_key_values: K and V of every layer and token (keys
    // in fp32 where old GPT-NeoX's rotary tables promote them).
    uint64_t kv = 0;
    for (const auto& run : m.layers) {
      if (run.spec.mixer != MixerKind::attention || run.spec.role == LayerRole::encoder) continue;
      const uint64_t heads = kv_per_rank(run.spec.n_head_kv, tp);
      const uint64_t wk = mul(heads, m.n_embd_head_k), wv = mul(heads, m.n_embd_head_v);
      // old GPT-NeoX: fp32 keys, and values that are views into the fused q/k/v output, keeping all of it
      const uint64_t layer = o.runtime.hf.fp32_keys
                                 ? add(mul(4, wk), mul(b.c, add({mul(m.n_head / tp, m.n_embd_head_k), wk, wv})))
                                 : mul(b.c, add(wk, wv));
      kv = add(kv, mul(run.count(), layer));
    }
    const uint64_t V = ceil_div(m.n_vocab, tp);
    prev = mul(tokens, add(mul(V, b.c), kv));
    pf = txt("formula.train.previous_outputs",
             {{"tokens", num(tokens)}, {"v", num(V)}, {"c", std::to_string(b.c)}, {"kv", num(kv)}});
  }

  // ---- runtime ----
  // max_memory_allocated counts cuBLAS's workspaces, which PyTorch takes from its caching allocator: one
  // per handle and stream (CUBLAS_WORKSPACE_CONFIG default :4096:2:16:8 = 8,519,680 B), for the forward
  // thread and autograd's backward thread.
  const uint64_t rt = o.measure == Measure::nvidia_smi ? o.runtime.cuda_context_bytes : 2 * 8519680;
  const Formula rf = o.measure == Measure::nvidia_smi ? txt("formula.train.runtime_smi", {{"mib", num(rt >> 20)}})
                                                      : txt("formula.train.runtime_allocated");

  const Text ms = txt("source.train.model_states");
  e.memory.parts.push_back(part("weights", weights, wf, ms));
  e.memory.parts.push_back(part("master_weights", master, mf, ms));
  e.memory.parts.push_back(part("gradients", grads, gf, ms));
  e.memory.parts.push_back(part("optimizer_states", opt, of, txt("source.train.optimizer")));
  e.memory.parts.push_back(part("activations", acts, af, txt("source.train.activations")));
  e.memory.parts.push_back(
      part("logits", logits, lf, txt(o.loss == Loss::chunked ? "source.train.logits_chunked" : "source.train.logits")));
  e.memory.parts.push_back(part("adapters", adapter_bytes, adf, txt("source.train.adapters")));
  if (buffers != 0) e.memory.parts.push_back(part("buffers", buffers, bf, txt("source.train.buffers")));
  if (o.runtime.keep_outputs)
    e.memory.parts.push_back(part("previous_outputs", prev, pf, txt("source.train.previous_outputs")));
  e.memory.parts.push_back(part("runtime_overhead", rt, rf, txt("source.train.runtime")));
  for (const auto& p : e.memory.parts) e.memory.total_bytes = add(e.memory.total_bytes, p.bytes);
  e.cpu_bytes = cpu;

  // With no accumulation, backward frees each block's activations as its weight gradients appear, so the
  // peak is the larger of the two rather than their sum (the two meet at the ends of backward). With
  // accumulation, gradients from earlier micro-batches are alive during the forward.
  if (o.grad_accum > 1) {
    e.typical_peak_bytes = e.memory.total_bytes;
    e.typical_formula_text = txt("formula.train.peak_accumulation");
  } else {
    // The largest of three moments: the end of the forward (every saved tensor, the logits and a held
    // previous step's outputs), the start of backward (with the logits' gradient) and the end of backward
    // (every gradient, this step's outputs still held).
    const uint64_t fixed = e.memory.total_bytes - add({grads, acts, logits, prev});
    const uint64_t lf_end = o.loss == Loss::sum ? logits - logits_fwd : logits;
    const uint64_t fwd_end = add({fixed, acts, lf_end, prev});
    const uint64_t bwd_start = add({fixed, acts, logits});
    const uint64_t bwd_end = add({fixed, grads, prev});
    e.typical_peak_bytes = std::max({fwd_end, bwd_start, bwd_end});
    e.typical_formula_text = txt("formula.train.peak", {{"forward_end", num(fwd_end)},
                                                        {"backward_start", num(bwd_start)},
                                                        {"backward_end", num(bwd_end)},
                                                        {"bytes", num(e.typical_peak_bytes)}});
  }
  e.typical_formula = render(e.typical_formula_text);

  std::string bpp;
  if (!lora && o.gpus == 1 && o.offload == Offload::none) {
    // Per parameter before activations; with HF AMP the 16-bit copies cover only matmul weights.
    auto per = [&](uint64_t bytes) {
      const uint64_t hundredths = N == 0 ? 0 : (bytes * 100 + N / 2) / N;
      std::string t = std::to_string(hundredths / 100);
      const uint64_t frac = hundredths % 100;
      if (frac != 0) {
        t.push_back('.');
        t.push_back(static_cast<char>('0' + frac / 10));
        if (frac % 10 != 0) t.push_back(static_cast<char>('0' + frac % 10));
      }
      return t;
    };
    e.bytes_per_param_text = txt("train.bytes_per_param", {{"weights", per(weights)},
                                                           {"master", per(master)},
                                                           {"gradients", per(grads)},
                                                           {"optimizer", per(opt)},
                                                           {"total", per(add(add(weights, master), add(grads, opt)))}});
    bpp = render(e.bytes_per_param_text);
  }
  e.bytes_per_param = bpp;
  return e;
}

}  // namespace gpumem
