// The GPU catalogue. Memory is the vendor's marketed size, which for GDDR and HBM parts is a power-of-two
// size in binary units (the RTX 4090's "24 GB GDDR6X" is 24 GiB of chips; nvidia-smi reports 24564 MiB
// total, 12 MiB less, reserved by the driver). Sources: each vendor's product page / datasheet as named.
// Apple unified memory: a Metal process may use recommendedMaxWorkingSetSize, about 75% of RAM on
// machines with 64 GB or more (Apple Developer forums; llama.cpp ggml-metal logs print it).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "gpumem/memory/inference.hpp"

namespace gpumem {

namespace {
constexpr uint64_t GiB = 1ULL << 30;
Gpu g(const char* name, const char* vendor, const char* kind, uint64_t gib_size, const char* source,
      double usable = 1.0, uint64_t reported_mib = 0) {
  return {name, vendor, kind, gib_size * GiB, usable, source, reported_mib << 20};
}
}  // namespace

const std::vector<Gpu>& gpu_catalogue() {
  static const std::vector<Gpu> kGpus = {
      // NVIDIA GeForce (nvidia.com/en-us/geforce/graphics-cards specifications)
      g("RTX 3060", "NVIDIA", "consumer", 12, "nvidia.com GeForce RTX 3060 specs: 12 GB GDDR6"),
      g("RTX 3060 Ti", "NVIDIA", "consumer", 8, "nvidia.com GeForce RTX 3060 Ti specs: 8 GB GDDR6"),
      g("RTX 3070", "NVIDIA", "consumer", 8, "nvidia.com GeForce RTX 3070 specs: 8 GB GDDR6"),
      g("RTX 3080", "NVIDIA", "consumer", 10, "nvidia.com GeForce RTX 3080 specs: 10 GB GDDR6X"),
      g("RTX 3080 Ti", "NVIDIA", "consumer", 12, "nvidia.com GeForce RTX 3080 Ti specs: 12 GB GDDR6X"),
      g("RTX 3090", "NVIDIA", "consumer", 24, "nvidia.com GeForce RTX 3090 specs: 24 GB GDDR6X"),
      g("RTX 3090 Ti", "NVIDIA", "consumer", 24, "nvidia.com GeForce RTX 3090 Ti specs: 24 GB GDDR6X"),
      g("RTX 4060", "NVIDIA", "consumer", 8, "nvidia.com GeForce RTX 4060 specs: 8 GB GDDR6"),
      g("RTX 4060 Ti 16GB", "NVIDIA", "consumer", 16, "nvidia.com GeForce RTX 4060 Ti specs: 16 GB GDDR6"),
      g("RTX 4070", "NVIDIA", "consumer", 12, "nvidia.com GeForce RTX 4070 specs: 12 GB GDDR6X"),
      g("RTX 4070 Ti Super", "NVIDIA", "consumer", 16, "nvidia.com GeForce RTX 4070 Ti SUPER specs: 16 GB GDDR6X"),
      g("RTX 4080", "NVIDIA", "consumer", 16, "nvidia.com GeForce RTX 4080 specs: 16 GB GDDR6X"),
      g("RTX 4090", "NVIDIA", "consumer", 24, "nvidia.com GeForce RTX 4090 specs: 24 GB GDDR6X (nvidia-smi: 24564 MiB)",
        1.0, 24564),
      g("RTX 5070", "NVIDIA", "consumer", 12, "nvidia.com GeForce RTX 5070 specs: 12 GB GDDR7"),
      g("RTX 5080", "NVIDIA", "consumer", 16, "nvidia.com GeForce RTX 5080 specs: 16 GB GDDR7"),
      g("RTX 5090", "NVIDIA", "consumer", 32, "nvidia.com GeForce RTX 5090 specs: 32 GB GDDR7"),
      // AMD Radeon (amd.com product specifications)
      g("RX 7600", "AMD", "consumer", 8, "amd.com Radeon RX 7600 specs: 8 GB GDDR6"),
      g("RX 7800 XT", "AMD", "consumer", 16, "amd.com Radeon RX 7800 XT specs: 16 GB GDDR6"),
      g("RX 7900 XT", "AMD", "consumer", 20, "amd.com Radeon RX 7900 XT specs: 20 GB GDDR6"),
      g("RX 7900 XTX", "AMD", "consumer", 24, "amd.com Radeon RX 7900 XTX specs: 24 GB GDDR6"),
      g("RX 9070 XT", "AMD", "consumer", 16, "amd.com Radeon RX 9070 XT specs: 16 GB GDDR6"),
      // Intel Arc (intel.com ark)
      g("Arc A770 16GB", "Intel", "consumer", 16, "intel.com ark Arc A770: 16 GB GDDR6"),
      g("Arc B580", "Intel", "consumer", 12, "intel.com ark Arc B580: 12 GB GDDR6"),
      // Workstation
      g("RTX A4000", "NVIDIA", "workstation", 16, "nvidia.com RTX A4000 datasheet: 16 GB GDDR6 ECC"),
      g("RTX A5000", "NVIDIA", "workstation", 24, "nvidia.com RTX A5000 datasheet: 24 GB GDDR6 ECC"),
      g("TITAN RTX", "NVIDIA", "workstation", 24,
        "nvidia.com TITAN RTX specs: 24 GB GDDR6 (nvidia-smi: 24219 MiB, lambdal/lambda-tensorflow-benchmark PR #11)",
        1.0, 24219),
      g("RTX A6000", "NVIDIA", "workstation", 48, "nvidia.com RTX A6000 datasheet: 48 GB GDDR6 ECC"),
      g("RTX 6000 Ada", "NVIDIA", "workstation", 48, "nvidia.com RTX 6000 Ada datasheet: 48 GB GDDR6 ECC"),
      g("RTX PRO 6000 Blackwell", "NVIDIA", "workstation", 96, "nvidia.com RTX PRO 6000 Blackwell: 96 GB GDDR7 ECC"),
      g("Radeon PRO W7900", "AMD", "workstation", 48, "amd.com Radeon PRO W7900 specs: 48 GB GDDR6"),
      // Datacenter
      g("T4", "NVIDIA", "datacenter", 16, "nvidia.com Tesla T4 datasheet: 16 GB GDDR6 (nvidia-smi: 15360 MiB)", 1.0,
        15360),
      g("V100 16GB", "NVIDIA", "datacenter", 16, "nvidia.com V100 datasheet: 16 GB HBM2 (nvidia-smi: 16160 MiB)", 1.0,
        16160),
      g("V100 32GB", "NVIDIA", "datacenter", 32, "nvidia.com V100 datasheet: 32 GB HBM2"),
      g("A10", "NVIDIA", "datacenter", 24, "nvidia.com A10 datasheet: 24 GB GDDR6"),
      g("A10G", "NVIDIA", "datacenter", 24, "AWS G5 instances: A10G 24 GB GDDR6"),
      g("L4", "NVIDIA", "datacenter", 24, "nvidia.com L4 datasheet: 24 GB GDDR6"),
      g("L40S", "NVIDIA", "datacenter", 48, "nvidia.com L40S datasheet: 48 GB GDDR6 ECC"),
      g("A100 40GB", "NVIDIA", "datacenter", 40, "nvidia.com A100 datasheet: 40 GB HBM2 (nvidia-smi: 40960 MiB)"),
      g("A100 80GB", "NVIDIA", "datacenter", 80, "nvidia.com A100 datasheet: 80 GB HBM2e (nvidia-smi: 81920 MiB)"),
      g("H100 80GB", "NVIDIA", "datacenter", 80, "nvidia.com H100 datasheet: 80 GB HBM3 (nvidia-smi: 81559 MiB)"),
      g("H100 NVL", "NVIDIA", "datacenter", 94, "nvidia.com H100 NVL datasheet: 94 GB HBM3"),
      g("H200", "NVIDIA", "datacenter", 141, "nvidia.com H200 datasheet: 141 GB HBM3e"),
      g("B200", "NVIDIA", "datacenter", 180, "nvidia.com DGX B200 datasheet: 1440 GB over 8 GPUs = 180 GB HBM3e"),
      g("MI250X", "AMD", "datacenter", 128, "amd.com Instinct MI250X specs: 128 GB HBM2e"),
      g("MI300X", "AMD", "datacenter", 192, "amd.com Instinct MI300X specs: 192 GB HBM3"),
      g("MI325X", "AMD", "datacenter", 256, "amd.com Instinct MI325X specs: 256 GB HBM3E"),
      // Apple unified memory (apple.com tech specs), usable by Metal ≈ 75%
      g("Apple M4 Pro 48GB", "Apple", "unified", 48, "apple.com Mac mini (M4 Pro) tech specs: 48 GB unified memory",
        0.75),
      g("Apple M3 Max 128GB", "Apple", "unified", 128, "apple.com MacBook Pro (M3 Max) tech specs: 128 GB", 0.75),
      g("Apple M4 Max 128GB", "Apple", "unified", 128, "apple.com MacBook Pro (M4 Max) tech specs: 128 GB", 0.75),
      g("Apple M2 Ultra 192GB", "Apple", "unified", 192, "apple.com Mac Studio (M2 Ultra) tech specs: 192 GB", 0.75),
      g("Apple M3 Ultra 512GB", "Apple", "unified", 512, "apple.com Mac Studio (M3 Ultra) tech specs: 512 GB", 0.75),
  };
  return kGpus;
}

const Gpu* find_gpu(const std::string& name) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  const std::string want = lower(name);
  for (const auto& gpu : gpu_catalogue())
    if (lower(gpu.name) == want) return &gpu;
  return nullptr;
}

