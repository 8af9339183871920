// "inspect": inventories checkpoint headers (safetensors, index, GGUF) handed over as one attachment of
// concatenated file heads. When the head of a file is too short for its header, the result says how
// many bytes to send instead ({"complete": false, "need": {"file", "bytes"}}), so the caller reads
// only headers, however large the files are.
#include <map>

#include "facade.hpp"
#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/checkpoint/checkpoint.hpp"
#include "gpumem/model/config_reader.hpp"

namespace gpumem {

namespace {

std::vector<FileHead> request_files(const json& req, std::string_view attachment) {
  auto it = req.find("files");
  if (it == req.end() || !it->is_array() || it->empty())
    throw Error(code::bad_request, "/files", txt("error.checkpoint.files_list"));
  std::vector<FileHead> out;
  uint64_t at = 0;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& f = (*it)[i];
    const std::string p = "/files/" + std::to_string(i);
    if (!f.is_object() || !f.contains("size") || !f["size"].is_number_unsigned())
      throw Error(code::bad_request, p, txt("error.checkpoint.file_entry"));
    FileHead h;
    h.name = f.contains("name") && f["name"].is_string() ? f["name"].get<std::string>() : "file " + std::to_string(i);
    h.size = f["size"].get<uint64_t>();
    uint64_t length = attachment.size() - at;
    if (f.contains("length")) {
      if (!f["length"].is_number_unsigned())
        throw Error(code::bad_request, p + "/length", txt("error.checkpoint.length"));
      length = f["length"].get<uint64_t>();
    }
    if (length > attachment.size() - at)
      throw Error(code::bad_request, p + "/length", txt("error.checkpoint.attachment_short"));
    h.head = attachment.substr(at, length);
    at += length;
    out.push_back(h);
  }
  return out;
}

struct Totals {
  uint64_t params = 0;
  uint64_t bytes = 0;
  uint64_t tensors = 0;
};

ojson totals_json(const Totals& t) { return {{"params", t.params}, {"bytes", t.bytes}}; }

// Config-based counts next to the checkpoint's, group by group, so a mismatch names where it is.
ojson compare_with_config(const json& req, const std::map<std::string, Totals>& groups, uint64_t ckpt_params) {
  std::vector<Assumption> notes;
  const json config = request_config(req, notes);
  NormalizedConfig nc = read_config(config);
  nc.assumptions.insert(nc.assumptions.begin(), notes.begin(), notes.end());
  ParamCount pc = count_params(nc.model);
  ojson rows = ojson::array();
  std::map<std::string, uint64_t> from_config;
  for (const auto& g : pc.groups) from_config[g.id] = g.count;
  std::map<std::string, bool> ids;
  for (const auto& [id, n] : from_config) ids[id] = true;
  for (const auto& [id, t] : groups) ids[id] = true;
  bool agrees = pc.total == ckpt_params;
  for (const auto& [id, unused] : ids) {
    const uint64_t c = from_config.count(id) ? from_config[id] : 0;
    const uint64_t k = groups.count(id) ? groups.at(id).params : 0;
    if (c == 0 && k == 0) continue;
    rows.push_back({{"group", id}, {"config", c}, {"checkpoint", k}, {"agrees", c == k}});
  }
  const Text message = txt(agrees ? "note.checkpoint.agrees" : "note.checkpoint.disagrees");
  return {{"config_params", pc.total},
          {"checkpoint_params", ckpt_params},
          {"agrees", agrees},
          {"message", render(message)},
          {"message_text", text_json(message)},
          {"groups", rows},
          {"model", model_json(nc.model)},
          {"assumptions", assumptions_json(nc.assumptions)}};
}

}  // namespace

