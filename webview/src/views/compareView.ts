// The Compare view: per jitted function, the seed's figure (total time against number of calls,
// eager and jit, log axes, break-even marked and labelled) from the sweep, and bars of ms per
// call and dispatches per call.

import * as d3 from "d3";
import {
  breakEvenText,
  dispatchesPerCallText,
  firstRunMark,
  formatMs,
  type ComparedFunction,
  type SweepResult,
} from "@jitscope/contract";
import { reportedBreakEven } from "../model/breakEven.js";
import { cardBreakEven, cardSubtitle } from "../model/compareText.js";
import { ablationTable } from "./ablationTable.js";
import type { PanelContext, PanelViewImpl } from "./context.js";

const W = 440;
const H = 280;
const M = { top: 16, right: 16, bottom: 42, left: 58 };

export class CompareView implements PanelViewImpl {
  readonly element: HTMLElement;
  private readonly scroll: HTMLElement;

  constructor() {
    this.element = document.createElement("section");
    this.element.className = "jit-view";
    this.element.id = "view-compare";
    this.scroll = document.createElement("div");
    this.scroll.className = "jit-scroll";
    this.element.appendChild(this.scroll);
  }

  update(ctx: PanelContext): void {
    const cmp = ctx.report.comparison;
    const names = cmp ? [...new Set([...cmp.functions.map((f) => f.name), ...cmp.sweeps.map((s) => s.name)])] : [];
    const ablations = ablationTable(ctx.report);
    if (!cmp || names.length === 0) {
      this.scroll.replaceChildren(
        ...(ablations ? [ablations] : []),
        Object.assign(document.createElement("div"), {
          className: "jit-empty",
          textContent:
            "No comparison in this report. Run “JIT Scope: Compare Eager vs JIT” (or the CLI with --compare).",
        }),
      );
      return;
    }
    const wrap = document.createElement("div");
    wrap.className = "jit-compare";
    if (ablations) wrap.appendChild(ablations);
    for (const name of names) {
      // A function may have a sweep (the figure), per-call costs (the bars), or both.
      const sweep = cmp.sweeps.find((s) => s.name === name) ?? null;
      const fn = cmp.functions.find((f) => f.name === name) ?? null;
      const card = document.createElement("div");
      card.className = "jit-card";
      card.dataset.function = name;
      const h = document.createElement("h3");
      h.textContent = name;
      const sub = document.createElement("div");
      sub.className = "jit-sub";
      sub.textContent = cardSubtitle(fn, sweep);
      card.append(h, sub);
      if (sweep) sweepChart(card, sweep, cardBreakEven(fn, sweep));
      if (fn) perCallBars(card, fn);
      wrap.appendChild(card);
    }
    this.scroll.replaceChildren(wrap);
  }
}

