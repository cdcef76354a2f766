import { test } from "node:test";
import assert from "node:assert/strict";
import { compareRuns } from "../../../runtime/src/profile/comparison.js";
import { speedupText } from "@jitscope/contract";
import type { FunctionReport, Report } from "@jitscope/contract";
import { recordSampleRun } from "./sampleRun.js";

const fn = (over: Partial<FunctionReport>): FunctionReport => ({
  name: "step",
  location: { file: "/m.ts", line: 2, column: 14 },
  calls: 10,
  compilations: [],
  kernelsPerCall: 1,
  msPerCall: 1,
  gpuMsPerCall: 0,
  ...over,
});

test("eager against jit: the cost of a call is host part + GPU part in both modes; compile, break-even, speedup by hand", () => {
  const base = recordSampleRun().report;
  const compilation = { ...base.compilations[0]!, id: "c1", compileMs: { total: 30, perPass: {} } };
  const eager: Report = {
    ...base,
    compilations: [],
    functions: [fn({ msPerCall: 4, gpuMsPerCall: 1, kernelsPerCall: 12 })],
  };
  // jit: host 0.5 ms per call, then 2 ms of GPU work: results ready 2.5 ms after the call.
  const jitted: Report = {
    ...base,
    compilations: [compilation],
    functions: [fn({ msPerCall: 0.5, gpuMsPerCall: 2, kernelsPerCall: 3, compilations: ["c1"] })],
  };
  const [c] = compareRuns(eager, jitted);
  assert.deepEqual(c, {
    name: "step",
    location: { file: "/m.ts", line: 2, column: 14 },
    eager: { msPerCall: 5, dispatchesPerCall: 12, p10: 5, p90: 5, hostMs: 4, gpuMs: 1, runs: [5] },
    jit: { msPerCall: 2.5, dispatchesPerCall: 3, p10: 2.5, p90: 2.5, hostMs: 0.5, gpuMs: 2, runs: [2.5] },
    compileMs: 30,
    breakEvenCalls: 13, // 30 + 2.5n < 5n first at n = 13 (12 ties)
    speedup: 2,
    speedupRange: [2, 2],
    significant: true,
  });
});

const withCost = (ms: number): FunctionReport =>
  fn({ msPerCall: ms, gpuMsPerCall: 0, cost: { ms, p10: ms, p90: ms, hostMs: ms, gpuMs: 0 } });
const runsOf = (base: Report, costs: number[]): Report[] =>
  costs.map((ms) => ({ ...base, compilations: [], functions: [withCost(ms)] }));

test("three interleaved runs per mode: median cost, spread from the lowest to the highest run, a clear speedup is significant", () => {
  const base = recordSampleRun().report;
  const [c] = compareRuns(runsOf(base, [5, 5.5, 4.8]), runsOf(base, [2.5, 2.6, 2.4]));
  assert.equal(c!.eager.msPerCall, 5);
  assert.deepEqual([c!.eager.p10, c!.eager.p90], [4.8, 5.5]);
  assert.equal(c!.jit.msPerCall, 2.5);
  assert.deepEqual([c!.jit.p10, c!.jit.p90], [2.4, 2.6]);
  assert.deepEqual(c!.jit.runs, [2.5, 2.6, 2.4]);
  assert.equal(c!.speedup, 2);
  assert.deepEqual(c!.speedupRange, [4.8 / 2.6, 5.5 / 2.4]);
  assert.equal(c!.significant, true);
  assert.equal(speedupText(c!), "2.0× faster (1.8–2.3×)");
});

test("a difference within the runs' spread is no significant difference, not a speedup", () => {
  const base = recordSampleRun().report;
  const [c] = compareRuns(runsOf(base, [3, 3.3, 2.9]), runsOf(base, [3.1, 2.8, 3.2]));
  assert.equal(c!.significant, false);
  assert.equal(speedupText(c!), "no significant difference (0.9–1.2×)");
});

test("a function that only ran in one mode is not compared", () => {
  const base = recordSampleRun().report;
  const eager: Report = { ...base, functions: [fn({ name: "other" })] };
  assert.deepEqual(compareRuns(eager, { ...base, functions: [fn({})] }), []);
});
