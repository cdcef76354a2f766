// NumPy's array2string, which JAX prints its arrays with: every float of an array in one
// notation and one width (positional `[1.5 2.  3. ]` or e-notation `[1.e+06 1.e+00]`, chosen
// from the array's range), rows wrapped at the line width, and only the edges of an array past
// the threshold. Values are float32 on the host, so each prints with the fewest digits that read
// back as the same float32, as NumPy's Dragon4 prints a float32.

import type { DType } from "./ir/types.js";
import { printOptionsNow, type PrintOptions } from "./printOptions.js";

interface Decimal {
  readonly digits: string; // no leading zeros ("0" for zero)
  readonly point: number; // value = 0.digits × 10^point
}

/** The shortest decimal digits that read back as float32 `v` (finite, ≥ 0). */
function shortestDigits(v: number): Decimal {
  if (v === 0) return { digits: "0", point: 1 };
  let p = 1;
  while (p < 9 && Math.fround(Number(v.toExponential(p - 1))) !== v) p++;
  const [m, e] = v.toExponential(p - 1).split("e");
  return { digits: m!.replace(".", "").replace(/0+$/, "") || "0", point: Number(e) + 1 };
}

/** The exact decimal value of a double `v` (finite, ≥ 0): m·2^e is m·5^−e / 10^−e. */
function exactDigits(v: number): Decimal {
  if (v === 0) return { digits: "0", point: 1 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  const s = (e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e)).toString();
  return { digits: s.replace(/0+$/, "") || "0", point: s.length + Math.min(e, 0) };
}

/** value·10^k as an integer, rounded half to even (as NumPy's Dragon4 rounds at its cutoff). */
function scaledRound(d: Decimal, k: number): bigint {
  const whole = BigInt(d.digits);
  const shift = d.point + k - d.digits.length;
  if (shift >= 0) return whole * 10n ** BigInt(shift);
  const div = 10n ** BigInt(-shift);
  const q = whole / div;
  const twice = 2n * (whole % div);
  return twice > div || (twice === div && q % 2n === 1n) ? q + 1n : q;
}

/** [integer part, k digits after the point]. */
function positional(d: Decimal, k: number): [string, string] {
  const n = scaledRound(d, k)
    .toString()
    .padStart(k + 1, "0");
  return [n.slice(0, n.length - k), n.slice(n.length - k)];
}

/** [leading digit, k digits after the point, exponent]. */
function scientific(d: Decimal, k: number): [string, string, number] {
  if (d.digits === "0") return ["0", "0".repeat(k), 0];
  let e = d.point - 1;
  let n = scaledRound(d, k - e).toString();
  if (n.length > k + 1) {
    e += 1; // a carry past the first digit: 9.996 → 1.000e+01
    n = n.slice(0, k + 1);
  }
  return [n[0]!, n.slice(1), e];
}

interface Digits {
  readonly int: string; // with its sign
  readonly frac: string;
  readonly exp?: string; // e-notation's exponent, signed ("+06")
}

/** NumPy's dragon4_positional / dragon4_scientific before padding. `unique`: the shortest digits
 *  that read back as the float32, cut at `precision` and extended to `minDigits` with the exact
 *  value's digits; else exactly `precision` digits. Unique digits lose trailing zeros past
 *  `minDigits`. */
function digitsOf(
  x: number,
  exp: boolean,
  precision: number | null,
  unique: boolean,
  minDigits: number,
  plus: boolean,
): Digits {
  const sign = x < 0 || Object.is(x, -0) ? "-" : plus ? "+" : "";
  const a = Math.abs(x);
  const short = shortestDigits(a);
  const shortFrac = exp ? short.digits.length - 1 : Math.max(0, short.digits.length - short.point);
  const count = unique ? Math.max(minDigits, Math.min(shortFrac, precision ?? Infinity)) : (precision ?? 0);
  const base = unique && count === shortFrac ? short : exactDigits(a);
  const trim = (f: string) => (unique ? f.replace(/0+$/, "").padEnd(minDigits, "0") : f);
  if (!exp) {
    const [int, frac] = positional(base, count);
    return { int: sign + int, frac: trim(frac) };
  }
  const [lead, frac, e] = scientific(base, count);
  return { int: sign + lead, frac: trim(frac), exp: `${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}` };
}

