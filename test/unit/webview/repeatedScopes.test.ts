// Closed scopes that are calls of one function (a JS loop's iterations unrolled at trace time)
// drawn as one node "▸ loss #1–#32 ×32"; fewer than four, or calls under different parents, stay
// apart; the user can unfold them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildScopeTree, formatNs, type GraphEdge, type GraphNode } from "@jitscope/contract";
import { buildGraphModel } from "../../../webview/src/model/graphModel.js";
import { describeScopeFold, foldInstanceScopes, SCOPE_FOLD_MIN } from "../../../webview/src/model/repeatedScopes.js";
import { graphEdge, graphNode, onePassCompilation } from "../graphNodes.js";

const op = (id: string, nameStack: string[]): GraphNode => graphNode(id, "op", "tanh", nameStack);
const edge = graphEdge;

/** `n` calls of a 3-op cell under step › grad(loss), each feeding the next; one op after them. */
function unrolled(n: number) {
  const nodes: GraphNode[] = [graphNode("x", "input", "x")];
  const edges: GraphEdge[] = [];
  let prev = "x";
  for (let k = 1; k <= n; k++) {
    for (let j = 0; j < 3; j++) {
      const id = `c${k}_${j}`;
      nodes.push(op(id, ["step", "grad(loss)", `#${k}`]));
      edges.push(edge(prev, id));
      prev = id;
    }
  }
  nodes.push(op("last", ["step", "grad(loss)"]));
  edges.push(edge(prev, "last"));
  return { nodes, edges };
}

test("six closed calls of loss fold into one, labelled with their first and last call and their count", () => {
  const { nodes } = unrolled(6);
  const tree = buildScopeTree(nodes);
  const closed = new Set([...tree.scopes.keys()].filter((id) => /#\d+$/.test(id)));
  assert.equal(closed.size, 6);
  const folds = foldInstanceScopes(tree, closed);
  const fold = folds.get("scope:step/grad(loss)/#1")!;
  assert.equal(fold.id, "scopes:step/grad(loss)/#");
  assert.equal(fold.label, "loss #1–#6 ×6");
  assert.deepEqual(
    fold.members,
    [1, 2, 3, 4, 5, 6].map((k) => `scope:step/grad(loss)/#${k}`),
  );
  assert.equal(folds.size, 6, "every member maps to the fold");
  // Unfolded by the user: nothing folds.
  assert.equal(foldInstanceScopes(tree, closed, new Set([fold.id])).size, 0);
});

test("three closed calls, or calls of which only three are closed, stay apart", () => {
  assert.equal(SCOPE_FOLD_MIN, 4);
  const tree = buildScopeTree(unrolled(3).nodes);
  const closed = new Set([...tree.scopes.keys()].filter((id) => /#\d+$/.test(id)));
  assert.equal(foldInstanceScopes(tree, closed).size, 0);
  const six = buildScopeTree(unrolled(6).nodes);
  const three = new Set(["scope:step/grad(loss)/#1", "scope:step/grad(loss)/#2", "scope:step/grad(loss)/#5"]);
  assert.equal(foldInstanceScopes(six, three).size, 0);
});

test("a fold's hover sums its calls' ops, kernels and GPU time", () => {
  const fold = { id: "scopes:s/#", members: ["a", "b"], label: "cell #1–#2 ×2", parent: null };
  const parts = [
    { ops: 3, kernels: 1, ns: 2000, share: 0.25 },
    { ops: 3, kernels: 1, ns: 2000, share: 0.25 },
  ];
  assert.equal(
    describeScopeFold(fold, parts, formatNs),
    `cell #1–#2 ×2: 2 calls of one function, folded · 6 ops · 2 kernels · ${formatNs(4000)} (50%) · click to unfold`,
  );
});

test("the graph of 40 unrolled calls past the open-scope budget draws them as one fold, and as 40 closed calls unfolded", () => {
  const g = unrolled(40);
  const c = onePassCompilation("trace", { ...g, groups: [] });
  const m = buildGraphModel(c, 0, new Map(), { hideConstants: false, collapsed: new Set() }, {});
  const scopes = m.nodes.filter((n) => n.kind === "scope");
  assert.deepEqual(
    scopes.map((n) => [n.id, n.label, n.ops]),
    [["scopes:step/grad(loss)/#", "▸ loss #1–#40 ×40", 120]],
  );
  assert.equal(m.drawnFor["c17_2"], "scopes:step/grad(loss)/#");
  // x, read only by the first call, is drawn inside it (terminals.ts), so inside the fold.
  assert.equal(m.drawnFor["x"], "scopes:step/grad(loss)/#");
  assert.deepEqual(
    m.edges.map((e) => `${e.source}->${e.target}`),
    ["scopes:step/grad(loss)/#->last"],
  );
  const open = buildGraphModel(
    c,
    0,
    new Map(),
    { hideConstants: false, collapsed: new Set(), expanded: new Set(["scopes:step/grad(loss)/#"]) },
    {},
  );
  assert.equal(open.nodes.filter((n) => n.kind === "scope").length, 40);
});
