// A catalogue GPU's speed figures (issue 21): peak memory bandwidth, peak dense throughput per compute type and
// the interconnect, each with its source. The one source of these facts is tests/fixtures/speed/hardware.json
// (its PROVENANCE.md says how every figure was chosen); core/src/memory/gpu_hardware.cpp is generated from it by
// scripts/gen-gpu-hardware.mjs, and tests/test_speed.cpp checks every row against the fixture, so the two cannot
// drift. docs/ESTIMATION.md ("Speed") says how the speed model uses them.
//
// Units: bandwidth in GB/s (10^9 bytes per second, the vendors' unit) and throughput in TFLOPS / TOPS (10^12
// operations per second), as doubles: the figures are decimal datasheet numbers (716.8 GB/s, 165.2 TFLOPS), not
// byte counts, so they are kept exactly as published. 0 means the vendor publishes no figure (never a guess).
#pragma once

#include <cstdint>

namespace gpumem {

struct GpuHardware {
  bool known = false;                     // the catalogue row has a hardware.json row (every catalogue GPU does)
  const char* architecture = "";          // "Ada Lovelace (AD102)"
  const char* memory_type = "";           // "GDDR6X"
  double bandwidth_gb_s = 0;              // peak memory bandwidth, GB/s
  double fp32_tflops = 0;                 // peak non-tensor FP32 (AMD Instinct: the matrix figure)
  double fp16_tflops = 0;                 // dense FP16 tensor/matrix with FP32 accumulate (what BF16/FP16 GEMMs run at)
  double fp16_fp16acc_tflops = 0;         // the same with FP16 accumulate (GeForce: 2×; elsewhere equal)
  double bf16_tflops = 0;                 // dense BF16 tensor
  double fp8_tflops = 0;                  // dense FP8 tensor
  double int8_tops = 0;                   // dense INT8 tensor
  double fp4_tflops = 0;                  // dense FP4 tensor
  bool fp16_equals_fp32 = false;          // Apple GPUs: FP16 runs at the FP32 rate (no matrix units before M5)
  uint32_t pcie_gen = 0, pcie_lanes = 0;  // host link; 0 for Apple (unified memory)
  const char* gpu_link = "";              // "NVLink (4th gen)"; "" when none
  double gpu_link_gb_s = 0;               // bidirectional GB/s as the vendor quotes it; 0 when none
  const char* bandwidth_basis = "";       // vendor, derived, secondary
  const char* fp32_basis = "";
  const char* tensor_basis = "";
  const char* bandwidth_source = "";  // where each figure comes from (a URL or owner/repo@commit:path)
  const char* fp32_source = "";
  const char* tensor_source = "";
  const char* interconnect_source = "";
  bool unverified = false;             // some figure has only one non-vendor source
  const char* unverified_fields = "";  // comma list of those fields
};

// The hardware row of a catalogue GPU by its exact name; a row with known = false when there is none.
GpuHardware gpu_hardware(const char* name);
// Every generated row's name, in hardware.json's order (for the drift test).
int gpu_hardware_count();
const char* gpu_hardware_name(int i);

// PCIe bandwidth per direction in GB/s for a generation and lane count: 0.985 (gen 3), 1.969 (gen 4), 3.938
// (gen 5), 7.563 (gen 6) GB/s per lane after 128b/130b (gen 6: FLIT) encoding (PCI-SIG specifications).
double pcie_gb_s(uint32_t gen, uint32_t lanes);

}  // namespace gpumem
