// Eager against jit for each jitted function, from two runs of the same script: one with jit
// disabled (every jit a pass-through, each op its own dispatch) and one normal.

import type { ComparedFunction, Report, SweepResult } from "./report.js";
import { breakEvenCalls } from "./stats.js";

const key = (name: string, line: number | undefined) => `${name}@${line ?? "?"}`;

export function compareRuns(eager: Report, jitted: Report): ComparedFunction[] {
  const eagerFns = new Map(eager.functions.map((f) => [key(f.name, f.location?.line), f]));
  const compiles = new Map(jitted.compilations.map((c) => [c.id, c.compileMs.total]));
  const out: ComparedFunction[] = [];
  for (const j of jitted.functions) {
    const e = eagerFns.get(key(j.name, j.location?.line));
    if (!e) continue;
    const compileMs = j.compilations.reduce((t, id) => t + (compiles.get(id) ?? 0), 0);
    out.push({
      name: j.name,
      location: j.location,
      eager: { msPerCall: e.msPerCall, dispatchesPerCall: e.kernelsPerCall },
      jit: { msPerCall: j.msPerCall, dispatchesPerCall: j.kernelsPerCall },
      compileMs,
      breakEvenCalls: breakEvenCalls(compileMs, e.msPerCall, j.msPerCall),
      speedup: j.msPerCall > 0 ? e.msPerCall / j.msPerCall : 0,
    });
  }
  return out;
}

/** The Comparison a compare run attaches to the jit run's report. */
export function comparisonOf(eager: Report, jitted: Report, sweeps: readonly SweepResult[]) {
  return { functions: compareRuns(eager, jitted), sweeps: [...sweeps] };
}
