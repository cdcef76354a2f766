// Part of simplify: loop-invariant code motion. An op in a scan or while body whose inputs are
// all the loop's consts (or other such ops' results) computes the same value on every iteration:
// a weight normalised, transposed or exponentiated inside an RNN cell, as JAX code writes it
// (XLA hoists it; so do we). It moves before the loop and its result enters the body as one more
// const. The values are the same, bit for bit: the same ops on the same inputs, run once.
// Not moved: loops themselves, optimization_barrier (it orders a recomputation on purpose), index
// math from iotas and literals alone (a body kernel computes it inline), and a broadcast or iota
// whose result the body reads directly (index math there; hoisted, a materialised array read on
// every iteration instead).

import type { Atom, Eqn, Program, ScanParams, Var, WhileParams } from "../ir/types.js";
import { indexProgram, scanWithConsts, Substitution, whileWithConsts, withEqns } from "./rewrite.js";

const STAYS: ReadonlySet<string> = new Set(["scan", "while", "optimization_barrier"]);
/** Cheap to compute where read, costly to read from memory: hoisted only to feed hoisted ops. */
const EXPANDERS: ReadonlySet<string> = new Set(["broadcast", "iota"]);

let enabled = true;

/** Tests and measurements: turn hoisting off (false) or on. Returns the previous setting. */
export function setHoisting(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

interface Ids {
  nextVar: number;
  nextEqn: number;
}

/** Hoists loop invariants out of every loop of `program`, innermost loops first (an op hoisted
 *  out of an inner body may be invariant in the body around it too). `count`: ops moved. */
export function hoistLoopInvariants(program: Program): { program: Program; count: number } {
  if (!enabled || !program.eqns.some((e) => e.prim === "scan" || e.prim === "while")) return { program, count: 0 };
  const index = indexProgram(program);
  const ids: Ids = { nextVar: index.nextVarId, nextEqn: index.nextEqnId };
  let count = 0;
  const eqns: Eqn[] = [];
  for (const e of program.eqns) {
    if (e.prim === "scan") {
      const p = e.params as ScanParams;
      const inner = hoistLoopInvariants(p.body);
      const h = hoistFrom(inner.program, p.numConsts, e.inputs.slice(0, p.numConsts), ids);
      count += inner.count + h.moved;
      eqns.push(...h.before);
      if (h.moved === 0 && inner.count === 0) {
        eqns.push(e);
        continue;
      }
      eqns.push(scanWithConsts(e, h.body, h.consts));
    } else if (e.prim === "while") {
      const p = e.params as WhileParams;
      const condIn = hoistLoopInvariants(p.cond);
      const bodyIn = hoistLoopInvariants(p.body);
      const condConsts = e.inputs.slice(0, p.condConsts);
      const bodyConsts = e.inputs.slice(p.condConsts, p.condConsts + p.bodyConsts);
      const c = hoistFrom(condIn.program, p.condConsts, condConsts, ids);
      const b = hoistFrom(bodyIn.program, p.bodyConsts, bodyConsts, ids);
      const moved = condIn.count + bodyIn.count + c.moved + b.moved;
      count += moved;
      eqns.push(...c.before, ...b.before);
      if (moved === 0) {
        eqns.push(e);
        continue;
      }
      eqns.push(whileWithConsts(e, c.body, c.consts, b.body, b.consts));
    } else eqns.push(e);
  }
  return { program: count ? withEqns(program, eqns) : program, count };
}

/** The invariant ops of `body` (its first `numConsts` inputs are the loop's consts, `outer` the
 *  atoms the loop passes for them) as equations of the enclosing program (`before`, fresh ids
 *  from `ids`), the atoms of their results the body reads (`consts`, to pass after the loop's
 *  consts), and the body reading those as inputs after its consts instead. */
function hoistFrom(
  body: Program,
  numConsts: number,
  outer: readonly Atom[],
  ids: Ids,
): { before: Eqn[]; consts: Atom[]; body: Program; moved: number } {
  // Invariant: computed from consts and literals only. Of those, only ops that read a const's
  // data (directly or through others) move: index math from iotas and literals stays where the
  // body's kernels compute it inline, unless a moved op needs it (then it is copied out too).
  const consts = new Set(body.inputs.slice(0, numConsts).map((v) => v.id));
  const invariant = new Set(consts);
  const fromData = new Set(consts);
  const producer = new Map<number, Eqn>();
  const hoisted = new Set<Eqn>();
  for (const e of body.eqns) {
    for (const o of e.outputs) producer.set(o.id, e);
    if (STAYS.has(e.prim) || !e.inputs.every((a) => a.kind === "lit" || invariant.has(a.id))) continue;
    for (const o of e.outputs) invariant.add(o.id);
    if (!e.inputs.some((a) => a.kind === "var" && fromData.has(a.id))) continue;
    hoisted.add(e);
    for (const o of e.outputs) fromData.add(o.id);
  }
  // An expander whose result only the body reads stays in it; then its hoisted inputs may be
  // read by the body in turn, so prune until nothing changes.
  const readByBody = (e: Eqn): boolean => {
    const outs = new Set(e.outputs.map((o) => o.id));
    const reads = (a: Atom): boolean => a.kind === "var" && outs.has(a.id);
    return body.outputs.some(reads) || body.eqns.some((r) => !hoisted.has(r) && r.inputs.some(reads));
  };
  for (let pruned = true; pruned;) {
    pruned = false;
    for (const e of hoisted)
      if (EXPANDERS.has(e.prim) && !body.eqns.some((r) => hoisted.has(r) && r !== e && readsOutputOf(r, e))) {
        hoisted.delete(e);
        pruned = true;
      }
  }
  if (hoisted.size === 0) return { before: [], consts: [], body, moved: 0 };
  // The index math the moved ops read, copied out with them (it stays in the body too).
  const copied = new Set<Eqn>();
  const need = (e: Eqn): void => {
    for (const a of e.inputs) {
      const p = a.kind === "var" && !consts.has(a.id) ? producer.get(a.id) : undefined;
      if (p && !hoisted.has(p) && !copied.has(p)) {
        copied.add(p);
        need(p);
      }
    }
  };
  for (const e of hoisted) need(e);

  // The hoisted ops over the enclosing program's atoms, with fresh ids there.
  const outerOf = new Map<number, Atom>(body.inputs.slice(0, numConsts).map((v, i) => [v.id, outer[i]!]));
  const toOuter = (a: Atom): Atom => (a.kind === "lit" ? a : outerOf.get(a.id)!);
  const before: Eqn[] = [];
  const crossing: Var[] = [];
  for (const e of body.eqns) {
    if (!hoisted.has(e) && !copied.has(e)) continue;
    const outputs = e.outputs.map((o): Var => {
      const v: Var = { kind: "var", id: ids.nextVar++, aval: o.aval };
      outerOf.set(o.id, v);
      return v;
    });
    before.push({ ...e, id: ids.nextEqn++, inputs: e.inputs.map(toOuter), outputs });
    if (hoisted.has(e) && readByBody(e)) crossing.push(...e.outputs);
  }
  // The body reads each crossing result as a new input, placed after its consts.
  let nextBodyVar = indexProgram(body).nextVarId;
  const sub = new Substitution();
  const added = crossing.map((o): Var => {
    const v: Var = { kind: "var", id: nextBodyVar++, aval: o.aval };
    sub.set(o, v);
    return v;
  });
  const rest = body.eqns.filter((e) => !hoisted.has(e)).map((e) => sub.apply(e));
  const inputs = [...body.inputs.slice(0, numConsts), ...added, ...body.inputs.slice(numConsts)];
  return {
    before,
    consts: crossing.map((o) => outerOf.get(o.id)!),
    body: {
      ...withEqns(
        body,
        rest,
        body.outputs.map((a) => sub.resolve(a)),
      ),
      inputs,
    },
    moved: hoisted.size,
  };
}

function readsOutputOf(reader: Eqn, producer: Eqn): boolean {
  const outs = new Set(producer.outputs.map((o) => o.id));
  return reader.inputs.some((a) => a.kind === "var" && outs.has(a.id));
}
