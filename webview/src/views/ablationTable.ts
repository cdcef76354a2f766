// What each compiler pass was worth (`jitscope profile --ablate <pass>`): per pass and jitted
// function, dispatches and cost per call with the pass and without it. Shown atop Compare.

import { ablationFigures, ablationText, type Report } from "@jitscope/contract";

/** The table, or null when the report has no ablation runs. */
export function ablationTable(report: Report): HTMLElement | null {
  const rows = (report.ablations ?? []).flatMap((a) => a.functions.map((f) => ({ a, f })));
  if (rows.length === 0) return null;
  const wrap = document.createElement("div");
  wrap.className = "jit-card jit-ablations";
  wrap.id = "ablations";
  const h = document.createElement("h3");
  h.textContent = "What each pass is worth";
  const sub = document.createElement("div");
  sub.className = "jit-sub";
  sub.textContent = "--ablate: the script run again with the pass turned off; with → without";
  const table = document.createElement("table");
  table.className = "jit-table";
  const head = table.createTHead().insertRow();
  for (const title of ["Function", "What the pass is worth", "Dispatches/call", "Cost/call"]) {
    const th = document.createElement("th");
    th.textContent = title;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const { a, f } of rows) {
    const tr = body.insertRow();
    tr.dataset.pass = a.pass;
    tr.dataset.function = f.name;
    const figures = ablationFigures(f);
    for (const text of [f.name, ablationText(a.pass, f), figures.dispatches, figures.cost]) {
      tr.insertCell().textContent = text;
    }
  }
  wrap.append(h, sub, table);
  return wrap;
}
