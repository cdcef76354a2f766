// The `np.linalg` namespace: the factorisations and solves of np/linalgNamespace.ts, and qr,
// which runs in a fori_loop and so lives in lax/ (np's files cannot import lax).
export * from "./np/linalgNamespace.js";
export { qr } from "./lax/qr.js";
export type { QrMode } from "./lax/qr.js";
// The eigen- and singular-value routines run parallel Jacobi rotations in a fori_loop (lax/eigh.ts,
// svd.ts), and what they make possible: pinv, lstsq, matrix_rank, and the norms ord 2, -2, "nuc".
export { eigh, eigvalsh } from "./lax/eigh.js";
export type { EighOptions } from "./lax/eigh.js";
export { eig, eigvals } from "./lax/eigGeneral.js"; // general matrices: complex Schur by QR
export { svd, svdvals } from "./lax/svd.js";
export type { SvdOptions } from "./lax/svd.js";
export { pinv, lstsq, matrix_rank } from "./lax/svdSolvers.js";
export type { PinvOptions, LstsqOptions, MatrixRankOptions } from "./lax/svdSolvers.js";
export { matrix_norm, cond } from "./lax/spectralNorms.js";
export { norm } from "./complex/complexMore.js";
export { tensordot } from "./np/matrixSurface.js";
