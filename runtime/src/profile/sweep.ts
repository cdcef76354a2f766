// profile.sweep: the seed post's experiment for any function. For each N in `calls`, the total
// wall time of N calls eagerly (jit disabled) and through a fresh jit (so the first call pays the
// compile), waiting for the last result each time. The result goes into the report's
// `comparison.sweeps` and is returned.

import { captureUserLocation } from "../ir/location.js";
import { recorder as processRecorder, type ProfileRecorder } from "./recorder.js";
import type { SweepPoint, SweepResult } from "@jitscope/contract";
import { breakEvenCalls, median } from "./stats.js";

export interface SweepOptions {
  /** Numbers of calls to time (default: JITSCOPE_COMPARE_CALLS, else 10, 100, 1000). */
  calls?: readonly number[];
}

/** What sweep needs from the runtime (jit, config); injected so the timing logic stands alone. */
export interface SweepRuntime {
  jit<F extends (...args: never[]) => unknown>(
    f: F,
    opts?: { name?: string },
  ): (...args: Parameters<F>) => ReturnType<F>;
  config(update: { disableJit?: boolean }): { disableJit: boolean };
  /** Where the result is recorded (default: the process-wide recorder). */
  recorder?: ProfileRecorder;
}

export const DEFAULT_SWEEP_CALLS = [10, 100, 1000] as const;

export function sweepCallsFromEnv(env: Record<string, string | undefined>): number[] | null {
  const raw = env.JITSCOPE_COMPARE_CALLS;
  if (!raw) return null;
  const n = raw
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((v) => Number.isInteger(v) && v > 0);
  return n.length ? n.sort((a, b) => a - b) : null;
}

/** Waits for every array in a result (arrays, nested lists, objects) to be computed. */
async function settle(value: unknown): Promise<void> {
  if (value === null || typeof value !== "object") return;
  const ready = (value as { blockUntilReady?: unknown }).blockUntilReady;
  if (typeof ready === "function") {
    await (ready as () => Promise<unknown>).call(value);
    return;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) await settle(v);
}

async function timeCalls(f: (...a: never[]) => unknown, args: readonly unknown[], n: number): Promise<number> {
  const call = f as (...a: unknown[]) => unknown;
  const t0 = performance.now();
  let out: unknown;
  for (let i = 0; i < n; i++) out = call(...args);
  await settle(out);
  return performance.now() - t0;
}

export async function runSweep<F extends (...args: never[]) => unknown>(
  rt: SweepRuntime,
  name: string,
  fn: F,
  args: Parameters<F>,
  opts: SweepOptions = {},
): Promise<SweepResult> {
  const location = captureUserLocation();
  const recorder = rt.recorder ?? processRecorder;
  const calls = [...(opts.calls ?? sweepCallsFromEnv(process.env) ?? DEFAULT_SWEEP_CALLS)]
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
  // The eager run of --compare skips sweeps: the jit run measures both modes itself.
  if (process.env.JITSCOPE_SKIP_SWEEPS === "1")
    return { name, location, points: [], compileMs: 0, breakEvenCalls: null };
  const prev = rt.config({ disableJit: false });
  // The sweep's own thousands of calls would drown the script's profile (and recording would
  // slow what it measures): they are timed by wall clock only.
  const resume = recorder.suspend();
  const points: SweepPoint[] = [];
  let compileMs = 0;
  let eagerPerCall = 0;
  let jitPerCall = 0;
  try {
    // Warm both paths once (pipelines, buffers) so N = 10 does not measure first-use costs.
    rt.config({ disableJit: true });
    await timeCalls(fn, args, 1);
    rt.config({ disableJit: false });

    // Compile cost: a fresh jit's first call minus its steady per-call time.
    const probe = rt.jit(fn, { name });
    const first = await timeCalls(probe, args, 1);
    const steadySamples: number[] = [];
    for (let i = 0; i < 3; i++) steadySamples.push(await timeCalls(probe, args, 1));
    const steady = median(steadySamples);
    compileMs = Math.max(0, first - steady);

    for (const n of calls) {
      rt.config({ disableJit: true });
      const eagerMs = await timeCalls(fn, args, n);
      rt.config({ disableJit: false });
      const jitMs = await timeCalls(rt.jit(fn, { name }), args, n);
      points.push({ calls: n, eagerMs, jitMs });
    }
    const last = points[points.length - 1];
    if (last) {
      eagerPerCall = last.eagerMs / last.calls;
      jitPerCall = Math.max(0, last.jitMs - compileMs) / last.calls;
    }
  } finally {
    rt.config({ disableJit: prev.disableJit });
    resume();
  }
  const result: SweepResult = {
    name,
    location,
    points,
    compileMs,
    breakEvenCalls: breakEvenCalls(compileMs, eagerPerCall, jitPerCall),
  };
  recorder.recordSweep(result);
  return result;
}
