// debug.print, as jax.debug.print: prints values computed on the device, eagerly and inside jit,
// through grad, jvp and vmap (one line per batch element), in program order.
// - Eagerly, the values' reads start at the call and the line prints when they land.
// - Inside jit, the printed values become extra outputs of the compiled program (so they are
//   computed, and no pass drops them), and every call prints them when its results are read back:
//   jit.ts opens a capture around tracing and splits the outputs again at each call.
// - Inside a lax loop body it prints nothing yet (the body is a program of its own), and
//   says so once per format string on stderr.
// Lines print in order through one promise chain, kept on globalThis: the CLI (dist/cli.mjs) and
// the user's script (dist/runtime.mjs) are two copies of this module, and the CLI waits for it
// (`effects_barrier`) before writing its report.

import { ConcreteArray } from "../array.js";
import { strArray } from "../display.js";
import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { dynamicMain, Tracer, type MainTrace } from "./core.js";
import { formatNumber, parseFormat, type Piece } from "./debugFormat.js";
import { JVPTracer } from "./jvp.js";
import { flatten, type TreeDef } from "./pytree.js";
import { keyName } from "./pytreeNodes.js";
import { VJPTracer } from "./vjp.js";
import { VmapTracer } from "./vmap.js";

/** What a printed array's axes are: null for the value's own, a vmap's level for its batch axis. */
type Roles = readonly (number | null)[];

