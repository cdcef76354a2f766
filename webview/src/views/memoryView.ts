// The Memory view: per compilation, its memory plan as buffer lifetimes over the steps of one call
// (x: step, one bar per buffer stacked by bytes, coloured by size), the peak step marked, and the
// buffers live at the peak listed with the source lines that produced them. Clicking a bar or a
// row reveals that line.

import * as d3 from "d3";
import { formatBytes, formatLineRef, type Compilation, type MemoryBuffer } from "@jitscope/contract";
import { dropdown } from "../components/controls.js";
import {
  lifetimeText,
  memoryLayout,
  writtenAtText,
  type MemoryLayout,
  type MemorySegment,
} from "../model/memoryModel.js";
import type { PanelContext, PanelViewImpl } from "./context.js";
import { currentCompilation } from "./currentPass.js";

const M = { top: 26, right: 16, bottom: 40, left: 70 };

/** A bar's fill by size: the blue from pale (small) to full (the largest buffer), linear in
 *  bytes, so among buffers of similar height the larger reads darker. */
export function bufferFill(bytes: number, hi: number): string {
  const t = hi > 0 ? Math.max(0, Math.min(1, bytes / hi)) : 1;
  return `color-mix(in srgb, var(--jit-jit) ${Math.round(28 + 72 * t)}%, var(--jit-bg))`;
}

/** The byte unit the axis counts in (B, KiB, MiB, GiB), so its ticks are round numbers of it. */
function byteUnit(top: number): { size: number; name: string } {
  const names = ["B", "KiB", "MiB", "GiB"];
  let k = 0;
  while (k < names.length - 1 && top >= 1024 ** (k + 1)) k++;
  return { size: 1024 ** k, name: names[k]! };
}

