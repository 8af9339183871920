// Serialisation helpers shared by the façade's operations.
#include "facade.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/model/config_reader.hpp"

namespace gpumem {

namespace {

const char* to_string(NormKind k) {
  switch (k) {
    case NormKind::rms:
      return "rmsnorm";
    case NormKind::layer:
      return "layernorm";
    case NormKind::layer_no_bias:
      return "layernorm_no_bias";
    case NormKind::none:
      return "none";
  }
  return "";
}
const char* to_string(MlpKind k) { return k == MlpKind::gated ? "gated" : "plain"; }
const char* to_string(PositionKind k) {
  switch (k) {
    case PositionKind::rope:
      return "rope";
    case PositionKind::learned:
      return "learned";
    case PositionKind::alibi:
      return "alibi";
    case PositionKind::relative:
      return "relative";
    case PositionKind::none:
      return "none";
  }
  return "";
}
const char* to_string(MixerKind k) {
  switch (k) {
    case MixerKind::attention:
      return "attention";
    case MixerKind::mamba:
      return "mamba";
    case MixerKind::mamba2:
      return "mamba2";
    case MixerKind::none:
      return "none";
  }
  return "";
}
const char* to_string(AttnKind k) {
  switch (k) {
    case AttnKind::full:
      return "full";
    case AttnKind::sliding:
      return "sliding";
    case AttnKind::none:
      return "none";
  }
  return "";
}
const char* to_string(FfnKind k) {
  switch (k) {
    case FfnKind::dense:
      return "dense";
    case FfnKind::moe:
      return "moe";
    case FfnKind::none:
      return "none";
  }
  return "";
}
const char* to_string(QkNorm k) {
  switch (k) {
    case QkNorm::none:
      return "none";
    case QkNorm::per_head:
      return "per_head";
    case QkNorm::full:
      return "full";
  }
  return "";
}

// A short label for a run of layers: "full+dense", "sliding(4096)+moe", "mamba2", "mlp",
// "encoder full+dense", "decoder full+cross+dense".
std::string layer_kind(const LayerSpec& l) {
  std::string k;
  if (l.mixer == MixerKind::attention)
    k = l.attn == AttnKind::sliding ? "sliding(" + std::to_string(l.window) + ")" : "full";
  else if (l.mixer != MixerKind::none)
    k = to_string(l.mixer);
  if (l.cross_attn) k += "+cross";
  if (l.ffn != FfnKind::none)
    k += (k.empty() ? "" : "+") + std::string(l.ffn == FfnKind::dense ? (k.empty() ? "mlp" : "dense") : "moe");
  if (l.role == LayerRole::encoder) return "encoder " + k;
  return l.cross_attn ? "decoder " + k : k;
}

ojson layer_json(const LayerSpec& l) {
  return {{"role", l.role == LayerRole::encoder ? "encoder" : "decoder"},
          {"mixer", to_string(l.mixer)},
          {"attn", to_string(l.attn)},
          {"window", l.window},
          {"n_head_kv", l.n_head_kv},
          {"ffn", to_string(l.ffn)},
          {"n_ff", l.n_ff},
          {"n_norm", l.n_norm},
          {"cross_attn", l.cross_attn}};
}

}  // namespace

namespace {

ojson text_model_json(const ModelSpec& m) {
  ojson runs = ojson::array();
  uint64_t n_sliding = 0, n_full = 0, n_moe = 0, n_ssm = 0;
  for (const auto& run : m.layers) {
    const LayerSpec& l = run.spec;
    ojson r = {{"from", run.from}, {"to", run.to}, {"count", run.count()}, {"kind", layer_kind(l)}};
    r.update(layer_json(l));
    runs.push_back(std::move(r));
    n_sliding += l.attn == AttnKind::sliding ? run.count() : 0;
    n_full += l.attn == AttnKind::full ? run.count() : 0;
    n_moe += l.ffn == FfnKind::moe ? run.count() : 0;
    n_ssm += l.mixer == MixerKind::mamba || l.mixer == MixerKind::mamba2 ? run.count() : 0;
  }
  return {{"model_type", m.model_type},
          {"wrapper_type", m.wrapper_type},
          {"family", m.family},
          {"torch_dtype", m.torch_dtype},
          {"n_layer", m.n_layer},
          {"n_layer_enc", m.n_layer_enc},
          {"n_embd", m.n_embd},
          {"n_head", m.n_head},
          {"n_head_kv", m.n_head_kv},
          {"n_embd_head", m.n_embd_head},
          {"n_embd_head_k", m.n_embd_head_k},
          {"n_embd_head_v", m.n_embd_head_v},
          {"n_ff", m.n_ff},
          {"n_vocab", m.n_vocab},
          {"n_embd_tok", m.n_embd_tok},
          {"n_ctx_train", m.n_ctx_train},
          {"n_ctx_max", m.n_ctx_max},
          {"n_pos", m.n_pos},
          {"n_pos_tables", m.n_pos_tables},
          {"n_tok_types", m.n_tok_types},
          {"n_rel_buckets", m.n_rel_buckets},
          {"norm", to_string(m.norm)},
          {"mlp", to_string(m.mlp)},
          {"positions", to_string(m.positions)},
          {"tied_embeddings", m.tied_embeddings},
          {"has_lm_head", m.has_lm_head},
          {"lm_head_bias", m.lm_head_bias},
          {"pooler", m.pooler},
          {"attn_qkv_bias", m.attn_qkv_bias},
          {"attn_o_bias", m.attn_o_bias},
          {"mlp_bias", m.mlp_bias},
          {"attn_sinks", m.attn_sinks},
          {"qk_norm", to_string(m.qk_norm)},
          {"n_norm_out", m.n_norm_out},
          {"attn_layout", m.attn_layout == AttnLayout::mla ? "mla" : "mha"},
          {"n_lora_q", m.n_lora_q},
          {"n_lora_kv", m.n_lora_kv},
          {"n_rot", m.n_rot},
          {"n_rot_dims", m.n_rot_dims},
          {"sliding_window", m.sliding_window},
          {"n_layer_sliding", n_sliding},
          {"n_layer_full", n_full},
          {"n_layer_moe", n_moe},
          {"n_layer_ssm", n_ssm},
          {"n_expert", m.n_expert},
          {"n_expert_used", m.n_expert_used},
          {"n_expert_shared", m.n_expert_shared},
          {"n_ff_exp", m.n_ff_exp},
          {"n_ff_shexp", m.n_ff_shexp},
          {"n_nextn_layer", m.n_nextn_layer},
          {"ssm_d_inner", m.ssm_d_inner},
          {"ssm_d_state", m.ssm_d_state},
          {"ssm_d_conv", m.ssm_d_conv},
          {"ssm_dt_rank", m.ssm_dt_rank},
          {"ssm_n_group", m.ssm_n_group},
          {"ssm_n_head", m.ssm_n_head},
          {"layers", std::move(runs)}};
}

}  // namespace

ojson model_json(const ModelSpec& m) {
  ojson out = text_model_json(m);
  // A multimodal model's vision tower (model.hpp, VisionTower): only when there is one, so text-only models'
  // JSON is unchanged.
  if (m.vision.kind != VisionKind::none) {
    const VisionTower& v = m.vision;
    static constexpr const char* kKinds[] = {"none", "siglip", "clip", "qwen2_vl", "qwen2_5_vl"};
    static constexpr const char* kProjectors[] = {"none", "gemma3", "linear", "mlp2", "merger"};
    out["vision"] = {{"model_type", v.model_type},
                     {"kind", kKinds[static_cast<int>(v.kind)]},
                     {"n_layer", v.n_layer},
                     {"n_embd", v.n_embd},
                     {"n_ff", v.n_ff},
                     {"n_head", v.n_head},
                     {"patch", v.patch},
                     {"patch_t", v.patch_t},
                     {"image", v.image},
                     {"n_pos", v.n_pos},
                     {"head", v.head},
                     {"projector", kProjectors[static_cast<int>(v.projector)]},
                     {"proj_in", v.proj_in},
                     {"proj_out", v.proj_out},
                     {"n_img_tokens", v.n_img_tokens}};
  }
  return out;
}

void append_json(std::string& out, uint64_t n) { out += std::to_string(n); }

void append_json(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  std::array<char, 64> buf{};  // the serializer's own number_buffer size
  char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), x);
  out.append(buf.data(), static_cast<size_t>(end - buf.data()));
}

