// Every string the page renders from the core's structured data, in every language, in one place.
// The core returns stable codes with numbers and bit strings ({code: 'exponent_rebias', from_field: 128,
// to_field: 16, ...}); each language maps a code to a function of those fields. Adding a language is
// adding one object with the same keys (tests/node/i18n.test.mjs checks they match).
//
// Only formatting lives here: the numbers, bits and decimal strings all come from the core.

const pow2 = (p) => `2^${p}`;

const en = {
  ui: {
    steps: 'Steps',
    warnings: 'Warnings',
    hex: 'hex',
    binary: 'binary',
    value: 'value',
    error: 'error vs fp32',
    relative: 'relative',
    copyHex: 'Copy hex',
    copyBinary: 'Copy binary',
    copied: (what) => `Copied ${what}.`,
    copyFailed: 'The browser did not allow copying; select the text instead.',
    bitsOf: (format) => `${format} bits (click a bit to flip it)`,
    bit: (format, i, field) => `${format} bit ${i} (${field})`,
    fields: { sign: 'sign', exponent: 'exponent', mantissa: 'mantissa' },
    roles: { source: 'input', widened: 'widened exactly', converted: 'converted' },
    alternative: { trunc: 'truncation would give', rne: 'round-to-nearest-even would give' },
    none: '—',
  },
  decisions: {
    exact: 'the dropped bits are all 0: exact',
    down: 'below half an ulp: round down (keep)',
    up: 'above half an ulp: round up (+1)',
    tie_down: 'exactly half an ulp: ties to even, the kept bits end in 0: keep',
    tie_up: 'exactly half an ulp: ties to even, the kept bits end in 1: round up (+1)',
    truncate: 'truncation: the dropped bits are discarded',
  },
  steps: {
    parse_decimal: (s) => `"${s.text}" is read as the nearest fp32: ${s.bits} = ${s.value}.`,
    input_bits: (s) => `Input: ${s.format} bits ${s.bits}.`,
    sign: (s) => `Sign: bit ${s.sign} is copied unchanged.`,
    nan: (s) =>
      s.single_pattern
        ? 'NaN stays NaN: e4m3 has one NaN pattern per sign, S.1111.111.'
        : `NaN stays NaN: the sign and the top ${s.payload_bits} payload bits are kept and the quiet bit is set.`,
    infinity: (s) =>
      s.result === 'inf'
        ? 'Infinity stays infinity.'
        : s.result === 'nan'
          ? 'e4m3 has no infinity: it becomes NaN (as PyTorch\'s float8_e4m3fn).'
          : `e4m3 has no infinity: saturating gives the largest finite value, ${s.max}.`,
    zero: () => 'Zero stays zero, with its sign.',
    input_subnormal: (s) =>
      `The input is an fp32 subnormal: exponent field 0 means 2^-126 with no hidden 1 (mantissa ${s.mantissa}).`,
    exponent_same: (s) =>
      `Exponent: bf16 keeps fp32's 8-bit exponent and bias 127, so field ${s.field} (${s.bits}) is copied unchanged: 2^${s.unbiased}.`,
    exponent_rebias: (s) =>
      `Exponent: field ${s.from_field} → ${s.to_field} (${s.from_field} − ${s.from_bias} + ${s.to_bias}` +
      (s.to_bits ? `; binary ${s.to_bits}` : '') +
      `), the value's exponent is 2^${s.unbiased}.` +
      (s.to_field < s.min_field ? ` That is below the smallest normal field ${s.min_field}.` : '') +
      (s.to_field > s.max_field ? ` That is above the largest finite field ${s.max_field}.` : ''),
    exponent_too_large: (s) =>
      `${pow2(s.unbiased)} is above the largest exponent ${pow2(s.max_unbiased)}: no rounding can bring it back.`,
    subnormal_shift: (s) =>
      `${pow2(s.unbiased)} is below the smallest normal exponent ${pow2(s.min_unbiased)}: the result is subnormal ` +
      `(exponent field 0) and the significand moves ${s.extra} more places right.`,
    round: (s, t) =>
      `Mantissa: of ${s.significand} keep ${s.kept}, drop ${s.dropped} — guard ${s.guard}, round ${s.round}, ` +
      `sticky ${s.sticky}: ${t.decisions[s.decision]} → ${s.mantissa}.`,
    carry: (s) =>
      `Carry: ${s.mantissa_before} + 1 overflows the mantissa, so the exponent field goes ${s.from_field} → ${s.to_field}.`,
    overflow: (s) =>
      s.result === 'inf'
        ? `Overflow: beyond the largest finite value ${s.max} the result is infinity.`
        : s.result === 'nan'
          ? `Overflow: beyond ${s.max} e4m3 gives NaN (as PyTorch's float8_e4m3fn).`
          : s.reason === 'trunc'
            ? `Rounding toward zero never passes the largest finite value: ${s.max}.`
            : `Saturating: clamped to the largest finite value ${s.max}.`,
    underflow_zero: (s) =>
      `Underflow: below half the smallest subnormal ${pow2(s.min_subnormal_pow2)} = ${s.min_subnormal}, the result is 0.`,
    subnormal_result: (s) =>
      `The result is subnormal (below ${pow2(s.min_normal_pow2)} = ${s.min_normal}): it keeps fewer significant bits.`,
    result: (s) => `Result: ${s.fields} = ${s.bits} = ${s.value}.`,
    decode_sign: (s) => `Sign: bit ${s.sign} is copied.`,
    decode_nan: () => 'NaN: the payload moves to the top of the fp32 mantissa and the quiet bit is set.',
    decode_infinity: () => 'Infinity stays infinity.',
    decode_zero: () => 'Zero stays zero, with its sign.',
    decode_exponent: (s) =>
      `Exponent: field ${s.from_field} → ${s.to_field} (${s.from_field} − ${s.from_bias} + 127; binary ${s.to_bits}), 2^${s.unbiased}.`,
    decode_exponent_same: (s) => `Exponent: field ${s.from_field} is copied (the same bias 127), 2^${s.unbiased}.`,
    decode_mantissa: (s) => `Mantissa: ${s.from} gets ${s.zeros} zeros appended: ${s.to}. Widening is exact.`,
    decode_subnormal: (s) =>
      `Subnormal: ${s.mantissa} × ${pow2(s.scale_pow2)} is normalised to ${pow2(s.unbiased)} ` +
      `(field ${s.to_field}, binary ${s.to_bits}), mantissa ${s.to_mantissa}.`,
    decode_subnormal_same: (s) => `A bf16 subnormal is an fp32 subnormal: mantissa ${s.to_mantissa}.`,
  },
  warnings: {
    overflow_inf: (w) => `Overflow: beyond ${w.max} the value becomes infinity.`,
    overflow_nan: (w) => `Overflow: beyond ${w.max} e4m3 gives NaN.`,
    overflow_max: (w) => `Overflow: clamped to the largest finite value ${w.max}.`,
    infinity_nan: () => 'e4m3 has no infinity: NaN.',
    infinity_max: (w) => `e4m3 has no infinity: saturated to ${w.max}.`,
    underflow_zero: (w) => `Underflow: below half of ${pow2(w.min_subnormal_pow2)} (the smallest subnormal) the value becomes 0.`,
    subnormal: (w) => `Subnormal: below ${pow2(w.min_normal_pow2)} fewer significant bits are kept.`,
    inexact: (w) => `Precision lost: relative error ${w.rel_approx}.`,
    nan_quieted: () => 'A signalling NaN became a quiet NaN.',
  },
};

