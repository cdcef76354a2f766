// `linear_transpose(fun, ...primals)`, as jax.linear_transpose: the transpose of a function that
// is linear in its arguments (the primals give only shapes and dtypes). `fun` is traced once into
// a program (closure converted, as a loop body is: what it closes over becomes constants), and
// that program is checked to be linear: every equation touching a value computed from the inputs
// must be linear in it (a sum, a reshape, a product with a constant, …). JAX finds a non-linear
// op only when its transpose rule is missing; we refuse every one, naming it. The transposed
// function runs the program on zeros under the reverse-mode tape and walks it back from the
// given cotangent: for a linear program that is exactly the transpose. Eagerly this evaluates the
// program once on zeros (its values unused); under jit that work is dead and removed.

import { formatAval } from "@jitscope/contract";
import { JitScopeError } from "../ir/errors.js";
import { sameAval, type Aval, type Eqn, type Program, type ScanParams } from "../ir/types.js";
import { Tracer } from "./core.js";
import { ShapeDtypeStruct } from "./abstractEval.js";
import { traceBody } from "./loopTrace.js";
import { evalProgram, materialize } from "./evalProgram.js";
import { backward, materializeCotangent, recordTape } from "./vjp.js";
import { flatten, flattenWith, treedefDiff, unflatten, type TreeDef } from "./pytree.js";
import { Partial } from "./partial.js";
import { asArrays, fnName } from "./transformUtil.js";
import * as L from "./rules/lax.js";

type Fn = (...args: never[]) => unknown;

/** Ops linear in every operand (sums, data movement, collectives). */
const LINEAR = new Set<string>([
  "add",
  "sub",
  "neg",
  "reshape",
  "transpose",
  "broadcast",
  "slice",
  "pad",
  "concatenate",
  "reduce_sum",
  "rev",
  "gather",
  "optimization_barrier",
  "psum",
  "all_gather",
  "ppermute",
]);

/** Why `e` is not linear in its operands marked in `dep`, or null when it is. */
function nonLinearity(e: Eqn, dep: readonly boolean[]): string | null {
  const p = e.prim;
  if (LINEAR.has(p)) return null;
  switch (p) {
    case "mul":
    case "matmul":
    case "conv":
      return dep.every(Boolean) ? `it multiplies two values that both depend on them (${p})` : null;
    case "div":
      return dep[1] ? "it divides by a value that depends on them (div)" : null;
    case "where":
      return dep[0] ? "it selects with a condition that depends on them (where)" : null;
    case "triangular_solve":
      return dep[0] ? "it solves with a matrix that depends on them (triangular_solve)" : null;
    case "cumulative":
      return (e.params as { op: string }).op === "sum" ? null : "it takes a cumulative product of them (cumprod)";
    case "cast": {
      const to = (e.params as { dtype: string }).dtype;
      return to === "float32" ? null : `it casts a value that depends on them to ${to}`;
    }
    case "scatter": {
      const mode = (e.params as { mode: string }).mode;
      return mode === "add" || mode === "set" ? null : `it scatters into them with mode "${mode}"`;
    }
    case "while":
      return "it runs a lax.while_loop on them, which cannot be transposed (as in JAX); use lax.scan or fori_loop with static bounds";
    default:
      return `it applies ${p} to a value computed from them`;
  }
}

/** Marks which outputs of `program` depend on its inputs marked in `inDep`; throws at the first
 *  equation that is not linear in what depends on them. */
function dependence(program: Program, inDep: readonly boolean[], fail: (why: string, e: Eqn) => never): boolean[] {
  const dep = new Set<number>();
  program.inputs.forEach((v, i) => inDep[i] && dep.add(v.id));
  for (const e of program.eqns) {
    const ins = e.inputs.map((a) => a.kind === "var" && dep.has(a.id));
    if (!ins.some(Boolean)) continue;
    let outs: boolean[];
    if (e.prim === "scan") outs = scanDependence(e.params as ScanParams, ins, fail);
    else {
      const why = nonLinearity(e, ins);
      if (why !== null) fail(why, e);
      outs = e.outputs.map(() => true);
    }
    e.outputs.forEach((o, i) => outs[i] && dep.add(o.id));
  }
  return program.outputs.map((a) => a.kind === "var" && dep.has(a.id));
}

