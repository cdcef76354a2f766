// The cone of a value: the fusable ops (elementwise, view, move) reachable backwards from it
// without crossing a materialized value. A kernel that produces the value computes its cone in
// registers; the cone's leaves are what the kernel reads from memory.

import type { ProgramFacts, Why } from "./fuseFacts.js";

export class Cones {
  constructor(
    private readonly facts: ProgramFacts,
    /** Values written to memory, with the reason (grows while fuse decides). */
    readonly materialized: ReadonlyMap<number, Why>,
  ) {}

  /** Whether eqn `i` fuses like an elementwise op (it can sit in another op's cone). */
  fusable(i: number): boolean {
    const c = this.facts.cat[i];
    return c === "ew" || c === "view" || c === "move";
  }

  /** Whether value `id` is computed by a fusable op (so it has a cone). */
  computed(id: number): boolean {
    const p = this.facts.producer.get(id);
    return p !== undefined && this.fusable(p);
  }

  /** The eqn indices of the cone of value `id` (added to `into`). */
  coneOf(id: number, into = new Set<number>()): Set<number> {
    this.walk(
      id,
      (i) => {
        into.add(i);
        return false;
      },
      into,
    );
    return into;
  }

  /** The number of ops in the cone of each of `ids` (computed values), the cones ending at the
   *  values `stored` accepts (not at those materialized now). One pass from the end of the
   *  program per 32 cones, each op carrying a bit per cone it is in: a walk per cone went back
   *  to the program's start wherever little was stored, quadratic in program size. */
  coneSizes(ids: readonly number[], stored: (id: number) => boolean): number[] {
    const { eqns, producer } = this.facts;
    const sizes = ids.map(() => 0);
    const bits = new Int32Array(eqns.length);
    for (let base = 0; base < ids.length; base += 32) {
      bits.fill(0);
      let last = -1;
      for (let j = base; j < Math.min(base + 32, ids.length); j++) {
        const p = producer.get(ids[j]!)!;
        bits[p] = bits[p]! | (1 << (j - base));
        last = Math.max(last, p);
      }
      for (let i = last; i >= 0; i--) {
        const m = bits[i]!;
        if (m === 0) continue;
        for (let b = m; b !== 0; b &= b - 1) sizes[base + 31 - Math.clz32(b & -b)]!++;
        for (const a of eqns[i]!.inputs) {
          if (a.kind !== "var" || stored(a.id)) continue;
          const p = producer.get(a.id);
          if (p !== undefined && this.fusable(p)) bits[p] = bits[p]! | m;
        }
      }
    }
    return sizes;
  }

  /** Whether the cone of `id` has more than `max` ops (stops walking once it does). */
  exceeds(id: number, max: number): boolean {
    const seen = new Set<number>();
    return this.walk(id, () => seen.size > max, seen, true);
  }

  /** The cost of recomputing the cone of `id`, weighting each op by `weight`, or null once it
   *  passes `max` (stops walking then). */
  costUpTo(id: number, max: number, weight: (i: number) => number): number | null {
    let total = 0;
    const over = this.walk(id, (i) => (total += weight(i)) > max, new Set<number>(), true);
    return over ? null : total;
  }

  /** Whether any op of the cone of `id` satisfies `hit` (stops at the first). */
  touches(id: number, hit: (i: number) => boolean): boolean {
    return this.walk(id, hit, new Set<number>(), true);
  }

  /** Values the ops of `cone` read that the cone does not compute (in first-seen order). */
  leaves(cone: ReadonlySet<number>): number[] {
    const { eqns, producer } = this.facts;
    const leaves: number[] = [];
    const seen = new Set<number>();
    for (const i of cone)
      for (const a of eqns[i]!.inputs) {
        if (a.kind !== "var" || seen.has(a.id)) continue;
        const p = producer.get(a.id);
        if (p !== undefined && cone.has(p)) continue;
        seen.add(a.id);
        leaves.push(a.id);
      }
    return leaves;
  }

  /** Whether the cone of `id` reads more than `max` distinct values from memory. */
  leavesExceed(id: number, max: number): boolean {
    return this.leavesUpTo(id, max) === null;
  }

  /** The values the cone of `id` reads from memory, or null once there are more than `max`. */
  leavesUpTo(id: number, max: number): Set<number> | null {
    const { eqns } = this.facts;
    const leaves = new Set<number>();
    const over = this.touches(id, (i) => {
      for (const a of eqns[i]!.inputs)
        if (a.kind === "var" && (this.materialized.has(a.id) || !this.computed(a.id))) leaves.add(a.id);
      return leaves.size > max;
    });
    return over ? null : leaves;
  }

  /** Whether value `id` is computed from value `target` (through any ops). Equations are in
   *  program order, so nothing produced before `target` can depend on it. */
  dependsOn(id: number, target: number): boolean {
    const { eqns, producer } = this.facts;
    const floor = producer.get(target) ?? -1;
    const seen = new Set<number>();
    const stack = [id];
    while (stack.length) {
      const v = stack.pop()!;
      if (v === target) return true;
      if (seen.has(v)) continue;
      seen.add(v);
      const p = producer.get(v);
      if (p === undefined || p < floor) continue;
      for (const a of eqns[p]!.inputs) if (a.kind === "var" && !seen.has(a.id)) stack.push(a.id);
    }
    return false;
  }

  /** Depth-first over the cone of `id`; `visit` returning true stops the walk (then true).
   *  `seen` collects visited eqns (with `addFirst`, before `visit` sees them). */
  private walk(id: number, visit: (i: number) => boolean, seen: Set<number>, addFirst = false): boolean {
    const { eqns, producer } = this.facts;
    const stack = [producer.get(id)!];
    while (stack.length) {
      const i = stack.pop()!;
      if (seen.has(i)) continue;
      if (addFirst) seen.add(i);
      if (visit(i)) return true;
      for (const a of eqns[i]!.inputs) {
        if (a.kind !== "var" || this.materialized.has(a.id)) continue;
        const p = producer.get(a.id);
        if (p !== undefined && this.fusable(p)) stack.push(p);
      }
    }
    return false;
  }
}
