// A small overview of a big graph in the canvas's bottom-right corner: every node and kernel
// cluster as a tiny rect, the current viewport as a rectangle. Clicking or dragging on it centres
// the main view there (the zoom is kept). Shown only past a few hundred ops: a small graph fits.

import type { LayoutResult } from "../layout/types.js";

/** Ops in the pass above which the minimap is drawn. */
export const MINIMAP_MIN_OPS = 300;
const SVG_NS = "http://www.w3.org/2000/svg";
const MAX_W = 160;
const MAX_H = 120;

export interface Viewport {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class Minimap {
  readonly element: SVGSVGElement;
  private readonly view: SVGRectElement;
  private scale = 1;
  private layout: LayoutResult | null = null;

  constructor(
    parent: HTMLElement,
    private readonly moveTo: (x: number, y: number) => void,
  ) {
    this.element = document.createElementNS(SVG_NS, "svg");
    this.element.setAttribute("class", "jit-minimap");
    this.element.setAttribute("aria-label", "minimap: click or drag to move the view");
    this.view = document.createElementNS(SVG_NS, "rect");
    this.view.setAttribute("class", "jit-minimap-view");
    this.element.style.display = "none";
    parent.appendChild(this.element);
    let dragging = false;
    const at = (ev: PointerEvent): void => {
      const r = this.element.getBoundingClientRect();
      this.moveTo((ev.clientX - r.left) / this.scale, (ev.clientY - r.top) / this.scale);
    };
    this.element.addEventListener("pointerdown", (ev) => {
      if (!this.layout) return;
      dragging = true;
      this.element.setPointerCapture?.(ev.pointerId);
      ev.stopPropagation();
      at(ev);
    });
    this.element.addEventListener("pointermove", (ev) => {
      if (dragging) at(ev);
    });
    const stop = (): void => {
      dragging = false;
    };
    this.element.addEventListener("pointerup", stop);
    this.element.addEventListener("pointercancel", stop);
    // The main view's d3-zoom must not see these as pans or wheel zooms.
    this.element.addEventListener("wheel", (ev) => ev.stopPropagation());
    this.element.addEventListener("mousedown", (ev) => ev.stopPropagation());
  }

  /** Draws the overview of a layout, or hides the minimap when the graph is small. */
  draw(layout: LayoutResult, show: boolean): void {
    this.element.style.display = show ? "" : "none";
    this.layout = show ? layout : null;
    this.element.replaceChildren();
    if (!show) return;
    this.scale = Math.min(MAX_W / Math.max(1, layout.width), MAX_H / Math.max(1, layout.height));
    const s = this.scale;
    // Inline: the canvas's stylesheet sizes every svg in it to the whole graph area.
    this.element.style.width = `${Math.max(24, Math.ceil(layout.width * s))}px`;
    this.element.style.height = `${Math.max(24, Math.ceil(layout.height * s))}px`;
    const rect = (b: { x: number; y: number; width: number; height: number }, cls: string): void => {
      const r = document.createElementNS(SVG_NS, "rect");
      r.setAttribute("class", cls);
      r.setAttribute("x", (b.x * s).toFixed(1));
      r.setAttribute("y", (b.y * s).toFixed(1));
      r.setAttribute("width", Math.max(1, b.width * s).toFixed(1));
      r.setAttribute("height", Math.max(1, b.height * s).toFixed(1));
      this.element.appendChild(r);
    };
    for (const b of Object.values(layout.clusters)) rect(b, "jit-minimap-cluster");
    for (const b of Object.values(layout.nodes)) rect(b, "jit-minimap-node");
    this.element.appendChild(this.view);
  }

  /** The part of the layout in the main view, in layout coordinates. */
  setViewport(v: Viewport): void {
    if (!this.layout) return;
    const s = this.scale;
    this.view.setAttribute("x", (v.x * s).toFixed(1));
    this.view.setAttribute("y", (v.y * s).toFixed(1));
    this.view.setAttribute("width", Math.max(2, v.width * s).toFixed(1));
    this.view.setAttribute("height", Math.max(2, v.height * s).toFixed(1));
  }
}
