// gpumem fit CONFIG.json [estimate options] [--gpu NAME --solve context|batch] [--json]
// gpumem sweep CONFIG.json [estimate options] [--points N --max-context N] [--json]
// gpumem gpus [--json]
#include <cstdio>
#include <iostream>

#include "cli.hpp"

namespace gpumem::cli {

using nlohmann::json;

void print_vllm_report(const json& r) {
  if (!r.contains("engine_report") || !r["engine_report"].contains("kv_cache_tokens")) return;
  const json& v = r["engine_report"];
  auto gib = [](const json& bytes) {
    char s[40];
    std::snprintf(s, sizeof s, "%.2f GiB", bytes.get<double>() / 1073741824.0);
    return std::string(s);
  };
  std::cout << "vLLM " << v["release"].get<std::string>() << " on " << v["gpu"].get<std::string>()
            << ": requests gpu_memory_utilization " << v["gpu_memory_utilization"] << " x " << gib(v["total_bytes"])
            << " = " << gib(v["requested_bytes"]) << "\n";
  for (const auto& line : v["log"]) std::cout << "  " << line.get<std::string>() << "\n";
  std::cout << "  largest --max-model-len: ";
  if (v["max_model_len"].get<uint64_t>() == 0)
    std::cout << "not bounded by the cache\n";
  else
    std::cout << v["max_model_len"] << " tokens\n";
}

void print_llamacpp_report(const json& r) {
  if (!r.contains("engine_report") || !r["engine_report"].contains("flags")) return;
  const json& e = r["engine_report"];
  for (const auto& line : e["log"]) std::cout << "llama.cpp " << line.get<std::string>() << "\n";
  if (e["fit"]["ran"].get<bool>())
    for (const auto& line : e["fit"]["log"]) std::cout << "llama.cpp fit: " << line.get<std::string>() << "\n";
  std::cout << "llama-server flags: " << e["flags"].get<std::string>() << "\n";
}

int cmd_gpus(const Args& a) {
  json r;
  std::string raw;
  if (int rc = call_facade(a, {{"op", "gpus"}, {"options", a.options}}, r, raw)) return rc;
  if (a.as_json) {
    std::cout << raw << "\n";
    return 0;
  }
  for (const auto& g : r["gpus"])
    std::cout << g["name"].get<std::string>() << " (" << g["vendor"].get<std::string>() << ", "
              << g["kind"].get<std::string>() << "): " << g["gib_h"].get<std::string>() << "\n";
  return 0;
}

int cmd_inference(const Args& a) {
  return config_command(a, [&](const json& r) {
    if (a.command == "sweep") {
      for (const auto& p : r["points"])
        std::cout << (p.contains("seq") ? p["seq"] : p["context"]) << " tokens: " << p["gib"] << " GiB\n";
    } else {
      for (const auto& row : r["table"])
        std::cout << row["gpu"].get<std::string>() << ": " << (row["fits"].get<bool>() ? "fits" : "does not fit")
                  << ", GPUs needed " << row["gpus_needed"] << "\n";
      if (r.contains("max_context"))
        std::cout << "max context on " << r["gpu"].get<std::string>() << ": " << r["max_context"]
                  << " (binding: " << r["binding"].get<std::string>() << ")\n";
      if (r.contains("max_batch"))
        std::cout << "max batch on " << r["gpu"].get<std::string>() << ": " << r["max_batch"]
                  << " (binding: " << r["binding"].get<std::string>() << ")\n";
      print_vllm_report(r);
      print_llamacpp_report(r);
    }
    for (const auto& x : r["assumptions"]) std::cout << "assumption: " << x["message"].get<std::string>() << "\n";
  });
}

}  // namespace gpumem::cli
