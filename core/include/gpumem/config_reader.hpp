// Reads a Hugging Face config.json into a ModelSpec. Missing required keys are errors; documented
// fallbacks are recorded as assumptions. null counts as missing everywhere.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "gpumem/model.hpp"

namespace gpumem {

// Parses text as JSON; on failure throws Error{invalid_json} naming line and column.
nlohmann::json parse_json_text(const std::string& text);

NormalizedConfig read_config(const nlohmann::json& config);

}  // namespace gpumem
