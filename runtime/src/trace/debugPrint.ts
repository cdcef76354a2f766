// debug.print, as jax.debug.print: prints values computed on the device, eagerly and inside jit,
// through grad, jvp and vmap (one line per batch element), in program order.
// - Eagerly, the values' reads start at the call and the line prints when they land.
// - Inside jit, the printed values become extra outputs of the compiled program (so they are
//   computed, and no pass drops them), and every call prints them when its results are read back:
//   jit.ts opens a capture around tracing and splits the outputs again at each call.
// - Inside a scan body (lax.scan, lax.map, a fori_loop with static bounds) the printed values
//   become extra stacked outputs of the loop, printed iteration by iteration wherever the loop's
//   results go (debugLines.ts). Inside a while_loop body (no stacked outputs to carry them) it
//   prints nothing yet, and says so once per format string on stderr.
// Lines print in order through one promise chain, kept on globalThis: the CLI (dist/cli.mjs) and
// the user's script (dist/runtime.mjs) are two copies of this module, and the CLI waits for it
// (`effects_barrier`) before writing its report.

import { ConcreteArray } from "../array.js";
import { JitScopeError } from "../ir/errors.js";
import { dynamicMain, Tracer, type MainTrace } from "./core.js";
import { parseFormat } from "./debugFormat.js";
import { linesOfItems, type Arg, type PrintedLeaf, type PrintItem, type PrintPlan, type Roles } from "./debugLines.js";
import { JVPTracer } from "./jvp.js";
import { flatten } from "./pytree.js";
import { VJPTracer } from "./vjp.js";
import { VmapTracer } from "./vmap.js";

/** The prints a jit traces: their plans, and the values to add to the program's outputs. */
export interface DebugCapture {
  readonly main: MainTrace | null;
  readonly prints: PrintItem[];
  readonly values: Tracer[];
}

const captures: DebugCapture[] = [];

/** The predicated branches (lax.cond, lax.switch) being traced: every branch is computed, so a
 *  print inside one prints only where its branch is taken. Made on first use: a cond without a
 *  print adds no op. */
const guards: { make: () => Tracer; made: Tracer | null }[] = [];

let silenced = 0;

/** Runs `fn` traced for its shapes only (eval_shape, make_jaxpr, a cond's branch not taken):
 *  nothing it would print is printed or warned about. */
export function withoutPrints<R>(fn: () => R): R {
  silenced++;
  try {
    return fn();
  } finally {
    silenced--;
  }
}

/** Runs one branch of a predicated cond or switch; `taken` makes its (bool scalar) predicate. */
export function withPrintGuard<R>(taken: () => Tracer, fn: () => R): R {
  guards.push({ make: taken, made: null });
  try {
    return fn();
  } finally {
    guards.pop();
  }
}

/** Runs `fn` (a jit's function, inside its trace) collecting the debug.print calls it traces. */
export function captureDebugPrints<R>(fn: () => R): [R, DebugCapture] {
  const capture: DebugCapture = { main: dynamicMain(), prints: [], values: [] };
  captures.push(capture);
  try {
    return [fn(), capture];
  } finally {
    captures.splice(captures.lastIndexOf(capture), 1);
  }
}

const KEY = Symbol.for("jitscope.debugPrints");
const holder = globalThis as {
  [KEY]?: { chain: Promise<void>; warned: Set<string>; failure: { error: unknown } | null };
};
const state = (holder[KEY] ??= { chain: Promise.resolve(), warned: new Set(), failure: null });

/** A promise that resolves once every debug.print so far has printed and every debug.callback
 *  has run (jax.effects_barrier); it rejects with the first error a callback threw since. */
export function effectsBarrier(): Promise<void> {
  return state.chain.then(() => {
    const failure = state.failure;
    state.failure = null;
    if (failure) throw failure.error;
  });
}

/** jax.debug.print(fmt, *args): `{}` / `{0}` fields read the arguments, `{name}` fields the
 *  options object given last. */
