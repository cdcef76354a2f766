// What `np.linalg` holds: norm, and the factorisations with what is built on them.

export { norm } from "./norm.js";
export type { NormOrd, NormOptions } from "./norm.js";
export { cholesky } from "./cholesky.js";
export type { CholeskyOptions } from "./cholesky.js";
export { solve_triangular } from "./solveTriangular.js";
export type { SolveTriangularOptions } from "./solveTriangular.js";
export { solve, inv } from "./solve.js";
export { det, slogdet } from "./det.js";
export { cho_solve } from "./choSolve.js";
// The array API's names (np/linalgArrayApi.ts): last-two-axes trace and diagonal, 1-D outer,
// cross along an axis, the norms by kind, multi_dot, matrix_power, tensorsolve, tensorinv.
export {
  trace,
  diagonal,
  outer,
  cross,
  matmul,
  vector_norm,
  matrix_norm,
  multi_dot,
  matrix_power,
  tensorsolve,
  tensorinv,
} from "./linalgArrayApi.js";
export type { VectorNormOptions, MatrixNormOrd } from "./linalgArrayApi.js";
// jnp.linalg's names for two of np's (np/matrixBuilders.ts, np/structure.ts).
export { vecdot } from "./matrixBuilders.js";
export { matrix_transpose } from "./structure.js";
