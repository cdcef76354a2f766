// The Graph view's toolbar: compiled function, pass stepper, fit, IR and diff of the pass,
// kernel-graph and constants toggles, search, and open/close every scope.

import type { Compilation } from "@jitscope/contract";
import { button, dropdown, toggle } from "../components/controls.js";
import { diffLines } from "../model/textDiff.js";
import type { PanelContext } from "./context.js";
import { currentCompilation, currentPassIndex, stepPassIn } from "./currentPass.js";

/** What the toolbar needs from the view it sits on. */
export interface GraphToolbarHooks {
  readonly passLabel: HTMLElement;
  readonly searchField: HTMLElement;
  readonly searchCount: HTMLElement;
  fitToView(): void;
  setAllScopes(open: boolean): void;
  /** The next draw refits (the kernel-graph toggle changes every node). */
  invalidate(): void;
}

export function graphToolbarItems(ctx: PanelContext, c: Compilation, hooks: GraphToolbarHooks): HTMLElement[] {
  const fns = ctx.report.compilations.map((x) => ({ value: x.id, label: `${x.functionName} ${x.signature}` }));
  const passIr = (kind: "openPassIr" | "openPassDiff"): void => {
    const cur = currentCompilation(ctx);
    if (!cur) return;
    const i = currentPassIndex(ctx, cur);
    const pass = cur.passes[i]!;
    if (ctx.host.inEditor) ctx.host.post({ type: kind, compilation: cur.id, pass: pass.name });
    else if (kind === "openPassIr") ctx.showText(`${cur.functionName} after ${pass.name}`, pass.text);
    else if (i === 0) ctx.showText(`${cur.functionName}: ${pass.name} is the first pass`, pass.text);
    else
      ctx.showText(
        `${cur.functionName}: ${cur.passes[i - 1]!.name} → ${pass.name}`,
        pass.text,
        diffLines(cur.passes[i - 1]!.text, pass.text),
      );
  };
  return [
    dropdown(fns, c.id, (v) => ctx.update({ compilation: v, revealed: [] }), {
      title: "compiled function",
      id: "compilation-select",
    }),
    button("◀", () => stepPassIn(ctx, -1), { title: "previous pass (←)", secondary: true, id: "pass-prev" }),
    hooks.passLabel,
    button("▶", () => stepPassIn(ctx, 1), { title: "next pass (→)", secondary: true, id: "pass-next" }),
    button("⤢", () => hooks.fitToView(), { title: "fit the graph to the view (f)", secondary: true, id: "fit-view" }),
    button("IR", () => passIr("openPassIr"), { title: "this pass's IR", secondary: true }),
    button("Diff", () => passIr("openPassDiff"), { title: "diff against the previous pass", secondary: true }),
    toggle(
      "Kernels",
      ctx.state.kernelView,
      (v) => {
        hooks.invalidate();
        ctx.update({ kernelView: v, collapsed: [], expanded: [] });
      },
      { id: "kernel-view", title: "kernel graph: one node per kernel, edges are the buffers between them" },
    ),
    toggle("Consts", !ctx.state.hideConstants, (v) => ctx.update({ hideConstants: !v }), {
      id: "hide-constants",
      title: "show captured constants",
    }),
    hooks.searchField,
    hooks.searchCount,
    button("⊞", () => hooks.setAllScopes(true), { secondary: true, id: "open-scopes", title: "open every scope" }),
    button("⊟", () => hooks.setAllScopes(false), {
      secondary: true,
      id: "close-scopes",
      title: "close every scope (and fold what was unfolded)",
    }),
  ];
}
