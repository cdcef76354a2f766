// Eager execution's codegen: one equation as a one-equation group, through the same lowering
// as jit. Cached by (prim, params, input avals, literal values) so a loop of eager ops builds
// each kernel once. The cached spec uses synthetic variables (one per input position) so it
// fits every equation with the same key; the backend binds storage by position.

import type { Aval, Eqn, Lit, Var } from "../ir/types.js";
import { isElementwise } from "../ir/types.js";
import type { FusionGroup, KernelKind, KernelSpec } from "./kernelPlan.js";
import { lowerGroup } from "./lowerGroup.js";
import { lowerElementwise } from "./lowerElementwise.js";
import { lowerReduction } from "./lowerReduction.js";

const cache = new Map<string, EagerKernel>();
const MAX_CACHED = 4096;

export interface EagerKernel {
  readonly key: string;
  readonly spec: KernelSpec;
  /** For each spec input binding, the position in `eqn.inputs` it reads. */
  readonly inputPositions: readonly number[];
}

const avalKey = (a: Aval) => `${a.dtype}[${a.shape.join(",")}]`;

export function eagerKey(eqn: Eqn): string {
  const ins = eqn.inputs.map((x) =>
    x.kind === "lit" ? `lit:${avalKey(x.aval)}=${Object.is(x.value, -0) ? "-0" : x.value}` : avalKey(x.aval),
  );
  // Non-finite numbers (pad's value) would all print as null in plain JSON.
  const params = JSON.stringify(eqn.params, (_k, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
  );
  return `${eqn.prim}${params}(${ins.join(";")})`;
}

function kindOf(eqn: Eqn): KernelKind {
  switch (eqn.prim) {
    case "matmul":
      return "matmul";
    case "conv":
      return "conv";
    case "sort":
      return "sort";
    case "cholesky":
    case "triangular_solve":
    case "lu":
      return "linalg";
    case "reduce_sum":
    case "reduce_max":
    case "reduce_min":
    case "argmax":
    case "argmin":
      return "reduction";
    default:
      return isElementwise(eqn.prim) ? "elementwise" : "layout";
  }
}

export function lowerEqn(eqn: Eqn): EagerKernel {
  const key = eagerKey(eqn);
  const hit = cache.get(key);
  if (hit) return hit;
  let nextId = 0;
  const inputs: Var[] = [];
  const inputPositions: number[] = [];
  const atoms = eqn.inputs.map((x, pos): Var | Lit => {
    if (x.kind === "lit") return x;
    const v: Var = { kind: "var", id: nextId++, aval: x.aval };
    inputs.push(v);
    inputPositions.push(pos);
    return v;
  });
  const outputs = eqn.outputs.map((o): Var => ({ kind: "var", id: nextId++, aval: o.aval }));
  const local: Eqn = { ...eqn, inputs: atoms, outputs };
  const group: FusionGroup = {
    id: `eager_${hashString(key)}`,
    kind: kindOf(eqn),
    eqns: [local],
    inputs,
    outputs,
    reason: "eager: one kernel per op",
  };
  // An eager elementwise op or reduction keeps the default configuration: one op's kernel is
  // cached here before any search could land, and its launch outweighs its knobs (no search).
  const spec =
    group.kind === "elementwise"
      ? lowerElementwise(group)
      : group.kind === "reduction"
        ? lowerReduction(group)
        : lowerGroup(group);
  const kernel: EagerKernel = { key, spec, inputPositions };
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, kernel);
  return kernel;
}

/** FNV-1a, hex: short stable ids for cache keys. */
export function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
