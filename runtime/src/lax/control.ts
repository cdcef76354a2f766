// `lax` structured control flow with JAX's semantics. Under jit (while a program is being
// traced) `scan` and `while_loop` stay loops: the body is traced once into a program held by one
// `scan`/`while` equation, compiled to kernels once, and run per iteration by the backend.
// Outside jit they run as plain JS loops (as JAX's disable_jit does), so eager code, grad and
// vmap of eager code see ordinary ops. `fori_loop` with static bounds is a scan (so grad goes
// through it), with traced bounds a while_loop (`cond` and `switch`: branches.ts). A `while` equation on WebGPU (under jit, or eagerly when the predicate
// lives on the GPU) is driven by the device: the condition is evaluated there, the body dispatched
// indirectly, and the host reads one flag per chunk of iterations (backend/webgpuWhile.ts); inside
// a scan or while body it is refused there, with the user's line.

import { checkOptions } from "../apiOptions.js";
import { bind, isStaging, Tracer } from "../trace/core.js";
import { flatten, treedefDiff, treedefToString, unflatten, type TreeDef } from "../trace/pytree.js";
import { traceBody } from "../trace/loopTrace.js";
import { captureLoopPrints, deliverLoopPrints, type DebugCapture } from "../trace/debugPrint.js";
import { asArrays } from "../trace/transformUtil.js";
import { ConcreteArray } from "../array.js";
import { isCpuBackend } from "../backend/cpu.js";
import { JitScopeError } from "../ir/errors.js";
import { captureUserLocation } from "../ir/location.js";
import { avalToString, sameAval, type Aval } from "../ir/types.js";
import { array } from "../np/creation.js";
import { concatenate, stack } from "../np/shape.js";
import { vmap } from "../trace/vmap.js";
import * as L from "../trace/rules/lax.js";

export interface ScanOptions {
  /** Number of iterations; required when there are no xs, else must equal their axis 0. */
  length?: number;
  /** Iterate from the last row to the first (ys are still stored at the row they belong to). */
  reverse?: boolean;
  /** Accepted for JAX compatibility; the body is always compiled once (a loop, not unrolled). */
  unroll?: number | boolean;
}

const fail = (msg: string): JitScopeError => new JitScopeError("value", msg, captureUserLocation());

function leavesOf(value: unknown, what: string, allowNumbers: boolean): { leaves: Tracer[]; tree: TreeDef } {
  let flat;
  try {
    flat = flatten(allowNumbers ? asArrays(value) : value, what);
  } catch (e) {
    if (e instanceof TypeError) throw fail(`${what}: ${e.message.replace(/^jit: /, "")}`);
    throw e;
  }
  const { leaves, treedef } = flat;
  const bad = leaves.findIndex((l) => !(l instanceof Tracer));
  if (bad >= 0) throw fail(`${what}: leaf ${bad} is a JS number; pass an array (np.array(...))`);
  return { leaves: leaves as Tracer[], tree: treedef };
}

/** A loop's function argument, checked before tracing: otherwise "body is not a function". */
function checkFunction(op: string, what: string, f: unknown): void {
  if (typeof f !== "function") throw fail(`${op}: ${what} must be a function, got ${f === null ? "null" : typeof f}`);
}

/** Row `t` of `x` (axis 0 removed). */
function row(x: Tracer, t: number): Tracer {
  const s = x.shape;
  const part = L.slice(x, [t, ...s.slice(1).map(() => 0)], [t + 1, ...s.slice(1)]);
  return L.reshape(part, s.slice(1)) as Tracer;
}

export function checkTree(expected: TreeDef, actual: TreeDef, what: string): void {
  const diff = treedefDiff(expected, actual, what);
  if (diff) throw fail(`${diff} (expected ${treedefToString(expected)}, got ${treedefToString(actual)})`);
}

/**
 * The carry a body returned, in eager mode: same tree as `init`, JS numbers made arrays of the
 * init leaf's dtype, and each leaf of the init leaf's shape and dtype (what jit's shape rule
 * checks), so a carry that changes dtype (an int32 counter plus a float) fails eagerly too.
 */
function carryOf(
  value: unknown,
  init: { leaves: readonly Tracer[]; tree: TreeDef },
  what: string,
  loop: string,
): { leaves: Tracer[]; tree: TreeDef } {
  const { leaves, treedef } = flatten(value, what);
  checkTree(init.tree, treedef, what);
  const out = leaves.map((l, i) => {
    const want = init.leaves[i]!.aval;
    const x = typeof l === "number" ? array(l, { dtype: want.dtype }) : l;
    if (!(x instanceof Tracer)) throw fail(`${what}: leaf ${i} is not an array`);
    if (!sameAval(x.aval, want)) {
      throw fail(
        `${loop}: the body returns carry ${i} as ${avalToString(x.aval)} but it came in as ${avalToString(want)}; a carry keeps its shape and dtype`,
      );
    }
    return x;
  });
  return { leaves: out, tree: treedef };
}

