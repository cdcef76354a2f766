// The panel: header with tabs, the four views, the status/text panes, and the state that ties
// them together. Handles the host's messages and the pass-stepping keys.

import { button } from "./components/controls.js";
import type { PanelHost } from "./host.js";
import { buildGraphModel } from "./model/graphModel.js";
import { nodesOnLine, opsOnLine } from "./model/graphQueries.js";
import { openLoop } from "./model/loopBody.js";
import type { DiffLine } from "./model/textDiff.js";
import {
  formatShortLocation,
  PANEL_VIEWS,
  type Compilation,
  type HostToPanel,
  type KernelReport,
  type PanelView,
  type Report,
  type ReportDiff,
} from "@jitscope/contract";
import { restoreState, type PanelState } from "./state.js";
import { CompareView } from "./views/compareView.js";
import { DiffView } from "./views/diffView.js";
import type { PanelContext, PanelViewImpl } from "./views/context.js";
import { currentCompilation, currentPassIndex, kernelReveal, stepPassIn } from "./views/currentPass.js";
import { GraphView } from "./views/graphView.js";
import { leaveLoop } from "./views/loopTrail.js";
import { HintsView } from "./views/hintsView.js";
import { KernelsView } from "./views/kernelsView.js";
import { MemoryView } from "./views/memoryView.js";
import { RooflineView } from "./views/rooflineView.js";
import { TimelineView } from "./views/timelineView.js";
import { Tooltip } from "./views/tooltip.js";

const TAB_TITLES: Record<PanelView, string> = {
  graph: "Graph",
  kernels: "Kernels",
  roofline: "Roofline",
  memory: "Memory",
  compare: "Compare",
  timeline: "Timeline",
  diff: "Diff",
  hints: "Hints",
};

