// `lax.cond` and `lax.switch` are predicated: every branch is computed and the result selected
// (no readback of the predicate on the GPU; under vmap this is exactly JAX's rule), except eagerly
// on the CPU backend, where the predicate is read and only the chosen branch runs (the others are
// traced, not run, to check that every branch returns the same shapes and dtypes, as JAX does).
// A debug.print in a branch prints only where that branch is taken (withPrintGuard).

import { bind, isStaging, Tracer } from "../trace/core.js";
import { flatten, unflatten, type TreeDef } from "../trace/pytree.js";
import { traceBody } from "../trace/loopTrace.js";
import { withoutPrints, withPrintGuard } from "../trace/debugPrint.js";
import { asArrays } from "../trace/transformUtil.js";
import { ConcreteArray } from "../array.js";
import { isCpuBackend } from "../backend/cpu.js";
import { JitScopeError } from "../ir/errors.js";
import { captureUserLocation } from "../ir/location.js";
import { avalToString, sameAval, type Aval } from "../ir/types.js";
import { where } from "../np/elementwise.js";
import * as L from "../trace/rules/lax.js";
import { checkTree, int32Scalar, readNow } from "./control.js";

const fail = (msg: string): JitScopeError => new JitScopeError("value", msg, captureUserLocation());

function select(pick: (i: number) => Tracer, results: readonly unknown[], what: string): unknown {
  const flats = results.map((r, i) => flatten(asArrays(r), `branch ${i} result`));
  flats.forEach((f, i) => checkTree(flats[0]!.treedef, f.treedef, `${what}: branch ${i} result`));
  flats.forEach((f, i) =>
    checkBranchAvals(
      flats[0]!.leaves.map((l) => (l as Tracer).aval),
      f.leaves.map((l) => (l as Tracer).aval),
      i,
      what,
    ),
  );
  const n = results.length;
  const leaves = flats[0]!.leaves.map((_, j) => {
    let r = flats[n - 1]!.leaves[j] as Tracer;
    for (let i = n - 2; i >= 0; i--) r = where(pick(i), flats[i]!.leaves[j] as Tracer, r);
    return r;
  });
  return unflatten(flats[0]!.treedef, leaves);
}

/** Branches must return the same shapes and dtypes: a select would broadcast a scalar branch
 *  against an array one, or cast int32 to float32, and the result would depend on which backend
 *  ran it (on the CPU a known predicate runs one branch). */
function checkBranchAvals(first: readonly Aval[], branch: readonly Aval[], i: number, what: string): void {
  first.forEach((a, j) => {
    const b = branch[j]!;
    if (!sameAval(a, b))
      throw fail(
        `${what}: branch ${i} returns ${avalToString(b)} where branch 0 returns ${avalToString(a)}` +
          `${first.length > 1 ? ` (result leaf ${j})` : ""}; every branch must return the same shapes and dtypes`,
      );
  });
}

/** A branch's result structure and leaf avals, traced (not run) on the operands' avals. */
function branchAvals(
  fn: (...ops: never[]) => unknown,
  operands: readonly unknown[],
): { treedef: TreeDef; avals: Aval[] } {
  const ops = flatten(asArrays(operands), "operands");
  let treedef: TreeDef = ops.treedef;
  const body = withoutPrints(() =>
    traceBody(
      "cond.branch",
      ops.leaves.map((l) => (l as Tracer).aval),
      (args) => {
        const out = flatten(asArrays(fn(...(unflatten(ops.treedef, args) as never[]))), "branch result");
        treedef = out.treedef;
        return out.leaves as Tracer[];
      },
    ),
  );
  return { treedef, avals: body.program.outputs.map((o) => o.aval) };
}

/** Runs one branch (the predicate is known on the host) and traces the others, without running
 *  them, to check that every branch returns what branch 0 does, as when all are traced. */
function runOne<A extends unknown[], R>(
  branches: readonly ((...ops: A) => R)[],
  taken: number,
  operands: A,
  what: string,
): R {
  const result = branches[taken]!(...operands);
  const flat = flatten(asArrays(result), `branch ${taken} result`);
  const outs = branches.map((b, i) =>
    i === taken
      ? { treedef: flat.treedef, avals: flat.leaves.map((l) => (l as Tracer).aval) }
      : branchAvals(b as (...ops: never[]) => unknown, operands),
  );
  outs.forEach((o, i) => {
    checkTree(outs[0]!.treedef, o.treedef, `${what}: branch ${i} result`);
    checkBranchAvals(outs[0]!.avals, o.avals, i, what);
  });
  return result;
}

/** `lax.cond(pred, trueFn, falseFn, ...operands)`: `pred ? trueFn(...operands) : falseFn(...operands)`. */
export function cond<A extends unknown[], R>(
  pred: Tracer | boolean | number,
  trueFn: (...ops: A) => R,
  falseFn: (...ops: A) => R,
  ...operands: A
): R {
  if (typeof pred === "boolean" || typeof pred === "number") return pred ? trueFn(...operands) : falseFn(...operands);
  if (pred.ndim !== 0)
    throw fail(`lax.cond: pred must be a scalar, got shape [${pred.shape}] (use np.where for elementwise selection)`);
  const p =
    pred.dtype === "bool"
      ? pred
      : (L.compare("ne", pred, { kind: "lit", value: 0, aval: { shape: [], dtype: pred.dtype } }) as Tracer);
  const known = isStaging() ? null : readNow(p);
  if (known !== null) return runOne([trueFn, falseFn], known ? 0 : 1, operands, "lax.cond");
  const notP = () => L.compare("eq", p, { kind: "lit", value: 0, aval: { shape: [], dtype: "bool" } }) as Tracer;
  const results = [
    withPrintGuard(
      () => p,
      () => trueFn(...operands),
    ),
    withPrintGuard(notP, () => falseFn(...operands)),
  ];
  return select(() => p, results, "lax.cond") as R;
}

/** `lax.switch(index, branches, ...operands)`: `branches[clamp(index)](...operands)`. */
export function switch_<A extends unknown[], R>(
  index: Tracer | number,
  branches: readonly ((...ops: A) => R)[],
  ...operands: A
): R {
  const n = branches.length;
  if (n === 0) throw fail("lax.switch: needs at least one branch");
  const clampJs = (i: number): number => Math.min(n - 1, Math.max(0, Math.trunc(i)));
  if (typeof index === "number") return branches[clampJs(index)]!(...operands);
  if (index.ndim !== 0) throw fail(`lax.switch: index must be a scalar, got shape [${index.shape}]`);
  const idx = int32Scalar(index);
  const known =
    isStaging() || !(idx instanceof ConcreteArray) || !isCpuBackend(idx.backend)
      ? null
      : idx.backend.hostData(idx.device)[0]!;
  if (known !== null) return runOne(branches, clampJs(known), operands, "lax.switch");
  const lit = (v: number) => ({ kind: "lit" as const, value: v, aval: { shape: [], dtype: "int32" as const } });
  const c = bind("min", {}, [bind("max", {}, [idx, lit(0)])[0]!, lit(n - 1)])[0]!;
  const taken = (i: number) => L.compare("eq", c, lit(i)) as Tracer;
  const results = branches.map((b, i) =>
    withPrintGuard(
      () => taken(i),
      () => b(...operands),
    ),
  );
  return select(taken, results, "lax.switch") as R;
}

export { switch_ as switch };