/**
 * `lax.scan(f, init, xs, { length, reverse })`: `f(carry, x) -> [carry, y]` applied along axis 0
 * of `xs` (a pytree, or null with `length`); returns `[finalCarry, ys]` with the y's stacked.
 */
export function scan<C, X, Y>(
  f: (carry: C, x: X) => [C, Y],
  init: C,
  xs: X | null = null,
  opts: ScanOptions = {},
): [C, Y] {
  checkFunction("lax.scan", "f", f);
  checkOptions("lax.scan", opts, ["length", "reverse", "unroll"]);
  const initL = leavesOf(init, "lax.scan init", true);
  const xsL = leavesOf(xs, "lax.scan xs", false);
  const lengths = new Set(xsL.leaves.map((x) => x.shape[0]));
  if (xsL.leaves.some((x) => x.ndim === 0))
    throw fail("lax.scan: every xs leaf needs an axis 0 to scan over; a scalar has none");
  if (lengths.size > 1) throw fail(`lax.scan: xs leaves have different lengths on axis 0: ${[...lengths].join(", ")}`);
  const xsLength = xsL.leaves.length ? xsL.leaves[0]!.shape[0]! : undefined;
  const length = opts.length ?? xsLength;
  if (length === undefined) throw fail("lax.scan: with no xs, give the number of iterations as { length }");
  if (!Number.isInteger(length) || length < 0)
    throw fail(`lax.scan: length must be a non-negative integer, got ${length}`);
  if (xsLength !== undefined && xsLength !== length)
    throw fail(`lax.scan: length ${length} differs from the xs' axis 0 (${xsLength})`);
  const reverse = opts.reverse ?? false;
  const nc = initL.leaves.length;
  const split = (out: unknown): [unknown, unknown] => {
    if (!Array.isArray(out) || out.length !== 2) throw fail("lax.scan: f must return [carry, y] (y may be null)");
    return [out[0], out[1]];
  };

  if (!isStaging() && length > 0) {
    // A plain loop: each iteration's ops run (or are recorded by grad/vmap) like any other.
    let carry = unflatten<C>(initL.tree, initL.leaves);
    const ys: Tracer[][] = new Array(length);
    let yTree: TreeDef | null = null;
    for (let i = 0; i < length; i++) {
      const t = reverse ? length - 1 - i : i;
      const x = unflatten<X>(
        xsL.tree,
        xsL.leaves.map((l) => row(l, t)),
      );
      const [c, y] = split(f(carry, x));
      const cl = carryOf(c, initL, "the carry returned by f", "lax.scan");
      const yl = leavesOf(y, "lax.scan y", true);
      if (yTree) checkTree(yTree, yl.tree, "y");
      yTree = yl.tree;
      carry = unflatten<C>(cl.tree, cl.leaves);
      ys[t] = yl.leaves;
    }
    const stacked = ys[0]!.map((_, j) =>
      stack(
        ys.map((r) => r[j]!),
        0,
      ),
    );
    return [carry, unflatten<Y>(yTree!, stacked)];
  }

  const carryAvals = initL.leaves.map((l) => l.aval);
  const xAvals: Aval[] = xsL.leaves.map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype }));
  let yTree: TreeDef = { kind: "none", value: null };
  let prints: DebugCapture | null = null;
  const body = traceBody(
    "scan",
    [...carryAvals, ...xAvals],
    (args) => {
      const carry = unflatten<C>(initL.tree, args.slice(0, nc));
      const x = unflatten<X>(xsL.tree, args.slice(nc));
      // debug.print's values in the body ride as extra ys, stacked per iteration.
      const [[c, y], capture] = captureLoopPrints(() => split(f(carry, x)));
      prints = capture;
      const cf = flatten(c, "the carry returned by f");
      checkTree(initL.tree, cf.treedef, "the carry returned by f");
      const yf = flatten(y, "y");
      yTree = yf.treedef;
      return [...cf.leaves, ...yf.leaves, ...capture.values];
    },
    (i) => (i < nc ? carryAvals[i]!.dtype : undefined),
  );
  const outs = bind("scan", { body: body.program, numConsts: body.captured.length, numCarry: nc, length, reverse }, [
    ...body.captured,
    ...initL.leaves,
    ...xsL.leaves,
  ]);
  const printed = (prints as DebugCapture | null)?.values.length ?? 0;
  if (prints) deliverLoopPrints(prints, outs.slice(outs.length - printed), length, reverse);
  return [unflatten<C>(initL.tree, outs.slice(0, nc)), unflatten<Y>(yTree, outs.slice(nc, outs.length - printed))];
}

