// An eager scatter over many indices, run as jit runs it (passes/sortScatterIndices.ts): the
// indices' stable argsort, then scatter_sorted, instead of one kernel that scans every index for
// every output element. So `grad` of an embedding lookup without jit is not quadratic in the
// batch either. Same result bit for bit; an iota, an argsort and the scatter at the user's line.

import { sizeOf, type Eqn, type Lit, type Var } from "../ir/types.js";
import { sortedScatterEqns, sortingPays } from "../passes/sortScatterIndices.js";
import type { DeviceArray } from "./backend.js";

type Run = (eqn: Eqn, inputs: readonly (DeviceArray | Lit)[]) => DeviceArray[];

/** Whether the backend should run this eager equation through runSortedScatter. */
export function sortsEagerly(eqn: Eqn): boolean {
  const idx = eqn.inputs[1];
  return (
    eqn.prim === "scatter" &&
    idx?.kind === "var" &&
    sortingPays(sizeOf(eqn.outputs[0]!.aval.shape), sizeOf(idx.aval.shape))
  );
}

/** The scatter `eqn` as jit rewrites it (sortedScatterEqns), each equation through `run` (the
 *  backend's executeOp); the temporaries are freed once their readers are queued. */
export function runSortedScatter(
  eqn: Eqn,
  inputs: readonly (DeviceArray | Lit)[],
  run: Run,
  free: (a: DeviceArray) => void,
): DeviceArray[] {
  // Ids only name values within this one call: the eager kernels bind by position.
  let nextVar = -1;
  const fresh = (shape: number[]): Var => ({ kind: "var", id: nextVar--, aval: { shape, dtype: "int32" } });
  const { before, scatter } = sortedScatterEqns(eqn, fresh, () => eqn.id);
  const values = new Map<number, DeviceArray | Lit>();
  eqn.inputs.forEach((a, i) => {
    if (a.kind === "var") values.set(a.id, inputs[i]!);
  });
  const operands = (e: Eqn) => e.inputs.map((a) => (a.kind === "lit" ? a : values.get(a.id)!));
  const temps: DeviceArray[] = [];
  for (const e of before) {
    const out = run(e, operands(e))[0]!;
    values.set(e.outputs[0]!.id, out);
    temps.push(out);
  }
  const out = run(scatter, operands(scatter));
  for (const t of temps) free(t);
  return out;
}
