// `scipy`: jax.scipy's special functions, distributions, linear algebra and convolutions
// (scipy/special.ts, scipy/stats.ts, scipy/linalg.ts, scipy/signal.ts), map_coordinates
// (scipy/ndimage.ts), minimize (scipy/optimize.ts), the Krylov solvers (scipy/sparse.ts), the
// discrete cosine transforms (scipy/fft.ts), trapezoid (scipy/integrate.ts),
// RegularGridInterpolator (scipy/interpolate.ts), vq (scipy/cluster.ts) and Rotation and Slerp
// (scipy/spatial.ts).

export * as special from "./scipy/special.js";
export * as stats from "./scipy/stats.js";
export * as linalg from "./scipy/linalg.js";
export * as signal from "./scipy/signal.js";
export * as ndimage from "./scipy/ndimage.js";
export * as optimize from "./scipy/optimize.js";
export * as sparse from "./scipy/sparse.js";
export * as fft from "./scipy/fft.js";
export * as integrate from "./scipy/integrate.js";
export * as interpolate from "./scipy/interpolate.js";
export * as cluster from "./scipy/cluster.js";
export * as spatial from "./scipy/spatial.js";
