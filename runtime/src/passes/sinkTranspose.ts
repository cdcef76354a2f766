// Part of simplify: a transpose of an elementwise value becomes the elementwise ops on
// transposed operands, when that cancels a layout change. The CNN's backward pass is the case:
// relu's derivative times the pooling gradient, computed in NHWC, is transposed to CNHW for the
// weight gradient's conv, while the value it multiplies is itself read from the conv's NCHW
// result through a transpose. Computing the product directly in CNHW reads that result nearly
// in order and needs no transpose kernel (fuse writes an elementwise value out before any
// transpose of it). Reductions of the value read the transposed one instead.
//   applies when: v = ew(…) is read only by transposes of one permutation and by reduce_sums
//   whose kept axes keep their order; and some operand chain of v reaches a transpose that the
//   permutation composes into one keeping the last axis last (a contiguous read).
// Elementwise ops on the way are duplicated, not moved (their other readers keep the original):
// fuse recomputes such values per kernel anyway.

import { isElementwise, type Atom, type Eqn, type Program, type Var } from "../ir/types.js";
import { chainReaches, indexProgram, Substitution, withSubstitutedEqns } from "./rewrite.js";

const MAX_NEW_EQNS = 64;

export function sinkTransposes(program: Program): { program: Program; changed: boolean; count: number } {
  const { producer, readers: consumers, outputIds, nextVarId, nextEqnId } = indexProgram(program);
  let nextVar = nextVarId;
  let nextEqn = nextEqnId;
  const inserts = new Map<number, Eqn[]>(); // eqn id → new equations right after it
  const replaced = new Set<number>(); // consumer eqns whose results now come from new ones
  const sub = new Substitution();
  let count = 0;

  for (const t of program.eqns) {
    if (t.prim !== "transpose" || replaced.has(t.id)) continue;
    const v = t.inputs[0]!;
    if (v.kind !== "var" || outputIds.has(v.id)) continue;
    const root = producer.get(v.id);
    if (!root || !isElementwise(root.prim) || root.outputs.length !== 1) continue;
    const perm = (t.params as { perm: number[] }).perm;
    // Readers whose results nobody reads (left for dce, as simplify's merged transposes) do not count.
    const live = (e: Eqn) => e.outputs.some((o) => outputIds.has(o.id) || (consumers.get(o.id) ?? []).length > 0);
    const readers = (consumers.get(v.id) ?? []).filter(live);
    const ok = readers.every((r) =>
      r.prim === "transpose" ? sameArray((r.params as { perm: number[] }).perm, perm) : reduceReads(r, perm) !== null,
    );
    if (!ok || !cancelsLayout(v, perm, producer)) continue;

    const made: Eqn[] = [];
    let aborted = false;
    const memo = new Map<number, Atom>();
    const fresh = (like: Var): Var => ({
      kind: "var",
      id: nextVar++,
      aval: { shape: perm.map((p) => like.aval.shape[p]!), dtype: like.aval.dtype },
    });
    const emit = (e: Omit<Eqn, "id">): Eqn => {
      const full = { ...e, id: nextEqn++ } as Eqn;
      made.push(full);
      return full;
    };
    /** `a` transposed by perm, as an atom (a fresh chain of equations where needed). */
    const sink = (a: Atom, like: Eqn): Atom => {
      if (a.kind === "lit" || a.aval.shape.length === 0) return a;
      const hit = memo.get(a.id);
      if (hit) return hit;
      const p = producer.get(a.id);
      let out: Atom;
      if (p?.prim === "iota") {
        const { axis, dtype } = p.params as { axis: number; dtype: Var["aval"]["dtype"] };
        const o = fresh(a);
        emit({ ...p, params: { shape: [...o.aval.shape], axis: perm.indexOf(axis), dtype }, outputs: [o] });
        out = o;
      } else if (p && (p.prim === "random_uniform" || p.prim === "random_bits" || p.prim === "random_fold_in")) {
        aborted = true; // its values follow the flat index: keep it where it is
        out = a;
      } else if (p && isElementwise(p.prim) && p.outputs.length === 1 && made.length < MAX_NEW_EQNS) {
        const o = fresh(a);
        emit({ ...p, inputs: p.inputs.map((x) => sink(x, p)), outputs: [o] });
        out = o;
      } else if (p && p.prim === "transpose") {
        const inner = (p.params as { perm: number[] }).perm;
        const composed = perm.map((i) => inner[i]!);
        const src = p.inputs[0]!;
        if (composed.every((c, i) => c === i)) out = src;
        else {
          const o = fresh(a);
          emit({ ...p, params: { perm: composed }, inputs: [src], outputs: [o] });
          out = o;
        }
      } else {
        const o = fresh(a);
        emit({ ...like, prim: "transpose", params: { perm: [...perm] }, inputs: [a], outputs: [o] });
        out = o;
      }
      memo.set(a.id, out);
      return out;
    };
    const y = sink(v, t);
    if (aborted || made.length >= MAX_NEW_EQNS) continue; // a random leaf, or too long a chain
    for (const r of readers) {
      replaced.add(r.id);
      if (r.prim === "transpose") {
        sub.set(r.outputs[0]!, y);
        continue;
      }
      // The same result variable, now computed right after the root from the transposed value.
      emit({ ...r, params: { axes: reduceReads(r, perm)! }, inputs: [y] });
    }
    inserts.set(root.id, [...(inserts.get(root.id) ?? []), ...made]);
    count++;
  }
  if (count === 0) return { program, changed: false, count };
  const eqns: Eqn[] = [];
  for (const e of program.eqns) {
    if (!replaced.has(e.id)) eqns.push(sub.apply(e));
    for (const n of inserts.get(e.id) ?? []) eqns.push(sub.apply(n));
  }
  return { program: withSubstitutedEqns(program, eqns, sub), changed: true, count };
}

const sameArray = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** A reduce_sum's axes over the transposed value, when the kept axes keep their order (so its
 *  result is unchanged); null otherwise or for other readers. */
function reduceReads(r: Eqn, perm: readonly number[]): number[] | null {
  if (r.prim !== "reduce_sum") return null;
  const axes = (r.params as { axes: number[] }).axes;
  const kept = perm.map((p, i) => (axes.includes(p) ? -1 : i)).filter((i) => i >= 0);
  const keptSrc = kept.map((i) => perm[i]!);
  if (keptSrc.some((p, k) => k > 0 && p < keptSrc[k - 1]!)) return null;
  return perm.flatMap((p, i) => (axes.includes(p) ? [i] : []));
}

/** Whether some operand chain of `v` through elementwise ops ends at a transpose that `perm`
 *  composes into a permutation keeping the last axis last. */
function cancelsLayout(v: Var, perm: readonly number[], producer: ReadonlyMap<number, Eqn>): boolean {
  const last = perm.length - 1;
  return chainReaches(
    v,
    producer,
    (p) => {
      if (p.prim !== "transpose") return false;
      const inner = (p.params as { perm: number[] }).perm;
      return inner.length === perm.length && inner[perm[last]!] === last;
    },
    (p) => p.prim !== "transpose" && isElementwise(p.prim),
  );
}
