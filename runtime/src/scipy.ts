// `scipy`: jax.scipy's special functions, distributions and linear algebra (scipy/special.ts,
// scipy/stats.ts, scipy/linalg.ts).

export * as special from "./scipy/special.js";
export * as stats from "./scipy/stats.js";
export * as linalg from "./scipy/linalg.js";
