// Methods on complex arrays (`z.mul(w)`, `z.conj()`, `z.abs()`, `z.reshape(2, 3)`, `z.T`,
// `z.at(0).set(w)`, …), as np/methods.ts gives real arrays theirs: each is the np function of
// the same name with the array first.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { Complex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import type { IndexEntry } from "../np/at.js";
import type { AxisArg, ReduceOptions } from "../np/reductions.js";
import { slice as realSlice, take as realTake } from "../np/indexing.js";
import * as shape from "../np/shape.js";
import * as cm from "./complexMath.js";
import { power } from "./complexMore.js";
import type { ComplexLike } from "./complexMath.js";

type Bound = number | null | undefined;

declare module "../trace/complexValue.js" {
  interface Complex {
    add(other: ComplexLike): Complex;
    sub(other: ComplexLike): Complex;
    subtract(other: ComplexLike): Complex;
    mul(other: ComplexLike): Complex;
    multiply(other: ComplexLike): Complex;
    div(other: ComplexLike): Complex;
    divide(other: ComplexLike): Complex;
    neg(): Complex;
    negative(): Complex;
    conj(): Complex;
    conjugate(): Complex;
    abs(): Tracer;
    angle(): Tracer;
    exp(): Complex;
    log(): Complex;
    sqrt(): Complex;
    square(): Complex;
    pow(p: ComplexLike): Complex;
    power(p: ComplexLike): Complex;
    sum(axis?: AxisArg, options?: ReduceOptions): Complex;
    mean(axis?: AxisArg, options?: ReduceOptions): Complex;
    matmul(other: ComplexLike): Complex;
    dot(other: ComplexLike): Complex;
    reshape(...shape: (number | readonly number[])[]): Complex;
    transpose(...axes: (number | readonly number[])[]): Complex;
    readonly T: Complex;
    ravel(): Complex;
    flatten(): Complex;
    expand_dims(axis: number | readonly number[]): Complex;
    squeeze(axis?: number | readonly number[]): Complex;
    slice(
      starts: readonly Bound[] | number,
      limits?: readonly Bound[] | number,
      strides?: readonly Bound[] | number,
    ): Complex;
    take(indices: number | readonly number[] | Tracer, axis?: number | null): Complex;
    astype(dtype: DType | "complex64"): Complex | Tracer;
    /** `z.at(i, j).get()`, `.set(w)`, `.add(w)`: JAX's z.at[i, j] on both parts. */
    at(...index: IndexEntry[]): ComplexAt;
  }
}

/** z.at[...] for a complex z: each part updated at the same index. */
export class ComplexAt {
  constructor(
    private readonly z: Complex,
    private readonly index: readonly IndexEntry[],
  ) {}
  get(): Complex {
    return new Complex(this.z.re.at(...this.index).get(), this.z.im.at(...this.index).get());
  }
  set(v: ComplexLike): Complex {
    return this.update(v, "set");
  }
  add(v: ComplexLike): Complex {
    return this.update(v, "add");
  }
  private update(v: ComplexLike, how: "set" | "add"): Complex {
    const p = cm.parts(`at().${how}`, v);
    const re = this.z.re.at(...this.index)[how](p.re);
    // A real value sets the imaginary part to zero, and adds nothing to it.
    const im = p.im
      ? this.z.im.at(...this.index)[how](p.im)
      : how === "set"
        ? this.z.im.at(...this.index).set(0)
        : this.z.im;
    return new Complex(re, im);
  }
}

const dims = (args: readonly (number | readonly number[])[]): number[] | undefined =>
  args.length === 0
    ? undefined
    : args.length === 1 && Array.isArray(args[0])
      ? [...(args[0] as number[])]
      : (args as number[]);

const methods: ThisType<Complex> & Record<string, (this: Complex, ...args: never[]) => unknown> = {
  add(o: ComplexLike) {
    return cm.add(this, o);
  },
  sub(o: ComplexLike) {
    return cm.subtract(this, o);
  },
  subtract(o: ComplexLike) {
    return cm.subtract(this, o);
  },
  mul(o: ComplexLike) {
    return cm.multiply(this, o);
  },
  multiply(o: ComplexLike) {
    return cm.multiply(this, o);
  },
  div(o: ComplexLike) {
    return cm.divide(this, o);
  },
  divide(o: ComplexLike) {
    return cm.divide(this, o);
  },
  neg() {
    return cm.negative(this);
  },
  negative() {
    return cm.negative(this);
  },
  conj() {
    return cm.conj(this);
  },
  conjugate() {
    return cm.conj(this);
  },
  abs() {
    return cm.abs(this);
  },
  angle() {
    return cm.angle(this);
  },
  exp() {
    return cm.exp(this);
  },
  log() {
    return cm.log(this);
  },
  sqrt() {
    return cm.sqrt(this);
  },
  square() {
    return cm.square(this);
  },
  pow(p: ComplexLike) {
    return power(this, p);
  },
  power(p: ComplexLike) {
    return power(this, p);
  },
  sum(axis?: AxisArg, options?: ReduceOptions) {
    return cm.sum(this, axis, options);
  },
  mean(axis?: AxisArg, options?: ReduceOptions) {
    return cm.mean(this, axis, options);
  },
  matmul(o: ComplexLike) {
    return cm.matmul(this, o);
  },
  dot(o: ComplexLike) {
    return cm.matmul(this, o);
  },
  reshape(...s: (number | readonly number[])[]) {
    const d = dims(s);
    if (!d) throw new JitScopeError("shape", "reshape: needs a shape");
    return cm.eachPart(this, (p) => shape.reshape(p, d));
  },
  transpose(...axes: (number | readonly number[])[]) {
    return cm.eachPart(this, (p) => shape.transpose(p, dims(axes)));
  },
  ravel() {
    return cm.eachPart(this, (p) => shape.ravel(p));
  },
  flatten() {
    return cm.eachPart(this, (p) => shape.ravel(p));
  },
  expand_dims(axis: number | readonly number[]) {
    return cm.eachPart(this, (p) => shape.expand_dims(p, axis));
  },
  squeeze(axis?: number | readonly number[]) {
    return cm.eachPart(this, (p) => shape.squeeze(p, axis));
  },
  slice(starts: readonly Bound[] | number, limits?: readonly Bound[] | number, strides?: readonly Bound[] | number) {
    return cm.eachPart(this, (p) => realSlice(p, starts, limits, strides));
  },
  take(indices: number | readonly number[] | Tracer, axis?: number | null) {
    return cm.eachPart(this, (p) => realTake(p, indices, axis));
  },
  astype(dtype: DType | "complex64") {
    return cm.astype(this, dtype);
  },
  at(...index: IndexEntry[]) {
    return new ComplexAt(this, index);
  },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Complex.prototype, name, { value: fn, writable: true, configurable: true });
}
Object.defineProperty(Complex.prototype, "T", {
  get(this: Complex) {
    return cm.eachPart(this, (p) => shape.transpose(p));
  },
  configurable: true,
});
