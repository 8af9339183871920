// gpumem params CONFIG.json [--json]
// gpumem estimate CONFIG.json [--dtype fp32|fp16|bf16|int8|int4] [--json]
#include <iostream>

#include "cli.hpp"

namespace gpumem::cli {

using nlohmann::json;

namespace {

void print_human(const std::string& command, const json& r) {
  const json& m = r["model"];
  std::cout << "model_type " << m["model_type"].get<std::string>() << " (layout " << m["family"].get<std::string>()
            << "): " << m["n_layer"] << " layers, hidden " << m["n_embd"] << ", heads " << m["n_head"] << " (KV "
            << m["n_head_kv"] << ", head_dim " << m["n_embd_head"] << "), MLP " << m["n_ff"] << ", vocab "
            << m["n_vocab"] << "\n";
  const json& params = r["params"];
  std::cout << "parameters " << params["total_h"].get<std::string>() << " (" << params["short"].get<std::string>()
            << ")\n";
  if (params.contains("active"))
    std::cout << "active per token " << params["active_h"].get<std::string>() << " ("
              << params["active_short"].get<std::string>() << ")\n";
  if (params.contains("mtp"))
    std::cout << "multi-token prediction (not in the total) " << params["mtp"]["total_h"].get<std::string>() << "\n";
  for (auto& [id, n] : params["groups"].items())
    if (n.get<uint64_t>() != 0) std::cout << "  " << id << " " << n << "\n";
  if (params["layers"].size() > 1)
    for (const auto& k : params["layer_kinds"])
      std::cout << "  " << k["count"] << " layers " << k["kind"].get<std::string>() << ", "
                << k["params_h"].get<std::string>() << " each: " << k["layers"].get<std::string>() << "\n";
  if (command == "params") {
    for (const auto& w : r["weights_by_dtype"])
      std::cout << "weights " << w["dtype"].get<std::string>() << " " << w["bytes"]
                << " bytes = " << w["gib_h"].get<std::string>() << "\n";
  } else {
    for (const auto& p : r["memory"]["parts"])
      std::cout << p["id"].get<std::string>() << ": " << p["formula"].get<std::string>() << "\n";
    std::cout << "total " << r["memory"]["total_bytes"] << " bytes = " << r["memory"]["gib_h"].get<std::string>()
              << "\n";
    print_vllm_report(r);
    print_llamacpp_report(r);
    if (r.contains("training")) {
      const json& t = r["training"];
      std::cout << "(safe total: every part at once, " << r["memory"]["measurement"].get<std::string>() << ")\n"
                << "typical peak " << r["memory"]["typical_peak_bytes"]
                << " bytes = " << r["memory"]["typical_peak_gib_h"].get<std::string>() << ": "
                << r["memory"]["typical_peak_formula"].get<std::string>() << "\n"
                << "recipe: " << t["recipe"].get<std::string>() << "\n";
      if (!t["bytes_per_param"].get<std::string>().empty())
        std::cout << "model states: " << t["bytes_per_param"].get<std::string>() << "\n";
      if (r["memory"]["cpu_bytes"].get<uint64_t>() != 0)
        std::cout << "CPU RAM for offloaded states " << r["memory"]["cpu_bytes"] << " bytes\n";
    }
  }
  for (const auto& a : r["assumptions"]) std::cout << "assumption: " << a["message"].get<std::string>() << "\n";
}

}  // namespace

int cmd_model(const Args& a) {
  return config_command(a, [&](const json& r) { print_human(a.command, r); });
}

}  // namespace gpumem::cli
