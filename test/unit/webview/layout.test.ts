import { test } from "node:test";
import assert from "node:assert/strict";
import { layeredLayout, layerLists, longestPathLayers } from "../../../webview/src/layout/layeredLayout.js";
import { simpleLayout } from "../../../webview/src/layout/simpleLayout.js";
import { onPage } from "../../../webview/src/layout/fallback.js";
import { chooseEngine, ELK_NODE_LIMIT, type Box, type LayoutResult } from "../../../webview/src/layout/types.js";
import { runLayout } from "../../../webview/src/layout/elkWorker.js";
import { buildGraphModel } from "../../../webview/src/model/graphModel.js";
import { layoutInputOf } from "../../../webview/src/layout/layoutInput.js";
import { largeReport, mlpReport } from "./fixtures.js";

const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x - 1e-6 &&
  inner.y >= outer.y - 1e-6 &&
  inner.x + inner.width <= outer.x + outer.width + 1e-6 &&
  inner.y + inner.height <= outer.y + outer.height + 1e-6;
const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function fuseInput(collapsed: string[] = []) {
  const r = mlpReport();
  const step = r.compilations[0]!;
  const model = buildGraphModel(
    step,
    4,
    new Map(r.kernels.map((k) => [k.id, k])),
    { hideConstants: false, collapsed: new Set(collapsed) },
    {},
  );
  return { model, input: layoutInputOf(model) };
}

function checkLayout(result: LayoutResult, model: ReturnType<typeof fuseInput>["model"]): void {
  for (const n of model.nodes) assert.ok(result.nodes[n.id], `node ${n.id} placed`);
  for (const c of model.clusters) {
    const box = result.clusters[c.id]!;
    for (const id of c.nodeIds) assert.ok(inside(result.nodes[id]!, box), `${id} inside cluster ${c.id}`);
  }
  const ids = Object.keys(result.nodes);
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      assert.ok(!overlap(result.nodes[ids[i]!]!, result.nodes[ids[j]!]!), `${ids[i]} and ${ids[j]} overlap`);
    }
  // Data flows down: every edge's target starts below its source's top.
  for (const e of model.edges) assert.ok(result.nodes[e.target]!.y > result.nodes[e.source]!.y, `${e.id} points down`);
  for (const e of model.edges) assert.ok((result.edges[e.id]?.length ?? 0) >= 2, `${e.id} routed`);
}

test("ELK lays the fused step out with each kernel's ops inside its cluster, nothing overlapping, edges downward", async () => {
  const { model, input } = fuseInput();
  // Kernels inside one level of scopes are ELK's; deeper nests go to the layered layout.
  assert.equal(chooseEngine(input), "elk");
  const deeper = {
    ...input,
    clusters: [
      ...input.clusters.map((c) => (c.parent ? c : { ...c, parent: "outer" })),
      { id: "outer", labelWidth: 10 },
    ],
  };
  assert.equal(chooseEngine(deeper), "layered");
  const result = await runLayout({ seq: 1, input, engine: "elk" });
  assert.equal(result.engine, "elk");
  checkLayout(result, model);
  // An edge's polyline starts at its source's box and ends at its target's (absolute coordinates).
  const e = model.edges.find((x) => x.source === "op10" && x.target === "op12")!;
  const pts = result.edges[e.id]!;
  const s = result.nodes["op10"]!;
  const t = result.nodes["op12"]!;
  assert.ok(Math.abs(pts[0]![1] - (s.y + s.height)) < 1.5, "starts at the source's bottom");
  assert.ok(Math.abs(pts[pts.length - 1]![1] - t.y) < 1.5, "ends at the target's top");
});

test("the fast layered layout gives the same guarantees", () => {
  const { model, input } = fuseInput(["k1"]);
  checkLayout({ ...layeredLayout(input), engine: "layered", ms: 0 }, model);
});

test("longest-path layering puts each node one below its deepest input, and survives a cycle", () => {
  const l = longestPathLayers(
    ["a", "b", "c", "d"],
    [
      ["a", "b"],
      ["b", "c"],
      ["a", "c"],
      ["c", "d"],
    ],
  );
  assert.deepEqual([...l.entries()].sort(), [
    ["a", 0],
    ["b", 1],
    ["c", 2],
    ["d", 3],
  ]);
  const cyc = longestPathLayers(
    ["x", "y"],
    [
      ["x", "y"],
      ["y", "x"],
    ],
  );
  assert.equal(cyc.size, 2);
});

test("a 5,000-op graph opens with its 625 kernels collapsed; with every kernel expanded it goes to the fast layout and every op is placed inside its kernel", () => {
  const r = largeReport(5000);
  const c = r.compilations[0]!;
  const kernels = new Map(r.kernels.map((k) => [k.id, k]));
  const first = buildGraphModel(c, 1, kernels, { hideConstants: false, collapsed: new Set() }, {});
  assert.equal(first.nodes.filter((n) => n.kind === "kernel").length, 625);
  assert.equal(first.nodes.filter((n) => n.kind === "op").length, 0);
  const model = buildGraphModel(
    c,
    1,
    kernels,
    { hideConstants: false, collapsed: new Set(), expanded: new Set(c.kernels) },
    {},
  );
  const input = layoutInputOf(model);
  assert.ok(input.nodes.length > ELK_NODE_LIMIT);
  assert.equal(chooseEngine(input), "layered");
  const out = layeredLayout(input);
  assert.equal(Object.keys(out.nodes).length, model.nodes.length);
  assert.equal(Object.keys(out.clusters).length, 625);
  for (const cl of model.clusters) for (const id of cl.nodeIds) assert.ok(inside(out.nodes[id]!, out.clusters[cl.id]!));
});

