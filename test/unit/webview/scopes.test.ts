// Scopes in the graph: the tree built from name stacks, which scopes start open, closed scopes
// drawn as one node summarising their ops, kernels and GPU time, and the kernel graph view.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildScopeTree, type GraphNode } from "@jitscope/contract";
import { defaultOpenScopes, isLibraryScope, SCOPES_OPEN_LIMIT } from "../../../webview/src/model/scopeTree.js";
import { buildGraphModel, COLLAPSED_PREFIX } from "../../../webview/src/model/graphModel.js";
import { formatNs } from "@jitscope/contract";
import { mlpReport } from "./fixtures.js";

const op = (id: string, stack: string[]): GraphNode => ({
  id,
  kind: "op",
  label: "add",
  shape: [2],
  dtype: "float32",
  location: null,
  nameStack: stack,
});

test("the scope tree drops the prefix every op shares, merges single-child chains, and labels instances with their function", () => {
  const nodes = [
    { ...op("in0", []), kind: "input" as const },
    op("a", ["step", "grad(loss)", "block", "#1", "attention"]),
    op("b", ["step", "grad(loss)", "block", "#1", "attention"]),
    op("c", ["step", "grad(loss)", "block", "#2", "attention"]),
    op("d", ["step", "grad(loss)", "transpose", "block", "#1", "attention"]),
    op("e", ["step", "update"]),
  ];
  const t = buildScopeTree(nodes);
  const describe = (id: string): string => {
    const s = t.scopes.get(id)!;
    return `${s.label}[${s.ops.join(",")}](${s.children.map(describe).join(" ")})`;
  };
  assert.deepEqual(t.roots.map(describe), [
    "grad(loss)[](block[](block #1 › attention[a,b]() block #2 › attention[c]()) transpose › block #1 › attention[d]())",
    "update[e]()",
  ]);
  assert.equal(t.scopeOfNode.get("a"), "scope:step/grad(loss)/block/#1/attention");
  assert.equal(t.scopeOfNode.get("in0"), undefined);
  assert.deepEqual(t.scopes.get("scope:step/grad(loss)")!.allOps.sort(), ["a", "b", "c", "d"]);
});

test("up to SCOPES_OPEN_LIMIT (60) ops open every scope; past that only the biggest, while the drawing stays small", () => {
  const small = buildScopeTree([op("a", ["f", "x"]), op("b", ["f", "y"])]);
  assert.deepEqual([...defaultOpenScopes(small, 2)].sort(), ["scope:f/x", "scope:f/y"]);
  // 40 iterations of 10 ops each: opening the loop costs 40 groups, each iteration 10 nodes more.
  const nodes: GraphNode[] = [];
  for (let i = 1; i <= 40; i++) for (let j = 0; j < 10; j++) nodes.push(op(`o${i}_${j}`, ["f", "loop", `#${i}`]));
  nodes.push(op("tail", ["f", "tail"]));
  const big = buildScopeTree(nodes);
  const open = defaultOpenScopes(big, SCOPES_OPEN_LIMIT + 1);
  assert.ok(open.has("scope:f/loop"), "the loop opens into its iterations");
  const openIterations = [...open].filter((s) => s.startsWith("scope:f/loop/#"));
  assert.ok(openIterations.length < 5, `a few iterations at most open: ${openIterations.length}`);
});

test("past the few hundred, a library composite opens last and only within budget once another scope is open", () => {
  // A ViT's step: the model under grad and a flat 680-op optimizer update, and an LM step whose
  // model is written inline in its loss (a flat grad(loss) of 300 ops).
  const nodes: GraphNode[] = [];
  for (let j = 0; j < 300; j++) nodes.push(op(`f${j}`, ["step", "grad(loss)", "logits"]));
  for (let j = 0; j < 300; j++) nodes.push(op(`t${j}`, ["step", "grad(loss)", "transpose"]));
  for (let j = 0; j < 680; j++) nodes.push(op(`u${j}`, ["step", "optim.adamw.update"]));
  for (let j = 0; j < 9; j++) nodes.push(op(`a${j}`, ["step", "optim.apply_updates"]));
  const open = defaultOpenScopes(buildScopeTree(nodes), nodes.length);
  assert.ok(open.has("scope:step/grad(loss)"), [...open].join(", "));
  assert.ok(![...open].some((s) => s.includes("optim.")), [...open].join(", "));
  const inline: GraphNode[] = [];
  for (let j = 0; j < 300; j++) inline.push(op(`l${j}`, ["step", "grad(loss)"]));
  for (let j = 0; j < 90; j++) inline.push(op(`u${j}`, ["step", "optim.adamw.update"]));
  for (let j = 0; j < 9; j++) inline.push(op(`a${j}`, ["step", "optim.apply_updates"]));
  assert.deepEqual([...defaultOpenScopes(buildScopeTree(inline), inline.length)], ["scope:step/grad(loss)"]);
  // Alone among library composites, the biggest still opens: two closed boxes say nothing.
  const library = buildScopeTree(nodes.filter((n) => n.nameStack.some((s) => s.startsWith("optim."))));
  assert.deepEqual([...defaultOpenScopes(library, 689)], ["scope:step/optim.adamw.update"]);
});

test("library scopes are those named after the runtime's namespaces, instances included", () => {
  assert.ok(isLibraryScope({ id: "scope:step/optim.chain(clip_by_global_norm, adamw).update" }));
  assert.ok(isLibraryScope({ id: "scope:step/forward/random.normal/#2" }));
  assert.ok(isLibraryScope({ id: "scope:step/block/nn.dot_product_attention" }));
  assert.ok(!isLibraryScope({ id: "scope:step/grad(loss)/optimizer/#2" }));
  assert.ok(!isLibraryScope({ id: "scope:step/nnBlock" }));
});

