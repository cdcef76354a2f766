// Eager against jit for each jitted function, from two runs of the same script: one with jit
// disabled (every jit a pass-through, each op its own dispatch) and one normal.

import {
  callCostOf,
  lineKey,
  type ComparedFunction,
  type FunctionReport,
  type LineEntry,
  type ModeCost,
  type Report,
  type SweepResult,
} from "@jitscope/contract";
import { breakEvenCalls, median } from "./stats.js";
import { EAGER_SITES_OFF_NOTE } from "../config.js";

const key = (name: string, line: number | undefined) => `${name}@${line ?? "?"}`;

/**
 * One mode's cost over its runs: the median of the runs' costs, spread lowest–highest run (with
 * one run: the calls' p10–p90).
 */
function modeCost(fs: readonly FunctionReport[]): ModeCost {
  const costs = fs.map(callCostOf);
  const runs = costs.map((c) => c.ms);
  const one = costs.length === 1 ? costs[0]! : null;
  return {
    msPerCall: median(runs),
    dispatchesPerCall: median(fs.map((f) => f.kernelsPerCall)),
    p10: one ? one.p10 : Math.min(...runs),
    p90: one ? one.p90 : Math.max(...runs),
    hostMs: median(costs.map((c) => c.hostMs)),
    gpuMs: median(costs.map((c) => c.gpuMs)),
    runs,
    ...(costs.every((c) => c.firstRun) ? { firstRun: true } : {}),
  };
}

/**
 * Eager against jit for each function found in both modes, from one or more runs of each (the
 * CLI interleaves them). Speedup and break-even come from the one cost of a call in both modes;
 * a difference is significant only when the two spreads do not overlap.
 */
export function compareRuns(eager: Report | readonly Report[], jitted: Report | readonly Report[]): ComparedFunction[] {
  const eagerRuns: readonly Report[] = Array.isArray(eager) ? eager : [eager as Report];
  const jitRuns: readonly Report[] = Array.isArray(jitted) ? jitted : [jitted as Report];
  const last = jitRuns[jitRuns.length - 1];
  if (!last) return [];
  const out: ComparedFunction[] = [];
  for (const j of last.functions) {
    const k = key(j.name, j.location?.line);
    const find = (r: Report) => r.functions.find((f) => key(f.name, f.location?.line) === k);
    const es = eagerRuns.map(find).filter((f): f is FunctionReport => f !== undefined);
    const js = jitRuns.map(find).filter((f): f is FunctionReport => f !== undefined);
    if (es.length === 0) continue;
    const compileMs = median(
      jitRuns.flatMap((r) => {
        const f = find(r);
        if (!f) return [];
        const compiles = new Map(r.compilations.map((c) => [c.id, c.compileMs.total]));
        return [f.compilations.reduce((t, id) => t + (compiles.get(id) ?? 0), 0)];
      }),
    );
    const e = modeCost(es);
    const jm = modeCost(js);
    const speedup = jm.msPerCall > 0 ? e.msPerCall / jm.msPerCall : 0;
    const lo = jm.p90! > 0 ? e.p10! / jm.p90! : 0;
    const hi = jm.p10! > 0 ? e.p90! / jm.p10! : lo;
    out.push({
      name: j.name,
      location: j.location,
      eager: e,
      jit: jm,
      compileMs,
      breakEvenCalls: breakEvenCalls(compileMs, e.msPerCall, jm.msPerCall),
      speedup,
      speedupRange: [lo, Math.max(lo, hi)],
      significant: e.p10! > jm.p90! || jm.p10! > e.p90!,
    });
  }
  return out;
}

/**
 * With a comparison, a compared function's cost of a call is the comparison's jit figure (median
 * over the runs, spread lowest–highest run), so the CodeLens, hover, CLI and Compare all read one
 * number for it.
 */
export function withComparedCosts(
  functions: readonly FunctionReport[],
  compared: readonly ComparedFunction[],
): FunctionReport[] {
  return functions.map((f) => {
    const c = compared.find((x) => x.name === f.name && x.location?.line === f.location?.line);
    if (!c) return f;
    const j = c.jit;
    return {
      ...f,
      cost: {
        ms: j.msPerCall,
        p10: j.p10 ?? j.msPerCall,
        p90: j.p90 ?? j.msPerCall,
        hostMs: j.hostMs ?? f.msPerCall,
        gpuMs: j.gpuMs ?? f.gpuMsPerCall,
        ...(j.firstRun ? { firstRun: true } : {}),
      },
    };
  });
}

/** The Comparison a compare run attaches to the jit run's report. Every compared function
 *  without a `profile.sweep` of its own gets a sweep projected from its cost of a call (total
 *  after N calls = N × eager cost, against compile + N × jit cost), marked `modeled`. A measured
 *  sweep is shown as measured; the break-even every view reads is the compared function's. */
export function comparisonOf(
  eager: Report | readonly Report[],
  jitted: Report | readonly Report[],
  sweeps: readonly SweepResult[],
  calls: readonly number[] = DEFAULT_CALLS,
) {
  const functions = compareRuns(eager, jitted);
  const measured = new Set(sweeps.map((s) => s.name));
  const modeled = functions.filter((f) => !measured.has(f.name)).map((f) => modeledSweep(f, calls));
  return { functions, sweeps: [...sweeps, ...modeled] };
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
  const parsed = (raw ?? "")
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return parsed.length ? [...new Set(parsed)].sort((a, b) => a - b) : DEFAULT_CALLS;
}

/**
 * Per source line of a jitted function, its cost per call in each mode: jit from the compiled
 * kernels (each kernel's per-dispatch time, total / dispatches, split among its lines), eager from the eager run's kernels on
 * that line (their total divided by the function's eager calls).
 */
export function annotateLines(
  eager: Report,
  jitted: Report,
  compared: readonly ComparedFunction[],
): Record<string, LineEntry> {
  const lines: Record<string, LineEntry> = {};
  for (const [k, v] of Object.entries(jitted.lines)) lines[k] = { ...v };
  const kernels = new Map(jitted.kernels.map((k) => [k.id, k]));
  const eagerCalls = new Map(eager.functions.map((f) => [key(f.name, f.location?.line), f.calls]));
  const eagerLinesKnown = !eager.device.notes.includes(EAGER_SITES_OFF_NOTE);
  for (const fn of jitted.functions) {
    const calls = eagerCalls.get(key(fn.name, fn.location?.line));
    if (!calls || !compared.some((c) => c.name === fn.name && c.location?.line === fn.location?.line)) continue;
    const jitNs = new Map<string, number>();
    const latest = jitted.compilations.find((c) => c.id === fn.compilations[fn.compilations.length - 1]);
    for (const id of latest?.kernels ?? []) {
      const k = kernels.get(id);
      if (!k) continue;
      const distinct = [...new Set(k.locations.map((l) => lineKey(l.file, l.line)))];
      for (const lk of distinct)
        jitNs.set(lk, (jitNs.get(lk) ?? 0) + (k.dispatches > 0 ? k.totalNs / k.dispatches : 0) / distinct.length);
    }
    for (const [lk, ns] of jitNs) {
      const entry = lines[lk];
      if (!entry) continue;
      // Without the eager ops' lines (--eager-sites off) a line has no eager figure, not 0.
      if (!eagerLinesKnown) continue;
      entry.jitMs = ns / 1e6;
      entry.eagerMs = (eager.lines[lk]?.gpuNs ?? 0) / 1e6 / calls;
    }
  }
  return lines;
}