test("a constant read deep in the graph sits just above its reader, not in the top row", () => {
  const input = {
    nodes: ["a", "b", "c", "k"].map((id) => ({ id, width: 40, height: 20, cluster: null })),
    edges: [
      { id: "a->b", source: "a", target: "b" },
      { id: "b->c", source: "b", target: "c" },
      { id: "k->c", source: "k", target: "c" },
    ],
    clusters: [],
  };
  const out = layeredLayout(input);
  assert.equal(out.nodes["k"]!.y, out.nodes["b"]!.y);
  assert.ok(out.nodes["k"]!.y > out.nodes["a"]!.y);
});

test("units in a cycle (a kernel fused around a loose op) leave layer gaps, and the layered layout still places every node", () => {
  // a→b→c→b: breaking the cycle layers b and c past empty layers; the GPT fixture's fuse pass
  // did this and `sweep` threw "reading 'map'" on the empty layer.
  const layers = longestPathLayers(
    ["a", "b", "c", "d"],
    [
      ["a", "b"],
      ["b", "c"],
      ["c", "b"],
      ["c", "d"],
    ],
  );
  const used = new Set(layers.values());
  assert.ok(Math.max(...used) + 1 > used.size, `the cycle leaves a gap in ${[...layers.entries()].join(" ")}`);
  const lists = layerLists(["a", "b", "c", "d"], layers);
  assert.equal(lists.length, used.size);
  assert.ok(lists.every((l) => l.length > 0));
  assert.deepEqual(lists.flat().sort(), ["a", "b", "c", "d"]);
  const input = {
    nodes: [
      { id: "x", width: 40, height: 20, cluster: "k" },
      { id: "y", width: 40, height: 20, cluster: null },
      { id: "z", width: 40, height: 20, cluster: "k" },
      { id: "w", width: 40, height: 20, cluster: null },
    ],
    edges: [
      { id: "x->y", source: "x", target: "y" },
      { id: "y->z", source: "y", target: "z" },
      { id: "z->w", source: "z", target: "w" },
    ],
    clusters: [{ id: "k", labelWidth: 30 }],
  };
  const out = layeredLayout(input);
  assert.deepEqual(Object.keys(out.nodes).sort(), ["w", "x", "y", "z"]);
  assert.ok(inside(out.nodes["x"]!, out.clusters["k"]!) && inside(out.nodes["z"]!, out.clusters["k"]!));
});

test("the grid of last resort places every node and boxes each kernel around its ops", () => {
  const { model, input } = fuseInput();
  const out = simpleLayout(input);
  for (const n of model.nodes) assert.ok(out.nodes[n.id], `node ${n.id} placed`);
  for (const c of model.clusters)
    for (const id of c.nodeIds) assert.ok(inside(out.nodes[id]!, out.clusters[c.id]!), `${id} inside ${c.id}`);
  const ids = Object.keys(out.nodes);
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) assert.ok(!overlap(out.nodes[ids[i]!]!, out.nodes[ids[j]!]!));
});

test("a layout that throws falls back to the grid and reports the failure with its message", () => {
  const { input } = fuseInput();
  // An edge to a node that does not exist and a node whose cluster was never declared are
  // tolerated; a node list that is not iterable makes the layered layout throw.
  const broken = { ...input, nodes: Object.assign([...input.nodes], { map: undefined }) } as unknown as typeof input;
  const out = onPage(broken, ["elk layout: Error: worker died"]);
  assert.equal(out.result.engine, "simple");
  assert.equal(out.failures[0], "elk layout: Error: worker died");
  assert.match(out.failures[1]!, /^layered layout: TypeError: /);
  assert.equal(Object.keys(out.result.nodes).length, input.nodes.length);
});

test("nested groups: each scope's box holds its kernels' boxes, each kernel's box its ops", () => {
  const { model, input } = fuseInput();
  assert.ok(model.scopes.length > 0, "the fixture has a transpose scope");
  const out = layeredLayout(input);
  for (const c of input.clusters) {
    if (!c.parent) continue;
    assert.ok(inside(out.clusters[c.id]!, out.clusters[c.parent]!), `${c.id} inside ${c.parent}`);
  }
  for (const n of input.nodes)
    if (n.cluster) assert.ok(inside(out.nodes[n.id]!, out.clusters[n.cluster]!), `${n.id} inside ${n.cluster}`);
  const ids = Object.keys(out.nodes);
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++)
      assert.ok(!overlap(out.nodes[ids[i]!]!, out.nodes[ids[j]!]!), `${ids[i]} and ${ids[j]} overlap`);
});
