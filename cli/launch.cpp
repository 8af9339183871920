// gpumem launch CONFIG.json [OPTIONS] [--model-id ID] [--model-file F] [--json]
// Prints the command (vLLM, llama-server) or Python script (transformers, TRL/PEFT) the core writes for the
// request; with --json the whole result. The assumptions go to stderr, so stdout is the command alone.
#include <iostream>

#include "cli.hpp"

namespace gpumem::cli {

using nlohmann::json;

int cmd_launch(const Args& a) {
  return config_command(a, [&](const json& r) {
    std::cout << r["text"].get<std::string>();
    if (r["language"] == "shell") std::cout << "\n";
    for (const auto& f : r["files"])
      std::cout << "\n# ---- " << f["name"].get<std::string>() << " ----\n" << f["text"].get<std::string>();
    if (r["language"] != "shell") std::cerr << "run: " << r["command"].get<std::string>() << "\n";
    for (const auto& x : r["assumptions"]) std::cerr << "assumption: " << x["message"].get<std::string>() << "\n";
  });
}

}  // namespace gpumem::cli
