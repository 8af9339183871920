// gpumem inspect FILE... [--config CONFIG.json] [--json]; the estimate commands' --checkpoint FILE[,FILE…]
// Reads only the headers of checkpoint files (.safetensors, .gguf, model.safetensors.index.json): each
// file's first 64 KiB is handed to the façade, which answers with the inventory or with how many bytes
// of which file it needs instead — the same protocol the page uses with File.slice.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "gpumem/api.hpp"

namespace gpumem::cli {

using nlohmann::json;

namespace {

constexpr uint64_t kFirstRead = 64 * 1024;

bool read_head(const std::string& path, uint64_t n, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(n, '\0');
  in.read(out.data(), static_cast<std::streamsize>(n));
  out.resize(static_cast<size_t>(in.gcount()));
  return true;
}

void print_human(const json& r) {
  std::cout << r["tensors"] << " tensors, " << r["params_h"].get<std::string>() << " parameters ("
            << r["params_short"].get<std::string>() << "), " << r["bytes"]
            << " bytes of tensor data = " << r["gib_h"].get<std::string>() << " ("
            << r["bytes_source"].get<std::string>() << ")\n";
  for (auto& [dtype, t] : r["by_dtype"].items())
    std::cout << "  " << dtype << ": " << t["params"] << " params, " << t["bytes"] << " bytes\n";
  for (auto& [group, t] : r["groups"].items())
    std::cout << "  group " << group << ": " << t["params"] << " params, " << t["bytes"] << " bytes\n";
  for (const auto& f : r["files"])
    std::cout << "file " << f["name"].get<std::string>() << " (" << f["format"].get<std::string>() << "): header "
              << f["header_bytes"] << " of " << f["size"] << " bytes read\n";
  if (r.contains("comparison")) std::cout << r["comparison"]["message"].get<std::string>() << "\n";
  for (const auto& n : r["notes"]) std::cout << "note: " << n.get<std::string>() << "\n";
}

}  // namespace

int inspect_files(const Args& a, const std::vector<std::string>& paths, const std::string* config_text, json& r,
                  std::string& raw) {
  std::vector<uint64_t> sizes, lengths;
  for (const auto& p : paths) {
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(p, ec);
    if (ec) return fail(a.as_json, "io_error", "Cannot read " + p + "; check the path.");
    sizes.push_back(size);
    lengths.push_back(std::min(size, kFirstRead));
  }
  json request = {{"op", "inspect"}, {"files", json::array()}};
  if (config_text) request["config_text"] = *config_text;
  for (int round = 0; round < 64; ++round) {
    std::string attachment;
    request["files"] = json::array();
    for (size_t i = 0; i < paths.size(); ++i) {
      std::string head;
      if (!read_head(paths[i], lengths[i], head) || head.size() != lengths[i])
        return fail(a.as_json, "io_error", "Cannot read " + paths[i] + "; check the path.");
      request["files"].push_back({{"name", paths[i]}, {"size", sizes[i]}, {"length", head.size()}});
      attachment += head;
    }
    raw = gpumem::handle(request.dump(-1, ' ', false, json::error_handler_t::replace), attachment);
    r = json::parse(raw);
    if (r["ok"].get<bool>() && !r["complete"].get<bool>()) {
      const uint64_t file = r["need"]["file"].get<uint64_t>();
      lengths.at(file) = r["need"]["bytes"].get<uint64_t>();
      continue;
    }
    return check_result(a, raw, r);
  }
  return fail(a.as_json, "internal_error", "The header could not be read in 64 rounds; please report it.");
}

int cmd_inspect(const Args& a) {
  if (a.positional.empty()) return fail(a.as_json, "bad_request", "Give one or more checkpoint files.");
  std::string text;
  if (a.options.contains("config")) {
    const std::string path = a.options["config"].get<std::string>();
    if (!read_file(path, text)) return fail(a.as_json, "io_error", "Cannot read " + path + "; check the path.");
  }
  json r;
  std::string raw;
  if (int rc = inspect_files(a, a.positional, a.options.contains("config") ? &text : nullptr, r, raw)) return rc;
  if (a.as_json)
    std::cout << raw << "\n";
  else
    print_human(r);
  return 0;
}

}  // namespace gpumem::cli
