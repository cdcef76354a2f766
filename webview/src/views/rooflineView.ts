// The Roofline view: arithmetic intensity (FLOP/byte) against achieved GFLOP/s on log axes, the
// device's roofs from `device.peaks` (the bandwidth slope, the compute ceiling, the ridge point
// where they meet), one dot per kernel sized by its total GPU time and tinted by its share.
// Kernels without flops sit in a band left of the chart. Clicking a dot selects the kernel's ops
// in the graph and reveals its source line in the editor (the status line, standalone).

import * as d3 from "d3";
import {
  boundText,
  formatLineRef,
  formatNs,
  formatRate,
  formatShare,
  peaksText,
  type SourceLocation,
} from "@jitscope/contract";
import { rooflineModel, type RooflineModel, type RooflinePoint } from "../model/rooflineModel.js";
import type { PanelContext, PanelViewImpl } from "./context.js";

const M = { top: 22, right: 18, bottom: 44, left: 62 };
const BAND_W = 64;
const R_MIN = 3;
const R_MAX = 14;

/** A dot's fill: the hot colour mixed in by its share relative to the largest share. */
export function dotFill(share: number, maxShare: number): string {
  const t = maxShare > 0 ? Math.sqrt(Math.max(0, share) / maxShare) : 0;
  return `color-mix(in srgb, var(--jit-hot) ${Math.round(15 + 85 * t)}%, var(--jit-muted))`;
}

export function rooflineTooltip(p: RooflinePoint): string {
  const lines = [`${p.name}${p.mode === "eager" ? " (eager)" : ""}`];
  lines.push(boundText(p) || "bound unknown (no device peaks)");
  lines.push(`median ${p.medianText} · total ${formatNs(p.totalNs)} (${formatShare(p.share)} of GPU time)`);
  lines.push(
    `${p.intensity !== null ? `${formatRate(p.intensity, "FLOP/B")} · ` : "no flops · "}${formatRate(p.gflopPerS, "GFLOP/s")} · ${formatRate(p.gbPerS, "GB/s")}`,
  );
  const refs = [...new Set(p.locations.map((l) => formatLineRef(l.file, l.line)))];
  if (refs.length) lines.push(refs.slice(0, 4).join(" ") + (refs.length > 4 ? ` … ${refs.length - 4} more` : ""));
  return lines.join("\n");
}

export class RooflineView implements PanelViewImpl {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly statusLine: HTMLElement;
  private ctx: PanelContext | null = null;
  private selected: string | null = null;
  private drawn = "";
  private drawnFor: unknown = null;

  constructor() {
    this.element = document.createElement("section");
    this.element.className = "jit-view";
    this.element.id = "view-roofline";
    this.caption = Object.assign(document.createElement("div"), { className: "jit-toolbar jit-roofline-caption" });
    this.chart = Object.assign(document.createElement("div"), { className: "jit-roofline" });
    this.statusLine = Object.assign(document.createElement("div"), {
      className: "jit-status",
      textContent: "hover a dot for its kernel · click to select it in the graph and show its source line",
    });
    this.element.append(this.caption, this.chart, this.statusLine);
    new ResizeObserver(() => {
      if (this.ctx && !this.element.hidden) this.draw(this.ctx, true);
    }).observe(this.chart);
  }

  update(ctx: PanelContext): void {
    this.ctx = ctx;
    this.draw(ctx, false);
  }

  private draw(ctx: PanelContext, resized: boolean): void {
    const width = Math.max(320, this.chart.clientWidth || 800);
    const height = Math.max(260, this.chart.clientHeight || 500);
    const key = `${width}x${height}`;
    if (!resized && this.drawn === key && this.drawnFor === ctx.report) return;
    this.drawn = key;
    this.drawnFor = ctx.report;
    const model = rooflineModel(ctx.report);
    this.caption.replaceChildren(...captionParts(ctx, model));
    this.chart.replaceChildren();
    if (model.points.length + model.band.length === 0) {
      this.chart.append(
        Object.assign(document.createElement("div"), {
          className: "jit-empty",
          textContent: "No kernel has a GPU time in this report, so there is nothing to place on the roofline.",
        }),
      );
      this.element.dataset.state = "rendered";
      return;
    }
    this.drawChart(ctx, model, width, height);
    this.element.dataset.state = "rendered";
  }

