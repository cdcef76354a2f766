// The user's eager array: a Tracer at level 0 holding a backend's storage. Ops return at once
// (the work may still be in flight); reading back (`data`, `toArray`) is the only await.
// Storage is freed by `dispose()` at once, or once nobody references the array (arrayMemory.ts),
// so a loop of eager ops keeps memory bounded without user bookkeeping.
// Its trace, level 0 of the trace stack, lives here too: eager evaluation makes concrete arrays
// and a concrete array's trace is eager evaluation, so they are one module (loading it installs
// level 0; nothing has to be imported first for its side effect).

import { checkOpResults } from "./debugNans.js";
import { evalMain, installEvalTrace, Trace, Tracer, type BindContext, type MainTrace } from "./trace/core.js";
import { JitScopeError } from "./ir/errors.js";
import {
  avalToString,
  isLoopPrim,
  type Atom,
  type Aval,
  type DType,
  type Eqn,
  type Lit,
  type Primitive,
  type PrimParams,
  type SourceLocation,
  type Var,
} from "./ir/types.js";
import { runLoopEqn } from "./backend/eagerLoop.js";
import type { Backend, DeviceArray, HostArray } from "./backend/backend.js";
import type { BackendName } from "@jitscope/contract";
import { currentBackend, getBackend } from "./backend/select.js";
import { storageOn } from "./backend/placement.js";
import { track, untrack } from "./arrayMemory.js";
import { toDtype } from "./ops/cpuValue.js";

export class ConcreteArray extends Tracer {
  readonly aval: Aval;
  #device: DeviceArray | null;
  readonly #backend: Backend;
  readonly #held: ReturnType<typeof track>;
  /** Why the storage went, when not by dispose() (a jit call's donate_argnums). */
  #gone: string | null = null;

  constructor(device: DeviceArray, backend: Backend) {
    super();
    this.aval = device.aval;
    this.#device = device;
    this.#backend = backend;
    this.#held = track(this, backend, device);
  }

  get ownTrace(): Trace {
    return evalTrace();
  }

  /** The backend that holds this array's storage. */
  get backend(): Backend {
    return this.#backend;
  }

  get isDisposed(): boolean {
    return this.#device === null;
  }

