// "..." in einsum subscripts, as NumPy's: in each operand it stands for the axes its letters do
// not name; those axes are right-aligned across operands and broadcast (size 1 against n). Each
// broadcast position becomes a subscript of its own, "...0" (outermost) to "...k", which no
// letter can spell; an operand's size-1 axis at a position whose size is larger is squeezed
// away, so the operands without it broadcast along it. The output puts them where "..." is; an
// explicit output without "..." sums them (as JAX); an implicit output puts them first.

import { JitScopeError } from "../ir/errors.js";

export const isEllipsisAxis = (c: string): boolean => c.startsWith("...");

export interface Expanded {
  inputs: string[][];
  /** undefined: implicit output. */
  output: string[] | undefined;
  /** The ellipsis subscripts, outermost first. */
  ellipsis: string[];
  squeeze: number[][];
}

function split(spec: string, term: string): { before: string[]; after: string[]; has: boolean } {
  const i = term.indexOf("...");
  if (i < 0) return { before: [...term], after: [], has: false };
  const rest = term.slice(i + 3);
  if (rest.includes(".") || term.slice(0, i).includes("."))
    throw new JitScopeError("value", `einsum: "${spec}": "..." may appear once per operand, and "." only in it`);
  return { before: [...term.slice(0, i)], after: [...rest], has: true };
}

export function expandEllipsis(
  spec: string,
  terms: readonly string[],
  rhs: string | undefined,
  shapes: readonly (readonly number[])[],
): Expanded {
  const parts = terms.map((t) => split(spec, t));
  // How many axes each operand's "..." covers.
  const ranks = parts.map((p, i) => {
    const named = p.before.length + p.after.length;
    const nd = shapes[i]!.length;
    if (!p.has) return 0;
    if (nd < named)
      throw new JitScopeError(
        "shape",
        `einsum: operand ${i} has shape [${shapes[i]}] but "${terms[i]}" names ${named} axes besides "..."`,
      );
    return nd - named;
  });
  const width = Math.max(0, ...ranks);
  const ellipsis = Array.from({ length: width }, (_, j) => `...${j}`);
  // The broadcast size at each position, right-aligned.
  const sizes = ellipsis.map((_, j) => {
    let size = 1;
    parts.forEach((p, i) => {
      const k = j - (width - ranks[i]!);
      if (k < 0) return;
      const d = shapes[i]![p.before.length + k]!;
      if (d !== 1 && size !== 1 && d !== size)
        throw new JitScopeError(
          "shape",
          `einsum: "${spec}": the "..." axes do not broadcast: size ${size} against ${d} (operand ${i}, shape [${shapes[i]}])`,
        );
      if (d !== 1) size = d;
    });
    return size;
  });
  const squeeze: number[][] = [];
  const inputs = parts.map((p, i) => {
    const mine = ellipsis.slice(width - ranks[i]!);
    const drop: number[] = [];
    const kept = mine.filter((_, k) => {
      const axis = p.before.length + k;
      const squeezed = shapes[i]![axis] === 1 && sizes[width - ranks[i]! + k]! !== 1;
      if (squeezed) drop.push(axis);
      return !squeezed;
    });
    squeeze.push(drop);
    return [...p.before, ...kept, ...p.after];
  });
  let output: string[] | undefined;
  if (rhs !== undefined) {
    const o = split(spec, rhs);
    output = o.has ? [...o.before, ...ellipsis, ...o.after] : [...o.before];
  }
  if (rhs?.includes("...") && !parts.some((p) => p.has))
    throw new JitScopeError("value", `einsum: "${spec}": the output has "..." but no operand does`);
  return { inputs, output, ellipsis, squeeze };
}
