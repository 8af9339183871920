// Helpers shared by the test files: fixtures on disk and calls through the JSON façade, so the tests
// exercise exactly what the CLI and the browser get.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "gpumem/api.hpp"
#include "gpumem/base/text.hpp"

namespace gpumem::test {

inline std::string read_text(const std::string& relative) {
  std::ifstream in(std::string(GPUMEM_TEST_DIR) + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open test file " + relative);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A JSON text ({"id", "args"}, as the façade writes assumptions, errors and formulas) back into a Text.
inline Text text_from_json(const nlohmann::json& j) {
  Text t;
  t.id = j.at("id").get<std::string>();
  for (const auto& [k, v] : j.at("args").items()) {
    if (v.is_object())
      t.phrases.emplace_back(k, text_from_json(v));
    else
      t.args.emplace_back(k, v.get<std::string>());
  }
  return t;
}

inline nlohmann::json read_json(const std::string& relative) { return nlohmann::json::parse(read_text(relative)); }

// truth.json names configs as "configs/x.json" or "../shared/fixtures/configs/x.json": use the file name.
inline std::string config_path(const std::string& truth_config) {
  return "fixtures/configs/" + truth_config.substr(truth_config.find_last_of('/') + 1);
}

inline nlohmann::json call(const std::string& op, const std::string& config_text,
                           const nlohmann::json& options = nlohmann::json::object()) {
  nlohmann::json req = {{"op", op}, {"config_text", config_text}, {"options", options}};
  // Invalid UTF-8 becomes U+FFFD, as it does in the CLI and in the browser's File.text().
  return nlohmann::json::parse(handle(req.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

// The bytes of the part `id` of an estimate's memory (a missing part fails the test that asks).
inline uint64_t part(const nlohmann::json& r, const std::string& id) {
  for (const auto& p : r["memory"]["parts"])
    if (p["id"] == id) return p["bytes"].get<uint64_t>();
  throw std::runtime_error("no part " + id + " in the estimate");
}

// Whether an estimate's assumptions include one with `code`.
inline bool has_assumption(const nlohmann::json& r, const std::string& code) {
  for (const auto& a : r["assumptions"])
    if (a["code"] == code) return true;
  return false;
}

}  // namespace gpumem::test
