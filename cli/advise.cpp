// gpumem advise CONFIG.json --gpu NAME [estimate options] [--json]
// What would make the request fit: rows (weight formats, or training recipes) × columns (the GPU at 1, 2, 4, 8
// GPUs and larger cards), each cell the largest context (or batch) where the request fits, "—" where it does not.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace gpumem::cli {

using nlohmann::json;

namespace {

// Characters on screen: UTF-8 continuation bytes take no column ("—", "×").
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string pad(const std::string& s, size_t w, bool right) {
  const std::string fill(w > width(s) ? w - width(s) : 0, ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

int cmd_advise(const Args& a) {
  return config_command(a, [&](const json& r) {
    const bool train = r["mode"] == "train";
    const char* key = train ? "max_batch" : "max_context";
    std::vector<std::vector<std::string>> table;  // [0] the header
    std::vector<std::string> head = {train ? "recipe" : "weights"};
    for (const auto& c : r["columns"])
      head.push_back(c["gpu"].get<std::string>() + " ×" + std::to_string(c["gpus"].get<uint64_t>()) +
                     (c["chosen"].get<bool>() ? "*" : ""));
    table.push_back(head);
    const uint64_t cur_col = r["current"]["column"].get<uint64_t>();
    for (const auto& row : r["rows"]) {
      std::vector<std::string> line = {row["id"].get<std::string>() + (row["current"].get<bool>() ? " *" : "")};
      uint64_t k = 0;
      for (const auto& cell : row["cells"]) {
        std::string t = cell["fits"].get<bool>() ? std::to_string(cell[key].get<uint64_t>()) : "—";
        if (row["current"].get<bool>() && k == cur_col) t = "[" + t + "]";
        line.push_back(t);
        ++k;
      }
      table.push_back(line);
    }
    std::vector<size_t> w(head.size(), 0);
    for (const auto& line : table)
      for (size_t k = 0; k < line.size() && k < w.size(); ++k) w[k] = std::max(w[k], width(line[k]));
    std::cout << (train ? "Largest micro-batch per GPU (seq " + std::to_string(r["seq"].get<uint64_t>()) + ", batch " +
                              std::to_string(r["batch"].get<uint64_t>()) + " asked)"
                        : "Largest context (" + std::to_string(r["context"].get<uint64_t>()) + " tokens, batch " +
                              std::to_string(r["batch"].get<uint64_t>()) + " asked, engine " +
                              r["engine"].get<std::string>() + ")")
              << "; — does not fit, * the request:\n";
    for (const auto& line : table) {
      for (size_t k = 0; k < line.size(); ++k) std::cout << (k == 0 ? "" : "  ") << pad(line[k], w[k], k != 0);
      std::cout << "\n";
    }
    const auto& cur = r["current"];
    std::cout << "current: " << cur["row"].get<std::string>() << " on column " << cur["column"] << ": "
              << (cur["fits"].get<bool>() ? "fits" : "does not fit") << ", " << key << " " << cur[key] << "\n";
    for (const auto& n : r["nearest"])
      std::cout << "nearest: " << n["row"].get<std::string>() << " on " << n["gpus"] << " × "
                << n["gpu"].get<std::string>() << " (" << key << " " << n[key] << ")\n";
    for (const auto& x : r["assumptions"]) std::cout << "assumption: " << x["message"].get<std::string>() << "\n";
  });
}

}  // namespace gpumem::cli
