#include "gpumem/base/format.hpp"

#include <cstdio>

namespace gpumem {

std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  int lead = static_cast<int>(digits.size() % 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (static_cast<int>(i) - lead) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

namespace {
std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
}  // namespace

std::string short_count(uint64_t n) {
  const double v = static_cast<double>(n);
  if (n >= 1000000000000ULL) return fixed(v / 1e12, 2) + " T";
  if (n >= 1000000000ULL) return fixed(v / 1e9, 2) + " B";
  if (n >= 1000000ULL) return fixed(v / 1e6, 2) + " M";
  if (n >= 1000ULL) return fixed(v / 1e3, 2) + " K";
  return std::to_string(n);
}

std::string format_g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

double to_gib(uint64_t bytes) { return static_cast<double>(bytes) / 1073741824.0; }

std::string gib(uint64_t bytes) { return fixed(to_gib(bytes), 4) + " GiB"; }

std::string gb(uint64_t bytes) { return fixed(static_cast<double>(bytes) / 1e9, 4) + " GB"; }

}  // namespace gpumem
