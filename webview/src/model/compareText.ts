// The text line under each Compare card's title, kept DOM-free so it is unit-tested.

import {
  breakEvenText,
  formatMs,
  reportedBreakEvenCalls,
  speedupText,
  type ComparedFunction,
  type SweepResult,
} from "@jitscope/contract";

/** The card's break-even: the report's one figure (see reportedBreakEvenCalls). */
export const cardBreakEven = (fn: ComparedFunction | null, sweep: SweepResult | null): number | null =>
  reportedBreakEvenCalls(fn, sweep);

/** One break-even figure per card, the report's, the same the CLI, hover and chart marker show;
 *  the speedup from the cost of a call, with its range and "no significant difference" when the
 *  two modes' spreads overlap. */
export function cardSubtitle(fn: ComparedFunction | null, sweep: SweepResult | null): string {
  const parts = [`compile ${formatMs(fn?.compileMs ?? sweep!.compileMs)}`];
  // From first runs' costs (each mode's only calls compiled), the speedup is a first run's too.
  const per = fn?.eager.firstRun && fn.jit.firstRun ? " per first run" : " per call";
  if (fn && fn.speedup > 0) parts.push(`${speedupText(fn)}${fn.significant === false ? "" : per}`);
  const runs = fn?.jit.runs?.length ?? 0;
  if (runs > 1) parts.push(`${runs} runs of each mode`);
  const be = cardBreakEven(fn, sweep);
  parts.push(be === null ? "never breaks even" : breakEvenText(be));
  if (sweep?.modeled) parts.push("sweep projected");
  return parts.join(" · ");
}
