// Reads a Hugging Face config.json into a ModelSpec. Missing required keys are errors; documented
// fallbacks are recorded as assumptions. null counts as missing everywhere.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gpumem/model/model.hpp"

namespace gpumem {

// The largest config text accepted (16 MiB); real config.json files are under 100 KB.
inline constexpr uint64_t kMaxConfigBytes = 16ull << 20;

// Parses text as JSON; on failure throws Error{invalid_json} naming line and column. With `notes`, the
// bare constants Infinity, -Infinity and NaN that Python's json module writes are accepted as null, and a
// note saying so is appended (Hugging Face configs are written by Python).
nlohmann::json parse_json_text(const std::string& text, std::vector<Assumption>* notes = nullptr);

NormalizedConfig read_config(const nlohmann::json& config);

}  // namespace gpumem
