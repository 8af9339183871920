// The normalized model description. config.json is read once (config_reader.cpp and families/) into
// this plain struct; everything downstream (parameter counts, memory, the KV cache) sees only this,
// never JSON. Vocabulary follows llama.cpp's hparams so the names are learned once. Where layers
// differ (sliding-window, MoE, Mamba/attention hybrids, encoder vs decoder), each layer has its own
// LayerSpec and callers go through the layer index.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpumem/base/text.hpp"

namespace gpumem {

// Parameters of one norm over n features: rms and layer_no_bias have a weight (n), layer a weight and
// a bias (2n), none is a parameter-free normalization (OLMo's LayerNorm).
enum class NormKind { rms, layer, layer_no_bias, none };
enum class MlpKind { gated, plain };  // gated: gate+up+down (SwiGLU/GeGLU); plain: up+down
// learned: n_pos_tables tables of n_pos × n_embd (GPT-2, OPT, BERT, BART); relative: T5's bucketed
// bias table (n_rel_buckets × n_head) in the first layer of each stack; rope and alibi have no weights.
enum class PositionKind { rope, learned, alibi, relative, none };
enum class LayerRole { decoder, encoder };
// The token mixer of a layer: attention; Mamba (selective scan, S6); Mamba-2 (SSD); none for a block
// that holds only an MLP (Nemotron-H's "-" blocks).
enum class MixerKind { attention, mamba, mamba2, none };
// What the KV cache sees per layer: full causal attention, a sliding window of `window` tokens, or no
// attention at all (Mamba layers, MLP-only blocks).
enum class AttnKind { full, sliding, none };
enum class FfnKind { dense, moe, none };
// mha: q, k, v, o projections (fused or not, the count is the same), any number of KV heads.
// mla: DeepSeek's multi-head latent attention (low-rank q and a compressed kv latent of n_lora_kv + n_rot).
enum class AttnLayout { mha, mla };
// Norms on queries and keys: per_head is one head-dim-wide norm shared by every head (Qwen3, Gemma 3,
// Phi's qk_layernorm); full has weights per head (OLMo 2: over n_head·head_dim; Cohere: (heads, head_dim)).
enum class QkNorm { none, per_head, full };

struct Assumption {
  Assumption() = default;
  // No plain-string form: every sentence is a Text (base/text.hpp, docs/CONTRIBUTING.md "Adding a sentence"), so
  // the page can render it in its own language. Foreign words (a log line, a parser's detail) go in a Text whose
  // template quotes them ("{detail}").
  Assumption(std::string c, std::string p, std::string m) = delete;
  // The sentence as data (base/text.hpp); message is its English rendering.
  Assumption(std::string c, std::string p, Text t)
      : code(std::move(c)), path(std::move(p)), message(render(t)), text(std::move(t)) {}
  std::string code;     // stable id, e.g. "n_head_kv_default"
  std::string path;     // JSON pointer of the key that was absent
  std::string message;  // one sentence shown to the user (English: render(text))
  Text text;            // the sentence's message id and values, for the page's language
};

struct LayerSpec {
  LayerRole role = LayerRole::decoder;
  MixerKind mixer = MixerKind::attention;
  AttnKind attn = AttnKind::full;  // none whenever mixer != attention
  uint64_t window = 0;             // sliding-window length in tokens when attn == sliding, else 0
  uint64_t n_head_kv = 0;          // key/value heads of this layer's attention (0 without attention)
  FfnKind ffn = FfnKind::dense;
  uint64_t n_ff = 0;        // dense MLP inner size when ffn == dense, else 0
  uint64_t n_norm = 2;      // n_embd-wide norms in the block (pre-attention + pre-MLP = 2; Gemma 2: 4)
  bool cross_attn = false;  // decoder block of an encoder-decoder: attends to the encoder output
  bool rel_bias = false;    // T5: the first block of each stack owns the relative-position bias table
  bool operator==(const LayerSpec&) const = default;
};

struct LayerRun {
  uint64_t from = 0;  // first layer index
  uint64_t to = 0;    // last layer index, inclusive
  LayerSpec spec;
  uint64_t count() const { return to - from + 1; }
};

// The vision encoder of a multimodal config (its vision_config), as transformers builds it; the layout
// follows the class named in each kind (params.cpp, vision_params, cites the modeling files):
//   siglip      SiglipVisionModel (Gemma 3, PaliGemma, LLaVA with a SigLIP tower): Conv2d patches with a bias,
//               a learned position table of (image/patch)² rows, pre-norm blocks (LayerNorm, q/k/v/o and
//               fc1/fc2 with biases), post_layernorm, and the attention-pooling head when vision_use_head
//   clip        CLIPVisionModel (LLaVA): class embedding, Conv2d patches without a bias, (image/patch)² + 1
//               positions, pre_layrnorm, the same blocks, post_layernorm
//   qwen2_vl    Qwen2-VL's vision transformer: Conv3d patches over temporal_patch_size frames without a bias,
//               no position table (2-D rotary), LayerNorm blocks with a fused qkv and fc1/fc2
//   qwen2_5_vl  Qwen2.5-VL's: the same patches, RMSNorm blocks with a fused qkv and a gated MLP, all biased
enum class VisionKind { none, siglip, clip, qwen2_vl, qwen2_5_vl };
// What maps the vision features into the language model's embedding space:
//   gemma3      Gemma3MultiModalProjector: RMSNorm over the vision width, then one matrix (vision × text), no bias
//   linear      PaliGemmaMultiModalProjector: one Linear (vision → projection_dim) with a bias
//   mlp2        LlavaMultiModalProjector: Linear (vision·feature layers → text), activation, Linear (text → text)
//   merger      Qwen2(.5)-VL's PatchMerger: a norm over the vision width, then an MLP over merge² neighbouring
//               patches (vision·merge² → vision·merge² → text), both Linears biased
enum class ProjectorKind { none, gemma3, linear, mlp2, merger };

struct VisionTower {
  VisionKind kind = VisionKind::none;
  std::string model_type;  // vision_config's model_type ("siglip_vision_model"), or the one its wrapper implies
  uint64_t n_layer = 0;    // encoder blocks (num_hidden_layers; Qwen: depth)
  uint64_t n_embd = 0;     // width of the blocks (hidden_size; Qwen2-VL: embed_dim)
  uint64_t n_ff = 0;       // MLP inner size (intermediate_size; Qwen2-VL: embed_dim × mlp_ratio)
  uint64_t n_head = 0;     // attention heads (no parameter depends on it, shown for the reader)
  uint64_t n_chan = 3;     // input channels of the patch embedding
  uint64_t patch = 0;      // patch side in pixels
  uint64_t patch_t = 1;    // frames one patch spans (Qwen's Conv3d temporal_patch_size); 1 for image ViTs
  uint64_t image = 0;      // image side the position table is sized for; 0 without a table (Qwen)
  uint64_t n_pos = 0;      // learned position rows: (image/patch)², + 1 for CLIP's class token
  bool head = false;       // SigLIP's attention-pooling head (vision_use_head)
  ProjectorKind projector = ProjectorKind::none;
  uint64_t proj_in = 0;        // projector input width (vision width × feature layers, or × merge² for the merger)
  uint64_t proj_out = 0;       // projector output width: the language model's n_embd (PaliGemma: projection_dim)
  bool proj_bias = true;       // LLaVA's multimodal_projector_bias
  bool image_newline = false;  // LLaVA-NeXT's image_newline vector (text width)
  // Tokens one image takes in the language model's context: Gemma 3's mm_tokens_per_image, LLaVA's patches
  // (less the class token under vision_feature_select_strategy "default"), PaliGemma's num_image_tokens;
  // 0 when it depends on the image (Qwen's dynamic resolution: one token per merge² patches).
  uint64_t n_img_tokens = 0;
};

struct ModelSpec {
  std::string model_type;    // as written in config.json (the text tower's for multimodal configs)
  std::string wrapper_type;  // a multimodal config's own model_type ("llava", "gemma3"); "" otherwise
  std::string family;        // the parameter layout used to count ("llama", "gpt2", "deepseek_v3", …)
  std::string torch_dtype;   // "" when the config does not say

