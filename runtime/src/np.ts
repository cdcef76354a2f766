// The user-facing eager API, `np`: NumPy/JAX names over the primitives of ir/types.ts, with
// broadcasting and dtype promotion done here, before `bind`. Split by concern under np/:
// creation, elementwise, reductions, shape, indexing (np.slice / np.take, documented there),
// linalg. Importing this module also installs the array methods (np/methods.ts).
// index.ts exposes it as `np` (`export * as np from "./np.js"`).

import "./np/methods.js";
import "./np/methodsSurface.js";
import "./complex/complexMethods.js";

export type { ArrayLike } from "./np/promote.js";
export type { AxisArg, ReduceOptions } from "./np/reductions.js";
export type { DTypeOption, NestedList, TypedArrayInput } from "./np/creation.js";
export { array, ones, full, ones_like, arange, linspace, eye } from "./np/creation.js";
export { asarray, shape, ndim, size } from "./np/arrayInfo.js";
export {
  sin,
  cos,
  tanh,
  sign,
  logical_not,
  greater,
  greater_equal,
  less,
  less_equal,
  equal,
  not_equal,
} from "./np/elementwise.js";
export { max, min, argmax, argmin } from "./np/reductions.js";

export { slice, take, take_along_axis } from "./np/indexing.js";
export type { IndexEntry, SliceSpec, AtIndex } from "./np/at.js";

export { promoteTypes as promote_types } from "./np/promote.js";
// Issue 14's surface, in files of their own (np/mathSurface.ts, reduceSurface.ts, shapeSurface.ts,
// einsum.ts, norm.ts).
export {
  floor,
  ceil,
  round,
  around,
  floor_divide,
  mod,
  remainder,
  log1p,
  expm1,
  log2,
  log10,
  exp2,
  reciprocal,
  sinc,
  heaviside,
  isnan,
  isinf,
  isfinite,
  clip,
  cbrt,
  trunc,
  fix,
  fmax,
  fmin,
} from "./np/mathSurface.js";
export {
  tan,
  arcsin,
  arccos,
  arctan,
  arctan2,
  sinh,
  cosh,
  arcsinh,
  arccosh,
  arctanh,
  hypot,
  deg2rad,
  rad2deg,
  asin,
  acos,
  atan,
  atan2,
  asinh,
  acosh,
  atanh,
} from "./np/trig.js";
export { var, std, prod, any, all, cumsum, cumprod, sort, argsort } from "./np/reduceSurface.js";
export type { SortOptions, VarOptions } from "./np/reduceSurface.js";
export { tril, triu, split, tile, repeat, fliplr, flipud, outer } from "./np/shapeSurface.js";

export { broadcast_shapes, broadcast_arrays } from "./np/broadcasting.js";
export type { PadWidth, PadOptions, PadMode, PadValues } from "./np/pad.js";
export { diag, diagonal, trace, meshgrid, inner, cross, kron, tensordot } from "./np/matrixSurface.js";
export type { MeshgridOptions } from "./np/matrixSurface.js";

