// Draws a laid-out GraphModel into an SVG with D3: clusters tinted by GPU-time share, edges by
// bytes, boundary edges with their "why not fused" reason on hover, nodes highlighted when the
// pass changed them, matched by search or revealed. Pan and zoom with d3-zoom.

import * as d3 from "d3";
import type { LayoutResult } from "../layout/types.js";
import { loopText } from "../model/loopBadge.js";
import { edgeWidth, fitClusterLabel, nodeTooltip } from "../model/graphQueries.js";
import {
  type GraphModel,
  type ModelCluster,
  type ModelEdge,
  type ModelNode,
  type ModelScope,
} from "../model/graphModel.js";
import { formatBytes, formatShortLocation } from "@jitscope/contract";
import { clusterFill, edgeTooltip, fitText, scopeFill } from "./graphPaint.js";
import type { Tooltip } from "./tooltip.js";

export interface GraphHandlers {
  nodeClick(n: ModelNode): void;
  clusterClick(c: ModelCluster): void;
  /** An open scope's header: close it. */
  scopeClick(s: ModelScope): void;
}

export interface Highlights {
  matches: ReadonlySet<string>;
  revealed: ReadonlySet<string>;
  searching: boolean;
}

/** Above this many nodes, labels are drawn only for nodes in view once zoomed in enough to read. */
export const LABEL_ALL_LIMIT = 800;
const LABEL_MIN_SCALE = 0.45;
const LABEL_MAX_VISIBLE = 1500;

export class GraphRenderer {
  private labels: d3.Selection<SVGGElement, unknown, null, undefined> | null = null;
  private lod: { nodes: ModelNode[]; layout: LayoutResult } | null = null;
  private labelFrame = 0;

  readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly root: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly zoom: d3.ZoomBehavior<SVGSVGElement, unknown>;
  /** Called after every pan or zoom (the minimap follows the view). */
  onZoom: (() => void) | null = null;

