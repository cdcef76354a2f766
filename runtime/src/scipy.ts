// `scipy`: jax.scipy's special functions and distributions (scipy/special.ts, scipy/stats.ts).

export * as special from "./scipy/special.js";
export * as stats from "./scipy/stats.js";