void append_bytes_json(std::string& out, uint64_t bytes) {
  out += "{\"bytes\":";
  append_json(out, bytes);
  out += ",\"gib\":";
  append_json(out, to_gib(bytes));
  out += ",\"gib_h\":\"" + gib(bytes) + "\",\"gb_h\":\"" + gb(bytes) + "\"}";
}

std::string dump_json(const ojson& j) { return j.dump(-1, ' ', false, ojson::error_handler_t::replace); }

ojson bytes_json(uint64_t bytes) {
  return ObjectBuilder(4)
      .add("bytes", bytes)
      .add("gib", to_gib(bytes))
      .add("gib_h", gib(bytes))
      .add("gb_h", gb(bytes))
      .done();
}

namespace {

// The runs grouped by kind and size, in order of first appearance, with the layer indices as ranges:
// Gemma 2 → sliding(4096)+dense: 21 layers "0, 2, 4, …", full+dense: 21 layers "1, 3, 5, …".
ojson layer_kinds_json(const ParamCount& p) {
  ojson kinds = ojson::array();
  for (const auto& r : p.layers) {
    const std::string kind = layer_kind(r.run.spec);
    const std::string range = r.run.from == r.run.to ? std::to_string(r.run.from)
                                                     : std::to_string(r.run.from) + "-" + std::to_string(r.run.to);
    auto same = std::find_if(kinds.begin(), kinds.end(),
                             [&](const ojson& k) { return k["kind"] == kind && k["params"] == r.params; });
    if (same == kinds.end()) {
      kinds.push_back({{"kind", kind},
                       {"count", r.run.count()},
                       {"params", r.params},
                       {"params_h", with_commas(r.params)},
                       {"layers", range}});
    } else {
      (*same)["count"] = (*same)["count"].get<uint64_t>() + r.run.count();
      (*same)["layers"] = (*same)["layers"].get<std::string>() + ", " + range;
    }
  }
  return kinds;
}

}  // namespace

