// Runtime configuration: `config({ … })` from user code, defaults from the environment.
// JITSCOPE_BACKEND=cpu|webgpu, JITSCOPE_DISABLE_JIT=1 (every jit becomes a pass-through, as JAX's
// disable_jit), JITSCOPE_REQUIRE_WEBGPU=1 (tests and CI: no adapter is an error, not a fallback),
// JITSCOPE_CHECK_IR=1 (tests: type-check the IR after every compiler pass),
// JITSCOPE_DISABLE_PASSES=fuse,cse (`jitscope profile --ablate`: compile with those passes off).
// JITSCOPE_AUTOTUNE=off|cached|search (default off: kernels are the compiler's defaults, so runs
// are deterministic; cached: reuse the on-disk autotune cache; search: also search the shapes it
// lacks, at first compile), JITSCOPE_AUTOTUNE_BUDGET_MS (per search, default 3000).
// Subgroup lowerings (codegen/subgroupSupport.ts): JITSCOPE_NO_SUBGROUPS=1 (never use subgroups),
// JITSCOPE_ROW_KERNELS=0 (no row-local kernels: softmax and norms stay separate reduction and
// elementwise kernels; also `config({ rowKernels: false })` before the first compile), and
// JITSCOPE_SPLIT_REDUCTIONS=1 (split whole-array reductions on a CPU adapter too).
// JITSCOPE_MATMUL_TRANSPOSED=copy|in-place (measurement: every transposed matmul operand copied
// by a transpose kernel first, or every one read in place; default: per shape,
// codegen/matmulConfig.ts transposedOperandInPlace).
// JITSCOPE_EAGER_SITES=off (`jitscope profile --eager-sites off`): a profiled eager op is not
// attributed to its source line (no stack capture per op: in a loop of tiny ops that capture is
// most of the profiler's cost); its kernel is reported per kernel instead.
// JITSCOPE_LOG_COMPILES=1 (JAX's jax_log_compiles): every jit compilation is logged on stderr.
// JAX's own flag names go through `config.update(name, value)` (configFlags.ts).
// JITSCOPE_TIMESTAMP_QUANTIZATION=1 keeps Dawn's rounding of GPU timestamps to 65.5 µs (a
// browser's guard against timing attacks; off by default here, backend/webgpuDevice.ts).

import type { BackendName } from "@jitscope/contract";

export interface RuntimeConfig {
  backend: BackendName;
  disableJit: boolean;
  requireWebgpu: boolean;
  checkIr: boolean;
  /** Compiler passes turned off (passes/ablation.ts). */
  disabledPasses: readonly string[];
  autotune: AutotuneMode;
  /** Time budget of one autotune search (one kernel shape class), ms. */
  autotuneBudgetMs: number;
  /** Subgroup operations may be used where the device has them. */
  subgroups: boolean;
  /** Row-local kernels (passes/fuseRows.ts) where the device has subgroups (default on). */
  rowKernels: boolean;
  /** Split whole-array reductions on a CPU adapter too (measured slower there, so off). */
  splitReductionsOnCpuAdapters: boolean;
  /** How matmul kernels get a transposed operand: "auto" decides per shape. */
  matmulTransposed: MatmulTransposedMode;
  /** A profiled eager op records its source line (a stack capture per op). */
  eagerCallSites: boolean;
  /** Keep Dawn's timestamp quantization (read when the WebGPU device is created). */
  timestampQuantization: boolean;
  /** Each jit compilation says so on stderr, with the argument types and the reason. */
  logCompiles: boolean;
  /** jax_debug_nans / jax_debug_infs: every op's float results checked (debugNans.ts). */
  debugNans: boolean;
  debugInfs: boolean;
}

/** The device note of a run whose eager ops were not attributed to lines (eagerCallSites off). */
export const EAGER_SITES_OFF_NOTE =
  "eager call sites were not recorded (--eager-sites off): eager kernels are listed per kernel, at no source line";

export type MatmulTransposedMode = "auto" | "copy" | "in-place";

export type AutotuneMode = "off" | "cached" | "search";

function autotuneFromEnv(v: string | undefined): AutotuneMode {
  return v === "cached" || v === "search" ? v : v === "1" || v === "true" ? "search" : "off";
}