  constructor(
    parent: HTMLElement,
    private readonly tooltip: Tooltip,
  ) {
    this.svg = d3.select(parent).append("svg").attr("role", "img").attr("aria-label", "computation graph");
    this.root = this.svg.append("g").attr("class", "jit-root");
    this.zoom = d3
      .zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.02, 4])
      .on("zoom", (ev: d3.D3ZoomEvent<SVGSVGElement, unknown>) => {
        this.root.attr("transform", ev.transform.toString());
        this.scheduleLabels();
        this.onZoom?.();
      });
    this.svg.call(this.zoom).on("dblclick.zoom", null);
  }

  draw(model: GraphModel, layout: LayoutResult, hl: Highlights, on: GraphHandlers): void {
    const tip = this.tooltip;
    // The element under the pointer goes with the old drawing and never gets its mouseleave.
    tip.hide();
    this.root.selectAll("*").remove();
    const scopes = this.root.append("g").attr("class", "jit-scopes");
    const clusters = this.root.append("g").attr("class", "jit-clusters");
    const edges = this.root.append("g").attr("class", "jit-edges");
    const nodes = this.root.append("g").attr("class", "jit-nodes");
    this.labels = this.root.append("g").attr("class", "jit-labels");

    const cl = clusters
      .selectAll<SVGGElement, ModelCluster>("g")
      .data(
        model.clusters.filter((c) => layout.clusters[c.id]),
        (c) => c.id,
      )
      .join("g")
      .attr("class", "jit-cluster")
      .attr("data-kernel", (c) => c.id);
    cl.append("rect")
      .attr("rx", 6)
      .attr("x", (c) => layout.clusters[c.id]!.x)
      .attr("y", (c) => layout.clusters[c.id]!.y)
      .attr("width", (c) => layout.clusters[c.id]!.width)
      .attr("height", (c) => layout.clusters[c.id]!.height)
      .style("fill", (c) => clusterFill(c.share));
    cl.append("text")
      .attr("x", (c) => layout.clusters[c.id]!.x + 8)
      .attr("y", (c) => layout.clusters[c.id]!.y + 16)
      // Bold 11px sans runs about 6.6 px a character.
      .text((c) => fitClusterLabel(c, Math.floor((layout.clusters[c.id]!.width - 14) / 6.6)))
      .on("click", (_ev, c) => on.clusterClick(c))
      .on("mousemove", (ev: MouseEvent, c) => {
        const fold = model.repeats.find((r) => !r.folded && r.kernels.includes(c.id));
        const click = fold ? `click to fold the ${fold.kernels.length} alike kernels again` : "click to collapse";
        tip.show(`${c.label}\n${Math.round(c.share * 100)}% of this function's GPU time\n${click}`, ev);
      })
      .on("mouseleave", () => tip.hide());

    // Scope groups, outermost first so inner ones paint over them; a faint tint by GPU share.
    const sg = scopes
      .selectAll<SVGGElement, ModelScope>("g")
      .data(
        model.scopes.filter((sc) => layout.clusters[sc.id]),
        (sc) => sc.id,
      )
      .join("g")
      .attr("class", "jit-scope")
      .attr("data-scope", (sc) => sc.id);
    sg.append("rect")
      .attr("rx", 8)
      .attr("x", (sc) => layout.clusters[sc.id]!.x)
      .attr("y", (sc) => layout.clusters[sc.id]!.y)
      .attr("width", (sc) => layout.clusters[sc.id]!.width)
      .attr("height", (sc) => layout.clusters[sc.id]!.height)
      .style("fill", (sc) => scopeFill(sc.share))
      .style("stroke-width", (sc) => 1 + 3 * sc.share);
    sg.append("text")
      .attr("x", (sc) => layout.clusters[sc.id]!.x + 8)
      .attr("y", (sc) => layout.clusters[sc.id]!.y + 15)
      .text((sc) =>
        fitText(
          `▾ ${sc.label}${sc.ns > 0 ? ` · ${Math.round(sc.share * 100)}%` : ""}`,
          Math.floor((layout.clusters[sc.id]!.width - 14) / 6.6),
        ),
      )
      .on("click", (_ev, sc) => on.scopeClick(sc))
      .on("mousemove", (ev: MouseEvent, sc) => tip.show(`${sc.summary}\nclick to close`, ev))
      .on("mouseleave", () => tip.hide());

    const line = d3.line<[number, number]>();
    const pathOf = (e: ModelEdge): string => {
      const pts = layout.edges[e.id] ?? [];
      if (pts.length === 2) {
        return (
          d3.linkVertical<unknown, [number, number]>()({
            source: pts[0]!,
            target: pts[1]!,
          } as unknown as d3.DefaultLinkObject & { source: [number, number]; target: [number, number] }) ?? ""
        );
      }
      return line(pts) ?? "";
    };
    const laidEdges = model.edges.filter((e) => (layout.edges[e.id]?.length ?? 0) >= 2);
    // Red dashes mark a fusion boundary between ops drawn apart; at a collapsed kernel (every
    // edge of one is a boundary: 625 kernels of a flat graph were a red web), in the kernel graph
    // and at a closed scope (standing for many ops) they were only noise. The reason stays in
    // the tooltip.
    const scopeNodes = new Set(model.nodes.filter((n) => n.kind === "scope").map((n) => n.id));
    const groupNodes = new Set(model.nodes.filter((n) => n.kind === "scope" || n.kind === "kernel").map((n) => n.id));
    const isBoundary = (e: ModelEdge): boolean =>
      (e.boundary !== null || e.crossesKernels) &&
      !model.kernelView &&
      !groupNodes.has(e.source) &&
      !groupNodes.has(e.target);
    // Between two closed groups an edge stands for many tensors: thin and faint, so 244 closed
    // blocks of a 50,000-op step read as blocks, not as a web of their forward-backward links.
    const betweenGroups = (e: ModelEdge): boolean => scopeNodes.has(e.source) && scopeNodes.has(e.target);
    edges
      .selectAll<SVGPathElement, ModelEdge>("path.jit-edge")
      .data(laidEdges, (e) => e.id)
      .join("path")
      .attr("class", (e) =>
        isBoundary(e) ? "jit-edge boundary" : betweenGroups(e) ? "jit-edge between-groups" : "jit-edge",
      )
      .attr("d", pathOf)
      .attr("stroke-width", (e) => (betweenGroups(e) ? 1 : edgeWidth(e.bytes, model.maxBytes)))
      .on("mousemove", (ev: MouseEvent, e) => tip.show(edgeTooltip(e), ev))
      .on("mouseleave", () => tip.hide());
    // Boundary edges get wide invisible twins so their reason is easy to point at.
    edges
      .selectAll<SVGPathElement, ModelEdge>("path.jit-edge-hit")
      .data(laidEdges.filter(isBoundary), (e) => e.id)
      .join("path")
      .attr("class", "jit-edge-hit boundary")
      .attr("data-edge", (e) => e.id)
      .attr("d", pathOf)
      .on("mousemove", (ev: MouseEvent, e) => tip.show(edgeTooltip(e), ev))
      .on("mouseleave", () => tip.hide());

    // The kernel graph labels the buffers between kernels with their size.
    if (model.kernelView && laidEdges.length <= 600) {
      edges
        .selectAll<SVGTextElement, ModelEdge>("text.jit-edge-label")
        .data(laidEdges, (e) => e.id)
        .join("text")
        .attr("class", "jit-edge-label")
        .attr("text-anchor", "middle")
        .attr("x", (e) => {
          const p = layout.edges[e.id]!;
          return (p[0]![0] + p[p.length - 1]![0]) / 2;
        })
        .attr("y", (e) => {
          const p = layout.edges[e.id]!;
          return (p[0]![1] + p[p.length - 1]![1]) / 2;
        })
        .text((e) => formatBytes(e.bytes));
    }
    const laidNodes = model.nodes.filter((n) => layout.nodes[n.id]);
    const ng = nodes
      .selectAll<SVGGElement, ModelNode>("g")
      .data(laidNodes, (n) => n.id)
      .join("g")
      .attr("class", (n) => {
        const cls = ["jit-node", `kind-${n.kind}`];
        if (n.loop) cls.push("loop");
        if (n.changed) cls.push("changed");
        if (hl.matches.has(n.id)) cls.push("match");
        else if (hl.searching) cls.push("dim");
        if (hl.revealed.has(n.id)) cls.push("revealed");
        return cls.join(" ");
      })
      .attr("data-node", (n) => n.id)
      .attr("data-ops", (n) => n.ops ?? null)
      .attr("transform", (n) => `translate(${layout.nodes[n.id]!.x},${layout.nodes[n.id]!.y})`)
      .on("click", (_ev, n) => on.nodeClick(n))
      .on("mousemove", (ev: MouseEvent, n) =>
        tip.show(
          n.summary
            ? `${n.summary}\nclick to ${n.kind === "scope" ? "open" : "expand into its ops"}`
            : nodeTooltip(n, formatShortLocation(n.location)),
          ev,
        ),
      )
      .on("mouseleave", () => tip.hide());
    // A loop's body runs T times: a second box peeks out behind it, like a stack of iterations.
    ng.filter((n) => n.loop !== undefined)
      .append("rect")
      .attr("class", "jit-loop-stack")
      .attr("rx", 4)
      .attr("x", 4)
      .attr("y", -4)
      .attr("width", (n) => layout.nodes[n.id]!.width)
      .attr("height", (n) => layout.nodes[n.id]!.height);
    ng.append("rect")
      .attr("rx", (n) => (n.kind === "op" || n.kind === "kernel" || n.kind === "scope" ? 4 : 12))
      .attr("width", (n) => layout.nodes[n.id]!.width)
      .attr("height", (n) => layout.nodes[n.id]!.height)
      .style("fill", (n) => (n.share !== undefined ? clusterFill(n.share) : null));
    if (laidNodes.length <= LABEL_ALL_LIMIT) {
      this.lod = null;
      ng.filter((n) => n.loop === undefined)
        .append("text")
        .attr("x", (n) => layout.nodes[n.id]!.width / 2)
        .attr("y", (n) => layout.nodes[n.id]!.height / 2 + 4)
        .attr("text-anchor", "middle")
        .text((n) => n.label);
      const lt = ng
        .filter((n) => n.loop !== undefined)
        .append("text")
        .attr("x", (n) => layout.nodes[n.id]!.width / 2)
        .attr("y", (n) => layout.nodes[n.id]!.height / 2 + 4)
        .attr("text-anchor", "middle");
      lt.append("tspan")
        .attr("class", "jit-loop-badge")
        .text((n) => n.loop!.badge);
      lt.append("tspan")
        .attr("class", "jit-loop-body")
        .text((n) => ` · ${n.loop!.bodyText}`);
    } else {
      // Thousands of labels cost more to lay out than everything else and are unreadable when
      // the whole graph is in view: draw those in view, once zoomed in.
      this.lod = { nodes: laidNodes, layout };
      this.scheduleLabels();
    }
  }

  private scheduleLabels(): void {
    if (!this.lod || this.labelFrame) return;
    this.labelFrame = requestAnimationFrame(() => {
      this.labelFrame = 0;
      this.drawVisibleLabels();
    });
  }

  private drawVisibleLabels(): void {
    if (!this.lod || !this.labels) return;
    const el = this.svg.node()!;
    const t = d3.zoomTransform(el);
    const { nodes, layout } = this.lod;
    let shown: ModelNode[] = [];
    if (t.k >= LABEL_MIN_SCALE) {
      const [x0, y0] = t.invert([0, 0]);
      const [x1, y1] = t.invert([el.clientWidth, el.clientHeight]);
      shown = nodes.filter((n) => {
        const b = layout.nodes[n.id]!;
        return b.x + b.width >= x0 && b.x <= x1 && b.y + b.height >= y0 && b.y <= y1;
      });
      if (shown.length > LABEL_MAX_VISIBLE) shown = [];
    }
    this.labels
      .selectAll<SVGTextElement, ModelNode>("text")
      .data(shown, (n) => n.id)
      .join("text")
      .attr("x", (n) => layout.nodes[n.id]!.x + layout.nodes[n.id]!.width / 2)
      .attr("y", (n) => layout.nodes[n.id]!.y + layout.nodes[n.id]!.height / 2 + 4)
      .attr("text-anchor", "middle")
      .text((n) => (n.loop ? loopText(n.loop) : n.label));
  }

  /**
   * Fits the whole drawing into view (at most 1.5×), however small that makes it: every node lies
   * in the viewport afterwards (groups and collapsed kernels keep big programs readable), above
   * `bottomInset` (the open legend). `corner` is the box kept clear in
   * the bottom-right (the minimap): if the fitted drawing would run under it, the drawing is
   * fitted beside it or above it, whichever leaves it bigger.
   */
  fit(layout: LayoutResult, bottomInset = 0, corner: { width: number; height: number } | null = null): void {
    const el = this.svg.node()!;
    const w = el.clientWidth || 800;
    const h = (el.clientHeight || 600) - bottomInset;
    const pad = 16;
    const scale = (aw: number, ah: number): number =>
      Math.min(1.5, (aw - 2 * pad) / Math.max(1, layout.width), (ah - 2 * pad) / Math.max(1, layout.height));
    let [aw, ah] = [w, h];
    let k = scale(aw, ah);
    if (corner) {
      const right = (w + layout.width * k) / 2;
      const bottom = (h + layout.height * k) / 2;
      if (right > w - corner.width - 8 && bottom > h - corner.height - 8) {
        const beside = scale(w - corner.width - 8, h);
        const above = scale(w, h - corner.height - 8);
        [aw, ah] = beside >= above ? [w - corner.width - 8, h] : [w, h - corner.height - 8];
        k = Math.max(beside, above);
      }
    }
    const [lo, hi] = this.zoom.scaleExtent();
    if (k < lo) this.zoom.scaleExtent([k, hi]);
    const t = d3.zoomIdentity.translate((aw - layout.width * k) / 2, (ah - layout.height * k) / 2).scale(k);
    this.svg.call(this.zoom.transform, t);
  }

  /** Pans (keeping the zoom) so a group or node box sits where it was before a re-layout. */
  keepInPlace(layout: LayoutResult, id: string, screen: { x: number; y: number } | null): void {
    const b = layout.clusters[id] ?? layout.nodes[id];
    if (!b || !screen) return;
    const el = this.svg.node()!;
    const k = d3.zoomTransform(el).k;
    this.svg.call(this.zoom.transform, d3.zoomIdentity.translate(screen.x - b.x * k, screen.y - b.y * k).scale(k));
  }

  /** Where a group or node's top-left corner is on screen now. */
  screenPosition(layout: LayoutResult, id: string): { x: number; y: number } | null {
    const b = layout.clusters[id] ?? layout.nodes[id];
    if (!b) return null;
    const t = d3.zoomTransform(this.svg.node()!);
    return { x: t.applyX(b.x), y: t.applyY(b.y) };
  }

  /** The part of the layout in view, in layout coordinates. */
  viewport(): { x: number; y: number; width: number; height: number } {
    const el = this.svg.node()!;
    const t = d3.zoomTransform(el);
    const [x0, y0] = t.invert([0, 0]);
    const [x1, y1] = t.invert([el.clientWidth, el.clientHeight]);
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }

  /** Pans (keeping the zoom) so layout point (x, y) is at the centre of the view. */
  panTo(x: number, y: number): void {
    const el = this.svg.node()!;
    const k = d3.zoomTransform(el).k;
    this.svg.call(
      this.zoom.transform,
      d3.zoomIdentity.translate((el.clientWidth || 800) / 2 - x * k, (el.clientHeight || 600) / 2 - y * k).scale(k),
    );
  }

  /** Pans to centre a set of nodes (search hits, a revealed kernel or line). */
  centreOn(layout: LayoutResult, ids: readonly string[]): void {
    const boxes = ids.map((id) => layout.nodes[id]).filter((b) => b !== undefined);
    if (boxes.length === 0) return;
    const cx = d3.mean(boxes, (b) => b.x + b.width / 2)!;
    const cy = d3.mean(boxes, (b) => b.y + b.height / 2)!;
    const el = this.svg.node()!;
    const k = Math.max(0.6, d3.zoomTransform(el).k);
    this.svg.call(
      this.zoom.transform,
      d3.zoomIdentity.translate((el.clientWidth || 800) / 2 - cx * k, (el.clientHeight || 600) / 2 - cy * k).scale(k),
    );
  }
}
