// The engine × format table (support.hpp). Followed releases: transformers 4.57 / 5.x (quantizers in
// src/transformers/quantizers/, GGUF in integrations/ggml.py: "dequantized to fp32", then cast to the load
// dtype; QuantizedCache in cache_utils.py: quanto int2/int4 and HQQ up to 8 bits, no fp8), vLLM 0.11
// (vllm/model_executor/layers/quantization/__init__.py QUANTIZATION_METHODS: bitsandbytes 4- and 8-bit, gptq,
// awq, fp8, mxfp4, modelopt_fp4, gguf; config/cache.py CacheDType: auto, fp8, fp8_e4m3, fp8_e5m2) and llama.cpp
// (reads GGUF only, convert_hf_to_gguf.py converts checkpoints; common/arg.cpp kv_cache_types: f32, f16,
// bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1).
#include "gpumem/memory/support.hpp"

namespace gpumem {

namespace {

SupportAnswer answer(Support s, std::string runs_as, Text text, std::string source) {
  std::string note = render(text);
  return {s, std::move(runs_as), std::move(note), std::move(text), std::move(source)};
}

SupportAnswer refused(Text text, std::string source) {
  return answer(Support::refused, "", std::move(text), std::move(source));
}

}  // namespace

SupportAnswer weight_support(Engine e, QuantMethod q) {
  switch (e) {
    case Engine::hf:
      if (is_gguf(q))
        return answer(Support::converts, "none", txt("support.hf.gguf_dequantized"),
                      "transformers docs gguf.md; integrations/ggml.py load_gguf_checkpoint");
      if (q == QuantMethod::nvfp4)
        return answer(
            Support::converts, "none", txt("support.hf.nvfp4_decompressed"),
            "transformers quantizers/quantizer_compressed_tensors.py (run_compressed only for int/fp8 formats)");
      return {};
    case Engine::vllm:
      return {};
    case Engine::llamacpp:
      if (q == QuantMethod::none || is_gguf(q)) return {};
      if (q == QuantMethod::mxfp4)
        return answer(Support::converts, "gguf-mxfp4_moe", txt("support.llamacpp.mxfp4_converted"),
                      "llama.cpp convert_hf_to_gguf.py GptOssModel; llama-quant.cpp LLAMA_FTYPE_MOSTLY_MXFP4_MOE");
      return refused(txt("support.llamacpp.gguf_only", {{"quant", quant_id(q)}}),
                     "llama.cpp src/llama-model-loader.cpp (GGUF), convert_hf_to_gguf.py");
    case Engine::deepspeed:
      break;
  }
  return refused(txt("support.engines"), "");
}

const std::vector<std::string>& kv_ids() {
  static const std::vector<std::string> ids = {"fp32", "fp16", "bf16", "fp8", "int8", "q8_0", "q4_0"};
  return ids;
}

SupportAnswer kv_support(Engine e, const std::string& kv) {
  const bool plain = kv == "fp32" || kv == "fp16" || kv == "bf16";
  switch (e) {
    case Engine::hf:
      if (plain || kv == "int8") return {};
      return refused(txt("support.hf.kv_refused", {{"kv", kv == "fp8" ? "q8_0/q4_0" : kv}}),
                     "transformers cache_utils.py QuantizedCache");
    case Engine::vllm:
      if (plain || kv == "fp8") return {};
      return refused(txt("support.vllm.kv_refused"), "vllm config/cache.py CacheDType");
    case Engine::llamacpp:
      if (plain || kv == "q8_0" || kv == "q4_0") return {};
      return refused(txt("support.llamacpp.kv_refused"), "llama.cpp common/arg.cpp kv_cache_types");
    case Engine::deepspeed:
      break;
  }
  return refused(txt("support.engines"), "");
}

}  // namespace gpumem
