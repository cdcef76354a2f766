// The Timeline view: host spans (one lane per category) and GPU kernels on one time axis,
// zoomable and pannable along time with d3-zoom (wheel, drag, double-click).

import * as d3 from "d3";
import { formatMs } from "@jitscope/contract";
import { timelineModel, visibleItems, type TimelineItem } from "../model/timelineModel.js";
import type { PanelContext, PanelViewImpl } from "./context.js";

const LANE_H = 26;
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
    const height = TOP + model.lanes.length * LANE_H + 10;
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
            ctx.update({ view: "graph", compilation: k.compilation, revealed: [...k.opIds] });
          }
        });
    };
    draw(x0);
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
      .on("zoom", (ev: d3.D3ZoomEvent<SVGSVGElement, unknown>) => draw(ev.transform.rescaleX(x0)));
    svg.call(zoom);
  }
}