  uint64_t n_layer = 0;         // blocks in `layers`: decoder-only models all; encoder-decoders both stacks
  uint64_t n_layer_enc = 0;     // of which encoder blocks (BERT: all; T5/BART: the encoder stack; else 0)
  uint64_t n_embd = 0;          // hidden size
  uint64_t n_head = 0;          // query heads
  uint64_t n_head_kv = 0;       // key/value heads of the first attention layer (layers[il].n_head_kv per layer)
  uint64_t n_embd_head = 0;     // per-head dimension of queries and keys (= n_embd_head_k)
  uint64_t n_embd_head_k = 0;   // key (and query) head dimension; MLA: qk_nope_head_dim + qk_rope_head_dim
  uint64_t n_embd_head_v = 0;   // value head dimension (MLA: v_head_dim; else = n_embd_head_k)
  uint64_t n_ff = 0;            // dense MLP inner size of the first dense layer (layers[il].n_ff per layer)
  uint64_t n_vocab = 0;         // vocabulary rows of the embedding table
  uint64_t n_embd_tok = 0;      // width of the token embedding (OPT's word_embed_proj_dim); = n_embd mostly
  uint64_t n_ctx_train = 0;     // max_position_embeddings / n_positions (0 when the config has none)
  uint64_t n_pos = 0;           // rows of each learned position table (OPT/BART: + 2 offset rows); else 0
  uint64_t n_pos_tables = 0;    // learned position tables (BART: encoder + decoder = 2)
  uint64_t n_tok_types = 0;     // BERT token-type (segment) embedding rows
  uint64_t n_rel_buckets = 0;   // T5 relative_attention_num_buckets
  uint64_t sliding_window = 0;  // window of the sliding layers (0 when no layer slides)
  uint64_t n_rot_dims = 0;      // rotary dimensions per head when only part of it rotates (GPT-NeoX
                                // rotary_pct); 0: the whole head (or no rotary positions)

