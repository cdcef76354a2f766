// How an array prints: JAX's repr (`Array([1.5, 2. , 3. ], dtype=float32)`) when its
// values are on the host, and a sentence saying how to read them when they are not (on the GPU,
// or a tracer inside jit/grad/vmap). Used by console.log through Node's util.inspect.custom.

import type { DType } from "./ir/types.js";
import { array2string, complex2string } from "./arrayPrint.js";
import { printOptionsNow, type PrintOptions } from "./printOptions.js";

/** A float32 scalar as NumPy's str() writes it: `2.0`, `0.001`, `1e-05`, `1.5e+20`. */
function scalarFloatText(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v < 0 ? "-inf" : "inf";
  const a = Math.abs(v);
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  let p = 1;
  while (p < 9 && Math.fround(Number(a.toExponential(p - 1))) !== a) p++;
  const [m, e] = a.toExponential(p - 1).split("e");
  const digits = m!.replace(".", "").replace(/0+$/, "") || "0";
  const exp = Number(e);
  if (a === 0 || (a >= 1e-4 && a < 1e16)) {
    const point = exp + 1;
    const text =
      point <= 0
        ? `0.${"0".repeat(-point)}${digits}`
        : point >= digits.length
          ? `${digits}${"0".repeat(point - digits.length)}.0`
          : `${digits.slice(0, point)}.${digits.slice(point)}`;
    return sign + text;
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** A shape as Python writes the tuple: `(2, 0)`, `(0,)`. */
const pyTuple = (shape: readonly number[]) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`);

/** JAX's repr, `Array([1.5, 2. , 3. ], dtype=float32)`, for host values in row-major order:
 *  NumPy's array2string after the prefix, the dtype after the last line or (past the line width)
 *  after spaces as wide as the prefix, as JAX's ArrayImpl.__repr__ places it. */
export function formatArray(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  options: Partial<PrintOptions> = {},
): string {
  const prefix = "Array(";
  const dtypeText = `dtype=${dtype}`;
  const size = shape.reduce((a, b) => a * b, 1);
  const s =
    size === 0
      ? `[], shape=${pyTuple(shape)}`
      : array2string(data, shape, dtype, { separator: ", ", prefix, suffix: ",", options });
  return withDtype(prefix, s, dtypeText, options);
}

/** The dtype after the last line, or (past the line width) after spaces as wide as the prefix. */
function withDtype(prefix: string, s: string, dtypeText: string, options: Partial<PrintOptions>): string {
  const lastLine = s.length - s.lastIndexOf("\n") + 1;
  const width = { ...printOptionsNow(), ...options }.linewidth;
  const sep = lastLine + dtypeText.length + 2 > width ? " ".repeat(prefix.length) : " ";
  return `${prefix}${s},${sep}${dtypeText})`;
}

/** `Array([1.+4.j , 2.-0.5j], dtype=complex64)`: JAX's repr of complex values. */
export function formatComplexArray(re: ArrayLike<number>, im: ArrayLike<number>, shape: readonly number[]): string {
  const prefix = "Array(";
  const s =
    re.length === 0
      ? `[], shape=${pyTuple(shape)}`
      : complex2string(re, im, shape, { separator: ", ", prefix, suffix: "," });
  return withDtype(prefix, s, "dtype=complex64", {});
}

/** What console.log shows for an array whose values are not on the host. */
export function describeUnread(
  shape: readonly number[],
  dtype: DType | "complex64",
  where: string,
  how: string,
): string {
  return `Array(shape=[${shape.join(", ")}], dtype=${dtype}) ${where}: ${how}`;
}

/** NumPy's str() of host values (`[1. 2.]`, `[[1 2]\n [3 4]]`, `3.5`): what jax.debug.print
 *  shows for an array. `element` formats one value (a format spec's; the texts padded to one
 *  width), else NumPy's own format under the print options. */
export function strArray(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  element?: (v: number) => string,
  options: Partial<PrintOptions> = {},
): string {
  if (shape.length === 0) {
    const v = data[0]!;
    if (element) return element(v);
    return dtype === "bool" ? (v ? "True" : "False") : dtype === "int32" ? String(v) : scalarFloatText(v);
  }
  if (!element) return array2string(data, shape, dtype, { options });
  let width = 0;
  for (let i = 0; i < data.length; i++) width = Math.max(width, element(data[i]!).length);
  return array2string(data, shape, dtype, { options, element: (v) => element(v).padStart(width) });
}
