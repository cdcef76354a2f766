// What jit tells the profiler: one Compilation per trace (passes, fusion, kernels, compile time
// per pass, peak bytes, reason, signature, the jit( call site), one functionCall per call (eager
// too, under disableJit), and host spans for tracing, each pass and each call.
import { fake } from "./fakeRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { rowSoftmax } from "./fixtures.js";
import { webgpuOrSkip } from "../ops/harness.js";
import { forceSubgroupFallback } from "../../../runtime/src/codegen/subgroupSupport.js";

// These tests use the row softmax as a three-kernel program (max, sum of exp, divide): lower it as a
// device without subgroups does (with them it is one row kernel: test/unit/codegen/rowFused.test.ts).
forceSubgroupFallback(true);

config({ backend: "cpu" });
const here = new URL(import.meta.url).pathname;

test("a compilation is registered with its passes, fusion, kernels, timings and the jit( call site", () => {
  const jitLine = Number(new Error().stack!.split("\n")[1]!.match(/:(\d+):\d+\)?$/)![1]) + 1;
  const softmax = jit(rowSoftmax);
  softmax(np.ones([4, 8]));
  softmax(np.ones([4, 8]));
  softmax(np.ones([2, 8]));
  assert.equal(fake.compilations.length, 2);
  const [c0, c1] = fake.compilations;
  assert.equal(c0!.functionName, "rowSoftmax");
  assert.deepEqual([c0!.location?.file, c0!.location?.line], [here, jitLine]);
  assert.equal(c0!.signature, "(float32[4,8]) -> float32[4,8]");
  assert.equal(c0!.reason, "first call");
  assert.equal(c1!.reason, "argument 0: shape [4,8] → [2,8]");
  assert.deepEqual(
    c0!.passes.map((p) => p.name),
    ["trace", "simplify", "cse", "dce", "fuse", "lower", "memory"],
  );
  assert.deepEqual(Object.keys(c0!.compileMs.perPass), ["trace", "simplify", "cse", "dce", "fuse", "lower", "memory"]);
  assert.ok(c0!.compileMs.total >= c0!.compileMs.perPass.fuse!);
  assert.equal(c0!.kernels.length, 3);
  assert.deepEqual(
    c0!.kernels,
    c0!.fusion.decisions.map((d) => d.kernel),
  );
  for (const id of c0!.kernels) {
    assert.ok(
      fake.kernels.some((k) => k.id === id && k.compilation === c0!.id && k.mode === "jit"),
      `kernel ${id} registered`,
    );
  }
  const fuse = c0!.passes.find((p) => p.name === "fuse")!;
  assert.deepEqual(
    fuse.graph.groups.map((g) => g.id),
    c0!.kernels,
    "graph groups use the report's kernel ids",
  );
  assert.ok(c0!.peakBytes > 0);

  const calls = fake.calls.filter((c) => c.name === "rowSoftmax");
  assert.deepEqual(
    calls.map((c) => c.compilationId),
    [c0!.id, c0!.id, c1!.id],
  );
  for (const c of calls) assert.equal(c.location?.line, jitLine);
  const callSpans = fake.spans.filter((s) => s.name === "call:rowSoftmax");
  assert.equal(callSpans.length, 3);
  assert.deepEqual(new Set(callSpans.map((s) => s.callId)).size, 3, "each call has its own id");
  assert.equal(fake.spans.filter((s) => s.name === "trace:rowSoftmax").length, 2);
  assert.equal(fake.spans.filter((s) => s.name === "pass:fuse" && s.cat === "compile").length, 2);
});

test("with disableJit the call is still reported, as an eager call without a compilation", () => {
  const prev = config({ disableJit: true });
  try {
    const f = jit(function eagerOnly(x: Parameters<typeof rowSoftmax>[0]) {
      return np.exp(x);
    });
    f(np.ones([3]));
  } finally {
    config(prev);
  }
  const call = fake.calls.find((c) => c.name === "eagerOnly");
  assert.ok(call);
  assert.equal(call.compilationId, null);
  assert.equal(
    fake.compilations.some((c) => c.functionName === "eagerOnly"),
    false,
  );
});

test("on WebGPU, a disableJit call reports one kernel per eager op; the jitted call its fused kernel count", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const prevBackend = config({ backend: "webgpu" });
  try {
    const f = jit(function twoOps(x: Parameters<typeof rowSoftmax>[0]) {
      return np.add(np.multiply(x, 2), 1);
    });
    const prev = config({ disableJit: true });
    try {
      await f(np.ones([8])).blockUntilReady();
    } finally {
      config(prev);
    }
    await f(np.ones([8])).blockUntilReady();
    const calls = fake.calls.filter((c) => c.name === "twoOps");
    assert.deepEqual(
      calls.map((c) => [c.compilationId === null, c.kernelsPerCall]),
      [
        [true, 2],
        [false, 1],
      ],
    );
  } finally {
    config(prevBackend);
  }
});
