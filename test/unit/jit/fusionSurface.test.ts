// Fusion of the issue-14 surface under jit: composed functions fuse with their neighbours into
// one kernel; a scan reads its (computed) input from memory and takes its consumers along; sort
// is a kernel of its own whose operands are written first, and the boundaries say why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, nn, config, lax } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });

test("logaddexp, clip, tril, softplus and a one_hot compare fuse into one elementwise kernel", async () => {
  const f = (x: Tracer, y: Tracer) =>
    np.multiply(np.tril(np.clip(np.logaddexp(x, 1), 0, 3)), np.add(nn.softplus(x), nn.one_hot(y, 8)));
  const lo = await jit(f).lower(np.ones([8, 8]), np.zeros([8], { dtype: "int32" }));
  assert.equal(lo.kernels.length, 1, lo.fusion.decisions.map((d) => d.reason).join(" | "));
  assert.equal(lo.fusion.decisions[0]!.kind, "elementwise");
});

test("cumsum of a computed value: the value is written once, the scan and its consumer share a kernel", async () => {
  const lo = await jit((x: Tracer) => np.multiply(np.cumsum(np.exp(x), 1), 2)).lower(np.ones([4, 16]));
  assert.equal(lo.kernels.length, 2);
  assert.deepEqual(
    lo.kernels[1]!.ops.filter((o) => o !== "broadcast"),
    ["cumulative", "mul"],
  );
  assert.deepEqual(
    lo.fusion.boundaries.map((b) => b.reason),
    ["value of shape [4,16] is scanned (cumsum/cumprod) to [4,16]: computed once in its own kernel"],
  );
  assert.match(lo.kernels[1]!.wgsl, /for \(var k\d+ = 0; k\d+ <= /, "the scan is a loop over the row");
});

test("flip and roll are index arithmetic inside the consumer's kernel", async () => {
  const lo = await jit((x: Tracer) => np.add(np.flip(x, 1), np.roll(x, 3, 0))).lower(np.ones([8, 8]));
  assert.equal(lo.kernels.length, 1);
});

test("sort is its own kernel: a computed operand is written first (sort-operand), and its result is read back", async () => {
  const lo = await jit((x: Tracer) => np.add(np.sort(np.exp(x)), 1)).lower(np.ones([4, 32]));
  assert.deepEqual(
    lo.fusion.decisions.map((d) => d.kind),
    ["elementwise", "sort", "elementwise"],
  );
  assert.equal(lo.kernels[1]!.name, "sort");
  assert.ok(
    lo.fusion.boundaries.some(
      (b) => b.rule === "sort-operand" && b.reason === "sort operand: the sort kernel reads whole rows from memory",
    ),
  );
  assert.ok(lo.fusion.boundaries.some((b) => b.rule === "sort-output"));
  assert.equal(lo.fusion.decisions[1]!.reason, "sort (rank by counting along the row)");
});

test("argsort of a jit input is one kernel: the sort reads the input and computes its positions (the iota) itself", async () => {
  const lo = await jit((x: Tracer) => np.argsort(x)).lower(np.ones([3, 5]));
  assert.deepEqual(
    lo.fusion.decisions.map((d) => [d.kind, d.reason]),
    [["sort", "sort (rank by counting along the row) with prologue (1 op)"]],
  );
  assert.deepEqual(lo.kernels[0]!.ops, ["iota", "sort"]);
  assert.equal(lo.kernels[0]!.name, "argsort");
  assert.equal(lo.kernels[0]!.inputs.length, 1);
  const long = await jit((x: Tracer) => np.argsort(x)).lower(np.ones([2, 1500]));
  assert.deepEqual(
    long.fusion.decisions.map((d) => d.reason),
    ["sort (a bitonic network, a workgroup per row) with prologue (1 op)"],
  );
});

test("a cumsum kernel counts n(n+1)/2 adds per row of n as its FLOPs; sort counts none", async () => {
  const scan = await jit((x: Tracer) => np.cumsum(x, 1)).lower(np.ones([3, 10]));
  assert.equal(scan.kernels[0]!.flops, (3 * (10 * 11)) / 2);
  const sorted = await jit((x: Tracer) => np.sort(x)).lower(np.ones([3, 10]));
  assert.equal(
    sorted.kernels.reduce((s, k) => s + k.flops, 0),
    0,
  );
});

test("lax.top_k sorts its row once: one argsort kernel, the values gathered at its first k positions", async () => {
  const lo = await jit((x: Tracer) => lax.top_k(x, 3)).lower(np.ones([4, 50]));
  const sorts = lo.kernels.filter((k) => k.ops.includes("sort"));
  assert.deepEqual(
    sorts.map((k) => k.name),
    ["argsort"],
  );
  assert.ok(lo.kernels.some((k) => k.ops.includes("gather")));
});
