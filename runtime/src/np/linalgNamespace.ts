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