  // The longest context the model accepts (0: the config names none): the smallest of the position keys,
  // stretched where rope_scaling says so (YaRN: factor × original_max_position_embeddings), as vLLM's
  // _get_and_verify_max_len derives max_model_len; for learned positions the table's rows. config_reader.cpp.
  uint64_t n_ctx_max = 0;
  std::string n_ctx_max_from;  // how it was read, for messages: "rope_scaling yarn: 4 × … 32,768 = 131,072"
  Text n_ctx_max_why;          // the same as a phrase of a message (base/text.hpp)

  // Multi-head latent attention (attn_layout == mla), names as in llama.cpp.
  AttnLayout attn_layout = AttnLayout::mha;
  uint64_t n_lora_q = 0;   // q_lora_rank; 0: queries are projected directly (DeepSeek-V2-Lite)
  uint64_t n_lora_kv = 0;  // kv_lora_rank: the compressed latent that the KV cache stores
  uint64_t n_rot = 0;      // qk_rope_head_dim: the decoupled rotary key, shared by all heads and cached

  // Mixture of experts (layers with ffn == moe).
  uint64_t n_expert = 0;         // routed experts per MoE layer
  uint64_t n_expert_used = 0;    // routed experts per token (top-k)
  uint64_t n_expert_shared = 0;  // shared experts as the config counts them (DeepSeek n_shared_experts)
  uint64_t n_ff_exp = 0;         // inner size of one routed expert
  uint64_t n_ff_shexp = 0;       // inner size of the shared-expert MLP (all shared experts together); 0: none
  bool expert_bias = false;      // experts' projections carry biases (gpt-oss)
  bool router_bias = false;      // the router's linear carries a bias (gpt-oss)
  bool shexp_gate = false;       // a sigmoid gate Linear(n_embd, 1) scales the shared expert (Qwen2-MoE)
  uint64_t n_nextn_layer = 0;    // multi-token-prediction modules (DeepSeek-V3); not in num_parameters()

  // State-space (Mamba) mixers, names as in llama.cpp.
  uint64_t ssm_d_inner = 0;    // expand × n_embd (Mamba-2: n_head × head_dim)
  uint64_t ssm_d_state = 0;    // state size N
  uint64_t ssm_d_conv = 0;     // depthwise conv kernel
  uint64_t ssm_dt_rank = 0;    // Mamba: rank of the Δ projection
  uint64_t ssm_n_group = 0;    // Mamba-2: groups of B and C
  uint64_t ssm_n_head = 0;     // Mamba-2: heads (one Δ, A and D each)
  bool ssm_proj_bias = false;  // in_proj and out_proj carry biases
  bool ssm_conv_bias = true;
  bool ssm_dt_norms = false;  // Jamba: RMSNorms on Δ (dt_rank), B and C (d_state)

  NormKind norm = NormKind::rms;
  MlpKind mlp = MlpKind::gated;
  PositionKind positions = PositionKind::rope;
  bool tied_embeddings = false;  // lm_head shares the input embedding matrix
  bool has_lm_head = true;       // false for bare encoders (BERT), which end in a pooler instead
  bool lm_head_bias = false;     // phi, GPT-J
  bool pooler = false;           // BERT/RoBERTa pooler: dense n_embd × n_embd with bias
  bool attn_qkv_bias = false;
  bool attn_o_bias = false;
  bool mlp_bias = false;
  bool attn_sinks = false;  // gpt-oss: one learned sink logit per head and layer
  QkNorm qk_norm = QkNorm::none;
  NormKind qk_norm_kind = NormKind::rms;
  uint64_t n_norm_out = 1;  // n_embd-wide norms outside the blocks: final norm(s), embedding norms

  // The blocks, encoder blocks first, as runs of consecutive identical layers: Llama is one run,
  // DeepSeek-V3 two (3 dense, 58 MoE), Gemma 2 one per layer. Runs cover 0 … n_layer − 1 in order.
  std::vector<LayerRun> layers;

  // A multimodal config's vision encoder and projector (kind none otherwise); counted in the "vision" and
  // "projector" groups, outside `layers` (config_reader.cpp, read_vision).
  VisionTower vision;

  const LayerSpec& layer_at(uint64_t il) const;  // the spec of layer il (0-based); throws past the end
  uint64_t n_head_kv_at(uint64_t il) const { return layer_at(il).n_head_kv; }
  uint64_t n_ff_at(uint64_t il) const { return layer_at(il).n_ff; }
  uint64_t n_embd_q() const;   // n_head × n_embd_head_k: width of the query projection
  uint64_t n_embd_kv() const;  // n_head_kv × n_embd_head_k: width of K (first attention layer)
};

struct NormalizedConfig {
  ModelSpec model;
  std::vector<Assumption> assumptions;
};

}  // namespace gpumem
