// Runtime configuration: `config({ … })` from user code, defaults from the environment.
// JITSCOPE_BACKEND=cpu|webgpu, JITSCOPE_DISABLE_JIT=1 (every jit becomes a pass-through, as JAX's
// disable_jit), JITSCOPE_REQUIRE_WEBGPU=1 (tests and CI: no adapter is an error, not a fallback),
// JITSCOPE_CHECK_IR=1 (tests: type-check the IR after every compiler pass),
// JITSCOPE_DISABLE_PASSES=fuse,cse (`jitscope profile --ablate`: compile with those passes off).

import type { BackendName } from "@jitscope/contract";

export interface RuntimeConfig {
  backend: BackendName;
  disableJit: boolean;
  requireWebgpu: boolean;
  checkIr: boolean;
  /** Compiler passes turned off (passes/ablation.ts). */
  disabledPasses: readonly string[];
}

const env = typeof process !== "undefined" ? process.env : {};
const current: RuntimeConfig = {
  backend: env.JITSCOPE_BACKEND === "cpu" ? "cpu" : "webgpu",
  disableJit: env.JITSCOPE_DISABLE_JIT === "1" || env.JITSCOPE_DISABLE_JIT === "true",
  requireWebgpu: env.JITSCOPE_REQUIRE_WEBGPU === "1",
  checkIr: env.JITSCOPE_CHECK_IR === "1",
  disabledPasses: (env.JITSCOPE_DISABLE_PASSES ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== ""),
};

export function getConfig(): Readonly<RuntimeConfig> {
  return current;
}

/** Change settings; returns the previous ones (handy for `try { … } finally { config(prev) }`). */
export function config(
  update: Partial<Pick<RuntimeConfig, "backend" | "disableJit" | "disabledPasses">>,
): RuntimeConfig {
  const prev = { ...current };
  if (update.backend !== undefined) {
    if (update.backend !== "webgpu" && update.backend !== "cpu") {
      throw new Error(`config: backend must be "webgpu" or "cpu", got ${JSON.stringify(update.backend)}`);
    }
    current.backend = update.backend;
  }
  if (update.disableJit !== undefined) current.disableJit = Boolean(update.disableJit);
  if (update.disabledPasses !== undefined) current.disabledPasses = [...update.disabledPasses];
  return prev;
}
