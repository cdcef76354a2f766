// The unrolled-loop detector's reading of a traced graph: instances of one scope (`…/#k`) of
// about one size, most feeding the next, 8 or more of them, make an unrolled loop; fewer, unlike
// in size, or independent of each other (attention's heads) do not.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { GraphEdge, GraphNode } from "@jitscope/contract";
import {
  fusesAcrossIterations,
  instanceFamilies,
  isUnrolledLoop,
  UNROLLED_MIN,
} from "../../../runtime/src/advice/unrolledLoop.js";
import { graphEdge, graphNode } from "../graphNodes.js";

const op = (id: string, nameStack: string[]): GraphNode => graphNode(id, "op", "add", nameStack);
const edge = graphEdge;

/** `n` instances of `size` ops under step/cell, instance k's last op feeding k+1's first when chained. */
function family(n: number, size: (k: number) => number, chained: boolean) {
  const nodes: GraphNode[] = [op("x", ["step"])];
  const edges: GraphEdge[] = [];
  for (let k = 1; k <= n; k++) {
    for (let j = 0; j < size(k); j++) {
      nodes.push(op(`i${k}_${j}`, ["step", "cell", `#${k}`]));
      if (j > 0) edges.push(edge(`i${k}_${j - 1}`, `i${k}_${j}`));
    }
    edges.push(edge(chained && k > 1 ? `i${k - 1}_${size(k - 1) - 1}` : "x", `i${k}_0`));
  }
  return { nodes, edges };
}

test("instances are grouped by the scope before their first #k, ops outside any instance left out", () => {
  const { nodes } = family(3, () => 2, true);
  nodes.push(op("deep", ["step", "grad(loss)", "#2", "transpose", "#5"]));
  const fams = instanceFamilies(nodes);
  assert.deepEqual(
    fams.map((f) => [f.scope, [...f.ops].map(([k, ops]) => [k, ops.map((o) => o.id)])]),
    [
      [
        "step/cell",
        [
          [1, ["i1_0", "i1_1"]],
          [2, ["i2_0", "i2_1"]],
          [3, ["i3_0", "i3_1"]],
        ],
      ],
      ["step/grad(loss)", [[2, ["deep"]]]],
    ],
  );
});

test("8 chained instances of 5 ops are an unrolled loop; 7 are not", () => {
  assert.equal(UNROLLED_MIN, 8);
  const eight = family(8, () => 5, true);
  assert.equal(isUnrolledLoop(instanceFamilies(eight.nodes)[0]!, eight.edges), true);
  const seven = family(7, () => 5, true);
  assert.equal(isUnrolledLoop(instanceFamilies(seven.nodes)[0]!, seven.edges), false);
});

test("12 instances that do not feed each other (heads of an attention) are not a loop", () => {
  const heads = family(12, () => 5, false);
  assert.equal(isUnrolledLoop(instanceFamilies(heads.nodes)[0]!, heads.edges), false);
});

test("instances whose sizes differ by more than a quarter in one of four or more are not one loop's", () => {
  // Sizes 4 and 8 alternating: half of them off the median by 100%.
  const mixed = family(12, (k) => (k % 2 ? 4 : 8), true);
  assert.equal(isUnrolledLoop(instanceFamilies(mixed.nodes)[0]!, mixed.edges), false);
  // One instance in twelve larger (the last step also computes a loss): still a loop.
  const lastLarger = family(12, (k) => (k === 12 ? 9 : 6), true);
  assert.equal(isUnrolledLoop(instanceFamilies(lastLarger.nodes)[0]!, lastLarger.edges), true);
});

test("a loop whose kernels mostly hold ops of two iterations fuses across them; one whose kernels keep to one does not", () => {
  const nodes = [1, 2, 3, 4].flatMap((k) => [
    op(`a${k}`, ["step", "cell", `#${k}`]),
    op(`b${k}`, ["step", "cell", `#${k}`]),
  ]);
  // Steps 1+2 and 3+4 in one kernel each: 2 of 2 kernels span iterations (8 stencil steps fused).
  const merged = [{ nodes: ["a1", "b1", "a2", "b2"] }, { nodes: ["a3", "b3", "a4", "b4"] }];
  assert.equal(fusesAcrossIterations("step/cell", { nodes, groups: merged }), true);
  // One kernel per step, and one of five joining two steps (an RNN whose matmuls stop fusion).
  const apart = [
    { nodes: ["a1", "b1"] },
    { nodes: ["a2", "b2"] },
    { nodes: ["a3"] },
    { nodes: ["b3", "a4"] },
    { nodes: ["b4"] },
  ];
  assert.equal(fusesAcrossIterations("step/cell", { nodes, groups: apart }), false);
});
