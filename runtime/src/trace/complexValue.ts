// Complex arrays (JAX's complex64) as a pair of float32 arrays of one shape: the real and the
// imaginary part. The IR, the compiler and the kernels see only the two real arrays, so every
// pass, transformation and kernel works on them unchanged, and the graph shows what the compiler
// does with complex arithmetic: the real ops it is made of. A Complex is a pytree node whose
// children are the two parts (paths `.real`, `.imag`), so it passes through jit, vmap, scan and
// grad like any array. The arithmetic lives in complex/ (and is installed as methods by it).

import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "./core.js";
import { flattenWith, unflatten } from "./pytree.js";
import { GetAttrKey, register_pytree_with_keys } from "./pytreeNodes.js";

/** A complex64 array: `re + i·im`, both float32 of one shape. */
export class Complex {
  readonly dtype = "complex64" as const;
  constructor(
    readonly re: Tracer,
    readonly im: Tracer,
  ) {
    if (!(re instanceof Tracer) || !(im instanceof Tracer))
      throw new JitScopeError("value", `complex: the real and imaginary parts must be arrays`);
    if (re.dtype !== "float32" || im.dtype !== "float32")
      throw new JitScopeError(
        "dtype",
        `complex: the parts must be float32 (complex64), got ${re.dtype} and ${im.dtype}`,
      );
    if (re.shape.length !== im.shape.length || re.shape.some((d, i) => d !== im.shape[i]))
      throw new JitScopeError("shape", `complex: the parts must have one shape, got [${re.shape}] and [${im.shape}]`);
  }
  get shape(): readonly number[] {
    return this.re.shape;
  }
  get ndim(): number {
    return this.re.ndim;
  }
  get size(): number {
    return this.re.shape.reduce((a, b) => a * b, 1);
  }
  /** The real part (JAX's `z.real`). */
  get real(): Tracer {
    return this.re;
  }
  /** The imaginary part (JAX's `z.imag`). */
  get imag(): Tracer {
    return this.im;
  }
  toString(): string {
    return `Array(complex64[${this.shape.join(",")}])`;
  }
  /** The values as nested lists whose innermost entries are [re, im] pairs. */
  async toArray(): Promise<unknown> {
    const [re, im] = await Promise.all([this.re.data(), this.im.data()]);
    const pairs = Array.from(re, (r, i) => [r, im[i]!]);
    const nest = (dims: readonly number[], at: number): unknown =>
      dims.length === 0
        ? pairs[at]
        : Array.from({ length: dims[0]! }, (_, k) => nest(dims.slice(1), at + k * stride(dims.slice(1))));
    return nest(this.shape, 0);
  }
  /** The values interleaved, re0, im0, re1, im1, … (NumPy's complex64 buffer viewed as float32). */
  async data(): Promise<Float32Array> {
    const [re, im] = await Promise.all([this.re.data(), this.im.data()]);
    const out = new Float32Array(re.length * 2);
    for (let i = 0; i < re.length; i++) {
      out[2 * i] = re[i]!;
      out[2 * i + 1] = im[i]!;
    }
    return out;
  }
}

const stride = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

export const isComplex = (x: unknown): x is Complex => x instanceof Complex;

register_pytree_with_keys(
  Complex,
  (z) => [
    [
      [new GetAttrKey("real"), z.re],
      [new GetAttrKey("imag"), z.im],
    ],
    null,
  ],
  (_aux, [re, im]) => new Complex(re as Tracer, im as Tracer),
);

/** Every Complex in `tree` conjugated. A gradient taken through the two real parts is
 *  ∂f/∂re + i·∂f/∂im; JAX's grad (and vjp) of a complex input is its conjugate, ∂f/∂re − i·∂f/∂im. */
export function conjugateComplexLeaves<T>(tree: T): T {
  const { leaves, treedef } = flattenWith(tree, "gradient", isComplex);
  if (!leaves.some(isComplex)) return tree;
  return unflatten<T>(
    treedef,
    leaves.map((l) => (isComplex(l) ? new Complex(l.re, bind1("neg", {}, [l.im])) : l)),
  );
}
