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
  const name =
    readdirSync(dir).find((n) => n.endsWith(".json") && /compare/.test(n)) ??
    readdirSync(dir).find((n) => n.endsWith(".json") && !/trace/.test(n))!;
  const report = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
  report.comparison = { functions: [f], sweeps: [modeledSweep(f, [1, 10])] };
  assert.equal(validateReport(report).comparison?.sweeps[0]?.modeled, true);
  report.comparison.sweeps[0].modeled = "yes";
  assert.throws(() => validateReport(report), /modeled/);
});

test("a function the script swept keeps the one cost of a call from its runs: the sweep is shown, never substituted", async () => {
  const { comparisonOf } = await import("../../../runtime/src/profile/comparison.js");
  const { recordSampleRun } = await import("./sampleRun.js");
  const base = recordSampleRun().report;
  const sweep = {
    name: "step",
    location: base.functions[0]!.location,
    compileMs: 10,
    breakEvenCalls: 6,
    points: [{ calls: 1000, eagerMs: 3000, jitMs: 1010 }],
  };
  const eager = {
    ...base,
    compilations: [],
    functions: [{ ...base.functions[0]!, cost: { ms: 4, p10: 4, p90: 4, hostMs: 3, gpuMs: 1 } }],
  };
  const jitted = {
    ...base,
    functions: [{ ...base.functions[0]!, cost: { ms: 2, p10: 2, p90: 2, hostMs: 1, gpuMs: 1 } }],
  };
  const c = comparisonOf(eager, jitted, [sweep]);
  assert.equal(c.functions[0]!.eager.msPerCall, 4);
  assert.equal(c.functions[0]!.jit.msPerCall, 2);
  assert.deepEqual(c.sweeps, [sweep], "the measured sweep is kept, no projected one added");
});
