// Part of simplify: a float32 matmul whose contraction length K is not a multiple of 4 gets both
// operands padded with zeros along K to the next multiple of 4. The matmul kernel's vec4 path
// reads operands in whole vec4s along K (codegen/matmulOperands.ts vec4PathApplies); a row of 33
// floats is not, so such a product ran scalar loads. A NeRF's positional encoding (33 features)
// fed its MLP that way. Measured on lavapipe (one kernel each, --timing every, 20 calls, median):
// [12288,33]@[33,64] 32.9 ms against 14.0 ms for K = 36, [1024,33]@[33,64] 2.13 against 1.02,
// [512,129]@[129,128] 9.21 against 2.77, [12288,33]@[33,4] 7.92 against 2.91. K = 3 against 4 is
// the same time (the product is bound by its output), so K below 5 is left alone, and so are
// products too small for the pads' dispatches to pay (under 2^20 multiply-adds: an MLP's
// [128,10]@[10,256] gradient product, 0.3 M, would gain two pad kernels for a saving too small
// to measure on lavapipe).
// Exact: the padded terms are 0·0, added after the others in the same order.
// The pad of a value computed in registers is written by the kernel that computes it (fuseMarks.ts
// readsInPlace), so a computed operand costs no extra kernel; one in memory (a weight) costs a
// small copy per call.

import { sizeOf, type Atom, type Eqn, type Program, type Var } from "../ir/types.js";
import { indexProgram, withEqns } from "./rewrite.js";

const MIN_K = 5;
const MIN_MULTIPLY_ADDS = 2 ** 20;

export function padMatmulK(program: Program): { program: Program; count: number } {
  const { producer, outputIds, nextVarId, nextEqnId } = indexProgram(program);
  let nextVar = nextVarId;
  let nextEqn = nextEqnId;
  const eqns: Eqn[] = [];
  // One pad per operand, however many products read it (x and xᵀ·g read the same padded x).
  const padded = new Map<string, Var>();
  // A padded value's later readers read the padded copy's first K columns instead, a view of it
  // in memory: the value is then computed once, by the kernel writing it padded (xᵀ in xᵀ·g
  // would otherwise compute x a second time, unpadded).
  const viewOf = new Map<number, Var>();
  const sliced = new Map<number, Var>();
  const throughView = (a: Atom): Atom => {
    if (a.kind !== "var" || !viewOf.has(a.id)) return a;
    const hit = sliced.get(a.id);
    if (hit) return hit;
    const src = viewOf.get(a.id)!;
    const out: Var = { kind: "var", id: nextVar++, aval: a.aval };
    const { location, nameStack } = producer.get(a.id)!;
    eqns.push({
      id: nextEqn++,
      prim: "slice",
      params: { starts: a.aval.shape.map(() => 0), limits: [...a.aval.shape], strides: a.aval.shape.map(() => 1) },
      inputs: [src],
      outputs: [out],
      location,
      nameStack,
    } as Eqn);
    sliced.set(a.id, out);
    return out;
  };
  let count = 0;
  for (const e of program.eqns) {
    const k = e.prim === "matmul" ? paddedK(e, producer) : null;
    if (k === null) {
      const inputs = e.inputs.map(throughView);
      eqns.push(inputs.some((a, i) => a !== e.inputs[i]) ? { ...e, inputs } : e);
      continue;
    }
    const pad = (a: Atom, axis: number): Atom => {
      const key = `${a.kind === "var" ? a.id : JSON.stringify(a)}|${axis}`;
      const hit = padded.get(key);
      if (hit) return hit;
      const rank = a.aval.shape.length;
      const shape = a.aval.shape.map((d, i) => (i === rank + axis ? k : d));
      const out: Var = { kind: "var", id: nextVar++, aval: { shape, dtype: a.aval.dtype } };
      const high = shape.map((d, i) => d - a.aval.shape[i]!);
      eqns.push({
        ...e,
        id: nextEqn++,
        prim: "pad",
        params: { low: shape.map(() => 0), high, value: 0 },
        inputs: [a],
        outputs: [out],
      } as Eqn);
      if (a.kind === "var") {
        padded.set(key, out);
        if (axis === -1 && producer.has(a.id) && !outputIds.has(a.id)) viewOf.set(a.id, out);
      }
      return out;
    };
    const [a, b] = e.inputs as [Atom, Atom];
    eqns.push({ ...e, id: nextEqn++, inputs: [pad(a, -1), pad(b, -2)] });
    count++;
  }
  return count === 0 ? { program, count } : { program: withEqns(program, eqns), count };
}

/** K rounded up to a multiple of 4, for a float32 product worth padding; null otherwise. The
 *  vec4 path also wants N a multiple of 4 unless B is a swap of axes (read down its rows), and M
 *  one where A is (read four rows at a time): otherwise padding K would buy nothing. */
function paddedK(e: Eqn, producer: ReadonlyMap<number, Eqn>): number | null {
  const [a, b] = e.inputs;
  const out = e.outputs[0]!;
  if (!a || !b || out.aval.dtype !== "float32" || a.aval.dtype !== "float32" || b.aval.dtype !== "float32") return null;
  const [m, k] = a.aval.shape.slice(-2) as [number, number];
  const n = b.aval.shape[b.aval.shape.length - 1]!;
  if (k % 4 === 0 || k < MIN_K) return null;
  if (sizeOf(out.aval.shape) * k < MIN_MULTIPLY_ADDS) return null;
  if (swapsLastAxes(a, producer) && m % 4 !== 0) return null;
  if (!swapsLastAxes(b, producer) && n % 4 !== 0) return null;
  return Math.ceil(k / 4) * 4;
}

/** Whether `a` is a transpose whose last two axes are its operand's last two, swapped. */
function swapsLastAxes(a: Atom, producer: ReadonlyMap<number, Eqn>): boolean {
  const p = a.kind === "var" ? producer.get(a.id) : undefined;
  if (p?.prim !== "transpose") return false;
  const { perm } = p.params as { perm: number[] };
  const r = perm.length;
  return r >= 2 && perm[r - 1] === r - 2 && perm[r - 2] === r - 1;
}