const env = typeof process !== "undefined" ? process.env : {};
const current: RuntimeConfig = {
  backend: env.JITSCOPE_BACKEND === "cpu" ? "cpu" : "webgpu",
  disableJit: env.JITSCOPE_DISABLE_JIT === "1" || env.JITSCOPE_DISABLE_JIT === "true",
  requireWebgpu: env.JITSCOPE_REQUIRE_WEBGPU === "1",
  checkIr: env.JITSCOPE_CHECK_IR === "1",
  autotune: autotuneFromEnv(env.JITSCOPE_AUTOTUNE),
  autotuneBudgetMs: Number(env.JITSCOPE_AUTOTUNE_BUDGET_MS) > 0 ? Number(env.JITSCOPE_AUTOTUNE_BUDGET_MS) : 3000,
  subgroups: env.JITSCOPE_NO_SUBGROUPS !== "1",
  rowKernels: env.JITSCOPE_ROW_KERNELS !== "0" && env.JITSCOPE_ROW_KERNELS !== "false",
  splitReductionsOnCpuAdapters: env.JITSCOPE_SPLIT_REDUCTIONS === "1",
  matmulTransposed:
    env.JITSCOPE_MATMUL_TRANSPOSED === "copy" || env.JITSCOPE_MATMUL_TRANSPOSED === "in-place"
      ? env.JITSCOPE_MATMUL_TRANSPOSED
      : "auto",
  timestampQuantization: env.JITSCOPE_TIMESTAMP_QUANTIZATION === "1",
  eagerCallSites: env.JITSCOPE_EAGER_SITES !== "off",
  logCompiles: env.JITSCOPE_LOG_COMPILES === "1" || env.JITSCOPE_LOG_COMPILES === "true",
  debugNans: env.JAX_DEBUG_NANS === "1" || env.JAX_DEBUG_NANS === "true",
  debugInfs: env.JAX_DEBUG_INFS === "1" || env.JAX_DEBUG_INFS === "true",
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
  update: Partial<
    Pick<
      RuntimeConfig,
      | "backend"
      | "disableJit"
      | "disabledPasses"
      | "autotune"
      | "autotuneBudgetMs"
      | "rowKernels"
      | "matmulTransposed"
      | "eagerCallSites"
      | "logCompiles"
      | "debugNans"
      | "debugInfs"
    >
  >,
): RuntimeConfig {
  const prev = { ...current };
  if (update.backend !== undefined) {
    if (update.backend !== "webgpu" && update.backend !== "cpu") {
      throw new Error(`config: backend must be "webgpu" or "cpu", got ${JSON.stringify(update.backend)}`);
    }
    current.backend = update.backend;
  }
  if (update.disableJit !== undefined) current.disableJit = Boolean(update.disableJit);
  if (update.rowKernels !== undefined) current.rowKernels = Boolean(update.rowKernels);
  if (update.eagerCallSites !== undefined) current.eagerCallSites = Boolean(update.eagerCallSites);
  if (update.logCompiles !== undefined) current.logCompiles = Boolean(update.logCompiles);
  if (update.debugNans !== undefined) current.debugNans = Boolean(update.debugNans);
  if (update.debugInfs !== undefined) current.debugInfs = Boolean(update.debugInfs);
  if (update.autotune !== undefined) {
    if (!["off", "cached", "search"].includes(update.autotune)) {
      throw new Error(`config: autotune must be "off", "cached" or "search", got ${JSON.stringify(update.autotune)}`);
    }
    current.autotune = update.autotune;
  }
  if (update.autotuneBudgetMs !== undefined) {
    if (!(update.autotuneBudgetMs > 0)) throw new Error("config: autotuneBudgetMs must be a number of ms > 0");
    current.autotuneBudgetMs = update.autotuneBudgetMs;
  }
  if (update.disabledPasses !== undefined) current.disabledPasses = [...update.disabledPasses];
  if (update.matmulTransposed !== undefined) {
    if (!["auto", "copy", "in-place"].includes(update.matmulTransposed)) {
      throw new Error(
        `config: matmulTransposed must be "auto", "copy" or "in-place", got ${JSON.stringify(update.matmulTransposed)}`,
      );
    }
    current.matmulTransposed = update.matmulTransposed;
  }
  return prev;
}
