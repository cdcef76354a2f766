// The interpreter stack (after JAX's "Autodidax"). Every primitive application goes through
// `bind`, which finds the innermost active transformation (the trace with the highest level among
// the inputs, or the dynamic trace that jit installs), checks shapes once, captures the user's
// source location, and hands the op to that trace's `processPrimitive`.
//
// Traces: level 0 is eager evaluation (array.ts: runs ops on the backend); jit
// (trace/jitTrace.ts) records equations; jvp and vmap (trace/jvp.ts, trace/vmap.ts) wrap values
// with tangents or batch axes and bind again one level down.

import { formatAval } from "@jitscope/contract";
import { inferAvals } from "../ops/shapeRules.js";
import { JitScopeError } from "../ir/errors.js";
import { captureEagerSite, eagerSiteOf } from "../ir/eagerCallSite.js";
import { markedSite } from "../ir/markedSites.js";
import { captureUserLocation, userFrameOfCapture, userFramesOfCapture } from "../ir/location.js";
import { recorder } from "../profile/recorder.js";
import { getConfig } from "../config.js";
import { mergeNameStack, ScopeTracker } from "./scopes.js";
import { trackScopeCalls, withScopeCalls } from "./scopeCalls.js";
import { collectiveAxisNames, isCollectivePrim, subPrograms } from "../ir/types.js";
import type { Aval, DType, Eqn, Lit, Primitive, PrimParams, SourceLocation } from "../ir/types.js";

/** Every array value the user touches: concrete (eager) or a tracer of some transformation. */
export abstract class Tracer {
  abstract readonly aval: Aval;
  /** The transformation this value belongs to (not `trace`: `x.trace()` is NumPy's). */
  abstract readonly ownTrace: Trace;

  get shape(): number[] {
    return [...this.aval.shape];
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.shape.length;
  }
  get size(): number {
    let n = 1;
    for (const d of this.aval.shape) n *= d;
    return n;
  }

  // Reading values is only possible on concrete arrays (ConcreteArray overrides these).
  data(): Promise<Float32Array | Int32Array | Uint8Array> {
    return Promise.reject(this.readError("data()"));
  }
  toArray(): Promise<unknown> {
    return Promise.reject(this.readError("toArray()"));
  }
  /** JAX's `x.item()`: the one value of a one-element array, read back (so: `await x.item()`). */
  item(): Promise<number | boolean> {
    return Promise.reject(this.readError("item()"));
  }
  /** JAX's `x.tolist()`: toArray's other name (`await x.tolist()`). */
  tolist(): Promise<unknown> {
    return Promise.reject(this.readError("tolist()"));
  }
  blockUntilReady(): Promise<this> {
    return Promise.reject(this.readError("blockUntilReady()"));
  }
  dispose(): void {
    /* tracers own no device memory */
  }

  protected readError(what: string): JitScopeError {
    return new JitScopeError(
      "trace",
      `cannot read a traced value: ${what} was called on a ${describeTrace(this.ownTrace)} tracer ` +
        `of ${avalText(this.aval)} inside a traced function; return it from the function and read it outside`,
    );
  }

  /** `${x}`, `obj[x]`, `x > 0`, `x + 1`, `Number(x)` on an array: values are not known while
   *  tracing, and eager values live on the GPU. Says what to write instead. */
  [Symbol.toPrimitive](hint: string): never {
    const what = avalText(this.aval);
    if (hint === "string") {
      throw new JitScopeError(
        "trace",
        `cannot use an array (${what}) as a JS string: in \`\${x}\` or String(x), print \`await x.toArray()\` ` +
          `(or x.toString() for its shape); as an index, \`y[x]\` is a JS property lookup, not indexing: ` +
          `write np.take(y, x, axis) or y.at(x).get()`,
      );
    }
    throw new JitScopeError(
      "trace",
      `cannot use an array (${what}) as a JS number (in arithmetic or a comparison): ` +
        `JS operators do not work on arrays, so write np.add(x, 1) / x.add(1), np.greater(x, 0), np.where(cond, a, b); ` +
        `outside jit, read a value with \`(await x.data())[0]\`. (An array as a condition, \`if (np.greater(x, 0))\`, ` +
        `cannot be caught: JS counts every object as true. Use lax.cond or np.where.)`,
    );
  }

