// Part of simplify: a reshape of elementwise ops becomes the elementwise ops on reshaped operands,
// when that cancels a reshape. np.matmul computes [..., m, k] @ [k, n] as one product of all the
// rows, [(…·m), k] @ [k, n], reshaped back (np/linalg.ts); a transformer's MLP applies gelu to
// that and the next matmul reshapes the result to rows again. Between them, the reshapes keep
// gelu out of the first matmul's epilogue and cost a kernel before the second. Computed on the
// rows directly, gelu becomes the epilogue and both reshapes go. A reshape keeps the row-major
// order, so every element is computed from the same inputs as before.
//   applies when: r = reshape(v) to shape T, v = ew(…) is read only by reshapes to T, and some
//   operand chain of v through elementwise ops reaches a reshape of a value of shape T.
// Elementwise ops on the way are duplicated, not moved (their other readers keep the original),
// as in sinkTranspose.ts: fuse recomputes such values per kernel anyway, and dce drops the rest.

import { isElementwise, sameShape, type Atom, type Eqn, type Program, type Var } from "../ir/types.js";
import { chainReaches, indexProgram, Substitution, withSubstitutedEqns } from "./rewrite.js";

const MAX_NEW_EQNS = 64;

export function sinkReshapes(program: Program): { program: Program; changed: boolean; count: number } {
  const { producer, readers, outputIds, nextVarId, nextEqnId } = indexProgram(program);
  /** Whether `v` is read only by reshapes to `target` (then the chain moves rather than doubles). */
  const onlyReshapedTo = (v: Var, target: readonly number[]): boolean =>
    !outputIds.has(v.id) &&
    (readers.get(v.id) ?? []).every((e) => e.prim === "reshape" && sameShape(e.outputs[0]!.aval.shape, target));
  let nextVar = nextVarId;
  let nextEqn = nextEqnId;
  const sub = new Substitution();
  const eqns: Eqn[] = [];
  let count = 0;
  for (const r of program.eqns) {
    const v = r.inputs[0];
    const target = r.outputs[0]!.aval.shape;
    const root = r.prim === "reshape" && v?.kind === "var" ? producer.get(v.id) : undefined;
    // Scalars gain nothing (a [1,1] product read as []); an elementwise op reads them at any shape.
    const scalar = target.length === 0 || (v?.kind === "var" && v.aval.shape.length === 0);
    if (
      !root ||
      !reshapable(root) ||
      scalar ||
      !onlyReshapedTo(v as Var, target) ||
      !cancels(v as Var, target, producer)
    ) {
      eqns.push(sub.apply(r));
      continue;
    }
    const made: Eqn[] = [];
    const memo = new Map<number, Atom>();
    const fresh = (dtype: Var["aval"]["dtype"]): Var => ({
      kind: "var",
      id: nextVar++,
      aval: { shape: [...target], dtype },
    });
    const emit = (e: Omit<Eqn, "id">): void => void made.push({ ...e, id: nextEqn++ } as Eqn);
    /** `a` reshaped to the target shape, as an atom (a fresh chain of equations where needed). */
    const hoist = (a: Atom): Atom => {
      if (a.kind === "lit" || a.aval.shape.length === 0) return a;
      const hit = memo.get(a.id);
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
        emit({ ...r, params: { shape: [...target] }, inputs: [a], outputs: [o] });
        out = o;
      }
      memo.set(a.id, out);
      return out;
    };
    const y = hoist(v!);
    if (made.length >= MAX_NEW_EQNS) {
      eqns.push(sub.apply(r));
      continue;
    }
    for (const e of made) eqns.push(sub.apply(e));
    sub.set(r.outputs[0]!, y);
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
