#include "gpumem/memory/runtime.hpp"

namespace gpumem {

uint64_t hf_context_bytes(bool lazy_loading) { return (lazy_loading ? 500 : 1343) * (uint64_t{1} << 20); }

const char* engine_id(Engine e) {
  switch (e) {
    case Engine::hf:
      return "hf";
    case Engine::vllm:
      return "vllm";
    case Engine::llamacpp:
      return "llamacpp";
    case Engine::deepspeed:
      return "deepspeed";
  }
  return "";
}

}  // namespace gpumem
