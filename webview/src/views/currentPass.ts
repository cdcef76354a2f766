// Which compiled function and which pass the panel shows: shared by the Graph and Memory views,
// the editor's reveal, and the arrow keys.

import type { Compilation } from "@jitscope/contract";
import { defaultPassIndex, stepPass } from "../model/passStepper.js";
import type { PanelContext } from "./context.js";

export function currentCompilation(ctx: PanelContext): Compilation | null {
  const cs = ctx.report.compilations;
  return cs.find((c) => c.id === ctx.state.compilation) ?? cs[0] ?? null;
}

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
