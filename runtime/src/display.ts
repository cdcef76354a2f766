// How an array prints: NumPy style (`Array([[1., 2.], [3., 4.]], dtype=float32)`) when its
// values are on the host, and a sentence saying how to read them when they are not (on the GPU,
// or a tracer inside jit/grad/vmap). Used by console.log through Node's util.inspect.custom.

import type { DType } from "./ir/types.js";
import { array2string } from "./arrayPrint.js";
import { printOptionsNow, type PrintOptions } from "./printOptions.js";

/** NumPy prints every element up to this size, and 3 per edge beyond it (complex arrays). */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** The shortest decimal that reads back as the same float32 (complex parts). */
function float32Text(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

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
  const lastLine = s.length - s.lastIndexOf("\n") + 1;
  const width = { ...printOptionsNow(), ...options }.linewidth;
  const sep = lastLine + dtypeText.length + 2 > width ? " ".repeat(prefix.length) : " ";
  return `${prefix}${s},${sep}${dtypeText})`;
}

/** `Array([1.+4.j, 2.-0.5j], dtype=complex64)`: NumPy's repr of complex values. */
export function formatComplexArray(re: ArrayLike<number>, im: ArrayLike<number>, shape: readonly number[]): string {
  const texts: string[] = [];
  for (let i = 0; i < re.length; i++) {
    const b = im[i]!;
    const sign = b < 0 || Object.is(b, -0) ? "-" : "+";
    texts.push(`${float32Text(re[i]!)}${sign}${float32Text(Math.abs(b))}j`);
  }
  const prefix = "Array(";
  const body = shape.length === 0 ? texts[0]! : nested(texts, shape, " ".repeat(prefix.length), ", ", ",");
  return `${prefix}${body}, dtype=complex64)`;
}

/** `texts` (row-major) in nested brackets as NumPy lays them out: padded to one width, `sep`
 *  between a row's elements, rows on new lines under `indent` (after `comma`: "," in a repr, ""
 *  in a str), and only the edges of an axis past SUMMARY_THRESHOLD elements. */
function nested(
  texts: readonly string[],
  shape: readonly number[],
  indent: string,
  sep: string,
  comma: string,
): string {
  const width = Math.max(0, ...texts.map((t) => t.length));
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const summarise = texts.length > SUMMARY_THRESHOLD;
  const build = (axis: number, offset: number, ind: string): string => {
    if (axis === shape.length) return texts[offset]!.padStart(width);
    const n = shape[axis]!;
    const picks: (number | null)[] = [];
    if (summarise && n > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) picks.push(i);
      picks.push(null);
      for (let i = n - EDGE_ITEMS; i < n; i++) picks.push(i);
    } else for (let i = 0; i < n; i++) picks.push(i);
    const parts = picks.map((i) => (i === null ? "..." : build(axis + 1, offset + i * strides[axis]!, ind + " ")));
    const between = axis === shape.length - 1 ? sep : `${comma}${"\n".repeat(shape.length - axis - 1)}${ind} `;
    return `[${parts.join(between)}]`;
  };
  return build(0, 0, indent);
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
