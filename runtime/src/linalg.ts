// The `np.linalg` namespace: the factorisations and solves of np/linalgNamespace.ts, and qr,
// which runs in a fori_loop and so lives in lax/ (np's files cannot import lax).
export * from "./np/linalgNamespace.js";
export { qr } from "./lax/qr.js";
export type { QrMode } from "./lax/qr.js";