  toString(): string {
    return `Array(${avalText(this.aval)})`;
  }
}

/** Bookkeeping for one active transformation. */
export interface MainTrace {
  readonly level: number;
  readonly kind: string; // "eval", "jit", "jvp", "vmap", …: for messages
  readonly makeTrace: (main: MainTrace) => Trace;
  /** Trace-specific state (the jit program builder, the vmap axis size, …). */
  readonly globalData: unknown;
  /** Set when the transformation has returned: its tracers must not be used any more. */
  finished: boolean;
}

/** What `bind` has worked out before handing an op to a trace. */
export interface BindContext {
  readonly outAvals: readonly Aval[];
  /** The user's call site; computed lazily from a stack captured at bind time. */
  readonly location: SourceLocation | null;
  /** Transformations' names merged with the user functions the op was called under (inside jit). */
  readonly nameStack: readonly string[];
  /** The user functions alone, labelled with their instances (ScopeTracker); empty outside jit. */
  readonly userScope: readonly string[];
}

export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  get level(): number {
    return this.main.level;
  }
  /** Bring a value of a lower level (an outer trace, or a concrete array) into this trace. */
  abstract lift(x: Tracer): Tracer;
  abstract processPrimitive<P extends Primitive>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly (Tracer | Lit)[],
    ctx: BindContext,
  ): Tracer[];
}

// ---------------------------------------------------------------------------------------------
// The stack.

const stack: MainTrace[] = [];
let dynamic: MainTrace | null = null;
const names: string[] = [];

/** Installs level 0 (eager evaluation). Called once, when array.ts loads. */
export function installEvalTrace(makeTrace: (main: MainTrace) => Trace): void {
  if (stack.length > 0) throw new Error("eval trace installed twice");
  const main: MainTrace = { level: 0, kind: "eval", makeTrace, globalData: null, finished: false };
  stack.push(main);
  dynamic = main;
}

export function evalMain(): MainTrace {
  const m = stack[0];
  if (!m) throw new Error("jitscope runtime not initialised: array.ts was not loaded");
  return m;
}

/** Runs `fn` with a new transformation on top of the stack. */
export function withNewMain<R>(
  kind: string,
  makeTrace: (main: MainTrace) => Trace,
  globalData: unknown,
  fn: (main: MainTrace) => R,
): R {
  const main: MainTrace = { level: stack.length, kind, makeTrace, globalData, finished: false };
  stack.push(main);
  try {
    return fn(main);
  } finally {
    stack.pop();
    main.finished = true;
  }
}

/** The transformations active now, outermost first (vmap's named axes are found here). */
export function activeMains(): readonly MainTrace[] {
  return stack;
}

/** The dynamic trace now: a jit's while it traces, else eager evaluation. */
export function dynamicMain(): MainTrace | null {
  return dynamic;
}

/** Runs `fn` with `main` as the dynamic trace: every op, even on constants, goes to it (jit). */
export function withDynamic<R>(main: MainTrace, fn: () => R): R {
  const prev = dynamic;
  dynamic = main;
  try {
    return fn();
  } finally {
    dynamic = prev;
  }
}

/** Runs `fn` with `name` pushed on the name stack (jit function names, "grad(loss)", "transpose"). */
export function withName<R>(name: string, fn: () => R): R {
  names.push(name);
  try {
    return fn();
  } finally {
    names.pop();
  }
}

let locationOverride: (() => SourceLocation | null) | null = null;
let scopeOverride: readonly string[] | null = null;

/** Runs `fn` with every bind's location taken from `location` instead of the JS stack: AD's
 *  backward equations point at the forward op they came from, and transformations re-binding an
 *  op one level down keep the user's call site however deep the runtime's own stack gets.
 *  `userScope`, when given, likewise replaces the user functions read from the stack. */
export function withLocation<R>(location: () => SourceLocation | null, fn: () => R, userScope?: readonly string[]): R {
  const prev = locationOverride;
  const prevScope = scopeOverride;
  locationOverride = location;
  if (userScope) scopeOverride = userScope;
  try {
    return fn();
  } finally {
    locationOverride = prev;
    scopeOverride = prevScope;
  }
}

