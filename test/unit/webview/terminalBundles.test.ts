// The leaves of one argument that only a closed group reads (or writes) drawn as one node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { argumentOf, bundleTerminals, type BundlableNode } from "../../../webview/src/model/terminalBundles.js";

const node = (id: string, kind: string, label = id): BundlableNode => ({
  id,
  kind,
  label,
  shape: [4],
  dtype: "float32",
  scope: null,
  cluster: null,
});
const edge = (source: string, target: string, bytes = 16) => ({
  id: `${source}->${target}`,
  source,
  target,
  bytes,
  shape: [4],
  dtype: "float32",
});

test("argumentOf reads the argument before the first dot of a leaf's path", () => {
  assert.equal(argumentOf("p.b1Bn.scale"), "p");
  assert.equal(argumentOf("state[1].trace.w"), "state[1]");
  assert.equal(argumentOf("x"), "x");
});

test("three leaves of p read only by one closed scope become one node whose edge carries their bytes", () => {
  const nodes = [
    node("update", "scope"),
    node("i1", "input", "p.w"),
    node("i2", "input", "p.b"),
    node("i3", "input", "p.head.w"),
    node("i4", "input", "state.mu"),
    node("o1", "output", "result[0].w"),
    node("o2", "output", "result[0].b"),
    node("o3", "output", "result[0].head.w"),
  ];
  const edges = [
    edge("i1", "update", 100),
    edge("i2", "update", 20),
    edge("i3", "update", 30),
    edge("i4", "update"),
    edge("update", "o1"),
    edge("update", "o2"),
    edge("update", "o3"),
  ];
  const out = bundleTerminals(nodes, edges);
  const ids = out.nodes.map((n) => n.id).sort();
  assert.deepEqual(ids, ["bundle:in:update:p", "bundle:out:update:result[0]", "i4", "update"]);
  const p = out.nodes.find((n) => n.id === "bundle:in:update:p")!;
  assert.equal(p.label, "p · 3 arrays");
  assert.deepEqual(p.bundle, { labels: ["p.w", "p.b", "p.head.w"], bytes: 150 });
  assert.deepEqual(out.edges.map((e) => `${e.source}->${e.target} ${e.bytes}`).sort(), [
    "bundle:in:update:p->update 150",
    "i4->update 16",
    "update->bundle:out:update:result[0] 48",
  ]);
  assert.equal(out.bundled.get("i2"), "bundle:in:update:p");
  assert.equal(out.bundled.get("o3"), "bundle:out:update:result[0]");
});

test("leaves read by an op in view, by two readers, or fewer than three keep their own nodes", () => {
  const nodes = [
    node("op", "op"),
    node("g", "scope"),
    node("a", "input", "p.a"),
    node("b", "input", "p.b"),
    node("c", "input", "p.c"),
    node("d", "input", "q.d"),
    node("e", "input", "q.e"),
  ];
  // a, b, c go to an op in view; d and e (two of q) to the closed scope; c also to the scope.
  const edges = [edge("a", "op"), edge("b", "op"), edge("c", "op"), edge("c", "g"), edge("d", "g"), edge("e", "g")];
  const out = bundleTerminals(nodes, edges);
  assert.equal(out.bundled.size, 0);
  assert.equal(out.nodes.length, nodes.length);
  assert.equal(out.edges.length, edges.length);
});

test("constants only a closed group reads are one node, whatever their names", () => {
  const nodes = [node("g", "scope"), node("c1", "const", "dq"), node("c2", "const", "dr"), node("c3", "const", "ds")];
  const out = bundleTerminals(nodes, [edge("c1", "g"), edge("c2", "g"), edge("c3", "g")]);
  const bundle = out.nodes.find((n) => n.bundle)!;
  assert.equal(bundle.label, "3 constants");
  assert.deepEqual(bundle.bundle!.labels, ["dq", "dr", "ds"]);
  assert.deepEqual(
    out.nodes.map((n) => n.id),
    ["g", bundle.id],
  );
});
