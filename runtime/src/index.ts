// The public API of JIT Scope's runtime (`import { np, jit, … } from "jitscope"`).
// Loading it initialises the backend once (top-level await): WebGPU through Dawn when an
// adapter exists, else the CPU reference backend with one notice on stderr.

import { initBackends } from "./backend/select.js";

await initBackends();

export * as np from "./np.js";
export * as nn from "./nn.js";
export * as lax from "./lax.js";
export * as random from "./random.js";
export { jit } from "./trace/jit.js";
export { grad, valueAndGrad } from "./trace/grad.js";
export { jvp } from "./trace/jvp.js";
export { vjp } from "./trace/vjp.js";
export { vmap } from "./trace/vmap.js";
export { stopGradient } from "./trace/stopGradient.js";
export { Tracer as Array } from "./trace/core.js";
export { ConcreteArray } from "./array.js";
export { config, getConfig } from "./config.js";
export { profile } from "./profile.js";
export type { Report, SweepOptions, SweepResult } from "./profile.js";
export { JitScopeError } from "./ir/errors.js";
export { currentBackend, initWebGpu } from "./backend/select.js";
export type { DType } from "./ir/types.js";
