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

export function sameAtoms(a: readonly Atom[], b: readonly Atom[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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