/** NumPy's FloatingFormat: one notation, precision and width for the values it is built from. */
function floatFormat(values: readonly number[], o: PrintOptions): (x: number) => string {
  const finite = values.filter(Number.isFinite);
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  let exp = false;
  if (nonzero.length > 0) {
    const max = Math.max(...nonzero);
    const min = Math.min(...nonzero);
    // float32 has 6 reliable decimal digits: NumPy switches to e-notation at 10^min(8, 6).
    exp = max >= 1e6 || (!o.suppress && (min < 1e-4 || max / min > 1e3));
  }
  const plus = o.sign === "+";
  let precision: number | null = o.floatmode === "unique" ? null : o.precision;
  let padLeft = 0,
    padRight = 0,
    minDigits = 0,
    unique = true,
    expSize = -1;
  if (finite.length > 0) {
    unique = o.floatmode !== "fixed";
    const parts = finite.map((v) => digitsOf(v, exp, precision, unique, 0, plus));
    padLeft = Math.max(...parts.map((p) => p.int.length));
    const fracWidth = Math.max(...parts.map((p) => p.frac.length));
    if (exp) {
      expSize = Math.max(...parts.map((p) => p.exp!.length)) - 1;
      precision = minDigits = fracWidth;
      padRight = expSize + 2 + fracWidth;
    } else {
      padRight = fracWidth;
      if (o.floatmode === "fixed" || o.floatmode === "maxprec_equal") precision = minDigits = fracWidth;
    }
    if (o.sign === " " && !finite.some((v) => v < 0 || Object.is(v, -0))) padLeft += 1;
  }
  if (finite.length !== values.length) {
    const negInf = o.sign !== "-" || values.some((v) => v === -Infinity);
    padLeft = Math.max(padLeft, o.nanstr.length - padRight - 1, o.infstr.length + (negInf ? 1 : 0) - padRight - 1);
  }
  const width = padLeft + padRight + 1;
  return (x) => {
    if (Number.isNaN(x)) return `${plus ? "+" : ""}${o.nanstr}`.padStart(width);
    if (!Number.isFinite(x)) return `${x < 0 ? "-" : plus ? "+" : ""}${o.infstr}`.padStart(width);
    const d = digitsOf(x, exp, precision, unique, minDigits, plus);
    if (d.exp !== undefined) {
      const e = d.exp[0]! + d.exp.slice(1).padStart(expSize, "0");
      return `${d.int.padStart(padLeft)}.${d.frac}e${e}`;
    }
    return `${d.int.padStart(padLeft)}.${d.frac.padEnd(padRight)}`;
  };
}

/** NumPy's IntegerFormat and BoolFormat. */
function intFormat(values: readonly number[], o: PrintOptions): (x: number) => string {
  let sign = o.sign;
  const max = values.length ? Math.max(...values) : 0;
  const min = values.length ? Math.min(...values) : 0;
  if (sign === " " && min < 0) sign = "-";
  const maxLen = String(max).length + (max >= 0 && sign !== "-" ? 1 : 0);
  const width = values.length ? Math.max(maxLen, String(min).length) : 0;
  return (x) => (x >= 0 && sign !== "-" ? sign + String(x) : String(x)).padStart(width);
}

export function formatFunction(values: readonly number[], dtype: DType, ndim: number, o: PrintOptions) {
  switch (dtype) {
    case "float32":
      return floatFormat(values, o);
    case "int32":
      return intFormat(values, o);
    case "bool":
      return (x: number) => (x ? (ndim > 0 ? " True" : "True") : "False");
    default:
      return dtype satisfies never;
  }
}

/** The flat indices NumPy's summary keeps: each axis longer than 2·edge keeps its edges. */
function keptIndices(shape: readonly number[], edge: number, summarise: boolean): number[] {
  let out = [0];
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const n = shape[axis]!;
    const picks =
      summarise && n > 2 * edge
        ? [...Array(edge).keys(), ...Array.from({ length: edge }, (_, i) => n - edge + i)]
        : [...Array(n).keys()];
    out = picks.flatMap((i) => out.map((rest) => i * stride + rest));
    stride *= n;
  }
  return out;
}

