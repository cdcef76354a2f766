// An eager scatter over many indices, run as jit runs it (passes/sortScatterIndices.ts): the
// indices' stable argsort, then scatter_sorted, instead of one kernel that scans every index for
// every output element. So `grad` of an embedding lookup without jit is not quadratic in the
// batch either. Same result bit for bit; three dispatches at the user's line.

import { sizeOf, type Atom, type Eqn, type Lit, type Primitive, type PrimParams, type Var } from "../ir/types.js";
import { sortingPays } from "../passes/sortScatterIndices.js";
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

/** The scatter `eqn` as reshape (a view) + iota + argsort + scatter_sorted, each through `run`
 *  (the backend's executeOp); the temporaries are freed once their readers are queued. */
export function runSortedScatter(
  eqn: Eqn,
  inputs: readonly (DeviceArray | Lit)[],
  run: Run,
  free: (a: DeviceArray) => void,
): DeviceArray[] {
  const [x, idxVar, upd] = eqn.inputs as [Atom, Var, Atom];
  const idx = inputs[1] as DeviceArray;
  const m = sizeOf(idxVar.aval.shape);
  // Ids only name operands within one equation here: the eager kernels bind by position.
  const int = (id: number): Var => ({ kind: "var", id, aval: { shape: [m], dtype: "int32" } });
  const step = <P extends Primitive>(prim: P, params: PrimParams[P], ins: Atom[], out: Var): Eqn =>
    ({
      id: eqn.id,
      prim,
      params,
      inputs: ins,
      outputs: [out],
      location: eqn.location,
      nameStack: eqn.nameStack,
    }) as Eqn;
  const temps: DeviceArray[] = [];
  const keep = (a: DeviceArray): DeviceArray => (temps.push(a), a);
  const flat =
    idxVar.aval.shape.length === 1 ? idx : keep(run(step("reshape", { shape: [m] }, [idxVar], int(-1)), [idx])[0]!);
  const positions = keep(run(step("iota", { shape: [m], axis: 0, dtype: "int32" }, [], int(-2)), [])[0]!);
  const order = keep(run(step("sort", { axis: 0 }, [int(-1), int(-2)], int(-3)), [flat, positions])[0]!);
  const params = eqn.params as PrimParams["scatter"];
  const out = run(step("scatter_sorted", params, [x, idxVar, int(-3), upd], eqn.outputs[0]!), [
    inputs[0]!,
    idx,
    order,
    inputs[2]!,
  ]);
  for (const t of temps) free(t);
  return out;
}
