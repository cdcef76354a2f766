// Which compiled function and which pass the panel shows: shared by the Graph and Memory views,
// the editor's reveal, and the arrow keys.

import type { Compilation } from "@jitscope/contract";
import { openingCompilation } from "../model/openingCompilation.js";
import { defaultPassIndex, stepPass } from "../model/passStepper.js";
import type { PanelContext } from "./context.js";

/** The chosen compilation, else the one the run spent the most time in (openingCompilation.ts). */
export function currentCompilation(ctx: PanelContext): Compilation | null {
  const chosen = ctx.report.compilations.find((c) => c.id === ctx.state.compilation);
  if (chosen) return chosen;
  let opening = openingByReport.get(ctx.report);
  if (opening === undefined) {
    opening = openingCompilation(ctx.report);
    openingByReport.set(ctx.report, opening);
  }
  return opening;
}

const openingByReport = new WeakMap<PanelContext["report"], Compilation | null>();

export function currentPassIndex(ctx: PanelContext, c: Compilation): number {
  const i = ctx.state.passIndex[c.id];
  return i !== undefined && i >= 0 && i < c.passes.length ? i : defaultPassIndex(c);
}

/** Arrow keys and the ◀ ▶ buttons: one pass back or forward. */
export function stepPassIn(ctx: PanelContext, delta: number): void {
  const c = currentCompilation(ctx);
  if (!c) return;
  const next = stepPass(currentPassIndex(ctx, c), delta, c.passes.length);
  ctx.update({ passIndex: { ...ctx.state.passIndex, [c.id]: next }, revealed: [] });
}
