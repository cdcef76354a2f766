// The Graph view: a compiled function at a chosen pass. Toolbar (function, pass stepper, IR and
// diff, hide constants, search, collapse), the D3 drawing, a legend and a status line. Layout
// runs in the worker; only the latest request is drawn.

import type { Compilation } from "@jitscope/contract";
import { textField } from "../components/controls.js";
import { LayoutClient } from "../layout/layoutClient.js";
import { layoutInputOf } from "../layout/layoutInput.js";
import { simpleLayout } from "../layout/simpleLayout.js";
import type { LayoutResult } from "../layout/types.js";
import { formatShortLocation, plural } from "@jitscope/contract";
import { buildGraphModel, COLLAPSED_PREFIX, type GraphModel } from "../model/graphModel.js";
import { REPEAT_PREFIX } from "../model/repeatedKernels.js";
import { SCOPE_FOLD_PREFIX } from "../model/repeatedScopes.js";

/** A fold of alike kernels or of calls of one function: unfolded by listing its id in `expanded`. */
const isFold = (id: string): boolean => id.startsWith(REPEAT_PREFIX) || id.startsWith(SCOPE_FOLD_PREFIX);
import { bundleText, scopesAround, searchLoopBodies, searchNodes, searchPass } from "../model/graphQueries.js";
import { passSummary } from "../model/passStepper.js";
import { openLoop } from "../model/loopBody.js";
import { enterLoop, fillLoopTrail, shownCompilation } from "./loopTrail.js";
import { currentCompilation, currentPassIndex } from "./currentPass.js";
import { graphToolbarItems } from "./graphToolbar.js";
import type { PanelContext, PanelViewImpl } from "./context.js";
import { markDiffClusters } from "./graphDiffMarks.js";
import { fillLegend } from "./graphLegend.js";
import { GraphRenderer } from "./graphRenderer.js";
import { Minimap, MINIMAP_MIN_OPS } from "./minimap.js";

/** "148 kernels", or "12,714 kernels (40 drawn)" when closed scopes hold the others. */
export function kernelsText(total: number, drawn: number): string {
  const n = `${total.toLocaleString("en")} ${total === 1 ? "kernel" : "kernels"}`;
  return drawn < total ? `${n} (${drawn.toLocaleString("en")} drawn)` : n;
}

export class GraphView implements PanelViewImpl {
  readonly element: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly passLabel: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly statusEl: HTMLElement;
  /** The way back out of an open loop body (hidden at the function's own graph). */
  private readonly trail: HTMLElement;
  private readonly errorEl: HTMLElement;
  private renderer: GraphRenderer | null = null;
  private readonly layouts = new LayoutClient();
  private toolbarKey = "";
  private drawnCompilation = "";
  private drawnKey = "";
  private lastLayout: LayoutResult | null = null;
  private lastModel: GraphModel | null = null;
  private minimap: Minimap | null = null;
  private readonly searchCount: HTMLElement;
  /** Search's next/previous: every match of the query in the pass, and the one centred (-1: none yet). */
  private searchHits: string[] = [];
  private searchAt = -1;
  private searchedFor = "";
  /** A match Enter asked for, centred once the scopes hiding it are open and drawn. */
  private pendingFocus: string | null = null;

  /** Fit-to-view on demand (toolbar button, "f" key): every drawn node in the viewport. */
  fitToView(): void {
    if (this.renderer && this.lastLayout)
      this.renderer.fit(this.lastLayout, this.legendInset(), this.minimap?.box() ?? null);
  }

  /** The minimap's button and the "m" key: hide or show it. */
  toggleMinimap(): void {
    this.minimap?.toggle.click();
  }

