// `scipy.sparse`, as jax.scipy.sparse: its one submodule, the Krylov solvers.

export * as linalg from "./sparseLinalg.js";
