// `lax`: JAX's lower-level operations that have no NumPy name.

export { conv_general_dilated, conv, conv_transpose } from "./lax/conv.js";
export { conv_general_dilated_patches } from "./lax/convPatches.js";
export type { ConvPatchesOptions } from "./lax/convPatches.js";
export type { ConvOptions, ConvTransposeOptions, DimensionNumbers, Padding } from "./lax/conv.js";
export { reduce_window } from "./lax/window.js";
export type { WindowOp } from "./lax/window.js";
export type { Computation } from "./lax/monoid.js";
export { rsqrt } from "./np/mathSurface.js";
export { erf, erfc, erf_inv } from "./lax/special.js";
export { stopGradient as stop_gradient } from "./trace/stopGradient.js";
export { top_k } from "./lax/topK.js";
export {
  dynamic_slice,
  dynamic_update_slice,
  dynamic_slice_in_dim,
  dynamic_index_in_dim,
  dynamic_update_slice_in_dim,
  dynamic_update_index_in_dim,
} from "./lax/dynamicSlice.js";
export type { StartIndex } from "./lax/dynamicSlice.js";
// gather / scatter with XLA's dimension numbers (lax/gatherScatter.ts).
export {
  gather,
  scatter,
  scatter_add,
  scatter_sub,
  scatter_mul,
  scatter_min,
  scatter_max,
  GatherDimensionNumbers,
  ScatterDimensionNumbers,
  GatherScatterMode,
} from "./lax/gatherScatter.js";
export type { GatherOptions, ScatterOptions } from "./lax/gatherScatter.js";
// Structured control flow (scan, fori_loop, while_loop, map): lax/control.ts; cond, switch: lax/branches.ts. Under
// jit on WebGPU a while_loop runs on the device, its flag read once per chunk (backend/webgpuWhile.ts).
export { scan, fori_loop, while_loop, map } from "./lax/control.js";
export { cond, switch } from "./lax/branches.js";
export type { ScanOptions, MapOptions } from "./lax/control.js";
export { associative_scan } from "./lax/associativeScan.js";
// Solutions differentiated implicitly rather than through their iterations: lax/implicitSolves.ts.
export { custom_root, custom_linear_solve } from "./lax/implicitSolves.js";
export { ragged_dot } from "./lax/raggedDot.js";
export type { RaggedDotOptions } from "./lax/raggedDot.js";
export type { CustomLinearSolveOptions } from "./lax/implicitSolves.js";
// jax.lax.linalg's spellings of the factorisations, lu's pivots and tridiagonal_solve.
export * as linalg from "./lax/linalgNamespace.js";
// Collectives over vmap's named axes (vmap(f, { axis_name })): lax/collectives.ts.
export {
  psum,
  pmean,
  pmax,
  pmin,
  axis_index,
  axis_size,
  all_gather,
  ppermute,
  psum_scatter,
} from "./lax/collectives.js";
export type { AssociativeScanOptions } from "./lax/associativeScan.js";
// lax's own names for elementwise, structural and reduction operations (lax/elementwise.ts,
// structural.ts, reductions.ts), and the gamma functions (lax/gamma.ts).
export {
  add,
  sub,
  mul,
  div,
  rem,
  neg,
  max,
  min,
  abs,
  sign,
  exp,
  exp2,
  log,
  log1p,
  expm1,
  sqrt,
  cbrt,
  square,
  reciprocal,
  tanh,
  logistic,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  atan2,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  pow,
  integer_pow,
  floor,
  ceil,
  round,
  RoundingMethod,
  is_finite,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  select,
  select_n,
  clamp,
  convert_element_type,
} from "./lax/elementwise.js";
export {
  dot_general,
  dot,
  batch_matmul,
  broadcast,
  broadcast_in_dim,
  reshape,
  collapse,
  transpose,
  squeeze,
  expand_dims,
  concatenate,
  rev,
  slice,
  slice_in_dim,
  index_in_dim,
  pad,
  iota,
  broadcasted_iota,
  full,
  full_like,
} from "./lax/structural.js";
export type { DotDimensionNumbers, PaddingConfig } from "./lax/structural.js";
export {
  reduce_sum,
  reduce_max,
  reduce_min,
  reduce_prod,
  reduce_and,
  reduce_or,
  argmax,
  argmin,
  cumsum,
  cumprod,
  cummax,
  cummin,
  cumlogsumexp,
  sort,
  sort_key_val,
} from "./lax/reductions.js";
export { lgamma, digamma, random_gamma_grad } from "./lax/gamma.js";
export { igamma, igammac } from "./lax/igamma.js";
export { betainc } from "./lax/betainc.js";
// Bit operations by lax's names (lax/bits.ts), lax.reduce with a computation function
// (lax/reduce.ts), and nextafter.
export {
  and_,
  or_,
  xor,
  not_,
  shift_left,
  shift_right_arithmetic,
  shift_right_logical,
  population_count,
  clz,
  bitcast_convert_type,
} from "./lax/bits.js";
export { bessel_i0e, bessel_i1e } from "./lax/bessel.js";
export { reduce_precision } from "./lax/reducePrecision.js";
// lax's bitwise_* spellings of and_ / or_ / xor / not_.
export { bitwise_and, bitwise_or, bitwise_xor, bitwise_not } from "./np/bitwise.js";
// More structural operations (lax/structuralExtras.ts) and real / imag / conj on real arrays.
export {
  split,
  tile,
  stack,
  unstack,
  broadcast_to_rank,
  broadcast_like,
  reduce_xor,
  optimization_barrier,
  empty,
} from "./lax/structuralExtras.js";
export { real, imag, conj } from "./complex/npDispatch.js";
export { complex } from "./complex/complexMath.js";
// The Hurwitz zeta and polygamma functions (lax/zeta.ts), approx_max_k / approx_min_k (exact),
// broadcast_shapes, and with_sharding_constraint (one device: the value itself).
export { zeta, polygamma } from "./lax/zeta.js";
export { approx_max_k, approx_min_k } from "./lax/topK.js";
export type { ApproxTopKOptions } from "./lax/topK.js";
export { broadcast_shapes } from "./np/broadcasting.js";
export { with_sharding_constraint } from "./lax/structuralExtras.js";
export { reduce } from "./lax/reduce.js";
export { nextafter } from "./np/floatBits.js";
// Locally connected convolution and conv_with_general_padding (lax/convLocal.ts), JAX's
// convolution / window shape arithmetic (lax/convShapes.ts), lax.fft (complex/laxFft.ts).
export { conv_general_dilated_local, conv_with_general_padding } from "./lax/convLocal.js";
export type { ConvLocalOptions, ConvWithGeneralPaddingOptions } from "./lax/convLocal.js";
export {
  ConvDimensionNumbers,
  conv_dimension_numbers,
  conv_general_permutations,
  conv_shape_tuple,
  conv_general_shape_tuple,
  conv_transpose_shape_tuple,
  padtype_to_pads,
  reduce_window_shape_tuple,
} from "./lax/convShapes.js";
export { fft, FftType } from "./complex/laxFft.js";
// mulhi, index_take, scatter_apply, rng_uniform (refused) (lax/laxExtras.ts); ragged_dot_general
// (lax/raggedDotGeneral.ts); platform_dependent, composite (lax/laxPlatform.ts); Precision and
// DotAlgorithmPreset (lax/precision.ts: accepted, float32 products either way).
export { mulhi, index_take, scatter_apply, rng_uniform } from "./lax/laxExtras.js";
export type { ScatterApplyOptions } from "./lax/laxExtras.js";
export { ragged_dot_general, RaggedDotDimensionNumbers } from "./lax/raggedDotGeneral.js";
export type { RaggedDotGeneralOptions } from "./lax/raggedDotGeneral.js";
export { platform_dependent, composite } from "./lax/laxPlatform.js";
export type { PlatformBranches } from "./lax/laxPlatform.js";
export { Precision, DotAlgorithmPreset } from "./lax/precision.js";
export type { PrecisionLike } from "./lax/precision.js";
