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

bool is_gguf(QuantMethod q) {
  switch (q) {
    case QuantMethod::none:
    case QuantMethod::bnb_int8:
    case QuantMethod::bnb_nf4:
    case QuantMethod::bnb_fp4:
    case QuantMethod::gptq:
    case QuantMethod::awq:
    case QuantMethod::fp8:
    case QuantMethod::mxfp4:
    case QuantMethod::nvfp4:
      return false;
    default:
      return true;
  }
}

SupportAnswer refused(std::string note, std::string source) {
  return {Support::refused, "", std::move(note), std::move(source)};
}

}  // namespace

SupportAnswer weight_support(Engine e, QuantMethod q) {
  switch (e) {
    case Engine::hf:
      if (is_gguf(q))
        return {Support::converts, "none",
                "transformers dequantizes a GGUF checkpoint on load (to fp32, then the load dtype): its weights take "
                "the load dtype's bytes, not the GGUF type's; run the GGUF in llama.cpp to keep it quantized.",
                "transformers docs gguf.md; integrations/ggml.py load_gguf_checkpoint"};
      if (q == QuantMethod::nvfp4)
        return {Support::converts, "none",
                "transformers has no NVFP4 kernel: compressed-tensors decompresses an NVFP4 checkpoint to the load "
                "dtype on load; vLLM runs it as NVFP4.",
                "transformers quantizers/quantizer_compressed_tensors.py (run_compressed only for int/fp8 formats)"};
      return {};
    case Engine::vllm:
      return {};
    case Engine::llamacpp:
      if (q == QuantMethod::none || is_gguf(q)) return {};
      if (q == QuantMethod::mxfp4)
        return {Support::converts, "gguf-mxfp4_moe",
                "llama.cpp runs the GGUF conversion: convert_hf_to_gguf.py keeps gpt-oss's MXFP4 experts (and stores "
                "the other tensors as Q8_0), the gguf-mxfp4_moe type.",
                "llama.cpp convert_hf_to_gguf.py GptOssModel; llama-quant.cpp LLAMA_FTYPE_MOSTLY_MXFP4_MOE"};
      return refused(
          "llama.cpp runs GGUF files only: choose the GGUF type you run (gguf-q4_k_m, gguf-q8_0, …) or "
          "none for F16/BF16, or --engine hf or vllm for " +
              quant_id(q) + ".",
          "llama.cpp src/llama-model-loader.cpp (GGUF), convert_hf_to_gguf.py");
    case Engine::deepspeed:
      break;
  }
  return refused("Inference engines are hf, vllm and llamacpp.", "");
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
      return refused(
          "transformers' caches hold the model's dtype or, as QuantizedCache, int2/int4/int8 (quanto, "
          "HQQ): choose auto or int8, or --engine vllm for fp8 and --engine llamacpp for " +
              std::string(kv == "fp8" ? "q8_0/q4_0" : kv) + ".",
          "transformers cache_utils.py QuantizedCache");
    case Engine::vllm:
      if (plain || kv == "fp8") return {};
      return refused("vLLM's --kv-cache-dtype is auto, fp8, fp8_e4m3 or fp8_e5m2: choose auto or fp8.",
                     "vllm config/cache.py CacheDType");
    case Engine::llamacpp:
      if (plain || kv == "q8_0" || kv == "q4_0") return {};
      return refused(
          "llama.cpp's cache types are f32, f16, bf16, q8_0, q4_0 (and q4_1, iq4_nl, q5_0, q5_1): choose "
          "q8_0 for 8 bits.",
          "llama.cpp common/arg.cpp kv_cache_types");
    case Engine::deepspeed:
      break;
  }
  return refused("Inference engines are hf, vllm and llamacpp.", "");
}

}  // namespace gpumem
