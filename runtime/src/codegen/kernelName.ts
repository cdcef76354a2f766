// Descriptive kernel names: what the kernel does, as a person would say it
// ("fused_tanh_mul_sub", "matmul_add_max", "sum_exp_sub").

import type { Eqn, Primitive } from "../ir/types.js";

const SHORT: Partial<Record<Primitive, string>> = {
  reduce_sum: "sum",
  reduce_max: "max",
  reduce_min: "min",
  random_uniform: "uniform",
  random_bits: "random_bits",
  random_fold_in: "fold_in",
  logical_not: "not",
};

// Ops that move data without computing: left out of a name when something computes.
const QUIET = new Set<Primitive>(["reshape", "broadcast", "transpose", "slice", "cast"]);

function words(eqns: readonly Eqn[], limit: number): string[] {
  const seen: string[] = [];
  const loud = eqns.filter((e) => !QUIET.has(e.prim));
  for (const e of loud.length ? loud : eqns) {
    const w = SHORT[e.prim] ?? e.prim;
    if (!seen.includes(w)) seen.push(w);
  }
  return seen.slice(0, limit);
}

export function elementwiseName(eqns: readonly Eqn[]): string {
  const w = words(eqns, 4);
  if (eqns.length <= 1) return w[0] ?? "copy";
  return `fused_${w.join("_")}`;
}

/** The main op first, then what it absorbed: prologue ops (last first) and the epilogue. */
export function anchoredName(anchor: Eqn, prologue: readonly Eqn[], epilogue: readonly Eqn[]): string {
  const head = SHORT[anchor.prim] ?? anchor.prim;
  const rest = [...words([...prologue].reverse(), 3), ...words(epilogue, 3)].filter((w) => w !== head);
  return [head, ...new Set(rest)].slice(0, 5).join("_");
}