/** A scan's outputs that depend on its marked operands: the carry's dependence to a fixed point. */
function scanDependence(p: ScanParams, ins: readonly boolean[], fail: (why: string, e: Eqn) => never): boolean[] {
  const consts = ins.slice(0, p.numConsts);
  let carry = ins.slice(p.numConsts, p.numConsts + p.numCarry);
  const xs = ins.slice(p.numConsts + p.numCarry);
  for (;;) {
    const outs = dependence(p.body, [...consts, ...carry, ...xs], fail);
    const next = carry.map((c, i) => c || outs[i]!);
    if (next.every((c, i) => c === carry[i])) return outs.map((o, i) => (i < p.numCarry ? next[i]! : o));
    carry = next;
  }
}

const text = (a: Aval): string => formatAval(a.dtype, a.shape);

/** The primals' avals (arrays, ShapeDtypeStructs, numbers as float32 scalars) and structure. */
function primalAvals(label: string, primals: readonly unknown[]): { avals: Aval[]; tree: TreeDef } {
  const f = flattenWith(primals, "primal", (x) => x instanceof ShapeDtypeStruct);
  const avals = f.leaves.map((l, i): Aval => {
    if (l instanceof Tracer || l instanceof ShapeDtypeStruct) return { shape: [...l.shape], dtype: l.dtype };
    if (typeof l === "number") return { shape: [], dtype: "float32" };
    throw new JitScopeError("value", `${label}: primal leaf ${i} is ${typeof l}; give arrays or ShapeDtypeStructs`);
  });
  return { avals, tree: f.treedef };
}

/** `linear_transpose(fun, ...primals)` → `fun_t`, where `fun_t(ct)` (the structure of fun's
 *  output) returns one cotangent per primal, as a list (JAX's tuple). */
export function linear_transpose(fun: Fn, ...primals: unknown[]): (ct: unknown) => unknown[] {
  if (typeof fun !== "function")
    throw new JitScopeError("value", `linear_transpose: the first argument must be a function, got ${typeof fun}`);
  const name = fnName(fun);
  const label = `linear_transpose(${name})`;
  const { avals, tree } = primalAvals(label, primals);
  let outTree: TreeDef | null = null;
  const traced = traceBody(label, avals, (xs) => {
    const r = (fun as (...a: unknown[]) => unknown)(...unflatten<unknown[]>(tree, xs));
    const f = flatten(r, "output");
    outTree = f.treedef;
    return f.leaves;
  });
  const { program, captured } = traced;
  const outAvals = program.outputs.map((o) => o.aval);
  const dtypes = [...avals, ...outAvals].map((a) => a.dtype);
  if (dtypes.some((d) => d !== "float32"))
    throw new JitScopeError(
      "value",
      `${label}: linear_transpose only supports float32 -> float32 functions, but got ` +
        `[${avals.map((a) => a.dtype).join(", ")}] -> [${outAvals.map((a) => a.dtype).join(", ")}]`,
    );
  dependence(
    program,
    program.inputs.map((_, i) => i >= captured.length),
    (why, e) => {
      throw new JitScopeError("trace", `${label}: ${name} is not linear in its arguments: ${why}`, e.location);
    },
  );
  const expectedTree = outTree as unknown as TreeDef;

  const transposed = (consts: readonly Tracer[], ct: unknown): unknown[] => {
    const cf = flatten(asArrays(ct), "cotangent");
    const diff = treedefDiff(expectedTree, cf.treedef, "cotangent");
    if (diff !== null)
      throw new JitScopeError("value", `${label}: the cotangent does not match ${name}'s output: ${diff}`);
    const seeds = cf.leaves.map((c, i) => {
      const want = outAvals[i]!;
      const t = c as Tracer;
      if (!sameAval(t.aval, want))
        throw new JitScopeError(
          "shape",
          `${label}: cotangent ${i} is ${text(t.aval)} but ${name}'s output ${i} is ${text(want)}; they must match`,
        );
      return t;
    });
    const zeros = avals.map((a) => L.full(L.zeros(a), a.shape));
    const lin = recordTape(
      (...xs: unknown[]) =>
        evalProgram(program, [...consts, ...(xs as Tracer[])]).map((o, i) => materialize(o, outAvals[i]!)),
      zeros,
      () => true,
      "",
    );
    const cts = backward(lin, seeds, label);
    return unflatten<unknown[]>(
      tree,
      zeros.map((z, i) => materializeCotangent(cts[i] ?? null, z)),
    );
  };
  // A pytree (JAX returns a Partial too): its constants are traced, not baked in, if passed to jit.
  return Partial(transposed as (...a: never[]) => unknown, [...captured]) as unknown as (ct: unknown) => unknown[];
}
