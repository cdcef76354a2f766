// `scipy`: jax.scipy's special functions, distributions, linear algebra and convolutions
// (scipy/special.ts, scipy/stats.ts, scipy/linalg.ts, scipy/signal.ts), map_coordinates
// (scipy/ndimage.ts), minimize (scipy/optimize.ts) and the Krylov solvers (scipy/sparse.ts).

export * as special from "./scipy/special.js";
export * as stats from "./scipy/stats.js";
export * as linalg from "./scipy/linalg.js";
export * as signal from "./scipy/signal.js";
export * as ndimage from "./scipy/ndimage.js";
export * as optimize from "./scipy/optimize.js";
export * as sparse from "./scipy/sparse.js";
