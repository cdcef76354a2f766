// A loop body opened in the Graph view: going in (a click on a loop node) and back out (the bar
// above the graph, Backspace), and the bar itself: the way back (the function, then each loop
// around the body shown) and what the body is: how often it runs, its ops and kernels, and what
// its kernels cost in this run.

import type { Compilation, KernelReport } from "@jitscope/contract";
import { formatNs, plural } from "@jitscope/contract";
import { COND_STEP, openLoop, type LoopCrumb, type LoopView } from "../model/loopBody.js";
import type { PanelContext } from "./context.js";
import { currentCompilation, currentPassIndex } from "./currentPass.js";
import type { ModelLoop } from "../model/loopBadge.js";
import { loopOf } from "../model/loopBadge.js";

/** The open part's summary: "body runs 32 times per call · 22 ops in 5 kernels · body kernels'
 *  total …" (a condition: "condition runs before each iteration · … · condition kernels' total …"). */
export function loopTrailText(
  view: LoopView,
  passIndex: number,
  loop: ModelLoop | undefined,
  kernels: ReadonlyMap<string, KernelReport>,
): string {
  const graph = view.compilation.passes[passIndex]!.graph;
  const ops = graph.nodes.filter((n) => n.kind === "op").length;
  const last = loop?.lastCall != null ? ` (${loop.lastCall} in the last call)` : "";
  const runs = view.cond
    ? "condition runs before each iteration, and once more to end the loop"
    : view.loop.tripCount === null
      ? `body runs a data-dependent number of times per call${last}`
      : `body runs ${view.loop.tripCount} times per call`;
  const compiled = (view.cond ? view.loop.condFusion : view.loop.bodyFusion)
    ? `${plural(ops, "op")} in ${plural(graph.groups.length, "kernel")}`
    : `${plural(ops, "op")} as traced (its kernels from the fuse pass on)`;
  // The body's time is the loop node's hover's (loopBadge.ts); a condition's, its own kernels'.
  const ns = view.cond
    ? graph.groups.reduce((t, g) => t + (kernels.get(g.id)?.totalNs ?? 0), 0)
    : (loop?.kernelTotals.reduce((t, k) => t + k.totalNs, 0) ?? 0);
  const time = ns > 0 ? `${view.cond ? "condition" : "body"} kernels' total ${formatNs(ns)}` : null;
  return [runs, compiled, time].filter(Boolean).join(" · ");
}

/** Fills `bar` with the trail: "‹ stepScan › scan × 32 (rnn_scan.ts:53) body · body runs …"
 *  (hidden with no body open). Each level above the body is a link back to it. */
export function fillLoopTrail(
  bar: HTMLElement,
  ctx: PanelContext,
  c: Compilation,
  view: LoopView | null,
  passIndex: number,
): void {
  bar.hidden = view === null;
  if (!view) {
    bar.replaceChildren();
    return;
  }
  // A loop nested in a body is matched to its kernels by the body's list only (loopBadge.ts).
  const model = loopOf(view.node, c.id, ctx.kernels, view.trail.length > 1);
  const summary = loopTrailText(view, passIndex, model, ctx.kernels);
  const link = (text: string, go: () => void, title: string): HTMLElement => {
    const a = Object.assign(document.createElement("button"), {
      type: "button",
      className: "jit-trail-link",
      textContent: text,
      title,
    });
    a.addEventListener("click", go);
    return a;
  };
  const named = (crumb: LoopCrumb): string => (crumb.part === "body" ? crumb.label : `${crumb.label} condition`);
  const parts: (HTMLElement | string)[] = [
    link(`‹ ${c.functionName}`, () => leaveLoop(ctx, 0), `back to ${c.functionName} (Backspace)`),
  ];
  view.trail.forEach((crumb, i) => {
    parts.push(" › ");
    if (i < view.trail.length - 1) parts.push(link(named(crumb), () => leaveLoop(ctx, i + 1), `back to this loop`));
    else parts.push(Object.assign(document.createElement("strong"), { textContent: `${crumb.label} ${crumb.part}` }));
  });
  // A while loop has two graphs: its condition and its body, one link apart.
  if (view.loop.cond) {
    const path = ctx.state.loop;
    const step = stepNode(path[path.length - 1]!);
    const other = view.cond ? step : step + COND_STEP;
    const to = view.cond ? "its body" : "its condition";
    parts.push(
      " · ",
      link(to, () => ctx.update({ loop: [...path.slice(0, -1), other], revealed: [] }), `open ${to}`),
    );
  }
  parts.push(
    Object.assign(document.createElement("span"), { className: "jit-trail-summary", textContent: ` · ${summary}` }),
  );
  bar.replaceChildren(...parts);
  bar.title = bar.textContent ?? "";
}

/** The compilation the graph draws: the chosen one, or its open loop body standing for it. */
export function shownCompilation(ctx: PanelContext): Compilation | null {
  const c = currentCompilation(ctx);
  return c ? (openLoop(c, currentPassIndex(ctx, c), ctx.state.loop)?.compilation ?? c) : null;
}

/** A loop node clicked: its body is drawn instead, with the way back above it. Returns the
 *  status line to show, or null when the node has no body at this pass. */
export function enterLoop(ctx: PanelContext, c: Compilation, node: string): string | null {
  const path = [...ctx.state.loop, node];
  const view = openLoop(c, currentPassIndex(ctx, c), path);
  if (!view) return null;
  ctx.update({ compilation: c.id, loop: path, revealed: [] });
  return `${view.trail[view.trail.length - 1]!.label}: its body · Backspace: back out`;
}

/** Backs out of the open body to `depth` loops deep (0: the function), the loop left marked. */
export function leaveLoop(ctx: PanelContext, depth: number): void {
  const path = ctx.state.loop;
  if (depth >= path.length) return;
  ctx.update({ loop: path.slice(0, depth), revealed: [stepNode(path[depth]!)] });
}

/** The loop node a path step opens (its body, or with COND_STEP its condition). */
const stepNode = (step: string): string => (step.endsWith(COND_STEP) ? step.slice(0, -COND_STEP.length) : step);
