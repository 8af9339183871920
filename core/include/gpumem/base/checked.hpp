// 64-bit arithmetic that refuses to wrap. Parameter and byte counts of absurd configs (1e15 hidden
// size, say) must be reported as an error, never as a small wrapped number.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "gpumem/base/error.hpp"

namespace gpumem {

[[noreturn]] inline void throw_overflow() { throw Error(code::overflow, "", txt("error.overflow")); }

inline uint64_t mul(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) throw_overflow();
  return r;
}

inline uint64_t mul(std::initializer_list<uint64_t> xs) {
  uint64_t r = 1;
  for (uint64_t x : xs) r = mul(r, x);
  return r;
}

inline uint64_t add(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) throw_overflow();
  return r;
}

inline uint64_t add(std::initializer_list<uint64_t> xs) {
  uint64_t r = 0;
  for (uint64_t x : xs) r = add(r, x);
  return r;
}

// ⌈a ÷ b⌉ for b > 0, and a rounded up to a multiple of b: the allocators' block and page rounding.
inline uint64_t ceil_div(uint64_t a, uint64_t b) { return a / b + (a % b != 0 ? 1 : 0); }
inline uint64_t round_up(uint64_t a, uint64_t b) { return mul(ceil_div(a, b), b); }

constexpr uint64_t kMiB = 1ULL << 20;
constexpr uint64_t kGiB = 1ULL << 30;

}  // namespace gpumem
