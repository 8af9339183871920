// gpumem CLI: argument parsing → the core's JSON façade → printing. No estimation logic lives here.
// Exit status: 0 success, 2 bad input or usage (with --json the error object is still printed on stdout).
#include <cctype>
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
  json request = {{"op", a.command}, {"config_text", text}, {"options", a.options}};
  if (a.options.contains("checkpoint")) {
    // --checkpoint a,b,c: the weights' headers, read as `gpumem inspect` reads them; the estimate then uses the
    // bytes they hold (the request's "checkpoint", as the page sends it).
    std::vector<std::string> paths;
    std::string list = a.options["checkpoint"].get<std::string>();
    for (size_t at = 0; at <= list.size();) {
      const size_t comma = std::min(list.find(',', at), list.size());
      if (comma > at) paths.push_back(list.substr(at, comma - at));
      at = comma + 1;
    }
    request["options"].erase("checkpoint");
    json inv;
    std::string inv_raw;
    if (int rc = inspect_files(a, paths, nullptr, inv, inv_raw)) return rc;
    if (!inv.contains("checkpoint"))
      return fail(a.as_json, "bad_request",
                  "The files hold no tensor headers (an index alone, or a shard missing); give every weights file.");
    request["checkpoint"] = inv["checkpoint"];
  }
  return call_facade(a, request, result, raw);
}