ojson params_json(const ParamCount& p) {
  ojson groups = ojson::object();
  for (const auto& g : p.groups) groups[g.id] = g.count;
  ojson out = {
      {"total", p.total}, {"total_h", with_commas(p.total)}, {"short", short_count(p.total)}, {"groups", groups}};
  if (p.has_moe) {
    out["active"] = p.active;
    out["active_h"] = with_commas(p.active);
    out["active_short"] = short_count(p.active);
  }
  if (p.mtp != 0) out["mtp"] = {{"total", p.mtp}, {"total_h", with_commas(p.mtp)}, {"short", short_count(p.mtp)}};
  ojson layers = ojson::array();
  for (const auto& r : p.layers)
    layers.push_back({{"from", r.run.from},
                      {"to", r.run.to},
                      {"count", r.run.count()},
                      {"kind", layer_kind(r.run.spec)},
                      {"params", r.params},
                      {"params_h", with_commas(r.params)}});
  out["layers"] = std::move(layers);
  out["layer_kinds"] = layer_kinds_json(p);
  return out;
}

ojson weights_by_dtype(const ParamCount& p) {
  ojson out = ojson::array();
  for (const auto& d : weight_dtypes()) {
    ojson row = bytes_json(bytes_for(p.total, d.bits));
    row["dtype"] = d.id;
    row["name"] = d.name;
    out.push_back(std::move(row));
  }
  return out;
}

ojson memory_json(const MemoryEstimate& e) {
  ojson parts = ojson::array();
  for (const auto& p : e.parts) {
    const uint64_t b = p.bytes;
    parts.push_back(ObjectBuilder(7)
                        .add("id", p.id)
                        .add("bytes", b)
                        .add("gib", to_gib(b))
                        .add("gib_h", gib(b))
                        .add("gb_h", gb(b))
                        .add("formula", p.formula)
                        .add("source", p.source)
                        .done());
    if (!p.formula_text.empty()) parts.back()["formula_text"] = text_json(p.formula_text);
    if (!p.source_text.empty()) parts.back()["source_text"] = text_json(p.source_text);
  }
  return {{"total_bytes", e.total_bytes},
          {"gib", to_gib(e.total_bytes)},
          {"gib_h", gib(e.total_bytes)},
          {"gb_h", gb(e.total_bytes)},
          {"parts", std::move(parts)}};
}

ojson text_json(const Text& t) {
  ojson args = ojson::object();
  for (const auto& [k, v] : t.args) args[k] = v;
  for (const auto& [k, p] : t.phrases) args[k] = text_json(p);
  return {{"id", t.id}, {"args", std::move(args)}};
}

void set_message(ojson& out, const Text& t) {
  out["message"] = render(t);
  out["message_text"] = text_json(t);
}

ojson assumptions_json(const std::vector<Assumption>& as) {
  ojson out = ojson::array();
  for (const auto& a : as) {
    out.push_back({{"code", a.code}, {"path", a.path}, {"message", a.message}});
    if (!a.text.empty()) out.back()["text"] = text_json(a.text);
  }
  return out;
}

