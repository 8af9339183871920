// gpumem speed CONFIG.json --gpu NAME [--gpus N] [--batch B] [--prompt P] [--output N] [OPTIONS] [--json]
// Time to first token and tokens per second from the core's speed op (memory/speed.hpp); --mode train gives the
// step time at --mfu. With --json the whole result.
#include <cstdio>
#include <iostream>
#include <string>

#include "cli.hpp"

namespace gpumem::cli {

using nlohmann::json;

namespace {

std::string num(const json& x) {
  if (x.is_null()) return "-";
  char s[40];
  const double v = x.get<double>();
  std::snprintf(s, sizeof s, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : v >= 1 ? "%.2f" : "%.3g", v);
  return s;
}

}  // namespace

int cmd_speed(const Args& a) {
  return config_command(a, [&](const json& r) {
    const json& s = r["speed"];
    if (r["mode"] == "train") {
      std::cout << "train on " << s["gpus"] << " x " << s["gpu"].get<std::string>() << ": step " << num(s["step_s"])
                << " s (" << num(s["range"]["step_s"][0]) << "-" << num(s["range"]["step_s"][1]) << "), "
                << num(s["tokens_per_s"]) << " tokens/s at MFU " << num(s["mfu"])
                << ", bound: " << s["bound"].get<std::string>() << "\n";
      if (!s["time_s"].is_null()) std::cout << "time for the tokens: " << num(s["time_s"]) << " s\n";
    } else {
      const json& d = s["decode"];
      std::cout << s["engine"].get<std::string>() << " (" << s["backend"].get<std::string>() << ") on " << s["gpus"]
                << " x " << s["gpu"].get<std::string>() << ", batch " << s["batch"] << ", prompt " << s["prompt"]
                << ", output " << s["output"] << "\n";
      if (!s["prefill"].is_null())
        std::cout << "prefill: " << num(s["prefill"]["tokens_per_s"]) << " tokens/s, time to first token "
                  << num(s["ttft_s"]) << " s (" << num(s["range"]["ttft_s"][0]) << "-" << num(s["range"]["ttft_s"][1])
                  << "), bound: " << s["prefill"]["bound"].get<std::string>() << "\n";
      std::cout << "decode: " << num(d["tokens_per_s"]) << " tokens/s per sequence ("
                << num(s["range"]["decode_tokens_per_s"][0]) << "-" << num(s["range"]["decode_tokens_per_s"][1])
                << "), " << num(d["aggregate_tokens_per_s"])
                << " in aggregate, bound: " << d["bound"].get<std::string>() << "\n";
      if (!s["total_s"].is_null()) std::cout << "total: " << num(s["total_s"]) << " s\n";
      std::cout << "largest batch in memory: " << s["max_batch"] << "\n";
      if (s.contains("table")) {  // --table: every catalogue GPU, where the fits-on table puts the model
        std::cout << "tokens/s per sequence on every GPU (GPUs, range, time to first token):\n";
        for (const auto& row : s["table"]) {
          std::cout << "  " << row["gpu"].get<std::string>() << ": ";
          if (row["tokens_per_s"].is_null()) {
            std::cout << (row["gpus"] == 0 ? "does not fit on 64" : "no speed figures") << "\n";
            continue;
          }
          std::cout << num(row["tokens_per_s"]) << " on " << row["gpus"] << " (" << num(row["tokens_per_s_range"][0])
                    << "-" << num(row["tokens_per_s_range"][1]) << "), " << num(row["ttft_s"]) << " s\n";
        }
      }
    }
    for (const auto& t : s["terms"])
      std::cout << "  " << t["id"].get<std::string>() << ": " << t["formula"].get<std::string>() << "\n";
    for (const auto& x : r["assumptions"]) std::cout << "assumption: " << x["message"].get<std::string>() << "\n";
  });
}

}  // namespace gpumem::cli
