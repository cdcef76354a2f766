// `stopGradient(x)`: the same value, treated as a constant by grad and jvp (JAX's
// lax.stop_gradient). It emits no equation: it unwraps x's tangent or tape node at every AD
// level and keeps vmap's batch axis, so it costs nothing under jit. Inside a loop body, which AD
// re-evaluates later, it leaves a marked identity instead (trace/stoppedVars.ts).

import { bind, Tracer } from "./core.js";
import { JitTracer } from "./jitTrace.js";
import { markStopped, setStopGradient } from "./stoppedVars.js";
import { flatten, unflatten } from "./pytree.js";
import { JVPTracer } from "./jvp.js";
import { VJPTracer } from "./vjp.js";
import { VmapTracer } from "./vmap.js";

/** Works on an array or a pytree of arrays. */
export function stopGradient<T>(x: T): T {
  if (!(x instanceof Tracer)) {
    if (x === null || typeof x !== "object") return x;
    const { leaves, treedef } = flatten(x, "stopGradient argument");
    return unflatten<T>(
      treedef,
      leaves.map((l) => stopGradient(l)),
    );
  }
  if (x instanceof VJPTracer) return new VJPTracer(x.ownTrace, stopGradient(x.primal), null) as T;
  if (x instanceof JVPTracer) return new JVPTracer(x.ownTrace, stopGradient(x.primal), null) as T;
  if (x instanceof VmapTracer) return new VmapTracer(x.ownTrace, stopGradient(x.value), x.bdim) as T;
  if (x instanceof JitTracer && x.ownTrace.main.kind === "body") {
    const y = bind("reshape", { shape: x.shape }, [x])[0]!;
    if (y instanceof JitTracer) markStopped(y.v);
    return y as T;
  }
  return x;
}

setStopGradient((x) => stopGradient(x));
