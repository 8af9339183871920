// The GPU catalogue: each card's marketed memory (the vendor's page) and the total its runtime reports,
// which is what a process can fill: torch.cuda.mem_get_info's total (cudaMemGetInfo; vLLM logs it as
// total_gpu_memory, PyTorch's OOM message as "total capacity"), rocminfo's VRAM pool on ROCm, Metal's
// recommendedMaxWorkingSetSize on Apple. The driver keeps part of the chips back: the RTX 4090's "24 GB" is
// 24 GiB of GDDR6X, nvidia-smi shows 24,564 MiB and torch 23.58 GiB; ECC takes 1/16 more on datacenter GDDR
// cards (T4: 15,360 MiB in nvidia-smi, 14.56 GiB in torch). Each runtime total names the public log it was
// read from; where none is published, nvidia-smi's total where that is, else the sibling rule below.
// docs/ESTIMATION.md ("Usable memory") has the table of sources and a worked example.
//
// The sibling rule (assumption gpu_total_rule): a card with no published runtime total gets its marketed
// size times the share its measured sibling reports (same generation and memory type, nearest in size):
// an RTX 4080 16 GiB × 23.58 / 24 (the RTX 4090) = 15.72 GiB. On ROCm the reserve is a fixed 16 MiB
// (rocminfo: RX 7900 XTX 24,560 MiB of 24 GiB, MI300X 196,592 MiB of 192 GiB), so AMD cards subtract it. Apple's
// working set depends only on the Mac's memory (and macOS): 2/3 of it up to 24 GB, 3/4 from 36 GB, as
// ggml-metal logs for 16, 32 and 96 GB Macs; 107.52 GiB of 128 GB on macOS 26.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gpumem/base/format.hpp"
#include "gpumem/memory/inference.hpp"

