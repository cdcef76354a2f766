// Array methods for issue 14's functions, as JAX arrays have them (`x.var()`, `x.cumsum(1)`,
// `x.sort()`, `x.clip(0, 1)`, `x.round()`, `x.flatten()`, `x.diagonal()`, `x.trace()`): each is
// the np function of the same name with the array as its first argument (np/methods.ts holds the
// older ones), and the attributes `x.mT`, `x.itemsize`, `x.nbytes`.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import { copy } from "./arrayApiNames.js";
import { clip, round } from "./mathSurface.js";
import { diagonal, trace } from "./matrixSurface.js";
import type { ArrayLike } from "./promote.js";
import {
  all,
  any,
  argsort,
  cumprod,
  cumsum,
  prod,
  sort,
  std,
  variance,
  type SortOptions,
  type VarOptions,
} from "./reduceSurface.js";
import type { AxisArg, ReduceOptions } from "./reductions.js";
import { reshape, swapaxes } from "./shape.js";
import { flip, repeat } from "./shapeSurface.js";

declare module "../trace/core.js" {
  interface Tracer {
    var(axis?: AxisArg, options?: VarOptions): Tracer;
    std(axis?: AxisArg, options?: VarOptions): Tracer;
    prod(axis?: AxisArg, options?: ReduceOptions): Tracer;
    any(axis?: AxisArg, options?: ReduceOptions): Tracer;
    all(axis?: AxisArg, options?: ReduceOptions): Tracer;
    cumsum(axis?: number | null): Tracer;
    cumprod(axis?: number | null): Tracer;
    sort(axis?: number | null, options?: SortOptions): Tracer;
    argsort(axis?: number | null, options?: SortOptions): Tracer;
    clip(min?: ArrayLike | null, max?: ArrayLike | null): Tracer;
    round(decimals?: number): Tracer;
    flatten(): Tracer;
    flip(axis?: number | readonly number[] | null): Tracer;
    repeat(repeats: number, axis?: number | null): Tracer;
    /** np.diagonal(x, offset, axis1, axis2): those axes removed, the diagonal last. */
    diagonal(offset?: number, axis1?: number, axis2?: number): Tracer;
    /** np.trace(x, offset, axis1, axis2): the sum of that diagonal. */
    trace(offset?: number, axis1?: number, axis2?: number): Tracer;
    /** JAX's name for blockUntilReady(). */
    block_until_ready(): Promise<this>;
    swapaxes(axis1: number, axis2: number): Tracer;
    /** np.copy: a new array with the same values. */
    copy(): Tracer;
    /** The last two axes swapped (a batch of matrices transposed), as JAX's `x.mT`. */
    readonly mT: Tracer;
    /** Bytes per element of the dtype, as JAX gives them: 4 (float32, int32), 1 (bool). */
    readonly itemsize: number;
    /** size × itemsize. */
    readonly nbytes: number;
  }
}

const methods: Record<string, (this: Tracer, ...args: never[]) => Tracer> = {
  var(axis?: AxisArg, options?: VarOptions) {
    return variance(this, axis, options);
  },
  std(axis?: AxisArg, options?: VarOptions) {
    return std(this, axis, options);
  },
  prod(axis?: AxisArg, options?: ReduceOptions) {
    return prod(this, axis, options);
  },
  any(axis?: AxisArg, options?: ReduceOptions) {
    return any(this, axis, options);
  },
  all(axis?: AxisArg, options?: ReduceOptions) {
    return all(this, axis, options);
  },
  cumsum(axis?: number | null) {
    return cumsum(this, axis);
  },
  cumprod(axis?: number | null) {
    return cumprod(this, axis);
  },
  sort(axis?: number | null, options?: SortOptions) {
    return sort(this, axis === undefined ? -1 : axis, options);
  },
  argsort(axis?: number | null, options?: SortOptions) {
    return argsort(this, axis === undefined ? -1 : axis, options);
  },
  clip(min?: ArrayLike | null, max?: ArrayLike | null) {
    return clip(this, min, max);
  },
  round(decimals?: number) {
    return round(this, decimals);
  },
  flatten() {
    return reshape(this, [-1]);
  },
  flip(axis?: number | readonly number[] | null) {
    return flip(this, axis);
  },
  repeat(repeats: number, axis?: number | null) {
    return repeat(this, repeats, axis);
  },
  diagonal(offset?: number, axis1?: number, axis2?: number) {
    return diagonal(this, offset, axis1, axis2);
  },
  trace(offset?: number, axis1?: number, axis2?: number) {
    return trace(this, offset, axis1, axis2);
  },
  swapaxes(axis1: number, axis2: number) {
    return swapaxes(this, axis1, axis2);
  },
  copy() {
    return copy(this);
  },
};

const getters: Record<string, (this: Tracer) => unknown> = {
  mT(this: Tracer) {
    if (this.ndim < 2)
      throw new JitScopeError("axis", `x.mT needs at least 2 axes to swap, got ${this.dtype}[${this.shape.join(",")}]`);
    return swapaxes(this, -1, -2);
  },
  itemsize(this: Tracer) {
    return this.dtype === "bool" ? 1 : 4;
  },
  nbytes(this: Tracer) {
    return this.size * (this.dtype === "bool" ? 1 : 4);
  },
};
for (const [name, get] of Object.entries(getters))
  Object.defineProperty(Tracer.prototype, name, { get, configurable: true, enumerable: false });

Object.defineProperty(Tracer.prototype, "block_until_ready", {
  value(this: Tracer) {
    return this.blockUntilReady();
  },
  writable: true,
  configurable: true,
  enumerable: false,
});

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tracer.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
