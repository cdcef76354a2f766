// The edges the Graph view draws: the pass's tensor edges between what is drawn for their ends
// (an op, or the closed scope, fold or collapsed kernel that swallowed it), merged where two
// land on the same pair, each with the recorded reason its ends are in different kernels.
// DOM-free.

import type { FusionBoundary, GraphEdge } from "@jitscope/contract";

export interface ModelEdge {
  id: string;
  source: string;
  target: string;
  bytes: number;
  shape: number[];
  dtype: string;
  /** The recorded reason these two ops are in different kernels. */
  boundary: FusionBoundary | null;
  /** Source and target lie in different kernels (whether or not a reason was recorded). */
  crossesKernels: boolean;
  /** An edge of a loop body: its bytes (and a boundary's) flow once per iteration. */
  perIteration?: true;
}

export interface EdgeContext {
  /** Constants left out. */
  hidden: ReadonlySet<string>;
  /** The node drawn for a raw node. */
  drawnAs: (id: string) => string;
  /** Each op's kernel. */
  clusterOf: ReadonlyMap<string, string>;
  boundaries: readonly FusionBoundary[];
  loopBody: boolean;
}

export function drawnEdges(rawEdges: readonly GraphEdge[], ctx: EdgeContext): ModelEdge[] {
  const { hidden, drawnAs, clusterOf, boundaries } = ctx;
  const boundaryOf = new Map<string, FusionBoundary>();
  for (const b of boundaries) boundaryOf.set(`${b.from}->${b.to}`, b);
  const edges: ModelEdge[] = [];
  const seen = new Map<string, ModelEdge>();
  for (const e of rawEdges) {
    if (hidden.has(e.source) || hidden.has(e.target)) continue;
    const source = drawnAs(e.source);
    const target = drawnAs(e.target);
    if (source === target) continue; // inside a collapsed kernel
    const id = `${source}->${target}`;
    const prior = seen.get(id);
    const boundary = boundaryOf.get(`${e.source}->${e.target}`) ?? null;
    if (prior) {
      // Edges merged by collapsing keep the largest tensor and the first reason.
      prior.bytes = Math.max(prior.bytes, e.bytes);
      prior.boundary ??= boundary;
      continue;
    }
    const cs = clusterOf.get(e.source);
    const ct = clusterOf.get(e.target);
    const edge: ModelEdge = {
      id,
      source,
      target,
      bytes: e.bytes,
      shape: e.shape,
      dtype: e.dtype,
      boundary,
      crossesKernels: cs !== undefined && ct !== undefined && cs !== ct,
      ...(ctx.loopBody ? { perIteration: true } : {}),
    };
    seen.set(id, edge);
    edges.push(edge);
  }
  return edges;
}
