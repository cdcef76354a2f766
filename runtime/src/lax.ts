// `lax`: JAX's lower-level operations that have no NumPy name.

export { rsqrt } from "./np/mathSurface.js";
export { stopGradient as stop_gradient } from "./trace/stopGradient.js";
export { top_k } from "./lax/topK.js";