export { quantile, percentile, median, average, ptp, nansum, nanmean, count_nonzero } from "./np/statistics.js";
export type { QuantileOptions, AverageOptions } from "./np/statistics.js";
export { diff, logspace, trapezoid, polyval, isclose, allclose, nan_to_num } from "./np/series.js";
export type { IscloseOptions } from "./np/series.js";
export { pi, e, inf, nan, euler_gamma } from "./np/constants.js";
// A fourth batch: stacking, NaN-skipping reductions, searching and counting, creation helpers,
// covariance, dtype names and limits.
export { hstack, vstack, row_stack, dstack, column_stack, atleast_1d, atleast_2d, atleast_3d } from "./np/stacking.js";
export { nanmax, nanmin, nanargmax, nanargmin, nanprod, nanvar, nanstd } from "./np/nanReductions.js";
export {
  searchsorted,
  digitize,
  interp,
  bincount,
  histogram,
  select,
  nonzero,
  flatnonzero,
  argwhere,
} from "./np/searching.js";
// unique with its optional results, and the Array API's unique_* (np/uniqueResults.ts).
export { unique, unique_values, unique_counts, unique_inverse, unique_all } from "./np/uniqueResults.js";
export type { UniqueReturns } from "./np/uniqueResults.js";
export type {
  Side,
  InterpOptions,
  BincountOptions,
  HistogramOptions,
  NonzeroOptions,
  UniqueOptions,
} from "./np/searching.js";
export { full_like, empty, empty_like, identity, tri, tril_indices, triu_indices } from "./np/creationExtras.js";
export { cov, corrcoef } from "./np/covariance.js";
export type { CovOptions } from "./np/covariance.js";
export { float32, int32, bool_, bool, finfo, iinfo } from "./np/dtypes.js";
// The dtype hierarchy and its queries (np/dtypeKinds.ts).
export {
  dtype,
  issubdtype,
  isdtype,
  result_type,
  can_cast,
  generic,
  number,
  inexact,
  floating,
  complexfloating,
  integer,
  signedinteger,
  unsignedinteger,
} from "./np/dtypeKinds.js";
export type { FloatInfo, IntInfo } from "./np/dtypes.js";
export * as linalg from "./linalg.js";
// The binary functions that are JAX ufuncs, with their methods (np.add.outer, .reduce,
// .accumulate, .at, .reduceat: ufunc/ufuncs.ts), and frompyfunc.
export {
  add,
  multiply,
  subtract,
  maximum,
  minimum,
  logical_and,
  logical_or,
  logical_xor,
  bitwise_and,
  bitwise_or,
  bitwise_xor,
  logaddexp,
  logaddexp2,
  frompyfunc,
} from "./ufunc/ufuncs.js";
export type {
  Ufunc,
  ComplexUfunc,
  PyUfunc,
  UfuncMethods,
  UfuncReduceOptions,
  UfuncAtOptions,
  FrompyfuncOptions,
} from "./ufunc/ufuncs.js";
// Complex arrays (trace/complexValue.ts): these np functions take them; np.fft makes them.
export {
  abs,
  angle,
  astype,
  broadcast_to,
  concatenate,
  conj,
  conjugate,
  divide,
  dot,
  einsum,
  exp,
  expand_dims,
  flip,
  imag,
  iscomplex,
  iscomplexobj,
  isreal,
  isrealobj,
  log,
  matmul,
  mean,
  moveaxis,
  negative,
  pad,
  ravel,
  real,
  reshape,
  roll,
  sqrt,
  square,
  squeeze,
  stack,
  sum,
  swapaxes,
  transpose,
  where,
  zeros,
  zeros_like,
} from "./complex/npDispatch.js";
export * as fft from "./complex/fft.js";
export { power, vdot } from "./complex/complexMore.js";
export { complex64 } from "./complex/complexDtype.js";
// A fifth batch: the array API's names, axis-named splits, append, unravel_index, array_equal.
export { absolute, amax, amin, true_divide, pow, concat, permute_dims, copy } from "./np/arrayApiNames.js";
export { hsplit, vsplit, dsplit, append, unravel_index } from "./np/splitting.js";
export { array_equal } from "./np/series.js";
// 1-D convolution and correlation (np/convolve.ts).
export { convolve, correlate } from "./np/convolve.js";
export type { ConvolveMode, ConvolveOptions } from "./np/convolve.js";
// A seventh batch: structural and set functions (np/structure.ts, matrixBuilders.ts, windows.ts,
// setOps.ts, insertDelete.ts, partition.ts, calculus.ts, functional.ts).
export { array_split, rot90, rollaxis, matrix_transpose, block, resize } from "./np/structure.js";
export type { BlockList } from "./np/structure.js";
export { vander, diagflat, diag_indices, fill_diagonal, vecdot, indices, ix_ } from "./np/matrixBuilders.js";
export type { FillDiagonalOptions, IndicesOptions } from "./np/matrixBuilders.js";
export { geomspace, hanning, hamming, blackman, bartlett, kaiser } from "./np/windows.js";
export { isin, setdiff1d, union1d, intersect1d } from "./np/setOps.js";
export type { SetOptions } from "./np/setOps.js";
export { insert, delete } from "./np/insertDelete.js";
export type { StaticIndices } from "./np/insertDelete.js";
export { partition, argpartition } from "./np/partition.js";
export { gradient, unwrap } from "./np/calculus.js";
export type { GradientOptions, UnwrapOptions } from "./np/calculus.js";
export { apply_along_axis, piecewise } from "./np/functional.js";
export type { Piece } from "./np/functional.js";
// Bitwise and integer functions, float bits, the remaining elementwise names, NaN-skipping scans
// and quantiles.
export { bitwise_not, invert, left_shift, right_shift, gcd, lcm } from "./np/bitwise.js";
export { signbit, copysign, isposinf, isneginf, frexp, ldexp, nextafter } from "./np/floatBits.js";
export { fmod, float_power, rint, fabs, positive, radians, degrees, divmod } from "./np/elementwiseExtras.js";
export { nancumsum, nancumprod, cumulative_sum, cumulative_prod } from "./np/nanCumulative.js";
// Names from the array API and NumPy 2 (np/arrayApiExtras.ts), vectorize (np/vectorize.ts), and
// the bitwise_* spellings of invert and the shifts.
export {
  matvec,
  vecmat,
  diag_indices_from,
  tril_indices_from,
  triu_indices_from,
  ediff1d,
  fromfunction,
  apply_over_axes,
  modf,
  put_along_axis,
  array_equiv,
  unstack,
} from "./np/arrayApiExtras.js";
export type { Ediff1dOptions } from "./np/arrayApiExtras.js";
export { vectorize } from "./np/vectorize.js";
export type { VectorizeOptions } from "./np/vectorize.js";
export {
  invert as bitwise_invert,
  left_shift as bitwise_left_shift,
  right_shift as bitwise_right_shift,
} from "./np/bitwise.js";
export type { CumulativeSumOptions } from "./np/nanCumulative.js";
export { nanquantile, nanpercentile, nanmedian } from "./np/nanQuantile.js";
// Selection by index or mask, orders from several keys, multi-dimensional histograms
// (np/selection.ts, multiIndex.ts, histogramdd.ts), isscalar, and polyfit (an lstsq: lax/).
export { choose, compress, extract, put, place } from "./np/selection.js";
export type { CompressOptions, IndexMode } from "./np/selection.js";
export { lexsort, ravel_multi_index } from "./np/multiIndex.js";
export { histogramdd, histogram2d } from "./np/histogramdd.js";
export type { HistogramddOptions } from "./np/histogramdd.js";
export { isscalar } from "./np/arrayInfo.js";
export { polyfit } from "./lax/polyfit.js";
export type { PolyfitOptions } from "./lax/polyfit.js";
// Polynomial arithmetic (np/polynomials.ts) and the complex-number functions on real inputs
// (np/realParts.ts).
export { polyadd, polysub, polymul, polyder, polyint } from "./np/polynomials.js";
export { i0 } from "./lax/bessel.js";
export { bitwise_count } from "./lax/bits.js";
export type { PolymulOptions } from "./np/polynomials.js";
// Index tricks (np/indexTricks.ts: mgrid["0:5, 0:3"], r_(x, "1:4", 0), s_["1:3, ::2"]), newaxis
// (np/indexExpression.ts), and the remaining names programs use (np/npExtras.ts, polyRoots.ts,
// arrayText.ts).
export { mgrid, ogrid, r_, c_, s_, index_exp } from "./np/indexTricks.js";
export type { Mgrid, Ogrid, AxisConcat, IndexMaker, ConcatItem } from "./np/indexTricks.js";
export { newaxis } from "./np/indexExpression.js";
export type { IndexTuple } from "./np/indexExpression.js";
export { trim_zeros, setxor1d, histogram_bin_edges, spacing, mask_indices, sort_complex } from "./np/npExtras.js";
export type { SetxorOptions, BinEdgesOptions } from "./np/npExtras.js";
export { polydiv } from "./np/polyRoots.js";
export { poly, roots } from "./lax/roots.js"; // roots and poly of a matrix run the QR iteration (lax/)
export type { PolydivOptions } from "./np/polyRoots.js";
export { array_str, array_repr } from "./np/arrayText.js";
export { set_printoptions, get_printoptions, printoptions } from "./printOptions.js";
export type { PrintOptions } from "./printOptions.js";
export type { ArrayTextOptions } from "./np/arrayText.js";
