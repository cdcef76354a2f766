// Methods on arrays (`a.add(b)`, `a.reshape(2, 3)`, `a.T`, `a.sum(0)`, …): TypeScript module
// augmentation of Tracer plus prototype assignment, so every array (eager or traced) has them.
// Each method is the np function of the same name with the array as first argument.

import type { DType } from "../ir/types.js";
import { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { take, slice, type TakeOptions } from "./indexing.js";
import { AtIndex, type IndexEntry } from "./at.js";
import { dot, matmul } from "./linalg.js";
import type { ArrayLike } from "./promote.js";
import { argmax, argmin, max, mean, min, sum, type AxisArg, type ReduceOptions } from "./reductions.js";
import { broadcast_to, expand_dims, ravel, reshape, squeeze, transpose } from "./shape.js";

type Bound = number | null | undefined;

declare module "../trace/core.js" {
  interface Tracer {
    add(other: ArrayLike): Tracer;
    sub(other: ArrayLike): Tracer;
    subtract(other: ArrayLike): Tracer;
    mul(other: ArrayLike): Tracer;
    multiply(other: ArrayLike): Tracer;
    div(other: ArrayLike): Tracer;
    divide(other: ArrayLike): Tracer;
    pow(other: ArrayLike): Tracer;
    power(other: ArrayLike): Tracer;
    maximum(other: ArrayLike): Tracer;
    minimum(other: ArrayLike): Tracer;
    greater(other: ArrayLike): Tracer;
    greater_equal(other: ArrayLike): Tracer;
    less(other: ArrayLike): Tracer;
    less_equal(other: ArrayLike): Tracer;
    equal(other: ArrayLike): Tracer;
    not_equal(other: ArrayLike): Tracer;
    gt(other: ArrayLike): Tracer;
    ge(other: ArrayLike): Tracer;
    lt(other: ArrayLike): Tracer;
    le(other: ArrayLike): Tracer;
    eq(other: ArrayLike): Tracer;
    ne(other: ArrayLike): Tracer;
    neg(): Tracer;
    negative(): Tracer;
    abs(): Tracer;
    sign(): Tracer;
    square(): Tracer;
    sqrt(): Tracer;
    exp(): Tracer;
    log(): Tracer;
    sin(): Tracer;
    cos(): Tracer;
    tanh(): Tracer;
    astype(dtype: DType): Tracer;
    sum(axis?: AxisArg, options?: ReduceOptions): Tracer;
    mean(axis?: AxisArg, options?: ReduceOptions): Tracer;
    max(axis?: AxisArg, options?: ReduceOptions): Tracer;
    min(axis?: AxisArg, options?: ReduceOptions): Tracer;
    argmax(axis?: number | null, options?: ReduceOptions): Tracer;
    argmin(axis?: number | null, options?: ReduceOptions): Tracer;
    /** `a.reshape(2, 3)` or `a.reshape([2, 3])`; one dimension may be -1. */
    reshape(...shape: (number | readonly number[])[]): Tracer;
    /** `a.transpose()` reverses the axes; `a.transpose(1, 0, 2)` or `a.transpose([1, 0, 2])`. */
    transpose(...axes: (number | readonly number[])[]): Tracer;
    /** The transpose (axes reversed). */
    readonly T: Tracer;
    broadcast_to(shape: number | readonly number[]): Tracer;
    expand_dims(axis: number | readonly number[]): Tracer;
    squeeze(axis?: number | readonly number[]): Tracer;
    ravel(): Tracer;
    flatten(): Tracer;
    /** See np.slice: `a.slice([1, 0], [3, null], [1, 2])` is a[1:3, ::2]. */
    slice(
      starts: readonly Bound[] | number,
      limits?: readonly Bound[] | number,
      strides?: readonly Bound[] | number,
    ): Tracer;
    /** See np.take. */
    take(indices: number | readonly number[] | Tracer, axis?: number | null, options?: TakeOptions): Tracer;
    matmul(other: ArrayLike): Tracer;
    dot(other: ArrayLike): Tracer;
    /** JAX's x.at[i, j]: `x.at(i, j).get()`, `.set(v)`, `.add(v)`, `.multiply(v)`, `.min(v)`,
     *  `.max(v)` (see np/at.ts for the index forms). */
    at(...index: IndexEntry[]): AtIndex;
  }
}

/** `f(2, 3)` and `f([2, 3])` both mean [2, 3]; `f()` means undefined. */
function dimsArg(args: readonly (number | readonly number[])[]): number[] | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  return args as number[];
}