  constructor() {
    this.element = document.createElement("section");
    this.element.className = "jit-view";
    this.element.id = "view-graph";
    this.toolbar = document.createElement("div");
    this.toolbar.className = "jit-toolbar";
    this.passLabel = document.createElement("span");
    this.passLabel.className = "jit-pass";
    this.passLabel.id = "pass-label";
    this.passLabel.setAttribute("aria-live", "polite");
    this.canvas = document.createElement("div");
    this.canvas.className = "jit-graph";
    // Collapsible, and closed in a narrow panel: the graph needs the room more.
    this.legend = document.createElement("details");
    this.legend.className = "jit-legend";
    this.statusEl = document.createElement("div");
    this.statusEl.className = "jit-status";
    this.errorEl = document.createElement("div");
    this.errorEl.className = "jit-layout-error";
    this.errorEl.setAttribute("role", "alert");
    this.errorEl.hidden = true;
    this.searchCount = document.createElement("span");
    this.searchCount.className = "jit-search-count";
    this.searchCount.id = "search-count";
    this.searchCount.setAttribute("aria-live", "polite");
    this.trail = document.createElement("nav");
    this.trail.className = "jit-loop-trail";
    this.trail.id = "loop-trail";
    this.trail.setAttribute("aria-label", "open loop body");
    this.trail.hidden = true;
    this.element.append(this.toolbar, this.trail, this.errorEl, this.canvas, this.statusEl);
  }

