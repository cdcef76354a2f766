// How an array prints: NumPy style (`Array([[1., 2.], [3., 4.]], dtype=float32)`) when its
// values are on the host, and a sentence saying how to read them when they are not (on the GPU,
// or a tracer inside jit/grad/vmap). Used by console.log through Node's util.inspect.custom.

import type { DType } from "./ir/types.js";

/** NumPy prints every element up to this size, and 3 per edge beyond it. */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** The shortest decimal that reads back as the same float32. */
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

function elementText(v: number, dtype: DType): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (dtype === "int32") return String(v);
  return float32Text(v);
}

/** `Array([...], dtype=float32)` for host values in row-major order. */
export function formatArray(data: ArrayLike<number>, shape: readonly number[], dtype: DType): string {
  const texts: string[] = [];
  for (let i = 0; i < data.length; i++) texts.push(elementText(data[i]!, dtype));
  const prefix = "Array(";
  const body = shape.length === 0 ? texts[0]! : nested(texts, shape, " ".repeat(prefix.length), ", ", ",");
  return `${prefix}${body}, dtype=${dtype})`;
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
 *  shows for an array. `element` formats one value (a format spec's), else NumPy's own text. */
export function strArray(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  element?: (v: number) => string,
): string {
  let texts: string[] = [];
  for (let i = 0; i < data.length; i++) texts.push(element ? element(data[i]!) : elementText(data[i]!, dtype));
  if (shape.length === 0) return texts[0] ?? "";
  if (!element && dtype === "float32") texts = alignPoints(texts);
  return nested(texts, shape, "", " ", "");
}

/** NumPy lines floats up at the point, the fractions padded on the right: `[1.5 2.  3. ]`.
 *  (Left as they are when one is in e-notation.) */
function alignPoints(texts: string[]): string[] {
  if (texts.some((t) => t.includes("e"))) return texts;
  const parts = texts.map((t) => (t.includes(".") ? t.split(".") : [t, null]));
  const intWidth = Math.max(0, ...parts.map(([i, f]) => (f === null ? 0 : i!.length)));
  const fracWidth = Math.max(0, ...parts.map(([, f]) => (f === null ? 0 : f.length)));
  const width = intWidth + 1 + fracWidth;
  return parts.map(([i, f]) => (f === null ? i!.padStart(width) : `${i!.padStart(intWidth)}.${f.padEnd(fracWidth)}`));
}
