// Eager against jit for each jitted function, from two runs of the same script: one with jit
// disabled (every jit a pass-through, each op its own dispatch) and one normal.

import { lineKey, type ComparedFunction, type FunctionReport, type LineEntry, type Report, type SweepPoint, type SweepResult } from "@jitscope/contract";
import { breakEvenCalls } from "./stats.js";

const key = (name: string, line: number | undefined) => `${name}@${line ?? "?"}`;

/**
 * Cost of one call in a loop: calls return before the GPU is done, so a loop runs at the pace of
 * the slower of the host (tracing, encoding, submitting) and the GPU (the call's kernels).
 */
const perCall = (f: FunctionReport) => Math.max(f.msPerCall, f.gpuMsPerCall);

export function compareRuns(eager: Report, jitted: Report): ComparedFunction[] {
  const eagerFns = new Map(eager.functions.map((f) => [key(f.name, f.location?.line), f]));
  const compiles = new Map(jitted.compilations.map((c) => [c.id, c.compileMs.total]));
  const out: ComparedFunction[] = [];
  for (const j of jitted.functions) {
    const e = eagerFns.get(key(j.name, j.location?.line));
    if (!e) continue;
    const compileMs = j.compilations.reduce((t, id) => t + (compiles.get(id) ?? 0), 0);
    const eagerMs = perCall(e);
    const jitMs = perCall(j);
    out.push({
      name: j.name,
      location: j.location,
      eager: { msPerCall: eagerMs, dispatchesPerCall: e.kernelsPerCall },
      jit: { msPerCall: jitMs, dispatchesPerCall: j.kernelsPerCall },
      compileMs,
      breakEvenCalls: breakEvenCalls(compileMs, eagerMs, jitMs),
      speedup: jitMs > 0 ? eagerMs / jitMs : 0,
    });
  }
  return out;
}

/** The Comparison a compare run attaches to the jit run's report. Every compared function gets a
 *  sweep: the one the script measured with `profile.sweep`, else one projected from its measured
 *  costs (total after N calls = N × eager per call, against compile + N × jit per call). */
export function comparisonOf(eager: Report, jitted: Report, sweeps: readonly SweepResult[], calls: readonly number[] = DEFAULT_CALLS) {
  const functions = compareRuns(eager, jitted).map((f) => withSweepCosts(f, sweeps.find((s) => s.name === f.name)));
  const measured = new Set(sweeps.map((s) => s.name));
  const modeled = functions.filter((f) => !measured.has(f.name)).map((f) => modeledSweep(f, calls));
  return { functions, sweeps: [...sweeps, ...modeled] };
}

/**
 * A function the script also swept with `profile.sweep` takes its per-call costs from the sweep's
 * largest point (thousands of calls in a loop) rather than from the script's own few calls, whose
 * median may be the one compiling call.
 */
export function withSweepCosts(f: ComparedFunction, sweep: SweepResult | undefined): ComparedFunction {
  const last = sweep?.points.reduce<SweepPoint | undefined>((a, p) => (!a || p.calls > a.calls ? p : a), undefined);
  if (!sweep || !last || last.calls <= 0) return f;
  const eagerMs = last.eagerMs / last.calls;
  const jitMs = Math.max(0, last.jitMs - sweep.compileMs) / last.calls;
  return {
    ...f,
    eager: { ...f.eager, msPerCall: eagerMs },
    jit: { ...f.jit, msPerCall: jitMs },
    compileMs: sweep.compileMs,
    breakEvenCalls: sweep.breakEvenCalls,
    speedup: jitMs > 0 ? eagerMs / jitMs : 0,
  };
}

export const DEFAULT_CALLS: readonly number[] = [1, 10, 100, 1000, 10000];

export function modeledSweep(f: ComparedFunction, calls: readonly number[]): SweepResult {
  return {
    name: f.name,
    location: f.location,
    points: calls.map((n) => ({ calls: n, eagerMs: n * f.eager.msPerCall, jitMs: f.compileMs + n * f.jit.msPerCall })),
    compileMs: f.compileMs,
    breakEvenCalls: f.breakEvenCalls,
    modeled: true,
  };
}

/** Sweep sizes from JITSCOPE_COMPARE_CALLS ("1,10,100"), as the extension's setting sends them. */
export function compareCallsFromEnv(raw: string | undefined): readonly number[] {
  const parsed = (raw ?? "").split(",").map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
  return parsed.length ? [...new Set(parsed)].sort((a, b) => a - b) : DEFAULT_CALLS;
}

/**
 * Per source line of a jitted function, its cost per call in each mode: jit from the compiled
 * kernels (each kernel's median split among its lines), eager from the eager run's kernels on
 * that line (their total divided by the function's eager calls).
 */
export function annotateLines(eager: Report, jitted: Report, compared: readonly ComparedFunction[]): Record<string, LineEntry> {
  const lines: Record<string, LineEntry> = {};
  for (const [k, v] of Object.entries(jitted.lines)) lines[k] = { ...v };
  const kernels = new Map(jitted.kernels.map((k) => [k.id, k]));
  const eagerCalls = new Map(eager.functions.map((f) => [key(f.name, f.location?.line), f.calls]));
  for (const fn of jitted.functions) {
    const calls = eagerCalls.get(key(fn.name, fn.location?.line));
    if (!calls || !compared.some((c) => c.name === fn.name && c.location?.line === fn.location?.line)) continue;
    const jitNs = new Map<string, number>();
    const latest = jitted.compilations.find((c) => c.id === fn.compilations[fn.compilations.length - 1]);
    for (const id of latest?.kernels ?? []) {
      const k = kernels.get(id);
      if (!k) continue;
      const distinct = [...new Set(k.locations.map((l) => lineKey(l.file, l.line)))];
      for (const lk of distinct) jitNs.set(lk, (jitNs.get(lk) ?? 0) + k.medianNs / distinct.length);
    }
    for (const [lk, ns] of jitNs) {
      const entry = lines[lk];
      if (!entry) continue;
      entry.jitMs = ns / 1e6;
      entry.eagerMs = (eager.lines[lk]?.gpuNs ?? 0) / 1e6 / calls;
    }
  }
  return lines;
}
