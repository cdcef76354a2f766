// A small overview of a big graph in the canvas's bottom-right corner: every node and kernel
// cluster as a tiny rect, the current viewport as a rectangle. Clicking or dragging on it centres
// the main view there (the zoom is kept). Shown only past a few hundred ops: a small graph fits.
// At most a fifth of the canvas each way; fit-to-view keeps the drawing out from under it; a
// small button beside it hides it ("m" key too) and brings it back.

import type { LayoutResult } from "../layout/types.js";

/** Ops in the pass above which the minimap is drawn. */
export const MINIMAP_MIN_OPS = 300;
const SVG_NS = "http://www.w3.org/2000/svg";
const MAX_W = 160;
const MAX_H = 120;
/** Largest share of the canvas's width and height the minimap takes. */
const MAX_SHARE = 0.2;

export interface Viewport {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class Minimap {
  readonly element: SVGSVGElement;
  private readonly view: SVGRectElement;
  /** Hides and shows the minimap. */
  readonly toggle: HTMLButtonElement;
  private scale = 1;
  private layout: LayoutResult | null = null;
  private wanted = false;
  /** The user hid it. */
  private hidden = false;

  constructor(
    private readonly parent: HTMLElement,
    private readonly moveTo: (x: number, y: number) => void,
  ) {
    this.toggle = document.createElement("button");
    this.toggle.className = "jit-minimap-toggle";
    this.toggle.id = "minimap-toggle";
    this.toggle.type = "button";
    this.toggle.style.display = "none";
    this.toggle.addEventListener("click", (ev) => {
      ev.stopPropagation();
      this.setHidden(!this.hidden);
    });
    parent.appendChild(this.toggle);
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

  /** Hides or shows it (the button, the "m" key). */
  setHidden(hidden: boolean): void {
    this.hidden = hidden;
    if (this.lastLayout) this.draw(this.lastLayout, this.wanted);
  }

  /** Its size on screen while shown, else null: the corner fit-to-view keeps clear. */
  box(): { width: number; height: number } | null {
    if (!this.layout) return null;
    const r = this.element.getBoundingClientRect();
    return r.width > 0 ? { width: r.width, height: r.height + 20 } : null;
  }

  /** Places it and its button `bottom` px above the canvas's bottom edge (above the legend). */
  setBottom(bottom: number): void {
    this.element.style.bottom = `${bottom}px`;
    this.toggle.style.bottom = `${bottom + (this.layout ? this.element.getBoundingClientRect().height + 2 : 0)}px`;
  }

  private lastLayout: LayoutResult | null = null;

  /** Draws the overview of a layout, or hides the minimap when the graph is small or the user hid it. */
  draw(layout: LayoutResult, show: boolean): void {
    this.wanted = show;
    this.lastLayout = layout;
    this.toggle.style.display = show ? "" : "none";
    this.toggle.textContent = this.hidden ? "▣ map" : "✕";
    this.toggle.title = this.hidden ? "show the minimap (m)" : "hide the minimap (m)";
    const visible = show && !this.hidden;
    this.element.style.display = visible ? "" : "none";
    this.layout = visible ? layout : null;
    this.element.replaceChildren();
    if (!visible) return;
    const maxW = Math.min(MAX_W, Math.max(60, this.parent.clientWidth * MAX_SHARE));
    const maxH = Math.min(MAX_H, Math.max(45, this.parent.clientHeight * MAX_SHARE));
    this.scale = Math.min(maxW / Math.max(1, layout.width), maxH / Math.max(1, layout.height));
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
