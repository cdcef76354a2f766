import { test } from "node:test";
import assert from "node:assert/strict";
import { compareRuns } from "../../../runtime/src/profile/comparison.js";
import type { FunctionReport, Report } from "@jitscope/contract";
import { recordSampleRun } from "./sampleRun.js";

const fn = (over: Partial<FunctionReport>): FunctionReport => ({ name: "step", location: { file: "/m.ts", line: 2, column: 14 }, calls: 10, compilations: [], kernelsPerCall: 1, msPerCall: 1, gpuMsPerCall: 0, ...over });

test("eager against jit: per-call cost is the slower of host and GPU; compile, break-even, speedup by hand", () => {
  const base = recordSampleRun().report;
  const compilation = { ...base.compilations[0]!, id: "c1", compileMs: { total: 30, perPass: {} } };
  const eager: Report = { ...base, compilations: [], functions: [fn({ msPerCall: 4, gpuMsPerCall: 1, kernelsPerCall: 12 })] };
  // jit: host 0.5 ms per call but 2 ms of GPU work: a loop runs at 2 ms per call.
  const jitted: Report = { ...base, compilations: [compilation], functions: [fn({ msPerCall: 0.5, gpuMsPerCall: 2, kernelsPerCall: 3, compilations: ["c1"] })] };
  const [c] = compareRuns(eager, jitted);
  assert.deepEqual(c, {
    name: "step",
    location: { file: "/m.ts", line: 2, column: 14 },
    eager: { msPerCall: 4, dispatchesPerCall: 12 },
    jit: { msPerCall: 2, dispatchesPerCall: 3 },
    compileMs: 30,
    breakEvenCalls: 16, // 30 + 2n < 4n first at n = 16
    speedup: 2,
  });
});

test("a function that only ran in one mode is not compared", () => {
  const base = recordSampleRun().report;
  const eager: Report = { ...base, functions: [fn({ name: "other" })] };
  assert.deepEqual(compareRuns(eager, { ...base, functions: [fn({})] }), []);
});
