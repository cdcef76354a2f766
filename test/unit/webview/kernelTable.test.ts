import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_KERNEL_SORT,
  groupKernelRows,
  kernelRows,
  shortScope,
  sortKernelRows,
  toggleSort,
} from "../../../webview/src/model/kernelTable.js";
import { mlpReport } from "./fixtures.js";

const rows = kernelRows(mlpReport());

test("a row per kernel with calls from its samples and the source lines it came from", () => {
  assert.equal(rows.length, 7);
  const k2 = rows.find((r) => r.id === "k2")!;
  assert.equal(k2.calls, 20);
  assert.equal(k2.lines, "mlp.ts:2, mlp.ts:3");
  assert.equal(k2.ops, "transpose matmul mul sub");
  const e2 = rows.find((r) => r.id === "e2")!;
  assert.equal(e2.lines, "mlp.ts:2, mlp.ts:3, mlp.ts:6, mlp.ts:7");
});

test("a kernel with no source line (eager, --eager-sites off) reads – in the Source lines column", () => {
  const report = mlpReport();
  const e2 = report.kernels.find((k) => k.id === "e2")!;
  const [row] = kernelRows({ ...report, kernels: [{ ...e2, locations: [] }] });
  assert.equal(row!.lines, "–");
});

test("by default the table sorts by total GPU time, largest first, and the bar is relative to it", () => {
  const sorted = sortKernelRows(rows, DEFAULT_KERNEL_SORT);
  const totals = sorted.map((r) => r.totalNs);
  assert.deepEqual(
    totals,
    [...totals].sort((a, b) => b - a),
  );
  // GELU: 10 samples of ~610 µs is the heaviest kernel.
  assert.equal(sorted[0]!.id, "k3");
  assert.equal(sorted[0]!.bar, 1);
});

test("clicking a header sorts by it; clicking again flips the direction; names sort alphabetically", () => {
  let sort = toggleSort(DEFAULT_KERNEL_SORT, "name");
  assert.deepEqual(sort, { key: "name", descending: false });
  assert.deepEqual(
    sortKernelRows(rows, sort)
      .map((r) => r.name)
      .slice(0, 3),
    ["eager_matmul", "eager_mul", "eager_tanh"],
  );
  sort = toggleSort(sort, "name");
  assert.equal(sortKernelRows(rows, sort)[0]!.name, "matmul_tanh_0");
  sort = toggleSort(sort, "calls");
  assert.deepEqual(sort, { key: "calls", descending: true });
  assert.deepEqual(
    sortKernelRows(rows, sort).map((r) => r.calls),
    [60, 20, 20, 20, 10, 10, 10],
  );
  // Ties keep report order.
  assert.deepEqual(
    sortKernelRows(rows, sort)
      .slice(1, 4)
      .map((r) => r.id),
    ["k0", "k1", "k2"],
  );
});

test('each row carries its spread and outliers; a median below the timestamp tick reads "< 65.5 µs", never 0', () => {
  const report = mlpReport();
  report.device.timestampTickNs = 65_536;
  const k = report.kernels[0]!;
  Object.assign(k, { medianNs: 0, p10Ns: 0, p90Ns: 131_072, outliers: [1, 2], gpuTimesNs: [0, 131_072, 0, 0] });
  const row = kernelRows(report).find((r) => r.id === k.id)!;
  assert.equal(row.medianText, "< 65.5 µs");
  assert.equal(row.spreadText, "< 65.5 µs–131 µs");
  assert.equal(row.outliers, 2);
  const sorted = sortKernelRows(kernelRows(report), toggleSort(DEFAULT_KERNEL_SORT, "p90Ns"));
  const p90s = sorted.map((r) => r.p90Ns);
  assert.deepEqual(
    p90s,
    [...p90s].sort((a, b) => b - a),
    "the p10–p90 column sorts by p90",
  );
});

test('each row names its jitted function from its compilation, "(eager)" for eager kernels, and sorts by it', () => {
  assert.equal(rows.find((r) => r.id === "k3")!.fn, "gelu");
  assert.equal(rows.find((r) => r.id === "k0")!.fn, "step");
  assert.equal(rows.find((r) => r.id === "e0")!.fn, "(eager)");
  const sort = toggleSort(DEFAULT_KERNEL_SORT, "fn");
  assert.deepEqual(sort, { key: "fn", descending: false });
  assert.deepEqual(
    sortKernelRows(rows, sort).map((r) => r.fn),
    ["(eager)", "(eager)", "(eager)", "gelu", "step", "step", "step"],
  );
});

test("grouping by function sums each group's total GPU time and orders groups by it, rows keeping the sort", () => {
  const sorted = sortKernelRows(rows, toggleSort(DEFAULT_KERNEL_SORT, "name"));
  const groups = groupKernelRows(sorted);
  assert.deepEqual(groups.map((g) => g.fn).sort(), ["(eager)", "gelu", "step"]);
  for (const g of groups) {
    const expected = rows.filter((r) => r.fn === g.fn).reduce((a, r) => a + r.totalNs, 0);
    assert.equal(g.totalNs, expected, g.fn);
    assert.deepEqual(
      g.rows.map((r) => r.id),
      sorted.filter((r) => r.fn === g.fn).map((r) => r.id),
      `${g.fn} keeps the name order`,
    );
  }
  const totals = groups.map((g) => g.totalNs);
  assert.deepEqual(
    totals,
    [...totals].sort((a, b) => b - a),
  );
});

