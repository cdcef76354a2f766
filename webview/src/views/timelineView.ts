// The Timeline view: host spans (one lane per category) and GPU kernels on one time axis,
// zoomable and pannable along time with d3-zoom (wheel, drag, double-click).

import * as d3 from "d3";
import { formatBytes, formatMs, type LiveBytesSample } from "@jitscope/contract";
import { timelineModel, visibleItems, visibleLiveBytes, type TimelineItem } from "../model/timelineModel.js";
import type { PanelContext, PanelViewImpl } from "./context.js";
import { kernelReveal } from "./currentPass.js";

const LANE_H = 26;
/** The live-bytes lane (an eager run's array memory), under the others. */
const LIVE_H = 64;
const LEFT = 90;
const TOP = 30;
/** Room for the last tick label. */
const RIGHT = 36;

export class TimelineView implements PanelViewImpl {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private drawnFor: unknown = null;

  constructor() {
    this.element = document.createElement("section");
    this.element.className = "jit-view";
    this.element.id = "view-timeline";
    this.canvas = document.createElement("div");
    this.canvas.className = "jit-timeline";
    const hint = Object.assign(document.createElement("div"), {
      className: "jit-status",
      textContent:
        "wheel or pinch to zoom time · drag to pan · hover a bar for its duration · click a kernel to see it in the graph",
    });
    this.element.append(this.canvas, hint);
  }

