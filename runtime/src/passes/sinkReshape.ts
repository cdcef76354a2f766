// Part of simplify: a reshape of elementwise ops becomes the elementwise ops on reshaped operands,
// when that cancels a reshape. np.matmul computes [..., m, k] @ [k, n] as one product of all the
// rows, [(…·m), k] @ [k, n], reshaped back (np/linalg.ts); a transformer's MLP applies gelu to
// that and the next matmul reshapes the result to rows again. Between them, the reshapes keep
// gelu out of the first matmul's epilogue and cost a kernel before the second. Computed on the
// rows directly, gelu becomes the epilogue and both reshapes go. A reshape keeps the row-major
// order, so every element is computed from the same inputs as before.
//   applies when: r = reshape(v) to shape T, v = ew(…) is read only by reshapes to T and by
//   reductions over whole groups of the axes T merges, and some operand chain of v through
//   elementwise ops reaches a reshape of a value of shape T.
// The reductions matter in a gradient: the backward of relu(x @ w + b) on [B, T, d] multiplies
// the incoming [B·T, d] product, reshaped, by the mask, then both sums it over B and T (b's
// gradient) and reshapes it to rows for the next matmul. Summed over the merged axis instead,
// the product stays in rows and the mask becomes the matmul's epilogue.
// Elementwise ops on the way are duplicated, not moved (their other readers keep the original),
// as in sinkTranspose.ts: fuse recomputes such values per kernel anyway, and dce drops the rest.

import { isElementwise, sameShape, type Atom, type Eqn, type Program, type Var } from "../ir/types.js";
import { chainReaches, indexProgram, Substitution, withSubstitutedEqns } from "./rewrite.js";

const MAX_NEW_EQNS = 64;

export function sinkReshapes(program: Program): { program: Program; changed: boolean; count: number } {
  const { producer, readers, outputIds, nextVarId, nextEqnId } = indexProgram(program);
  /** Whether every reader of `v` is a reshape to `target` or a reduction over whole groups of
   *  the axes `target` merges (then the chain moves rather than doubles). */
  const onlyReadAt = (v: Var, target: readonly number[]): boolean =>
    !outputIds.has(v.id) &&
    (readers.get(v.id) ?? []).every((e) =>
      e.prim === "reshape" ? sameShape(e.outputs[0]!.aval.shape, target) : mergedReduction(e, target) !== null,
    );
  /** The shape `v` is better computed at: that of a reshape reading it, when the rule applies. */
  const targetOf = (v: Atom | undefined): readonly number[] | null => {
    if (v?.kind !== "var" || v.aval.shape.length === 0) return null;
    const root = producer.get(v.id);
    if (!root || !reshapable(root)) return null;
    const reshape = (readers.get(v.id) ?? []).find((e) => e.prim === "reshape");
    const target = reshape?.outputs[0]!.aval.shape;
    // Scalars gain nothing (a [1,1] product read as []); an elementwise op reads them at any shape.
    if (!target || target.length === 0) return null;
    return onlyReadAt(v, target) && cancels(v, target, producer) ? target : null;
  };
  let nextVar = nextVarId;
  let nextEqn = nextEqnId;
  const sub = new Substitution();
  const eqns: Eqn[] = [];
  // "id|shape" → the value computed at that shape, shared by every reader of the same value.
  const memo = new Map<string, Atom>();
  let count = 0;
  for (const r of program.eqns) {
    const v = r.inputs[0];
    const target = (r.prim === "reshape" || REDUCTIONS.has(r.prim)) && targetOf(v);
    if (!target) {
      eqns.push(sub.apply(r));
      continue;
    }
    const made: Eqn[] = [];
    const added: string[] = [];
    const fresh = (dtype: Var["aval"]["dtype"]): Var => ({
      kind: "var",
      id: nextVar++,
      aval: { shape: [...target], dtype },
    });
    const emit = (e: Omit<Eqn, "id">): void => void made.push({ ...e, id: nextEqn++ } as Eqn);
    /** `a` reshaped to the target shape, as an atom (a fresh chain of equations where needed). */
    const hoist = (a: Atom): Atom => {
      if (a.kind === "lit" || a.aval.shape.length === 0) return a;
      const key = `${a.id}|${target.join(",")}`;
      const hit = memo.get(key);
      if (hit) return hit;
      const p = producer.get(a.id);
      let out: Atom;
      if (p?.prim === "reshape" && p.inputs[0]!.kind === "var" && sameShape(p.inputs[0]!.aval.shape, target)) {
        out = p.inputs[0]!;
      } else if (p && reshapable(p) && made.length < MAX_NEW_EQNS) {
        const o = fresh(a.aval.dtype);
        emit({ ...p, inputs: p.inputs.map(hoist), outputs: [o] });
        out = o;
      } else {
        const o = fresh(a.aval.dtype);
        emit({ ...r, prim: "reshape", params: { shape: [...target] }, inputs: [a], outputs: [o] } as Omit<Eqn, "id">);
        out = o;
      }
      memo.set(key, out);
      added.push(key);
      return out;
    };
    const y = hoist(v!);
    if (made.length >= MAX_NEW_EQNS) {
      for (const key of added) memo.delete(key);
      eqns.push(sub.apply(r));
      continue;
    }
    for (const e of made) eqns.push(sub.apply(e));
    if (r.prim === "reshape") sub.set(r.outputs[0]!, y);
    else {
      // The reduction over the merged axes: the same values, in the same shape unless a group it
      // keeps merged several axes (then reshaped back).
      const axes = mergedReduction(r, target)!;
      const out = r.outputs[0]!;
      const kept = target.filter((_, j) => !axes.includes(j));
      const reduced: Var = sameShape(kept, out.aval.shape)
        ? out
        : { kind: "var", id: nextVar++, aval: { shape: kept, dtype: out.aval.dtype } };
      eqns.push(sub.apply({ ...r, id: nextEqn++, params: { axes }, inputs: [y], outputs: [reduced] } as Eqn));
      if (reduced !== out)
        eqns.push({
          ...r,
          id: nextEqn++,
          prim: "reshape",
          params: { shape: [...out.aval.shape] },
          inputs: [reduced],
          outputs: [out],
        } as Eqn);
    }
    count++;
  }
  if (count === 0) return { program, changed: false, count };
  return { program: withSubstitutedEqns(program, eqns, sub), changed: true, count };
}