  update(ctx: PanelContext): void {
    const c = currentCompilation(ctx);
    if (!c) {
      this.toolbar.replaceChildren();
      this.canvas.replaceChildren(
        Object.assign(document.createElement("div"), {
          className: "jit-empty",
          textContent: "No jitted function was compiled in this run.",
        }),
      );
      this.renderer = null;
      return;
    }
    const passIndex = currentPassIndex(ctx, c);
    this.buildToolbar(ctx, c);
    // An open loop body stands for the function: its graph at every pass, its fusion report.
    const open = openLoop(c, passIndex, ctx.state.loop);
    const shown = open?.compilation ?? c;
    this.element.dataset.loop = open ? open.trail.map((t) => t.node).join("/") : "";
    this.passLabel.textContent = `${passIndex + 1}/${c.passes.length} ${passSummary(c.passes, passIndex)}`;
    this.passLabel.title = this.passLabel.textContent;
    this.element.dataset.pass = c.passes[passIndex]!.name;
    this.element.dataset.compilation = c.id;

    const s = ctx.state;
    const model = buildGraphModel(
      shown,
      passIndex,
      ctx.kernels,
      {
        hideConstants: s.hideConstants,
        collapsed: new Set(s.collapsed),
        expanded: new Set(s.expanded),
        scopeToggles: s.scopeToggles,
        kernelView: s.kernelView,
        loopBody: open !== null,
      },
      ctx.report.device,
    );
    fillLoopTrail(this.trail, ctx, c, open, passIndex);
    const matches = new Set(searchNodes(model, s.search));
    const drawnMatches = matches.size;
    // Matches inside loop bodies are not drawn here: their loop is marked, and the status counts them.
    const inLoops = searchLoopBodies(shown.passes[passIndex]!.graph, s.search);
    for (const id of inLoops.keys()) matches.add(model.drawnFor[id] ?? id);
    const inLoopOps = [...inLoops.values()].reduce((a, b) => a + b, 0);
    this.lastModel = model;
    this.searchHits = searchPass(shown, passIndex, model, s.search);
    if (s.search !== this.searchedFor) {
      this.searchedFor = s.search;
      this.searchAt = -1;
    }
    this.searchCount.textContent = !s.search.trim()
      ? ""
      : this.searchAt >= 0
        ? `${this.searchAt + 1} of ${this.searchHits.length}`
        : `${this.searchHits.length} found${inLoopOps ? `, ${inLoopOps} in loops` : ""}`;
    const key = JSON.stringify([
      ctx.report.createdAt,
      ctx.report.wallMs,
      c.id,
      passIndex,
      s.hideConstants,
      s.collapsed,
      s.expanded,
      s.search,
      s.revealed,
      s.scopeToggles,
      s.kernelView,
      s.loop,
    ]);
    if (key === this.drawnKey && this.renderer) return;
    this.drawnKey = key;
    const closed = model.nodes.filter((n) => n.kind === "scope").length;
    this.status(
      s.search
        ? `${this.searchHits.length} op(s) match "${s.search}", ${drawnMatches} drawn${inLoopOps ? ` · ${inLoopOps} more inside ${plural(inLoops.size, "loop")} (marked: click to open)` : ""} · Enter / Shift+Enter: centre the next / previous`
        : [
            plural(model.opCount, "op"),
            // Every kernel of the pass, and how many are drawn when closed scopes hold the rest
            // ("0 kernels" beside 247 closed blocks read as if nothing had been fused).
            kernelsText(shown.passes[passIndex]!.graph.groups.length, model.kernelCount),
            model.scopes.length || closed ? `${plural(model.scopes.length, "scope")} open, ${closed} closed` : "",
            model.hiddenConstants ? `${model.hiddenConstants} constants hidden` : "",
          ]
            .filter(Boolean)
            .join(" · "),
    );
    this.element.dataset.state = "layout";
    const t0 = performance.now();
    this.element.dataset.requestAt = String(t0);
    const input = layoutInputOf(model);
    void this.layouts.layout(input).then((outcome) => {
      if (!outcome || key !== this.drawnKey) return;
      const t1 = performance.now();
      let { result: layout, failures } = outcome;
      try {
        this.draw(ctx, shown, model, layout, matches);
      } catch (err) {
        // A drawing error on a good layout: try the grid once before giving up on a picture.
        failures = [
          ...failures,
          `drawing (${layout.engine}): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
        ];
        layout = { ...simpleLayout(input), engine: "simple", ms: 0 };
        try {
          this.draw(ctx, shown, model, layout, matches);
        } catch (again) {
          failures.push(`drawing (simple): ${again instanceof Error ? again.message : String(again)}`);
        }
      }
      this.showFailures(failures, layout.engine);
      this.element.dataset.drawMs = String(Math.round(performance.now() - t1));
      this.element.dataset.state = failures.length ? "rendered-fallback" : "rendered";
      this.element.dataset.renderMs = String(Math.round(performance.now() - t0));
      this.element.dataset.layoutEngine = layout.engine;
      this.element.dataset.layoutMs = String(Math.round(layout.ms));
    });
  }

  /** Layout or drawing failures are shown over the graph with their messages, never swallowed. */
  private showFailures(failures: readonly string[], drawn: string): void {
    this.errorEl.hidden = failures.length === 0;
    this.errorEl.textContent = failures.length ? `${failures.join("; ")} (showing the ${drawn} layout instead)` : "";
  }

  private draw(ctx: PanelContext, c: Compilation, model: GraphModel, layout: LayoutResult, matches: Set<string>): void {
    if (!this.renderer) {
      this.canvas.replaceChildren();
      this.renderer = new GraphRenderer(this.canvas, ctx.tooltip);
      this.canvas.appendChild(this.legend);
      fillLegend(this.legend);
      const renderer = this.renderer;
      const minimap = new Minimap(this.canvas, (x, y) => renderer.panTo(x, y));
      this.minimap = minimap;
      renderer.onZoom = () => minimap.setViewport(renderer.viewport());
      // Above the legend, whether it is open or closed.
      this.legend.addEventListener("toggle", () => {
        minimap.setBottom(this.legendInset() + 8);
      });
    }
    // Revealed ops inside a closed scope or a collapsed kernel mark the node drawn for them.
    const revealed = new Set(ctx.state.revealed.map((id) => model.drawnFor[id] ?? id));
    this.lastLayout = layout;
    this.renderer.draw(
      model,
      layout,
      { matches, revealed, searching: ctx.state.search.trim() !== "" },
      {
        nodeClick: (n) => {
          if (isFold(n.id)) {
            ctx.update({ expanded: [...ctx.state.expanded.filter((c) => c !== n.id), n.id] });
            return;
          }
          if (n.kind === "scope") {
            this.toggleScope(ctx, n.id, true);
            return;
          }
          if (n.kind === "kernel") {
            const k = n.id.slice(COLLAPSED_PREFIX.length);
            ctx.update({
              collapsed: ctx.state.collapsed.filter((c) => c !== k),
              expanded: [...ctx.state.expanded.filter((c) => c !== k), k],
            });
            return;
          }
          if (n.loop) {
            const entered = enterLoop(ctx, c, n.id);
            if (entered) this.status(entered);
            return;
          }
          if (n.bundle) {
            this.status(bundleText(n.label, n.bundle).replace("\n", ": "));
            return;
          }
          if (!n.location) {
            this.status(`${n.label}: no source location`);
            return;
          }
          if (ctx.host.inEditor) ctx.host.post({ type: "revealLocation", location: n.location });
          this.status(
            `${n.label} ${n.dtype}[${n.shape.join(",")}] at ${formatShortLocation(n.location)}${ctx.host.inEditor ? "" : " (open the report in VS Code to jump there)"}`,
          );
        },
        clusterClick: (cl) => {
          // A kernel of an unfolded fold: fold them all again.
          const fold = model.repeats.find((r) => !r.folded && r.kernels.includes(cl.id));
          if (fold) return ctx.update({ expanded: ctx.state.expanded.filter((k) => k !== fold.id) });
          ctx.update({
            collapsed: [...ctx.state.collapsed, cl.id],
            expanded: ctx.state.expanded.filter((k) => k !== cl.id),
          });
        },
        scopeClick: (sc) => this.toggleScope(ctx, sc.id, false),
      },
    );
    this.minimap?.draw(layout, model.opCount >= MINIMAP_MIN_OPS);
    this.minimap?.setBottom(this.legendInset() + 8);
    const marked = markDiffClusters(this.canvas, ctx.diff);
    this.legend.querySelector(".jit-legend-diff")?.remove();
    if (marked > 0) {
      const span = Object.assign(document.createElement("span"), { className: "jit-legend-diff" });
      const sw = Object.assign(document.createElement("i"), { className: "jit-swatch" });
      sw.setAttribute("style", "border:2px solid var(--jit-green)");
      span.append(sw, "new or reshaped since the baseline (Diff tab)");
      this.legend.appendChild(span);
    }
    // A function or loop body drawn for the first time is fitted to the view.
    const drawnKey = [c.id, ...ctx.state.loop].join("/");
    if (this.drawnCompilation !== drawnKey && this.pendingFocus === null) {
      this.drawnCompilation = drawnKey;
      this.renderer.fit(layout, this.legendInset(), this.minimap?.box() ?? null);
    }
    this.drawnCompilation = drawnKey;
    if (this.pendingFocus !== null) {
      this.focusMatch(model, layout, this.pendingFocus);
      this.pendingFocus = null;
      this.anchor = null;
      return;
    }
    // An opened or closed scope stays where it was on screen: the rest moves around it.
    if (this.anchor) {
      this.renderer.keepInPlace(layout, this.anchor.id, this.anchor.screen);
      this.anchor = null;
      return;
    }
    const focus = revealed.size ? [...revealed] : matches.size ? [...matches] : [];
    if (focus.length) this.renderer.centreOn(layout, focus);
  }

  /** Enter / Shift+Enter in the search box: centre the next / previous match, opening the
   *  closed scopes or collapsed kernel that hide it first. */
  private stepSearch(ctx: PanelContext, delta: 1 | -1): void {
    const n = this.searchHits.length;
    const model = this.lastModel;
    const c = shownCompilation(ctx);
    if (n === 0 || !model || !c) {
      this.searchCount.textContent = ctx.state.search.trim() ? "0 found" : "";
      return;
    }
    this.searchAt = this.searchAt < 0 ? (delta > 0 ? 0 : n - 1) : (this.searchAt + delta + n) % n;
    const target = this.searchHits[this.searchAt]!;
    this.searchCount.textContent = `${this.searchAt + 1} of ${n}`;
    const hiddenIn = model.drawnFor[target];
    const op = c.passes[currentPassIndex(ctx, c)]!.graph.nodes.find((x) => x.id === target);
    if (hiddenIn !== undefined && op && !ctx.state.kernelView) {
      const toggles = { ...ctx.state.scopeToggles };
      for (const id of scopesAround(op.nameStack)) toggles[id] = true;
      const collapsed = ctx.state.collapsed.filter((k) => COLLAPSED_PREFIX + k !== hiddenIn);
      const expanded = hiddenIn.startsWith(COLLAPSED_PREFIX)
        ? [...ctx.state.expanded, hiddenIn.slice(COLLAPSED_PREFIX.length)]
        : isFold(hiddenIn)
          ? [...ctx.state.expanded, hiddenIn]
          : ctx.state.expanded;
      this.pendingFocus = target;
      ctx.update({ scopeToggles: toggles, collapsed, expanded });
      // Nothing to redraw (already open as far as it goes): centre on what stands for it now.
      if (this.pendingFocus !== null && this.lastLayout && this.element.dataset.state !== "layout") {
        this.focusMatch(model, this.lastLayout, target);
        this.pendingFocus = null;
      }
      return;
    }
    if (this.lastLayout) this.focusMatch(model, this.lastLayout, target);
  }

  /** Centres the drawn node standing for op `id` and marks it as the current match. */
  private focusMatch(model: GraphModel, layout: LayoutResult, id: string): void {
    const drawn = model.drawnFor[id] ?? id;
    this.renderer?.centreOn(layout, [drawn]);
    for (const el of this.canvas.querySelectorAll(".jit-node.current")) el.classList.remove("current");
    this.canvas.querySelector(`.jit-node[data-node="${CSS.escape(drawn)}"]`)?.classList.add("current");
    this.element.dataset.searchFocus = drawn;
  }

  /** The open legend covers the bottom of the canvas: fit above it. */
  private legendInset(): number {
    return this.legend.isConnected ? this.legend.getBoundingClientRect().height + 8 : 0;
  }

  private anchor: { id: string; screen: { x: number; y: number } | null } | null = null;

  private toggleScope(ctx: PanelContext, id: string, open: boolean): void {
    this.anchor = {
      id,
      screen: this.renderer && this.lastLayout ? this.renderer.screenPosition(this.lastLayout, id) : null,
    };
    ctx.update({ scopeToggles: { ...ctx.state.scopeToggles, [id]: open } });
  }

  private status(text: string): void {
    this.statusEl.textContent = text;
  }

  private setAllScopes(ctx: PanelContext, open: boolean): void {
    const c = shownCompilation(ctx);
    if (!c) return;
    const ids = new Set<string>();
    for (const p of c.passes)
      for (const n of p.graph.nodes) {
        for (let i = 1; i <= n.nameStack.length; i++) ids.add(`scope:${n.nameStack.slice(0, i).join("/")}`);
      }
    // Chains merged into one group are named by their last segment: every prefix is listed.
    const toggles = { ...ctx.state.scopeToggles };
    for (const id of ids) toggles[id] = open;
    // Closing all folds the folds again too.
    const expanded = open ? ctx.state.expanded : ctx.state.expanded.filter((k) => !isFold(k));
    ctx.update({ scopeToggles: toggles, collapsed: [], expanded });
    this.drawnCompilation = ""; // refit
  }

  private searchField(ctx: PanelContext): HTMLElement {
    const field = textField("Search", ctx.state.search, (v) => ctx.update({ search: v }), { id: "search-ops" });
    field.title = "search ops by name · Enter: centre the next match · Shift+Enter: the previous";
    field.addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      this.stepSearch(ctx, ev.shiftKey ? -1 : 1);
    });
    return field;
  }

  private buildToolbar(ctx: PanelContext, c: Compilation): void {
    const key = `${c.id}|${ctx.report.createdAt}|${ctx.report.compilations.length}`;
    if (key === this.toolbarKey) return;
    this.toolbarKey = key;
    this.toolbar.replaceChildren(
      ...graphToolbarItems(ctx, c, {
        passLabel: this.passLabel,
        searchField: this.searchField(ctx),
        searchCount: this.searchCount,
        fitToView: () => this.fitToView(),
        setAllScopes: (open) => this.setAllScopes(ctx, open),
        invalidate: () => (this.drawnCompilation = ""),
      }),
    );
  }
}
