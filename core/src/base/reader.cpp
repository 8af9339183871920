#include "reader.hpp"

#include <cmath>

#include "gpumem/base/error.hpp"

namespace gpumem {

using nlohmann::json;

Text type_phrase(const json& v) {
  if (v.is_number_float()) return txt("phrase.type.fraction");
  if (v.is_number()) return txt("phrase.type.number");
  if (v.is_string()) return txt("phrase.type.string");
  if (v.is_boolean()) return txt("phrase.type.boolean");
  if (v.is_array()) return txt("phrase.type.array");
  if (v.is_object()) return txt("phrase.type.object");
  return txt("phrase.type.null");
}

std::string type_name(const json& v) {
  if (v.is_number_float()) return "a fractional number";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

const json* Reader::find(std::initializer_list<std::string_view> keys, std::string_view* used) const {
  for (auto k : keys) {
    auto it = obj_.find(std::string(k));
    if (it != obj_.end() && !it->is_null()) {
      if (used) *used = k;
      return &*it;
    }
  }
  return nullptr;
}

uint64_t Reader::size_value(const json& v, const std::string& k, bool allow_zero) const {
  const std::string p = path(k);
  uint64_t out = 0;
  if (v.is_number_unsigned()) {
    out = v.get<uint64_t>();
  } else if (v.is_number_integer()) {
    throw Error(code::invalid_value, p,
                txt("error.config.size_negative", {{"key", k}, {"value", std::to_string(v.get<int64_t>())}}));
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || d < 0 || d != std::floor(d))
      throw Error(code::invalid_value, p, txt("error.config.size_not_whole", {{"key", k}, {"value", v.dump()}}));
    if (d >= 18446744073709551616.0)
      throw Error(code::invalid_value, p, txt("error.config.size_too_large", {{"key", k}, {"value", v.dump()}}));
    out = static_cast<uint64_t>(d);
  } else {
    throw Error(
        code::wrong_type, p,
        txt("error.config.size_not_number", {{"key", k}, {"type", type_phrase(v)}, {"value", v.dump().substr(0, 40)}}));
  }
  if (out == 0 && !allow_zero) throw Error(code::invalid_value, p, txt("error.config.size_zero", {{"key", k}}));
  return out;
}

std::optional<uint64_t> Reader::opt_size(std::initializer_list<std::string_view> keys, bool allow_zero) const {
  std::string_view key;
  const json* v = find(keys, &key);
  if (!v) return std::nullopt;
  return size_value(*v, std::string(key), allow_zero);
}

uint64_t Reader::req_size(std::initializer_list<std::string_view> keys) const {
  if (auto v = opt_size(keys)) return *v;
  std::vector<std::string> names;
  for (auto k : keys) names.emplace_back(k);
  throw Error(code::missing_key, path(*keys.begin()),
              txt("error.config.missing_required", {{"keys", text_list("list.or_each", names)}}));
}

std::optional<bool> Reader::opt_bool(std::initializer_list<std::string_view> keys) const {
  std::string_view key;
  const json* v = find(keys, &key);
  if (!v) return std::nullopt;
  if (!v->is_boolean())
    throw Error(code::wrong_type, path(key),
                txt("error.config.not_boolean", {{"key", key}, {"type", type_phrase(*v)}}));
  return v->get<bool>();
}

std::optional<double> Reader::opt_fraction(std::initializer_list<std::string_view> keys) const {
  std::string_view key;
  const json* v = find(keys, &key);
  if (!v) return std::nullopt;
  if (!v->is_number())
    throw Error(code::wrong_type, path(key),
                txt("error.config.fraction_not_number", {{"key", key}, {"type", type_phrase(*v)}}));
  const double d = v->get<double>();
  if (!(d >= 0.0 && d <= 1.0))
    throw Error(code::invalid_value, path(key), txt("error.config.fraction_range", {{"key", key}}));
  return d;
}

std::optional<std::string> Reader::opt_string(std::initializer_list<std::string_view> keys) const {
  std::string_view key;
  const json* v = find(keys, &key);
  if (!v) return std::nullopt;
  if (!v->is_string())
    throw Error(code::wrong_type, path(key), txt("error.config.not_string", {{"key", key}, {"type", type_phrase(*v)}}));
  return v->get<std::string>();
}

std::optional<std::vector<uint64_t>> Reader::opt_size_list(std::string_view key) const {
  const json* v = find({key});
  if (!v) return std::nullopt;
  if (!v->is_array())
    throw Error(code::wrong_type, path(key),
                txt("error.config.not_index_list", {{"key", key}, {"type", type_phrase(*v)}}));
  std::vector<uint64_t> out;
  for (std::size_t i = 0; i < v->size(); ++i)
    out.push_back(Reader(*v, path(key)).size_value((*v)[i], std::to_string(i), true));
  return out;
}

std::optional<std::vector<std::string>> Reader::opt_string_list(std::string_view key) const {
  const json* v = find({key});
  if (!v) return std::nullopt;
  if (!v->is_array())
    throw Error(code::wrong_type, path(key),
                txt("error.config.not_string_list", {{"key", key}, {"type", type_phrase(*v)}}));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      throw Error(code::wrong_type, path(key) + "/" + std::to_string(i),
                  txt("error.config.string_list_item", {{"key", key}, {"index", i}, {"type", type_phrase((*v)[i])}}));
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::optional<Reader> Reader::opt_object(std::string_view key) const {
  const json* v = find({key});
  if (!v) return std::nullopt;
  if (!v->is_object())
    throw Error(code::wrong_type, path(key), txt("error.config.not_object", {{"key", key}, {"type", type_phrase(*v)}}));
  return Reader(*v, path(key));
}

}  // namespace gpumem
