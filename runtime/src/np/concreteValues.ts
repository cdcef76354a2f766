// Values a function needs on the host, now: the jnp functions whose result's shape depends on the
// values (trim_zeros, polydiv's trim_leading_zeros, mask_indices without size) or that print them
// (array_str). JAX asks for concrete input there; here "concrete" is a JS number or list, or an
// array the CPU backend holds (read synchronously). A WebGPU array's values come back only
// asynchronously, and a tracer's not at all, so both are refused with the way round.

import { ConcreteArray } from "../array.js";
import { isCpuBackend } from "../backend/cpu.js";
import { config } from "../config.js";
import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { Tracer } from "../trace/core.js";
import { array } from "./creation.js";
import { avalText } from "./validate.js";

export interface HostValues {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** x's values, shape and dtype when they are on the host, else null. */
export function valuesNow(x: unknown): HostValues | null {
  if (x instanceof ConcreteArray && !x.isDisposed && isCpuBackend(x.backend))
    return { data: x.backend.hostData(x.device), shape: x.shape, dtype: x.dtype };
  if (x instanceof Tracer) return null;
  // A number or list: made on the CPU backend so it can be read back at once.
  const t = onCpu(() => array(x as number));
  return valuesNow(t);
}

/** x's values on the host, or an error saying why they are not and what to pass instead. */
export function concreteValues(op: string, x: unknown): HostValues {
  const v = valuesNow(x);
  if (v) return v;
  const t = x as Tracer;
  const why =
    t instanceof ConcreteArray
      ? `its values are on ${t.backend.name} and reach the host only asynchronously; pass \`await x.toArray()\``
      : "its values are not known while tracing (as JAX, it is not compatible with jit, grad or vmap)";
  throw new JitScopeError("value", `${op}: needs concrete values, but ${avalText(t.aval)}: ${why}`);
}

/** `fn` run on the CPU backend (its arrays readable at once), then the backend as it was. */
export function onCpu<T>(fn: () => T): T {
  const prev = config({ backend: "cpu" });
  try {
    return fn();
  } finally {
    config({ backend: prev.backend });
  }
}