  /** The storage (for backends and compiled programs). Throws after dispose(). */
  get device(): DeviceArray {
    if (!this.#device) throw this.disposedError("use");
    return this.#device;
  }

  override data(): Promise<HostArray> {
    if (!this.#device) return Promise.reject(this.disposedError("data()"));
    return this.#backend.read(this.#device);
  }

  /** Nested JS arrays (numbers; booleans for bool), a plain scalar for a 0-d array. */
  override async toArray(): Promise<unknown> {
    if (!this.#device) throw this.disposedError("toArray()");
    const flat = await this.#backend.read(this.#device);
    return nest(flat, this.aval.shape, this.aval.dtype);
  }

  override async item(): Promise<number | boolean> {
    if (this.size !== 1)
      throw new JitScopeError(
        "value",
        `item() reads an array of one element; ${this.dtype}[${this.shape.join(",")}] has ${this.size}: ` +
          `take one first (x.at(i).get(), np.take) or read them all with \`await x.toArray()\``,
      );
    const flat = await this.data();
    return this.aval.dtype === "bool" ? flat[0] !== 0 : flat[0]!;
  }

  override tolist(): Promise<unknown> {
    return this.toArray();
  }

  override async blockUntilReady(): Promise<this> {
    if (!this.#device) throw this.disposedError("blockUntilReady()");
    await this.#backend.ready(this.#device);
    return this;
  }

  /** Frees the storage now. Idempotent; any later use of the array is an error, which gives
   *  `reason` (why the runtime disposed it) when there is one. */
  override dispose(reason?: string): void {
    if (!this.#device) return;
    untrack(this, this.#held);
    this.#device = null;
    this.#gone = reason ?? null;
  }

  /** A copy of this array on another backend (through the host). */
  async to(backend: BackendName): Promise<ConcreteArray> {
    const target = getBackend(backend);
    if (target === this.#backend) return this;
    const data = await this.data();
    return new ConcreteArray(target.fromHost(data, this.aval), target);
  }

  override toString(): string {
    return `Array(${avalToString(this.aval)}${this.#device ? "" : ", disposed"})`;
  }

  private disposedError(what: string): JitScopeError {
    if (this.#gone !== null)
      return new JitScopeError("disposed", `${what} on ${avalToString(this.aval)}: ${this.#gone}`);
    return new JitScopeError("disposed", `array read after dispose(): ${what} on ${avalToString(this.aval)}`);
  }
}

/** A new array on the current backend from row-major host data (copied; converted to `dtype`). */
export function arrayFromHost(
  data: HostArray | readonly number[],
  shape: readonly number[],
  dtype: DType,
): ConcreteArray {
  const backend = currentBackend();
  return new ConcreteArray(backend.fromHost(toStorageType(data, dtype), { shape: [...shape], dtype }), backend);
}

/** The typed array `dtype` is stored in (float32 → Float32Array, int32 → Int32Array truncating
 *  toward zero, bool → Uint8Array of 0/1); data already in that type is passed as is. */
function toStorageType(data: HostArray | readonly number[], dtype: DType): HostArray {
  const want = dtype === "float32" ? Float32Array : dtype === "int32" ? Int32Array : Uint8Array;
  if (data instanceof want) return data;
  const out = new want(data.length);
  for (let i = 0; i < data.length; i++) out[i] = toDtype(data[i]!, dtype);
  return out;
}

/** Row-major flat data → nested JS arrays. */
export function nest(flat: ArrayLike<number>, shape: readonly number[], dtype: DType): unknown {
  const conv = dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(flat[0]!);
  let pos = 0;
  const build = (d: number): unknown[] => {
    const n = shape[d]!;
    const out = new Array<unknown>(n);
    if (d === shape.length - 1) for (let i = 0; i < n; i++) out[i] = conv(flat[pos++]!);
    else for (let i = 0; i < n; i++) out[i] = build(d + 1);
    return out;
  };
  return build(0);
}

let eagerEqnIds = 0;

// ---------------------------------------------------------------------------------------------
// Level 0 of the trace stack: eager evaluation. Every op runs at once on the current backend
// (one kernel per op on WebGPU); nothing is recorded here (the backend reports its own work).

export class EvalTrace extends Trace {
  lift(x: Tracer): Tracer {
    throw new JitScopeError("trace", `internal: nothing lies below eager evaluation to lift ${x.toString()} from`);
  }

  processPrimitive<P extends Primitive>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly (Tracer | Lit)[],
    ctx: BindContext,
  ): Tracer[] {
    const backend = currentBackend();
    const moved: DeviceArray[] = [];
    const storage = inputs.map((x) => (x instanceof Tracer ? place(prim, x, backend, moved) : x));
    const eqn = eagerEqn(prim, params, inputs, ctx);
    try {
      // A loop on a device backend is compiled (its body becomes kernels once).
      if (isLoopPrim(prim) && backend.name !== "cpu")
        return runLoopEqn(backend, eqn, storage).map((d) => new ConcreteArray(d, backend));
      const outs = backend.executeOp(eqn, storage);
      checkOpResults(backend, prim, outs, () => eqn.location);
      return outs.map((d) => new ConcreteArray(d, backend));
    } finally {
      // Temporary copies from another backend: the queued work keeps what it needs.
      for (const d of moved) backend.free(d);
    }
  }
}

/** The equation the backend runs: avals and literals of the inputs, fresh output vars. */
function eagerEqn<P extends Primitive>(
  prim: P,
  params: PrimParams[P],
  inputs: readonly (Tracer | Lit)[],
  ctx: BindContext,
): Eqn<P> {
  const atoms: Atom[] = inputs.map((x, i): Atom =>
    x instanceof Tracer ? ({ kind: "var", id: i, aval: x.aval } satisfies Var) : x,
  );
  const outputs = ctx.outAvals.map((aval, j): Var => ({ kind: "var", id: inputs.length + j, aval }));
  return {
    id: eagerEqnIds++,
    prim,
    params,
    inputs: atoms,
    outputs,
    // Lazy: finding the user's frame costs a stack parse, paid only by whoever reads it.
    get location(): SourceLocation | null {
      return ctx.location;
    },
    nameStack: ctx.nameStack,
  };
}

/** An input's storage on `backend`; CPU arrays are copied over synchronously, others must be
 *  moved explicitly (their data may still be on the GPU). */
function place(prim: Primitive, x: Tracer, backend: Backend, moved: DeviceArray[]): DeviceArray {
  if (!(x instanceof ConcreteArray)) {
    throw new JitScopeError(
      "trace",
      `internal: ${prim} got a ${x.ownTrace.main.kind} tracer (${avalToString(x.aval)}) at eager level`,
    );
  }
  return storageOn(
    x,
    backend,
    moved,
    (from) =>
      `${prim}: an input (${avalToString(x.aval)}) lives on the ${from.name} backend but the current backend is ${backend.name}; ` +
      `move it with \`await x.to("${backend.name}")\``,
  );
}

let instance: EvalTrace | null = null;
installEvalTrace((main: MainTrace) => (instance ??= new EvalTrace(main)));

/** The one eval trace (every concrete array's `trace`). */
export function evalTrace(): EvalTrace {
  return (instance ??= new EvalTrace(evalMain()));
}
