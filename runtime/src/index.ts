// The public API of JIT Scope's runtime (`import { np, jit, … } from "jitscope"`).
// Loading it initialises the backend once (top-level await): WebGPU through Dawn when an
// adapter exists, else the CPU reference backend with one notice on stderr.

import { initBackends } from "./backend/select.js";

await initBackends();

export * as np from "./np.js";
import "./jsIsms.js"; // after np.js, which installs the array methods (jsIsms wraps `at`)
export * as nn from "./nn.js";
export * as lax from "./lax.js";
export * as random from "./randomNamespace.js";
export * as tree from "./tree.js";
export * as tree_util from "./tree.js";
export * as flatten_util from "./flattenUtil.js";
export * as optim from "./optim.js";
export * as ops from "./opsSegment.js";
export * as scipy from "./scipy.js";
export * as image from "./image.js";
export * as ode from "./ode.js";
export * as debug from "./debug.js";
export { effectsBarrier as effects_barrier } from "./trace/debugPrint.js";
export { jit } from "./trace/jit.js";
// JAX's names, with the earlier camelCase spellings kept as aliases (README, "Names").
export { grad, valueAndGrad, valueAndGrad as value_and_grad } from "./trace/grad.js";
export { jvp } from "./trace/jvp.js";
export { jacfwd, jacrev, jacrev as jacobian, hessian } from "./trace/jacobian.js";
export { vjp } from "./trace/vjp.js";
export { linearize } from "./trace/linearize.js";
export { linear_transpose } from "./trace/linearTranspose.js";
export { closure_convert } from "./trace/closureConvert.js";
export { vmap } from "./trace/vmap.js";
export { pmap, device_count, local_device_count } from "./trace/pmap.js";
export type { PmapOptions } from "./trace/pmap.js";
export { stopGradient, stopGradient as stop_gradient } from "./trace/stopGradient.js";
export { custom_vjp, custom_jvp, custom_vjp as customVjp, custom_jvp as customJvp } from "./trace/custom.js";
export type { CustomVjpFunction, CustomJvpFunction, CustomOptions } from "./trace/custom.js";
export { custom_gradient } from "./trace/customGradient.js";
export * as custom_batching from "./customBatching.js";
export { named_scope, named_scope as namedScope } from "./trace/namedScope.js";
export {
  named_call,
  clear_caches,
  typeof_ as typeof,
  ensure_compile_time_eval,
  ShapedArray,
} from "./trace/jaxUtilities.js";
export { checkpoint, checkpoint as remat } from "./trace/checkpoint.js";
export type { CheckpointOptions } from "./trace/checkpoint.js";
export { checkpoint_policies } from "./trace/checkpointPolicies.js";
export {
  device_put,
  device_get,
  block_until_ready,
  devices,
  devices as local_devices,
  default_backend,
} from "./devicePut.js";
export type { DeviceInfo } from "./devicePut.js";
export { eval_shape, make_jaxpr, ShapeDtypeStruct, Jaxpr } from "./trace/abstractEval.js";
export type { CheckpointPolicy } from "./trace/checkpointPolicies.js";
export { Tracer as Array } from "./trace/core.js";
export { ConcreteArray } from "./array.js";
export { Complex } from "./trace/complexValue.js";
export { getConfig } from "./config.js";
export { config, disable_jit } from "./configFlags.js";
export { profile } from "./profile.js";
export type { Report, SweepOptions, SweepResult } from "./profile.js";
export { JitScopeError } from "./ir/errors.js";
export { currentBackend, initWebGpu } from "./backend/select.js";
export type { DType } from "./ir/types.js";
export * from "./bundleMarks.js"; // what a profiled bundle's call-site marks call
