// `lax`: JAX's lower-level operations that have no NumPy name.

export { conv_general_dilated, conv } from "./lax/conv.js";
export type { ConvOptions, DimensionNumbers, Padding } from "./lax/conv.js";
export { reduce_window } from "./lax/window.js";
export type { WindowOp } from "./lax/window.js";
export { rsqrt } from "./np/mathSurface.js";
export { erf, erfc } from "./lax/special.js";
export { stopGradient as stop_gradient } from "./trace/stopGradient.js";
export { top_k } from "./lax/topK.js";
export {
  dynamic_slice,
  dynamic_update_slice,
  dynamic_slice_in_dim,
  dynamic_index_in_dim,
  dynamic_update_slice_in_dim,
  dynamic_update_index_in_dim,
} from "./lax/dynamicSlice.js";
export type { StartIndex } from "./lax/dynamicSlice.js";
// Structured control flow (scan, fori_loop, while_loop, map): lax/control.ts; cond, switch: lax/branches.ts. Under
// jit on WebGPU a while_loop runs on the device, its flag read once per chunk (backend/webgpuWhile.ts).
export { scan, fori_loop, while_loop, map } from "./lax/control.js";
export { cond, switch } from "./lax/branches.js";
export type { ScanOptions, MapOptions } from "./lax/control.js";
export { associative_scan } from "./lax/associativeScan.js";
export type { AssociativeScanOptions } from "./lax/associativeScan.js";