test("each row names its scope among the user's functions as the graph draws it: the step's first two kernels in grad(loss), its update at the top level and eager kernels –", () => {
  const byId = new Map(rows.map((r) => [r.id, r.scope]));
  assert.equal(byId.get("k0"), "grad(loss)");
  assert.equal(byId.get("k1"), "grad(loss)");
  assert.equal(byId.get("k2"), "–");
  assert.equal(byId.get("k3"), "–", "GELU's kernel: the function's top level");
  assert.equal(byId.get("e0"), "–");
  assert.equal(rows.find((r) => r.id === "k0")!.scopeShort, "grad(loss)", "a short scope is not cut");
  const sorted = sortKernelRows(rows, toggleSort(DEFAULT_KERNEL_SORT, "scope"));
  assert.deepEqual(
    sorted.map((r) => r.scope),
    ["grad(loss)", "grad(loss)", "–", "–", "–", "–", "–"],
    "sorts by scope, the unscoped (–) after the named",
  );
});

test("a scope longer than 32 characters is cut in the cell, keeping the innermost call and its numbered caller", () => {
  const report = mlpReport();
  const fuse = report.compilations[0]!.passes.find((p) => p.name === "fuse")!;
  const deep = ["step", "grad(loss)", "transpose", "encoder_stack", "residual_block", "#2", "attention"];
  for (const n of fuse.graph.nodes) if (n.id === "op1" || n.id === "op2") n.nameStack = deep;
  const row = kernelRows(report).find((r) => r.id === "k0")!;
  assert.equal(row.scope, "grad(loss) › transpose › encoder_stack › residual_block #2 › attention");
  assert.equal(row.scopeShort, "… residual_block #2 › attention");
});

test("a long scope keeps its innermost segments whole, and the innermost numbered call they leave out", () => {
  assert.equal(shortScope("grad(loss)"), "grad(loss)");
  // The conv's own call is innermost: cut before it at a segment boundary.
  assert.equal(shortScope("grad(loss) › transpose › forward › conv #4"), "… transpose › forward › conv #4");
  // A library composite's long name would leave the block out: the block's call is kept.
  assert.equal(
    shortScope("grad(loss) › transpose › logits › block #1 › attention › nn.dot_product_attention"),
    "block #1 › … › nn.dot_product_attention",
  );
  assert.equal(shortScope("grad(loss) › transpose › logits › block #2 › mlp"), "… logits › block #2 › mlp");
  // A chain's argument list goes first; a segment alone is never cut (nor marked cut).
  assert.equal(
    shortScope("optim.chain(clip_by_global_norm, adamw).update + optim.apply_updates"),
    "optim.chain(…).update + optim.apply_updates",
  );
  assert.equal(
    shortScope("optim.apply_updates + optim.softmax_cross_entropy"),
    "optim.apply_updates + optim.softmax_cross_entropy",
  );
});

test("a row's scope site is where the report says its deepest scope was called from; none without one", () => {
  const report = mlpReport();
  report.compilations[0]!.scopeSites = { "step/grad(loss)": { file: "/w/train.ts", line: 12, column: 5 } };
  const rowsWithSites = kernelRows(report);
  assert.equal(rowsWithSites.find((r) => r.id === "k0")!.scopeSite, "train.ts:12:5");
  assert.equal(rowsWithSites.find((r) => r.id === "k2")!.scopeSite, null, "the top level was called by no one");
  assert.equal(rows.find((r) => r.id === "k0")!.scopeSite, null, "a report without scopeSites");
});

test("a kernel whose ops all lie in two scopes under the step is named by both, with no call site", () => {
  const report = mlpReport();
  const fuse = report.compilations[0]!.passes.find((p) => p.name === "fuse")!;
  const k2 = report.kernels.find((k) => k.id === "k2")!;
  // Adam's last step fused with apply_updates' add: neither scope holds the kernel.
  const [first, ...rest] = k2.opIds;
  for (const n of fuse.graph.nodes) {
    if (n.id === first) n.nameStack = ["step", "optim.adam.update"];
    if (rest.includes(n.id)) n.nameStack = ["step", "optim.apply_updates"];
  }
  report.compilations[0]!.scopeSites = { "step/optim.adam.update": { file: "/w/train.ts", line: 30, column: 3 } };
  const row = kernelRows(report).find((r) => r.id === "k2")!;
  assert.equal(row.scope, "optim.adam.update + optim.apply_updates");
  assert.equal(row.scopeSite, null);
  // Two calls of one function: the instances name it.
  for (const n of fuse.graph.nodes) {
    if (n.id === first) n.nameStack = ["step", "block", "#1"];
    if (rest.includes(n.id)) n.nameStack = ["step", "block", "#2"];
  }
  assert.equal(kernelRows(report).find((r) => r.id === "k2")!.scope, "block #1 + block #2");
  // One op left at the step's top level: the kernel is the step's own again.
  fuse.graph.nodes.find((n) => n.id === rest[0])!.nameStack = ["step"];
  assert.equal(kernelRows(report).find((r) => r.id === "k2")!.scope, "–");
});
