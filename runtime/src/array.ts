// The user's eager array: a Tracer at level 0 holding a backend's storage. Ops return at once
// (the work may still be in flight); reading back (`data`, `toArray`) is the only await.
// Storage is freed by `dispose()` at once, or once nobody references the array (arrayMemory.ts),
// so a loop of eager ops keeps memory bounded without user bookkeeping.

import { Tracer, type Trace } from "./trace/core.js";
import { JitScopeError } from "./ir/errors.js";
import { avalToString, type Aval, type DType } from "./ir/types.js";
import type { Backend, DeviceArray, HostArray } from "./backend/backend.js";
import type { BackendName } from "@jitscope/contract";
import { evalTrace } from "./trace/eval.js";
import { currentBackend, getBackend } from "./backend/select.js";
import { track, untrack } from "./arrayMemory.js";
import { toDtype } from "./ops/cpuValue.js";


export class ConcreteArray extends Tracer {
  readonly aval: Aval;
  #device: DeviceArray | null;
  readonly #backend: Backend;
  readonly #held: ReturnType<typeof track>;

  constructor(device: DeviceArray, backend: Backend) {
    super();
    this.aval = device.aval;
    this.#device = device;
    this.#backend = backend;
    this.#held = track(this, backend, device);
  }

  get trace(): Trace {
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

  override async blockUntilReady(): Promise<this> {
    if (!this.#device) throw this.disposedError("blockUntilReady()");
    await this.#backend.ready(this.#device);
    return this;
  }

  /** Frees the storage now. Idempotent; any later use of the array is an error. */
  override dispose(): void {
    if (!this.#device) return;
    untrack(this, this.#held);
    this.#device = null;
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
    return new JitScopeError("disposed", `array read after dispose(): ${what} on ${avalToString(this.aval)}`);
  }
}

/** A new array on the current backend from row-major host data (copied; converted to `dtype`). */
export function arrayFromHost(data: HostArray | readonly number[], shape: readonly number[], dtype: DType): ConcreteArray {
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
