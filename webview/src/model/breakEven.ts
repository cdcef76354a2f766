// Where jit's total time (compile + calls × per-call) drops below eager's, found on the sweep's
// points as the Compare chart draws them: straight segments on log-log axes. Computing the
// crossing in log space puts the "break-even" marker exactly on the intersection of the lines.

import type { SweepPoint } from "@jitscope/contract";

export interface BreakEvenPoint {
  calls: number;
  ms: number;
}

/**
 * The first point where jit stops being slower than eager, or null when it never gets there
 * within the sweep. When jit is already no slower at the first point, that point is returned.
 */
export function findBreakEven(points: readonly SweepPoint[]): BreakEvenPoint | null {
  const pts = points.filter((p) => p.calls > 0 && p.eagerMs > 0 && p.jitMs > 0).slice().sort((a, b) => a.calls - b.calls);
  if (pts.length === 0) return null;
  const first = pts[0]!;
  if (first.jitMs <= first.eagerMs) return { calls: first.calls, ms: first.jitMs };
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if (b.jitMs > b.eagerMs) continue;
    // In log space each line is straight between a and b: solve for where their gap is zero.
    const gapA = Math.log(a.jitMs) - Math.log(a.eagerMs);
    const gapB = Math.log(b.jitMs) - Math.log(b.eagerMs);
    const t = gapA / (gapA - gapB);
    const lx = Math.log(a.calls) + t * (Math.log(b.calls) - Math.log(a.calls));
    const ly = Math.log(a.eagerMs) + t * (Math.log(b.eagerMs) - Math.log(a.eagerMs));
    return { calls: Math.exp(lx), ms: Math.exp(ly) };
  }
  return null;
}

/**
 * The report's break-even (computed once, from the cost of a call in both modes) placed on the
 * drawn eager line: x at `calls`, y on the eager segment there (log-log, as drawn). Null when it
 * falls outside the sweep's calls, or when there is none.
 */
export function reportedBreakEven(points: readonly SweepPoint[], calls: number | null): BreakEvenPoint | null {
  if (calls === null || !(calls > 0)) return null;
  const pts = points.filter((p) => p.calls > 0 && p.eagerMs > 0 && p.jitMs > 0).slice().sort((a, b) => a.calls - b.calls);
  for (let i = 0; i < pts.length; i++) {
    const b = pts[i]!;
    if (b.calls === calls) return { calls, ms: b.eagerMs };
    const a = pts[i - 1];
    if (!a || b.calls < calls || a.calls > calls) continue;
    const t = (Math.log(calls) - Math.log(a.calls)) / (Math.log(b.calls) - Math.log(a.calls));
    return { calls, ms: Math.exp(Math.log(a.eagerMs) + t * (Math.log(b.eagerMs) - Math.log(a.eagerMs))) };
  }
  return null;
}
