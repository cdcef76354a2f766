// The Hints view: what to change, where, and what it would save (report.hints, largest saving
// first). A row reveals its line in the editor (on the standalone page: says where) and marks
// the kernels it is about in the graph.

import { hintRows, type HintRow } from "../model/hintRows.js";
import type { PanelContext, PanelViewImpl } from "./context.js";

export class HintsView implements PanelViewImpl {
  readonly element: HTMLElement;
  private readonly scroll: HTMLElement;

  constructor() {
    this.element = document.createElement("section");
    this.element.className = "jit-view";
    this.element.id = "view-hints";
    this.scroll = document.createElement("div");
    this.scroll.className = "jit-scroll";
    this.element.appendChild(this.scroll);
  }

  update(ctx: PanelContext): void {
    const rows = hintRows(ctx.report);
    if (rows.length === 0) {
      const empty = Object.assign(document.createElement("div"), {
        className: "jit-empty",
        textContent: "No hints: nothing in this run has a change worth its estimated saving.",
      });
      this.scroll.replaceChildren(empty);
      return;
    }
    const list = document.createElement("ol");
    list.className = "jit-hints";
    for (const row of rows) list.appendChild(this.item(ctx, row));
    this.scroll.replaceChildren(list);
  }

  private item(ctx: PanelContext, row: HintRow): HTMLLIElement {
    const li = document.createElement("li");
    li.className = "jit-hint";
    li.dataset.kind = row.hint.kind;
    li.tabIndex = 0;
    const head = document.createElement("div");
    head.className = "jit-hint-head";
    // The bar sits in a fixed-width track so the columns after it line up.
    const track = Object.assign(document.createElement("span"), { className: "jit-hint-track" });
    const bar = Object.assign(document.createElement("span"), { className: "jit-bar" });
    bar.style.width = `${Math.max(1, Math.round(row.bar * 80))}px`;
    track.appendChild(bar);
    const saving = Object.assign(document.createElement("span"), {
      className: "jit-hint-saving",
      textContent: row.saving,
    });
    const kind = Object.assign(document.createElement("span"), { className: "jit-hint-kind", textContent: row.kind });
    const where = Object.assign(document.createElement("span"), {
      className: "jit-hint-where mono",
      textContent: row.where,
    });
    head.append(track, saving, kind, where);
    const message = Object.assign(document.createElement("div"), {
      className: "jit-hint-message",
      textContent: row.message,
    });
    li.append(head, message);
    if (row.details.length) {
      const details = document.createElement("ul");
      details.className = "jit-hint-details";
      for (const d of row.details) details.appendChild(Object.assign(document.createElement("li"), { textContent: d }));
      li.appendChild(details);
    }
    const open = (): void => this.open(ctx, row);
    li.addEventListener("click", open);
    li.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") open();
    });
    return li;
  }

  private open(ctx: PanelContext, row: HintRow): void {
    const { hint } = row;
    if (hint.location && ctx.host.inEditor) ctx.host.post({ type: "revealLocation", location: hint.location });
    const opIds = (hint.kernels ?? []).flatMap((id) => ctx.kernels.get(id)?.opIds ?? []);
    if (hint.compilation) ctx.update({ compilation: hint.compilation, revealed: opIds });
    ctx.status(`${row.kind} at ${row.where}: ${row.saving}`);
  }
}
