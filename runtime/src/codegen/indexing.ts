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

/** Coordinates of flat index `flat` (a WGSL i32 expression or name) in `shape`. */
export function unravel(flat: string, shape: readonly number[]): string[] {
  const strides = stridesOf(shape);
  return shape.map((d, i) => {
    if (d === 1) return "0";
    const q = strides[i] === 1 ? flat : `(${flat} / ${strides[i]})`;
    return i === 0 ? q : `(${q} % ${d})`;
  });
}
