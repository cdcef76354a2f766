// Which compiled function and which pass the panel shows: shared by the Graph and Memory views,
// the editor's reveal, and the arrow keys.

import type { Compilation, KernelReport } from "@jitscope/contract";
import { kernelInLoops } from "../model/loopBody.js";
import type { PanelState } from "../state.js";
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

/** What selecting a kernel in the graph sets: its compilation and its ops marked. A loop body's
 *  kernel opens that body where the pass shown has it compiled, its ops marked there; before the
 *  lowering its loop node is marked (its `opIds`). */
export function kernelReveal(ctx: PanelContext, kernel: KernelReport): Partial<PanelState> {
  const c = ctx.report.compilations.find((x) => x.id === kernel.compilation);
  const inBody = c && kernel.loop ? kernelInLoops(c, currentPassIndex(ctx, c), kernel.id) : null;
  if (c && inBody) return { compilation: c.id, loop: inBody.path, revealed: inBody.nodes };
  return { ...(kernel.compilation ? { compilation: kernel.compilation } : {}), revealed: [...kernel.opIds], loop: [] };
}
