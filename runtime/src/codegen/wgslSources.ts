// Which of the user's lines each line of a kernel's WGSL computes, as Compiler Explorer maps
// source to assembly. The lowerers name every value they compute after its IR variable
// (`let v35_4 = exp(v34_3);` is variable 35, the `exp` equation's output), so the map is read
// off the generated text: a line defining a value of one of the group's equations is that
// equation's, with its op and call site. A kernel's running sums (`acc0_1 = acc0_1 + a0.x * b0_1`)
// are its matmul's, conv's or reduction's when it has one; with several (a softmax row's max and
// sum) they stay unmapped, as does index arithmetic, rather than guessed.

import type { WgslSource } from "@jitscope/contract";
import { opNodeId } from "@jitscope/contract";
import type { Eqn } from "../ir/types.js";

/** A definition of a value named after IR variable N: `let vN_k`, `var vN_k`. */
const DEFINITION = /^\s*(?:let|var)\s+v(\d+)_\d+\b/;
/** An update of a running value: `acc0_1 = acc0_1 + …`, `acc = max(acc, …)`. */
const ACCUMULATION = /^\s*acc\w*\s*=[^=]/;
const ACCUMULATING: ReadonlySet<string> = new Set([
  "matmul",
  "conv",
  "reduce_sum",
  "reduce_max",
  "reduce_min",
  "reduce_prod",
  "argmax",
  "argmin",
]);

export function wgslSources(wgsl: string, eqns: readonly Eqn[]): WgslSource[] {
  const producer = new Map<number, Eqn>();
  for (const e of eqns) for (const v of e.outputs) producer.set(v.id, e);
  const accumulating = eqns.filter((e) => ACCUMULATING.has(e.prim));
  const accumulator = accumulating.length === 1 ? accumulating[0] : undefined;
  const byEqn = new Map<Eqn, number[]>();
  wgsl.split("\n").forEach((text, i) => {
    const m = DEFINITION.exec(text);
    const e = m ? producer.get(Number(m[1])) : ACCUMULATION.test(text) ? accumulator : undefined;
    if (e?.location) (byEqn.get(e) ?? byEqn.set(e, []).get(e)!).push(i + 1);
  });
  return [...byEqn].map(([e, lines]) => ({ op: e.prim, opId: opNodeId(e.id), location: e.location!, lines }));
}
