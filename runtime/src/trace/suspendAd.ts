// A region in which the grads and jvps already running see constants: every op on their tracers
// is computed on the primal values and gets no tape node or tangent, as if each input were
// wrapped in stop_gradient. lax.custom_root and custom_linear_solve run the user's solver here,
// so that a while_loop solver over a function closing over differentiated parameters runs (JAX
// reaches the same by tracing the solver into a primitive whose derivative is given by a rule).
// Transformations begun inside the region (a grad the solver itself takes) differentiate as usual.

import { activeMains } from "./core.js";

let suspendedThrough = -1;

/** Runs `fn` with every transformation now active treating its values as constants. */
export function withoutDifferentiation<R>(fn: () => R): R {
  const prev = suspendedThrough;
  suspendedThrough = activeMains().length - 1;
  try {
    return fn();
  } finally {
    suspendedThrough = prev;
  }
}

/** Whether the AD trace at `level` is inside a withoutDifferentiation region begun above it. */
export function differentiationSuspended(level: number): boolean {
  return level <= suspendedThrough;
}
