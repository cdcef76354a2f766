// On WebGPU, a jitted function called once: its call holds its whole compile (trace, passes, the
// IR after each, the report's record, the executable and its pipeline), each a host span, and
// the host part of its cost is the call's wall time less all of them.
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, config } from "../../../runtime/src/index.js";
import { webgpuOrSkip } from "../ops/harness.js";

test("on WebGPU, a function called once: its compile's spans lie inside its call and tile it from the trace to the finish, and its host part is the call's wall time less their union", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const prev = config({ backend: "webgpu" });
  try {
    const once = jit(function once(x: ReturnType<typeof np.ones>) {
      return np.tanh(np.add(np.multiply(x, 3), 1));
    });
    const y = await once(np.ones([256])).data();
    assert.ok(
      y.every((v) => Math.abs(v - Math.tanh(4)) < 1e-6),
      `tanh(4) everywhere, got ${y[0]}`,
    );
  } finally {
    config(prev);
  }
  const report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  const fn = report.functions.find((f) => f.name === "once")!;
  const call = report.timeline.spans.find((s) => s.name === "call:once")!;
  const inside = report.timeline.spans.filter(
    (s) => s.cat !== "call" && s.start >= call.start && s.start + s.dur <= call.start + call.dur + 1e-6,
  );
  const names = inside.map((s) => s.name);
  for (const n of ["trace:once", "ir:trace", "pass:fuse", "ir:fuse", "finish:once", "executable:once"])
    assert.ok(names.includes(n), `${n} inside the call (${names.join(", ")})`);
  assert.ok(
    names.some((n) => n.startsWith("pipeline:")),
    names.join(", "),
  );
  // From the trace's start to the finish's end, each step starts where the one before ended: a
  // stall between two steps (CI once lost 13 ms there) counts as compile, not as the call's host part.
  const steps = inside
    .filter((s) => s.cat === "trace" || (s.cat === "compile" && !s.name.startsWith("executable:")))
    .sort((a, b) => a.start - b.start);
  assert.equal(steps[0]!.name, "trace:once");
  assert.equal(steps[steps.length - 1]!.name, "finish:once");
  for (let i = 1; i < steps.length; i++) {
    const gap = steps[i]!.start - (steps[i - 1]!.start + steps[i - 1]!.dur);
    assert.ok(Math.abs(gap) < 1e-5, `${steps[i - 1]!.name} → ${steps[i]!.name}: ${gap} ms apart`);
  }
  // The union of the setup spans: the executable's holds its pipeline's, the rest are disjoint.
  const setup = inside.filter((s) => s.cat !== "encode" && !s.name.startsWith("pipeline:"));
  const union = setup.reduce((a, s) => a + s.dur, 0);
  assert.equal(fn.calls, 1);
  assert.ok(Math.abs(fn.msPerCall - (call.dur - union)) < 1e-6, `${fn.msPerCall} vs ${call.dur} − ${union}`);
  const compileMs = report.compilations.find((c) => c.functionName === "once")!.compileMs.total;
  assert.ok(fn.msPerCall < call.dur - compileMs, `${fn.msPerCall} < ${call.dur} − ${compileMs}`);
});