export function debugPrint(fmt: string, ...args: unknown[]): void {
  const pieces = parseFormat(fmt);
  if (silenced > 0) return;
  const names = pieces.flatMap((p) => (p.kind === "field" && typeof p.arg === "string" ? [p.arg] : []));
  const last = args[args.length - 1];
  const namedObject =
    names.length > 0 && last !== null && typeof last === "object" && !(last instanceof Tracer) && !Array.isArray(last)
      ? (args.pop() as Record<string, unknown>)
      : {};
  record(fmt, pieces, args, names, namedObject);
}

/** jax.debug.callback(fn, *args): `fn` called with the arguments' values (arrays as nested JS
 *  arrays, pytrees rebuilt), wherever and as often as a debug.print there would print: once
 *  eagerly, once per call of a jit, per vmap element, per scan iteration, in a taken branch. */
export function debugCallback(fn: (...args: never[]) => unknown, ...args: unknown[]): void {
  if (typeof fn !== "function")
    throw new JitScopeError("value", `debug.callback: the first argument must be a function, got ${typeof fn}`);
  if (silenced > 0) return;
  record(`debug.callback(${fn.name || "anonymous"})`, [], args, [], {}, fn as (...a: unknown[]) => unknown);
}

function record(
  label: string,
  pieces: PrintPlan["pieces"],
  args: readonly unknown[],
  names: readonly string[],
  namedObject: Record<string, unknown>,
  callback?: (...args: unknown[]) => unknown,
): void {
  const leaves: PrintedLeaf[] = [];
  const bases: Tracer[] = [];
  const argOf = (value: unknown): Arg => {
    if (typeof value === "string" || typeof value === "boolean") return { constant: value };
    const flat = flatten(value, callback ? "debug.callback argument" : "debug.print argument");
    return {
      tree: flat.treedef,
      numbers: flat.leaves.map((l) => (typeof l === "number" ? l : null)),
      leaves: flat.leaves.map((l) => {
        if (typeof l === "number") return null;
        const { base, roles } = unwrap(l);
        leaves.push({ roles, shape: base.shape, dtype: base.dtype });
        bases.push(base);
        return leaves.length - 1;
      }),
    };
  };
  const positional = args.map(argOf);
  const named = Object.fromEntries(names.filter((n) => n in namedObject).map((n) => [n, argOf(namedObject[n])]));
  for (const g of guards) argOf((g.made ??= g.make()));
  const plan: PrintPlan = { kind: "print", pieces, guards: guards.length, positional, named, leaves, callback };
  checkFields(label, plan);
  deliver(plan, bases, callback ? label : `debug.print(${JSON.stringify(label)})`);
}

/** Hands a print (or a loop's prints) on: to the jit or scan body being traced (extra outputs),
 *  or to the console now (eager values). */
function deliver(item: PrintItem, bases: readonly Tracer[], what: string): void {
  const capture = captures[captures.length - 1];
  if (capture && capture.main === dynamicMain()) {
    capture.prints.push(item);
    capture.values.push(...bases); // a captured constant among them is lifted by the jit trace
    return;
  }
  if (bases.some((b) => !(b instanceof ConcreteArray))) {
    // Traced in a while_loop body (or another program of its own): no call hands these back.
    if (!state.warned.has(what)) {
      state.warned.add(what);
      console.warn(
        `jitscope: ${what} inside a lax.while_loop body (or a fori_loop with array bounds) prints nothing yet; print the loop's results after it, or use a scan`,
      );
    }
    return;
  }
  emitPrints([item], bases as ConcreteArray[]);
}

/** Traces a scan body collecting its prints, whose values the scan adds to its stacked outputs.
 *  The branch guards around the loop are applied to the loop as a whole (deliverLoopPrints),
 *  outside its body. */
export function captureLoopPrints<R>(fn: () => R): [R, DebugCapture] {
  const outer = guards.splice(0, guards.length);
  try {
    return captureDebugPrints(fn);
  } finally {
    guards.push(...outer);
  }
}

