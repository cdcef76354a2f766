// The Kernels view: a sortable table of every kernel that ran. A row opens the kernel's WGSL
// (in an editor, or on the page when standalone) and highlights its ops in the graph. Autotuned
// kernels' searches follow the table (autotuneDetail.ts).

import { formatNs, formatRate, NOT_TIMED, peaksText, wgslWithSources } from "@jitscope/contract";
import { toggle } from "../components/controls.js";
import {
  groupKernelRows,
  kernelRows,
  sortKernelRows,
  toggleSort,
  type KernelRow,
  type KernelSortKey,
} from "../model/kernelTable.js";
import type { PanelContext, PanelViewImpl } from "./context.js";
import { autotuneDetail } from "./autotuneDetail.js";
import { kernelReveal } from "./currentPass.js";

// Most telling first: at panel width (about 600 px) the name, its time and its calls are in
// view before any scrolling, and the name stays in view while the rest scrolls sideways.
const COLUMNS: { key: KernelSortKey; title: string; numeric: boolean }[] = [
  { key: "name", title: "Kernel", numeric: false },
  { key: "totalNs", title: "Total GPU", numeric: true },
  { key: "medianNs", title: "Median GPU", numeric: true },
  { key: "calls", title: "Calls", numeric: true },
  { key: "efficiency", title: "Bound", numeric: false },
  { key: "fn", title: "Function", numeric: false },
  { key: "scope", title: "Scope", numeric: false },
  { key: "p90Ns", title: "p10–p90", numeric: true },
  { key: "gbPerS", title: "GB/s", numeric: true },
  { key: "gflopPerS", title: "GFLOP/s", numeric: true },
  { key: "ops", title: "Ops", numeric: false },
  { key: "lines", title: "Source lines", numeric: false },
  { key: "autotune", title: "Autotune", numeric: false },
];

function cellText(row: KernelRow, key: KernelSortKey): string {
  switch (key) {
    case "name":
      // Eager is said once, in the Function column ("(eager)"); the name starts with eager_ too.
      return row.name;
    case "fn":
      return row.fn;
    case "scope":
      return row.scopeShort;
    case "calls":
      return String(row.calls);
    case "medianNs":
      return row.medianText;
    case "p90Ns":
      return row.spreadText;
    case "totalNs":
      if (row.untimed) return NOT_TIMED;
      return row.outliers > 0
        ? `${formatNs(row.totalNs)} (${row.outliers} outlier${row.outliers === 1 ? "" : "s"} left out)`
        : formatNs(row.totalNs);
    case "gbPerS":
      return row.untimed ? "–" : formatRate(row.gbPerS, "");
    case "gflopPerS":
      return row.untimed ? "–" : formatRate(row.gflopPerS, "");
    case "efficiency":
      return row.boundText || "–";
    case "ops":
      return row.ops;
    case "lines":
      return row.lines;
    case "autotune":
      return row.autotuneShort || "–";
    default:
      return key satisfies never;
  }
}

/** The roofs the Bound column is measured against, or why there are none. */
function peaksNote(ctx: PanelContext): HTMLElement {
  const span = document.createElement("span");
  span.className = "jit-peaks";
  span.id = "kernels-peaks";
  span.textContent = peaksText(ctx.report.device);
  return span;
}

export class KernelsView implements PanelViewImpl {
  readonly element: HTMLElement;
  private readonly scroll: HTMLElement;
  private readonly toolbar: HTMLElement;

  constructor() {
    this.element = document.createElement("section");
    this.element.className = "jit-view";
    this.element.id = "view-kernels";
    this.toolbar = document.createElement("div");
    this.toolbar.className = "jit-toolbar";
    this.element.appendChild(this.toolbar);
    this.scroll = document.createElement("div");
    this.scroll.className = "jit-scroll";
    this.element.appendChild(this.scroll);
  }

  update(ctx: PanelContext): void {
    const sort = ctx.state.kernelSort;
    const rows = sortKernelRows(kernelRows(ctx.report), sort);
    const grouped = ctx.state.groupKernels;
    this.toolbar.replaceChildren(
      toggle("Group by function", grouped, (on) => ctx.update({ groupKernels: on }), {
        id: "kernels-group",
        title: "Group the kernels by the jitted function they belong to",
      }),
      peaksNote(ctx),
    );
    const table = document.createElement("table");
    table.className = "jit-table";
    const head = table.createTHead().insertRow();
    for (const col of COLUMNS) {
      const th = document.createElement("th");
      th.textContent = col.title;
      th.dataset.key = col.key;
      if (col.numeric) th.className = "num";
      th.tabIndex = 0;
      if (sort.key === col.key) th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
      const resort = (): void => ctx.update({ kernelSort: toggleSort(ctx.state.kernelSort, col.key) });
      th.addEventListener("click", resort);
      th.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          resort();
        }
      });
      head.appendChild(th);
    }
    const body = table.createTBody();
    if (!grouped) {
      for (const row of rows) this.addRow(ctx, body, row);
    } else {
      // Groups by total GPU time; rows inside keep the chosen sort.
      for (const group of groupKernelRows(rows)) {
        const tr = body.insertRow();
        tr.className = "jit-group-row";
        tr.dataset.function = group.fn;
        const td = tr.insertCell();
        td.colSpan = COLUMNS.length;
        td.textContent = `${group.fn} · ${group.rows.length} kernel${group.rows.length === 1 ? "" : "s"} · ${formatNs(group.totalNs)} total GPU`;
        for (const row of group.rows) this.addRow(ctx, body, row);
      }
    }
    const tuned = autotuneDetail(ctx.report.kernels);
    this.scroll.replaceChildren(table, ...(tuned ? [tuned] : []));
  }

  private addRow(ctx: PanelContext, body: HTMLTableSectionElement, row: KernelRow): void {
    const tr = body.insertRow();
    tr.dataset.kernel = row.id;
    tr.tabIndex = 0;
    for (const col of COLUMNS) {
      const td = tr.insertCell();
      td.dataset.key = col.key;
      td.className = col.numeric ? "num" : col.key === "name" || col.key === "ops" || col.key === "fn" ? "mono" : "";
      if (col.key === "totalNs") {
        const bar = document.createElement("span");
        bar.className = "jit-bar";
        bar.style.width = `${Math.max(1, Math.round(row.bar * 80))}px`;
        td.append(bar, cellText(row, col.key));
      } else {
        td.textContent = cellText(row, col.key);
        if (col.key === "autotune" && row.autotune) td.title = row.autotune;
        if (col.key === "scope" && (row.scope !== row.scopeShort || row.scopeSite))
          td.title = row.scopeSite ? `${row.scope}\ncalled at ${row.scopeSite}` : row.scope;
      }
    }
    const open = (): void => this.open(ctx, row);
    tr.addEventListener("click", open);
    tr.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") open();
    });
  }

  private open(ctx: PanelContext, row: KernelRow): void {
    const kernel = ctx.kernels.get(row.id);
    if (!kernel) return;
    if (ctx.host.inEditor) ctx.host.post({ type: "openWgsl", kernel: row.id });
    else ctx.showText(`${kernel.name}.wgsl`, wgslWithSources(kernel).text);
    // Highlight in the graph: select its compilation, and mark its ops for when Graph is shown.
    if (kernel.compilation) ctx.update(kernelReveal(ctx, kernel));
    ctx.status(`${kernel.name}: ${kernel.ops.join(" ")} — highlighted in the Graph view`);
  }
}
