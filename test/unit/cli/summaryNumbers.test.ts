// The CLI summary: kernel medians with p10–p90 and "< tick", outliers, the cost of a call with its
// parts, every recompilation with its reason, compare spreads and significance, projected sweeps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatSummary } from "../../../runtime/src/cli/summary.js";
import { recordSampleRun, compilation } from "../profile/sampleRun.js";
import type { Report } from "@jitscope/contract";

function report(): Report {
  const r = recordSampleRun().report;
  r.device.timestampTickNs = 65_536;
  const k = r.kernels[0]!;
  Object.assign(k, { medianNs: 0, p10Ns: 0, p90Ns: 131_072, outliers: [2] });
  r.compilations.push({
    ...compilation,
    id: "c2",
    signature: "(float32[8]) -> float32[]",
    reason: "argument 0: shape [4] → [8]",
  });
  r.compilations.push({
    ...compilation,
    id: "c3",
    signature: "(float32[16]) -> float32[]",
    reason: "argument 0: shape [8] → [16]",
  });
  r.functions[0]!.compilations = ["c1", "c2", "c3"];
  return r;
}

test("the summary lists every recompilation with its reason, and 'compiled 3×' in the functions table", () => {
  const out = formatSummary(report());
  assert.match(
    out,
    /recompilations\nstep compiled 3×:\n {2}1\. \(float32\[4\]\) -> float32\[\] · first call\n {2}2\. \(float32\[8\]\) -> float32\[\] · argument 0: shape \[4\] → \[8\]\n {2}3\. \(float32\[16\]\) -> float32\[\] · argument 0: shape \[8\] → \[16\]/,
  );
  const row = out.split("\n").find((l) => l.startsWith("step ") && l.includes("model.ts"))!;
  assert.match(row, /\s3×\s/);
});

test("kernel rows read '< 65.5 µs' below the tick, carry p10–p90 and their outlier count", () => {
  const out = formatSummary(report());
  assert.match(out, /timestamps tick every 65\.5 µs/);
  const row = out.split("\n").find((l) => l.startsWith("fused_exp_sum_1"))!;
  assert.match(row, /< 65\.5 µs\s+< 65\.5 µs–131 µs\s+[\d.]+ (ns|µs|ms)\s+1\s/);
});

test("the cost of a call is shown with its spread and its host and GPU parts", () => {
  const r = report();
  r.functions[0]!.cost = { ms: 2.5, p10: 2.1, p90: 3.25, hostMs: 2, gpuMs: 0.5 };
  const row = formatSummary(r)
    .split("\n")
    .find((l) => l.startsWith("step ") && l.includes("model.ts"))!;
  assert.match(row, /2\.50 ms\s+2\.10 ms–3\.25 ms\s+2\.00 ms\s+500 µs/);
});

test("compare rows carry both spreads and say 'no significant difference' within noise; projected sweep points say so", () => {
  const r = report();
  r.comparison = {
    functions: [
      {
        name: "step",
        location: null,
        eager: { msPerCall: 3, dispatchesPerCall: 4, p10: 2.9, p90: 3.3, runs: [3, 2.9, 3.3] },
        jit: { msPerCall: 2.9, dispatchesPerCall: 1, p10: 2.7, p90: 3.1, runs: [2.9, 2.7, 3.1] },
        compileMs: 10,
        breakEvenCalls: 101,
        speedup: 3 / 2.9,
        speedupRange: [2.9 / 3.1, 3.3 / 2.7],
        significant: false,
      },
    ],
    sweeps: [
      {
        name: "step",
        location: null,
        points: [{ calls: 10, eagerMs: 30, jitMs: 39 }],
        compileMs: 10,
        breakEvenCalls: 101,
        modeled: true,
      },
    ],
  };
  const out = formatSummary(r);
  assert.match(out, /median over 3 runs of each mode/);
  assert.match(
    out,
    /step\s+3\.00 ms\s+2\.90 ms–3\.30 ms\s+2\.90 ms\s+2\.70 ms–3\.10 ms\s.*\s101\s+no significant difference \(0\.9–1\.2×\)/,
  );
  assert.match(
    out,
    /sweep step: total time for N calls, PROJECTED from the measured cost of a call .*break-even after 101 calls/,
  );
  assert.match(out, /\n10\s+30\.0 ms\s+39\.0 ms\s+projected/);
});