int config_command(const Args& a, const std::function<void(const json&)>& print) {
  json r;
  std::string raw;
  if (int rc = call_with_config(a, r, raw)) return rc;
  if (a.as_json)
    std::cout << raw << "\n";
  else
    print(r);
  return 0;
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
    "       gpumem estimate CONFIG.json [OPTIONS] [--json]   (--mode inference (default), train or weights)\n"
    "       gpumem fit CONFIG.json [OPTIONS] [--gpu NAME] [--json]   (fits-on table; with --gpu the largest context\n"
    "           or batch (--solve), for --mode train the largest batch per GPU)\n"
    "       gpumem sweep CONFIG.json [OPTIONS] [--json]   (memory against context, or sequence length for --mode "
    "train)\n"
    "       gpumem launch CONFIG.json [OPTIONS] [--model-id ID] [--model-file F] [--json]   (the vllm serve /\n"
    "           llama-server command or the transformers / TRL script for the same setup; with --gpu and no\n"
    "           --context, vLLM's --max-model-len is the largest context that fits)\n"
    "       gpumem advise CONFIG.json --gpu NAME [OPTIONS] [--json]   (what would make it fit: the engine's weight\n"
    "           formats, or training recipes, × the GPU at 1, 2, 4, 8 GPUs and larger cards; each cell the largest\n"
    "           context, or batch for --mode train, and — where the request does not fit)\n"
    "       gpumem speed CONFIG.json --gpu NAME [--gpus N] [--batch B] [--prompt P] [--output N] [OPTIONS] [--json]\n"
    "           (time to first token and tokens per second, per sequence and in aggregate, with the range the\n"
    "           calibration gives; --table: on every GPU too; --mode train: the step time and tokens/s at --mfu)\n"
    "       gpumem options [--json]   (every option: type, values or range, default, tier, help)\n"
    "       gpumem gpus [--json]\n"
    "       gpumem convert VALUE [--from fp32|fp16|bf16|e4m3|e5m2] [--round rne|trunc] [--e4m3-overflow nan|saturate]"
    " [--json]\n"
    "           VALUE: a decimal (3.14, -1e-8, inf, nan) or 0x and the hex bits of --from (default fp32)\n"
    "       gpumem convert --to fp16|bf16|e4m3|e5m2|fp32 [--round rne|trunc] [--e4m3-overflow nan|saturate] -\n"
    "           batch: one decimal or 0x + 8 hex digits (fp32 bits) per line on stdin, one 0x line out per input\n"
    "       gpumem inspect FILE... [--config CONFIG.json] [--json]\n"
    "           FILE: .safetensors shards, model.safetensors.index.json, .gguf; only their headers are read\n"
    "       estimate, fit, sweep, launch, advise: --checkpoint FILE[,FILE...] uses the weights' bytes those\n"
    "           headers hold where the engine loads them as stored (the result's assumptions say which)\n";

// Options of the commands that are not estimates (convert, inspect): the estimate options come from the
// core's option schema.
struct ValueOption {
  std::string_view flag;
  const char* key;
};
constexpr ValueOption kOtherOptions[] = {
    {"--config", "config"},
    {"--to", "to"},
    {"--from", "from"},
    {"--round", "round"},
    {"--e4m3-overflow", "e4m3_overflow"},
    {"--checkpoint", "checkpoint"},
};

// The option schema, from the façade ({"op": "options"}).
const json& schema() {
  static const json s = json::parse(gpumem::handle(R"({"op":"options"})"));
  return s;
}

// "--engine hf|vllm|llamacpp", "--batch N", "--double-quant" …
std::string usage_of(const json& row) {
  std::ostringstream out;
  out << row["flag"].get<std::string>();
  if (row["cli"] != "value") return out.str();
  const std::string type = row["type"];
  if (type == "enum") {
    const char* sep = " ";
    for (const auto& x : row["values"]) out << sep << x.get<std::string>(), sep = "|";
  } else {
    out << (type == "boolean"   ? " true|false"
            : type == "integer" ? " N"
            : type == "number"  ? " X"
            : type == "version" ? " VERSION"
                                : " TEXT");
  }
  return out.str();
}

std::string default_of(const json& row) {
  const json& d = row["default"];
  std::ostringstream out;
  if (d.is_null())
    out << "from the " << row["default_from"].get<std::string>();
  else
    out << (d.is_string() ? d.get<std::string>() : d.dump());
  return out.str();
}

// The estimate options, by mode and tier, generated from the schema.
std::string options_help() {
  std::ostringstream out;
  out << "\nOPTIONS (from the option schema; `gpumem options --json` has every field):\n";
  for (const char* mode : {"inference", "train", "weights"}) {
    out << "  --mode " << mode << ":\n";
    for (const char* tier : {"basic", "expert", "reproduction"}) {
      bool heading = false;
      for (const auto& row : schema()["options"]) {
        bool in_mode = false;
        for (const auto& m : row["modes"]) in_mode = in_mode || m == mode;
        if (!in_mode || row["tier"] != tier || (row["name"] == "mode")) continue;
        if (!heading) out << "    " << tier << ":\n", heading = true;
        out << "      " << usage_of(row) << "\n        " << row["help"].get<std::string>()
            << " Default: " << default_of(row) << ".";
        // "Engine: hf." / "Quant: gptq-4bit, awq-4bit." (applies_when, the schema's condition).
        if (row["applies_when"].is_object()) {
          for (const auto& [key, values] : row["applies_when"].items()) {
            std::string label = key;
            label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
            const char* sep = ": ";
            out << " " << label;
            for (const auto& x : values) out << sep << x.get<std::string>(), sep = ", ";
            out << ".";
          }
        }
        out << "\n";
      }
    }
  }
  out << "  Profiles (--profile NAME sets the reproduction options at once; options given beside it win):\n";
  for (const auto& p : schema()["profiles"])
    out << "    " << p["name"].get<std::string>() << ": " << p["help"].get<std::string>() << "\n";
  return out.str();
}

int cmd_options(const Args& a) {
  const json& s = schema();
  if (a.as_json) {
    std::cout << s.dump() << "\n";
    return 0;
  }
  std::cout << options_help();
  return 0;
}

struct Command {
  std::string_view name;
  int (*fn)(const Args&);
};
constexpr Command kCommands[] = {
    {"params", cmd_model},  {"estimate", cmd_model},  {"convert", cmd_convert}, {"inspect", cmd_inspect},
    {"fit", cmd_inference}, {"sweep", cmd_inference}, {"gpus", cmd_gpus},       {"options", cmd_options},
    {"launch", cmd_launch}, {"advise", cmd_advise},   {"speed", cmd_speed},
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
      std::cout << kUsage << options_help();
      return 0;
    }
    bool matched = false;
    for (const auto& o : kOtherOptions) {
      if (s != o.flag) continue;
      if (i + 1 >= args.size()) return fail(a.as_json, "bad_request", s + " needs a value.");
      a.options[o.key] = args[++i];
      matched = true;
    }
    for (const auto& row : schema()["options"]) {
      if (matched || row["flag"] != s) continue;
      const std::string key = row["name"];
      if (row["cli"] == "sets_true" || row["cli"] == "sets_false") {
        a.options[key] = row["cli"] == "sets_true";
      } else {
        if (i + 1 >= args.size()) return fail(a.as_json, "bad_request", s + " needs a value.");
        a.options[key] = args[++i];
      }
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