ojson op_inspect(const json& req, std::string_view attachment) {
  const std::vector<FileHead> heads = request_files(req, attachment);
  Inventory inv;
  try {
    inv = inspect_files(heads);
  } catch (const NeedMoreBytes& more) {
    return {{"ok", true}, {"complete", false}, {"need", {{"file", more.file}, {"bytes", more.bytes}}}};
  }

  Totals all;
  std::map<std::string, Totals> by_dtype, groups;
  std::vector<Totals> per_file(inv.files.size());
  for (const auto& t : inv.tensors) {
    for (Totals* x : {&all, &by_dtype[t.dtype], &groups[t.group], &per_file[t.file]}) {
      x->params = add(x->params, t.params);
      x->bytes = add(x->bytes, t.bytes);
      x->tensors += 1;
    }
  }
  std::vector<Text> notes = inv.notes;
  uint64_t declared = 0, index_tensors = 0;
  for (const auto& f : inv.files) {
    declared = add(declared, f.declared_total);
    index_tensors += f.index_tensors;
  }
  Text bytes_source = txt("phrase.checkpoint.bytes_from_headers");
  if (inv.tensors.empty() && declared > 0) {
    all.bytes = declared;
    bytes_source = txt("phrase.checkpoint.bytes_from_index");
    notes.push_back(txt("note.checkpoint.index_only"));
  } else if (declared > 0 && all.tensors == index_tensors && all.bytes != declared) {
    notes.push_back(txt("note.checkpoint.index_mismatch",
                        {{"bytes", with_commas(all.bytes)}, {"declared", with_commas(declared)}}));
  } else if (declared > 0 && all.tensors < index_tensors) {
    notes.push_back(txt("note.checkpoint.missing_shards",
                        {{"listed", with_commas(index_tensors)}, {"held", with_commas(all.tensors)}}));
  }

  ojson notes_english = ojson::array(), notes_text = ojson::array();
  for (const auto& n : notes) {
    notes_english.push_back(render(n));
    notes_text.push_back(text_json(n));
  }
  ojson files = ojson::array();
  ojson model = nullptr;
  for (size_t i = 0; i < inv.files.size(); ++i) {
    const auto& f = inv.files[i];
    ojson row = {{"name", f.name},
                 {"format", f.format},
                 {"size", f.size},
                 {"header_bytes", f.header_bytes},
                 {"tensors", per_file[i].tensors},
                 {"params", per_file[i].params},
                 {"bytes", per_file[i].bytes},
                 {"metadata", f.metadata}};
    if (f.format == "safetensors_index") row["declared_total_size"] = f.declared_total;
    files.push_back(std::move(row));
    json cfg = gguf_config(f, inv);
    if (!cfg.empty() && model.is_null()) {
      model = {{"config", cfg}};
      try {
        NormalizedConfig nc = read_config(cfg);
        model["model"] = model_json(nc.model);
        model["params_from_shapes"] = count_params(nc.model).total;
      } catch (const Error& e) {
        model["error"] = {{"code", e.code()}, {"path", e.path()}, {"message", e.what()}};
        if (e.text()) model["error"]["text"] = text_json(*e.text());
      }
    }
  }

  ojson dtypes = ojson::object(), group_json = ojson::object();
  for (const auto& [k, t] : by_dtype) dtypes[k] = totals_json(t);
  for (const char* id : {"embeddings", "positions", "attention", "mlp", "experts_routed", "experts_shared", "router",
                         "norms", "lm_head", "other", "vision", "projector"})
    if (groups.count(id)) group_json[id] = totals_json(groups[id]);

  ojson out = {{"ok", true},
               {"complete", true},
               {"params", all.params},
               {"params_h", with_commas(all.params)},
               {"params_short", short_count(all.params)},
               {"bytes", all.bytes},
               {"bytes_source", render(bytes_source)},
               {"bytes_source_text", text_json(bytes_source)},
               {"gib_h", gib(all.bytes)},
               {"gb_h", gb(all.bytes)},
               {"tensors", all.tensors},
               {"by_dtype", dtypes},
               {"groups", group_json},
               {"files", files},
               {"notes", notes_english},
               {"notes_text", notes_text}};
  if (!model.is_null()) out["gguf_model"] = model;
  // The weights as stored, for the estimate (inference_ops.cpp, apply_checkpoint): only when every shard the
  // index lists was read, so the bytes are the whole checkpoint's.
  if (const auto w = checkpoint_weights(inv); w && !(index_tensors > 0 && all.tensors < index_tensors))
    out["checkpoint"] = checkpoint_weights_json(*w);
  auto has_config = req.find("config_text") != req.end() || req.find("config") != req.end();
  if (has_config && !inv.tensors.empty()) out["comparison"] = compare_with_config(req, groups, all.params);
  return out;
}

}  // namespace gpumem
