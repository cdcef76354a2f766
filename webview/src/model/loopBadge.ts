// What a loop node (lax.scan / while_loop) shows in the graph: its body runs T times, so it is
// drawn as one node marked "scan × 32" with the size of its body. DOM-free.

import { formatNs, type GraphNode, type KernelReport } from "@jitscope/contract";

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
  /** The body's timed kernels in this run, largest kernel total first (README, "Kernel total"). */
  kernelTotals: { name: string; totalNs: number }[];
}

/** How many of a loop's kernels its hover names, largest total first. */
export const LOOP_KERNELS_NAMED = 4;

/** The loop summary of `node`, or undefined for any other node. The body's kernels are listed on
 *  the node from the fuse pass on; at earlier passes they are the report's kernels that name this
 *  node as their loop (same compilation, same node id: only a function's own loop nodes, `inBody`
 *  false, as kernels name the outermost loop). */
export function loopOf(
  node: GraphNode,
  compilation: string,
  kernels: ReadonlyMap<string, KernelReport>,
  inBody = false,
): ModelLoop | undefined {
  const loop = node.loop;
  if (!loop) return undefined;
  let timed = 0;
  let lastCall: number | null = null;
  const kernelTotals: ModelLoop["kernelTotals"] = [];
  const listed = loop.bodyKernels.length > 0 ? new Set(loop.bodyKernels) : null;
  for (const k of kernels.values()) {
    if (k.compilation !== compilation || !k.loop) continue;
    if (listed ? !listed.has(k.id) : inBody || k.loop.node !== node.id) continue;
    timed++;
    lastCall = k.loop.lastCall?.iterations ?? lastCall;
    if (k.dispatches > 0 && k.gpuTimesNs.length > 0) kernelTotals.push({ name: k.name, totalNs: k.totalNs });
  }
  kernelTotals.sort((a, b) => b.totalNs - a.totalNs);
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
    kernelTotals,
  };
}

/** The hover's line on the body's time: "body kernels' total 98.3 ms: concatenate 16.7 ms ·
 *  matmul 16.0 ms · … 6 more", or null when none was timed. */
export function loopTimeText(loop: ModelLoop): string | null {
  const ks = loop.kernelTotals;
  if (ks.length === 0) return null;
  const sum = ks.reduce((t, k) => t + k.totalNs, 0);
  // A wrapped hover breaks between kernels, never between a kernel's name and its time.
  const keep = (t: string): string => t.replace(/ /g, "\u00a0");
  const named = ks.slice(0, LOOP_KERNELS_NAMED).map((k) => keep(`${k.name} ${formatNs(k.totalNs)}`));
  const more = ks.length > LOOP_KERNELS_NAMED ? ` · ${keep(`… ${ks.length - LOOP_KERNELS_NAMED} more`)}` : "";
  return `body kernels' total ${formatNs(sum)}: ${named.join(" · ")}${more}`;
}

/** The text drawn in a loop node (and sized for by the layout). */
export function loopText(loop: ModelLoop): string {
  return `${loop.badge} · ${loop.bodyText}`;
}