export interface MapOptions {
  /** Rows per iteration: each chunk of `batch_size` rows goes through `vmap(f)` (the leftover
   *  rows through one more `vmap(f)`), trading the loop's length for wider ops, as in JAX. */
  batch_size?: number;
}

/**
 * `lax.map(f, xs, { batch_size })`: `f` applied to each row (axis 0) of `xs` (a pytree), the
 * results stacked on a new axis 0: a scan with no carry, so under jit `f` is traced once.
 */
export function map<X, Y>(f: (x: X) => Y, xs: X, opts: MapOptions = {}): Y {
  checkFunction("lax.map", "f", f);
  checkOptions("lax.map", opts, ["batch_size"]);
  const xsL = leavesOf(xs, "lax.map xs", false);
  if (xsL.leaves.length === 0) throw fail("lax.map: xs has no arrays to map over");
  const bs = opts.batch_size;
  if (bs === undefined) return scan<null, X, Y>((c, x) => [c, f(x)], null, xs)[1];
  if (!Number.isInteger(bs) || bs < 1) throw fail(`lax.map: batch_size must be a positive integer, got ${bs}`);
  const n = xsL.leaves[0]!.shape[0]!;
  const nb = Math.floor(n / bs),
    rest = n - nb * bs;
  const rows = (x: Tracer, from: number, to: number): Tracer =>
    L.slice(x, [from, ...x.shape.slice(1).map(() => 0)], [to, ...x.shape.slice(1)]) as Tracer;
  const fv = vmap(f as (x: never) => Y) as unknown as (x: X) => Y;
  const parts: Tracer[][] = [];
  let yTree: TreeDef | null = null;
  if (nb > 0) {
    const chunks = unflatten<X>(
      xsL.tree,
      xsL.leaves.map((x) => L.reshape(rows(x, 0, nb * bs), [nb, bs, ...x.shape.slice(1)]) as Tracer),
    );
    const ys = leavesOf(scan<null, X, Y>((c, x) => [c, fv(x)], null, chunks)[1], "lax.map result", true);
    yTree = ys.tree;
    parts.push(ys.leaves.map((y) => L.reshape(y, [nb * bs, ...y.shape.slice(2)]) as Tracer));
  }
  if (rest > 0) {
    const ys = leavesOf(
      fv(
        unflatten<X>(
          xsL.tree,
          xsL.leaves.map((x) => rows(x, nb * bs, n)),
        ),
      ),
      "lax.map result",
      true,
    );
    if (yTree) checkTree(yTree, ys.tree, "lax.map result");
    yTree = ys.tree;
    parts.push(ys.leaves);
  }
  return unflatten<Y>(
    yTree!,
    parts[0]!.map((_, j) =>
      parts.length === 1
        ? parts[0]![j]!
        : concatenate(
            parts.map((p) => p[j]!),
            0,
          ),
    ),
  );
}

export const int32Scalar = (v: number | Tracer): Tracer =>
  typeof v === "number" ? array(v, { dtype: "int32" }) : v.dtype === "int32" ? v : array(v, { dtype: "int32" });

/**
 * `lax.fori_loop(lower, upper, body, init)`: `val = body(i, val)` for i in [lower, upper).
 * Static bounds make it a scan (differentiable); array bounds a while_loop.
 */
export function fori_loop<T>(
  lower: number | Tracer,
  upper: number | Tracer,
  body: (i: Tracer, val: T) => T,
  init: T,
): T {
  checkFunction("lax.fori_loop", "body_fun", body);
  const step = checkedForiBody(body, init);
  if (typeof lower === "number" && typeof upper === "number") {
    if (!Number.isInteger(lower) || !Number.isInteger(upper))
      throw fail(`lax.fori_loop: bounds must be integers, got ${lower} and ${upper}`);
    const n = Math.max(0, upper - lower);
    if (n === 0) return init;
    const [[, val]] = scan<[Tracer, T], null, null>(
      ([i, v]) => [
        [L.add(i, { kind: "lit", value: 1, aval: { shape: [], dtype: "int32" } }) as Tracer, step(i, v)],
        null,
      ],
      [int32Scalar(lower), init],
      null,
      { length: n },
    );
    return val;
  }
  const [, , val] = while_loop<[Tracer, Tracer, T]>(
    ([i, hi]) => L.compare("lt", i, hi) as Tracer,
    ([i, hi, v]) => [
      L.add(i, { kind: "lit", value: 1, aval: { shape: [], dtype: "int32" } }) as Tracer,
      hi,
      step(i, v),
    ],
    [int32Scalar(lower), int32Scalar(upper), init],
  );
  return val;
}

