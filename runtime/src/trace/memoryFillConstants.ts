// A filled array or an iota that an op reads whole from memory (lax.scan's initial carry
// `np.zeros(...)` or its xs `np.arange(n)` made inside jit, an RNN's zero hidden state as a
// matmul operand) would, as an op (np/stagedCreation.ts), be a kernel writing the same values on
// every call, or on every iteration inside a loop body. Such values become constants of the
// program instead: made on the host and uploaded once, as creation outside jit is, and passed to
// a loop body that makes one as one more of its consts. Those that only elementwise and layout
// ops read stay ops, which fuse into them.

import { ConcreteArray } from "../array.js";
import { currentBackend } from "../backend/select.js";
import {
  sizeOf,
  type Atom,
  type Eqn,
  type PrimParams,
  type Program,
  type ScanParams,
  type Var,
  type WhileParams,
} from "../ir/types.js";
import { indexProgram, scanWithConsts, whileWithConsts } from "../passes/rewrite.js";

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

/** Gives the atom, in the scope asking, that holds a fill's values. */
type Supply = (fill: Eqn) => Var;

/** `eqns` without the fills (a broadcast of a literal) and iotas that such an op reads, at the
 *  top level or in a loop body at any depth; their readers read the constant `constVar` gives
 *  for the same values instead (in a body, through a const the loop passes it). */
export function memoryFillsAsConstants(
  eqns: readonly Eqn[],
  outputs: readonly Atom[],
  constVar: (x: ConcreteArray) => Var,
): Eqn[] {
  const made = new Map<string, Var>();
  return liftFills(eqns, outputs, (fill) => {
    const key = fillKey(fill);
    let v = made.get(key);
    if (!v) {
      const backend = currentBackend();
      const { shape, dtype } = fill.outputs[0]!.aval;
      v = constVar(new ConcreteArray(backend.fromHost(hostValues(fill), { shape: [...shape], dtype }), backend));
      made.set(key, v);
    }
    return v;
  });
}

/** One scope's equations with its memory-read fills replaced by `supply`'s atoms, and every loop
 *  in it given the fills its bodies need as new consts. */
function liftFills(eqns: readonly Eqn[], outputs: readonly Atom[], supply: Supply): Eqn[] {
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
    if (!isFill(e) || returned.has(out.id)) continue;
    if ((readers.get(out.id) ?? []).some((r) => READ_FROM_MEMORY.has(r.prim))) replaced.set(out.id, supply(e));
  }
  const swap = (a: Atom): Atom => (a.kind === "var" ? (replaced.get(a.id) ?? a) : a);
  const result: Eqn[] = [];
  for (const e of eqns) {
    if (e.outputs.length === 1 && replaced.has(e.outputs[0]!.id)) continue;
    const read = e.inputs.some((a) => a.kind === "var" && replaced.has(a.id))
      ? { ...e, inputs: e.inputs.map(swap) }
      : e;
    result.push(
      read.prim === "scan" ? liftIntoScan(read, supply) : read.prim === "while" ? liftIntoWhile(read, supply) : read,
    );
  }
  return result;
}

function liftIntoScan(e: Eqn, supply: Supply): Eqn {
  const p = e.params as ScanParams;
  const lifted = liftBody(p.body, p.numConsts, supply);
  return lifted.passed.length === 0 ? e : scanWithConsts(e, lifted.body, lifted.passed);
}

function liftIntoWhile(e: Eqn, supply: Supply): Eqn {
  const p = e.params as WhileParams;
  const cond = liftBody(p.cond, p.condConsts, supply);
  const body = liftBody(p.body, p.bodyConsts, supply);
  if (cond.passed.length === 0 && body.passed.length === 0) return e;
  return whileWithConsts(e, cond.body, cond.passed, body.body, body.passed);
}

/** `body` (its first `numConsts` inputs its consts) reading the fills it and the loops in it need
 *  from new inputs placed after its consts, and the atoms the loop passes for them (`outer`'s). */
function liftBody(body: Program, numConsts: number, outer: Supply): { body: Program; passed: Var[] } {
  let nextVar = indexProgram(body).nextVarId;
  const added: Var[] = [];
  const passed: Var[] = [];
  const byKey = new Map<string, Var>();
  const eqns = liftFills(body.eqns, body.outputs, (fill) => {
    const key = fillKey(fill);
    let v = byKey.get(key);
    if (!v) {
      v = { kind: "var", id: nextVar++, aval: fill.outputs[0]!.aval };
      byKey.set(key, v);
      added.push(v);
      passed.push(outer(fill));
    }
    return v;
  });
  if (added.length === 0) return { body, passed };
  const inputs = [...body.inputs.slice(0, numConsts), ...added, ...body.inputs.slice(numConsts)];
  return { body: { ...body, inputs, eqns }, passed };
}

/** A broadcast of a literal, or an iota. */
function isFill(e: Eqn): boolean {
  return (e.prim === "broadcast" && e.inputs[0]?.kind === "lit") || e.prim === "iota";
}

/** Two fills with one key hold the same values. */
function fillKey(e: Eqn): string {
  const { shape, dtype } = e.outputs[0]!.aval;
  const [lit] = e.inputs;
  const what =
    e.prim === "iota"
      ? `iota ${(e.params as PrimParams["iota"]).axis}`
      : `fill ${lit?.kind === "lit" ? lit.value : "?"}`;
  return `${what} ${dtype}[${shape.join(",")}]`;
}

/** The values of a fill (a broadcast of a literal) or an iota, made on the host. */
function hostValues(e: Eqn): Float32Array | Int32Array | Uint8Array {
  const [lit] = e.inputs;
  const { shape, dtype } = e.outputs[0]!.aval;
  const n = sizeOf(shape);
  const data = dtype === "float32" ? new Float32Array(n) : dtype === "int32" ? new Int32Array(n) : new Uint8Array(n);
  if (e.prim === "broadcast" && lit?.kind === "lit") return data.fill(lit.value);
  const { axis } = e.params as PrimParams["iota"];
  const stride = sizeOf(shape.slice(axis + 1));
  for (let i = 0; i < n; i++) data[i] = Math.floor(i / stride) % shape[axis]!;
  return data;
}