/** The prints a scan body captured, given the scan's stacked outputs that carry their values:
 *  printed iteration by iteration wherever the loop's results go. */
export function deliverLoopPrints(
  capture: DebugCapture,
  stacked: readonly Tracer[],
  length: number,
  reverse: boolean,
): void {
  if (capture.prints.length === 0 || silenced > 0) return;
  const leaves: PrintedLeaf[] = [];
  const bases: Tracer[] = [];
  const add = (x: Tracer) => {
    const { base, roles } = unwrap(x);
    leaves.push({ roles, shape: base.shape, dtype: base.dtype });
    bases.push(base);
  };
  stacked.forEach(add);
  for (const g of guards) add((g.made ??= g.make()));
  deliver(
    { kind: "loop", length, reverse, items: capture.prints, leaves, guards: guards.length },
    bases,
    "debug.print or debug.callback in a scan body",
  );
}

/** Prints each plan's line(s) from its arrays (a jit call's extra outputs, or eager arrays),
 *  after the prints before it. The reads start now. (A jit's extra output may be the very
 *  storage of an input, printed as is: it is left to the collector, never disposed here.) */
export function emitPrints(plans: readonly PrintItem[], arrays: readonly ConcreteArray[]): void {
  const reads = Promise.all(arrays.map((a) => a.data()));
  // Read in turn below; until then a failed read must not count as an unhandled rejection
  // (the CLI child would report the whole script as failed).
  reads.catch(() => {});
  state.chain = state.chain.then(async () => {
    let data: readonly ArrayLike<number>[];
    try {
      data = await reads;
    } catch (e) {
      console.warn(`jitscope: debug.print could not read its values: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    for (const effect of linesOfItems(plans, data)) {
      if (typeof effect === "string") {
        console.log(effect);
        continue;
      }
      try {
        effect();
      } catch (error) {
        // Reported once on stderr now, and thrown by the next effects_barrier, as JAX raises a
        // callback's error at the next synchronization.
        console.error(
          `jitscope: a debug.callback threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        state.failure ??= { error };
      }
    }
  });
}

/** A jit call's outputs without its debug.print values, which it prints (in order, when read). */
export function printDebugOutputs(
  debug: { readonly userOutputs: number; readonly prints: readonly PrintItem[] } | null,
  arrays: ConcreteArray[],
): ConcreteArray[] {
  if (!debug) return arrays;
  emitPrints(debug.prints, arrays.slice(debug.userOutputs));
  return arrays.slice(0, debug.userOutputs);
}

/** The graph's labels of a program's debug.print outputs. */
export function debugOutputLabels(prints: readonly PrintItem[]): string[] {
  return prints.flatMap((p, k) =>
    p.leaves.map((_, j) => `debug.print #${k + 1}${p.kind === "loop" ? " (in a loop)" : ""} value ${j + 1}`),
  );
}

/** The value under grad, jvp and vmap tracers, and where vmap put batch axes in it. */
function unwrap(x: Tracer): { base: Tracer; roles: Roles } {
  let roles: (number | null)[] = x.shape.map(() => null);
  let t: Tracer = x;
  for (;;) {
    if (t instanceof VJPTracer || t instanceof JVPTracer) t = t.primal;
    else if (t instanceof VmapTracer) {
      if (t.bdim !== null) roles = [...roles.slice(0, t.bdim), t.ownTrace.main.level, ...roles.slice(t.bdim)];
      t = t.value;
    } else return { base: t, roles };
  }
}

function checkFields(fmt: string, plan: PrintPlan): void {
  for (const p of plan.pieces) {
    if (p.kind !== "field") continue;
    const ok = typeof p.arg === "number" ? p.arg < plan.positional.length : plan.named[p.arg] !== undefined;
    if (!ok) {
      const what =
        typeof p.arg === "number" ? `argument ${p.arg}` : `a field "${p.arg}" in the options object given last`;
      throw new JitScopeError("value", `debug.print: ${JSON.stringify(fmt)} reads ${what}, which was not given`);
    }
  }
}