namespace gpumem {

namespace {
constexpr uint64_t GiB = 1ULL << 30, MiB = 1ULL << 20;

// A total as PyTorch and vLLM print it, in GiB with two decimals ("23.58GiB"): hundredths of a GiB.
constexpr uint64_t gib100(uint64_t x) { return x * GiB / 100; }

// "23.58 GiB": two decimals, as the runtimes print their totals.
std::string gib2(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / static_cast<double>(GiB));
  return buf;
}

Gpu card(const char* name, const char* vendor, const char* kind, uint64_t gib_size, const char* source,
         uint64_t smi_mib = 0) {
  Gpu g;
  g.name = name;
  g.vendor = vendor;
  g.kind = kind;
  g.bytes = gib_size * GiB;
  g.source = source;
  g.reported = smi_mib * MiB;
  return g;
}
Gpu measured(Gpu g, uint64_t total, const char* where) {
  g.total = total;
  g.total_source = where;
  return g;
}
// nvidia-smi's total is the published figure (no torch total was found): it is the runtime's total.
Gpu smi_total(Gpu g, const char* where) {
  g.total = g.reported;
  g.total_source = where;
  return g;
}

// How a card without a published total follows its sibling: by the share of memory the sibling reports
// (NVIDIA, Intel, Apple), or by the sibling's fixed reserve (AMD's ROCm keeps 16 MiB).
enum class Follow { share, reserve };
struct Rule {
  std::string card, sibling;
  Follow follow = Follow::share;
  uint64_t device = 0;  // bytes of one device when the card is two (MI250X: two GCDs of 64 GiB); else bytes
};

std::vector<Gpu> build() {
  std::vector<Gpu> out;
  std::vector<Rule> rules;
  auto like = [&](Gpu g, const char* sibling, Follow f = Follow::share, uint64_t device = 0) {
    rules.push_back({g.name, sibling, f, device});
    out.push_back(std::move(g));
  };
  auto add = [&](Gpu g) { out.push_back(std::move(g)); };
  const char* N = "NVIDIA";
  const char* C = "consumer";
  const char* W = "workstation";
  const char* D = "datacenter";

  // ---- NVIDIA GeForce RTX 30 (Ampere; nvidia.com/en-us/geforce/graphics-cards/30-series specifications) ----
  like(card("RTX 3050", N, C, 8, "nvidia.com GeForce RTX 3050 specs: 8 GB GDDR6"), "RTX 3070");
  add(measured(card("RTX 3060", N, C, 12, "nvidia.com GeForce RTX 3060 specs: 12 GB GDDR6"), gib100(1176),
               "PyTorch's OOM message \"11.76 GiB total capacity\" (TencentARC/PhotoMaker#47)"));
  like(card("RTX 3060 Ti", N, C, 8, "nvidia.com GeForce RTX 3060 Ti specs: 8 GB GDDR6"), "RTX 3070");
  add(measured(card("RTX 3070", N, C, 8, "nvidia.com GeForce RTX 3070 specs: 8 GB GDDR6"), gib100(778),
               "PyTorch's OOM message \"7.78 GiB total capacity\" (akshitac8/OW-DETR#46)"));
  like(card("RTX 3070 Ti", N, C, 8, "nvidia.com GeForce RTX 3070 Ti specs: 8 GB GDDR6X"), "RTX 3070");
  like(card("RTX 3080", N, C, 10, "nvidia.com GeForce RTX 3080 specs: 10 GB GDDR6X"), "RTX 3060");
  like(card("RTX 3080 12GB", N, C, 12, "nvidia.com GeForce RTX 3080 specs: 12 GB GDDR6X"), "RTX 3060");
  like(card("RTX 3080 Ti", N, C, 12, "nvidia.com GeForce RTX 3080 Ti specs: 12 GB GDDR6X"), "RTX 3060");
  add(measured(card("RTX 3090", N, C, 24, "nvidia.com GeForce RTX 3090 specs: 24 GB GDDR6X"), gib100(2356),
               "vLLM's log \"Free memory on device (22.93/23.56 GiB)\" (wtdcode/vllm-backport#34)"));
  like(card("RTX 3090 Ti", N, C, 24, "nvidia.com GeForce RTX 3090 Ti specs: 24 GB GDDR6X"), "RTX 3090");
  // ---- NVIDIA GeForce RTX 40 (Ada) ----
  like(card("RTX 4060", N, C, 8, "nvidia.com GeForce RTX 4060 specs: 8 GB GDDR6"), "RTX 4090");
  like(card("RTX 4060 Ti 8GB", N, C, 8, "nvidia.com GeForce RTX 4060 Ti specs: 8 GB GDDR6"), "RTX 4090");
  like(card("RTX 4060 Ti 16GB", N, C, 16, "nvidia.com GeForce RTX 4060 Ti specs: 16 GB GDDR6"), "RTX 4090");
  like(card("RTX 4070", N, C, 12, "nvidia.com GeForce RTX 4070 specs: 12 GB GDDR6X"), "RTX 4090");
  like(card("RTX 4070 Super", N, C, 12, "nvidia.com GeForce RTX 4070 SUPER specs: 12 GB GDDR6X"), "RTX 4090");
  like(card("RTX 4070 Ti", N, C, 12, "nvidia.com GeForce RTX 4070 Ti specs: 12 GB GDDR6X"), "RTX 4090");
  like(card("RTX 4070 Ti Super", N, C, 16, "nvidia.com GeForce RTX 4070 Ti SUPER specs: 16 GB GDDR6X"), "RTX 4090");
  like(card("RTX 4080", N, C, 16, "nvidia.com GeForce RTX 4080 specs: 16 GB GDDR6X"), "RTX 4090");
  like(card("RTX 4080 Super", N, C, 16, "nvidia.com GeForce RTX 4080 SUPER specs: 16 GB GDDR6X"), "RTX 4090");
  add(measured(
      card("RTX 4090", N, C, 24, "nvidia.com GeForce RTX 4090 specs: 24 GB GDDR6X (nvidia-smi: 24564 MiB)", 24564),
      gib100(2358), "vLLM's log \"total_gpu_memory (23.58GiB)\" (vllm-project/vllm#10517, vllm-project/vllm#14447)"));
  // ---- NVIDIA GeForce RTX 50 (Blackwell) ----
  like(card("RTX 5060", N, C, 8, "nvidia.com GeForce RTX 5060 specs: 8 GB GDDR7"), "RTX 5090");
  like(card("RTX 5060 Ti 8GB", N, C, 8, "nvidia.com GeForce RTX 5060 Ti specs: 8 GB GDDR7"), "RTX 5090");
  like(card("RTX 5060 Ti 16GB", N, C, 16, "nvidia.com GeForce RTX 5060 Ti specs: 16 GB GDDR7"), "RTX 5090");
  like(card("RTX 5070", N, C, 12, "nvidia.com GeForce RTX 5070 specs: 12 GB GDDR7"), "RTX 5090");
  like(card("RTX 5070 Ti", N, C, 16, "nvidia.com GeForce RTX 5070 Ti specs: 16 GB GDDR7"), "RTX 5090");
  like(card("RTX 5080", N, C, 16, "nvidia.com GeForce RTX 5080 specs: 16 GB GDDR7"), "RTX 5090");
  add(measured(card("RTX 5090", N, C, 32, "nvidia.com GeForce RTX 5090 specs: 32 GB GDDR7"), gib100(3137),
               "vLLM's log \"total_gpu_memory (31.37GiB)\" (vllm-project/vllm#14452)"));
  // ---- AMD Radeon (amd.com product specifications); ROCm's rocminfo VRAM pool ----
  const char* A = "AMD";
  like(card("RX 7600", A, C, 8, "amd.com Radeon RX 7600 specs: 8 GB GDDR6"), "RX 7900 XTX", Follow::reserve);
  like(card("RX 7600 XT", A, C, 16, "amd.com Radeon RX 7600 XT specs: 16 GB GDDR6"), "RX 7900 XTX", Follow::reserve);
  like(card("RX 7700 XT", A, C, 12, "amd.com Radeon RX 7700 XT specs: 12 GB GDDR6"), "RX 7900 XTX", Follow::reserve);
  like(card("RX 7800 XT", A, C, 16, "amd.com Radeon RX 7800 XT specs: 16 GB GDDR6"), "RX 7900 XTX", Follow::reserve);
  like(card("RX 7900 GRE", A, C, 16, "amd.com Radeon RX 7900 GRE specs: 16 GB GDDR6"), "RX 7900 XTX", Follow::reserve);
  like(card("RX 7900 XT", A, C, 20, "amd.com Radeon RX 7900 XT specs: 20 GB GDDR6"), "RX 7900 XTX", Follow::reserve);
  add(measured(card("RX 7900 XTX", A, C, 24, "amd.com Radeon RX 7900 XTX specs: 24 GB GDDR6"), 25149440ULL << 10,
               "rocminfo's VRAM pool \"25149440(0x17fc000) KB\" (ROCm/legacy-rocm-build#4360)"));
  like(card("RX 9060 XT 16GB", A, C, 16, "amd.com Radeon RX 9060 XT specs: 16 GB GDDR6"), "RX 7900 XTX",
       Follow::reserve);
  like(card("RX 9070", A, C, 16, "amd.com Radeon RX 9070 specs: 16 GB GDDR6"), "RX 7900 XTX", Follow::reserve);
  like(card("RX 9070 XT", A, C, 16, "amd.com Radeon RX 9070 XT specs: 16 GB GDDR6"), "RX 7900 XTX", Follow::reserve);
  // ---- Intel Arc (intel.com ark); PyTorch XPU ----
  const char* I = "Intel";
  like(card("Arc A580", I, C, 8, "intel.com ark Arc A580: 8 GB GDDR6"), "Arc A770 16GB");
  like(card("Arc A750", I, C, 8, "intel.com ark Arc A750: 8 GB GDDR6"), "Arc A770 16GB");
  add(measured(card("Arc A770 16GB", I, C, 16, "intel.com ark Arc A770: 16 GB GDDR6"), gib100(1511),
               "PyTorch XPU's OOM message \"a total capacity of 15.11 GiB\" (intel/intel-extension-for-pytorch#846)"));
  like(card("Arc B570", I, C, 10, "intel.com ark Arc B570: 10 GB GDDR6"), "Arc A770 16GB");
  like(card("Arc B580", I, C, 12, "intel.com ark Arc B580: 12 GB GDDR6"), "Arc A770 16GB");
  // ---- Workstation: RTX Ampere, TITAN, RTX Ada (ECC on by default), RTX PRO Blackwell, Radeon PRO ----
  like(card("RTX A2000 12GB", N, W, 12, "nvidia.com RTX A2000 datasheet: 12 GB GDDR6 ECC"), "RTX A4000");
  add(measured(card("RTX A4000", N, W, 16, "nvidia.com RTX A4000 datasheet: 16 GB GDDR6 ECC"), gib100(1561),
               "PyTorch's OOM message \"a total capacity of 15.61 GiB\" (DengKaiCQ/VGGT-Long#6)"));
  like(card("RTX A4500", N, W, 20, "nvidia.com RTX A4500 datasheet: 20 GB GDDR6 ECC"), "RTX A4000");
  like(card("RTX A5000", N, W, 24, "nvidia.com RTX A5000 datasheet: 24 GB GDDR6 ECC"), "RTX A4000");
  like(card("RTX A6000", N, W, 48, "nvidia.com RTX A6000 datasheet: 48 GB GDDR6 ECC"), "RTX A4000");
  add(smi_total(
      card("TITAN RTX", N, W, 24,
           "nvidia.com TITAN RTX specs: 24 GB GDDR6 (nvidia-smi: 24219 MiB, lambdal/lambda-tensorflow-benchmark "
           "PR #11)",
           24219),
      "nvidia-smi's total 24219MiB (lambdal/lambda-tensorflow-benchmark PR #11)"));
  like(card("RTX 2000 Ada", N, W, 16, "nvidia.com RTX 2000 Ada datasheet: 16 GB GDDR6 ECC"), "RTX 6000 Ada");
  like(card("RTX 4000 Ada", N, W, 20, "nvidia.com RTX 4000 Ada datasheet: 20 GB GDDR6 ECC"), "RTX 6000 Ada");
  like(card("RTX 4500 Ada", N, W, 24, "nvidia.com RTX 4500 Ada datasheet: 24 GB GDDR6 ECC"), "RTX 6000 Ada");
  like(card("RTX 5000 Ada", N, W, 32, "nvidia.com RTX 5000 Ada datasheet: 32 GB GDDR6 ECC"), "RTX 6000 Ada");
  add(measured(card("RTX 6000 Ada", N, W, 48,
                    "nvidia.com RTX 6000 Ada datasheet: 48 GB GDDR6 ECC (nvidia-smi: 46068 MiB)", 46068),
               gib100(4443), "PyTorch's OOM message \"a total capacity of 44.43 GiB\" (DINGYANB/MTVCrafter#21)"));
  like(card("RTX PRO 4000 Blackwell", N, W, 24, "nvidia.com RTX PRO 4000 Blackwell: 24 GB GDDR7 ECC"), "RTX 5090");
  like(card("RTX PRO 4500 Blackwell", N, W, 32, "nvidia.com RTX PRO 4500 Blackwell: 32 GB GDDR7 ECC"), "RTX 5090");
  like(card("RTX PRO 5000 Blackwell", N, W, 48, "nvidia.com RTX PRO 5000 Blackwell: 48 GB GDDR7 ECC"), "RTX 5090");
  like(card("RTX PRO 6000 Blackwell", N, W, 96, "nvidia.com RTX PRO 6000 Blackwell: 96 GB GDDR7 ECC"), "RTX 5090");
  like(card("Radeon PRO W7800", A, W, 32, "amd.com Radeon PRO W7800 specs: 32 GB GDDR6"), "RX 7900 XTX",
       Follow::reserve);
  like(card("Radeon PRO W7900", A, W, 48, "amd.com Radeon PRO W7900 specs: 48 GB GDDR6"), "RX 7900 XTX",
       Follow::reserve);
  // ---- Datacenter ----
  add(measured(card("T4", N, D, 16, "nvidia.com Tesla T4 datasheet: 16 GB GDDR6 (nvidia-smi: 15360 MiB)", 15360),
               gib100(1456),
               "PyTorch's OOM message \"a total capacity of 14.56 GiB\" (Zheng-Chong/CatVTON#133, "
               "AlphaGPU/leetgpu-challenges#52; nvidia-smi 15360MiB in robbyant-research/MagicQuill#57)"));
  add(smi_total(card("V100 16GB", N, D, 16, "nvidia.com V100 datasheet: 16 GB HBM2 (nvidia-smi: 16160 MiB)", 16160),
                "nvidia-smi's total 16160MiB"));
  add(measured(card("V100 32GB", N, D, 32, "nvidia.com V100 datasheet: 32 GB HBM2"), gib100(3174),
               "PyTorch's OOM message \"31.74 GiB total capacity\" on V100s (haotian-liu/LLaVA#812)"));
  add(measured(card("A10", N, D, 24, "nvidia.com A10 datasheet: 24 GB GDDR6 ECC (nvidia-smi: 23028 MiB)", 23028),
               gib100(2199), "PyTorch's OOM message \"a total capacty of 21.99 GiB\" on an A10 (zai-org/CogVLM#236)"));
  like(card("A10G", N, D, 24, "AWS G5 instances: A10G 24 GB GDDR6"), "A10");
  add(smi_total(card("L4", N, D, 24, "nvidia.com L4 datasheet: 24 GB GDDR6 ECC (nvidia-smi: 23034 MiB)", 23034),
                "nvidia-smi's total 23034MiB (modal-labs/modal-client#2797, lmstudio-ai/lmstudio-bug-tracker#1638)"));
  add(smi_total(card("L40S", N, D, 48, "nvidia.com L40S datasheet: 48 GB GDDR6 ECC (nvidia-smi: 46068 MiB)", 46068),
                "nvidia-smi's total 46068MiB (modal-labs/modal-client#2797)"));
  add(measured(
      card("A100 40GB", N, D, 40, "nvidia.com A100 datasheet: 40 GB HBM2, SXM4 (nvidia-smi: 40960 MiB)", 40960),
      42298834944ULL,
      "deviceQuery's \"Total amount of global memory: 40339 MBytes (42298834944 bytes)\" on an "
      "A100-SXM4-40GB (bottlerocket-os/bottlerocket#3873)"));
  like(card("A100 40GB PCIe", N, D, 40, "nvidia.com A100 datasheet: 40 GB HBM2, PCIe (nvidia-smi: 40960 MiB)", 40960),
       "A100 40GB");
  add(measured(
      card("A100 80GB", N, D, 80, "nvidia.com A100 datasheet: 80 GB HBM2e, SXM4 (nvidia-smi: 81920 MiB)", 81920),
      gib100(7925), "PyTorch's OOM message \"79.25 GiB total capacity\" on an A100 (levihsu/OOTDiffusion#235)"));
  like(card("A100 80GB PCIe", N, D, 80, "nvidia.com A100 datasheet: 80 GB HBM2e, PCIe (nvidia-smi: 81920 MiB)", 81920),
       "A100 80GB");
  add(measured(
      card("H100 80GB", N, D, 80, "nvidia.com H100 datasheet: 80 GB HBM3, SXM5 (nvidia-smi: 81559 MiB)", 81559),
      gib100(7911), "PyTorch's OOM message \"a total capacity of 79.11 GiB\" on an H100 (vllm-project/vllm#27508)"));
  like(card("H100 PCIe", N, D, 80, "nvidia.com H100 datasheet: 80 GB HBM2e, PCIe"), "H100 80GB");
  like(card("H100 NVL", N, D, 94, "nvidia.com H100 NVL datasheet: 94 GB HBM3"), "H100 80GB");
  like(card("H200", N, D, 141, "nvidia.com H200 datasheet: 141 GB HBM3e"), "H100 80GB");
  add(measured(card("B200", N, D, 180, "nvidia.com DGX B200 datasheet: 1440 GB over 8 GPUs = 180 GB HBM3e"),
               gib100(17835),
               "cudaGetDeviceProperties' \"Total Global Memory: 178.35 GB\" (in GiB) on a B200 (pytorch/ao#4002)"));
  like(card("MI210", A, D, 64, "amd.com Instinct MI210 specs: 64 GB HBM2e"), "MI300X", Follow::reserve);
  like(card("MI250X", A, D, 128, "amd.com Instinct MI250X specs: 128 GB HBM2e, two GCDs of 64 GB, each its own device"),
       "MI300X", Follow::reserve, 64 * GiB);
  add(measured(card("MI300X", A, D, 192, "amd.com Instinct MI300X specs: 192 GB HBM3"), 201310208ULL << 10,
               "rocminfo's VRAM pool \"201310208(0xbffc000) KB\" (ROCm/rocm-examples#187)"));
  like(card("MI325X", A, D, 256, "amd.com Instinct MI325X specs: 256 GB HBM3E"), "MI300X", Follow::reserve);

  // ---- Apple unified memory (apple.com tech specs): Metal's recommendedMaxWorkingSetSize by memory size ----
  // Published working sets (ggml-metal's log line; older builds print MiB as "MB", newer 10^6 bytes):
  struct Set {
    uint64_t gb;
    uint64_t bytes;
    const char* where;
  };
  static const Set kSets[] = {
      {16, 1092267 * MiB / 100,
       "ggml-metal's \"recommendedMaxWorkingSetSize = 10922.67 MB\" on a 16 GB M1 MacBook Pro "
       "(abetlen/llama-cpp-python#687)"},
      {32, 2184534 * MiB / 100,
       "ggml-metal's \"recommendedMaxWorkingSetSize = 21845.34 MB\" on a 32 GB M2 Max (ollama/ollama#434)"},
      {96, 73728 * MiB,
       "ggml-metal's \"recommendedMaxWorkingSetSize = 73728,00 MB\" on a 96 GB M2 Max (ggml-org/llama.cpp#3213)"},
      {128, gib100(10752), "\"recommendedMaxWorkingSetSize: 107.52 GiB\" on 128 GB Macs, macOS 26 (antirez/ds4#893)"},
  };
  const std::pair<const char*, std::vector<uint64_t>> kMacs[] = {
      {"M1", {8, 16}},
      {"M1 Pro", {16, 32}},
      {"M1 Max", {32, 64}},
      {"M1 Ultra", {64, 128}},
      {"M2", {8, 16, 24}},
      {"M2 Pro", {16, 32}},
      {"M2 Max", {32, 64, 96}},
      {"M2 Ultra", {64, 128, 192}},
      {"M3", {8, 16, 24}},
      {"M3 Pro", {18, 36}},
      {"M3 Max", {36, 48, 64, 96, 128}},
      {"M3 Ultra", {96, 256, 512}},
      {"M4", {16, 24, 32}},
      {"M4 Pro", {24, 48, 64}},
      {"M4 Max", {36, 48, 64, 128}},
  };
  for (const auto& [chip, sizes] : kMacs)
    for (uint64_t gb : sizes) {
      const std::string name = "Apple " + std::string(chip) + " " + std::to_string(gb) + "GB";
      const std::string source =
          "apple.com " + std::string(chip) + " tech specs: " + std::to_string(gb) + " GB unified memory";
      Gpu g = card(name.c_str(), "Apple", "unified", gb, source.c_str());
      const Set* set = nullptr;
      for (const auto& s : kSets)
        if (s.gb == gb) set = &s;
      if (set != nullptr) {
        add(measured(std::move(g), set->bytes, set->where));
      } else {
        // 2/3 up to 24 GB (the 16 GB Mac's share), 3/4 from 36 GB (the 96 GB Mac's); 96 GB for larger ones too.
        rules.push_back({g.name, gb <= 24 ? "16" : "96", Follow::share, 0});
        out.push_back(std::move(g));
      }
    }

  // The rules, from each sibling's published figure.
  auto find = [&](const std::string& name) -> Gpu* {
    for (auto& g : out)
      if (g.name == name) return &g;
    return nullptr;
  };
  for (const Rule& r : rules) {
    Gpu* g = find(r.card);
    const Gpu* sib = nullptr;
    std::string sib_name = "the " + r.sibling;
    Text sibling = txt("phrase.gpu_rule.card", {{"name", r.sibling}});
    if (r.sibling == "16" || r.sibling == "96") {
      for (const auto& x : out)
        if (x.vendor == "Apple" && x.total != 0 && x.bytes == std::stoull(r.sibling) * GiB) {
          sib = &x;
          break;
        }
      sib_name = "a " + r.sibling + " GB Mac";
      sibling = txt("phrase.gpu_rule.mac", {{"gb", r.sibling}});
    } else {
      sib = find(r.sibling);
    }
    if (g == nullptr || sib == nullptr || sib->total == 0) std::abort();  // a catalogue typo: caught by every test
    const uint64_t base = r.device != 0 ? r.device : g->bytes;
    Text how;
    if (r.follow == Follow::reserve) {
      const uint64_t reserve = sib->bytes - sib->total;
      g->total = base - reserve;
      how = txt(r.device != 0 ? "phrase.gpu_rule.reserve_device" : "phrase.gpu_rule.reserve",
                {{"base", gib2(base)}, {"mib", with_commas(reserve / MiB)}, {"sibling", sibling}});
    } else {
      g->total = static_cast<uint64_t>(std::floor(static_cast<long double>(base) * sib->total / sib->bytes));
      g->total -= g->total % MiB;
      how = txt("phrase.gpu_rule.share",
                {{"base", gib2(base)}, {"sibling", sibling}, {"total", gib2(sib->total)}, {"bytes", gib2(sib->bytes)}});
    }
    g->total_source = "rule from " + sib_name + ": " + sib->total_source;
    // {source}: the sibling's citation (a log line, an issue), quoted as it is.
    g->rule = txt("assume.gpu_total_rule",
                  {{"gpu", g->name}, {"how", how}, {"total", gib2(g->total)}, {"source", sib->total_source}});
  }
  // bf16: hardware bfloat16 needs NVIDIA compute capability 8.0 (Ampere) or later: the catalogue's Turing (T4,
  // TITAN RTX: 7.5) and Volta (V100: 7.0) cards lack it (developer.nvidia.com/cuda-gpus; vLLM's
  // CudaPlatformBase.supported_dtypes and torch.cuda.is_bf16_supported use the same line), as does Apple's M1
  // family (Apple GPU family 7; bfloat16 arrived with M2's family 8). Every other row (Ampere and later, RDNA 3/4,
  // CDNA 2/3, Arc, M2 and later) has it.
  for (auto& g : out)
    if (g.name == "T4" || g.name == "TITAN RTX" || g.name.rfind("V100", 0) == 0 || g.name.rfind("Apple M1 ", 0) == 0)
      g.bf16 = false;
  // Bandwidth, peak throughput and interconnect (hardware.hpp): generated from tests/fixtures/speed/hardware.json,
  // one row per catalogue name. A catalogue card without its row is a generator or catalogue slip: every test fails.
  for (auto& g : out) {
    g.hw = gpu_hardware(g.name.c_str());
    if (!g.hw.known) std::abort();
  }
  return out;
}
}  // namespace

const std::vector<Gpu>& gpu_catalogue() {
  static const std::vector<Gpu> kGpus = build();
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

double pcie_gb_s(uint32_t gen, uint32_t lanes) {
  // GT/s per lane × encoding / 8 bits: gen 3 8 GT/s × 128/130, gen 4 16, gen 5 32 (128b/130b); gen 6 64 GT/s with
  // FLIT encoding, 242/256 of the raw rate (PCI-SIG PCIe 3.0–6.0 base specifications).
  const double per_lane = gen == 3   ? 8.0 * 128 / 130 / 8
                          : gen == 4 ? 16.0 * 128 / 130 / 8
                          : gen == 5 ? 32.0 * 128 / 130 / 8
                          : gen == 6 ? 64.0 * 242 / 256 / 8
                                     : 0.0;
  return per_lane * lanes;
}

uint64_t gpu_total_bytes(const Gpu& g) {
  const uint64_t total = g.total != 0 ? g.total : g.reported != 0 ? g.reported : g.bytes;
  return g.usable == 1.0 ? total : static_cast<uint64_t>(std::floor(static_cast<double>(total) * g.usable));
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
