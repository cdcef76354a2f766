// A computed value read by several slices is, in one kernel, computed again for each slice: the
// code generator evaluates a cone at the coordinates each reader asks for, and slices ask at
// different ones. For cheap cones that is the point (pooling reads x through disjoint windows
// without storing it), but the copies grow with the number of slices: rows taken one by one from
// random.split's bits put one threefry per row into every kernel reading them, and the rows of a
// np.stack of n values, read back by n slices, put the whole n-way select into each (vmap over
// np.stack(random.split(k, n)) grew its WGSL with n²: 8 MB at n = 128). So such a value is stored
// once the copies cost more than SLICE_RECOMPUTE_MAX_OPS, counting the threefry as the ~100
// 32-bit operations it is.

import { formatBytes } from "@jitscope/contract";
import type { Cones } from "./fuseCones.js";
import { varBytes, type ProgramFacts, type Why } from "./fuseFacts.js";

/** Stored when (slices − 1) × the cone's cost exceeds this (a pooling window of 9 over a
 *  cone of 16 ops stays in registers; a threefry read by 3 slices does not). */
export const SLICE_RECOMPUTE_MAX_OPS = 128;
/** 32-bit operations of one threefry2x32 (20 rounds of add, rotate, xor; 5 key injections). */
export const THREEFRY_OPS = 100;

/** Marks, in program order, every computed value whose slices would recompute too much. */
export function markSliceReads(facts: ProgramFacts, cones: Cones, mark: (id: number, why: Why) => void): void {
  const { eqns, consumers, vars } = facts;
  const weight = (i: number): number => {
    const p = eqns[i]!.prim;
    return p === "random_bits" || p === "random_uniform" ? THREEFRY_OPS : 1;
  };
  // Program order: a stored producer ends the cones of the values computed from it.
  for (const id of eqns.flatMap((e) => e.outputs.map((o) => o.id))) {
    if (cones.materialized.has(id) || !cones.computed(id)) continue;
    const slices = (consumers.get(id) ?? []).filter((r) => eqns[r]!.prim === "slice").length;
    if (slices < 2) continue;
    const max = Math.floor(SLICE_RECOMPUTE_MAX_OPS / (slices - 1));
    if (cones.costUpTo(id, max, weight) !== null) continue;
    const ops = cones.coneOf(id).size;
    const threefry = cones.touches(id, (i) => weight(i) > 1) ? " (with threefry random bits)" : "";
    mark(id, {
      rule: "multi-slice",
      reason: `read by ${slices} slices, each recomputing its ${ops} op${ops === 1 ? "" : "s"}${threefry} in the kernel; storing ${formatBytes(varBytes(vars.get(id)!))} costs less`,
    });
  }
}
