// gpumem CLI: argument parsing → the core's JSON façade → printing. No estimation logic lives here.
// Exit status: 0 success, 2 bad input or usage (with --json the error object is still printed on stdout).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

#include "cli.hpp"
#include "gpumem/api.hpp"

namespace gpumem::cli {

using nlohmann::json;

int fail(bool as_json, const std::string& code, const std::string& message) {
  if (as_json) {
    json err = {{"ok", false}, {"error", {{"code", code}, {"path", ""}, {"message", message}}}};
    std::cout << err.dump() << "\n";
  } else {
    std::cerr << "gpumem: " << message << "\n";
  }
  return 2;
}

int call_facade(const Args& a, const json& request, json& result, std::string& raw) {
  raw = gpumem::handle(request.dump(-1, ' ', false, json::error_handler_t::replace));
  return check_result(a, raw, result);
}

int call_with_config(const Args& a, json& result, std::string& raw) {
  if (a.positional.size() != 1) return fail(a.as_json, "bad_request", "Give exactly one CONFIG.json file.");
  std::string text;
  if (!read_file(a.positional[0], text))
    return fail(a.as_json, "io_error", "Cannot read " + a.positional[0] + "; check the path.");
  return call_facade(a, {{"op", a.command}, {"config_text", text}, {"options", a.options}}, result, raw);
}

int check_result(const Args& a, const std::string& raw, json& result) {
  result = json::parse(raw);
  if (result["ok"].get<bool>()) return 0;
  if (a.as_json) {
    std::cout << raw << "\n";
  } else {
    const json& e = result["error"];
    const std::string path = e["path"].get<std::string>();
    std::cerr << "gpumem: " << e["code"].get<std::string>() << (path.empty() ? "" : " (at " + path + ")") << ": "
              << e["message"].get<std::string>() << "\n";
  }
  return 2;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

namespace {

constexpr const char* kUsage =
    "usage: gpumem params CONFIG.json [--json]\n"
    "       gpumem estimate CONFIG.json [--json] [--mode inference|weights] [--engine hf|vllm|llamacpp]\n"
    "           [--dtype fp32|fp16|bf16] [--quant none|bnb-int8|bnb-nf4|bnb-fp4|gptq-4bit|awq-4bit|fp8|mxfp4|nvfp4|\n"
    "           gguf-q4_0|gguf-q4_k_m|gguf-q5_k_m|gguf-q6_k|gguf-q8_0] [--double-quant] [--group-size N]\n"
    "           [--kv-dtype auto|fp16|bf16|fp8|q8_0|q4_0] [--batch N] [--context N] [--prompt N] [--beams N]\n"
    "           [--tp N] [--pp N] [--gpus N] (gpus = tp × pp; --gpus alone: tp = gpus) [--offload-layers N]\n"
    "           [--attn-implementation sdpa|eager] [--no-flash-attn] [--gpu-memory-utilization F]\n"
    "           [--transformers VERSION] (hf: how that release allocated during generate, e.g. 4.40)\n"
    "           [--device-map auto|balanced|balanced_low_0|sequential --gpu NAME [--gpus N] [--max-memory-mib N]]\n"
    "           (--mode weights: --dtype fp32|fp16|bf16|int8|int4, weights only)\n"
    "       gpumem fit CONFIG.json [estimate options] [--gpu NAME] [--solve context|batch] [--json]\n"
    "       gpumem sweep CONFIG.json [estimate options] [--points N] [--max-context N] [--json]\n"
    "       gpumem gpus [--json]\n"
    "       gpumem convert VALUE [--from fp32|fp16|bf16|e4m3|e5m2] [--round rne|trunc] [--e4m3-overflow nan|saturate]"
    " [--json]\n"
    "           VALUE: a decimal (3.14, -1e-8, inf, nan) or 0x and the hex bits of --from (default fp32)\n"
    "       gpumem convert --to fp16|bf16|e4m3|e5m2|fp32 [--round rne|trunc] [--e4m3-overflow nan|saturate] -\n"
    "           batch: one decimal or 0x + 8 hex digits (fp32 bits) per line on stdin, one 0x line out per input\n"
    "       gpumem estimate CONFIG.json --mode train [--engine hf|deepspeed] [--precision "
    "fp32|amp-fp16|amp-bf16|bf16]\n"
    "           [--optimizer adamw|adamw8bit|paged-adamw8bit|sgd|sgd-momentum|adafactor|lion|adam-mini|none] "
    "[--lora-rank "
    "R]\n"
    "           [--lora-targets q_proj,v_proj|all-linear] [--lora-dropout P] [--quant none|bnb-int8|bnb-nf4|bnb-fp4] "
    "[--batch N] [--seq "
    "N] [--grad-accum N]\n"
    "           [--checkpointing none|selective|full] [--attention eager|sdpa|flash] [--zero 0|1|2|3] [--gpus N]\n"
    "           [--tp N] [--sequence-parallel] [--loss full|chunked|sum]  (gpus = tp × data-parallel ranks)\n"
    "           [--keep-outputs] (a bare loop holds the previous step's outputs) [--transformers VERSION]\n"
    "           [--offload none|optimizer|params] [--measure nvidia-smi|allocated] [--cuda-context-mib N] "
    "[--legacy-autograd]\n"
    "           [--double-quant] [--prepare-kbit true|false] (QLoRA: unquantized parameters upcast to fp32)\n"
    "           [--bitsandbytes VERSION] (before 0.43.2 quantized linears keep their inputs) [--json]\n"
    "       gpumem inspect FILE... [--config CONFIG.json] [--json]\n"
    "           FILE: .safetensors shards, model.safetensors.index.json, .gguf; only their headers are read\n";

struct Command {
  std::string_view name;
  int (*fn)(const Args&);
};
constexpr Command kCommands[] = {
    {"params", cmd_model},  {"estimate", cmd_model},  {"convert", cmd_convert}, {"inspect", cmd_inspect},
    {"fit", cmd_inference}, {"sweep", cmd_inference}, {"gpus", cmd_gpus},
};

// Options that take a value, and the request option each one sets.
struct ValueOption {
  std::string_view flag;
  const char* key;
};
constexpr ValueOption kValueOptions[] = {
    {"--dtype", "dtype"},
    {"--config", "config"},
    {"--to", "to"},
    {"--from", "from"},
    {"--round", "round"},
    {"--e4m3-overflow", "e4m3_overflow"},
    {"--mode", "mode"},
    {"--engine", "engine"},
    {"--precision", "precision"},
    {"--optimizer", "optimizer"},
    {"--lora-rank", "lora_rank"},
    {"--lora-targets", "lora_targets"},
    {"--seq", "seq"},
    {"--grad-accum", "grad_accum"},
    {"--checkpointing", "checkpointing"},
    {"--attention", "attention"},
    {"--zero", "zero"},
    {"--offload", "offload"},
    {"--loss", "loss"},
    {"--measure", "measure"},
    {"--cuda-context-mib", "cuda_context_mib"},
    {"--quant", "quant"},
    {"--group-size", "group_size"},
    {"--kv-dtype", "kv_dtype"},
    {"--batch", "batch"},
    {"--context", "context"},
    {"--prompt", "prompt"},
    {"--beams", "beams"},
    {"--tp", "tp"},
    {"--pp", "pp"},
    {"--gpus", "gpus"},
    {"--gpu", "gpu"},
    {"--solve", "solve"},
    {"--offload-layers", "offload_layers"},
    {"--attn-implementation", "attn_implementation"},
    {"--transformers", "transformers"},
    {"--device-map", "device_map"},
    {"--max-memory-mib", "max_memory_mib"},
    {"--gpu-memory-utilization", "gpu_memory_utilization"},
    {"--points", "points"},
    {"--max-context", "max_context"},
    {"--count-context", "count_context"},
    {"--lazy-loading", "lazy_loading"},
    {"--prepare-kbit", "prepare_kbit"},
    {"--bitsandbytes", "bitsandbytes"},
    {"--lora-dropout", "lora_dropout"},
};

// Flags without a value, and the boolean request option each one sets.
struct FlagOption {
  std::string_view flag;
  const char* key;
  bool value;
};
constexpr FlagOption kFlagOptions[] = {
    {"--double-quant", "double_quant", true},       {"--no-flash-attn", "flash_attn", false},
    {"--legacy-autograd", "legacy_autograd", true}, {"--sequence-parallel", "sequence_parallel", true},
    {"--keep-outputs", "keep_outputs", true},
};

}  // namespace

}  // namespace gpumem::cli

int main(int argc, char** argv) {
  using namespace gpumem::cli;
  Args a;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& s : args)
    if (s == "--json") a.as_json = true;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    if (s == "--json") continue;
    if (s == "--help" || s == "-h") {
      std::cout << kUsage;
      return 0;
    }
    bool matched = false;
    for (const auto& o : kValueOptions) {
      if (s != o.flag) continue;
      if (i + 1 >= args.size()) return fail(a.as_json, "bad_request", s + " needs a value.");
      a.options[o.key] = args[++i];
      matched = true;
    }
    for (const auto& f : kFlagOptions) {
      if (s != f.flag) continue;
      a.options[f.key] = f.value;
      matched = true;
    }
    if (matched) continue;
    if (s.size() > 1 && s[0] == '-' && s[1] == '-')
      return fail(a.as_json, "bad_request", "Unknown option " + s + "; run gpumem --help.");
    if (a.command.empty())
      a.command = s;
    else
      a.positional.push_back(s);
  }
  for (const auto& c : kCommands)
    if (c.name == a.command) return c.fn(a);
  if (!a.as_json) std::cerr << kUsage;
  return fail(a.as_json, "bad_request", "Unknown or missing command \"" + a.command + "\"; run gpumem --help.");
}
