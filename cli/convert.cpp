// gpumem convert VALUE [--from fp32|fp16|bf16|e4m3|e5m2] [--round rne|trunc] [--e4m3-overflow nan|saturate] [--json]
//   One number in every format (the façade's "convert" op), as a table or as JSON.
// gpumem convert --to fp16|bf16|e4m3|e5m2|fp32 [--round rne|trunc] [--e4m3-overflow nan|saturate] -
//   Batch mode: one input per line on stdin (a decimal, or 0x and 8 hex digits of fp32 bits), one
//   line out per input: the target's bits as 0x and hex. This path calls the core converter directly,
//   never JSON, so it keeps up with millions of lines per second. A line that is neither stops the
//   run with exit status 2 and a message naming its line number; the lines before it were printed.
#include <cstdio>
#include <iostream>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "gpumem/convert/float_bits.hpp"

namespace gpumem::cli {

using nlohmann::json;

namespace {

// ---- one value: the table ------------------------------------------------------------------------

std::string warning_text(const json& w) {
  const std::string c = w["code"].get<std::string>();
  const auto s = [&](const char* k) { return w.contains(k) ? w[k].get<std::string>() : std::string(); };
  if (c == "overflow_inf") return "overflow: beyond the largest finite value " + s("max") + " it becomes inf";
  if (c == "overflow_nan") return "overflow: beyond " + s("max") + " e4m3 has no inf, the result is NaN";
  if (c == "overflow_max") return "overflow: clamped to the largest finite value " + s("max");
  if (c == "infinity_nan") return "inf has no e4m3 pattern: the result is NaN";
  if (c == "infinity_max") return "inf saturates to the largest finite value " + s("max");
  if (c == "underflow_zero")
    return "underflow: below half the smallest subnormal 2^" + std::to_string(w["min_subnormal_pow2"].get<int>()) +
           " it becomes 0";
  if (c == "subnormal")
    return "subnormal: below 2^" + std::to_string(w["min_normal_pow2"].get<int>()) + " fewer significant bits are kept";
  if (c == "inexact") return "precision lost: relative error " + s("rel_approx");
  if (c == "nan_quieted") return "a signalling NaN became a quiet NaN";
  return c;
}

void print_table(const json& r) {
  const json& in = r["input"];
  const json* fp32 = nullptr;
  for (const auto& f : r["formats"])
    if (f["format"] == "fp32") fp32 = &f;
  std::cout << in["text"].get<std::string>() << " -> fp32 " << r["fp32_bits"].get<std::string>() << " = "
            << (*fp32)["value"].get<std::string>() << "  (rounding " << in["round"].get<std::string>()
            << ", e4m3 overflow " << in["e4m3_overflow"].get<std::string>() << ")\n\n";

  const std::string alt_head = in["round"] == "rne" ? "trunc would give" : "rne would give";
  std::vector<std::vector<std::string>> rows = {
      {"format", "bits", "sign", "exponent", "mantissa", "class", "value", "error (stored - fp32)", alt_head}};
  for (const auto& f : r["formats"]) {
    std::string error = "(" + f["role"].get<std::string>() + ")";
    if (!f["error"].is_null())
      error =
          f["error"]["abs_approx"].get<std::string>() + " (rel " + f["error"]["rel_approx"].get<std::string>() + ")";
    else if (f["role"] == "converted")
      error = "-";
    std::string alt;
    if (!f["alternative"].is_null())
      alt = f["alternative"]["bits"].get<std::string>() + " = " + f["alternative"]["approx"].get<std::string>();
    rows.push_back({f["format"].get<std::string>(), f["bits"].get<std::string>(), std::to_string(f["sign"].get<int>()),
                    f["exponent"]["bits"].get<std::string>(), f["mantissa"]["bits"].get<std::string>(),
                    f["class"].get<std::string>(), f["value"].get<std::string>(), error, alt});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
  bool any = false;
  for (const auto& f : r["formats"])
    for (const auto& w : f["warnings"]) {
      if (!any) std::cout << "\nwarnings:\n";
      any = true;
      std::cout << "  " << f["format"].get<std::string>() << ": " << warning_text(w) << "\n";
    }
}

// ---- batch mode ------------------------------------------------------------------------------------

bool write_all(const std::string& s) { return std::fwrite(s.data(), 1, s.size(), stdout) == s.size(); }

std::string_view trim_line(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

int batch(Format to, Rounding rounding, E4M3Overflow overflow) {
  static constexpr char kHex[] = "0123456789abcdef";
  constexpr size_t kChunk = 1 << 20;  // bytes read at a time
  constexpr size_t kBatch = 1 << 14;  // inputs converted per call of the core's batch loop
  const uint32_t digits = info(to).width / 4;

  std::vector<char> buf(kChunk);
  size_t have = 0;
  uint64_t line_no = 0;
  std::vector<uint32_t> bits;
  bits.reserve(kBatch);
  std::string out;
  out.reserve(kBatch * (digits + 3));

  const auto flush = [&]() {
    from_fp32_batch(to, rounding, overflow, bits.data(), bits.data(), bits.size());
    for (uint32_t b : bits) {
      out += "0x";
      for (uint32_t i = digits; i-- > 0;) out += kHex[(b >> (4 * i)) & 0xfu];
      out += '\n';
    }
    bits.clear();
    const bool ok = write_all(out);
    out.clear();
    return ok;
  };
  const auto bad = [&](std::string_view line) {
    if (!flush()) return 1;
    std::fflush(stdout);
    std::cerr << "gpumem: line " << line_no << ": \"" << line.substr(0, 40)
              << "\" is neither a decimal number nor 0x and 8 hex digits of fp32 bits; the lines before it were "
                 "converted.\n";
    return 2;
  };
  // 0: taken; 2: not a number (reported); 1: stdout failed.
  const auto take = [&](std::string_view line) {
    ++line_no;
    line = trim_line(line);
    const bool hex = line.size() > 1 && line[0] == '0' && (line[1] == 'x' || line[1] == 'X');
    const auto b = hex ? parse_hex_bits(line, 32) : parse_decimal_fp32(line);
    if (!b) return bad(line);
    bits.push_back(*b);
    return bits.size() < kBatch || flush() ? 0 : 1;
  };

  for (bool eof = false; !eof;) {
    const size_t got = std::fread(buf.data() + have, 1, buf.size() - have, stdin);
    eof = got == 0;
    have += got;
    size_t start = 0;
    for (size_t i = 0; i < have; ++i) {
      if (buf[i] != '\n') continue;
      if (int rc = take(std::string_view(buf.data() + start, i - start))) return rc;
      start = i + 1;
    }
    if (eof && start < have) {  // the last line has no newline
      if (int rc = take(std::string_view(buf.data() + start, have - start))) return rc;
      start = have;
    }
    if (start == 0 && have == buf.size()) {
      std::cerr << "gpumem: line " << line_no + 1 << " is longer than " << kChunk << " bytes; is this a number list?\n";
      flush();
      return 2;
    }
    have -= start;
    std::copy(buf.begin() + static_cast<std::ptrdiff_t>(start), buf.begin() + static_cast<std::ptrdiff_t>(start + have),
              buf.begin());
  }
  return flush() ? 0 : 1;
}

}  // namespace

int cmd_convert(const Args& a) {
  const auto opt = [&](const char* k) { return a.options.contains(k) ? a.options[k].get<std::string>() : ""; };
  if (a.positional.size() != 1)
    return fail(a.as_json, "bad_request", "Give one number, or - to read lines from stdin.");
  if (a.positional[0] == "-") {
    if (a.as_json)
      return fail(false, "bad_request", "--json is for one value; batch mode (-) prints one 0x line per input.");
    if (!opt("from").empty() && opt("from") != "fp32")
      return fail(false, "bad_request", "Batch mode reads fp32 (decimals or 0x and 8 hex digits); drop --from.");
    const auto to = find_format(opt("to"));
    if (!to) return fail(false, "bad_request", "Batch mode needs --to fp16, bf16, e4m3, e5m2 or fp32.");
    const std::string round = opt("round");
    if (!round.empty() && round != "rne" && round != "trunc")
      return fail(false, "bad_request", "--round is rne (nearest, ties to even) or trunc.");
    const std::string over = opt("e4m3_overflow");
    if (!over.empty() && over != "nan" && over != "saturate")
      return fail(false, "bad_request", "--e4m3-overflow is nan or saturate.");
    return batch(*to, round == "trunc" ? Rounding::toward_zero : Rounding::nearest_even,
                 over == "saturate" ? E4M3Overflow::saturate : E4M3Overflow::nan);
  }
  if (!opt("to").empty())
    return fail(a.as_json, "bad_request",
                "--to picks the output of batch mode (-); for one value every format is shown.");
  json request = {{"op", "convert"}, {"value", a.positional[0]}};
  for (const char* k : {"from", "round", "e4m3_overflow"})
    if (!opt(k).empty()) request[k] = opt(k);
  json r;
  std::string raw;
  if (int rc = call_facade(a, request, r, raw)) return rc;
  if (a.as_json)
    std::cout << raw << "\n";
  else
    print_table(r);
  return 0;
}

}  // namespace gpumem::cli
