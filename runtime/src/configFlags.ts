// JAX's spelling of the settings: `config.update("jax_disable_jit", true)`, as the first lines of
// many JAX programs write them, and `disable_jit(() => …)` for JAX's `with jax.disable_jit():`.
// A flag this runtime cannot honour is not ignored silently: jax_enable_x64 warns once on stderr
// and the program runs on (32-bit), so a ported program can still be profiled; jax_debug_nans and
// jax_debug_infs check each op on the CPU backend and warn on WebGPU (debugNans.ts). Flags that change nothing here (a matmul precision: every matmul accumulates in
// float32 already) are accepted; unknown names are an error that lists the known ones.

import { config as setConfig, type RuntimeConfig } from "./config.js";
import { likelyMeant } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";

type Update = Parameters<typeof setConfig>[0];

const flags: Record<string, (value: unknown) => void> = {
  jax_disable_jit: (v) => void setConfig({ disableJit: bool("jax_disable_jit", v) }),
  jax_log_compiles: (v) => void setConfig({ logCompiles: bool("jax_log_compiles", v) }),
  jax_platform_name: (v) => void setConfig({ backend: platform("jax_platform_name", v) }),
  jax_platforms: (v) => void setConfig({ backend: platform("jax_platforms", v) }),
  jax_enable_x64: (v) => {
    if (bool("jax_enable_x64", v))
      warnOnce(
        "jax_enable_x64",
        "jax_enable_x64 is not available: WebGPU has no float64 or int64, so arrays stay 32-bit (float32, int32); results may differ from JAX's in float64 in the last digits",
      );
  },
  jax_default_matmul_precision: (v) => {
    const ok = ["default", "high", "highest", "bfloat16", "tensorfloat32", "float32", "fastest"];
    if (v !== null && !ok.includes(String(v)))
      throw new JitScopeError(
        "value",
        `config.update: jax_default_matmul_precision must be one of ${ok.join(", ")} or null, got ${JSON.stringify(v)}`,
      );
    // Nothing to change: every matmul here multiplies and accumulates in float32 ("highest").
  },
  // Checked as each op runs on the CPU reference backend (debugNans.ts); WebGPU warns.
  jax_debug_nans: (v) => void setConfig({ debugNans: bool("jax_debug_nans", v) }),
  jax_debug_infs: (v) => void setConfig({ debugInfs: bool("jax_debug_infs", v) }),
};

function bool(name: string, v: unknown): boolean {
  if (typeof v !== "boolean" && v !== 0 && v !== 1)
    throw new JitScopeError("value", `config.update: ${name} takes true or false, got ${JSON.stringify(v)}`);
  return Boolean(v);
}

function platform(name: string, v: unknown): RuntimeConfig["backend"] {
  if (typeof v !== "string")
    throw new JitScopeError(
      "value",
      `config.update: ${name} takes a platform name such as "cpu" or "gpu", got ${typeof v}`,
    );
  // The first platform listed that this runtime has: "cpu" is the CPU reference backend, any
  // accelerator name ("gpu", "cuda", "rocm", "metal", "tpu", "webgpu") is WebGPU.
  const first = v.split(",")[0]!.trim().toLowerCase();
  if (first === "cpu") return "cpu";
  if (["gpu", "cuda", "rocm", "metal", "tpu", "webgpu"].includes(first)) return "webgpu";
  throw new JitScopeError("value", `config.update: ${name}: unknown platform ${JSON.stringify(v)}; use "cpu" or "gpu"`);
}

const warned = new Set<string>();
function warnOnce(name: string, message: string): void {
  if (warned.has(name)) return;
  warned.add(name);
  console.warn(`jitscope: config.update: ${message}`);
}

/** JAX's `jax.config.update(name, value)` for the flags above; any other name is an error that
 *  lists them. */
export function update(name: string, value: unknown): void {
  const set = Object.hasOwn(flags, name) ? flags[name] : undefined;
  if (!set) {
    const meant = typeof name === "string" ? likelyMeant(name, Object.keys(flags)) : undefined;
    throw new JitScopeError(
      "value",
      `config.update: unknown or unsupported flag ${JSON.stringify(name)}${meant ? ` (did you mean ${meant}?)` : ""}; this runtime reads ${Object.keys(flags).join(", ")}`,
    );
  }
  set(value);
}

/** `config({ … })` with JAX's `config.update(name, value)` beside it. */
export const config = Object.assign((u: Update) => setConfig(u), { update });

/** JAX's `with jax.disable_jit():` as a function: runs `body` with every jit a pass-through and
 *  returns its result (awaited first when it is a promise), restoring the setting after. */
export function disable_jit<R>(body: () => R): R {
  if (typeof body !== "function")
    throw new JitScopeError("value", "disable_jit: pass the code to run as a function: disable_jit(() => step(x))");
  const prev = setConfig({ disableJit: true });
  let result: R;
  try {
    result = body();
  } catch (e) {
    setConfig({ disableJit: prev.disableJit });
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => setConfig({ disableJit: prev.disableJit })) as R;
  setConfig({ disableJit: prev.disableJit });
  return result;
}
