// After CSE, the optimization barriers checkpoint put on a program's own inputs have done their
// job (the recomputed ops they feed were kept apart from the forward pass): an input is in
// memory for the whole call, so a barrier there would only copy it (a matmul reads its operands
// from memory, so a barriered weight became a weight-sized copy per layer, more than the
// recomputation saves). Barriers on computed values stay: the token from the cotangent keeps
// fusion from merging their kernels into the forward pass.

import type { Eqn, Program } from "../ir/types.js";
import { mapSubPrograms, Substitution, withSubstitutedEqns } from "./rewrite.js";

export function dropInputBarriers(outer: Program): { program: Program; dropped: number } {
  let dropped = 0;
  const inner = mapSubPrograms(outer, (p) => {
    const r = dropInputBarriers(p);
    dropped += r.dropped;
    return { program: r.program, changed: r.dropped > 0 };
  });
  const program = inner.program;
  const inputs = new Set(program.inputs.map((v) => v.id));
  const sub = new Substitution();
  const eqns: Eqn[] = [];
  for (const original of program.eqns) {
    const e = sub.apply(original);
    const src = e.inputs[0];
    if (e.prim === "optimization_barrier" && src && (src.kind === "lit" || inputs.has(src.id))) {
      sub.set(e.outputs[0]!, src);
      dropped++;
      continue;
    }
    eqns.push(e);
  }
  if (dropped === 0 && !inner.changed) return { program: outer, dropped };
  return { program: withSubstitutedEqns(program, eqns, sub), dropped };
}
