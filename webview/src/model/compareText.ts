// The text line under each Compare card's title, kept DOM-free so it is unit-tested.

import type { ComparedFunction, SweepResult } from "@jitscope/contract";
import { breakEvenLabel, findBreakEven } from "./breakEven.js";
import { formatMs } from "@jitscope/contract";

/** One break-even figure per card: where the drawn sweep lines cross when there is a sweep (the
 *  marker on the chart), else the report's estimate from per-call costs. */
export function cardSubtitle(fn: ComparedFunction | null, sweep: SweepResult | null): string {
  const parts = [`compile ${formatMs(fn?.compileMs ?? sweep!.compileMs)}`];
  if (fn && fn.speedup > 0) {
    parts.push(fn.speedup >= 1 ? `${fn.speedup.toFixed(1)}× faster per call` : `${(1 / fn.speedup).toFixed(1)}× slower per call`);
  }
  if (sweep && sweep.points.length > 0) {
    const be = findBreakEven(sweep.points);
    parts.push(be ? breakEvenLabel(be) : "no break-even in this sweep");
  } else if (fn) {
    parts.push(fn.breakEvenCalls === null ? "never breaks even" : `break-even after ${fn.breakEvenCalls} calls`);
  }
  return parts.join(" · ");
}