/** Runs `fn` with locations read from the JS stack again (no override): checkpoint re-runs the
 *  user's function inside the backward pass, where its ops should point at their own lines. */
export function withStackLocations<R>(fn: () => R): R {
  const prev = locationOverride;
  const prevScope = scopeOverride;
  locationOverride = null;
  scopeOverride = null;
  try {
    return fn();
  } finally {
    locationOverride = prev;
    scopeOverride = prevScope;
  }
}

let scopes: ScopeTracker | null = null;

/** The call site and user scope an op bound here would get: for tape entries that a
 *  hand-written derivative rule records without a bind (see vjp.ts recordCustomVjp). */
export function bindSite(): { location: () => SourceLocation | null; userScope: readonly string[] } {
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder, bindSite);
  const userScope = scopes ? (scopeOverride ?? scopes.label(withScopeCalls(userFramesOfCapture(holder)))) : EMPTY;
  if (locationOverride) return { location: locationOverride, userScope };
  let loc: SourceLocation | null | undefined;
  return { location: () => (loc === undefined ? (loc = userFrameOfCapture(holder)) : loc), userScope };
}

/**
 * Runs `fn` (a jit trace) with user-function scopes recorded for every op. Nested traces share
 * the outermost one's numbering. Stacks are captured deeper meanwhile: a transformer's op sits
 * under a dozen user and runtime frames, past V8's default limit of ten.
 */
export function withScopeTracking<R>(fn: () => R): R {
  if (scopes) return fn();
  const limit = Error.stackTraceLimit;
  scopes = new ScopeTracker();
  trackScopeCalls(true);
  Error.stackTraceLimit = Math.max(limit, 200);
  try {
    return fn();
  } finally {
    scopes = null;
    trackScopeCalls(false);
    Error.stackTraceLimit = limit;
  }
}

/** Whether a program is being traced (a jit, or a loop body): lax loops then stay loops;
 *  otherwise they run as plain JS loops (eagerly, or op by op under grad/vmap). */
export function isStaging(): boolean {
  return stack.some((m) => m.kind === "jit" || m.kind === "body");
}

export function currentNameStack(): readonly string[] {
  return names.slice();
}

export function describeTrace(t: Trace): string {
  return t.main.kind;
}

function avalText(a: Aval): string {
  return formatAval(a.dtype, a.shape);
}

function findTopMain(inputs: readonly (Tracer | Lit)[]): MainTrace {
  let top = dynamic ?? evalMain();
  for (const x of inputs) {
    if (x instanceof Tracer) {
      const m = x.ownTrace.main;
      if (m.finished) {
        throw new JitScopeError(
          "trace",
          `a traced value (${avalText(x.aval)}) escaped from a finished ${m.kind} transformation ` +
            `and was used later; return values from the traced function instead of storing them outside`,
        );
      }
      if (m.level > top.level) top = m;
    }
  }
  return top;
}

/** The innermost active vmap named `name`, or null (trace/namedAxes.ts says what is wrong). */
export function namedVmapMain(name: string): MainTrace | null {
  for (let i = stack.length - 1; i >= 0; i--) {
    const m = stack[i]!;
    if (m.kind === "vmap" && (m.globalData as { axisName?: string | null }).axisName === name) return m;
  }
  return null;
}

/** A collective goes to the vmap it names, and so does a loop whose body holds one, even when
 *  its inputs come from below that vmap (a constant, a value the vmap does not map): there the
 *  vmap replaces it with a reduction over its batch axis (trace/vmap.ts), counting such a value
 *  once per batch element. Without this, it would pass the vmap by. */
function collectiveFloor<P extends Primitive>(prim: P, params: PrimParams[P], top: MainTrace): MainTrace {
  let names: readonly string[];
  if (isCollectivePrim(prim)) names = [(params as { axisName: string }).axisName];
  else if (prim === "scan" || prim === "while")
    names = subPrograms({ prim, params } as Eqn).flatMap(collectiveAxisNames);
  else return top;
  let floor = top;
  for (const n of names) {
    const m = namedVmapMain(n);
    if (m && m.level > floor.level) floor = m;
  }
  return floor;
}

