// Where the Compare chart marks the break-even: the report's one figure (computed once, from the
// cost of a call in both modes), placed on the eager line as the chart draws it (straight
// segments on log-log axes). The chart never reads its own crossing off the lines.

import type { SweepPoint } from "@jitscope/contract";

export interface BreakEvenPoint {
  calls: number;
  ms: number;
}

/**
 * The report's break-even (computed once, from the cost of a call in both modes) placed on the
 * drawn eager line: x at `calls`, y on the eager segment there (log-log, as drawn). Null when it
 * falls outside the sweep's calls, or when there is none.
 */
export function reportedBreakEven(points: readonly SweepPoint[], calls: number | null): BreakEvenPoint | null {
  if (calls === null || !(calls > 0)) return null;
  const pts = points
    .filter((p) => p.calls > 0 && p.eagerMs > 0 && p.jitMs > 0)
    .slice()
    .sort((a, b) => a.calls - b.calls);
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
