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

test("the state leaves a scan node alone reads and writes are one node each, as a closed group's", () => {
  const scan = { ...node("scan", "op"), loop: { kind: "scan", tripCount: 40 } };
  const nodes = [
    scan,
    node("s1", "input", "s[1].mu.w1"),
    node("s2", "input", "s[1].mu.b1"),
    node("s3", "input", "s[1].nu.w1"),
    node("o1", "output", "result[1][1].mu.w1"),
    node("o2", "output", "result[1][1].mu.b1"),
    node("o3", "output", "result[1][1].nu.w1"),
    node("plain", "op"),
    node("x1", "input", "s[1].count"),
    node("x2", "input", "s[1].lr"),
    node("x3", "input", "s[1].eps"),
  ];
  const edges = [
    ...["s1", "s2", "s3"].map((s) => edge(s, "scan")),
    ...["o1", "o2", "o3"].map((o) => edge("scan", o)),
    // Read by an op that is no loop: they stay.
    ...["x1", "x2", "x3"].map((x) => edge(x, "plain")),
  ];
  const out = bundleTerminals(nodes, edges);
  assert.deepEqual(
    out.nodes.filter((n) => n.bundle).map((n) => n.label),
    ["s[1] · 3 arrays", "result[1][1] · 3 arrays"],
  );
  assert.ok(["x1", "x2", "x3"].every((x) => out.nodes.some((n) => n.id === x)));
});
