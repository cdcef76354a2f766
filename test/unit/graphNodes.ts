// Pass-graph nodes and edges for tests that build small graphs by hand: a float32 [4] tensor
// unless told otherwise.
import type { Compilation, GraphEdge, GraphNode, PassGraph } from "@jitscope/contract";

export const graphNode = (
  id: string,
  kind: GraphNode["kind"],
  label: string,
  nameStack: string[] = [],
  shape: number[] = [4],
): GraphNode => ({ id, kind, label, shape, dtype: "float32", location: null, nameStack });

export const graphEdge = (source: string, target: string, shape: number[] = [4]): GraphEdge => ({
  source,
  target,
  bytes: 4 * shape.reduce((a, b) => a * b, 1),
  shape,
  dtype: "float32",
});

/** A compilation of `step` whose one pass (`pass`) is `graph`, its kernels the graph's groups. */
export function onePassCompilation(pass: string, graph: PassGraph): Compilation {
  return {
    id: "c0",
    functionName: "step",
    location: null,
    signature: "()",
    reason: "first call",
    passes: [{ name: pass, ms: 0.1, changed: true, text: "", graph }],
    fusion: { decisions: [], boundaries: [] },
    kernels: graph.groups.map((k) => k.id),
    compileMs: { total: 0.1, perPass: { [pass]: 0.1 } },
    peakBytes: 0,
  };
}
