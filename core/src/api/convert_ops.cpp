// The "convert" operation: one number (a decimal, or the bits of any format) shown in every format,
// with each conversion explained step by step as structured data. Step and warning codes are a stable
// vocabulary the page renders in English and Chinese (web/src/i18n.js); docs/CONVERTER.md lists them.
#include <cstdio>

#include "facade.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/convert/float_bits.hpp"

namespace gpumem {

namespace {

std::string hex(uint32_t v, uint32_t width) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  for (uint32_t i = width / 4; i-- > 0;) s += kDigits[(v >> (4 * i)) & 0xfu];
  return s;
}

std::string binary(uint32_t v, uint32_t n) {
  std::string s;
  for (uint32_t i = n; i-- > 0;) s += ((v >> i) & 1u) != 0 ? '1' : '0';
  return s;
}

// "0 10000 1001001000": sign, exponent and mantissa fields, space separated.
std::string fields_text(Format f, uint32_t bits) {
  const FormatInfo& fi = info(f);
  const Fields d = decompose(f, bits);
  return std::string(d.negative ? "1" : "0") + " " + binary(d.exponent, fi.exp_bits) + " " +
         binary(d.mantissa, fi.man_bits);
}

bool finite(uint32_t fp32) { return (fp32 & 0x7f800000u) != 0x7f800000u; }

// The largest finite pattern of a format: S.11110.11…1 (IEEE) or S.1111.110 (e4m3).
uint32_t max_finite(Format f) {
  const FormatInfo& fi = info(f);
  const uint32_t inf = ((1u << fi.exp_bits) - 1) << fi.man_bits;
  return fi.has_inf ? inf - 1 : inf | ((1u << fi.man_bits) - 2);
}

ojson value_json(Format f, uint32_t bits) {
  const std::string exact = exact_decimal(to_fp32(f, bits));
  return {{"value", exact}, {"approx", round_decimal(exact)}};
}

std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// stored - input, exactly, and relative to the input; null when either is inf or NaN.
ojson error_json(uint32_t input_fp32, uint32_t stored_fp32) {
  if (!finite(input_fp32) || !finite(stored_fp32)) return nullptr;
  const std::string abs = exact_difference(stored_fp32, input_fp32);
  // Both values have at most 24 significant bits and lie within a factor of two of each other (or the
  // result is 0), so their difference is exact in double and the quotient is rounded once.
  const double in = static_cast<double>(fp32_value(input_fp32));
  const double out = static_cast<double>(fp32_value(stored_fp32));
  const double rel = in == 0 ? 0.0 : (out - in) / in;
  return {{"abs", abs},
          {"abs_approx", round_decimal(abs, 6)},
          {"rel", rel < 0 ? -rel : rel},
          {"rel_approx", short_number(rel < 0 ? -rel : rel)},
          {"exact", abs == "0"}};
}

// The fields of one pattern, for the bit view.
ojson layout_json(Format f, uint32_t bits) {
  const FormatInfo& fi = info(f);
  const Fields d = decompose(f, bits);
  ojson out = {{"format", fi.name},
               {"description", fi.description},
               {"width", fi.width},
               {"exp_bits", fi.exp_bits},
               {"man_bits", fi.man_bits},
               {"bias", fi.bias},
               {"bits", hex(bits, fi.width)},
               {"binary", binary(bits, fi.width)},
               {"fields", fields_text(f, bits)},
               {"sign", d.negative ? 1 : 0},
               {"exponent", {{"bits", binary(d.exponent, fi.exp_bits)}, {"field", d.exponent}}},
               {"mantissa", {{"bits", binary(d.mantissa, fi.man_bits)}, {"field", d.mantissa}}},
               {"class", class_name(d.cls)}};
  if (d.cls == FloatClass::normal || d.cls == FloatClass::subnormal)
    out["exponent"]["unbiased"] = d.exponent_unbiased;
  else
    out["exponent"]["unbiased"] = nullptr;
  out["fp32_bits"] = hex(to_fp32(f, bits), 32);
  out.update(value_json(f, bits));
  return out;
}

ojson result_step(Format f, uint32_t bits) {
  ojson s = {{"code", "result"},
             {"format", info(f).name},
             {"bits", hex(bits, info(f).width)},
             {"fields", fields_text(f, bits)}};
  s.update(value_json(f, bits));
  return s;
}

// ---- fp32 -> narrow: steps and warnings from the trace of the conversion itself ----------------

struct Narrowed {
  uint32_t bits = 0;
  ojson steps = ojson::array();
  ojson warnings = ojson::array();
  ojson error;
};

const char* decision(const NarrowTrace& t, Rounding r, bool guard, bool round_bit, bool sticky) {
  if (t.dropped == 0) return "exact";
  if (r == Rounding::toward_zero) return "truncate";
  if (!guard) return "down";
  if (round_bit || sticky) return "up";
  return (t.kept & 1u) != 0 ? "tie_up" : "tie_down";
}

Narrowed narrow_explained(Format f, uint32_t x, Rounding r, E4M3Overflow o) {
  const FormatInfo& fi = info(f);
  const uint32_t exp_max = (1u << fi.exp_bits) - 1;
  const uint32_t man_mask = (1u << fi.man_bits) - 1;
  // The largest exponent field that holds finite numbers: 11110 for IEEE formats, 1111 for e4m3.
  const int32_t max_field = static_cast<int32_t>(fi.has_inf ? exp_max - 1 : exp_max);
  const std::string max_text = exact_decimal(to_fp32(f, max_finite(f)));
  const bool saturating = f == Format::e4m3 && o == E4M3Overflow::saturate;

  NarrowTrace t;
  Narrowed n;
  n.bits = from_fp32(f, x, r, o, &t);
  const Fields out = decompose(f, n.bits);
  n.steps.push_back({{"code", "sign"}, {"sign", x >> 31}});

  switch (t.path) {
    case NarrowTrace::Path::nan:
      n.steps.push_back({{"code", "nan"},
                         {"quiet_input", (x & 0x400000u) != 0},
                         {"single_pattern", !fi.has_inf},
                         {"payload_bits", fi.has_inf ? fi.man_bits - 1 : 0}});
      if ((x & 0x400000u) == 0) n.warnings.push_back({{"code", "nan_quieted"}});
      break;
    case NarrowTrace::Path::infinity: {
      const char* result = fi.has_inf ? "inf" : saturating ? "max" : "nan";
      n.steps.push_back({{"code", "infinity"}, {"result", result}, {"max", max_text}});
      if (!fi.has_inf)
        n.warnings.push_back({{"code", saturating ? "infinity_max" : "infinity_nan"}, {"max", max_text}});
      break;
    }
    case NarrowTrace::Path::zero:
      n.steps.push_back({{"code", "zero"}});
      break;
    case NarrowTrace::Path::finite: {
      const uint32_t exp_field = (x >> 23) & 0xffu;
      if (exp_field == 0) n.steps.push_back({{"code", "input_subnormal"}, {"mantissa", binary(x & 0x7fffffu, 23)}});
      if (fi.bias == 127) {
        n.steps.push_back({{"code", "exponent_same"},
                           {"field", exp_field},
                           {"bits", binary(exp_field, 8)},
                           {"unbiased", t.exponent}});
      } else {
        ojson s = {
            {"code", "exponent_rebias"}, {"from_field", exp_field}, {"from_bias", 127}, {"unbiased", t.exponent},
            {"to_bias", fi.bias},        {"to_field", t.field},     {"min_field", 1},   {"max_field", max_field}};
        s["to_bits"] = t.field >= 1 && t.field <= max_field ? ojson(binary(static_cast<uint32_t>(t.field), fi.exp_bits))
                                                            : ojson(nullptr);
        n.steps.push_back(std::move(s));
      }
      if (t.field > max_field) {
        // Even the smallest significand overflows: no rounding can bring it back.
        n.steps.push_back(
            {{"code", "exponent_too_large"}, {"unbiased", t.exponent}, {"max_unbiased", max_field - fi.bias}});
      } else {
        if (t.field < 1)
          n.steps.push_back({{"code", "subnormal_shift"},
                             {"unbiased", t.exponent},
                             {"min_unbiased", 1 - fi.bias},
                             {"extra", 1 - t.field},
                             {"shift", t.shift}});
        const bool guard = ((t.dropped >> (t.shift - 1)) & 1u) != 0;
        const bool round_bit = ((t.dropped >> (t.shift - 2)) & 1u) != 0;
        const bool sticky = (t.dropped & ((1u << (t.shift - 2)) - 1)) != 0;
        const std::string sig = binary(t.significand, 24);
        n.steps.push_back({{"code", "round"},
                           {"mode", r == Rounding::nearest_even ? "rne" : "trunc"},
                           {"significand", sig.substr(0, 1) + "." + sig.substr(1)},
                           {"shift", t.shift},
                           {"kept", binary(t.kept & man_mask, fi.man_bits)},
                           {"dropped", binary(t.dropped, t.shift)},
                           {"guard", guard ? 1 : 0},
                           {"round", round_bit ? 1 : 0},
                           {"sticky", sticky ? 1 : 0},
                           {"decision", decision(t, r, guard, round_bit, sticky)},
                           {"round_up", t.round_up},
                           {"mantissa", binary((t.kept + (t.round_up ? 1u : 0u)) & man_mask, fi.man_bits)}});
        // Rounding up 1.11…1 gives 10.00…0 (or the largest subnormal gives the smallest normal): the
        // carry leaves the mantissa and adds one to the exponent field.
        const uint32_t before = t.field < 1 ? 0u : static_cast<uint32_t>(t.field);
        const uint32_t after = (t.field < 1 ? 0u : static_cast<uint32_t>(t.field - 1)) +
                               ((t.kept + (t.round_up ? 1u : 0u)) >> fi.man_bits);
        if (t.round_up && after != before)
          n.steps.push_back({{"code", "carry"},
                             {"mantissa_before", binary(t.kept & man_mask, fi.man_bits)},
                             {"from_field", before},
                             {"to_field", after}});
      }
      if (t.overflow) {
        const char* result = out.cls == FloatClass::infinity ? "inf" : out.cls == FloatClass::nan ? "nan" : "max";
        const char* reason = r == Rounding::toward_zero ? "trunc" : saturating ? "saturate" : "default";
        n.steps.push_back({{"code", "overflow"}, {"max", max_text}, {"result", result}, {"reason", reason}});
        const std::string code = std::string("overflow_") + result;
        n.warnings.push_back({{"code", code}, {"max", max_text}, {"reason", reason}});
      } else if (out.cls == FloatClass::zero) {
        const int32_t min_sub = 1 - fi.bias - static_cast<int32_t>(fi.man_bits);
        const std::string min_text = exact_decimal(to_fp32(f, 1));
        n.steps.push_back({{"code", "underflow_zero"}, {"min_subnormal", min_text}, {"min_subnormal_pow2", min_sub}});
        n.warnings.push_back(
            {{"code", "underflow_zero"}, {"min_subnormal", min_text}, {"min_subnormal_pow2", min_sub}});
      } else if (out.cls == FloatClass::subnormal) {
        const std::string min_normal = exact_decimal(to_fp32(f, 1u << fi.man_bits));
        n.steps.push_back({{"code", "subnormal_result"}, {"min_normal", min_normal}, {"min_normal_pow2", 1 - fi.bias}});
        n.warnings.push_back({{"code", "subnormal"}, {"min_normal", min_normal}, {"min_normal_pow2", 1 - fi.bias}});
      }
      break;
    }
  }
  n.steps.push_back(result_step(f, n.bits));
  n.error = error_json(x, to_fp32(f, n.bits));
  // Precision lost: said once, unless an overflow or an underflow to zero already says more.
  const bool lost = !n.error.is_null() && !n.error["exact"].get<bool>();
  if (lost && !t.overflow && out.cls != FloatClass::zero)
    n.warnings.push_back({{"code", "inexact"}, {"rel", n.error["rel"]}, {"rel_approx", n.error["rel_approx"]}});
  return n;
}

// ---- narrow -> fp32: exact, explained --------------------------------------------------------------

ojson widen_steps(Format f, uint32_t bits) {
  const FormatInfo& fi = info(f);
  const Fields d = decompose(f, bits);
  const uint32_t y = to_fp32(f, bits);
  ojson steps = ojson::array();
  steps.push_back({{"code", "decode_sign"}, {"sign", d.negative ? 1 : 0}});
  switch (d.cls) {
    case FloatClass::nan:
      steps.push_back({{"code", "decode_nan"}, {"quiet_input", !fi.has_inf || (d.mantissa >> (fi.man_bits - 1)) != 0}});
      break;
    case FloatClass::infinity:
      steps.push_back({{"code", "decode_infinity"}});
      break;
    case FloatClass::zero:
      steps.push_back({{"code", "decode_zero"}});
      break;
    case FloatClass::subnormal:
      if (fi.bias == 127) {
        steps.push_back({{"code", "decode_subnormal_same"},
                         {"mantissa", binary(d.mantissa, fi.man_bits)},
                         {"to_mantissa", binary(y & 0x7fffffu, 23)}});
      } else {
        steps.push_back({{"code", "decode_subnormal"},
                         {"mantissa", binary(d.mantissa, fi.man_bits)},
                         {"mantissa_int", d.mantissa},
                         {"scale_pow2", 1 - fi.bias - static_cast<int32_t>(fi.man_bits)},
                         {"unbiased", static_cast<int32_t>((y >> 23) & 0xffu) - 127},
                         {"to_field", (y >> 23) & 0xffu},
                         {"to_bits", binary((y >> 23) & 0xffu, 8)},
                         {"to_mantissa", binary(y & 0x7fffffu, 23)}});
      }
      break;
    case FloatClass::normal:
      steps.push_back({{"code", fi.bias == 127 ? "decode_exponent_same" : "decode_exponent"},
                       {"from_field", d.exponent},
                       {"from_bias", fi.bias},
                       {"unbiased", d.exponent_unbiased},
                       {"to_bias", 127},
                       {"to_field", (y >> 23) & 0xffu},
                       {"to_bits", binary((y >> 23) & 0xffu, 8)}});
      steps.push_back({{"code", "decode_mantissa"},
                       {"from", binary(d.mantissa, fi.man_bits)},
                       {"to", binary(y & 0x7fffffu, 23)},
                       {"zeros", 23 - fi.man_bits}});
      break;
  }
  steps.push_back(result_step(Format::fp32, y));
  return steps;
}

// ---- the request ------------------------------------------------------------------------------------

Rounding request_rounding(const json& req) {
  const std::string s = request_string(req, "round", "/round");
  if (s.empty() || s == "rne") return Rounding::nearest_even;
  if (s == "trunc") return Rounding::toward_zero;
  throw Error(code::bad_request, "/round", txt("error.convert.rounding", {{"value", s.substr(0, 20)}}));
}

E4M3Overflow request_overflow(const json& req) {
  const std::string s = request_string(req, "e4m3_overflow", "/e4m3_overflow");
  if (s.empty() || s == "nan") return E4M3Overflow::nan;
  if (s == "saturate") return E4M3Overflow::saturate;
  throw Error(code::bad_request, "/e4m3_overflow", txt("error.convert.e4m3_overflow", {{"value", s.substr(0, 20)}}));
}

bool looks_like_hex(const std::string& s) {
  const size_t i = s.find_first_not_of(" \t");
  return i != std::string::npos && i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
}

}  // namespace

