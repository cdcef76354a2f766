// The IR of representative functions, as inline snapshots, and the pass-by-pass record a person
// browses: every pass leaves a snapshot whose ops point at the lines of fixtures.ts that made them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { PASS_NAMES } from "../../../runtime/src/passes/pipeline.js";
import { FIXTURE_FILE, geluChain, markerLine, mlpLayer, rowSoftmax } from "./fixtures.js";
import { forceSubgroupFallback } from "../../../runtime/src/codegen/subgroupSupport.js";

// These tests use the row softmax as a three-kernel program (max, sum of exp, divide): lower it as a
// device without subgroups does (with them it is one row kernel: test/unit/codegen/rowFused.test.ts).
forceSubgroupFallback(true);

config({ backend: "cpu" }); // lowering is pure codegen: no device needed to inspect it

/** The printed IR without the trailing location comments (checked separately below). */
const strip = (text: string): string =>
  text
    .split("\n")
    .map((l) => l.replace(/\s+# [\w.-]+:\d+$/, ""))
    .join("\n");

test("gelu chain traces to the jaxpr a reader expects", async () => {
  const lo = await jit(geluChain).lower(np.ones([4, 8]));
  assert.equal(
    strip(lo.text("trace")),
    `{ lambda a:f32[4,8] .
  let b:f32[4,8] = mul a 1.5
      c:f32[4,8] = add b 0.5
      d:f32[4,8] = tanh c
      e:f32[4,8] = mul d a
      f:f32[4,8] = mul a a
      g:f32[4,8] = neg f
      h:f32[4,8] = exp g
      i:f32[4,8] = sub e h
  in (i) }`,
  );
  assert.match(lo.text("trace"), new RegExp(`d:f32\\[4,8\\] = tanh c\\s+# fixtures\\.ts:${markerLine("gelu-tanh")}`));
  assert.match(lo.text("trace"), new RegExp(`i:f32\\[4,8\\] = sub e h\\s+# fixtures\\.ts:${markerLine("gelu-sub")}`));
});

test("row softmax after fuse: three kernels, the last recomputing exp, each boundary explained", async () => {
  const lo = await jit(rowSoftmax).lower(np.ones([4, 8]));
  assert.equal(
    strip(lo.text("fuse")),
    `{ lambda a:f32[4,8] .
    # kernel k0 max: reduction (reduce_max)
  let b:f32[4] = reduce_max[axes=[1]] a
    # kernel k1 sum_exp_sub: reduction (reduce_sum) with prologue (4 ops)
      c:f32[4,1] = reshape[shape=[4,1]] b
      d:f32[4,8] = broadcast[shape=[4,8], dims=[0,1]] c
      e:f32[4,8] = sub a d
      f:f32[4,8] = exp e
      g:f32[4] = reduce_sum[axes=[1]] f
    # kernel k2 fused_sub_exp_div: elementwise chain of 3 ops; recomputes reshape, broadcast, sub, exp instead of reading it from memory
      c:f32[4,1] = reshape[shape=[4,1]] b
      d:f32[4,8] = broadcast[shape=[4,8], dims=[0,1]] c
      e:f32[4,8] = sub a d
      f:f32[4,8] = exp e
      h:f32[4,1] = reshape[shape=[4,1]] g
      i:f32[4,8] = broadcast[shape=[4,8], dims=[0,1]] h
      j:f32[4,8] = div f i
  in (j) }
# boundary k0 → k1 (op0 → op1): reduction result is broadcast back over axis 1
# boundary k0 → k2 (op0 → op1): reduction result is broadcast back over axis 1
# boundary k1 → k2 (op5 → op6): reduction result is broadcast back over axis 1`,
  );
});

test("relu(x @ w + b) after fuse: one matmul kernel with its bias and relu epilogue", async () => {
  const lo = await jit(mlpLayer).lower(np.ones([4, 8]), np.ones([8, 3]), np.ones([3]));
  assert.equal(
    strip(lo.text("fuse")),
    `{ lambda a:f32[4,8] b:f32[8,3] c:f32[3] .
    # kernel k0 matmul_add_max: matmul with epilogue (3 ops)
  let d:f32[4,3] = matmul a b
      e:f32[4,3] = broadcast[shape=[4,3], dims=[1]] c
      f:f32[4,3] = add d e
      g:f32[4,3] = max f 0.0
  in (g) }`,
  );
});

test("every pass leaves a snapshot, in order, whose ops map to the lines of the traced source", async () => {
  const lo = await jit(rowSoftmax).lower(np.ones([4, 8]));
  assert.deepEqual(
    lo.passes.map((p) => p.name),
    [...PASS_NAMES],
  );
  assert.deepEqual(PASS_NAMES, ["trace", "simplify", "cse", "dce", "fuse", "lower", "memory"]);
  const expectedLines = new Set([markerLine("softmax-max"), markerLine("softmax-exp"), markerLine("softmax-div")]);
  for (const snap of lo.passes) {
    assert.ok(snap.text.length > 0, `${snap.name}: empty text`);
    assert.ok(snap.ms >= 0, `${snap.name}: ms`);
    const ops = snap.graph.nodes.filter((n) => n.kind === "op");
    assert.equal(ops.length, 9, `${snap.name}: every op is drawn`);
    for (const n of ops) {
      assert.equal(n.location?.file, FIXTURE_FILE, `${snap.name}: ${n.id} points at the fixture file`);
      assert.ok(expectedLines.has(n.location!.line), `${snap.name}: ${n.id} line ${n.location!.line}`);
      assert.deepEqual(n.nameStack, ["rowSoftmax"]);
    }
    const fused: boolean = PASS_NAMES.indexOf(snap.name) >= PASS_NAMES.indexOf("fuse");
    assert.equal(snap.graph.groups.length, fused ? 3 : 0, `${snap.name}: kernel groups from fuse on`);
    if (fused)
      for (const n of ops) assert.ok(n.kernel?.startsWith(lo.compilationId), `${snap.name}: ${n.id} knows its kernel`);
  }
  // The ops of the max line: reduce_max and its keepdims reshape.
  const traceOps = lo.passes[0]!.graph.nodes.filter(
    (n) => n.kind === "op" && n.location!.line === markerLine("softmax-max"),
  );
  assert.deepEqual(
    traceOps.map((n) => n.label),
    ["reduce_max", "reshape"],
  );
  // Edges carry bytes: x is f32[4,8] = 128 bytes into reduce_max.
  const edge = lo.passes[0]!.graph.edges.find((e) => e.source === "in0" && e.target === "op0");
  assert.equal(edge?.bytes, 4 * 8 * 4);
  // Passes that changed nothing say so; fuse always decides something.
  assert.deepEqual(
    lo.passes.map((p) => p.changed),
    [true, false, false, false, true, true, true],
  );
  // Kernels carry the union of their ops' locations.
  const last = lo.kernels[2]!;
  assert.deepEqual(new Set(last.locations.map((l) => l.line)), expectedLines);
  // lower shows each kernel's plan, as the code generator describes it, then its module.
  const k0 = lo.kernels[0]!;
  assert.ok(
    lo.text("lower").startsWith(`kernel ${k0.id.split("/")[1]} ${k0.name}: ${k0.plan}\n`),
    lo.text("lower").split("\n")[0],
  );
  assert.equal((lo.text("lower").match(/@compute/g) ?? []).length, 3, "one module per kernel");
  assert.match(lo.text("memory"), /^peak /);
});

test("lower() shows kernels with names, costs and the op ids of the fuse snapshot", async () => {
  const lo = await jit(geluChain).lower(np.ones([1024]));
  assert.equal(lo.kernels.length, 1);
  const k = lo.kernels[0]!;
  assert.equal(k.bytesRead, 4096);
  assert.equal(k.bytesWritten, 4096);
  assert.deepEqual(k.ops, ["mul", "add", "tanh", "mul", "mul", "neg", "exp", "sub"]);
  const fuseNodes = lo.passes
    .find((p) => p.name === "fuse")!
    .graph.nodes.filter((n) => n.kind === "op")
    .map((n) => n.id);
  assert.deepEqual([...k.opIds], fuseNodes);
  assert.equal(lo.fusion.decisions.length, 1);
  assert.equal(lo.fusion.boundaries.length, 0);
  assert.throws(() => lo.text("nonsense"), /no pass named "nonsense"; passes: trace, simplify/);
});

test("ops traced from a function in this test file point at this file's lines", async () => {
  const here = new URL(import.meta.url).pathname;
  const lineOf = (): number => Number(new Error().stack!.split("\n")[2]!.match(/:(\d+):\d+\)?$/)![1]);
  let scaleLine = 0;
  const scaled = (x: Parameters<typeof geluChain>[0]) => {
    scaleLine = lineOf() + 1;
    return np.sqrt(np.multiply(x, 2));
  };
  const lo = await jit(scaled).lower(np.ones([3]));
  for (const snap of lo.passes) {
    const ops = snap.graph.nodes.filter((n) => n.kind === "op");
    assert.deepEqual(
      ops.map((n) => n.label),
      ["mul", "sqrt"],
      snap.name,
    );
    for (const n of ops)
      assert.deepEqual([n.location?.file, n.location?.line], [here, scaleLine], `${snap.name}: ${n.id}`);
  }
  assert.match(lo.text("dce"), new RegExp(`sqrt b\\s+# snapshots\\.test\\.ts:${scaleLine}$`, "m"));
});

test("kernel ids agree across lower(): kernels, fusion decisions and graph groups", async () => {
  const lo = await jit(rowSoftmax).lower(np.ones([2, 2]));
  const ids = lo.kernels.map((k) => k.id);
  assert.deepEqual(
    ids,
    [0, 1, 2].map((i) => `${lo.compilationId}/k${i}`),
  );
  assert.deepEqual(
    lo.fusion.decisions.map((d) => d.kernel),
    ids,
  );
  assert.deepEqual(
    lo.passes.find((p) => p.name === "lower")!.graph.groups.map((g) => [g.id, g.name]),
    lo.kernels.map((k) => [k.id, k.name]),
  );
});

test("the fuse snapshot marks as changed exactly the ops it fused into multi-op kernels", async () => {
  const lo = await jit(rowSoftmax).lower(np.ones([4, 8]));
  const fuse = lo.passes.find((p) => p.name === "fuse")!;
  const ops = fuse.graph.nodes.filter((n) => n.kind === "op");
  const groupSize = new Map(fuse.graph.groups.flatMap((g) => g.nodes.map((id) => [id, g.nodes.length] as const)));
  assert.ok(
    ops.some((n) => n.changed),
    "softmax fuses something",
  );
  for (const n of ops) assert.equal(n.changed, (groupSize.get(n.id) ?? 1) > 1, `${n.id} (${n.label})`);
  // The pass after fuse changes no equations and creates no kernels: nothing is highlighted there.
  const memory = lo.passes.find((p) => p.name === "memory")!;
  assert.ok(memory.graph.nodes.every((n) => !n.changed));
});
