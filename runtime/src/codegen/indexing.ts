// Index arithmetic over row-major shapes, as WGSL expression text (coordinates are i32).

import { stridesOf } from "../ir/types.js";
export { stridesOf };

/** Flat row-major offset of `coords` in `shape`; size-1 axes contribute nothing. */
export function linearize(coords: readonly string[], shape: readonly number[], offset = 0): string {
  const strides = stridesOf(shape);
  const terms: string[] = [];
  coords.forEach((c, i) => {
    if (shape[i] === 1) return;
    terms.push(strides[i] === 1 ? c : `${c} * ${strides[i]}`);
  });
  if (offset !== 0) terms.push(String(offset));
  return terms.length === 0 ? "0" : terms.join(" + ");
}

/** Coordinates of flat index `flat` (a WGSL i32 expression or name) in `shape`. A shape with a
 *  zero-size axis has no element to address: its coordinates are 0, never read (a division by
 *  the axis's 0 would make the WGSL invalid). */
export function unravel(flat: string, shape: readonly number[]): string[] {
  if (shape.includes(0)) return shape.map(() => "0");
  const strides = stridesOf(shape);
  return shape.map((d, i) => {
    if (d === 1) return "0";
    const q = strides[i] === 1 ? flat : `(${flat} / ${strides[i]})`;
    return i === 0 ? q : `(${q} % ${d})`;
  });
}

/**
 * Coordinates in `inShape` of the element at `coords` in `outShape` (a reshape, same size), axis
 * group by axis group: runs of consecutive axes whose sizes multiply to the same number on both
 * sides map through the group's own small flat index, so splitting [.., 16, ..] into [.., 8, 2, ..]
 * costs a / 2 and a % 2 instead of a divide and a modulo per axis of the whole array. `bind`
 * names a repeated subexpression. Null for shapes with a zero-size axis (the caller goes flat).
 */
export function reshapeCoords(
  coords: readonly string[],
  outShape: readonly number[],
  inShape: readonly number[],
  bind: (expr: string) => string,
): string[] | null {
  if (outShape.includes(0) || inShape.includes(0)) return null;
  const res: string[] = [];
  let i = 0,
    j = 0;
  for (;;) {
    while (i < outShape.length && outShape[i] === 1) i++;
    while (j < inShape.length && inShape[j] === 1) {
      res.push("0");
      j++;
    }
    if (i === outShape.length || j === inShape.length) break;
    const [i0, j0] = [i, j];
    let po = outShape[i++]!,
      pi = inShape[j++]!;
    while (po !== pi) {
      if (po < pi) {
        if (i === outShape.length) return null;
        po *= outShape[i++]!;
      } else {
        if (j === inShape.length) return null;
        pi *= inShape[j++]!;
      }
    }
    const flat = linearize(coords.slice(i0, i), outShape.slice(i0, i));
    // A coordinate is an operand of the caller's own arithmetic: a name or parenthesized.
    const atom = /^[A-Za-z_0-9]+$/.test(flat) || isParenthesized(flat) ? flat : `(${flat})`;
    const inGroup = inShape.slice(j0, j);
    if (inGroup.filter((d) => d !== 1).length <= 1) {
      res.push(...inGroup.map((d) => (d === 1 ? "0" : atom)));
      continue;
    }
    res.push(...unravel(/^[A-Za-z_0-9]+$/.test(flat) ? flat : bind(flat), inGroup));
  }
  if (i !== outShape.length || res.length + (inShape.length - j) !== inShape.length) return null;
  while (j++ < inShape.length) res.push("0");
  return res;
}

/** Whether `e` is one parenthesized expression, "(…)", not "(a) + (b)". */
function isParenthesized(e: string): boolean {
  if (!e.startsWith("(") || !e.endsWith(")")) return false;
  let depth = 0;
  for (let k = 0; k < e.length; k++) {
    depth += e[k] === "(" ? 1 : e[k] === ")" ? -1 : 0;
    if (depth === 0 && k < e.length - 1) return false;
  }
  return true;
}