  private drawChart(ctx: PanelContext, model: RooflineModel, width: number, height: number): void {
    const bandW = model.band.length ? BAND_W : 0;
    const left = M.left + bandW;
    const svg = d3
      .select(this.chart)
      .append("svg")
      .attr("class", "jit-chart")
      .attr("width", width)
      .attr("height", height)
      .attr("role", "img")
      .attr("aria-label", "roofline: arithmetic intensity against achieved GFLOP/s, one dot per kernel");
    const x = d3
      .scaleLog()
      .domain(model.x)
      .range([left, width - M.right]);
    const y = d3
      .scaleLog()
      .domain(model.y)
      .range([height - M.bottom, M.top]);
    const decades = (d: [number, number]): number[] => {
      const out: number[] = [];
      for (let e = Math.round(Math.log10(d[0])); e <= Math.round(Math.log10(d[1])); e++) out.push(10 ** e);
      return out;
    };
    const tick = (v: d3.NumberValue): string => decadeText(Number(v));
    svg
      .append("g")
      .attr("class", "grid")
      .selectAll("line.gx")
      .data(decades(model.x))
      .join("line")
      .attr("x1", (d) => x(d))
      .attr("x2", (d) => x(d))
      .attr("y1", M.top)
      .attr("y2", height - M.bottom);
    svg
      .select("g.grid")
      .selectAll("line.gy")
      .data(decades(model.y))
      .join("line")
      .attr("x1", left)
      .attr("x2", width - M.right)
      .attr("y1", (d) => y(d))
      .attr("y2", (d) => y(d));
    svg
      .append("g")
      .attr("class", "axis")
      .attr("transform", `translate(0,${height - M.bottom})`)
      .call(d3.axisBottom(x).tickValues(decades(model.x)).tickFormat(tick));
    svg
      .append("g")
      .attr("class", "axis")
      .attr("transform", `translate(${left},0)`)
      .call(d3.axisLeft(y).tickValues(decades(model.y)).tickFormat(tick));
    svg
      .append("text")
      .attr("class", "axis-title")
      .attr("x", (left + width - M.right) / 2)
      .attr("y", height - 8)
      .attr("text-anchor", "middle")
      .text("arithmetic intensity (FLOP per byte moved)");
    svg
      .append("text")
      .attr("class", "axis-title")
      .attr("transform", `translate(${left - 46},${(M.top + height - M.bottom) / 2}) rotate(-90)`)
      .attr("text-anchor", "middle")
      .text("achieved GFLOP/s");

    const clipId = "jit-roofline-clip";
    svg
      .append("clipPath")
      .attr("id", clipId)
      .append("rect")
      .attr("x", left)
      .attr("y", M.top)
      .attr("width", width - M.right - left)
      .attr("height", height - M.bottom - M.top);
    const plot = svg.append("g").attr("clip-path", `url(#${clipId})`);

    if (model.roofs) {
      const r = model.roofs;
      const [x0, x1] = model.x;
      plot
        .append("path")
        .attr("class", "jit-roof memory")
        .attr("d", `M${x(x0)},${y(r.gbPerS * x0)}L${x(r.ridge)},${y(r.gflopPerS)}`);
      plot
        .append("path")
        .attr("class", "jit-roof compute")
        .attr("d", `M${x(r.ridge)},${y(r.gflopPerS)}L${x(x1)},${y(r.gflopPerS)}`);
      plot
        .append("line")
        .attr("class", "jit-ridge-line")
        .attr("x1", x(r.ridge))
        .attr("x2", x(r.ridge))
        .attr("y1", y(r.gflopPerS))
        .attr("y2", height - M.bottom);
      const labels = svg.append("g").attr("class", "jit-roof-labels");
      labels.append("circle").attr("class", "jit-ridge").attr("cx", x(r.ridge)).attr("cy", y(r.gflopPerS)).attr("r", 4);
      // Right of the dashed line, under the ceiling: clear of the slope (unless at the edge).
      const atEdge = x(r.ridge) > width - M.right - 130;
      labels
        .append("text")
        .attr("class", "jit-ridge-label")
        .attr("x", x(r.ridge) + (atEdge ? -8 : 8))
        .attr("y", y(r.gflopPerS) + 16)
        .attr("text-anchor", atEdge ? "end" : "start")
        .text(`ridge ${formatRate(r.ridge, "FLOP/B")}`);
      labels
        .append("text")
        .attr("class", "jit-roof-label compute")
        .attr("x", width - M.right - 4)
        .attr("y", y(r.gflopPerS) - 6)
        .attr("text-anchor", "end")
        .text(`compute roof ${formatRate(r.gflopPerS, "GFLOP/s")}`);
      // Along the slope, where it is inside the plot: a quarter of the way to the ridge.
      const lo = Math.max(x0, model.y[0] / r.gbPerS);
      const at = Math.sqrt(Math.sqrt(lo * r.ridge) * lo) * 1.2;
      const angle = (Math.atan2(y(r.gbPerS * at * 10) - y(r.gbPerS * at), x(at * 10) - x(at)) * 180) / Math.PI;
      labels
        .append("text")
        .attr("class", "jit-roof-label memory")
        .attr("transform", `translate(${x(at)},${y(r.gbPerS * at) - 6}) rotate(${angle})`)
        .text(`memory roof ${formatRate(r.gbPerS, "GB/s")}`);
    }

    const maxNs = Math.max(...[...model.points, ...model.band].map((p) => p.totalNs));
    const maxShare = Math.max(...[...model.points, ...model.band].map((p) => p.share));
    const radius = (p: RooflinePoint): number => R_MIN + (R_MAX - R_MIN) * Math.sqrt(p.totalNs / maxNs);
    const tip = ctx.tooltip;
    // Largest first, so a small dot is never hidden under a large one.
    const bySize = [...model.points].sort((a, b) => b.totalNs - a.totalNs);
    const place = (p: RooflinePoint): [number, number] => [x(p.intensity!), y(p.gflopPerS)];
    const bandTop = M.top + 26;
    const bandStep = model.band.length > 1 ? (height - M.bottom - bandTop - 8) / (model.band.length - 1) : 0;
    const bandX = M.left - 50 + bandW / 2;
    const bandPlace = (i: number): [number, number] => [
      bandX + (model.band.length > 12 ? (i % 2 ? 9 : -9) : 0),
      bandTop + Math.min(bandStep, 2 * R_MAX) * i,
    ];
    if (model.band.length) {
      svg
        .append("rect")
        .attr("class", "jit-band")
        .attr("x", bandX - bandW / 2 + 4)
        .attr("y", M.top)
        .attr("width", bandW - 8)
        .attr("height", height - M.bottom - M.top);
      svg
        .append("text")
        .attr("class", "jit-band-label")
        .attr("x", bandX)
        .attr("y", M.top + 10)
        .attr("text-anchor", "middle")
        .text("no flops");
    }
    const dots = svg.append("g").attr("class", "jit-dots");
    const all: { p: RooflinePoint; at: [number, number] }[] = [
      ...bySize.map((p) => ({ p, at: place(p) })),
      ...model.band.map((p, i) => ({ p, at: bandPlace(i) })),
    ];
    dots
      .selectAll("circle")
      .data(all)
      .join("circle")
      .attr(
        "class",
        (d) => `jit-dot${d.p.intensity === null ? " in-band" : ""}${d.p.id === this.selected ? " selected" : ""}`,
      )
      .attr("data-kernel", (d) => d.p.id)
      .attr("cx", (d) => d.at[0])
      .attr("cy", (d) => d.at[1])
      .attr("r", (d) => radius(d.p))
      .style("fill", (d) => dotFill(d.p.share, maxShare))
      .on("mousemove", (ev: MouseEvent, d) => tip.show(rooflineTooltip(d.p), ev))
      .on("mouseleave", () => tip.hide())
      .on("click", (_ev, d) => this.select(ctx, d.p));
  }

