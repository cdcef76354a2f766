// Helpers the IR-to-IR passes share: replacing variables by other atoms, and rebuilding an
// equation only when its inputs changed (an untouched equation keeps its identity, which is how
// snapshots tell which nodes a pass rewrote).

import type { Atom, Eqn, Program, ScanParams, Var, WhileParams } from "../ir/types.js";

export class Substitution {
  private readonly map = new Map<number, Atom>();

  set(v: Var, to: Atom): void {
    this.map.set(v.id, to);
  }

  get size(): number {
    return this.map.size;
  }

  resolve(a: Atom): Atom {
    let cur = a;
    while (cur.kind === "var") {
      const next = this.map.get(cur.id);
      if (!next) break;
      cur = next;
    }
    return cur;
  }

  /** The equation with its inputs resolved; the same object when nothing changed. */
  apply(e: Eqn): Eqn {
    let changed = false;
    const inputs = e.inputs.map((a) => {
      const r = this.resolve(a);
      if (r !== a) changed = true;
      return r;
    });
    return changed ? { ...e, inputs } : e;
  }
}

export function withEqns(p: Program, eqns: readonly Eqn[], outputs: readonly Atom[] = p.outputs): Program {
  return { name: p.name, inputs: p.inputs, eqns, outputs };
}

/** `program` with `eqns`, its outputs resolved through `sub` (a rewrite's last step). */
export function withSubstitutedEqns(p: Program, eqns: readonly Eqn[], sub: Substitution): Program {
  return withEqns(
    p,
    eqns,
    p.outputs.map((a) => sub.resolve(a)),
  );
}

export function sameAtoms(a: readonly Atom[], b: readonly Atom[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Who makes and who reads each var of a program, and the first unused var and equation ids: what
 *  a rewrite that adds equations (sinkTranspose.ts, sinkReshape.ts) looks up. */
export interface ProgramIndex {
  readonly producer: ReadonlyMap<number, Eqn>;
  readonly readers: ReadonlyMap<number, readonly Eqn[]>;
  readonly outputIds: ReadonlySet<number>;
  readonly nextVarId: number;
  readonly nextEqnId: number;
}

export function indexProgram(program: Program): ProgramIndex {
  const producer = new Map<number, Eqn>();
  const readers = new Map<number, Eqn[]>();
  for (const e of program.eqns) {
    for (const o of e.outputs) producer.set(o.id, e);
    for (const a of e.inputs) if (a.kind === "var") readers.set(a.id, [...(readers.get(a.id) ?? []), e]);
  }
  return {
    producer,
    readers,
    outputIds: new Set(program.outputs.flatMap((a) => (a.kind === "var" ? [a.id] : []))),
    nextVarId: 1 + Math.max(0, ...program.inputs.map((v) => v.id), ...producer.keys()),
    nextEqnId: 1 + Math.max(0, ...program.eqns.map((e) => e.id)),
  };
}

/** Whether some operand chain of `v` through equations that `through` accepts ends at an equation
 *  that `found` accepts (a layout change a rewrite would cancel). */
export function chainReaches(
  v: Var,
  producer: ReadonlyMap<number, Eqn>,
  found: (e: Eqn) => boolean,
  through: (e: Eqn) => boolean,
): boolean {
  const seen = new Set<number>();
  const stack: Atom[] = [v];
  while (stack.length) {
    const a = stack.pop()!;
    if (a.kind === "lit" || seen.has(a.id)) continue;
    seen.add(a.id);
    const p = producer.get(a.id);
    if (!p) continue;
    if (found(p)) return true;
    if (through(p)) stack.push(...p.inputs);
  }
  return false;
}

/** How many equations read each var (program outputs count as a use too). */
export function useCounts(p: Program): Map<number, number> {
  const uses = new Map<number, number>();
  const add = (a: Atom): void => {
    if (a.kind === "var") uses.set(a.id, (uses.get(a.id) ?? 0) + 1);
  };
  for (const e of p.eqns) e.inputs.forEach(add);
  p.outputs.forEach(add);
  return uses;
}

/** Runs `pass` on every loop body (scan body, while cond and body) of `p`: IR-to-IR passes call
 *  it first, so they see into bodies at any depth. Unchanged bodies keep their equation. */
export function mapSubPrograms(
  p: Program,
  pass: (body: Program) => { program: Program; changed: boolean },
): { program: Program; changed: boolean } {
  let changed = false;
  const eqns = p.eqns.map((e): Eqn => {
    if (e.prim === "scan") {
      const params = e.params as ScanParams;
      const r = pass(params.body);
      if (!r.changed) return e;
      changed = true;
      return { ...e, params: { ...params, body: r.program } };
    }
    if (e.prim === "while") {
      const params = e.params as WhileParams;
      const c = pass(params.cond);
      const b = pass(params.body);
      if (!c.changed && !b.changed) return e;
      changed = true;
      return { ...e, params: { ...params, cond: c.program, body: b.program } };
    }
    return e;
  });
  return { program: changed ? withEqns(p, eqns) : p, changed };
}

/** A scan `e` with its body replaced by `body`, which reads `extra` consts after the loop's own
 *  (the atoms the loop passes for them, placed after its consts). */
export function scanWithConsts(e: Eqn, body: Program, extra: readonly Atom[]): Eqn {
  const p = e.params as ScanParams;
  return {
    ...e,
    params: { ...p, body, numConsts: p.numConsts + extra.length },
    inputs: [...e.inputs.slice(0, p.numConsts), ...extra, ...e.inputs.slice(p.numConsts)],
  };
}

/** A while loop `e` with its condition and body replaced, each reading extra consts after its
 *  own (`condExtra`, `bodyExtra`: the atoms the loop passes for them). */
export function whileWithConsts(
  e: Eqn,
  cond: Program,
  condExtra: readonly Atom[],
  body: Program,
  bodyExtra: readonly Atom[],
): Eqn {
  const p = e.params as WhileParams;
  return {
    ...e,
    params: {
      ...p,
      cond,
      body,
      condConsts: p.condConsts + condExtra.length,
      bodyConsts: p.bodyConsts + bodyExtra.length,
    },
    inputs: [
      ...e.inputs.slice(0, p.condConsts),
      ...condExtra,
      ...e.inputs.slice(p.condConsts, p.condConsts + p.bodyConsts),
      ...bodyExtra,
      ...e.inputs.slice(p.condConsts + p.bodyConsts),
    ],
  };
}
