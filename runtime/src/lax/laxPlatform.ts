// lax.platform_dependent and lax.composite. JAX stages every platform's branch and picks one when
// it lowers; we trace for one backend at a time, so the branch is picked when the call is traced:
// "cpu" on the CPU reference backend, "webgpu" on WebGPU, else "default". JAX's other platform
// names (cuda, rocm, tpu, …) are accepted and never chosen, so code written for JAX runs its
// default branch here. A composite is its decomposition (what JAX runs on a backend that does not
// know the composite's name), called inside a named scope so the graph shows it as one group.

import { getConfig } from "../config.js";
import { JitScopeError } from "../ir/errors.js";
import { named_scope } from "../trace/namedScope.js";

/** Branches by platform name (cpu, webgpu, or JAX's cuda / rocm / tpu), and a default. */
export type PlatformBranches<R> = { readonly default?: (...args: never[]) => R } & {
  readonly [platform: string]: ((...args: never[]) => R) | undefined;
};

/**
 * lax.platform_dependent(...args, { cpu, webgpu, cuda, …, default }): the branch of the backend
 * being traced for, called with args. The branches object comes last (JAX's keywords).
 */
export function platform_dependent<R>(...argsAndBranches: [...unknown[], PlatformBranches<R>]): R {
  const op = "lax.platform_dependent";
  const branches = argsAndBranches.at(-1);
  if (typeof branches !== "object" || branches === null || Array.isArray(branches))
    throw new JitScopeError(
      "value",
      `${op}: the last argument must be the branches by platform, e.g. { cpu: f, default: g }, got ${branches === null ? "null" : typeof branches}`,
    );
  const table = branches as Record<string, unknown>;
  for (const [name, fn] of Object.entries(table)) {
    if (name === "gpu")
      throw new JitScopeError("value", `${op}: use 'webgpu' (or JAX's 'cuda' / 'rocm') instead of 'gpu'`);
    if (typeof fn !== "function")
      throw new JitScopeError("value", `${op}: the '${name}' branch must be a function, got ${typeof fn}`);
  }
  const platform = getConfig().backend;
  const chosen = table[platform] ?? table.default;
  if (chosen === undefined)
    throw new JitScopeError(
      "value",
      `${op}: no branch for the platform '${platform}' and no default (branches: ${Object.keys(table).join(", ") || "none"})`,
    );
  return (chosen as (...args: unknown[]) => R)(...argsAndBranches.slice(0, -1));
}

/**
 * lax.composite(decomposition, name, version): a function that calls decomposition, its ops
 * grouped under `name` in the graph (JAX's decorator: `composite(fn, "my.gelu")`).
 */
export function composite<F extends (...args: never[]) => unknown>(decomposition: F, name: string, version = 0): F {
  const op = "lax.composite";
  if (typeof decomposition !== "function")
    throw new JitScopeError("value", `${op}: decomposition must be a function, got ${typeof decomposition}`);
  if (typeof name !== "string" || name.trim() === "")
    throw new JitScopeError("value", `${op}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (!Number.isInteger(version) || version < 0)
    throw new JitScopeError("value", `${op}: version must be a non-negative integer, got ${String(version)}`);
  return ((...args: Parameters<F>) => named_scope(name, () => decomposition(...args))) as F;
}