const methods: ThisType<Tracer> & Record<string, (this: Tracer, ...args: never[]) => Tracer> = {
  add(o: ArrayLike) {
    return ew.add(this, o);
  },
  sub(o: ArrayLike) {
    return ew.subtract(this, o);
  },
  subtract(o: ArrayLike) {
    return ew.subtract(this, o);
  },
  mul(o: ArrayLike) {
    return ew.multiply(this, o);
  },
  multiply(o: ArrayLike) {
    return ew.multiply(this, o);
  },
  div(o: ArrayLike) {
    return ew.divide(this, o);
  },
  divide(o: ArrayLike) {
    return ew.divide(this, o);
  },
  pow(o: ArrayLike) {
    return ew.power(this, o);
  },
  power(o: ArrayLike) {
    return ew.power(this, o);
  },
  maximum(o: ArrayLike) {
    return ew.maximum(this, o);
  },
  minimum(o: ArrayLike) {
    return ew.minimum(this, o);
  },
  greater(o: ArrayLike) {
    return ew.greater(this, o);
  },
  greater_equal(o: ArrayLike) {
    return ew.greater_equal(this, o);
  },
  less(o: ArrayLike) {
    return ew.less(this, o);
  },
  less_equal(o: ArrayLike) {
    return ew.less_equal(this, o);
  },
  equal(o: ArrayLike) {
    return ew.equal(this, o);
  },
  not_equal(o: ArrayLike) {
    return ew.not_equal(this, o);
  },
  gt(o: ArrayLike) {
    return ew.greater(this, o);
  },
  ge(o: ArrayLike) {
    return ew.greater_equal(this, o);
  },
  lt(o: ArrayLike) {
    return ew.less(this, o);
  },
  le(o: ArrayLike) {
    return ew.less_equal(this, o);
  },
  eq(o: ArrayLike) {
    return ew.equal(this, o);
  },
  ne(o: ArrayLike) {
    return ew.not_equal(this, o);
  },
  neg() {
    return ew.negative(this);
  },
  negative() {
    return ew.negative(this);
  },
  abs() {
    return ew.abs(this);
  },
  sign() {
    return ew.sign(this);
  },
  square() {
    return ew.square(this);
  },
  sqrt() {
    return ew.sqrt(this);
  },
  exp() {
    return ew.exp(this);
  },
  log() {
    return ew.log(this);
  },
  sin() {
    return ew.sin(this);
  },
  cos() {
    return ew.cos(this);
  },
  tanh() {
    return ew.tanh(this);
  },
  astype(dtype: DType) {
    return ew.astype(this, dtype);
  },
  sum(axis?: AxisArg, options?: ReduceOptions) {
    return sum(this, axis, options);
  },
  mean(axis?: AxisArg, options?: ReduceOptions) {
    return mean(this, axis, options);
  },
  max(axis?: AxisArg, options?: ReduceOptions) {
    return max(this, axis, options);
  },
  min(axis?: AxisArg, options?: ReduceOptions) {
    return min(this, axis, options);
  },
  argmax(axis?: number | null, options?: ReduceOptions) {
    return argmax(this, axis, options);
  },
  argmin(axis?: number | null, options?: ReduceOptions) {
    return argmin(this, axis, options);
  },
  reshape(...shape: (number | readonly number[])[]) {
    return reshape(this, dimsArg(shape) ?? []);
  },
  transpose(...axes: (number | readonly number[])[]) {
    return transpose(this, dimsArg(axes));
  },
  broadcast_to(shape: number | readonly number[]) {
    return broadcast_to(this, shape);
  },
  expand_dims(axis: number | readonly number[]) {
    return expand_dims(this, axis);
  },
  squeeze(axis?: number | readonly number[]) {
    return squeeze(this, axis);
  },
  ravel() {
    return ravel(this);
  },
  flatten() {
    return ravel(this);
  },
  slice(starts: readonly Bound[] | number, limits?: readonly Bound[] | number, strides?: readonly Bound[] | number) {
    return slice(this, starts, limits, strides);
  },
  take(indices: number | readonly number[] | Tracer, axis?: number | null, options?: TakeOptions) {
    return take(this, indices, axis, options);
  },
  matmul(o: ArrayLike) {
    return matmul(this, o);
  },
  dot(o: ArrayLike) {
    return dot(this, o);
  },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tracer.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
Object.defineProperty(Tracer.prototype, "at", {
  value(this: Tracer, ...index: IndexEntry[]) {
    return new AtIndex(this, index);
  },
  writable: true,
  configurable: true,
  enumerable: false,
});
Object.defineProperty(Tracer.prototype, "T", {
  get(this: Tracer) {
    return transpose(this);
  },
  configurable: true,
  enumerable: false,
});