const report = mlpReport();
const step = report.compilations[0]!;
const kernels = new Map(report.kernels.map((k) => [k.id, k]));
const FUSE = step.passes.findIndex((p) => p.name === "fuse");

test("a closed scope is one node tinted by its GPU time, summarising its ops and kernels; edges into it are kept", () => {
  const fuse = step.passes[FUSE]!.graph;
  const inTranspose = fuse.nodes.filter((n) => n.nameStack.includes("transpose")).map((n) => n.id);
  const id = "scope:step/grad(loss)/transpose";
  const m = buildGraphModel(
    step,
    FUSE,
    kernels,
    { hideConstants: false, collapsed: new Set(), scopeToggles: { [id]: false } },
    {},
  );
  const node = m.nodes.find((n) => n.id === id)!;
  assert.equal(node.kind, "scope");
  for (const o of inTranspose) assert.ok(!m.nodes.some((n) => n.id === o), `${o} is inside the closed scope`);
  // Its GPU time: each kernel's total split evenly over the kernel's ops, summed over the scope's ops.
  let ns = 0;
  let total = 0;
  const kernelsIn = new Set<string>();
  for (const g of fuse.groups) {
    const k = kernels.get(g.id)!;
    total += k.totalNs;
    for (const o of g.nodes)
      if (inTranspose.includes(o)) {
        ns += k.totalNs / g.nodes.length;
        kernelsIn.add(g.id);
      }
  }
  assert.ok(Math.abs(node.share! - ns / total) < 1e-12);
  assert.equal(
    node.summary,
    `transpose · ${inTranspose.length} ops · ${kernelsIn.size} kernels · ${formatNs(ns)} (${Math.round((ns / total) * 100)}%)`,
  );
  // Every edge that crossed into the scope now ends at its node.
  const crossing = fuse.edges.filter((e) => !inTranspose.includes(e.source) && inTranspose.includes(e.target));
  assert.ok(crossing.length > 0);
  for (const e of crossing)
    assert.ok(
      m.edges.some((x) => x.target === id),
      `${e.source} → ${id}`,
    );
  // Opened again, its ops are back.
  const open = buildGraphModel(
    step,
    FUSE,
    kernels,
    { hideConstants: false, collapsed: new Set(), scopeToggles: { [id]: true } },
    {},
  );
  for (const o of inTranspose) assert.ok(open.nodes.some((n) => n.id === o));
  assert.equal(
    open.nodes.some((n) => n.id === id),
    false,
  );
});

test("the kernel graph has one node per kernel, tinted by share, and no op nodes", () => {
  const m = buildGraphModel(step, FUSE, kernels, { hideConstants: false, collapsed: new Set(), kernelView: true }, {});
  const ks = m.nodes.filter((n) => n.kind === "kernel");
  assert.deepEqual(ks.map((n) => n.id).sort(), step.kernels.map((k) => COLLAPSED_PREFIX + k).sort());
  assert.equal(m.nodes.filter((n) => n.kind === "op").length, 0);
  assert.equal(m.kernelCount, step.kernels.length);
  const sum = ks.reduce((a, n) => a + n.share!, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12, `shares add up to 1: ${sum}`);
  // Edges between kernels carry the bytes of the buffer between them.
  const between = m.edges.filter((e) => e.source.startsWith(COLLAPSED_PREFIX) && e.target.startsWith(COLLAPSED_PREFIX));
  assert.ok(between.length > 0 && between.every((e) => e.bytes > 0));
});

test("a closed scope's summary says where it was called from when the report knows", () => {
  const r = mlpReport();
  const c = r.compilations[0]!;
  c.scopeSites = { "step/grad(loss)/transpose": { file: "/w/train.ts", line: 12, column: 5 } };
  const id = "scope:step/grad(loss)/transpose";
  const m = buildGraphModel(
    c,
    FUSE,
    new Map(r.kernels.map((k) => [k.id, k])),
    { hideConstants: false, collapsed: new Set(), scopeToggles: { [id]: false } },
    {},
  );
  assert.match(m.nodes.find((n) => n.id === id)!.summary!, / · called at train\.ts:12:5$/);
});

test("an example-sized step of 100 ops in three scopes opens its biggest scope and keeps the library's update closed", () => {
  // The MLP-Adam example's step: a loss under grad, Adam's update, apply_updates.
  const nodes: GraphNode[] = [];
  for (let j = 0; j < 30; j++) nodes.push(op(`f${j}`, ["step", "grad(loss)"]));
  for (let j = 0; j < 30; j++) nodes.push(op(`t${j}`, ["step", "grad(loss)", "transpose"]));
  for (let j = 0; j < 36; j++) nodes.push(op(`u${j}`, ["step", "optim.adam.update"]));
  for (let j = 0; j < 4; j++) nodes.push(op(`a${j}`, ["step", "optim.apply_updates"]));
  const open = defaultOpenScopes(buildScopeTree(nodes), nodes.length);
  assert.ok(open.has("scope:step/grad(loss)"), [...open].join(", "));
  assert.ok(!open.has("scope:step/optim.adam.update"), [...open].join(", "));
});

test("calls of one function that hold every op are labelled by the function though it lies in the common prefix", () => {
  // step = jit((x) => layer(layer(x))): every op is under step › layer.
  const t = buildScopeTree([op("a", ["step", "layer", "#1"]), op("b", ["step", "layer", "#2"])]);
  assert.deepEqual(
    t.roots.map((r) => t.scopes.get(r)!.label),
    ["layer #1", "layer #2"],
  );
});
