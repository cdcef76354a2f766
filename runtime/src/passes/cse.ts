// cse: common subexpression elimination. Two equations with the same primitive, params and
// inputs compute the same value (every primitive is pure; random ops are keyed by their explicit
// key input, so equal keys mean equal bits), so the later one is replaced by the earlier.

import { isLoopPrim, type Atom, type Eqn, type Program } from "../ir/types.js";
import { mapSubPrograms, Substitution, withEqns } from "./rewrite.js";
import type { Pass } from "./pass.js";
import { dropInputBarriers } from "./barriers.js";

const atomKey = (a: Atom): string => (a.kind === "var" ? `v${a.id}` : `l${a.aval.dtype}:${a.value}`);

export function cseProgram(outer: Program): { program: Program; changed: boolean } {
  const inner = mapSubPrograms(outer, cseProgram);
  const program = inner.program;
  const sub = new Substitution();
  const seen = new Map<string, Eqn>();
  const eqns: Eqn[] = [];
  let changed = inner.changed;
  for (const original of program.eqns) {
    const e = sub.apply(original);
    if (e !== original) changed = true;
    // Loops are never merged: their params hold whole programs (and two are rarely equal).
    const key = isLoopPrim(e.prim)
      ? `loop${e.id}`
      : `${e.prim}${JSON.stringify(e.params)}(${e.inputs.map(atomKey).join(",")})`;
    const prev = seen.get(key);
    if (prev) {
      e.outputs.forEach((o, i) => sub.set(o, prev.outputs[i]!));
      changed = true;
      continue;
    }
    seen.set(key, e);
    eqns.push(e);
  }
  const outputs = program.outputs.map((a) => sub.resolve(a));
  return { program: changed ? withEqns(program, eqns, outputs) : program, changed };
}

export const csePass: Pass = {
  name: "cse",
  run(state) {
    const merged = cseProgram(state.program);
    const { program, dropped } = dropInputBarriers(merged.program);
    return {
      state: { ...state, program },
      changed: merged.changed || dropped > 0,
      counts: {
        "equations merged": state.program.eqns.length - merged.program.eqns.length,
        ...(dropped > 0 ? { "barriers on inputs dropped": dropped } : {}),
      },
    };
  },
};
