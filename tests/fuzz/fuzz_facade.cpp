// libFuzzer target over the whole façade: config parsing + params, estimate, checkpoint headers
// (inspect) and the converter. The first input byte picks the operation; the rest is the file.
// Checked on every input, besides the sanitizers' own checks: the answer is JSON, exactly one of
// ok/error, memory parts sum to the total, and no byte count is NaN or negative (NaN would be
// serialised as null).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "gpumem/api.hpp"

using nlohmann::json;

namespace {

void require(bool ok, const char* what, const std::string& out) {
  if (ok) return;
  std::fprintf(stderr, "property violated: %s\n%s\n", what, out.substr(0, 2000).c_str());
  std::abort();
}

void check_bytes(const json& j, const std::string& out) {
  require(j.is_number_unsigned(), "a byte count is not a non-negative integer", out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t op = data[0] % 4;
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  static const char* kDtypes[] = {"fp32", "fp16", "bf16", "int8", "int4"};
  std::string out;
  if (op == 0 || op == 1) {
    json req = {{"op", op == 0 ? "params" : "estimate"}, {"config_text", body}};
    if (op == 1) req["options"] = {{"dtype", kDtypes[body.size() % 5]}};
    out = gpumem::handle(req.dump(-1, ' ', false, json::error_handler_t::replace));
  } else if (op == 2) {
    // The file is either whole (size = the bytes given) or claims to be larger (a head of a big file).
    const uint64_t claimed = body.size() + (body.size() % 3 == 0 ? 0 : (uint64_t{1} << (body.size() % 40)));
    json req = {{"op", "inspect"}, {"files", {{{"name", "fuzz.bin"}, {"size", claimed}, {"length", body.size()}}}}};
    out = gpumem::handle(req.dump(), body);
  } else {
    json req = {{"op", "convert"}, {"value", body.substr(0, 64)}};
    out = gpumem::handle(req.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  json r = json::parse(out, nullptr, false);
  require(!r.is_discarded() && r.is_object(), "the answer is not a JSON object", out);
  require(r.contains("ok") && r["ok"].is_boolean(), "no ok flag", out);
  require(r["ok"].get<bool>() != r.contains("error"), "ok and error together (or neither)", out);
  if (!r["ok"].get<bool>()) {
    require(r["error"]["code"].is_string() && !r["error"]["code"].get<std::string>().empty(), "error without code",
            out);
    return 0;
  }
  if (r.contains("memory")) {
    uint64_t sum = 0;
    for (const auto& p : r["memory"]["parts"]) {
      check_bytes(p["bytes"], out);
      sum += p["bytes"].get<uint64_t>();
    }
    check_bytes(r["memory"]["total_bytes"], out);
    require(sum == r["memory"]["total_bytes"].get<uint64_t>(), "parts do not sum to the total", out);
  }
  if (r.contains("params") && r["params"].is_object()) check_bytes(r["params"]["total"], out);
  if (op == 2 && r.contains("bytes")) check_bytes(r["bytes"], out);
  return 0;
}