uint64_t gpu_total_bytes(const Gpu& g) {
  return static_cast<uint64_t>(std::floor(static_cast<double>(g.reported != 0 ? g.reported : g.bytes) * g.usable));
}

bool parse_memory_size(const std::string& text, uint64_t& bytes) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0 || i > 20) return false;
  char* end = nullptr;
  const std::string number = text.substr(0, i);
  const double x = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !(x > 0)) return false;
  std::string unit;
  for (size_t k = i; k < text.size(); ++k)
    if (text[k] != ' ') unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[k])));
  double scale = 0;
  if (unit.empty() || unit == "b")
    scale = 1;
  else if (unit == "kib")
    scale = 1024.0;
  else if (unit == "mib")
    scale = 1048576.0;
  else if (unit == "gib")
    scale = 1073741824.0;
  else if (unit == "tib")
    scale = 1099511627776.0;
  else if (unit == "kb")
    scale = 1e3;
  else if (unit == "mb")
    scale = 1e6;
  else if (unit == "gb")
    scale = 1e9;
  else if (unit == "tb")
    scale = 1e12;
  else
    return false;
  const double b = std::floor(x * scale);
  if (!(b >= 1 && b < 1e18)) return false;
  bytes = static_cast<uint64_t>(b);
  return true;
}

}  // namespace gpumem
