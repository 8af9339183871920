// Internal to the core: reading keys of a config.json object. null counts as missing everywhere, and
// every failure names its key by JSON pointer (RFC 6901), so "/text_config/hidden_size" points into a
// multimodal config's text tower.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpumem/base/text.hpp"

namespace gpumem {

std::string type_name(const nlohmann::json& v);   // "a number", "a string", … for messages
Text type_phrase(const nlohmann::json& v);        // the same as a phrase of a message (base/text.hpp)
std::string pointer_token(std::string_view key);  // escapes ~ and / for a JSON pointer

class Reader {
 public:
  Reader(const nlohmann::json& obj, std::string base) : obj_(obj), base_(std::move(base)) {}

  const std::string& base() const { return base_; }
  std::string path(std::string_view key) const { return base_ + "/" + pointer_token(key); }

  // The first of `keys` present with a non-null value; `used` receives its name.
  const nlohmann::json* find(std::initializer_list<std::string_view> keys, std::string_view* used = nullptr) const;
  bool has(std::string_view key) const { return find({key}) != nullptr; }

  // A size: a whole number >= 1 (>= 0 with allow_zero). Integral floats such as 4096.0 are accepted.
  std::optional<uint64_t> opt_size(std::initializer_list<std::string_view> keys, bool allow_zero = false) const;
  // The size, or missing_key naming the first of `keys`.
  uint64_t req_size(std::initializer_list<std::string_view> keys) const;
  std::optional<bool> opt_bool(std::initializer_list<std::string_view> keys) const;
  // A number in [0, 1] (rotary_pct, partial_rotary_factor).
  std::optional<double> opt_fraction(std::initializer_list<std::string_view> keys) const;
  std::optional<std::string> opt_string(std::initializer_list<std::string_view> keys) const;
  // An array of whole numbers >= 0 (layer indices), or nullopt when absent.
  std::optional<std::vector<uint64_t>> opt_size_list(std::string_view key) const;
  // An array of strings (layer_types), or nullopt when absent.
  std::optional<std::vector<std::string>> opt_string_list(std::string_view key) const;
  // A nested object (text_config, attn_config) as a Reader whose paths start at its pointer.
  std::optional<Reader> opt_object(std::string_view key) const;

 private:
  uint64_t size_value(const nlohmann::json& v, const std::string& key, bool allow_zero) const;

  const nlohmann::json& obj_;
  std::string base_;
};

}  // namespace gpumem
