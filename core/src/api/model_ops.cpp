// The model operations: "params" (parameter count and weights per dtype) and "estimate" (memory).
#include "facade.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/model/config_reader.hpp"
#include "options.hpp"

namespace gpumem {

NormalizedConfig request_model(const json& req) { return read_request_config(req).nc; }

ojson op_params(const json& req) {
  NormalizedConfig nc = request_model(req);
  ParamCount params = count_params(nc.model);
  return {{"ok", true},
          {"model", model_json(nc.model)},
          {"params", params_json(params)},
          {"weights_by_dtype", weights_by_dtype(params)},
          {"assumptions", assumptions_json(nc.assumptions)}};
}

std::string request_mode(const json& req) {
  std::vector<Assumption> none;
  const std::string mode = OptionReader(request_options(req), mode_weights, none).choice("mode");
  return mode.empty() ? "inference" : mode;
}

ojson op_estimate(const json& req) {
  const std::string mode = request_mode(req);
  if (mode == "train") return op_estimate_train(req);
  if (mode == "inference") return op_estimate_inference(req);
  NormalizedConfig nc = request_model(req);
  ParamCount params = count_params(nc.model);
  const json options = request_options(req);
  const OptionReader r(options, mode_weights, nc.assumptions);
  std::string dtype_id = r.choice("dtype");
  if (dtype_id.empty() || dtype_id == "auto") {
    dtype_id = dtype_from_torch(nc.model.torch_dtype);
    if (dtype_id.empty()) {
      // No torch_dtype: what transformers loads (inference_ops.cpp, default_load_dtype).
      dtype_id = default_load_dtype(Engine::hf, false);
      nc.assumptions.push_back({"dtype_default_engine", "/options/dtype", load_dtype_note(Engine::hf, dtype_id)});
    } else {
      nc.assumptions.push_back(
          {"dtype_from_config", "/torch_dtype",
           txt("assume.dtype_from_config", {{"torch_dtype", nc.model.torch_dtype}, {"dtype", dtype_id}})});
    }
  }
  const auto dtype = find_dtype(dtype_id);
  return {{"ok", true},
          {"model", model_json(nc.model)},
          {"params", params_json(params)},
          {"dtype", dtype->id},
          {"memory", memory_json(estimate_weights(params, *dtype))},
          {"assumptions", assumptions_json(nc.assumptions)}};
}

}  // namespace gpumem
