// Pass-graph nodes and edges for tests that build small graphs by hand: a float32 [4] tensor
// unless told otherwise.
import type { GraphEdge, GraphNode } from "@jitscope/contract";

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
