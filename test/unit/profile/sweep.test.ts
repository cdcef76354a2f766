import { test } from "node:test";
import assert from "node:assert/strict";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import { runSweep, sweepCallsFromEnv, type SweepRuntime } from "../../../runtime/src/profile/sweep.js";

/** A stand-in runtime that counts calls per mode; jit wraps without compiling. */
function fakeRuntime() {
  const state = { disableJit: false, eagerCalls: 0, jitCalls: 0, jitsMade: 0 };
  const sink = new MemorySink();
  const recorder = createRecorder(sink);
  const rt: SweepRuntime = {
    recorder,
    config(update) {
      const prev = { disableJit: state.disableJit };
      if (update.disableJit !== undefined) state.disableJit = update.disableJit;
      return prev;
    },
    jit(f) {
      state.jitsMade++;
      return (...args) => {
        if (state.disableJit) throw new Error("a jitted function ran with jit disabled");
        state.jitCalls++;
        // What the runtime would record for a jit call: must not reach the report during a sweep.
        recorder.functionCall("f", null, "c0", 1, 1);
        return f(...args) as never;
      };
    },
  };
  const fn = (a: number, b: number) => {
    if (state.disableJit) state.eagerCalls++;
    return a + b;
  };
  return { rt, fn, state, sink };
}

test("sweep runs every N eagerly and through a fresh jit, and restores the jit setting", async () => {
  const { rt, fn, state, sink } = fakeRuntime();
  const result = await runSweep(rt, "add", fn, [1, 2], { calls: [100, 10] });
  assert.deepEqual(
    result.points.map((p) => p.calls),
    [10, 100],
    "sorted by calls",
  );
  // Eager: 1 warm-up + 10 + 100. Jit: a probe (1 + 3 steady calls) + 10 + 100, each N a fresh jit.
  assert.equal(state.eagerCalls, 111);
  assert.equal(state.jitCalls, 114);
  assert.equal(state.jitsMade, 3);
  assert.equal(state.disableJit, false);
  assert.ok(result.points.every((p) => p.eagerMs >= 0 && p.jitMs >= 0));
  assert.equal(result.name, "add");
  // Only the sweep itself is recorded; the jit calls it made are not.
  assert.deepEqual(
    sink.events.map((e) => e.e),
    ["sweep"],
  );
  const report = sink.builder.build({ script: "s.ts", status: "completed", wallMs: 1 });
  assert.deepEqual(report.comparison!.sweeps[0], result);
  assert.equal(report.functions.length, 0);
});

test("sweep leaves jit disabled if the script had it disabled", async () => {
  const { rt, fn, state } = fakeRuntime();
  state.disableJit = true;
  await runSweep(rt, "add", fn, [1, 2], { calls: [1] });
  assert.equal(state.disableJit, true);
});

test("sweep sizes come from JITSCOPE_COMPARE_CALLS when given", () => {
  assert.deepEqual(sweepCallsFromEnv({ JITSCOPE_COMPARE_CALLS: "1000, 10,100" }), [10, 100, 1000]);
  assert.equal(sweepCallsFromEnv({ JITSCOPE_COMPARE_CALLS: "x" }), null);
  assert.equal(sweepCallsFromEnv({}), null);
});