export interface Array2StringOptions {
  readonly separator?: string;
  /** Text before the array on its first line (continuation lines are indented past it). */
  readonly prefix?: string;
  /** Text after the array: the line width is shortened by it. */
  readonly suffix?: string;
  /** Overrides of the print options in force. */
  readonly options?: Partial<PrintOptions>;
  /** One element's text, in place of NumPy's format (a format spec's). */
  readonly element?: (v: number) => string;
}

/** np.array2string of host values in row-major order ("[]" when empty). */
export function array2string(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  { element, ...layout }: Array2StringOptions = {},
): string {
  return laidOut(shape, layout, (kept, o) => {
    const fmt =
      element ??
      formatFunction(
        kept.map((i) => data[i]!),
        dtype,
        shape.length,
        o,
      );
    return (i) => fmt(data[i]!);
  });
}

/** NumPy's ComplexFloatingFormat: the real parts in one float format, the imaginary parts in
 *  another that always shows its sign, the `j` before the imaginary part's padding. */
export function complex2string(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  shape: readonly number[],
  layout: Omit<Array2StringOptions, "element"> = {},
): string {
  return laidOut(shape, layout, (kept, o) => {
    const real = floatFormat(
      kept.map((i) => re[i]!),
      o,
    );
    const imag = floatFormat(
      kept.map((i) => im[i]!),
      { ...o, sign: "+" },
    );
    return (i) => {
      const b = imag(im[i]!);
      const end = b.trimEnd().length;
      return `${real(re[i]!)}${b.slice(0, end)}j${b.slice(end)}`;
    };
  });
}

/** NumPy's _formatArray: `format` is built from the flat indices a summary keeps, then gives the
 *  text of the element at a flat index. */
function laidOut(
  shape: readonly number[],
  { separator = " ", prefix = "", suffix = "", options = {} }: Omit<Array2StringOptions, "element">,
  format: (kept: number[], o: PrintOptions) => (flat: number) => string,
): string {
  const o = { ...printOptionsNow(), ...options };
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0) return "[]";
  const summarise = size > o.threshold;
  const edge = o.edgeitems;
  const fmt = format(keptIndices(shape, edge, summarise), o);
  const lineWidth = o.linewidth - suffix.length;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const sepTrim = separator.trimEnd();
  const extend = (s: string, line: string, word: string, width: number, hanging: string): [string, string] => {
    if (line.length + word.length > width && line.length > hanging.length) {
      s += line.trimEnd() + "\n";
      line = hanging;
    }
    return [s, line + word];
  };
  const recurse = (axis: number, offset: number, hanging: string, width: number): string => {
    if (axis === shape.length) return fmt(offset);
    const nextHanging = hanging + " ";
    const nextWidth = width - 1;
    const n = shape[axis]!;
    const summary = summarise && 2 * edge < n;
    const leading = summary ? edge : 0;
    const trailing = summary ? edge : n;
    const at = (i: number) => offset + (i < 0 ? n + i : i) * strides[axis]!;
    let s = "";
    if (axis === shape.length - 1) {
      const elemWidth = width - Math.max(sepTrim.length, 1);
      let line = hanging;
      for (let i = 0; i < leading; i++) {
        [s, line] = extend(s, line, recurse(axis + 1, at(i), nextHanging, nextWidth), elemWidth, hanging);
        line += separator;
      }
      if (summary) {
        [s, line] = extend(s, line, "...", elemWidth, hanging);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        [s, line] = extend(s, line, recurse(axis + 1, at(-i), nextHanging, nextWidth), elemWidth, hanging);
        line += separator;
      }
      [s, line] = extend(s, line, recurse(axis + 1, at(-1), nextHanging, nextWidth), elemWidth, hanging);
      s += line;
    } else {
      const lineSep = sepTrim + "\n".repeat(shape.length - axis - 1);
      for (let i = 0; i < leading; i++) s += hanging + recurse(axis + 1, at(i), nextHanging, nextWidth) + lineSep;
      if (summary) s += hanging + "..." + lineSep;
      for (let i = trailing; i > 1; i--) s += hanging + recurse(axis + 1, at(-i), nextHanging, nextWidth) + lineSep;
      s += hanging + recurse(axis + 1, at(-1), nextHanging, nextWidth);
    }
    return `[${s.slice(hanging.length)}]`;
  };
  return recurse(0, 0, " ".repeat(prefix.length + 1), lineWidth);
}
