// A filled array or an iota that an op reads whole from memory (lax.scan's initial carry
// `np.zeros(...)` or its xs `np.arange(n)` made inside jit, an RNN's zero hidden state as a
// matmul operand) would, as an op (np/stagedCreation.ts), be a kernel writing the same values on
// every call. Such values become constants of the program instead: made on the host and
// uploaded once, as creation outside jit is. Those that only elementwise and layout ops read
// stay ops, which fuse into them.

import { ConcreteArray } from "../array.js";
import { currentBackend } from "../backend/select.js";
import { sizeOf, type Atom, type Eqn, type PrimParams, type Var } from "../ir/types.js";

/** Ops that read an operand whole from memory (fuse's loop-, matmul- and linalg-operand rules;
 *  not sort, whose kernel makes an argsort's iota itself). */
const READ_FROM_MEMORY: ReadonlySet<string> = new Set([
  "scan",
  "while",
  "matmul",
  "conv",
  "cholesky",
  "triangular_solve",
  "lu",
]);

/** `eqns` without the top-level fills (a broadcast of a literal) and iotas that such an op reads;
 *  their readers read the constant `constVar` gives for the same values instead. */
export function memoryFillsAsConstants(
  eqns: readonly Eqn[],
  outputs: readonly Atom[],
  constVar: (x: ConcreteArray) => Var,
): Eqn[] {
  const readers = new Map<number, Eqn[]>();
  for (const e of eqns)
    for (const a of e.inputs) {
      if (a.kind !== "var") continue;
      const list = readers.get(a.id);
      if (list) list.push(e);
      else readers.set(a.id, [e]);
    }
  const returned = new Set(outputs.flatMap((a) => (a.kind === "var" ? [a.id] : [])));
  const replaced = new Map<number, Var>();
  for (const e of eqns) {
    const out = e.outputs[0]!;
    if (returned.has(out.id) || !(readers.get(out.id) ?? []).some((r) => READ_FROM_MEMORY.has(r.prim))) continue;
    const data = hostValues(e);
    if (!data) continue;
    const backend = currentBackend();
    const aval = { shape: [...out.aval.shape], dtype: out.aval.dtype };
    replaced.set(out.id, constVar(new ConcreteArray(backend.fromHost(data, aval), backend)));
  }
  if (replaced.size === 0) return [...eqns];
  const swap = (a: Atom): Atom => (a.kind === "var" ? (replaced.get(a.id) ?? a) : a);
  return eqns
    .filter((e) => !(e.outputs.length === 1 && replaced.has(e.outputs[0]!.id)))
    .map((e) =>
      e.inputs.some((a) => a.kind === "var" && replaced.has(a.id)) ? { ...e, inputs: e.inputs.map(swap) } : e,
    );
}

/** The values of a fill (a broadcast of a literal) or an iota, made on the host; null for any
 *  other op. */
function hostValues(e: Eqn): Float32Array | Int32Array | Uint8Array | null {
  const [lit] = e.inputs;
  const { shape, dtype } = e.outputs[0]!.aval;
  const n = sizeOf(shape);
  const data = dtype === "float32" ? new Float32Array(n) : dtype === "int32" ? new Int32Array(n) : new Uint8Array(n);
  if (e.prim === "broadcast" && lit?.kind === "lit") return data.fill(lit.value);
  if (e.prim !== "iota") return null;
  const { axis } = e.params as PrimParams["iota"];
  const stride = sizeOf(shape.slice(axis + 1));
  for (let i = 0; i < n; i++) data[i] = Math.floor(i / stride) % shape[axis]!;
  return data;
}
