#include "gpumem/memory/bnb.hpp"

#include "gpumem/base/checked.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem {

namespace {
uint64_t dtype_bytes(const std::string& d) { return d == "fp32" ? 4 : 2; }
}  // namespace

BnbTransient bnb4_transient(const QuantSpec& q, const Runtime& rt, uint64_t in, uint64_t out, uint64_t rows,
                            const std::string& load_dtype, bool formulas) {
  BnbTransient t;
  if (q.method != QuantMethod::bnb_nf4 && q.method != QuantMethod::bnb_fp4) return t;
  // BitsAndBytesConfig's bnb_4bit_compute_dtype defaults to float32.
  const std::string compute = q.compute_dtype.empty() ? "fp32" : q.compute_dtype;
  const bool cast = compute != load_dtype;  // fp16 and bf16 are two different casts of the same size
  const uint64_t cb = dtype_bytes(compute), load_bytes = dtype_bytes(load_dtype);
  const uint64_t elems = mul(in, out);
  // bitsandbytes 0.50.0 is 5000 in Runtime's encoding (minor × 100 + patch); 0 = the current release.
  const bool fused = rt.bitsandbytes == 0 || rt.bitsandbytes >= 5000;
  uint64_t dequant = 0;
  Formula df;
  if (fused) {
    if (rows > 4) {
      dequant = mul(elems, cb);
      if (formulas)
        df = txt("formula.bnb.dequant_fused",
                 {{"in", with_commas(in)}, {"out", with_commas(out)}, {"n", std::to_string(cb)}});
    }
  } else if (rows > 1) {
    dequant = mul(elems, load_bytes);
    if (formulas)
      df = txt("formula.bnb.dequant_load",
               {{"in", with_commas(in)}, {"out", with_commas(out)}, {"n", std::to_string(load_bytes)}});
    if (cast) {
      dequant = add(dequant, mul(elems, cb));
      if (formulas) df += txt("formula.bnb.dequant_cast", {{"n", std::to_string(cb)}});
    }
  }
  // Linear4bit.forward: x.to(compute_dtype) and the output in it until .to(inp_dtype).
  const uint64_t casts = cast ? mul({rows, add(in, out), cb}) : 0;
  t.bytes = add(dequant, casts);
  if (formulas && t.bytes != 0) {
    t.formula = df;
    if (casts != 0) {
      if (!df.empty()) t.formula += txt("formula.plus");
      t.formula += txt(
          "formula.bnb.casts",
          {{"rows", with_commas(rows)}, {"in", with_commas(in)}, {"out", with_commas(out)}, {"n", std::to_string(cb)}});
    }
    t.formula += txt("formula.eq_B", {{"bytes", with_commas(t.bytes)}});
  }
  return t;
}

}  // namespace gpumem
