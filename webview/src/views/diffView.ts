// The Diff view: this run against its baseline (the previous run of the script, or a report picked
// with "Compare with Report…"). The same tables as `jitscope diff` (one source: diffTables), every
// kernel group drawn old → new with added, removed, split and merged ones marked, and rows that
// reveal their kernel in the graph or their line in the editor.

import { diffTables, type KernelDiffEntry, type ReportDiff } from "@jitscope/contract";
import type { PanelContext, PanelViewImpl } from "./context.js";
import { kernelReveal } from "./currentPass.js";

const SVG = "http://www.w3.org/2000/svg";

export class DiffView implements PanelViewImpl {
  readonly element: HTMLElement;
  private readonly scroll: HTMLElement;

  constructor() {
    this.element = document.createElement("section");
    this.element.className = "jit-view";
    this.element.id = "view-diff";
    this.scroll = document.createElement("div");
    this.scroll.className = "jit-scroll";
    this.element.appendChild(this.scroll);
  }

  update(ctx: PanelContext): void {
    const d = ctx.diff;
    if (!d) {
      const p = Object.assign(document.createElement("p"), {
        className: "jit-empty",
        textContent:
          "No baseline yet: profile the script again to compare with this run, or run “JIT Scope: Compare with Report…”.",
      });
      this.scroll.replaceChildren(p);
      return;
    }
    const summary = Object.assign(document.createElement("p"), {
      className: "jit-diff-summary",
      textContent: `vs ${d.old.createdAt}: ${d.summary.text}`,
    });
    const method = Object.assign(document.createElement("p"), { className: "jit-sub", textContent: d.method });
    const parts: Node[] = [summary, kernelGraph(ctx, d)];
    for (const t of diffTables(d, { all: true })) {
      parts.push(Object.assign(document.createElement("h3"), { textContent: t.title }));
      const table = document.createElement("table");
      table.className = "jit-table jit-diff-table";
      table.dataset.kind = t.kind;
      const head = table.createTHead().insertRow();
      for (const h of t.head) head.appendChild(Object.assign(document.createElement("th"), { textContent: h }));
      const body = table.createTBody();
      t.rows.forEach((row, i) => {
        const tr = body.insertRow();
        for (const cell of row) tr.insertCell().textContent = cell;
        if (t.kind === "kernels") {
          const k = d.kernels[i]!;
          tr.className = `change-${k.change}`;
          tr.dataset.change = k.change;
          tr.addEventListener("click", () => revealKernel(ctx, k));
        } else if (t.kind === "lines") {
          const l = d.lines[i]!;
          if (l.significant) tr.className = "significant";
          if (l.newLine !== null) tr.addEventListener("click", () => reveal(ctx, l.file, l.newLine!));
        } else {
          const f = d.functions[i]!;
          if (f.newLocation) tr.addEventListener("click", () => reveal(ctx, f.newLocation!.file, f.newLocation!.line));
        }
      });
      parts.push(table);
    }
    parts.push(method);
    this.scroll.replaceChildren(...parts);
  }
}

function reveal(ctx: PanelContext, file: string, line: number): void {
  if (ctx.host.inEditor) ctx.host.post({ type: "revealLocation", location: { file, line, column: 1 } });
  else ctx.status(`${file}:${line}`);
}

function revealKernel(ctx: PanelContext, k: KernelDiffEntry): void {
  const id = k.new[0]?.id;
  const kernel = id ? ctx.kernels.get(id) : undefined;
  if (kernel?.compilation) ctx.update({ view: "graph", ...kernelReveal(ctx, kernel) });
  else ctx.status(`${k.change}: ${k.old.map((r) => r.name).join(" + ")} (not in this run)`);
}

/** Old kernels on the left, new on the right, one band per diff entry, linked within a band. */
function kernelGraph(ctx: PanelContext, d: ReportDiff): SVGSVGElement {
  const entries = d.kernels.filter((k) => k.function !== null || k.change !== "same");
  const rowH = 22;
  const boxW = 260;
  const gap = 120;
  let y = 24;
  const svg = document.createElementNS(SVG, "svg");
  svg.classList.add("jit-diff-graph");
  const text = (x: number, yy: number, s: string, cls: string) => {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", String(x));
    t.setAttribute("y", String(yy));
    t.setAttribute("class", cls);
    t.textContent = s;
    svg.appendChild(t);
  };
  text(0, 14, "baseline", "jit-diff-head");
  text(boxW + gap, 14, "this run", "jit-diff-head");
  for (const k of entries) {
    const n = Math.max(k.old.length, k.new.length, 1);
    const top = y;
    const box = (x: number, i: number, name: string, side: "old" | "new") => {
      const g = document.createElementNS(SVG, "g");
      g.setAttribute("class", `jit-diff-kernel change-${k.change} side-${side}`);
      g.dataset.change = k.change;
      const r = document.createElementNS(SVG, "rect");
      r.setAttribute("x", String(x));
      r.setAttribute("y", String(top + i * rowH));
      r.setAttribute("width", String(boxW));
      r.setAttribute("height", String(rowH - 4));
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("x", String(x + 6));
      t.setAttribute("y", String(top + i * rowH + 13));
      t.textContent = `${name}${k.change === "same" ? "" : `  (${k.change})`}`;
      g.append(r, t);
      g.addEventListener("click", () => revealKernel(ctx, k));
      svg.appendChild(g);
    };
    k.old.forEach((r, i) => box(0, i, r.name, "old"));
    k.new.forEach((r, i) => box(boxW + gap, i, r.name, "new"));
    for (let i = 0; i < k.old.length; i++) {
      for (let j = 0; j < k.new.length; j++) {
        const l = document.createElementNS(SVG, "path");
        const y1 = top + i * rowH + rowH / 2 - 2;
        const y2 = top + j * rowH + rowH / 2 - 2;
        l.setAttribute("d", `M${boxW},${y1} C${boxW + gap / 2},${y1} ${boxW + gap / 2},${y2} ${boxW + gap},${y2}`);
        l.setAttribute("class", `jit-diff-link change-${k.change}`);
        svg.appendChild(l);
      }
    }
    y += n * rowH + 6;
  }
  svg.setAttribute("width", String(2 * boxW + gap + 2));
  svg.setAttribute("height", String(y));
  return svg;
}
