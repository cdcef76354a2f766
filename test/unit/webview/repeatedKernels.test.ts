// Alike kernels side by side (an optimizer's update of each parameter) drawn as one node, their
// inputs and outputs bundled per argument; chains of alike kernels, different scopes or op
// sequences, and fewer than four stay apart; the user can unfold a fold.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Compilation, GraphEdge, GraphGroup, GraphNode } from "@jitscope/contract";
import { formatNs } from "@jitscope/contract";
import { buildGraphModel } from "../../../webview/src/model/graphModel.js";
import { describeFold, findRepeats, REPEAT_MIN } from "../../../webview/src/model/repeatedKernels.js";
import { kernel } from "./fixtures.js";
import { graphEdge, graphNode, onePassCompilation } from "../graphNodes.js";

const node = (id: string, kind: GraphNode["kind"], label: string): GraphNode => graphNode(id, kind, label, [], [16]);
const edge = (source: string, target: string): GraphEdge => graphEdge(source, target, [16]);

/** `n` parameter updates p.w{i} → mul → sqrt → div → add → result[0].w{i}, one kernel each. */
function updates(n: number, opsOf: (i: number) => string[] = () => ["mul", "sqrt", "div", "add"]) {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const groups: GraphGroup[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push(node(`in${i}`, "input", `p.w${i}`));
    const ops = opsOf(i).map((label, j) => node(`op${i}_${j}`, "op", label));
    nodes.push(...ops);
    nodes.push(node(`out${i}`, "output", `result[0].w${i}`));
    let prev = `in${i}`;
    for (const o of ops) {
      edges.push(edge(prev, o.id));
      prev = o.id;
    }
    edges.push(edge(prev, `out${i}`));
    groups.push({ id: `k${i}`, name: "fused_mul_sqrt_div_add", nodes: ops.map((o) => o.id) });
  }
  return { nodes, edges, groups };
}

const all = (groups: readonly GraphGroup[]) => new Set(groups.map((g) => g.id));

test("five alike independent kernels make one group of five; three alike of another name make none", () => {
  const five = updates(5);
  const three = updates(3);
  const renamed = three.groups.map((g) => ({ ...g, id: `x${g.id}`, name: "other" }));
  const rename = (id: string) => id.replace(/^(in|op|out)/, "x$1");
  const nodes = [...five.nodes, ...three.nodes.map((n) => ({ ...n, id: rename(n.id) }))];
  const edges = [
    ...five.edges,
    ...three.edges.map((e) => ({ ...e, source: rename(e.source), target: rename(e.target) })),
  ];
  const groups = [...five.groups, ...renamed.map((g) => ({ ...g, nodes: g.nodes.map(rename) }))];
  const found = findRepeats(groups, nodes, edges, all(groups), () => null);
  assert.equal(REPEAT_MIN, 4);
  assert.deepEqual(found, [
    { id: "repeat:k0", name: "fused_mul_sqrt_div_add", kernels: ["k0", "k1", "k2", "k3", "k4"] },
  ]);
});

test("alike kernels in a chain, directly or through an op between them, are not folded", () => {
  const direct = updates(4);
  // k0's last op feeds k1's first, and so on: a sequence of layers, not a row of updates.
  for (let i = 0; i < 3; i++) direct.edges.push(edge(`op${i}_3`, `op${i + 1}_0`));
  assert.deepEqual(
    findRepeats(direct.groups, direct.nodes, direct.edges, all(direct.groups), () => null),
    [],
  );
  const through = updates(4);
  through.nodes.push(node("between", "op", "neg"));
  through.edges.push(edge("op0_3", "between"), edge("between", "op3_0"));
  assert.deepEqual(
    findRepeats(through.groups, through.nodes, through.edges, all(through.groups), () => null),
    [],
  );
});

test("kernels in different scopes, with a different op sequence, or not drawn stay apart", () => {
  const u = updates(8, (i) => (i < 4 ? ["mul", "sqrt", "div", "add"] : ["mul", "sqrt", "add", "div"]));
  const byOps = findRepeats(u.groups, u.nodes, u.edges, all(u.groups), () => null);
  assert.deepEqual(
    byOps.map((r) => r.kernels),
    [
      ["k0", "k1", "k2", "k3"],
      ["k4", "k5", "k6", "k7"],
    ],
  );
  const s = updates(6);
  const byScope = findRepeats(s.groups, s.nodes, s.edges, all(s.groups), (k) => (Number(k.slice(1)) % 2 ? "a" : "b"));
  assert.deepEqual(byScope, []);
  const drawn = new Set(["k0", "k1", "k2"]);
  assert.deepEqual(
    findRepeats(s.groups, s.nodes, s.edges, drawn, () => null),
    [],
  );
});