/** Elementwise ops whose value at an element depends only on their operands there (not iota's or
 *  a random op's index), with one output. */
function reshapable(e: Eqn): boolean {
  return (
    isElementwise(e.prim) &&
    e.prim !== "iota" &&
    e.prim !== "random_uniform" &&
    e.prim !== "random_bits" &&
    e.prim !== "random_fold_in" &&
    e.outputs.length === 1 &&
    e.inputs.length > 0
  );
}

const REDUCTIONS = new Set<string>(["reduce_sum", "reduce_max", "reduce_min"]);

/** For a reduction `e` whose operand merges into `target`: the axes of `target` it reduces, when
 *  its axes are whole groups of the merge (null otherwise, and for any other op). */
function mergedReduction(e: Eqn, target: readonly number[]): number[] | null {
  if (!REDUCTIONS.has(e.prim)) return null;
  const groups = mergeGroups(e.inputs[0]!.aval.shape, target);
  if (!groups) return null;
  const { axes } = e.params as { axes: readonly number[] };
  const mapped = groups.flatMap((g, j) => (g.some((a) => axes.includes(a)) ? [j] : []));
  const whole = mapped.every((j) => groups[j]!.every((a) => axes.includes(a)));
  return whole && mapped.length > 0 ? mapped : null;
}

/** The axes of `shape` each axis of `target` merges, when `target` only merges neighbouring axes
 *  of `shape` (size-1 axes join the group before them); null for any other reshape. */
export function mergeGroups(shape: readonly number[], target: readonly number[]): number[][] | null {
  const groups: number[][] = [];
  let i = 0;
  for (const size of target) {
    const g: number[] = [];
    let prod = 1;
    while (i < shape.length && (prod < size || g.length === 0) && prod * shape[i]! <= size) {
      prod *= shape[i]!;
      g.push(i++);
    }
    if (prod !== size || g.length === 0) return null;
    while (i < shape.length && shape[i] === 1 && size !== 1) g.push(i++);
    groups.push(g);
  }
  return i === shape.length ? groups : null;
}

/** Whether some operand chain of `v` through elementwise ops ends at a reshape of a value of
 *  shape `target`. */
function cancels(v: Var, target: readonly number[], producer: ReadonlyMap<number, Eqn>): boolean {
  return chainReaches(
    v,
    producer,
    (p) => p.prim === "reshape" && sameShape(p.inputs[0]!.aval.shape, target),
    (p) => p.prim !== "reshape" && reshapable(p),
  );
}
