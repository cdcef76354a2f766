// `debug`, as jax.debug: print values computed on the device, or hand them to a function of
// yours, from eager code or inside jit (trace/debugPrint.ts says how and where it cannot yet).

export { debugPrint as print, debugCallback as callback } from "./trace/debugPrint.js";