  update(ctx: PanelContext): void {
    if (this.drawnFor === ctx.report) return; // zoom state is kept while the report stays
    this.drawnFor = ctx.report;
    const model = timelineModel(ctx.report);
    this.canvas.replaceChildren();
    if (model.items.length === 0) {
      this.canvas.append(
        Object.assign(document.createElement("div"), {
          className: "jit-empty",
          textContent: "No timeline was recorded in this run.",
        }),
      );
      return;
    }
    const width = Math.max(400, this.canvas.clientWidth || 900);
    const live = ctx.report.timeline.liveBytes ?? [];
    const lanesBottom = TOP + model.lanes.length * LANE_H;
    const height = lanesBottom + (live.length ? LIVE_H + 8 : 0) + 10;
    const svg = d3
      .select(this.canvas)
      .append("svg")
      .attr("viewBox", `0 0 ${width} ${Math.max(height, 120)}`)
      .attr("preserveAspectRatio", "xMinYMin meet")
      .attr("role", "img")
      .attr("aria-label", "timeline of host spans and GPU kernels");
    const x0 = d3
      .scaleLinear()
      .domain(model.extent)
      .range([LEFT, width - RIGHT]);
    const lane = d3
      .scaleBand<string>()
      .domain(model.lanes)
      .range([TOP, TOP + model.lanes.length * LANE_H])
      .padding(0.15);
    svg
      .append("g")
      .selectAll("rect")
      .data(model.lanes)
      .join("rect")
      .attr("class", "lane-bg")
      .attr("x", LEFT)
      .attr("width", width - RIGHT - LEFT)
      .attr("y", (l) => lane(l)!)
      .attr("height", lane.bandwidth());
    svg
      .append("g")
      .selectAll("text")
      .data(model.lanes)
      .join("text")
      .attr("x", LEFT - 8)
      .attr("y", (l) => lane(l)! + lane.bandwidth() / 2 + 4)
      .attr("text-anchor", "end")
      .text((l) => l);
    const clipId = "jit-timeline-clip";
    svg
      .append("clipPath")
      .attr("id", clipId)
      .append("rect")
      .attr("x", LEFT)
      .attr("y", 0)
      .attr("width", width - RIGHT - LEFT)
      .attr("height", height);
    const body = svg.append("g").attr("clip-path", `url(#${clipId})`);
    const liveLane = live.length ? this.liveLane(svg, live, lanesBottom + 4, width, ctx) : null;
    const axis = svg
      .append("g")
      .attr("class", "axis")
      .attr("transform", `translate(0,${TOP - 4})`);
    const tip = ctx.tooltip;

    const draw = (x: d3.ScaleLinear<number, number>): void => {
      axis.call(
        d3
          .axisTop(x)
          .ticks(8)
          .tickFormat((v) => formatMs(Number(v))),
      );
      const [from, to] = x.domain() as [number, number];
      body
        .selectAll<SVGRectElement, TimelineItem>("rect")
        .data(visibleItems(model.items, from, to))
        .join("rect")
        .attr("class", (i) => `jit-span cat-${i.lane}${i.estimated ? " estimated" : ""}`)
        .attr("x", (i) => x(i.start))
        .attr("width", (i) => Math.max(1, x(i.start + i.dur) - x(i.start)))
        .attr("y", (i) => lane(i.lane)!)
        .attr("height", lane.bandwidth())
        .on("mousemove", (ev: MouseEvent, i) =>
          tip.show(
            `${i.label}\n${formatMs(i.dur)}${i.estimated ? " (not timed: the kernel's median)" : ""} at ${formatMs(i.start)}${i.callId !== null ? `\ncall #${i.callId}` : ""}`,
            ev,
          ),
        )
        .on("mouseleave", () => tip.hide())
        .on("click", (_ev, i) => {
          // A jit kernel's bar shows its ops in the graph.
          const k = i.kernel ? ctx.kernels.get(i.kernel) : undefined;
          if (k?.compilation) {
            tip.hide();
            ctx.update({ view: "graph", ...kernelReveal(ctx, k) });
          }
        });
    };
    const drawAll = (x: d3.ScaleLinear<number, number>): void => {
      draw(x);
      liveLane?.(x);
    };
    drawAll(x0);
    const zoom = d3
      .zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, 1e5])
      .translateExtent([
        [LEFT, 0],
        [width - RIGHT, height],
      ])
      .extent([
        [LEFT, 0],
        [width - RIGHT, height],
      ])
      .on("zoom", (ev: d3.D3ZoomEvent<SVGSVGElement, unknown>) => drawAll(ev.transform.rescaleX(x0)));
    svg.call(zoom);
  }

  /** The live-bytes lane: a step area of live array bytes; returns its redraw for a time scale. */
  private liveLane(
    svg: d3.Selection<SVGSVGElement, unknown, null, undefined>,
    live: readonly LiveBytesSample[],
    top: number,
    width: number,
    ctx: PanelContext,
  ): (x: d3.ScaleLinear<number, number>) => void {
    const max = Math.max(1, ...live.map((s) => s.bytes));
    const y = d3
      .scaleLinear()
      .domain([0, max])
      .range([top + LIVE_H, top + 4]);
    const g = svg.append("g").attr("class", "jit-live-lane");
    g.append("rect")
      .attr("class", "lane-bg")
      .attr("x", LEFT)
      .attr("width", width - RIGHT - LEFT)
      .attr("y", top)
      .attr("height", LIVE_H);
    g.append("text")
      .attr("x", LEFT - 8)
      .attr("y", top + LIVE_H / 2 - 2)
      .attr("text-anchor", "end")
      .text("live bytes");
    g.append("text")
      .attr("class", "jit-live-label")
      .attr("x", LEFT - 8)
      .attr("y", top + LIVE_H / 2 + 11)
      .attr("text-anchor", "end")
      .text(`max ${formatBytes(max)}`);
    const clipId = "jit-live-clip";
    g.append("clipPath")
      .attr("id", clipId)
      .append("rect")
      .attr("x", LEFT)
      .attr("y", top)
      .attr("width", width - RIGHT - LEFT)
      .attr("height", LIVE_H);
    const path = g.append("path").attr("class", "jit-live-area").attr("clip-path", `url(#${clipId})`);
    const hit = g
      .append("rect")
      .attr("x", LEFT)
      .attr("width", width - RIGHT - LEFT)
      .attr("y", top)
      .attr("height", LIVE_H)
      .style("fill", "transparent");
    let scale: d3.ScaleLinear<number, number> | null = null;
    hit
      .on("mousemove", (ev: MouseEvent) => {
        if (!scale) return;
        const t = scale.invert(d3.pointer(ev, svg.node())[0]);
        const i = d3.bisector((s: LiveBytesSample) => s.t).right(live, t) - 1;
        const s = live[Math.max(0, i)]!;
        ctx.tooltip.show(`${formatBytes(i < 0 ? 0 : s.bytes)} of arrays live at ${formatMs(t)}`, ev);
      })
      .on("mouseleave", () => ctx.tooltip.hide());
    return (x) => {
      scale = x;
      const [from, to] = x.domain() as [number, number];
      const pts = visibleLiveBytes(live, from, to);
      const area = d3
        .area<LiveBytesSample>()
        .curve(d3.curveStepAfter)
        .x((s) => x(s.t))
        .y0(top + LIVE_H)
        .y1((s) => y(s.bytes));
      path.attr("d", area(pts) ?? "");
    };
  }
}
