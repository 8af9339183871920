// The "advise" operation: what would make the request fit. Rows are the weight formats the chosen engine runs
// (inference) or the training recipes (train); columns are the chosen GPU at 1, 2, 4 and 8 GPUs (and the
// request's own count), then the next larger cards of the catalogue. Each cell is fit's answer for the request
// with the row's options on the column's GPUs: the largest context (inference) or batch (train) and whether the
// request fits there. docs/ESTIMATION.md ("Advise") describes the rows, the columns and how "nearest" is ordered.
//
// The config is read once; each cell parses its options through the same OptionReader path as fit
// (parse_inference / parse_train, fit_ops.hpp) and solves with fit's solver, so a cell equals
// `gpumem fit --gpu X --gpus N <row options>` by construction. An InferencePlan (the quantized weight layout,
// the costly part) is built once per row and reused over the columns (they only change tp and the GPU).
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "facade.hpp"
#include "fit_ops.hpp"
#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/memory/inference.hpp"
#include "gpumem/memory/support.hpp"
#include "options.hpp"

namespace gpumem {

namespace {

// One column: a card (catalogue or custom) and a GPU count.
struct Column {
  Gpu gpu;
  uint64_t gpus = 1;
  bool chosen = false;  // the request's card and count
  bool custom = false;  // --gpu-memory: the request's own card
};

// One row: what it sets among the request's options, and its place.
struct RowSpec {
  std::string id;
  Text label;    // the row's name as data: "label" is its English rendering, "label_text" the Text
  json options;  // merged into the request's options when the row is picked (the page does the same)
};

// A cell's answer.
struct Cell {
  bool ok = true;  // false: the options were refused on this column (error_code/error_message say why)
  bool fits = false;
  uint64_t max = 0;  // max_context or max_batch
  std::string binding;
  uint64_t total = 0;  // inference: per GPU at the requested context; train: per GPU at batch 1
  std::string error_code, error_message;
  std::optional<Text> error_text;
};

// A refused cell: the error's code, sentence and its Text.
Cell refused_cell(const Error& e) { return Cell{false, false, 0, "", 0, e.code(), e.what(), e.text()}; }

// An error's JSON: code, path (when `with_path`), message and its Text.
ObjectBuilder& add_error(ObjectBuilder& b, const std::string& c, const std::string& message,
                         const std::optional<Text>& t) {
  b.add("code", c).add("message", message);
  if (t) b.add("text", text_json(*t));
  return b;
}

// The request's options on one column: its card and count replace the request's (tensor parallelism over the
// column's GPUs for inference: tp and pp are dropped; training keeps tp).
json column_options(const json& base, const Column& c, bool keep_tp) {
  json o = base;
  if (!keep_tp) {
    o.erase("tp");
    o.erase("pp");
  }
  o["gpus"] = c.gpus;
  if (!c.custom) {
    o["gpu"] = c.gpu.name;
    o.erase("gpu_memory");
  }
  return o;
}

json merged(const json& base, const json& row) {
  json o = base;
  for (const auto& [k, v] : row.items()) o[k] = v;
  return o;
}

// The next larger cards: same vendor and kind first, then same vendor, then any (Apple only for an Apple
// chosen card, never otherwise). Cards are grouped by marketed size into tiers; a tier is taken when it is
// at least 15% above the chosen card's usable memory and 25% above the last tier taken, so each column is a
// real step up. Within a tier: a card with a measured total before one that follows a sibling's rule, then
// the later in the catalogue (the newer generation: RTX 4090 before RTX 3090, H100 before A100).
std::vector<const Gpu*> larger_cards(const Gpu& chosen, size_t n) {
  const auto& cat = gpu_catalogue();
  const bool apple = chosen.vendor == "Apple";
  const std::string vendor = chosen.vendor == "custom" ? "NVIDIA" : chosen.vendor;
  const uint64_t floor_total = gpu_total_bytes(chosen) / 100 * 115;
  std::vector<const Gpu*> picked;
  uint64_t last_bytes = 0;
  auto taken = [&](const Gpu* g) { return std::find(picked.begin(), picked.end(), g) != picked.end(); };
  for (int pass = 0; pass < 3 && picked.size() < n; ++pass) {
    std::vector<const Gpu*> cand;
    for (const auto& g : cat) {
      if ((g.vendor == "Apple") != apple || taken(&g)) continue;
      if (pass < 2 && g.vendor != vendor) continue;
      if (pass == 0 && g.kind != chosen.kind) continue;
      if (gpu_total_bytes(g) < floor_total) continue;
      cand.push_back(&g);
    }
    // by size, measured first, then the later in the catalogue
    std::reverse(cand.begin(), cand.end());
    std::stable_sort(cand.begin(), cand.end(), [](const Gpu* a, const Gpu* b) {
      if (a->bytes != b->bytes) return a->bytes < b->bytes;
      return a->rule.empty() && !b->rule.empty();
    });
    for (const Gpu* g : cand) {
      if (picked.size() >= n) break;
      if (last_bytes != 0 && g->bytes < last_bytes / 100 * 125) continue;
      picked.push_back(g);
      last_bytes = g->bytes;
    }
  }
  std::stable_sort(picked.begin(), picked.end(),
                   [](const Gpu* a, const Gpu* b) { return gpu_total_bytes(*a) < gpu_total_bytes(*b); });
  return picked;
}

// Columns: the chosen card × 1, 2, 4, 8 and the request's count (multiples of `unit`: training's tp), then
// the larger cards at the request's count; at most 8.
std::vector<Column> make_columns(const Gpu& chosen, bool custom, uint64_t count, uint64_t unit) {
  std::vector<uint64_t> counts;
  for (uint64_t k : {uint64_t{1}, uint64_t{2}, uint64_t{4}, uint64_t{8}})
    if (k * unit != count) counts.push_back(k * unit);
  counts.push_back(count);
  std::sort(counts.begin(), counts.end());
  std::vector<Column> cols;
  for (uint64_t k : counts) cols.push_back({chosen, k, k == count, custom});
  const size_t room = cols.size() >= 8 ? 0 : std::min<size_t>(3, 8 - cols.size());
  for (const Gpu* g : larger_cards(chosen, room)) cols.push_back({*g, count, false, false});
  return cols;
}

ojson columns_json(const std::vector<Column>& cols, const std::vector<uint64_t>& usable) {
  ojson out = ojson::array();
  for (size_t k = 0; k < cols.size(); ++k) {
    const Column& c = cols[k];
    ObjectBuilder b(8);
    b.add("gpu", c.gpu.name).add("gpus", c.gpus).add("vendor", c.gpu.vendor).add("kind", c.gpu.kind);
    b.add("memory_bytes", c.gpu.bytes).add("usable_bytes", usable[k]).add("chosen", c.chosen);
    if (c.custom) b.add("custom", true);
    out.push_back(b.done());
  }
  return out;
}

ojson cell_json(const Cell& c, const char* key) {
  ObjectBuilder b(5);
  b.add("fits", c.fits).add(key, c.max);
  if (!c.ok) {
    ObjectBuilder err(3);
    b.add("error", add_error(err, c.error_code, c.error_message, c.error_text).done());
    return b.done();
  }
  b.add("binding", c.binding).add("total_bytes", c.total);
  return b.done();
}

// The answer's shared tail: current, nearest, assumptions. `order` ranks the fitting cells (cheapest first).
struct Grid {
  std::vector<RowSpec> rows;
  std::vector<std::vector<Cell>> cells;  // [row][column]
  std::vector<uint64_t> weight;          // per row: bytes of its weights (inference) or 0
  size_t current_row = 0;
};

ojson nearest_json(const Grid& g, const std::vector<Column>& cols, size_t chosen_col, const char* key) {
  struct Pick {
    size_t row, col;
  };
  std::vector<Pick> fit;
  for (size_t i = 0; i < g.rows.size(); ++i)
    for (size_t k = 0; k < cols.size(); ++k)
      if (g.cells[i][k].fits && !(i == g.current_row && k == chosen_col)) fit.push_back({i, k});
  // Cheapest first: fewest GPUs, then the smaller card, then the higher precision (more weight bytes; for
  // training, the recipe listed first), then the row's order.
  std::stable_sort(fit.begin(), fit.end(), [&](const Pick& a, const Pick& b) {
    const Column &ca = cols[a.col], &cb = cols[b.col];
    if (ca.gpus != cb.gpus) return ca.gpus < cb.gpus;
    const uint64_t ma = gpu_total_bytes(ca.gpu), mb = gpu_total_bytes(cb.gpu);
    if (ma != mb) return ma < mb;
    if (g.weight[a.row] != g.weight[b.row]) return g.weight[a.row] > g.weight[b.row];
    return a.row < b.row;
  });
  ojson out = ojson::array();
  for (size_t n = 0; n < fit.size() && n < 3; ++n) {
    const Cell& c = g.cells[fit[n].row][fit[n].col];
    out.push_back(ObjectBuilder(5)
                      .add("row", g.rows[fit[n].row].id)
                      .add("column", static_cast<uint64_t>(fit[n].col))
                      .add("gpu", cols[fit[n].col].gpu.name)
                      .add("gpus", cols[fit[n].col].gpus)
                      .add(key, c.max)
                      .done());
  }
  return out;
}

ojson rows_json(const Grid& g, const char* key, bool with_weights) {
  ojson out = ojson::array();
  for (size_t i = 0; i < g.rows.size(); ++i) {
    ObjectBuilder b(6);
    b.add("id", g.rows[i].id).add("label", render(g.rows[i].label)).add("label_text", text_json(g.rows[i].label));
    b.add("options", ojson(g.rows[i].options));
    if (with_weights) b.add("weights_bytes", g.weight[i]);
    b.add("current", i == g.current_row);
    ojson cells = ojson::array();
    for (const Cell& c : g.cells[i]) cells.push_back(cell_json(c, key));
    b.add("cells", std::move(cells));
    out.push_back(b.done());
  }
  return out;
}

// The answer's shared tail, inference and training alike: the columns, the rows with their cells, the chosen
// cell as "current", the nearest fitting cells, the rows left out and the assumptions. `key` names the
// solved quantity (max_context or max_batch).
ojson finish(ojson out, const Grid& g, const std::vector<Column>& cols, const std::vector<uint64_t>& usable, size_t cc,
             const char* key, bool with_weights, ojson left_out, const std::vector<Assumption>& notes) {
  const Cell& cur = g.cells[g.current_row][cc];
  out["columns"] = columns_json(cols, usable);
  out["rows"] = rows_json(g, key, with_weights);
  out["current"] = ObjectBuilder(5)
                       .add("row", g.rows[g.current_row].id)
                       .add("column", static_cast<uint64_t>(cc))
                       .add("fits", cur.fits)
                       .add(key, cur.max)
                       .add("binding", cur.binding)
                       .done();
  out["nearest"] = nearest_json(g, cols, cc, key);
  if (!left_out.empty()) out["left_out"] = std::move(left_out);
  out["assumptions"] = assumptions_json(notes);
  return out;
}

size_t chosen_index(const std::vector<Column>& cols) {
  for (size_t k = 0; k < cols.size(); ++k)
    if (cols[k].chosen) return k;
  return 0;
}

// ---- inference ----

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// The weight formats and KV variants the engine runs (support.cpp), most precise first.
std::vector<RowSpec> inference_rows(Engine e, const std::string& dtype_option, const std::string& dtype_label) {
  std::vector<RowSpec> rows;
  const char* kv_variant = e == Engine::vllm ? "fp8" : e == Engine::llamacpp ? "q8_0" : "int8";
  auto add = [&](const std::string& quant, bool with_kv) {
    const auto q = find_quant(quant);
    if (!q || weight_support(e, *q).support != Support::runs) return;
    std::string id = quant == "none" ? dtype_label : quant.rfind("gguf-", 0) == 0 ? quant.substr(5) : quant;
    const std::string format =
        quant == "none" ? (e == Engine::llamacpp ? upper(dtype_label == "bf16" ? "bf16" : "f16") : upper(dtype_label))
                        : upper(id);
    json options = {{"quant", quant}, {"kv_dtype", "auto"}};
    if (quant == "none") options["dtype"] = dtype_option;
    rows.push_back({id, txt("phrase.advise.row.format", {{"format", format}}), options});
    if (with_kv && kv_support(e, kv_variant).support == Support::runs) {
      options["kv_dtype"] = kv_variant;
      rows.push_back({id + "+kv-" + kv_variant,
                      txt("phrase.advise.row.format_kv", {{"format", format}, {"kv", upper(kv_variant)}}), options});
    }
  };
  switch (e) {
    case Engine::vllm:
      add("none", true);
      add("fp8", true);
      add("awq-4bit", true);
      add("gptq-4bit", false);
      add("bnb-nf4", false);
      break;
    case Engine::llamacpp:
      add("none", false);
      add("gguf-q8_0", false);
      add("gguf-q6_k", false);
      add("gguf-q5_k_m", false);
      add("gguf-q4_k_m", true);
      add("gguf-q3_k_m", false);
      add("gguf-q2_k", false);
      break;
    default:
      add("none", true);
      add("fp8", false);
      add("bnb-int8", false);
      add("bnb-nf4", true);
      add("gptq-4bit", false);
      add("awq-4bit", false);
      break;
  }
  return rows;
}

// Plans by what they depend on (dtype, quant, offload, pp); device_map plans depend on the GPUs too and are
// built per cell.
struct PlanCache {
  const ModelSpec& m;
  std::vector<std::pair<InferenceOptions, std::unique_ptr<InferencePlan>>> plans;
  const InferencePlan& get(const InferenceOptions& o, std::unique_ptr<InferencePlan>& own) {
    if (o.device_map != DeviceMapKind::none) {
      own = std::make_unique<InferencePlan>(m, o);
      return *own;
    }
    for (const auto& [k, p] : plans)
      if (k.dtype_bits == o.dtype_bits && k.quant == o.quant && k.offload_layers == o.offload_layers &&
          std::max<uint64_t>(1, k.pp) == std::max<uint64_t>(1, o.pp) && k.engine == o.engine)
        return *p;
    plans.emplace_back(o, std::make_unique<InferencePlan>(m, o));
    return *plans.back().second;
  }
};

ojson advise_inference(const RequestModel& in, const json& options, const Gpu& chosen, bool custom) {
  std::vector<Assumption> scratch;
  const OptionReader r(options, mode_inference, scratch);
  const uint64_t count = r.count("gpus", mul(r.count("tp"), r.count("pp")));
  ParsedInference base = parse_inference(in, options);  // the request as it is: its errors are the answer's
  const InferenceOptions& bo = base.o;
  const ModelSpec& m = in.nc.model;
  const std::string dtype_choice = r.choice("dtype");
  const bool dtype_given = !dtype_choice.empty() && dtype_choice != "auto";
  std::vector<RowSpec> specs = inference_rows(bo.engine, dtype_given ? dtype_choice : "auto", bo.dtype);
  if (!dtype_given && bo.dtype == "fp32" && bo.engine != Engine::llamacpp)
    specs.insert(specs.begin() + 1, {"fp16",
                                     txt("phrase.advise.row.format", {{"format", "FP16"}}),
                                     {{"quant", "none"}, {"dtype", "fp16"}, {"kv_dtype", "auto"}}});
  const std::vector<Column> cols = make_columns(chosen, custom, count, 1);
  const size_t cc = chosen_index(cols);
  std::vector<uint64_t> usable;
  for (const Column& c : cols) usable.push_back(inference_capacity(c.gpu, bo));

  Grid g;
  PlanCache cache{m, {}};
  ojson left_out = ojson::array();
  bool matched = false;
  std::vector<json> col_opts;
  for (const Column& c : cols) col_opts.push_back(column_options(options, c, false));
  for (const RowSpec& spec : specs) {
    std::vector<Cell> cells(cols.size());
    uint64_t weights = 0;
    bool refused = false;
    bool is_current = false;
    for (size_t k = 0; k < cols.size() && !refused; ++k) {
      // The chosen column first decides whether the row exists at all.
      const size_t col = k == 0 ? cc : (k <= cc ? k - 1 : k);
      Cell& cell = cells[col];
      try {
        const ParsedInference p = parse_inference(in, merged(col_opts[col], spec.options));
        std::unique_ptr<InferencePlan> own;
        const InferencePlan& plan = cache.get(p.o, own);
        const uint64_t cap = usable[col];
        cell.total = plan.estimate(p.o, false).gpu.total_bytes;
        cell.fits = cell.total <= cap;
        const InferenceSolve s =
            solve_inference(plan, p.o, "context", cap, m.n_ctx_max, inference_step(p.o, "context"));
        cell.max = s.max;
        cell.binding = s.binding;
        if (col == cc) {
          InferenceOptions one = p.o;
          one.tp = 1;
          one.pp = 1;
          for (const auto& part : plan.estimate(one, false).gpu.parts)
            if (part.id == "weights") weights = part.bytes;
          is_current = !matched && p.o.dtype == bo.dtype && p.o.quant == bo.quant && p.o.kv.id == bo.kv.id;
        }
      } catch (const Error& e) {
        if (col == cc) {
          refused = true;
          left_out.push_back(ObjectBuilder(4)
                                 .add("id", spec.id)
                                 .add("code", e.code())
                                 .add("path", e.path())
                                 .add("message", std::string(e.what()))
                                 .add("text", e.text() ? text_json(*e.text()) : ojson())
                                 .done());
        }
        cell = refused_cell(e);
      }
    }
    if (refused) continue;
    if (is_current) matched = true, g.current_row = g.rows.size();
    g.rows.push_back(spec);
    g.cells.push_back(std::move(cells));
    g.weight.push_back(weights);
  }
  if (!matched) {
    // The request's own format is none of the rows (a checkpoint's quantization_config, a dtype or KV type
    // the rows do not list): it comes first, as "current", with nothing to change.
    RowSpec cur{"current", txt("phrase.advise.row.current"), json::object()};
    std::vector<Cell> cells(cols.size());
    uint64_t weights = 0;
    for (size_t k = 0; k < cols.size(); ++k) {
      try {
        const ParsedInference p = parse_inference(in, col_opts[k]);
        std::unique_ptr<InferencePlan> own;
        const InferencePlan& plan = cache.get(p.o, own);
        cells[k].total = plan.estimate(p.o, false).gpu.total_bytes;
        cells[k].fits = cells[k].total <= usable[k];
        const InferenceSolve s =
            solve_inference(plan, p.o, "context", usable[k], m.n_ctx_max, inference_step(p.o, "context"));
        cells[k].max = s.max;
        cells[k].binding = s.binding;
        if (k == cc) {
          InferenceOptions one = p.o;
          one.tp = 1;
          one.pp = 1;
          for (const auto& part : plan.estimate(one, false).gpu.parts)
            if (part.id == "weights") weights = part.bytes;
        }
      } catch (const Error& e) {
        if (k == cc) throw;
        cells[k] = refused_cell(e);
      }
    }
    g.rows.insert(g.rows.begin(), cur);
    g.cells.insert(g.cells.begin(), std::move(cells));
    g.weight.insert(g.weight.begin(), weights);
    g.current_row = 0;
  }

  std::vector<Assumption>& notes = base.nc.assumptions;
  if (r.count("pp") > 1 || r.given("tp"))
    notes.push_back({"advise_tensor_parallel", "/options/tp", txt("assume.advise_tensor_parallel")});
  notes.push_back({"advise_cells", "/options/context",
                   txt("assume.advise_cells.inference", {{"batch", bo.batch}, {"context", with_commas(bo.context)}})});

  ojson out = {{"ok", true}, {"mode", "inference"}, {"engine", engine_id(bo.engine)}, {"context", bo.context}};
  out["batch"] = bo.batch;
  if (m.n_ctx_max != 0) out["model_limit"] = m.n_ctx_max;
  return finish(std::move(out), g, cols, usable, cc, "max_context", true, std::move(left_out), notes);
}

// ---- training ----

// The recipes, most memory first within each family; every row sets the same keys, so picking one replaces
// the previous one.
std::vector<RowSpec> train_recipes() {
  const json base = {{"engine", "hf"}, {"lora_rank", 0u},      {"quant", "none"}, {"checkpointing", "none"},
                     {"loss", "full"}, {"optimizer", "adamw"}, {"zero", 0u},      {"offload", "none"}};
  auto with = [&](std::initializer_list<std::pair<const char*, json>> set) {
    json o = base;
    for (const auto& [k, v] : set) o[k] = v;
    return o;
  };
  return {
      {"full", txt("phrase.advise.recipe.full"), base},
      {"full+ckpt", txt("phrase.advise.recipe.full_ckpt"), with({{"checkpointing", "full"}})},
      {"full+ckpt+8bit-optim", txt("phrase.advise.recipe.full_ckpt_8bit"),
       with({{"checkpointing", "full"}, {"optimizer", "paged-adamw8bit"}})},
      {"lora", txt("phrase.advise.recipe.lora", {{"rank", 16}}), with({{"lora_rank", 16u}})},
      {"lora+ckpt", txt("phrase.advise.recipe.lora_ckpt", {{"rank", 16}}),
       with({{"lora_rank", 16u}, {"checkpointing", "full"}})},
      {"qlora", txt("phrase.advise.recipe.qlora", {{"rank", 16}}),
       with({{"lora_rank", 16u}, {"quant", "bnb-nf4"}, {"checkpointing", "full"}})},
      {"qlora+chunked-loss", txt("phrase.advise.recipe.qlora_chunked"),
       with({{"lora_rank", 16u}, {"quant", "bnb-nf4"}, {"checkpointing", "full"}, {"loss", "chunked"}})},
      {"qlora+chunked-loss+8bit-optim", txt("phrase.advise.recipe.qlora_chunked_8bit"),
       with({{"lora_rank", 16u},
             {"quant", "bnb-nf4"},
             {"checkpointing", "full"},
             {"loss", "chunked"},
             {"optimizer", "paged-adamw8bit"}})},
      {"zero2", txt("phrase.advise.recipe.zero2"),
       with({{"engine", "deepspeed"}, {"zero", 2u}, {"checkpointing", "full"}})},
      {"zero3", txt("phrase.advise.recipe.zero3"),
       with({{"engine", "deepspeed"}, {"zero", 3u}, {"checkpointing", "full"}})},
      {"zero3+offload", txt("phrase.advise.recipe.zero3_offload"),
       with({{"engine", "deepspeed"}, {"zero", 3u}, {"checkpointing", "full"}, {"offload", "optimizer"}})},
  };
}

bool same_recipe(const TrainOptions& a, const TrainOptions& b) {
  return a.engine == b.engine && a.lora_rank == b.lora_rank && a.quant == b.quant &&
         a.checkpointing == b.checkpointing && a.loss == b.loss && a.optimizer == b.optimizer && a.zero == b.zero &&
         a.offload == b.offload && a.precision == b.precision;
}

ojson advise_train(const RequestModel& in, const json& options, const Gpu& chosen, bool custom) {
  std::vector<Assumption> scratch;
  const OptionReader r(options, mode_train, scratch);
  const uint64_t tp = r.count("tp");
  const uint64_t count = r.count("gpus", tp);
  const ParamCount params = count_params(in.nc.model);
  ParsedTrain base = parse_train(in, params, options);  // the request as it is: its errors are the answer's
  if (count % tp != 0) throw Error(code::bad_request, "/options/gpus", txt("error.advise.gpus_multiple_of_tp"));
  const std::vector<Column> cols = make_columns(chosen, custom, count, tp);
  const size_t cc = chosen_index(cols);
  std::vector<uint64_t> usable;
  for (const Column& c : cols) usable.push_back(train_capacity(c.gpu));
  std::vector<json> col_opts;
  for (const Column& c : cols) col_opts.push_back(column_options(options, c, true));

  Grid g;
  ojson left_out = ojson::array();
  bool matched = false;
  auto solve_cell = [&](const json& opts, size_t k, Cell& cell, ParsedTrain* keep) {
    ParsedTrain p = parse_train(in, params, opts);
    const TrainSolve s = solve_train(p, usable[k]);
    cell.max = s.max_batch;
    cell.binding = s.binding;
    cell.total = s.total_at_one;
    cell.fits = s.max_batch >= p.o.batch;
    if (keep != nullptr) *keep = std::move(p);
  };
  for (const RowSpec& spec : train_recipes()) {
    std::vector<Cell> cells(cols.size());
    bool refused = false;
    for (size_t k = 0; k < cols.size() && !refused; ++k) {
      const size_t col = k == 0 ? cc : (k <= cc ? k - 1 : k);
      try {
        ParsedTrain p;
        solve_cell(merged(col_opts[col], spec.options), col, cells[col], col == cc ? &p : nullptr);
        if (col == cc && !matched && same_recipe(p.o, base.o)) matched = true, g.current_row = g.rows.size();
      } catch (const Error& e) {
        if (col == cc) {
          refused = true;
          left_out.push_back(ObjectBuilder(4)
                                 .add("id", spec.id)
                                 .add("code", e.code())
                                 .add("path", e.path())
                                 .add("message", std::string(e.what()))
                                 .add("text", e.text() ? text_json(*e.text()) : ojson())
                                 .done());
        }
        cells[col] = refused_cell(e);
      }
    }
    if (refused) continue;
    g.rows.push_back(spec);
    g.cells.push_back(std::move(cells));
    g.weight.push_back(0);
  }
  if (!matched) {
    std::vector<Cell> cells(cols.size());
    for (size_t k = 0; k < cols.size(); ++k) {
      try {
        solve_cell(col_opts[k], k, cells[k], nullptr);
      } catch (const Error& e) {
        if (k == cc) throw;
        cells[k] = refused_cell(e);
      }
    }
    g.rows.insert(g.rows.begin(), {"current", txt("phrase.advise.row.current"), json::object()});
    g.cells.insert(g.cells.begin(), std::move(cells));
    g.weight.insert(g.weight.begin(), 0);
    g.current_row = 0;
  }
  // Nearest orders recipes by their order here (weight: higher first = listed first).
  for (size_t i = 0; i < g.weight.size(); ++i) g.weight[i] = g.weight.size() - i;

  std::vector<Assumption>& notes = base.nc.assumptions;
  notes.push_back({"advise_cells", "/options/batch",
                   txt("assume.advise_cells.train", {{"seq", with_commas(base.o.seq)}, {"batch", base.o.batch}})});
  ojson out = {{"ok", true}, {"mode", "train"}, {"engine", engine_id(base.o.engine)}, {"seq", base.o.seq}};
  out["batch"] = base.o.batch;
  return finish(std::move(out), g, cols, usable, cc, "max_batch", false, std::move(left_out), notes);
}

}  // namespace

std::string op_advise(const json& req) {
  const json options = request_options(req);
  const std::string mode = request_mode(req);
  if (mode != "inference" && mode != "train") throw Error(code::bad_request, "/options/mode", txt("error.advise.mode"));
  const RequestModel in = read_request_model(req);
  std::vector<Assumption> scratch;
  const OptionReader r(options, mode == "train" ? mode_train : mode_inference, scratch);
  const std::optional<Gpu> chosen = request_gpu(r);
  if (!chosen) throw Error(code::bad_request, "/options/gpu", txt("error.advise.no_gpu"));
  const bool custom = r.given("gpu_memory");
  return dump_json(mode == "train" ? advise_train(in, options, *chosen, custom)
                                   : advise_inference(in, options, *chosen, custom));
}

}  // namespace gpumem
