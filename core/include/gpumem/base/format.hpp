// Number formatting shared by the CLI and the page (through the façade), so both print the same text.
#pragma once

#include <cstdint>
#include <string>

namespace gpumem {

std::string with_commas(uint64_t n);  // 6738415616 -> "6,738,415,616"
std::string short_count(uint64_t n);  // 6738415616 -> "6.74 B"
std::string gib(uint64_t bytes);      // 13476831232 -> "12.5513 GiB" (GiB = 2^30 bytes)
std::string gb(uint64_t bytes);       // 13476831232 -> "13.4768 GB" (GB = 10^9 bytes)
double to_gib(uint64_t bytes);
// A factor as an ostream writes it by default (printf %g, 6 significant digits): 8 -> "8", 1.5 -> "1.5",
// 0.3333333 -> "0.333333". printf instead of a stream keeps the iostream locale machinery (~19 KB gzip) out of the
// page's first module.
std::string format_g(double v);

}  // namespace gpumem
