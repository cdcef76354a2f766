import { test } from "node:test";
import assert from "node:assert/strict";
import { buildGraphModel, COLLAPSED_PREFIX } from "../../../webview/src/model/graphModel.js";
import {
  edgeWidth,
  fitClusterLabel,
  nodesOfKernel,
  nodesOnLine,
  searchNodes,
} from "../../../webview/src/model/graphQueries.js";
import { formatNs, kernelMedianCell, NOT_TIMED } from "@jitscope/contract";
import { mlpReport, SCRIPT } from "./fixtures.js";

const report = mlpReport();
const step = report.compilations[0]!;
const kernels = new Map(report.kernels.map((k) => [k.id, k]));
const FUSE = step.passes.findIndex((p) => p.name === "fuse");
const TRACE = 0;
const plain = { hideConstants: false, collapsed: new Set<string>() };

test("the trace snapshot becomes a graph of every op, input, constant and output with no clusters", () => {
  const m = buildGraphModel(step, TRACE, kernels, plain, {});
  assert.equal(m.nodes.length, 24);
  assert.equal(m.clusters.length, 0);
  // 29 operand reads, of which 3 read the same value twice (x·x) and are drawn once.
  assert.equal(m.edges.length, 26);
  assert.ok(m.edges.every((e) => e.boundary === null && !e.crossesKernels));
});

test("from fuse on each kernel is a cluster labelled with its name and median time, tinted by its GPU-time share", () => {
  const m = buildGraphModel(step, FUSE, kernels, plain, {});
  assert.deepEqual(
    m.clusters.map((c) => c.id),
    ["k0", "k1", "k2"],
  );
  const k0 = m.clusters[0]!;
  assert.deepEqual(k0.nodeIds, ["op1", "op2"]);
  const k = kernels.get("k0")!;
  assert.equal(k0.label, `matmul_tanh_0 · ${formatNs(k.medianNs)}`);
  // Shares are each kernel's total over the function's three kernels.
  const sum = ["k0", "k1", "k2"].reduce((a, id) => a + kernels.get(id)!.totalNs, 0);
  assert.ok(Math.abs(k0.share - k.totalNs / sum) < 1e-12);
  assert.ok(Math.abs(m.clusters.reduce((a, c) => a + c.share, 0) - 1) < 1e-12);
  // k2 (41 µs) outweighs k1 (9 µs).
  assert.ok(m.clusters[2]!.share > m.clusters[1]!.share * 4);
  assert.equal(m.nodes.find((n) => n.id === "op12")!.cluster, "k2");
  assert.equal(m.nodes.find((n) => n.id === "in0")!.cluster, null);
});

test("a kernel's cluster label reads its time as the kernel table's cell: below a batch's tick, and not timed", () => {
  const device = { timestampTickNs: 65_536 };
  const batched = { ...kernels.get("k1")!, medianNs: 3_000, batch: { samples: 8, size: 16 } };
  const untimed = { ...kernels.get("k2")!, gpuTimesNs: [], medianNs: 0, totalNs: 0 };
  const edited = new Map(kernels).set("k1", batched).set("k2", untimed);
  const m = buildGraphModel(step, FUSE, edited, plain, device);
  const [, c1, c2] = m.clusters;
  // 3 µs under a tick of 65.5 µs / 16: "< 4.10 µs (batch ×16)", never "3.00 µs".
  assert.equal(c1!.timeText, kernelMedianCell(batched, device));
  assert.equal(c1!.timeText, "< 4.10 µs (batch ×16)");
  assert.equal(c1!.label, `${c1!.name} · < 4.10 µs (batch ×16)`);
  assert.equal(c2!.timeText, NOT_TIMED);
  assert.equal(c2!.label, `${c2!.name} · not timed`);
});

test("a boundary edge between kernels carries its why-not-fused reason", () => {
  const m = buildGraphModel(step, FUSE, kernels, plain, {});
  const e = m.edges.find((x) => x.source === "op10" && x.target === "op12")!;
  assert.equal(e.boundary?.rule, "matmul-operand");
  assert.match(e.boundary!.reason, /matmul operand/);
  assert.equal(e.crossesKernels, true);
  const inside = m.edges.find((x) => x.source === "op1" && x.target === "op2")!;
  assert.equal(inside.boundary, null);
  assert.equal(inside.crossesKernels, false);
  assert.equal(m.edges.filter((x) => x.boundary).length, 3);
});

