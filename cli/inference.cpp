// gpumem fit CONFIG.json [estimate options] [--gpu NAME --solve context|batch] [--json]
// gpumem sweep CONFIG.json [estimate options] [--points N --max-context N] [--json]
// gpumem gpus [--json]
#include <iostream>

#include "cli.hpp"

namespace gpumem::cli {

using nlohmann::json;

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
  json r;
  std::string raw;
  if (int rc = call_with_config(a, r, raw)) return rc;
  if (a.as_json) {
    std::cout << raw << "\n";
    return 0;
  }
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
  }
  for (const auto& x : r["assumptions"]) std::cout << "assumption: " << x["message"].get<std::string>() << "\n";
  return 0;
}

}  // namespace gpumem::cli