// The config arrives as text (so JSON syntax errors get a line and column) or as an object.
json request_config(const json& req, std::vector<Assumption>& notes) {
  auto t = req.find("config_text");
  if (t != req.end() && t->is_string()) return parse_json_text(t->get<std::string>(), &notes);
  auto c = req.find("config");
  if (c != req.end() && !c->is_null()) return *c;
  throw Error(code::bad_request, "/config_text", txt("error.request.no_config"));
}

ConfigRead read_request_config(const json& req) {
  static std::string last_text;  // one entry: the page's requests come config by config
  static ConfigRead last;
  const auto t = req.find("config_text");
  const std::string* text = t != req.end() && t->is_string() ? t->get_ptr<const std::string*>() : nullptr;
  if (text != nullptr && !last_text.empty() && *text == last_text) return last;
  ConfigRead out;
  std::vector<Assumption> notes;
  out.config = request_config(req, notes);
  out.nc = read_config(out.config);
  out.nc.assumptions.insert(out.nc.assumptions.begin(), notes.begin(), notes.end());
  if (text != nullptr && !text->empty()) {
    last = out;
    last_text = *text;
  }
  return out;
}

bool parse_release(const std::string& v, unsigned& major, unsigned& minor, unsigned& patch) {
  if (v.size() > 16) return false;
  size_t i = 0;
  auto part = [&](unsigned& out, size_t max_digits) {
    const size_t start = i;
    out = 0;
    while (i < v.size() && i - start < max_digits && v[i] >= '0' && v[i] <= '9')
      out = out * 10 + unsigned(v[i++] - '0');
    return i > start;
  };
  patch = 0;
  if (!part(major, 3) || i == v.size() || v[i++] != '.' || !part(minor, 2)) return false;
  if (i == v.size()) return true;
  if (v[i++] != '.') return false;
  part(patch, 2);
  return i == v.size() || v[i] == '.';
}

uint32_t request_transformers_version(const std::string& v) {
  if (v.empty() || v == "current") return 0;
  unsigned major = 0, minor = 0, patch = 0;
  if (!parse_release(v, major, minor, patch) || major < 4)
    throw Error(code::bad_request, "/options/transformers", txt("error.options.transformers_version"));
  return major >= 5 ? 0 : major * 100 + minor;
}

uint32_t request_bitsandbytes_version(const std::string& v) {
  if (v.empty() || v == "current") return 0;
  unsigned major = 0, minor = 0, patch = 0;
  if (!parse_release(v, major, minor, patch))
    throw Error(code::bad_request, "/options/bitsandbytes", txt("error.options.bitsandbytes_version"));
  return major >= 1 ? 0 : minor * 100 + patch;
}

std::optional<Gpu> request_gpu(const OptionReader& r) {
  const std::string name = r.text("gpu");
  const std::string size = r.text("gpu_memory");
  if (!size.empty()) {
    uint64_t bytes = 0;
    if (!parse_memory_size(size, bytes))
      throw Error(code::bad_request, "/options/gpu_memory", txt("error.options.gpu_memory"));
    Gpu g;
    g.name = name.empty() ? "custom" : name.substr(0, 40);
    g.vendor = "custom";
    g.kind = "custom";
    g.bytes = g.reported = bytes;
    g.source = "--gpu-memory " + size.substr(0, 24);
    return g;
  }
  if (name.empty()) return std::nullopt;
  const Gpu* g = find_gpu(name);
  if (g == nullptr)
    throw Error(code::bad_request, "/options/gpu", txt("error.options.unknown_gpu", {{"name", name.substr(0, 40)}}));
  return *g;
}

std::string growing_part(const MemoryEstimate& a, const MemoryEstimate& b) {
  std::string best = "weights";
  uint64_t grow = 0;
  for (size_t i = 0; i < a.parts.size() && i < b.parts.size(); ++i) {
    const uint64_t g = b.parts[i].bytes > a.parts[i].bytes ? b.parts[i].bytes - a.parts[i].bytes : 0;
    if (g > grow) grow = g, best = a.parts[i].id;
  }
  return best;
}

std::string request_string(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "";
  if (!it->is_string()) throw Error(code::bad_request, path, txt("error.options.not_string", {{"name", key}}));
  return it->get<std::string>();
}

json request_options(const json& req) {
  auto it = req.find("options");
  if (it == req.end() || it->is_null()) return json::object();
  if (!it->is_object()) throw Error(code::bad_request, "/options", txt("error.options.not_object"));
  return *it;
}

}  // namespace gpumem
