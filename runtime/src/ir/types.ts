// The IR: a typed SSA program in the style of a jaxpr. Every equation carries the user's source
// location and a name stack, and every pass keeps them: they are what makes hovers possible.
//
// Adding a primitive: add it to PRIMITIVES and PrimParams; `tsc` then lists every exhaustive
// switch (`satisfies never`) that must learn about it (shape rules, CPU reference, codegen,
// AD and batching rules, the printer).

import { formatAval, type SourceLocation } from "@jitscope/contract";
export type { SourceLocation };

export type DType = "float32" | "int32" | "bool";
export const DTYPES: readonly DType[] = ["float32", "int32", "bool"];
/** How an array's elements are held on the host: float32, int32, and bool as 0/1 bytes. */
export type HostArray = Float32Array | Int32Array | Uint8Array;

/** Abstract value: what the compiler knows about an array. */
export interface Aval {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export const PRIMITIVES = [
  // elementwise, unary
  "neg",
  "abs",
  "sqrt",
  "exp",
  "log",
  "sin",
  "cos",
  "tanh",
  "sign",
  "logical_not",
  "floor",
  "ceil",
  "round", // round: half to even, as NumPy / jnp.round
  "is_nan", // float32 -> bool, on the bit pattern (compilers fold x != x)
  "log1p",
  "expm1", // accurate near 0 (Goldberg's correction), exact derivatives
  "erf", // float32; lax.erf, with the exact derivative 2/√π·exp(-x²)
  "erfc", // float32; 1 - erf(x) with its own tail (relative precision out to x ≈ 10)
  // elementwise, binary (inputs already broadcast to the same shape and promoted to one dtype)
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "atan2", // (y, x): float32, the angle of (x, y) in [-π, π], signed zeros as IEEE atan2
  "max",
  "min",
  "gt",
  "ge",
  "lt",
  "le",
  "eq",
  "ne",
  // elementwise, other
  "where", // (cond: bool, a, b), all one shape
  "optimization_barrier", // (x, token) -> x: float32, one shape. checkpoint's recomputation reads
  //   its saved inputs through it, so CSE cannot merge the recomputed ops back into the forward
  //   values, and the token (from the cotangent) keeps fuse from moving them before it exists
  "cast", // { dtype }
  // bits (np/bitwise.ts, np/floatBits.ts): and / or / xor of int32 or bool; the shifts of int32,
  //   a count outside [0, 32) giving 0 (left) or the sign fill (arithmetic right), as XLA
  "bitwise_and",
  "bitwise_or",
  "bitwise_xor",
  "shift_left",
  "shift_right_arithmetic",
  "bitcast_convert", // { dtype }: the same 32 bits read as the other of float32 / int32
  // creation on the device: counter-based random bits, fusable as an elementwise leaf
  // Element i uses threefry2x32(key, counter = (i, 0)), word 0 (ops/threefry.ts), on every backend.
  // A batch of keys int32[B, 2] (vmap over keys) draws shape [B, ...]: row b with key b, as one
  // draw per key would.
  "random_uniform", // (key: int32[2] | int32[B, 2]) -> float32[shape] in [0, 1); { shape }
  "random_bits", // (key: int32[2] | int32[B, 2]) -> int32[shape], the raw 32 bits; { shape }
  "random_fold_in", // (key: int32[2], data: int32[]) -> int32[2]: both words of threefry2x32(key,
  //   counter = (0, data)), as JAX's fold_in; or keys int32[B, 2] with data int32[B] -> [B, 2]
  "iota", // () -> int32[shape], value = index along `axis`; { shape, axis }
  // reductions (`axes` sorted, non-negative; the reduced axes are removed)
  "reduce_sum",
  "reduce_max",
  "reduce_min",
  "argmax",
  "argmin", // { axis } -> int32, axis removed
  // shape
  "reshape", // { shape }
  "transpose", // { perm }
  "broadcast", // { shape, dims }: NumPy-style; input axis i goes to output axis dims[i]
  "slice", // { starts, limits, strides }
  "pad", // { low, high, value }: the transpose of slice (used by AD)
  "concatenate", // { axis }, n inputs
  // scans along one axis (ops/surfacePrims.ts): evaluated per output element by a loop over its row
  "cumulative", // { op: "sum" | "prod", axis, reverse }
  "rev", // { axes }: reversed along each of `axes` (jnp.flip)
  "sort", // (keys, payload): payload permuted into the stable ascending order of keys; { axis }
  // linear algebra: a[...batch, m, k] @ b[...batch, k, n] -> [...batch, m, n], batch dims equal
  "matmul",
  // factorisations and solves over the last two axes, one workgroup per matrix (np/linalg*.ts)
  "cholesky", // a[...b, n, n] -> lower L with L·Lᵀ = a, reading a's lower triangle; NaN on and
  //   below the diagonal if not positive definite (as JAX)
  "triangular_solve", // (a[...b, n, n], b[...b, n, k]) { lower, transA, unitDiagonal } -> x with
  //   op(a)·x = b, op(a) = aᵀ when transA; reads only a's `lower` triangle
  "lu", // a[...b, n, n] -> [...b, n, n + 1]: packed L\U (unit L below the diagonal) by Gaussian
  //   elimination with partial pivoting (first largest |pivot|, as LAPACK), column n = the row
  //   permutation as float32 (row i of L·U is row perm[i] of a)
  // indexing and convolution (ops/indexOps.ts, ops/convOps.ts)
  "gather", // (x, idx: int32) { axis } -> x.shape[:axis] + idx.shape + x.shape[axis+1:];
  //   an index outside [0, x.shape[axis]) reads 0
  "scatter", // (x, idx: int32, upd) { axis, mode } -> x.shape, upd at gather's output shape;
  //   duplicates combine by mode (set: the last in row-major order wins), outside: dropped
  "scatter_sorted", // (x, idx: int32, order: int32[size(idx)], upd) { axis, mode }: scatter's
  //   value, with `order` the stable argsort of idx flattened, so each output element finds its
  //   updates by binary search instead of scanning every index. Made only by the compiler
  //   (passes/sortScatterIndices.ts), never traced, so it has no derivative or batching rule
  "conv", // (lhs [N,C,...sp], rhs [O,C/G,...k]) { strides, padLow, padHigh, lhsDilation,
  //   rhsDilation, groups } -> [N,O,...out]: lax.conv_general_dilated in NC.../OI... layout
  // control flow: one equation holding its body program(s) (as a jaxpr holds sub-jaxprs)
  "scan", // (consts..., init carry..., xs...) -> (final carry..., stacked ys...); see ScanParams
  "while", // (cond consts..., body consts..., init carry...) -> (final carry...); see WhileParams
  // collectives over a named vmap axis (lax/collectives.ts): x -> x's shape, the sum / max / min
  //   of x over the batch elements of the vmap named `axisName`. vmap's trace replaces them with
  //   reductions over its batch axis (trace/vmap.ts); no compiled program holds one
  "psum", // { axisName }
  "pmax", // { axisName }
  "pmin", // { axisName }
  "axis_index", // () -> int32[] { axisName }: each batch element's index along the named axis
  "all_gather", // x { axisName, axis, tiled, size } -> every batch element's x stacked at `axis`
  //   (size there), or concatenated along it (tiled: x.shape[axis] · size)
  "ppermute", // x { axisName, perm } -> x's shape: element dst gets element src's x, for each
  //   [src, dst] of perm (a permutation of the axis)
] as const;

export type Primitive = (typeof PRIMITIVES)[number];

type NoParams = Record<string, never>;

export interface PrimParams {
  neg: NoParams;
  abs: NoParams;
  sqrt: NoParams;
  exp: NoParams;
  log: NoParams;
  sin: NoParams;
  cos: NoParams;
  tanh: NoParams;
  sign: NoParams;
  logical_not: NoParams;
  floor: NoParams;
  ceil: NoParams;
  round: NoParams;
  is_nan: NoParams;
  log1p: NoParams;
  expm1: NoParams;
  erf: NoParams;
  erfc: NoParams;
  add: NoParams;
  sub: NoParams;
  mul: NoParams;
  div: NoParams;
  pow: NoParams;
  atan2: NoParams;
  max: NoParams;
  min: NoParams;
  gt: NoParams;
  ge: NoParams;
  lt: NoParams;
  le: NoParams;
  eq: NoParams;
  ne: NoParams;
  where: NoParams;
  optimization_barrier: NoParams;
  cast: { dtype: DType };
  bitwise_and: NoParams;
  bitwise_or: NoParams;
  bitwise_xor: NoParams;
  shift_left: NoParams;
  shift_right_arithmetic: NoParams;
  bitcast_convert: { dtype: DType };
  random_uniform: { shape: number[] };
  random_bits: { shape: number[] };
  random_fold_in: NoParams;
  iota: { shape: number[]; axis: number; dtype: DType };
  reduce_sum: { axes: number[] };
  reduce_max: { axes: number[] };
  reduce_min: { axes: number[] };
  argmax: { axis: number };
  argmin: { axis: number };
  reshape: { shape: number[] };
  transpose: { perm: number[] };
  broadcast: { shape: number[]; dims: number[] };
  slice: { starts: number[]; limits: number[]; strides: number[] };
  pad: { low: number[]; high: number[]; value: number };
  concatenate: { axis: number };
  cumulative: { op: "sum" | "prod"; axis: number; reverse: boolean };
  rev: { axes: number[] };
  sort: { axis: number };
  matmul: NoParams;
  cholesky: NoParams;
  triangular_solve: { lower: boolean; transA: boolean; unitDiagonal: boolean };
  lu: NoParams;
  gather: { axis: number };
  scatter: { axis: number; mode: ScatterMode };
  scatter_sorted: { axis: number; mode: ScatterMode };
  conv: ConvParams;
  scan: ScanParams;
  while: WhileParams;
  psum: { axisName: string };
  pmax: { axisName: string };
  pmin: { axisName: string };
  axis_index: { axisName: string };
  all_gather: { axisName: string; axis: number; tiled: boolean; size: number };
  ppermute: { axisName: string; perm: readonly (readonly [number, number])[] };
}

/** How `scatter` combines an update with what is there: x.at[i].set / add / multiply / min / max. */
export type ScatterMode = "set" | "add" | "mul" | "min" | "max";

export interface ConvParams {
  /** One entry per spatial axis. Padding may be negative (crops), as the transposes need. */
  strides: number[];
  padLow: number[];
  padHigh: number[];
  lhsDilation: number[];
  rhsDilation: number[];
  /** feature_group_count: C and O are split into `groups` independent convolutions. */
  groups: number;
}

/** `scan`: the body maps (consts, carry, x_t) -> (carry', y_t) and runs `length` times; x_t is
 *  row t of each xs (row length-1-t when `reverse`), ys stack the y_t (in the same order). */
export interface ScanParams {
  readonly body: Program;
  readonly numConsts: number;
  readonly numCarry: number;
  readonly length: number;
  readonly reverse: boolean;
}

/** `while`: `cond` maps (cond consts, carry) -> bool[]; `body` maps (body consts, carry) -> carry. */
export interface WhileParams {
  readonly cond: Program;
  readonly body: Program;
  readonly condConsts: number;
  readonly bodyConsts: number;
}

/** The primitives that name a vmap axis (lax/collectives.ts; trace/vmap.ts replaces them). */
export type CollectivePrim = "psum" | "pmax" | "pmin" | "axis_index" | "all_gather" | "ppermute";
const COLLECTIVE_PRIMS: ReadonlySet<string> = new Set<CollectivePrim>([
  "psum",
  "pmax",
  "pmin",
  "axis_index",
  "all_gather",
  "ppermute",
]);

export function isCollectivePrim(p: string): p is CollectivePrim {
  return COLLECTIVE_PRIMS.has(p);
}

const namesInPrograms = new WeakMap<Program, readonly string[]>();

/** The axis names the collectives of `program`, and of the loops in it at any depth, name. */
export function collectiveAxisNames(program: Program): readonly string[] {
  let names = namesInPrograms.get(program);
  if (!names) {
    const found = new Set<string>();
    for (const e of program.eqns) {
      if (isCollectivePrim(e.prim)) found.add((e.params as { axisName: string }).axisName);
      for (const body of subPrograms(e)) for (const n of collectiveAxisNames(body)) found.add(n);
    }
    names = [...found];
    namesInPrograms.set(program, names);
  }
  return names;
}

export function isLoopPrim(p: Primitive): p is "scan" | "while" {
  return p === "scan" || p === "while";
}

/** The sub-programs an equation holds (none for ordinary primitives). */
export function subPrograms(e: Eqn): Program[] {
  if (e.prim === "scan") return [(e.params as ScanParams).body];
  if (e.prim === "while") return [(e.params as WhileParams).cond, (e.params as WhileParams).body];
  return [];
}

export type Params<P extends Primitive = Primitive> = PrimParams[P];

/** An SSA variable. `id` is unique within a program; names are derived when printing. */
export interface Var {
  readonly kind: "var";
  readonly id: number;
  readonly aval: Aval;
}

/** A literal scalar (weakly typed JS numbers become literals of the other operand's dtype). */
export interface Lit {
  readonly kind: "lit";
  readonly value: number;
  readonly aval: Aval; // shape []
}

export type Atom = Var | Lit;

export interface Eqn<P extends Primitive = Primitive> {
  /** Unique within a program; stable across passes for an op that survives (graph node id `op${id}`). */
  readonly id: number;
  readonly prim: P;
  readonly params: PrimParams[P];
  readonly inputs: readonly Atom[];
  readonly outputs: readonly Var[];
  /** The user's call site (mapped through source maps); null when unknown. */
  readonly location: SourceLocation | null;
  /** Enclosing traced functions/transformations, outermost first: ["step", "grad(loss)", "transpose"]. */
  readonly nameStack: readonly string[];
}

export interface Program {
  readonly name: string;
  readonly inputs: readonly Var[];
  readonly eqns: readonly Eqn[];
  readonly outputs: readonly Atom[];
}

export function isElementwise(p: Primitive): boolean {
  switch (p) {
    case "neg":
    case "abs":
    case "sqrt":
    case "exp":
    case "log":
    case "sin":
    case "cos":
    case "tanh":
    case "sign":
    case "logical_not":
    case "floor":
    case "ceil":
    case "round":
    case "is_nan":
    case "log1p":
    case "expm1":
    case "erf":
    case "erfc":
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "pow":
    case "atan2":
    case "max":
    case "min":
    case "gt":
    case "ge":
    case "lt":
    case "le":
    case "eq":
    case "ne":
    case "where":
    case "optimization_barrier":
    case "cast":
    case "bitwise_and":
    case "bitwise_or":
    case "bitwise_xor":
    case "shift_left":
    case "shift_right_arithmetic":
    case "bitcast_convert":
    case "random_uniform":
    case "random_bits":
    case "random_fold_in":
    case "iota":
      return true;
    case "reduce_sum":
    case "reduce_max":
    case "reduce_min":
    case "argmax":
    case "argmin":
    case "reshape":
    case "transpose":
    case "broadcast":
    case "slice":
    case "pad":
    case "concatenate":
    case "matmul":
    case "cholesky":
    case "triangular_solve":
    case "lu":
    case "gather":
    case "scatter":
    case "scatter_sorted":
    case "conv":
    case "cumulative":
    case "sort":
    case "rev":
    case "scan":
    case "while":
    case "psum":
    case "pmax":
    case "pmin":
    case "axis_index":
    case "all_gather":
    case "ppermute":
      return false;
    default:
      return p satisfies never;
  }
}

/** Whether two shapes are equal, axis by axis (the one definition; every pass and rule uses it). */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Whether two avals have the same dtype and shape. */
export function sameAval(a: Aval, b: Aval): boolean {
  return a.dtype === b.dtype && sameShape(a.shape, b.shape);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides (in elements). */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Bytes an array of this aval occupies on the GPU (bytesPerElement per element). */
export function avalBytes(a: Aval): number {
  return sizeOf(a.shape) * bytesPerElement(a.dtype);
}

export function bytesPerElement(_dtype: DType): number {
  return 4; // bool is stored as u32 on the GPU and as Uint8 on the CPU; count the GPU width.
}

/** An aval in the IR's short notation, "f32[2,3]" (the printer's and error messages'). */
export function avalToString(a: Aval): string {
  return formatAval(a.dtype === "float32" ? "f32" : a.dtype === "int32" ? "i32" : "bool", a.shape);
}
