// `debug`, as jax.debug: print values computed on the device, from eager code or inside jit
// (trace/debugPrint.ts says how and where it cannot yet).

export { debugPrint as print } from "./trace/debugPrint.js";