interface PrintedLeaf {
  readonly roles: Roles;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** An argument: a pytree whose array leaves index `leaves`, or a fixed text. */
type Arg =
  | {
      readonly tree: TreeDef;
      readonly leaves: readonly (number | null)[];
      readonly numbers: readonly (number | null)[];
    }
  | string;

/** One debug.print: its format and arguments, and the arrays it reads, in order. */
export interface PrintPlan {
  readonly pieces: readonly Piece[];
  /** The last `guards` leaves are the predicates of the branches around the print. */
  readonly guards: number;
  readonly positional: readonly Arg[];
  readonly named: Readonly<Record<string, Arg>>;
  readonly leaves: readonly PrintedLeaf[];
}

/** The prints a jit traces: their plans, and the values to add to the program's outputs. */
export interface DebugCapture {
  readonly main: MainTrace | null;
  readonly prints: PrintPlan[];
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
const holder = globalThis as { [KEY]?: { chain: Promise<void>; warned: Set<string> } };
const state = (holder[KEY] ??= { chain: Promise.resolve(), warned: new Set() });

/** A promise that resolves once every debug.print so far has printed (jax.effects_barrier). */
export function effectsBarrier(): Promise<void> {
  return state.chain;
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
  const leaves: PrintedLeaf[] = [];
  const bases: Tracer[] = [];
  const argOf = (value: unknown): Arg => {
    if (typeof value === "string" || typeof value === "boolean") return String(value);
    const flat = flatten(value, "debug.print argument");
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
  const plan: PrintPlan = { pieces, guards: guards.length, positional, named, leaves };
  checkFields(fmt, plan);
  const capture = captures[captures.length - 1];
  if (capture && capture.main === dynamicMain()) {
    capture.prints.push(plan);
    capture.values.push(...bases); // a captured constant among them is lifted by the jit trace
    return;
  }
  if (bases.some((b) => !(b instanceof ConcreteArray))) {
    // Traced in a loop body, a program of its own: no call will hand these values back.
    if (!state.warned.has(fmt)) {
      state.warned.add(fmt);
      console.warn(
        `jitscope: debug.print(${JSON.stringify(fmt)}) inside a lax loop body (scan, fori_loop, while_loop, map) prints nothing yet; print the loop's results after it`,
      );
    }
    return;
  }
  emitPrints([plan], bases as ConcreteArray[]);
}

/** Prints each plan's line(s) from its arrays (a jit call's extra outputs, or eager arrays),
 *  after the prints before it. The reads start now. (A jit's extra output may be the very
 *  storage of an input, printed as is: it is left to the collector, never disposed here.) */
export function emitPrints(plans: readonly PrintPlan[], arrays: readonly ConcreteArray[]): void {
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
    let k = 0;
    for (const plan of plans) {
      const mine = data.slice(k, k + plan.leaves.length);
      k += plan.leaves.length;
      for (const line of linesOf(plan, mine)) console.log(line);
    }
  });
}

/** A jit call's outputs without its debug.print values, which it prints (in order, when read). */
export function printDebugOutputs(
  debug: { readonly userOutputs: number; readonly prints: readonly PrintPlan[] } | null,
  arrays: ConcreteArray[],
): ConcreteArray[] {
  if (!debug) return arrays;
  emitPrints(debug.prints, arrays.slice(debug.userOutputs));
  return arrays.slice(0, debug.userOutputs);
}

/** The graph's labels of a program's debug.print outputs. */
export function debugOutputLabels(prints: readonly PrintPlan[]): string[] {
  return prints.flatMap((p, k) => p.leaves.map((_, j) => `debug.print #${k + 1} value ${j + 1}`));
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

/** The lines of one print: one, or one per element of the vmaps its arrays are batched over. */
function linesOf(plan: PrintPlan, data: readonly ArrayLike<number>[]): string[] {
  const levels = new Map<number, number>(); // vmap level → batch size
  plan.leaves.forEach((l) => l.roles.forEach((r, i) => r !== null && levels.set(r, l.shape[i]!)));
  const order = [...levels.keys()].sort((a, b) => a - b); // the outermost vmap first
  const count = order.reduce((n, lv) => n * levels.get(lv)!, 1);
  const lines: string[] = [];
  for (let c = 0; c < count; c++) {
    const at = new Map<number, number>();
    let rest = c;
    for (let j = order.length - 1; j >= 0; j--) {
      const size = levels.get(order[j]!)!;
      at.set(order[j]!, rest % size);
      rest = Math.floor(rest / size);
    }
    const taken = plan.leaves
      .slice(plan.leaves.length - plan.guards)
      .every((g, j) => element(g, data[plan.leaves.length - plan.guards + j]!, at).data[0] !== 0);
    if (!taken) continue;
    const text = (arg: Arg, spec: string) =>
      typeof arg === "string" ? arg : formatTree(arg, (i) => element(plan.leaves[i]!, data[i]!, at), spec);
    lines.push(
      plan.pieces
        .map((p) =>
          p.kind === "text"
            ? p.text
            : text(typeof p.arg === "number" ? plan.positional[p.arg]! : plan.named[p.arg]!, p.spec),
        )
        .join(""),
    );
  }
  return lines;
}

/** One leaf's values at the batch indices `at`: the element's own shape and data. */
function element(
  leaf: PrintedLeaf,
  data: ArrayLike<number>,
  at: ReadonlyMap<number, number>,
): { data: number[]; shape: number[]; dtype: DType } {
  const strides = leaf.shape.map((_, i) => leaf.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const own = leaf.shape.flatMap((d, i) => (leaf.roles[i] === null ? [i] : []));
  let base = 0;
  leaf.roles.forEach((r, i) => r !== null && (base += at.get(r)! * strides[i]!));
  const shape = own.map((i) => leaf.shape[i]!);
  const out: number[] = [];
  const walk = (j: number, offset: number) => {
    if (j === own.length) return void out.push(data[offset]!);
    for (let k = 0; k < shape[j]!; k++) walk(j + 1, offset + k * strides[own[j]!]!);
  };
  walk(0, base);
  return { data: out, shape, dtype: leaf.dtype };
}

/** A pytree argument as text: arrays as NumPy prints them, lists and objects as JS writes them. */
function formatTree(
  arg: Exclude<Arg, string>,
  leafValue: (i: number) => { data: number[]; shape: number[]; dtype: DType },
  spec: string,
): string {
  let k = 0;
  const walk = (t: TreeDef): string => {
    switch (t.kind) {
      case "leaf": {
        const v = leafValue(arg.leaves[k++]!);
        const integer = v.dtype !== "float32";
        if (v.dtype === "bool" && spec === "") return strArray(v.data, v.shape, v.dtype);
        return strArray(
          v.data,
          v.shape,
          v.dtype,
          spec === "" && v.shape.length > 0 ? undefined : (x) => formatNumber(x, spec, integer),
        );
      }
      case "number": {
        const n = arg.numbers[k++]!;
        return formatNumber(n, spec, Number.isInteger(n));
      }
      case "none":
        return String(t.value);
      case "list":
        return `[${t.children.map(walk).join(", ")}]`;
      case "dict":
        return `{ ${t.keys.map((key, i) => `${key}: ${walk(t.children[i]!)}`).join(", ")} }`;
      case "custom":
        return `${t.node.name}(${t.keys.map((key, i) => `${keyName(key)}=${walk(t.children[i]!)}`).join(", ")})`;
    }
  };
  return walk(arg.tree);
}
