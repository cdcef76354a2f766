// How the graph paints its parts: fills by share of GPU time, labels cut to fit, and the text an
// edge shows on hover. Shared by the drawing (graphRenderer.ts) and its legend (graphLegend.ts).

import type { ModelEdge } from "../model/graphModel.js";
import { boundaryCostText, formatAval, formatBytes } from "@jitscope/contract";

/** Cluster fill: the hot colour mixed in by share of GPU time, 8% (idle) to 58% (all of it). */
export function clusterFill(share: number): string {
  return `color-mix(in srgb, var(--jit-hot) ${Math.round(8 + 50 * Math.max(0, Math.min(1, share)))}%, transparent)`;
}

/** Open scope groups: nested ones would stack any tint into solid red, so a scope's heat is in
 *  its header (time and share) and its border weight; the fill only separates it from the page. */
export function scopeFill(_share: number): string {
  return "color-mix(in srgb, var(--jit-fg) 3%, transparent)";
}

export function fitText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}

/** An edge's hover text: its value, and for a kernel boundary why it was not fused. */
export function edgeTooltip(e: ModelEdge): string {
  const each = e.perIteration ? " each iteration" : "";
  const head = `${formatAval(e.dtype, e.shape)} · ${formatBytes(e.bytes)}${each}`;
  if (e.boundary) {
    const bytes = boundaryCostText(e.boundary);
    const cost = bytes ? bytes + each : "";
    return `why not fused: ${e.boundary.reason}\n(${e.boundary.rule}: ${e.boundary.fromKernel} → ${e.boundary.toKernel})\n${cost ? `${cost}\n` : ""}${head}`;
  }
  if (e.crossesKernels) return `kernel boundary (no reason recorded)\n${head}`;
  return head;
}
