// `lax`: JAX's lower-level operations that have no NumPy name.

export { conv_general_dilated, conv } from "./lax/conv.js";
export type { ConvOptions, DimensionNumbers, Padding } from "./lax/conv.js";
export { reduce_window } from "./lax/window.js";
export type { WindowOp } from "./lax/window.js";
