// The graph's legend: what a cluster's tint, a changed node's border, a kernel boundary and a
// scope look like. Open by default on a wide panel, folded on a narrow one.

import { clusterFill } from "./graphPaint.js";

/** Fills `legend` (a <details>) with its summary and one swatch per mark the graph draws. */
export function fillLegend(legend: HTMLElement): void {
  legend.innerHTML = "";
  (legend as HTMLDetailsElement).open = window.innerWidth >= 900;
  legend.appendChild(Object.assign(document.createElement("summary"), { textContent: "legend" }));
  const item = (style: string, text: string): void => {
    const span = document.createElement("span");
    const sw = document.createElement("i");
    sw.className = "jit-swatch";
    sw.setAttribute("style", style);
    span.append(sw, text);
    legend.appendChild(span);
  };
  item(`background:${clusterFill(0.1)}`, "kernel, low GPU share");
  item(`background:${clusterFill(0.9)}`, "high GPU share");
  item("border:2px solid var(--jit-warm)", "changed by pass");
  item("border:1px dashed var(--jit-hot)", "kernel boundary (hover: why)");
  item(
    "border:1px dashed var(--jit-muted)",
    "scope: a function of yours, a named_scope or a library call (click ▾/▸ to close/open)",
  );
}