test("a fold's label sums its kernels' medians; its share sums theirs; an untimed kernel drops the time", () => {
  const r = { id: "repeat:k0", name: "adam", kernels: ["k0", "k1", "k2", "k3"] };
  const timed = [1000, 2000, 3000, 4000].map((ns) => ({ medianNs: ns, share: 0.05 }));
  const d = describeFold(r, timed, 4, formatNs);
  assert.equal(d.label, `adam ×4 · ${formatNs(10_000)}`);
  assert.ok(Math.abs(d.share - 0.2) < 1e-12);
  assert.equal(
    d.summary,
    `4 alike kernels side by side (adam, 4 ops each) · ${formatNs(10_000)} together · 20% of GPU time · click to unfold`,
  );
  const untimed = describeFold(r, [...timed.slice(0, 3), { medianNs: null, share: 0 }], 1, formatNs);
  assert.equal(untimed.label, "adam ×4");
  assert.match(untimed.summary, /1 op each\) · not all timed · 15% of GPU time/);
});

function compilationOf(n: number): { c: Compilation; kernels: Map<string, ReturnType<typeof kernel>> } {
  const g = updates(n);
  const ks = g.groups.map((k, i) =>
    kernel(k.id, k.name, "c0", ["mul", "sqrt", "div", "add"], k.nodes, [3], [10 + i, 10 + i, 10 + i], 256, 64),
  );
  const c = onePassCompilation("fuse", g);
  return { c, kernels: new Map(ks.map((k) => [k.id, k])) };
}

test("the graph draws six alike updates as one fold between a p bundle and a result bundle, and unfolds it on request", () => {
  const { c, kernels } = compilationOf(6);
  const m = buildGraphModel(c, 0, kernels, { hideConstants: false, collapsed: new Set() }, {});
  assert.deepEqual(m.nodes.map((n) => n.id).sort(), [
    "bundle:in:repeat:k0:p",
    "bundle:out:repeat:k0:result[0]",
    "repeat:k0",
  ]);
  const fold = m.nodes.find((n) => n.id === "repeat:k0")!;
  assert.equal(fold.kind, "kernel");
  // Medians 10..15 µs: 75 µs for one call of all six.
  assert.equal(fold.label, `fused_mul_sqrt_div_add ×6 · ${formatNs(75_000)}`);
  assert.ok(Math.abs(fold.share! - 1) < 1e-12, "the six are all of the function's GPU time");
  assert.equal(m.clusters.length, 0);
  assert.equal(m.kernelCount, 1);
  assert.deepEqual(m.edges.map((e) => `${e.source}->${e.target} ${e.bytes}`).sort(), [
    "bundle:in:repeat:k0:p->repeat:k0 384",
    "repeat:k0->bundle:out:repeat:k0:result[0] 384",
  ]);
  assert.equal(m.drawnFor["op3_2"], "repeat:k0");
  assert.deepEqual(m.repeats, [
    { id: "repeat:k0", name: "fused_mul_sqrt_div_add", kernels: ["k0", "k1", "k2", "k3", "k4", "k5"], folded: true },
  ]);

  const open = buildGraphModel(
    c,
    0,
    kernels,
    { hideConstants: false, collapsed: new Set(), expanded: new Set(["repeat:k0"]) },
    {},
  );
  assert.deepEqual(
    open.clusters.map((k) => k.id),
    ["k0", "k1", "k2", "k3", "k4", "k5"],
  );
  assert.equal(open.kernelCount, 6);
  assert.equal(open.repeats[0]!.folded, false);
  assert.ok(!open.nodes.some((n) => n.id === "repeat:k0"));
});

test("in the kernel graph the six collapsed kernels fold too", () => {
  const { c, kernels } = compilationOf(6);
  const m = buildGraphModel(c, 0, kernels, { hideConstants: false, collapsed: new Set(), kernelView: true }, {});
  assert.deepEqual(
    m.nodes.filter((n) => n.kind === "kernel").map((n) => n.id),
    ["repeat:k0"],
  );
});
