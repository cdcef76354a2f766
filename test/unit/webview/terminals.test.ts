// Where inputs, constants and outputs are drawn (model/terminals.ts), and the layered layout's
// wrapping of long chains and wide layers on big programs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { buildGraphModel } from "../../../webview/src/model/graphModel.js";
import { copyFanouts, FANOUT_COPIES, type CopyableNode } from "../../../webview/src/model/terminals.js";
import { layoutInputOf } from "../../../webview/src/layout/layoutInput.js";
import { layeredLayout, splitWideLayers } from "../../../webview/src/layout/layeredLayout.js";
import { chooseEngine, tallChain, type LayoutInput } from "../../../webview/src/layout/types.js";
import { syntheticTrainStep } from "./syntheticProgram.js";

test("an input read by more than FANOUT_COPIES nodes is drawn once beside each reader, in the reader's group", () => {
  const nodes: CopyableNode[] = [
    { id: "w", kind: "input", cluster: null, scope: null },
    { id: "x", kind: "input", cluster: null, scope: null },
    ...[0, 1, 2, 3].map((i) => ({ id: `r${i}`, kind: "op", cluster: null, scope: `scope:s${i}` })),
  ];
  const edges = [
    ...[0, 1, 2, 3].map((i) => ({ id: `w->r${i}`, source: "w", target: `r${i}` })),
    { id: "x->r0", source: "x", target: "r0" },
  ];
  assert.equal(FANOUT_COPIES, 3);
  const out = copyFanouts(nodes, edges, (r) => r.scope);
  assert.deepEqual(
    out.nodes.filter((n) => n.copyOf === "w").map((n) => [n.id, n.scope]),
    [0, 1, 2, 3].map((i) => [`w@r${i}`, `scope:s${i}`]),
  );
  assert.equal(
    out.nodes.some((n) => n.id === "w"),
    false,
    "the original is not drawn",
  );
  assert.ok(
    out.nodes.some((n) => n.id === "x"),
    "an input with one reader stays as it is",
  );
  assert.deepEqual(
    out.edges.map((e) => [e.source, e.target]),
    [...[0, 1, 2, 3].map((i) => [`w@r${i}`, `r${i}`]), ["x", "r0"]],
  );
  assert.equal(out.copies.get("w"), "w@r0");
});

const report = syntheticTrainStep(5000);
const c = report.compilations[0]!;
const kernels = new Map(report.kernels.map((k) => [k.id, k]));
const model = (toggles: Record<string, boolean> = {}, expanded: string[] = []) =>
  buildGraphModel(
    c,
    1,
    kernels,
    { hideConstants: false, collapsed: new Set(), scopeToggles: toggles, expanded: new Set(expanded) },
    {},
  );

test("a 5,000-op step opens with its scopes closed and its parameters inside them: no loose row of inputs", () => {
  const m = model();
  const loose = m.nodes.filter((n) => n.kind === "input" || n.kind === "output");
  assert.deepEqual(
    loose.map((n) => n.label),
    [],
  );
  assert.ok(m.nodes.length < 40, `${m.nodes.length} nodes drawn`);
  // A parameter read by block #3 and by its Adam update is drawn for by the first closed group.
  const p = c.passes[1]!.graph.nodes.find((n) => n.label === "params.blocks[3].w0")!;
  assert.ok(m.drawnFor[p.id]?.startsWith("scope:"), `drawn for by ${m.drawnFor[p.id]}`);
});

test("opening block #3's attention draws its parameter once per reader: beside the attention's matmul, in the closed MLP's bundle of params, and beside the closed Adam update", () => {
  const m = model({
    "scope:trainStep/block": true,
    "scope:trainStep/block/#3": true,
    "scope:trainStep/block/#3/attention": true,
  });
  const w0 = "params.blocks[3].w0";
  const copies = m.nodes.filter((n) => n.label === w0 || n.bundle?.labels.includes(w0));
  // The closed MLP reads its block's six weights: one "params · 6 arrays" node stands for them.
  const bundle = copies.find((n) => n.bundle);
  assert.equal(bundle?.label, "params · 6 arrays");
  assert.deepEqual(
    bundle?.bundle?.labels,
    [0, 1, 2, 3, 4, 5].map((i) => `params.blocks[3].w${i}`),
  );
  // w0 is read by the attention's first matmul, by the MLP's second one and by its update.
  assert.equal(copies.length, 3, copies.map((n) => n.id).join(", "));
  const att = m.nodes.find((n) => n.label === "matmul" && n.nameStack.join("/") === "trainStep/block/#3/attention");
  assert.ok(att, "the attention's matmul is drawn");
  const besideMatmul = copies.find((p) => m.edges.some((e) => e.source === p.id && e.target === att.id));
  assert.ok(besideMatmul, "one copy feeds the matmul");
  // In the group the matmul's kernel is drawn in (the attention scope).
  assert.equal(besideMatmul.scope, m.clusterScope[att.cluster!]);
  assert.equal(besideMatmul.scope, "scope:trainStep/block/#3/attention");
  const readers = copies.filter((p) => p !== besideMatmul).map((p) => m.edges.find((e) => e.source === p.id)!.target);
  assert.deepEqual(readers.map((r) => r.replace(/\d+$/, "N")).sort(), [
    "scope:trainStep/adam",
    "scope:trainStep/block/#3/mlp",
  ]);
});