export function bufferTooltip(b: MemoryBuffer, steps: number, stepLabel?: string): string {
  return [
    `${b.label} · ${b.kind}`,
    `${formatBytes(b.bytes)} · live ${lifetimeText(b, steps)}`,
    b.location ? `written at ${formatLineRef(b.location.file, b.location.line)}` : "",
    stepLabel ? `this step runs ${stepLabel}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

export class MemoryView implements PanelViewImpl {
  readonly element: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly list: HTMLElement;
  private readonly statusLine: HTMLElement;
  private ctx: PanelContext | null = null;
  private drawnFor: unknown = null;

  constructor() {
    this.element = document.createElement("section");
    this.element.className = "jit-view";
    this.element.id = "view-memory";
    this.toolbar = Object.assign(document.createElement("div"), { className: "jit-toolbar" });
    this.chart = Object.assign(document.createElement("div"), { className: "jit-memory-chart" });
    this.list = Object.assign(document.createElement("div"), { className: "jit-scroll jit-memory-list" });
    this.statusLine = Object.assign(document.createElement("div"), {
      className: "jit-status",
      textContent: "hover a bar for its buffer · click a bar or a row to show the line that wrote it",
    });
    this.element.append(this.toolbar, this.chart, this.list, this.statusLine);
    new ResizeObserver(() => {
      if (this.ctx && !this.element.hidden) this.render(this.ctx, true);
    }).observe(this.chart);
  }

  update(ctx: PanelContext): void {
    this.ctx = ctx;
    this.render(ctx, false);
  }

  private render(ctx: PanelContext, force: boolean): void {
    const c = currentCompilation(ctx);
    const width = Math.max(320, this.chart.clientWidth || 800);
    const key = `${c?.id}|${width}|${this.chart.clientHeight}`;
    if (!force && this.drawnFor === ctx.report && this.element.dataset.key === key) return;
    this.drawnFor = ctx.report;
    this.element.dataset.key = key;
    this.element.dataset.state = "rendering";
    this.chart.replaceChildren();
    this.list.replaceChildren();
    if (!c) {
      this.toolbar.replaceChildren();
      this.empty(
        "No compiled function in this report: the memory plan belongs to jitted functions. An eager run's live bytes are on the Timeline.",
      );
      return;
    }
    const fns = ctx.report.compilations.map((x) => ({ value: x.id, label: `${x.functionName} ${x.signature}` }));
    const summary = Object.assign(document.createElement("span"), { className: "jit-memory-summary" });
    this.toolbar.replaceChildren(
      dropdown(fns, c.id, (v) => ctx.update({ compilation: v, revealed: [] }), {
        title: "compiled function",
        id: "memory-compilation-select",
      }),
      summary,
    );
    const names = new Map([...ctx.kernels.values()].map((k) => [k.id, k.name]));
    const layout = memoryLayout(c, names);
    if (!layout) {
      summary.textContent = "";
      this.empty("This report has no memory plan for this function (it was made before memory plans were recorded).");
      return;
    }
    const { plan } = layout;
    summary.textContent = `peak ${formatBytes(plan.peakBytes)} live at step ${plan.peakStep} of ${plan.steps} (${layout.stepLabels[plan.peakStep] ?? "–"}) · ${layout.atPeak.length} of ${plan.buffers.length} buffers live there · the plan allocates ${formatBytes(c.peakBytes)}`;
    this.drawChart(ctx, c, layout, width, Math.max(180, this.chart.clientHeight || 300));
    this.drawList(ctx, layout);
    this.element.dataset.state = "rendered";
  }

  private empty(text: string): void {
    this.chart.append(Object.assign(document.createElement("div"), { className: "jit-empty", textContent: text }));
    this.element.dataset.state = "rendered";
  }

  private drawChart(ctx: PanelContext, c: Compilation, layout: MemoryLayout, width: number, height: number): void {
    const { plan, buffers } = layout;
    const steps = Math.max(1, plan.steps);
    const svg = d3
      .select(this.chart)
      .append("svg")
      .attr("class", "jit-chart jit-memory")
      .attr("width", width)
      .attr("height", height)
      .attr("role", "img")
      .attr("aria-label", `${c.functionName}: buffers live at each step of a call, stacked by bytes`);
    const x = d3
      .scaleLinear()
      .domain([0, steps])
      .range([M.left, width - M.right]);
    const top = Math.max(1, ...layout.liveBytes);
    const unit = byteUnit(top);
    const yUnits = d3
      .scaleLinear()
      .domain([0, (top * 1.08) / unit.size])
      .range([height - M.bottom, M.top])
      .nice();
    const y = (bytes: number): number => yUnits(bytes / unit.size);
    svg
      .append("g")
      .attr("class", "axis")
      .attr("transform", `translate(0,${height - M.bottom})`)
      .call(
        d3
          .axisBottom(x)
          .ticks(Math.min(steps, Math.floor((width - M.left - M.right) / 50)))
          .tickFormat((v) => (Number.isInteger(Number(v)) && Number(v) < steps ? String(v) : "")),
      );
    svg
      .append("g")
      .attr("class", "axis")
      .attr("transform", `translate(${M.left},0)`)
      .call(
        d3
          .axisLeft(yUnits)
          .ticks(5)
          .tickFormat((v) => `${Number(v)} ${unit.name}`),
      );
    svg
      .append("text")
      .attr("class", "axis-title")
      .attr("x", (M.left + width - M.right) / 2)
      .attr("y", height - 6)
      .attr("text-anchor", "middle")
      .text("step (kernel dispatches of one call, in order)");
    const sizes = buffers.map((b) => b.bytes).filter((b) => b > 0);
    const hi = Math.max(1, ...sizes);
    const tip = ctx.tooltip;
    const stepAt = (ev: MouseEvent): number => {
      const [mx] = d3.pointer(ev, svg.node());
      return Math.max(0, Math.min(steps - 1, Math.floor(x.invert(mx))));
    };
    svg
      .append("g")
      .attr("class", "jit-buffers")
      .selectAll("rect")
      .data(layout.segments)
      .join("rect")
      .attr("class", (s) => `jit-buffer kind-${buffers[s.buffer]!.kind}`)
      .attr("data-buffer", (s) => buffers[s.buffer]!.id)
      .attr("x", (s) => x(s.from))
      .attr("width", (s) => Math.max(1, x(s.to + 1) - x(s.from) - (steps < 60 ? 1 : 0)))
      .attr("y", (s) => y(s.offset + buffers[s.buffer]!.bytes))
      .attr("height", (s) => Math.max(0.5, y(s.offset) - y(s.offset + buffers[s.buffer]!.bytes)))
      .style("fill", (s) => bufferFill(buffers[s.buffer]!.bytes, hi))
      .on("mousemove", (ev: MouseEvent, s: MemorySegment) => {
        const b = buffers[s.buffer]!;
        tip.show(bufferTooltip(b, plan.steps, layout.stepLabels[stepAt(ev)]), ev);
        svg.selectAll<SVGRectElement, MemorySegment>("rect.jit-buffer").classed("hover", (o) => o.buffer === s.buffer);
      })
      .on("mouseleave", () => {
        tip.hide();
        svg.selectAll("rect.jit-buffer").classed("hover", false);
      })
      .on("click", (_ev, s) => this.reveal(ctx, buffers[s.buffer]!));
    // The peak: a marker over its column, and a line at its height.
    const px = x(plan.peakStep + 0.5);
    const peak = svg.append("g").attr("class", "jit-peak").attr("data-step", plan.peakStep);
    peak
      .append("line")
      .attr("x1", M.left)
      .attr("x2", width - M.right)
      .attr("y1", y(plan.peakBytes))
      .attr("y2", y(plan.peakBytes));
    peak
      .append("path")
      .attr("class", "jit-peak-marker")
      .attr(
        "d",
        `M${px - 6},${y(plan.peakBytes) - 12}L${px + 6},${y(plan.peakBytes) - 12}L${px},${y(plan.peakBytes) - 3}Z`,
      );
    const right = px > (M.left + width) / 2;
    peak
      .append("text")
      .attr("x", px + (right ? -10 : 10))
      .attr("y", Math.max(12, y(plan.peakBytes) - 8))
      .attr("text-anchor", right ? "end" : "start")
      .text(`peak ${formatBytes(plan.peakBytes)} · step ${plan.peakStep}`);
  }

  private drawList(ctx: PanelContext, layout: MemoryLayout): void {
    const { plan, buffers } = layout;
    const h = Object.assign(document.createElement("div"), {
      className: "jit-memory-head",
      textContent: `Live at the peak (step ${plan.peakStep}: ${layout.stepLabels[plan.peakStep] ?? "–"}), largest first`,
    });
    const table = document.createElement("table");
    table.className = "jit-table jit-peak-buffers";
    const head = table.createTHead().insertRow();
    for (const [t, num] of [
      ["Buffer", false],
      ["Kind", false],
      ["Bytes", true],
      ["Live", false],
      ["Written at", false],
    ] as const) {
      const th = document.createElement("th");
      th.textContent = t;
      if (num) th.className = "num";
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const i of layout.atPeak) {
      const b = buffers[i]!;
      const tr = body.insertRow();
      tr.dataset.buffer = b.id;
      tr.tabIndex = 0;
      const cells: [string, string][] = [
        [b.label, "mono"],
        [b.kind, ""],
        [formatBytes(b.bytes), "num"],
        [lifetimeText(b, plan.steps), ""],
        [writtenAtText(b), b.location ? "mono" : ""],
      ];
      for (const [text, cls] of cells) Object.assign(tr.insertCell(), { textContent: text, className: cls });
      tr.addEventListener("click", () => this.reveal(ctx, b));
      tr.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") this.reveal(ctx, b);
      });
    }
    this.list.replaceChildren(h, table);
  }

  private reveal(ctx: PanelContext, b: MemoryBuffer): void {
    ctx.tooltip.hide();
    if (b.location && ctx.host.inEditor) ctx.host.post({ type: "revealLocation", location: b.location });
    const from = b.location
      ? `${b.kind}, written at ${writtenAtText(b)}`
      : writtenAtText(b).replace(/^argument/, "an argument");
    this.statusLine.textContent = `${b.label}: ${formatBytes(b.bytes)}, ${from}`;
  }
}