ojson op_convert(const json& req) {
  const Rounding rounding = request_rounding(req);
  const E4M3Overflow overflow = request_overflow(req);
  const Rounding other = rounding == Rounding::nearest_even ? Rounding::toward_zero : Rounding::nearest_even;

  const std::string from_name = request_string(req, "from", "/from");
  const auto from = find_format(from_name.empty() ? "fp32" : from_name);
  if (!from) throw Error(code::bad_request, "/from", txt("error.convert.format", {{"value", from_name.substr(0, 20)}}));
  const FormatInfo& src = info(*from);

  std::string text = request_string(req, "bits", "/bits");
  std::string path = "/bits";
  if (text.empty()) {
    if (req.contains("value") && !req["value"].is_null() && !req["value"].is_string())
      throw Error(code::bad_request, "/value", txt("error.convert.value_string"));
    text = request_string(req, "value", "/value");
    path = "/value";
    if (text.empty()) throw Error(code::bad_request, "/value", txt("error.convert.no_value"));
  }

  const bool as_bits = path == "/bits" || looks_like_hex(text);
  uint32_t source_bits = 0;
  uint32_t x = 0;  // the fp32 every other format is converted from
  if (as_bits) {
    const auto b = parse_hex_bits(text, src.width);
    if (!b)
      throw Error(
          code::invalid_value, path,
          txt("error.convert.bits",
              {{"format", src.name},
               {"digits", src.width / 4},
               {"example", hex(src.id == Format::fp32 ? 0x4048f5c3u : from_fp32(src.id, 0x4048f5c3u), src.width)},
               {"value", text.substr(0, 40)}}));
    source_bits = *b;
    x = to_fp32(*from, source_bits);
  } else {
    if (*from != Format::fp32) throw Error(code::bad_request, "/from", txt("error.convert.decimal_from"));
    const auto b = parse_decimal_fp32(text);
    if (!b) throw Error(code::invalid_value, path, txt("error.convert.not_a_number", {{"value", text.substr(0, 40)}}));
    source_bits = x = *b;
  }

  ojson formats = ojson::array();
  for (const auto& fi : kFormats) {
    ojson entry;
    if (fi.id == *from) {
      entry = layout_json(fi.id, source_bits);
      entry["role"] = "source";
      ojson steps = ojson::array();
      if (as_bits)
        steps.push_back({{"code", "input_bits"}, {"format", fi.name}, {"bits", hex(source_bits, fi.width)}});
      else
        steps.push_back({{"code", "parse_decimal"}, {"text", text}, {"bits", hex(x, 32)}, {"value", exact_decimal(x)}});
      steps.push_back(result_step(fi.id, source_bits));
      entry["steps"] = std::move(steps);
      entry["warnings"] = ojson::array();
      entry["error"] = nullptr;
      entry["alternative"] = nullptr;
    } else if (fi.id == Format::fp32) {
      entry = layout_json(fi.id, x);
      entry["role"] = "widened";
      entry["steps"] = widen_steps(*from, source_bits);
      entry["warnings"] = ojson::array();
      entry["error"] = nullptr;
      entry["alternative"] = nullptr;
    } else {
      Narrowed n = narrow_explained(fi.id, x, rounding, overflow);
      entry = layout_json(fi.id, n.bits);
      entry["role"] = "converted";
      entry["steps"] = std::move(n.steps);
      entry["warnings"] = std::move(n.warnings);
      entry["error"] = std::move(n.error);
      const uint32_t alt = from_fp32(fi.id, x, other, overflow);
      entry["alternative"] = {{"round", other == Rounding::nearest_even ? "rne" : "trunc"},
                              {"bits", hex(alt, fi.width)},
                              {"fields", fields_text(fi.id, alt)}};
      entry["alternative"].update(value_json(fi.id, alt));
    }
    formats.push_back(std::move(entry));
  }

  return {{"ok", true},
          {"input",
           {{"text", text},
            {"kind", as_bits ? "bits" : "decimal"},
            {"from", src.name},
            {"round", rounding == Rounding::nearest_even ? "rne" : "trunc"},
            {"e4m3_overflow", overflow == E4M3Overflow::nan ? "nan" : "saturate"}}},
          {"fp32_bits", hex(x, 32)},
          {"formats", std::move(formats)}};
}

}  // namespace gpumem