function sweepChart(parent: HTMLElement, sweep: SweepResult, breakEvenCalls: number | null): void {
  const pts = sweep.points.filter((p) => p.calls > 0 && p.eagerMs > 0 && p.jitMs > 0);
  const svg = d3
    .select(parent)
    .append("svg")
    .attr("class", "jit-chart sweep")
    .attr("width", W)
    .attr("height", H)
    .attr("role", "img")
    .attr("aria-label", `${sweep.name}: total time against number of calls, eager and jit`);
  if (pts.length === 0) return;
  const x = d3
    .scaleLog()
    .domain(d3.extent(pts, (p) => p.calls) as [number, number])
    .range([M.left, W - M.right]);
  const ys = pts.flatMap((p) => [p.eagerMs, p.jitMs]);
  const y = d3
    .scaleLog()
    .domain([d3.min(ys)! * 0.8, d3.max(ys)! * 1.25])
    .range([H - M.bottom, M.top])
    .nice();
  svg
    .append("g")
    .attr("class", "grid")
    .attr("transform", `translate(${M.left},0)`)
    .call(
      d3
        .axisLeft(y)
        .ticks(5)
        .tickSize(-(W - M.left - M.right))
        .tickFormat(() => ""),
    );
  svg
    .append("g")
    .attr("class", "axis")
    .attr("transform", `translate(0,${H - M.bottom})`)
    .call(d3.axisBottom(x).ticks(5, "~s"));
  svg.append("g").attr("class", "axis").attr("transform", `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(5, "~s"));
  svg
    .append("text")
    .attr("x", (M.left + W - M.right) / 2)
    .attr("y", H - 8)
    .attr("text-anchor", "middle")
    .text("number of calls");
  svg
    .append("text")
    .attr("transform", `translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle")
    .text("total time (ms)");
  // Each line's end label goes on its own side of the other line, so labels never swap places.
  const last = pts[pts.length - 1]!;
  const eagerOnTop = last.eagerMs >= last.jitMs;
  for (const mode of ["eager", "jit"] as const) {
    const get = (p: (typeof pts)[number]): number => (mode === "eager" ? p.eagerMs : p.jitMs);
    svg
      .append("path")
      .datum(pts)
      .attr("class", `line line-${mode}`)
      .attr("data-mode", mode)
      .attr(
        "d",
        d3
          .line<(typeof pts)[number]>()
          .x((p) => x(p.calls))
          .y((p) => y(get(p))),
      );
    svg
      .append("g")
      .selectAll("circle")
      .data(pts)
      .join("circle")
      .attr("class", `dot-${mode}`)
      .attr("r", 2.5)
      .attr("cx", (p) => x(p.calls))
      .attr("cy", (p) => y(get(p)));
    const above = (mode === "eager") === eagerOnTop;
    svg
      .append("text")
      .attr("x", x(last.calls) - 4)
      .attr("y", y(get(last)) + (above ? -8 : 14))
      .attr("text-anchor", "end")
      .attr("class", `label-${mode}`)
      .text(mode);
  }
  // A legend too: the end labels alone are ambiguous where the lines run close together.
  const legend = svg
    .append("g")
    .attr("class", "legend")
    .attr("transform", `translate(${W - M.right - 112},${H - M.bottom - 34})`);
  (["eager", "jit"] as const).forEach((mode, i) => {
    const row = legend.append("g").attr("transform", `translate(0,${i * 14})`);
    row.append("line").attr("class", `line line-${mode}`).attr("x1", 0).attr("x2", 16).attr("y1", 0).attr("y2", 0);
    row
      .append("text")
      .attr("x", 20)
      .attr("y", 4)
      .text(mode === "eager" ? "eager (no jit)" : "jit (incl. compile)");
  });
  if (sweep.modeled) {
    svg
      .append("text")
      .attr("class", "modeled-note")
      .attr("x", M.left + 8)
      .attr("y", M.top + 26)
      .text("projected: compile + N × measured per-call cost");
  }
  // The report's break-even, placed on the eager line: the same number as the CLI and the hover.
  const be = reportedBreakEven(pts, breakEvenCalls);
  if (be) {
    const g = svg.append("g").attr("class", "break-even");
    const bx = x(be.calls);
    const by = y(be.ms);
    g.append("line")
      .attr("x1", bx)
      .attr("x2", bx)
      .attr("y1", by)
      .attr("y2", H - M.bottom);
    g.append("circle").attr("cx", bx).attr("cy", by).attr("r", 5);
    const right = bx < (M.left + W - M.right) / 2;
    g.append("text")
      .attr("x", bx + (right ? 8 : -8))
      .attr("y", by - 10)
      .attr("text-anchor", right ? "start" : "end")
      .text(breakEvenText(be.calls));
  } else {
    const text =
      breakEvenCalls === null
        ? "no break-even: jit stays slower per call"
        : `${breakEvenText(breakEvenCalls)} (outside this sweep)`;
    svg
      .append("text")
      .attr("class", "no-break-even")
      .attr("x", M.left + 8)
      .attr("y", M.top + 12)
      .text(text);
  }
}

function perCallBars(parent: HTMLElement, fn: ComparedFunction): void {
  const rows = [
    {
      metric: "cost of a call",
      eager: fn.eager.msPerCall,
      jit: fn.jit.msPerCall,
      fmt: (v: number) => formatMs(v),
      lo: { eager: fn.eager.p10, jit: fn.jit.p10 },
      hi: { eager: fn.eager.p90, jit: fn.jit.p90 },
    },
    {
      metric: "dispatches per call",
      eager: fn.eager.dispatchesPerCall,
      jit: fn.jit.dispatchesPerCall,
      fmt: dispatchesPerCallText,
      lo: undefined,
      hi: undefined,
    },
  ];
  const rowH = 46;
  const left = 130;
  const svg = d3
    .select(parent)
    .append("svg")
    .attr("class", "jit-chart bars")
    .attr("width", W)
    .attr("height", rows.length * rowH + 8)
    .attr("role", "img")
    .attr("aria-label", `${fn.name}: eager against jit per call`);
  rows.forEach((r, i) => {
    const x = d3
      .scaleLinear()
      .domain([0, Math.max(r.eager, r.jit, r.hi?.eager ?? 0, r.hi?.jit ?? 0) || 1])
      .range([0, W - left - 200]);
    const g = svg.append("g").attr("transform", `translate(0,${i * rowH + 4})`);
    g.append("text").attr("x", 0).attr("y", 24).text(r.metric);
    (["eager", "jit"] as const).forEach((mode, j) => {
      const v = r[mode];
      g.append("rect")
        .attr("class", `bar-${mode}`)
        .attr("x", left)
        .attr("y", 4 + j * 19)
        .attr("height", 15)
        .attr("width", Math.max(1, x(v)));
      const lo = r.lo?.[mode];
      const hi = r.hi?.[mode];
      // The spread as a whisker over the bar: lowest–highest run (or the calls' p10–p90).
      if (lo !== undefined && hi !== undefined && hi > lo) {
        g.append("line")
          .attr("class", "spread")
          .attr("x1", left + x(lo))
          .attr("x2", left + x(hi))
          .attr("y1", 11 + j * 19)
          .attr("y2", 11 + j * 19);
      }
      const spread = lo !== undefined && hi !== undefined ? ` (${r.fmt(lo)}–${r.fmt(hi)})` : "";
      g.append("text")
        .attr("x", left + Math.max(1, x(Math.max(v, hi ?? 0))) + 6)
        .attr("y", 16 + j * 19)
        .text(`${mode} ${r.fmt(v)}${spread}${r.metric === "cost of a call" ? firstRunMark(fn[mode]) : ""}`);
    });
  });
}
