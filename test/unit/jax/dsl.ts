// The differential suite's program format, shared by the generator (scripts/jax/generate.ts),
// the JAX runner (scripts/jax/run_jax.py, which mirrors it in Python) and the replay test.
// A program is SSA over the public API: values 0..inputs-1 are the inputs, each op appends one
// value. Inputs are not stored: they are made from a seed by the generator below, which the
// Python side reproduces bit for bit (checked by a checksum in the fixtures).

export type Ref = number;
export type Arg = Ref | { lit: number };
export type DTypeName = "float32" | "int32";

export const BINARY = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "power"] as const;
export const UNARY = ["negative", "abs", "square", "sqrt", "exp", "log", "sin", "cos", "tanh", "sign"] as const;
export const COMPARE = ["greater", "less", "equal"] as const;
export const REDUCE = ["sum", "mean", "max", "min"] as const;
export const NN_ELEMENTWISE = ["relu", "gelu", "sigmoid"] as const;
export const NN_AXIS = ["softmax", "logSoftmax"] as const;

export type OpSpec =
  | { op: (typeof BINARY)[number] | (typeof COMPARE)[number]; args: [Arg, Arg] }
  | { op: (typeof UNARY)[number] | (typeof NN_ELEMENTWISE)[number] | "ravel"; args: [Ref] }
  | { op: (typeof REDUCE)[number]; args: [Ref]; axis: number | number[] | null; keepdims: boolean }
  | { op: "argmax" | "argmin"; args: [Ref]; axis: number; keepdims: boolean }
  | { op: (typeof NN_AXIS)[number]; args: [Ref]; axis: number }
  | { op: "logsumexp"; args: [Ref]; axis: number | null; keepdims: boolean }
  | { op: "where"; args: [Ref, Arg, Arg] }
  | { op: "astype"; args: [Ref]; dtype: DTypeName }
  | { op: "reshape"; args: [Ref]; shape: number[] }
  | { op: "transpose"; args: [Ref]; perm: number[] }
  | { op: "swapaxes"; args: [Ref]; axis1: number; axis2: number }
  | { op: "expand_dims" | "squeeze"; args: [Ref]; axis: number }
  | { op: "broadcast_to"; args: [Ref]; shape: number[] }
  | { op: "concatenate" | "stack"; args: Ref[]; axis: number }
  | { op: "slice"; args: [Ref]; starts: (number | null)[]; limits: (number | null)[]; strides: number[] }
  | { op: "take"; args: [Ref]; indices: number[]; axis: number }
  | { op: "matmul" | "dot"; args: [Ref, Ref] };

export type OpName = OpSpec["op"];

export interface InputSpec {
  shape: number[];
  dtype: DTypeName;
  seed: number;
  /** Floats are uniform in [lo, lo + 4); ints uniform in lo..lo+span-1. */
  lo: number;
  span?: number;
}

export type ProgramKind = "value" | "grad" | "vmap" | "vmapgrad" | "error";

export interface Program {
  id: string;
  kind: ProgramKind;
  inputs: InputSpec[];
  ops: OpSpec[];
  /** The function's results (for grad kinds: one scalar). */
  outputs: Ref[];
  /** grad kinds: differentiate with respect to these inputs. */
  argnums?: number[];
  /** vmap kinds: the mapped axis of each input (null: not mapped). */
  inAxes?: (number | null)[];
  /** error kind: the op that must fail (its index in ops) and the function name it must name. */
  error?: { opIndex: number; names: string };
  /** What the program exercises, for reading failures. */
  note: string;
}

/** The fixture the Python runner writes: JAX's results for each program, or why it was dropped. */
export interface Expected {
  id: string;
  /** Sum and first values of each input as made here, to check both sides made the same. */
  inputCheck: { sum: number; head: number[] }[];
  /** float64 results and |float32 − float64| of JAX's own float32 run, per element. */
  outputs?: { shape: number[]; dtype: "float" | "int" | "bool"; y: number[]; err32: number[] }[];
  /** Largest |value| of the float64 primal run, and its longest contraction (terms summed). */
  scale?: number;
  contraction?: number;
  /** error kind: the exception JAX raised. */
  jaxError?: string;
}

export interface FixtureFile {
  generated: string;
  jax: string;
  programs: Program[];
  expected: Expected[];
  dropped: { id: string; reason: string }[];
}

/**
 * Input values from a 32-bit LCG: float k/2^22 steps in [lo, lo+4) (exact in float32), ints in
 * lo..lo+span-1. Mirrored in run_jax.py; only integer arithmetic below 2^53 and exact scalings.
 */
export function inputValues(spec: InputSpec): number[] {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  let s = spec.seed >>> 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const k = s >>> 10; // 22 bits
    out[i] = spec.dtype === "int32" ? spec.lo + (k % (spec.span ?? 7)) : spec.lo + k / (1 << 20);
  }
  return out;
}
