// Part of simplify: a scan carry that only accumulates a sum, acc ← acc + reduce_sum(q), becomes
// a carry of q's shape, acc' ← acc' + q from zeros, reduced once after the loop:
// acc = init + reduce_sum(acc'). grad writes such carries for every const a scan body broadcasts
// (a bias row over a batch, a scalar rate): the const's cotangent is summed over the broadcast
// axes on every step. Afterwards the step does one elementwise add where it did a reduction, the
// loop runs one reduction per call instead of one per step, and a body left elementwise runs as
// one recurrence kernel (codegen/recurrence.ts). Done only where the scan then qualifies for one
// (the kernel starts the sums from zeros itself). The sums add in another order: equal up to
// rounding. Loops nested in bodies first, so an inner loop's rewrite can expose an outer one.

import { sameShape, type Atom, type Eqn, type Program, type ScanParams, type Var } from "../ir/types.js";
import { indexProgram, withEqns, type ProgramIndex } from "./rewrite.js";
import { recurrenceMode } from "../codegen/recurrence.js";

export function sinkLoopReductions(program: Program): { program: Program; count: number } {
  if (!program.eqns.some((e) => e.prim === "scan")) return { program, count: 0 };
  const index = indexProgram(program);
  let nextVar = index.nextVarId;
  let nextEqn = index.nextEqnId;
  let count = 0;
  const eqns: Eqn[] = [];
  for (const e of program.eqns) {
    if (e.prim !== "scan") {
      eqns.push(e);
      continue;
    }
    const p = e.params as ScanParams;
    const inner = sinkLoopReductions(p.body);
    count += inner.count;
    let body = inner.program;
    let scan: Eqn = inner.count ? { ...e, params: { ...p, body } } : e;
    const before: Eqn[] = [];
    const after: Eqn[] = [];
    let sunk = 0;
    for (let k = 0; k < p.numCarry; k++) {
      const acc = accumulation(body, p.numConsts + k, k);
      if (!acc) continue;
      const { add, reduce, q } = acc;
      const bodyIndex = indexProgram(body);
      const carryIn: Var = { kind: "var", id: bodyIndex.nextVarId, aval: q.aval };
      const sum: Var = { kind: "var", id: bodyIndex.nextVarId + 1, aval: q.aval };
      const bodyAdd: Eqn = { ...add, inputs: [carryIn, q], outputs: [sum] };
      const inputs = body.inputs.map((v, i) => (i === p.numConsts + k ? carryIn : v));
      const bodyEqns = body.eqns.filter((b) => b !== reduce).map((b) => (b === add ? bodyAdd : b));
      const outputs = body.outputs.map((o, i) => (i === k ? sum : o));
      body = { name: body.name, inputs, eqns: bodyEqns, outputs };
      // Outside: zeros of q's shape in, the final sum reduced and added to the initial carry.
      const init = e.inputs[p.numConsts + k]!;
      const final = e.outputs[k]!;
      const zeros: Var = { kind: "var", id: nextVar++, aval: q.aval };
      const wide: Var = { kind: "var", id: nextVar++, aval: q.aval };
      const reduced: Var = { kind: "var", id: nextVar++, aval: final.aval };
      const site = { location: e.location, nameStack: e.nameStack };
      const zero: Atom = { kind: "lit", value: 0, aval: { shape: [], dtype: q.aval.dtype } };
      before.push({
        id: nextEqn++,
        prim: "broadcast",
        params: { shape: [...q.aval.shape], dims: [] },
        inputs: [zero],
        outputs: [zeros],
        ...site,
      } as Eqn);
      after.push(
        { ...reduce, id: nextEqn++, inputs: [wide], outputs: [reduced], ...site },
        { ...add, id: nextEqn++, inputs: [init, reduced], outputs: [final], ...site },
      );
      scan = {
        ...scan,
        params: { ...(scan.params as ScanParams), body },
        inputs: scan.inputs.map((a, i) => (i === p.numConsts + k ? zeros : a)),
        outputs: scan.outputs.map((o, i) => (i === k ? wide : o)),
      };
      sunk++;
    }
    // Only where the scan then runs as one recurrence kernel, which computes the zeros itself: as
    // a loop it would gain a kernel writing them on every call.
    if (sunk && recurrenceMode(scan) !== null) {
      eqns.push(...before, scan, ...after);
      count += sunk;
    } else eqns.push(inner.count ? { ...e, params: { ...p, body: inner.program } } : e);
  }
  return count ? { program: withEqns(program, eqns), count } : { program, count };
}

/** Carry `k` (body input `input`) when its only use is acc + reduce_sum(q), that sum being the
 *  body's output k and nothing else: the add, the reduce_sum and q. */
function accumulation(body: Program, input: number, k: number): { add: Eqn; reduce: Eqn; q: Var } | null {
  const index: ProgramIndex = indexProgram(body);
  const carry = body.inputs[input]!;
  const out = body.outputs[k]!;
  if (out.kind !== "var" || body.outputs.filter((o) => o.kind === "var" && o.id === out.id).length !== 1) return null;
  const add = index.producer.get(out.id);
  if (add?.prim !== "add" || (index.readers.get(out.id) ?? []).length) return null;
  const other = add.inputs.find((a) => !(a.kind === "var" && a.id === carry.id));
  if (!other || other.kind !== "var" || !add.inputs.some((a) => a.kind === "var" && a.id === carry.id)) return null;
  const reduce = index.producer.get(other.id);
  const q = reduce?.inputs[0];
  if (reduce?.prim !== "reduce_sum" || q?.kind !== "var") return null;
  const usedOnce = (v: Var) => (index.readers.get(v.id) ?? []).length === 1 && !index.outputIds.has(v.id);
  if (!usedOnce(carry) || !usedOnce(other) || !sameShape(other.aval.shape, carry.aval.shape)) return null;
  return { add, reduce, q };
}
