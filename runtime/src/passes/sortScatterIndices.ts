// Part of fuse: a scatter with many indices is computed from their sorted order. A scatter kernel
// computes each output element by scanning every index for those landing on it (deterministic,
// no float atomics), so an embedding's gradient, a segment_sum over a graph's edges or a
// take_along_axis's transpose cost (output elements × indices) index reads: quadratic in the
// batch. Here the indices are sorted once (a stable argsort: one more kernel) and the scatter
// becomes scatter_sorted, whose elements find their updates by binary search and combine them in
// the same order as before, so the result is the same, bit for bit.

import { sizeOf, type Atom, type Eqn, type Program, type Var } from "../ir/types.js";
import { indexProgram, withEqns } from "./rewrite.js";
import { BITONIC_MIN_ROW } from "../codegen/lowerSort.js";

/** Fewer indices than this: the scan is short, and the sort's kernels would cost more. */
export const SORT_MIN_INDICES = 32;

let forced: boolean | null = null;

/** An argsort of m keys in index reads: ranking by counting reads all m per key; the bitonic
 *  network (long rows) compares m·log²m / 4 pairs, each about 30 reads' time on lavapipe
 *  (bench/dev/sort_bitonic.ts: 16,384 keys in 13.5 ms against 136 ms by counting; the network
 *  has run 1.2–1.5× faster since, which this keeps as margin). */
function sortReads(m: number): number {
  const log = Math.ceil(Math.log2(m));
  return m < BITONIC_MIN_ROW ? m * m : 8 * m * log * log;
}

/** Tests and measurements: sort every scatter's indices (true), none (false), or as sortingPays
 *  decides (null). Returns the previous setting. */
export function setScatterSorting(on: boolean | null): boolean | null {
  const was = forced;
  forced = on;
  return was;
}

/** Whether sorting `m` indices for a scatter of `outputs` elements reads fewer indices in all.
 *  The scan reads m per output element. Sorted: the argsort (sortReads), then each output
 *  element reads two values per probe of its binary search (the order, then the index) and two
 *  per update it takes. The extra kernel (the argsort) is counted as 2^16 reads, about its
 *  dispatch on a CPU adapter; the sorted way must also win by 2× (its reads are dependent, the
 *  scan's stream). bench/dev/scatter_sorted.ts measures both sides. */
export function sortingPays(outputs: number, m: number): boolean {
  if (forced !== null) return forced && m > 0;
  if (m < SORT_MIN_INDICES) return false;
  const scan = outputs * m;
  const sorted = sortReads(m) + outputs * 2 * (Math.ceil(Math.log2(m)) + 1) + (1 << 16);
  return 2 * sorted < scan;
}

/** The equations that compute the scatter `e` from its indices' sorted order: the flat indices
 *  (a reshape, where they are not 1-D), their positions (iota), the stable argsort, unless `order`
 *  is given (an argsort of the same indices already made), then the scatter_sorted (`e`'s id and
 *  output). The one definition of the rewrite: jit's below, an eager scatter's
 *  (backend/eagerSortedScatter.ts). */
export function sortedScatterEqns(
  e: Eqn,
  fresh: (shape: number[]) => Var,
  nextId: () => number,
  order?: Var,
): { before: Eqn[]; order: Var; scatter: Eqn } {
  const [x, idx, upd] = e.inputs as [Atom, Var, Atom]; // a literal index is a scalar: never sorted
  const before: Eqn[] = [];
  if (!order) {
    const m = sizeOf(idx.aval.shape);
    const made = (prim: Eqn["prim"], params: Eqn["params"], inputs: Atom[]): Var => {
      const out = fresh([m]);
      before.push({ id: nextId(), prim, params, inputs, outputs: [out], location: e.location, nameStack: e.nameStack });
      return out;
    };
    const flat = idx.aval.shape.length === 1 ? idx : made("reshape", { shape: [m] }, [idx]);
    const positions = made("iota", { shape: [m], axis: 0, dtype: "int32" }, []);
    order = made("sort", { axis: 0 }, [flat, positions]);
  }
  return { before, order, scatter: { ...e, prim: "scatter_sorted", inputs: [x, idx, order, upd] } };
}

/** The program with each scatter that sortingPays made a scatter_sorted. Loop bodies are left as
 *  they are: the pipeline compiles each body through every pass, this one included. */
export function sortScatterIndices(program: Program): { program: Program; count: number } {
  const candidates = new Set(
    program.eqns.filter(
      (e) => e.prim === "scatter" && sortingPays(sizeOf(e.outputs[0]!.aval.shape), sizeOf(e.inputs[1]!.aval.shape)),
    ),
  );
  if (candidates.size === 0) return { program, count: 0 };
  let { nextVarId: nextVar, nextEqnId: nextEqn } = indexProgram(program);
  const fresh = (shape: number[]): Var => ({ kind: "var", id: nextVar++, aval: { shape, dtype: "int32" } });
  /** The stable argsort of each index array, made once however many scatters read it. */
  const orders = new Map<number, Var>();
  const eqns: Eqn[] = [];
  for (const e of program.eqns) {
    if (!candidates.has(e)) {
      eqns.push(e);
      continue;
    }
    const idx = e.inputs[1] as Var;
    const made = sortedScatterEqns(e, fresh, () => nextEqn++, orders.get(idx.id));
    orders.set(idx.id, made.order);
    eqns.push(...made.before, made.scatter);
  }
  return { program: withEqns(program, eqns), count: candidates.size };
}