test("edge width grows with bytes from 1 to 6 px", () => {
  assert.equal(edgeWidth(0, 100), 1);
  assert.equal(edgeWidth(100, 100), 6);
  assert.equal(edgeWidth(25, 100), 1 + 5 * 0.5);
  const m = buildGraphModel(step, FUSE, kernels, plain, {});
  assert.equal(m.maxBytes, 128 * 64 * 4);
});

test("hiding constants drops them and their edges", () => {
  const m = buildGraphModel(step, TRACE, kernels, { hideConstants: true, collapsed: new Set() }, {});
  assert.equal(m.hiddenConstants, 4);
  assert.ok(m.nodes.every((n) => n.kind !== "const"));
  assert.ok(m.edges.every((e) => !e.source.startsWith("c")));
  assert.equal(m.edges.length, 26 - 4); // c0→op6, c1→op7, c2→op9, c3→op13
});

test("a constant nothing reads is not drawn, and not counted as hidden", () => {
  const r = mlpReport();
  const c = r.compilations[0]!;
  const g = c.passes[FUSE]!.graph;
  g.nodes.push({
    id: "cUnread",
    kind: "const",
    label: "dq",
    shape: [17],
    dtype: "float32",
    location: null,
    nameStack: [],
  });
  const m = buildGraphModel(c, FUSE, kernels, plain, {});
  assert.ok(!m.nodes.some((n) => n.id === "cUnread"));
  assert.equal(m.hiddenConstants, 0);
  const drawnConsts = m.nodes.filter((n) => n.kind === "const").length;
  assert.equal(drawnConsts, g.nodes.filter((n) => n.kind === "const").length - 1, "every read constant is drawn");
});

test("collapsing a kernel replaces its ops by one node and reroutes its edges, merging duplicates", () => {
  const m = buildGraphModel(step, FUSE, kernels, { hideConstants: false, collapsed: new Set(["k1"]) }, {});
  const id = COLLAPSED_PREFIX + "k1";
  const node = m.nodes.find((n) => n.id === id)!;
  assert.equal(node.kind, "kernel");
  assert.match(node.label, /^fused_sub_mul_mul_sub_mul_1 · /);
  assert.ok(!m.nodes.some((n) => ["op3", "op7", "op8", "op9", "op10"].includes(n.id)));
  assert.deepEqual(
    m.clusters.map((c) => c.id),
    ["k0", "k2"],
  );
  // op2→op3 and op2→op8 both become op2→kernel:k1, kept once with its reason.
  const into = m.edges.filter((e) => e.source === "op2" && e.target === id);
  assert.equal(into.length, 1);
  assert.equal(into[0]!.boundary?.rule, "multi-consumer");
  assert.ok(m.edges.some((e) => e.source === id && e.target === "op12"));
  assert.deepEqual(nodesOfKernel(m, "k1"), [id]);
  assert.deepEqual(nodesOfKernel(m, "k0"), ["op1", "op2"]);
});

test("search finds nodes by op name, case-insensitively", () => {
  const m = buildGraphModel(step, FUSE, kernels, plain, {});
  assert.deepEqual(searchNodes(m, "MatMul"), ["op1", "op12"]);
  assert.deepEqual(searchNodes(m, "  "), []);
  assert.deepEqual(searchNodes(m, "tanh"), ["op2"]);
});

test("a source line reveals the nodes called there", () => {
  const m = buildGraphModel(step, FUSE, kernels, plain, {});
  assert.deepEqual(nodesOnLine(m, SCRIPT, 3), ["op13", "op14"]);
  assert.deepEqual(nodesOnLine(m, SCRIPT, 99), []);
});

test("a long cluster label is shortened in the name, keeping the median time", () => {
  const c = { name: "fused_sub_mul_mul_sub_mul_1", timeText: "9.00 µs" };
  assert.equal(fitClusterLabel(c, 60), "fused_sub_mul_mul_sub_mul_1 · 9.00 µs");
  assert.equal(fitClusterLabel(c, 20), "fused_sub… · 9.00 µs");
  assert.equal(fitClusterLabel(c, 20).length, 20);
  assert.equal(fitClusterLabel(c, 9), "9.00 µs");
  assert.equal(fitClusterLabel({ name: "matmul_tanh_0", timeText: null }, 8), "matmul_…");
});
