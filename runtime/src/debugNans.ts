// jax_debug_nans / jax_debug_infs: with the flag set, every op's float32 results are checked as
// it runs, and the first op to produce a NaN (or ±inf) stops the program with JAX's
// FloatingPointError ("invalid value (nan) encountered in log") at the user's line. A jitted
// call is checked on its outputs; when one is invalid, the function runs again op by op, without
// jit, as JAX's de-optimized rerun does, so the error names the op and line that made it.
// The checks read values as they are made, which only the CPU reference backend can do
// synchronously: on WebGPU a flag set warns once and nothing is checked.

import type { Backend, DeviceArray } from "./backend/backend.js";
import { isCpuBackend } from "./backend/cpu.js";
import { getConfig } from "./config.js";
import { JitScopeError } from "./ir/errors.js";
import type { SourceLocation } from "./ir/types.js";

let warnedDevice = false;

/** What the flags ask to be checked on `backend` (null: nothing). */
export function invalidValueChecks(backend: Backend): { nans: boolean; infs: boolean } | null {
  const { debugNans: nans, debugInfs: infs } = getConfig();
  if (!nans && !infs) return null;
  if (isCpuBackend(backend)) return { nans, infs };
  if (!warnedDevice) {
    warnedDevice = true;
    console.warn(
      `jitscope: ${nans ? "jax_debug_nans" : "jax_debug_infs"} checks values as each op makes them, which the CPU reference backend does and WebGPU cannot (its values are read asynchronously): nothing is checked on ${backend.name}; run with --backend cpu (or config.update("jax_platforms", "cpu")) to find the op`,
    );
  }
  return null;
}

/** "nan" or "inf" when one of the float32 arrays holds what the flags look for, else null. */
function invalidIn(
  backend: Backend,
  arrays: readonly DeviceArray[],
  checks: { nans: boolean; infs: boolean },
): "nan" | "inf" | null {
  if (!isCpuBackend(backend)) return null;
  for (const a of arrays) {
    if (a.aval.dtype !== "float32") continue;
    const data = backend.hostData(a);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (checks.nans && Number.isNaN(v)) return "nan";
      if (checks.infs && (v === Infinity || v === -Infinity)) return "inf";
    }
  }
  return null;
}

/** After an eager op: its results checked, JAX's FloatingPointError at the user's line. */
export function checkOpResults(
  backend: Backend,
  prim: string,
  outs: readonly DeviceArray[],
  location: () => SourceLocation | null,
): void {
  const checks = invalidValueChecks(backend);
  if (!checks) return;
  const found = invalidIn(backend, outs, checks);
  if (found)
    throw new JitScopeError(
      "floating",
      `invalid value (${found}) encountered in ${prim} (jax_debug_${found}s is set)`,
      location(),
    );
}

/** After a jitted call: whether an output holds what the flags look for. */
export function invalidOutputs(backend: Backend, outs: readonly DeviceArray[]): "nan" | "inf" | null {
  const checks = invalidValueChecks(backend);
  return checks ? invalidIn(backend, outs, checks) : null;
}

/** JAX's error when the de-optimized rerun made no invalid value (the jitted program did). */
export function rerunFoundNothing(fname: string, found: "nan" | "inf", why: string | null): JitScopeError {
  return new JitScopeError(
    "floating",
    `invalid value (${found}) encountered in jit(${fname}) (jax_debug_${found}s is set). ` +
      (why ??
        "The function run again op by op, without jit, produced no invalid value, so it comes from how the compiled program computes: a fused kernel's order of operations, or a value that only overflows in float32 there"),
  );
}