  private select(ctx: PanelContext, p: RooflinePoint): void {
    this.selected = p.id;
    ctx.tooltip.hide();
    d3.select(this.chart)
      .selectAll<SVGCircleElement, { p: RooflinePoint }>("circle.jit-dot")
      .classed("selected", (d) => d.p.id === p.id);
    const loc: SourceLocation | undefined = p.locations[0];
    if (loc && ctx.host.inEditor) ctx.host.post({ type: "revealLocation", location: loc });
    this.statusLine.textContent = `${p.name}${loc ? ` · ${formatLineRef(loc.file, loc.line)}` : ""}${p.compilation ? " — selected in the Graph view" : ""}`;
    // Selecting it in the graph: its compilation, its ops marked for when Graph is shown.
    if (p.compilation) ctx.update({ compilation: p.compilation, revealed: [...p.opIds] });
  }
}

/** A decade's tick: "0.01", "1", "1000" in the readable middle; "10⁻⁶", "10⁵" beyond. */
export function decadeText(v: number): string {
  const e = Math.round(Math.log10(v));
  if (e >= -2 && e <= 4) return d3.format("~g")(v);
  const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return `10${e < 0 ? "⁻" : ""}${[...String(Math.abs(e))].map((d) => sup[Number(d)]).join("")}`;
}

function captionParts(ctx: PanelContext, model: RooflineModel): HTMLElement[] {
  const peaks = ctx.report.device.peaks;
  const parts: HTMLElement[] = [];
  const span = (cls: string, text: string): HTMLElement =>
    Object.assign(document.createElement("span"), { className: cls, textContent: text });
  if (model.roofs && peaks) {
    parts.push(span("jit-roofs", `${peaksText(ctx.report.device)} · ridge ${formatRate(model.roofs.ridge, "FLOP/B")}`));
  } else {
    parts.push(
      span(
        "jit-roofline-note",
        `No roofs drawn: ${peaksText(ctx.report.device)}. Dots show each kernel's achieved rate.`,
      ),
    );
  }
  const drawn = model.points.length + model.band.length;
  const extra = [`${drawn} kernel${drawn === 1 ? "" : "s"} · dot size: total GPU time · colour: share of it`];
  if (model.band.length)
    extra.push(`${model.band.length} without flops (copies, gathers, layout) in the band at the left, largest first`);
  if (model.untimed) extra.push(`${model.untimed} without GPU time not drawn`);
  parts.push(span("jit-sub", extra.join(" · ")));
  return parts;
}
