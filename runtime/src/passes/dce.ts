// dce: dead code elimination. Every primitive is pure, so an equation none of whose outputs
// reaches a program output is removed (walking backwards from the outputs).

import type { Eqn, Program } from "../ir/types.js";
import { mapSubPrograms, withEqns } from "./rewrite.js";
import type { Pass } from "./pass.js";

export function dceProgram(outer: Program): { program: Program; changed: boolean } {
  const inner = mapSubPrograms(outer, dceProgram);
  const program = inner.program;
  const live = new Set<number>();
  for (const a of program.outputs) if (a.kind === "var") live.add(a.id);
  const kept: Eqn[] = [];
  for (let i = program.eqns.length - 1; i >= 0; i--) {
    const e = program.eqns[i]!;
    if (!e.outputs.some((o) => live.has(o.id))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a.kind === "var") live.add(a.id);
  }
  if (kept.length === program.eqns.length) return { program, changed: inner.changed };
  return { program: withEqns(program, kept.reverse()), changed: true };
}

export const dcePass: Pass = {
  name: "dce",
  run(state) {
    const { program, changed } = dceProgram(state.program);
    return {
      state: { ...state, program },
      changed,
      counts: { "equations removed": state.program.eqns.length - program.eqns.length },
    };
  },
};
