// gpumem_bench_convert FORMAT FILE [REPEAT]: the core's batch converter (from_fp32_batch) over the raw
// little-endian fp32 patterns in FILE, timed; the native half of scripts/bench-convert.mjs, whose wasm
// half runs the same loop through the module's convertBatch. Prints one JSON line:
// {"n": N, "seconds": best of REPEAT runs, "per_second": N / seconds, "checksum": sum of the outputs}.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "gpumem/convert/float_bits.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: gpumem_bench_convert fp16|bf16|e4m3|e5m2|fp32 FILE [REPEAT]\n";
    return 2;
  }
  const auto to = gpumem::find_format(argv[1]);
  std::ifstream file(argv[2], std::ios::binary);
  const int repeat = argc > 3 ? std::stoi(argv[3]) : 5;
  if (!to || !file || repeat < 1) {
    std::cerr << "gpumem_bench_convert: bad format, file or repeat count\n";
    return 2;
  }
  std::vector<char> raw((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::vector<uint32_t> in(raw.size() / 4);
  std::memcpy(in.data(), raw.data(), in.size() * 4);
  std::vector<uint32_t> out(in.size());
  double best = 1e300;
  for (int i = 0; i < repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    gpumem::from_fp32_batch(*to, gpumem::Rounding::nearest_even, gpumem::E4M3Overflow::nan, in.data(), out.data(),
                            in.size());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s < best) best = s;
  }
  uint64_t checksum = 0;
  for (uint32_t v : out) checksum += v;
  std::printf("{\"n\": %zu, \"seconds\": %.6f, \"per_second\": %.0f, \"checksum\": %llu}\n", in.size(), best,
              static_cast<double>(in.size()) / best, static_cast<unsigned long long>(checksum));
  return 0;
}
