import { test } from "node:test";
import assert from "node:assert/strict";
import { compareCallsFromEnv, modeledSweep } from "../../../runtime/src/profile/comparison.js";
import type { ComparedFunction } from "@jitscope/contract";
import { validateReport } from "@jitscope/contract";
import { readFileSync, readdirSync } from "node:fs";

const f: ComparedFunction = {
  name: "step",
  location: { file: "/w/a.ts", line: 3, column: 14 },
  eager: { msPerCall: 2, dispatchesPerCall: 9 },
  jit: { msPerCall: 0.5, dispatchesPerCall: 1 },
  compileMs: 30,
  breakEvenCalls: 21,
  speedup: 4,
};

test("a compare run without profile.sweep gets a sweep projected from compile + N × per-call costs", () => {
  const s = modeledSweep(f, [1, 10, 100]);
  assert.equal(s.modeled, true);
  assert.deepEqual(s.points, [
    { calls: 1, eagerMs: 2, jitMs: 30.5 },
    { calls: 10, eagerMs: 20, jitMs: 35 },
    { calls: 100, eagerMs: 200, jitMs: 80 },
  ]);
  // Break-even by hand: 30 ms compile / 1.5 ms saved per call = 20 calls, jit ahead from the 21st.
  assert.equal(s.breakEvenCalls, 21);
});

test("sweep sizes come from JITSCOPE_COMPARE_CALLS, sorted and deduplicated, with a default", () => {
  assert.deepEqual(compareCallsFromEnv("100, 10,10,x,-1"), [10, 100]);
  assert.deepEqual(compareCallsFromEnv(undefined), [1, 10, 100, 1000, 10000]);
});

test("a report holding a modeled sweep still validates", () => {
  const dir = new URL("../../fixtures/reports/", import.meta.url);
  const name = readdirSync(dir).find((n) => n.endsWith(".json") && /compare/.test(n)) ?? readdirSync(dir).find((n) => n.endsWith(".json") && !/trace/.test(n))!;
  const report = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
  report.comparison = { functions: [f], sweeps: [modeledSweep(f, [1, 10])] };
  assert.equal(validateReport(report).comparison?.sweeps[0]?.modeled, true);
  report.comparison.sweeps[0].modeled = "yes";
  assert.throws(() => validateReport(report), /modeled/);
});

test("a function the script swept takes its per-call costs from the sweep's largest point", async () => {
  const { withSweepCosts } = await import("../../../runtime/src/profile/comparison.js");
  const sweep = {
    name: "step", location: f.location, compileMs: 10, breakEvenCalls: 6,
    points: [{ calls: 10, eagerMs: 30, jitMs: 22 }, { calls: 1000, eagerMs: 3000, jitMs: 1010 }],
  };
  const g = withSweepCosts(f, sweep);
  assert.equal(g.eager.msPerCall, 3); // 3000 ms / 1000 calls
  assert.equal(g.jit.msPerCall, 1); // (1010 - 10 compile) / 1000
  assert.equal(g.speedup, 3);
  assert.equal(g.compileMs, 10);
  assert.equal(g.breakEvenCalls, 6);
  assert.equal(g.eager.dispatchesPerCall, 9, "dispatch counts still come from the runs");
  assert.deepEqual(withSweepCosts(f, undefined), f);
});