export class PanelApp {
  private report: Report | null = null;
  private diff: ReportDiff | null = null;
  private kernels = new Map<string, KernelReport>();
  private state: PanelState;
  private readonly views: Record<PanelView, PanelViewImpl>;
  private readonly tabs = new Map<PanelView, HTMLButtonElement>();
  private readonly subtitle: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly deviceInfo: HTMLElement;
  private readonly viewsEl: HTMLElement;
  private readonly textPane: HTMLElement;
  private readonly tooltip: Tooltip;
  private readonly ctx: PanelContext;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: PanelHost,
  ) {
    this.state = restoreState(host.getState());
    this.views = {
      graph: new GraphView(),
      kernels: new KernelsView(),
      roofline: new RooflineView(),
      memory: new MemoryView(),
      compare: new CompareView(),
      timeline: new TimelineView(),
      diff: new DiffView(),
      hints: new HintsView(),
    };
    const header = document.createElement("header");
    header.className = "jit-header";
    const title = Object.assign(document.createElement("span"), { className: "jit-title", textContent: "JIT Scope" });
    this.subtitle = Object.assign(document.createElement("span"), { className: "jit-subtitle" });
    const tablist = document.createElement("nav");
    tablist.className = "jit-tabs";
    tablist.setAttribute("role", "tablist");
    for (const v of PANEL_VIEWS) {
      const b = document.createElement("button");
      b.className = "jit-tab";
      b.id = `tab-${v}`;
      b.textContent = TAB_TITLES[v];
      b.setAttribute("role", "tab");
      b.setAttribute("aria-controls", `view-${v}`);
      b.addEventListener("click", () => this.ctx.update({ view: v }));
      this.tabs.set(v, b);
      tablist.appendChild(b);
    }
    this.deviceInfo = Object.assign(document.createElement("span"), {
      className: "jit-info",
      textContent: "i",
      tabIndex: 0,
    });
    this.deviceInfo.setAttribute("role", "note");
    this.deviceInfo.hidden = true;
    header.append(title, tablist, this.subtitle, this.deviceInfo);
    this.notes = Object.assign(document.createElement("div"), { className: "jit-notes" });
    // Not <main>: the standalone page's base style pads <main> for its static summary.
    this.viewsEl = document.createElement("div");
    this.viewsEl.className = "jit-view";
    for (const v of PANEL_VIEWS) {
      this.views[v].element.setAttribute("role", "tabpanel");
      this.views[v].element.hidden = true;
      this.viewsEl.appendChild(this.views[v].element);
    }
    this.textPane = document.createElement("section");
    this.textPane.id = "text-pane";
    this.textPane.hidden = true;
    this.tooltip = new Tooltip(document.body);
    root.replaceChildren(header, this.notes, this.viewsEl, this.textPane);

    // The context's getters have their own `this`: they read the app through this name.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const app = this;
    this.ctx = {
      get report() {
        return app.report!;
      },
      get kernels() {
        return app.kernels;
      },
      get diff() {
        return app.diff;
      },
      get state() {
        return app.state;
      },
      host,
      tooltip: this.tooltip,
      update: (patch) => this.update(patch),
      status: (text) => {
        const s = this.views.graph.element.querySelector(".jit-status");
        if (s) s.textContent = text;
      },
      showText: (t, text, diff) => this.showText(t, text, diff),
    };
    this.empty("Waiting for a report… Run “JIT Scope: Profile Current File”.");
    document.addEventListener("keydown", (ev) => this.onKey(ev));
  }

  setReport(report: Report, view?: PanelView, compilation?: string, diff: ReportDiff | null = null): void {
    this.report = report;
    this.diff = diff;
    this.kernels = new Map(report.kernels.map((k) => [k.id, k]));
    const d = report.device;
    this.subtitle.textContent = `${report.script} · ${d.backend} · ${d.adapter}${report.status !== "completed" ? ` · run ${report.status}` : ""}`;
    // Device notes (how kernels were timed) are an icon with a tooltip: they are about every
    // number on the page but take the graph's room as text. Errors stay in plain sight.
    this.deviceInfo.hidden = d.notes.length === 0;
    this.deviceInfo.title = d.notes.join("\n\n");
    this.deviceInfo.setAttribute("aria-label", `about these measurements: ${d.notes.join(" ")}`);
    const notes = report.errors.map(
      (e) => `${e.kind} error: ${e.message.split("\n")[0]}${e.location ? ` (${formatShortLocation(e.location)})` : ""}`,
    );
    this.notes.textContent = notes.join(" · ");
    this.notes.hidden = notes.length === 0;
    const hints = report.hints?.length ?? 0;
    this.tabs.get("hints")!.textContent = hints > 0 ? `${TAB_TITLES.hints} (${hints})` : TAB_TITLES.hints;
    const patch: Partial<PanelState> = {};
    if (view) patch.view = view;
    if (compilation) patch.compilation = compilation;
    this.update(patch);
  }

  handle(msg: HostToPanel): void {
    switch (msg.type) {
      case "report":
        this.setReport(msg.report, msg.view, msg.compilation, msg.diff ?? null);
        break;
      case "showView":
        this.update({ view: msg.view, ...(msg.compilation ? { compilation: msg.compilation } : {}) });
        break;
      case "reveal":
        this.reveal(msg.kernel, msg.location);
        break;
      case "cursor":
        this.cursor(msg.location);
        break;
      case "clear":
        this.report = null;
        this.empty("No report.");
        break;
      default:
        msg satisfies never;
    }
  }

  private update(patch: Partial<PanelState>): void {
    // A tooltip belongs to the view it was shown over: switching views takes it away.
    if (patch.view !== undefined && patch.view !== this.state.view) this.tooltip.hide();
    // Ops revealed or another function chosen without a body named: they are the function's, so
    // an open loop body closes (a body's own reveals name the body: `loop` in the same patch).
    const leavesBody =
      (patch.revealed?.length || (patch.compilation !== undefined && patch.compilation !== this.state.compilation)) &&
      patch.loop === undefined;
    if (leavesBody && this.state.loop.length) patch = { ...patch, loop: [] };
    this.state = { ...this.state, ...patch };
    this.host.setState(this.state);
    if (!this.report) return;
    for (const v of PANEL_VIEWS) {
      const on = v === this.state.view;
      this.views[v].element.hidden = !on;
      this.tabs.get(v)!.setAttribute("aria-selected", String(on));
    }
    this.viewsEl.hidden = false;
    this.views[this.state.view].update(this.ctx);
  }

  /** The editor's cursor line: its ops in the function shown are marked, nothing else changes
   *  (a line of another function switches to it only when the shown one has nothing there). */
  private cursor(location: { file: string; line: number }): void {
    if (!this.report) return;
    const cur = currentCompilation(this.ctx);
    if (cur && this.revealInBody(cur, location)) return;
    const order = [cur, ...this.report.compilations.filter((c) => c !== cur)].filter((c) => c !== null);
    for (const c of order) {
      const ids = opsOnLine(c, currentPassIndex(this.ctx, c), location.file, location.line);
      if (ids.length) {
        if (ids.join() !== this.state.revealed.join() || c !== cur) this.update({ compilation: c.id, revealed: ids });
        return;
      }
    }
    if (this.state.revealed.length) this.update({ revealed: [] });
  }

  private reveal(kernel: string | undefined, location: { file: string; line: number } | undefined): void {
    if (!this.report) return;
    if (kernel) {
      const k = this.kernels.get(kernel);
      if (k?.compilation) this.update({ view: "graph", ...kernelReveal(this.ctx, k) });
      return;
    }
    if (!location) return;
    // The open loop body first, the current function next, then any other with ops on that line.
    const cur = currentCompilation(this.ctx);
    if (cur && this.revealInBody(cur, location, "graph")) return;
    const order = [cur, ...this.report.compilations.filter((c) => c !== cur)].filter((c) => c !== null);
    for (const c of order) {
      const model = buildGraphModel(
        c,
        currentPassIndex(this.ctx, c),
        this.kernels,
        { hideConstants: false, collapsed: new Set() },
        this.report.device,
      );
      const ids = nodesOnLine(model, location.file, location.line);
      if (ids.length) {
        this.update({ view: "graph", compilation: c.id, revealed: ids });
        return;
      }
    }
  }

  /** The ops on a line inside the open loop body, marked there (the body stays open); false when
   *  no body is open or it has none on that line. */
  private revealInBody(c: Compilation, location: { file: string; line: number }, view?: "graph"): boolean {
    const i = currentPassIndex(this.ctx, c);
    const body = openLoop(c, i, this.state.loop);
    const ids = body ? opsOnLine(body.compilation, i, location.file, location.line) : [];
    if (ids.length === 0) return false;
    if (view || ids.join() !== this.state.revealed.join())
      this.update({ ...(view ? { view } : {}), revealed: ids, loop: this.state.loop });
    return true;
  }

  private onKey(ev: KeyboardEvent): void {
    if (!this.report || this.state.view !== "graph" || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const t = ev.target as HTMLElement | null;
    const tag = t?.tagName.toLowerCase() ?? "";
    if (tag === "input" || tag === "textarea" || tag.includes("text-field") || tag.includes("dropdown")) return;
    if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
      ev.preventDefault();
      stepPassIn(this.ctx, ev.key === "ArrowLeft" ? -1 : 1);
    } else if (ev.key === "f") {
      ev.preventDefault();
      (this.views.graph as GraphView).fitToView();
    } else if (ev.key === "m") {
      ev.preventDefault();
      (this.views.graph as GraphView).toggleMinimap();
    } else if ((ev.key === "Backspace" || ev.key === "Escape") && this.state.loop.length) {
      ev.preventDefault();
      leaveLoop(this.ctx, this.state.loop.length - 1);
    }
  }

  private showText(title: string, text: string, diff?: readonly DiffLine[]): void {
    const head = document.createElement("div");
    head.className = "jit-toolbar";
    const changed = diff ? diff.filter((l) => l.kind !== "same").length : 0;
    head.append(
      Object.assign(document.createElement("strong"), {
        textContent: diff ? `${title} · ${changed} line${changed === 1 ? "" : "s"} changed` : title,
      }),
      button(
        "Close",
        () => {
          this.textPane.hidden = true;
        },
        { secondary: true },
      ),
    );
    const pre = Object.assign(document.createElement("pre"), { className: "jit-pre", textContent: diff ? "" : text });
    // A unified diff: one element per line, marked, so a reader sees what the pass changed.
    if (diff) {
      for (const l of diff) {
        const row = Object.assign(document.createElement("div"), {
          className: `jit-diff-${l.kind}`,
          textContent: `${l.kind === "same" ? " " : l.kind === "added" ? "+" : "-"} ${l.text}`,
        });
        pre.appendChild(row);
      }
    }
    this.textPane.replaceChildren(head, pre);
    this.textPane.hidden = false;
  }

  private empty(text: string): void {
    this.viewsEl.hidden = true;
    this.notes.hidden = false;
    this.notes.textContent = text;
  }
}