const zh = {
  ui: {
    steps: '步骤',
    warnings: '警告',
    hex: '十六进制',
    binary: '二进制',
    value: '值',
    error: '相对 fp32 的误差',
    relative: '相对',
    copyHex: '复制十六进制',
    copyBinary: '复制二进制',
    copied: (what) => `已复制${what}。`,
    copyFailed: '浏览器不允许复制；请手动选中文本。',
    bitsOf: (format) => `${format} 的各位（点击可翻转）`,
    bit: (format, i, field) => `${format} 第 ${i} 位（${field}）`,
    fields: { sign: '符号', exponent: '指数', mantissa: '尾数' },
    roles: { source: '输入', widened: '精确扩展', converted: '转换结果' },
    alternative: { trunc: '截断会得到', rne: '就近舍入（偶数优先）会得到' },
    none: '—',
  },
  decisions: {
    exact: '舍去的位全为 0：精确',
    down: '小于半个 ulp：向下舍入（保留）',
    up: '大于半个 ulp：向上舍入（+1）',
    tie_down: '恰好半个 ulp：向偶数舍入，保留位末位为 0：保留',
    tie_up: '恰好半个 ulp：向偶数舍入，保留位末位为 1：进一（+1）',
    truncate: '截断：直接丢弃舍去的位',
  },
  steps: {
    parse_decimal: (s) => `"${s.text}" 读作最接近的 fp32：${s.bits} = ${s.value}。`,
    input_bits: (s) => `输入：${s.format} 位模式 ${s.bits}。`,
    sign: (s) => `符号位：${s.sign}，原样复制。`,
    nan: (s) =>
      s.single_pattern
        ? 'NaN 仍为 NaN：e4m3 每个符号只有一个 NaN 模式 S.1111.111。'
        : `NaN 仍为 NaN：保留符号和高 ${s.payload_bits} 位载荷，并置静默位。`,
    infinity: (s) =>
      s.result === 'inf'
        ? '无穷大仍为无穷大。'
        : s.result === 'nan'
          ? 'e4m3 没有无穷大：结果为 NaN（与 PyTorch 的 float8_e4m3fn 一致）。'
          : `e4m3 没有无穷大：饱和为最大有限值 ${s.max}。`,
    zero: () => '零仍为零，保留符号。',
    input_subnormal: (s) => `输入是 fp32 次正规数：指数字段 0 表示 2^-126，且没有隐含的 1（尾数 ${s.mantissa}）。`,
    exponent_same: (s) =>
      `指数：bf16 与 fp32 同为 8 位指数、偏置 127，字段 ${s.field}（${s.bits}）原样复制：2^${s.unbiased}。`,
    exponent_rebias: (s) =>
      `指数：字段 ${s.from_field} → ${s.to_field}（${s.from_field} − ${s.from_bias} + ${s.to_bias}` +
      (s.to_bits ? `；二进制 ${s.to_bits}` : '') +
      `），数值的指数为 2^${s.unbiased}。` +
      (s.to_field < s.min_field ? `低于最小正规字段 ${s.min_field}。` : '') +
      (s.to_field > s.max_field ? `高于最大有限字段 ${s.max_field}。` : ''),
    exponent_too_large: (s) => `${pow2(s.unbiased)} 超过最大指数 ${pow2(s.max_unbiased)}：无论如何舍入都会上溢。`,
    subnormal_shift: (s) =>
      `${pow2(s.unbiased)} 低于最小正规指数 ${pow2(s.min_unbiased)}：结果为次正规数（指数字段 0），有效数字再右移 ${s.extra} 位。`,
    round: (s, t) =>
      `尾数：${s.significand} 保留 ${s.kept}，舍去 ${s.dropped}——保护位 ${s.guard}、舍入位 ${s.round}、` +
      `粘滞位 ${s.sticky}：${t.decisions[s.decision]} → ${s.mantissa}。`,
    carry: (s) => `进位：${s.mantissa_before} + 1 溢出尾数，指数字段 ${s.from_field} → ${s.to_field}。`,
    overflow: (s) =>
      s.result === 'inf'
        ? `上溢：超过最大有限值 ${s.max}，结果为无穷大。`
        : s.result === 'nan'
          ? `上溢：超过 ${s.max}，e4m3 结果为 NaN（与 PyTorch 的 float8_e4m3fn 一致）。`
          : s.reason === 'trunc'
            ? `向零舍入不会超过最大有限值：${s.max}。`
            : `饱和：截到最大有限值 ${s.max}。`,
    underflow_zero: (s) => `下溢：小于最小次正规数 ${pow2(s.min_subnormal_pow2)} = ${s.min_subnormal} 的一半，结果为 0。`,
    subnormal_result: (s) => `结果是次正规数（小于 ${pow2(s.min_normal_pow2)} = ${s.min_normal}）：有效位更少。`,
    result: (s) => `结果：${s.fields} = ${s.bits} = ${s.value}。`,
    decode_sign: (s) => `符号位：${s.sign}，原样复制。`,
    decode_nan: () => 'NaN：载荷移到 fp32 尾数的高位，并置静默位。',
    decode_infinity: () => '无穷大仍为无穷大。',
    decode_zero: () => '零仍为零，保留符号。',
    decode_exponent: (s) =>
      `指数：字段 ${s.from_field} → ${s.to_field}（${s.from_field} − ${s.from_bias} + 127；二进制 ${s.to_bits}），2^${s.unbiased}。`,
    decode_exponent_same: (s) => `指数：字段 ${s.from_field} 原样复制（偏置同为 127），2^${s.unbiased}。`,
    decode_mantissa: (s) => `尾数：${s.from} 后面补 ${s.zeros} 个 0：${s.to}。扩展是精确的。`,
    decode_subnormal: (s) =>
      `次正规数：${s.mantissa} × ${pow2(s.scale_pow2)} 规格化为 ${pow2(s.unbiased)}（字段 ${s.to_field}，二进制 ${s.to_bits}），尾数 ${s.to_mantissa}。`,
    decode_subnormal_same: (s) => `bf16 次正规数就是 fp32 次正规数：尾数 ${s.to_mantissa}。`,
  },
  warnings: {
    overflow_inf: (w) => `上溢：超过 ${w.max} 变为无穷大。`,
    overflow_nan: (w) => `上溢：超过 ${w.max}，e4m3 结果为 NaN。`,
    overflow_max: (w) => `上溢：截到最大有限值 ${w.max}。`,
    infinity_nan: () => 'e4m3 没有无穷大：结果为 NaN。',
    infinity_max: (w) => `e4m3 没有无穷大：饱和为 ${w.max}。`,
    underflow_zero: (w) => `下溢：小于 ${pow2(w.min_subnormal_pow2)}（最小次正规数）的一半，结果为 0。`,
    subnormal: (w) => `次正规数：小于 ${pow2(w.min_normal_pow2)} 时有效位变少。`,
    inexact: (w) => `精度损失：相对误差 ${w.rel_approx}。`,
    nan_quieted: () => '信号 NaN 变为静默 NaN。',
  },
};

export const languages = { en: { name: 'English', strings: en }, zh: { name: '中文', strings: zh } };

export function strings(lang) {
  return (languages[lang] ?? languages.en).strings;
}

// A step or warning object from the core, as a sentence. An unknown code shows as itself rather than
// vanishing, so a core that learned a new step is visible before its translation exists.
export function stepText(lang, step) {
  const t = strings(lang);
  const f = t.steps[step.code];
  return f ? f(step, t) : step.code;
}

export function warningText(lang, warning) {
  const t = strings(lang);
  const f = t.warnings[warning.code];
  return f ? f(warning, t) : warning.code;
}
