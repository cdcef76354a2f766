// What a loop node (lax.scan / while_loop) shows in the graph: its body runs T times, so it is
// drawn as one node marked "scan × 32" with the size of its body. DOM-free.

import type { GraphNode, KernelReport } from "@jitscope/contract";

export interface ModelLoop {
  kind: "scan" | "while";
  tripCount: number | null;
  /** "scan × 32"; a while loop's count is data dependent: "while × ?", or its last call's count
   *  as measured on the device when the report has it: "while × 9 (last call)". */
  badge: string;
  /** A while loop's iterations in its last call (from its kernels' `loop.lastCall`). */
  lastCall: number | null;
  /** Kernels the body compiled to (0 before the lowering, unless the report timed them). */
  bodyKernels: number;
  bodyOps: number;
  /** "8 body kernels", or "31 body ops" when no kernel is known yet. */
  bodyText: string;
}

/** The loop summary of `node`, or undefined for any other node. The body's kernels are known on
 *  the node from the lowering on; at earlier passes they are counted from the report's kernels
 *  that name this node as their loop (same compilation, same node id). */
export function loopOf(
  node: GraphNode,
  compilation: string,
  kernels: ReadonlyMap<string, KernelReport>,
): ModelLoop | undefined {
  const loop = node.loop;
  if (!loop) return undefined;
  let timed = 0;
  let lastCall: number | null = null;
  for (const k of kernels.values()) {
    if (k.compilation !== compilation || k.loop?.node !== node.id) continue;
    timed++;
    lastCall = k.loop.lastCall?.iterations ?? lastCall;
  }
  const bodyKernels = Math.max(loop.bodyKernels.length, timed);
  const bodyOps = loop.body.nodes.filter((n) => n.kind === "op").length;
  const plural = (n: number, w: string): string => `${n} body ${w}${n === 1 ? "" : "s"}`;
  return {
    kind: loop.kind,
    tripCount: loop.tripCount,
    badge: `${loop.kind} × ${loop.tripCount ?? (lastCall === null ? "?" : `${lastCall} (last call)`)}`,
    lastCall,
    bodyKernels,
    bodyOps,
    bodyText: bodyKernels > 0 ? plural(bodyKernels, "kernel") : plural(bodyOps, "op"),
  };
}

/** The text drawn in a loop node (and sized for by the layout). */
export function loopText(loop: ModelLoop): string {
  return `${loop.badge} · ${loop.bodyText}`;
}