/** `body` checked against `init` in the user's terms: fori_loop runs it inside a scan or while
 *  loop whose carry also holds the counter, so their checks would name a leaf the user never
 *  wrote ("the carry returned by f[1]", "lax.scan: … carry 1"). */
function checkedForiBody<T>(body: (i: Tracer, val: T) => T, init: T): (i: Tracer, val: T) => T {
  // JS numbers count as arrays (the loop makes them so), and only two arrays' avals compare.
  const want = flatten(init, "lax.fori_loop init_val");
  const wantTree = flatten(asArrays(init), "lax.fori_loop init_val").treedef;
  return (i, v) => {
    const out = body(i, v);
    const got = flatten(out, "the value body_fun returns");
    const gotTree = got.leaves.some((l) => typeof l === "number") ? flatten(asArrays(out), "").treedef : got.treedef;
    checkTree(wantTree, gotTree, "lax.fori_loop: the value body_fun returns");
    got.leaves.forEach((l, k) => {
      const w = want.leaves[k];
      if (l instanceof Tracer && w instanceof Tracer && !sameAval(l.aval, w.aval))
        throw fail(
          `lax.fori_loop: body_fun returns carry leaf ${k} as ${avalToString(l.aval)} but init_val has ${avalToString(w.aval)}; a carry keeps its shape and dtype`,
        );
    });
    return out;
  };
}

/** A concrete boolean scalar read synchronously, when the CPU backend holds it (else null). */
export function readNow(x: Tracer): boolean | null {
  if (!(x instanceof ConcreteArray) || !isCpuBackend(x.backend) || x.size !== 1) return null;
  return x.backend.hostData(x.device)[0] !== 0;
}

/**
 * `lax.while_loop(condFun, bodyFun, init)`: `while (condFun(val)) val = bodyFun(val)`.
 * The trip count may depend on the data. Not differentiable in reverse mode (as in JAX).
 */
export function while_loop<T>(condFun: (val: T) => Tracer | boolean, bodyFun: (val: T) => T, init: T): T {
  checkFunction("lax.while_loop", "cond_fun", condFun);
  checkFunction("lax.while_loop", "body_fun", bodyFun);
  const initL = leavesOf(init, "lax.while_loop init", true);
  const asBool = (p: Tracer | boolean): Tracer | boolean =>
    typeof p === "boolean"
      ? p
      : p.dtype === "bool"
        ? p
        : (L.compare("ne", p, { kind: "lit", value: 0, aval: { shape: [], dtype: p.dtype } }) as Tracer);
  if (!isStaging()) {
    let val = unflatten<T>(initL.tree, initL.leaves);
    for (;;) {
      const p = asBool(condFun(val));
      const go = typeof p === "boolean" ? p : readNow(p);
      if (go === null) break; // the predicate lives on the GPU: run the loop as one equation below
      if (!go) return val;
      val = unflatten<T>(
        initL.tree,
        carryOf(bodyFun(val), initL, "the value returned by body_fun", "lax.while_loop").leaves,
      );
    }
  }
  const avals = initL.leaves.map((l) => l.aval);
  const condBody = traceBody("while.cond", avals, (args) => {
    const p = asBool(condFun(unflatten<T>(initL.tree, args)));
    if (typeof p === "boolean") return [array(p ? 1 : 0, { dtype: "bool" })];
    if (p.ndim !== 0) throw fail(`lax.while_loop: cond_fun must return a scalar, got shape [${p.shape}]`);
    return [p];
  });
  const body = traceBody(
    "while.body",
    avals,
    (args) => {
      const out = bodyFun(unflatten<T>(initL.tree, args));
      const of = flatten(out, "the value returned by body_fun");
      checkTree(initL.tree, of.treedef, "the value returned by body_fun");
      return of.leaves;
    },
    (i) => avals[i]!.dtype,
  );
  const outs = bind(
    "while",
    {
      cond: condBody.program,
      body: body.program,
      condConsts: condBody.captured.length,
      bodyConsts: body.captured.length,
    },
    [...condBody.captured, ...body.captured, ...initL.leaves],
  );
  return unflatten<T>(initL.tree, outs);
}

/** Selects, leaf by leaf, between the branches' results (their structures must agree). */