function raise(trace: Trace, x: Tracer): Tracer {
  const m = x.ownTrace.main;
  if (m === trace.main) return x;
  if (m.level < trace.level) return trace.lift(x);
  throw new JitScopeError(
    "trace",
    `internal: cannot lift a level-${m.level} ${m.kind} value into level ${trace.level}`,
  );
}

/** Applies a primitive. Inputs are already broadcast/promoted by the np front end. */
export function bind<P extends Primitive>(prim: P, params: PrimParams[P], inputs: readonly (Tracer | Lit)[]): Tracer[] {
  const main = collectiveFloor(prim, params, findTopMain(inputs));
  // Capture the stack now so the location can be found later (V8 formats it only when read, but
  // the capture itself costs several µs: it summarizes optimized frames). An eager op nobody
  // profiles reads its location only on an error, within this call: there it is captured then.
  let location: () => SourceLocation | null;
  let holder: { stack?: unknown } | null = null;
  // A profiled eager op reads its location at once, still inside this call: a shallow capture
  // (reading a stack costs per frame) usually reaches the user's frame, and if not, the read
  // captures the whole stack then (ir/eagerCallSite.ts).
  const shallow = !locationOverride && !scopes && main.level === 0 && recorder.enabled && getConfig().eagerCallSites;
  // In a profiled bundle the user's calls are marked (ir/markedSites.ts): no capture at all.
  const marked = shallow ? markedSite() : null;
  if (shallow) {
    if (!marked) holder = captureEagerSite(prim, bind);
  } else if ((!locationOverride && main.level > 0) || (scopes && !scopeOverride)) {
    holder = {};
    Error.captureStackTrace(holder, bind);
  }
  if (locationOverride) {
    location = locationOverride;
  } else if (marked) {
    location = () => marked;
  } else if (holder) {
    const h = holder;
    let loc: SourceLocation | null | undefined;
    location = () => (loc === undefined ? (loc = shallow ? eagerSiteOf(prim, h) : userFrameOfCapture(h)) : loc);
  } else {
    let loc: SourceLocation | null | undefined;
    location = () => (loc === undefined ? (loc = captureUserLocation()) : loc);
  }
  // Inside jit the scopes are read now, in op order: the instance numbering depends on it.
  const userScope = scopes ? (scopeOverride ?? scopes.label(withScopeCalls(userFramesOfCapture(holder!)))) : EMPTY;

  const inAvals = inputs.map((x) => x.aval);
  let outAvals: Aval[];
  try {
    outAvals = inferAvals(prim, params, inAvals);
  } catch (e) {
    if (e instanceof JitScopeError) throw new JitScopeError(e.kind, e.message.split("\n    at ")[0]!, location());
    throw e;
  }
  if (main.level === 0) eagerOps++;
  const trace = main.makeTrace(main);
  const raised = inputs.map((x) => (x instanceof Tracer ? raise(trace, x) : x));
  const ctx: BindContext = {
    outAvals,
    get location() {
      return location();
    },
    nameStack: scopes ? scopedNameStack(scopes, userScope) : names.length ? names.slice() : EMPTY,
    userScope,
  };
  return trace.processPrimitive(prim, params, raised, ctx);
}

const EMPTY: readonly string[] = Object.freeze([]);

/** The name stack from the transformations' names and the user scope, its call sites noted. */
function scopedNameStack(tracker: ScopeTracker, userScope: readonly string[]): string[] {
  const ends: number[] = [];
  const stack = mergeNameStack(names, userScope, ends);
  tracker.noteSites(userScope, stack, ends);
  return stack;
}

/** Where the scopes traced so far were called from, by name-stack path (scopes.ts). */
export function tracedScopeSites(): ReadonlyMap<string, SourceLocation> {
  return scopes?.pathSites ?? new Map();
}

let eagerOps = 0;
/** How many ops have run eagerly (level 0) so far: jit under disableJit reports the difference
 *  as the eager call's kernels per call (one dispatch per op), for eager-vs-jit comparisons. */
export function eagerOpCount(): number {
  return eagerOps;
}

/** Single-output convenience. */
export function bind1<P extends Primitive>(prim: P, params: PrimParams[P], inputs: readonly (Tracer | Lit)[]): Tracer {
  return bind(prim, params, inputs)[0]!;
}

export function lit(value: number, dtype: DType): Lit {
  return { kind: "lit", value, aval: { shape: [], dtype } };
}
