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

// A context of `tokens` (or a training sequence) checked against the model's limit, ModelSpec::n_ctx_max.
// Learned positions have no row past it: bad_request at `path` naming the limit. Other positions (RoPE,
// relative, ALiBi) compute any position, though the model was not trained on it: the returned sentence
// says so (empty when within the limit or no limit is known); the caller adds what the engine does.
std::string context_over_limit(const ModelSpec& m, uint64_t tokens, const std::string& path);
// The same as a sentence (base/text.hpp); empty when within the limit.
Text context_over_limit_text(const ModelSpec& m, uint64_t tokens, const std::string& path);

}  // namespace gpumem
