// An eager (disableJit) call's cost leaves out the profiler's own work inside it: finding each
// op's line (a stack capture per op, ir/eagerCallSite.ts) is timed as it happens, carried on the
// call event, and subtracted from the call's host part, so `--compare` does not bill the
// profiler's captures to eager mode. The call's span on the timeline keeps its whole wall time.
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, config } from "../../../runtime/src/index.js";
import { median } from "../../../runtime/src/profile/stats.js";
import type { RecorderEvent } from "../../../runtime/src/profile/events.js";
import { webgpuOrSkip } from "../ops/harness.js";

type CallEvent = Extract<RecorderEvent, { e: "call" }>;

test("eager calls: each call event carries its line-finding time (0 < it < the wall time); the cost is the median of wall minus it over the calls after the first", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const calls: CallEvent[] = [];
  const spans: number[] = [];
  const write = live.write.bind(live);
  live.write = (ev: RecorderEvent) => {
    if (ev.e === "call" && ev.name === "sixOps") calls.push(ev);
    if (ev.e === "span" && ev.span.name === "call:sixOps") spans.push(ev.span.dur);
    write(ev);
  };
  const prev = config({ backend: "webgpu", disableJit: true });
  try {
    const sixOps = jit(function sixOps(x: np.ArrayLike) {
      const a = np.add(np.multiply(x, 1.5), 0.25);
      return np.subtract(np.multiply(np.tanh(a), a), np.exp(a));
    });
    // A shape no other test uses: the first call creates the pipelines (one-time work), the
    // others find them cached.
    const x = np.ones([263]);
    for (let i = 0; i < 5; i++) {
      const y = sixOps(x);
      await y.blockUntilReady();
      if (i === 0) {
        const v = (await y.data())[0]!;
        const a = 1.5 + 0.25;
        assert.ok(Math.abs(v - (Math.tanh(a) * a - Math.exp(a))) < 1e-5, String(v));
      }
    }
  } finally {
    config(prev);
    live.write = write;
  }
  assert.equal(calls.length, 5);
  assert.deepEqual(
    spans,
    calls.map((c) => c.wallMs),
    "each call span lasts the call's whole wall time",
  );
  for (const c of calls) {
    assert.equal(c.kernelsPerCall, 6);
    assert.ok(c.profilerMs !== undefined && c.profilerMs > 0 && c.profilerMs < c.wallMs, JSON.stringify(c));
  }
  const report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  const f = report.functions.find((g) => g.name === "sixOps");
  const expected = median(calls.slice(1).map((c) => c.wallMs - c.profilerMs!));
  assert.ok(f !== undefined);
  assert.ok(Math.abs(f.msPerCall - expected) < 1e-9, `${f.msPerCall} vs ${expected}`);
});
