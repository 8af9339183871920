// Serialisation helpers shared by the façade's operations.
#include "facade.hpp"

#include "gpumem/config_reader.hpp"
#include "gpumem/error.hpp"
#include "gpumem/format.hpp"

namespace gpumem {

namespace {

const char* to_string(NormKind k) { return k == NormKind::rms ? "rmsnorm" : "layernorm"; }
const char* to_string(MlpKind k) { return k == MlpKind::gated ? "gated" : "plain"; }
const char* to_string(PositionKind k) { return k == PositionKind::rope ? "rope" : "learned"; }

}  // namespace

ojson model_json(const ModelSpec& m) {
  return {{"model_type", m.model_type},
          {"family", m.family},
          {"torch_dtype", m.torch_dtype},
          {"n_layer", m.n_layer},
          {"n_embd", m.n_embd},
          {"n_head", m.n_head},
          {"n_head_kv", m.n_head_kv},
          {"n_embd_head", m.n_embd_head},
          {"n_ff", m.n_ff},
          {"n_vocab", m.n_vocab},
          {"n_ctx_train", m.n_ctx_train},
          {"n_pos", m.n_pos},
          {"norm", to_string(m.norm)},
          {"mlp", to_string(m.mlp)},
          {"positions", to_string(m.positions)},
          {"tied_embeddings", m.tied_embeddings},
          {"attn_qkv_bias", m.attn_qkv_bias},
          {"attn_o_bias", m.attn_o_bias},
          {"mlp_bias", m.mlp_bias}};
}

ojson bytes_json(uint64_t bytes) {
  return {{"bytes", bytes}, {"gib", to_gib(bytes)}, {"gib_h", gib(bytes)}, {"gb_h", gb(bytes)}};
}

ojson params_json(const ParamCount& p) {
  ojson groups = ojson::object();
  for (const auto& g : p.groups) groups[g.id] = g.count;
  return {{"total", p.total}, {"total_h", with_commas(p.total)}, {"short", short_count(p.total)}, {"groups", groups}};
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
    ojson row = {{"id", p.id}};
    row.update(bytes_json(p.bytes));
    row["formula"] = p.formula;
    row["source"] = p.source;
    parts.push_back(std::move(row));
  }
  return {{"total_bytes", e.total_bytes},
          {"gib", to_gib(e.total_bytes)},
          {"gib_h", gib(e.total_bytes)},
          {"gb_h", gb(e.total_bytes)},
          {"parts", std::move(parts)}};
}

ojson assumptions_json(const std::vector<Assumption>& as) {
  ojson out = ojson::array();
  for (const auto& a : as) out.push_back({{"code", a.code}, {"path", a.path}, {"message", a.message}});
  return out;
}

// The config arrives as text (so JSON syntax errors get a line and column) or as an object.
json request_config(const json& req) {
  auto t = req.find("config_text");
  if (t != req.end() && t->is_string()) return parse_json_text(t->get<std::string>());
  auto c = req.find("config");
  if (c != req.end() && !c->is_null()) return *c;
  throw Error(code::bad_request, "/config_text", "The request has no config; pass config_text (the file's text).");
}

std::string request_string(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "";
  if (!it->is_string()) throw Error(code::bad_request, path, std::string(key) + " must be a string.");
  return it->get<std::string>();
}

json request_options(const json& req) {
  auto it = req.find("options");
  if (it == req.end() || it->is_null()) return json::object();
  if (!it->is_object()) throw Error(code::bad_request, "/options", "options must be an object.");
  return *it;
}

}  // namespace gpumem
