#include "reader.hpp"

#include <cmath>

#include "gpumem/base/error.hpp"

namespace gpumem {

using nlohmann::json;

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
                k + " is " + std::to_string(v.get<int64_t>()) + ", but a size cannot be negative; fix the value.");
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || d < 0 || d != std::floor(d))
      throw Error(code::invalid_value, p, k + " is " + v.dump() + ", but it must be a whole, non-negative number.");
    if (d >= 18446744073709551616.0)
      throw Error(code::invalid_value, p, k + " is " + v.dump() + ", far beyond any real model; fix the value.");
    out = static_cast<uint64_t>(d);
  } else {
    throw Error(code::wrong_type, p,
                k + " must be a number, but it is " + type_name(v) + " (" + v.dump().substr(0, 40) +
                    "); write a plain number.");
  }
  if (out == 0 && !allow_zero)
    throw Error(code::invalid_value, p, k + " is 0, but it must be at least 1; fix the value.");
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
  std::string names;
  for (auto k : keys) names += (names.empty() ? "" : " or ") + std::string(k);
  throw Error(code::missing_key, path(*keys.begin()),
              "The config has no " + names + " (or it is null); it is required to count this model's parameters.");
}

std::optional<bool> Reader::opt_bool(std::initializer_list<std::string_view> keys) const {
  std::string_view key;
  const json* v = find(keys, &key);
  if (!v) return std::nullopt;
  if (!v->is_boolean())
    throw Error(code::wrong_type, path(key),
                std::string(key) + " must be true or false, but it is " + type_name(*v) + "; fix the value.");
  return v->get<bool>();
}

std::optional<double> Reader::opt_fraction(std::initializer_list<std::string_view> keys) const {
  std::string_view key;
  const json* v = find(keys, &key);
  if (!v) return std::nullopt;
  if (!v->is_number())
    throw Error(code::wrong_type, path(key),
                std::string(key) + " must be a number, but it is " + type_name(*v) + "; fix the value.");
  const double d = v->get<double>();
  if (!(d >= 0.0 && d <= 1.0))
    throw Error(code::invalid_value, path(key), std::string(key) + " must lie between 0 and 1; fix the value.");
  return d;
}

std::optional<std::string> Reader::opt_string(std::initializer_list<std::string_view> keys) const {
  std::string_view key;
  const json* v = find(keys, &key);
  if (!v) return std::nullopt;
  if (!v->is_string())
    throw Error(code::wrong_type, path(key),
                std::string(key) + " must be a string, but it is " + type_name(*v) + "; fix the value.");
  return v->get<std::string>();
}

std::optional<std::vector<uint64_t>> Reader::opt_size_list(std::string_view key) const {
  const json* v = find({key});
  if (!v) return std::nullopt;
  if (!v->is_array())
    throw Error(code::wrong_type, path(key),
                std::string(key) + " must be an array of layer indices, but it is " + type_name(*v) + ".");
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
                std::string(key) + " must be an array of strings, but it is " + type_name(*v) + ".");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      throw Error(
          code::wrong_type, path(key) + "/" + std::to_string(i),
          std::string(key) + " must hold strings, but item " + std::to_string(i) + " is " + type_name((*v)[i]) + ".");
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::optional<Reader> Reader::opt_object(std::string_view key) const {
  const json* v = find({key});
  if (!v) return std::nullopt;
  if (!v->is_object())
    throw Error(code::wrong_type, path(key), std::string(key) + " must be an object, but it is " + type_name(*v) + ".");
  return Reader(*v, path(key));
}

}  // namespace gpumem