test("24 closed blocks and 144 closed updates are one fold each; unfolded, the chain is wrapped into columns and the layer into rows", () => {
  const folded = model({ "scope:trainStep/adam": true });
  assert.deepEqual(
    folded.nodes
      .filter((n) => n.id.startsWith("scopes:"))
      .map((n) => n.label)
      .sort(),
    ["▸ adam #0–#143 ×144", "▸ block #0–#23 ×24"],
  );
  const m = model({ "scope:trainStep/adam": true }, ["scopes:trainStep/grad(loss)/block/#", "scopes:trainStep/adam/#"]);
  const input = layoutInputOf(m);
  const out = layeredLayout(input);
  const blocks = m.nodes.filter((n) => n.kind === "scope" && /grad\(loss\)\/block\/#\d+$/.test(n.id));
  assert.equal(blocks.length, 24);
  const columns = new Set(blocks.map((b) => out.nodes[b.id]!.x));
  assert.ok(columns.size >= 2, `${columns.size} columns`);
  const updates = m.nodes.filter((n) => n.kind === "scope" && n.id.startsWith("scope:trainStep/adam/#"));
  assert.equal(updates.length, 144);
  const rows = new Set(updates.map((u) => out.nodes[u.id]!.y));
  assert.ok(rows.size >= 6, `${rows.size} rows`);
  assert.ok(out.width < 4 * out.height && out.height < 4 * out.width, `${out.width} × ${out.height}`);
});

test("splitWideLayers cuts a layer of n > 12 units into rows of ⌈√(2n)⌉ in order, and leaves small layers", () => {
  const wide = Array.from({ length: 50 }, (_, i) => `u${i}`);
  const out = splitWideLayers([["a"], wide]);
  assert.deepEqual(
    out.map((l) => l.length),
    [1, 12, 12, 12, 12, 2],
  );
  assert.deepEqual(out.slice(1).flat(), wide);
});

test("a long narrow chain goes to the layered layout (it wraps), a short one to ELK", () => {
  const chain = (n: number): LayoutInput => ({
    nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, width: 40, height: 20, cluster: null })),
    edges: Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i}`, source: `n${i}`, target: `n${i + 1}` })),
    clusters: [],
  });
  assert.equal(tallChain(chain(30)), true);
  assert.equal(chooseEngine(chain(30)), "layered");
  assert.equal(tallChain(chain(15)), false);
  assert.equal(chooseEngine(chain(15)), "elk");
});

test("the kernel graph of a 1,257-kernel step opens on closed scopes, and with every scope open draws one node per kernel", () => {
  const kv = (toggles: Record<string, boolean>) =>
    buildGraphModel(
      c,
      1,
      kernels,
      { hideConstants: false, collapsed: new Set(), scopeToggles: toggles, kernelView: true },
      {},
    );
  const first = kv({});
  assert.equal(c.kernels.length, 1257);
  assert.ok(first.nodes.filter((n) => n.kind === "scope").length >= 3);
  assert.ok(first.nodes.length < 60, `${first.nodes.length} nodes drawn`);
  const all: Record<string, boolean> = {};
  for (const n of c.passes[1]!.graph.nodes)
    for (let i = 1; i <= n.nameStack.length; i++) all[`scope:${n.nameStack.slice(0, i).join("/")}`] = true;
  const open = kv(all);
  assert.equal(open.nodes.filter((n) => n.kind === "kernel").length, c.kernels.length);
  assert.equal(open.nodes.filter((n) => n.kind === "op" || n.kind === "scope").length, 0);
});
