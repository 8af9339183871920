// llama.cpp in the inference operations: its own options, its automatic fit and its engine_report
// (memory/llamacpp.hpp has the model; docs/ESTIMATION.md "llama.cpp").
#pragma once

#include <vector>

#include "facade.hpp"
#include "gpumem/memory/llamacpp.hpp"

namespace gpumem {

// Engine llamacpp: reads -ub, -b, -ngl, --n-cpu-moe and --fit's settings into o.llamacpp, and gives a request
// without a context llama-server's own (the trained context), saying so among `notes`.
void read_llamacpp_options(const OptionReader& r, const ModelSpec& m, InferenceOptions& o,
                           std::vector<Assumption>& notes);

// llama_params_fit on the request's GPU (o.device_total; nothing without one, or with --fit false): o takes its
// answer, and a note says what it chose.
LlamaCppFit apply_llamacpp_fit(const LlamaCppPlan& plan, InferenceOptions& o, std::vector<Assumption>& notes);

// "engine_report" for --engine llamacpp: {"n_ctx", "n_gpu_layers", "n_cpu_moe", "n_ubatch", "flash_attn", "flags",
// "buffers": {"model", "kv", "compute", "host"} (bytes by buffer type as llama.cpp's log names them), "log",
// "fit"}.
ojson llamacpp_report_json(const ModelSpec& m, const InferenceOptions& o, const LlamaCppBuffers& b,
                           const LlamaCppFit& fit);

}  // namespace gpumem
