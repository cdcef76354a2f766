import { test } from "node:test";
import assert from "node:assert/strict";
import { jitLenses } from "../../../extension/src/model/codeLens.js";
import { findJitSites } from "../../../extension/src/model/jitSites.js";
import { heatBucket, lineHeat, HEAT_BUCKETS } from "../../../extension/src/model/lineHeat.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import {
  runSummary,
  statusBarText,
  failureSummary,
  partialWorthShowing,
} from "../../../extension/src/model/summary.js";
import { SCRIPT, SCRIPT_TEXT, sampleComparedReport, sampleReport } from "../../fixtures/ext/sampleReport.js";

test("jit( sites are found in code, not in comments or strings", () => {
  assert.deepEqual(findJitSites(SCRIPT_TEXT), [{ line: 2, column: 14 }]);
});

test("jit-site finding: member calls and spaces count; other identifiers and definitions do not", () => {
  const text = [
    "const a = js.jit(f);", // member call: column 14
    "const b = myjit(f); jitter(g);",
    "function jit(f) { return f; }",
    "const c = jit (g), d = jit(h);", // two on one line
    "const t = `jit(${x})`; /* jit( */",
    "const e = jit(",
  ].join("\n");
  assert.deepEqual(findJitSites(text), [
    { line: 1, column: 14 },
    { line: 4, column: 11 },
    { line: 4, column: 24 },
    { line: 6, column: 11 },
  ]);
});

test("CodeLens over a jit site: dispatches per call and time per call", () => {
  const lenses = jitLenses(sampleReport(), SCRIPT, findJitSites(SCRIPT_TEXT));
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0]!.title, "2 dispatches/call · 410 µs/call");
  assert.equal(lenses[0]!.compilation, "c0");
  assert.equal(lenses[0]!.site.line, 2);
});

test("CodeLens adds the speedup once a comparison ran", () => {
  const lenses = jitLenses(sampleComparedReport(), SCRIPT, findJitSites(SCRIPT_TEXT));
  assert.equal(lenses[0]!.title, "2 dispatches/call · 410 µs/call · 4.2× vs eager");
});

test('CodeLens says the function compiled 3× when it did, and "≈ eager" when the difference is within noise', () => {
  const report = sampleComparedReport();
  report.functions[0]!.compilations = ["c0", "c1", "c2"];
  report.comparison!.functions[0]!.significant = false;
  const lenses = jitLenses(report, SCRIPT, findJitSites(SCRIPT_TEXT));
  assert.equal(lenses[0]!.title, "2 dispatches/call · 410 µs/call · ≈ eager (within noise) · compiled 3×");
});

test("a report without the cost of a call (older) shows host + GPU parts summed", () => {
  const report = sampleReport();
  delete report.functions[0]!.cost;
  assert.equal(jitLenses(report, SCRIPT, findJitSites(SCRIPT_TEXT))[0]!.title, "2 dispatches/call · 410 µs/call");
});

test("a jit site the run never called gets no lens; another file gets none", () => {
  assert.deepEqual(jitLenses(sampleReport(), SCRIPT, [{ line: 30, column: 14 }]), []);
  assert.deepEqual(jitLenses(sampleReport(), "/proj/other.ts", [{ line: 2, column: 14 }]), []);
});

test("two jit sites on one line each get their own function by column", () => {
  const report = sampleReport();
  report.functions.push({
    ...report.functions[0]!,
    name: "other",
    location: { file: SCRIPT, line: 2, column: 40 },
    kernelsPerCall: 1,
    cost: { ms: 2.5, p10: 2.4, p90: 2.7, hostMs: 2, gpuMs: 0.5 },
    compilations: ["c9"],
  });
  const lenses = jitLenses(report, SCRIPT, [
    { line: 2, column: 14 },
    { line: 2, column: 41 },
  ]);
  assert.deepEqual(
    lenses.map((l) => [l.functionName, l.title]),
    [
      ["step", "2 dispatches/call · 410 µs/call"],
      ["other", "1 dispatch/call · 2.50 ms/call"],
    ],
  );
});

test("heat buckets follow the share of total GPU time", () => {
  assert.equal(heatBucket(0), 0);
  assert.equal(heatBucket(0.019), 0);
  assert.equal(heatBucket(0.02), 1);
  assert.equal(heatBucket(1 / 6), 2);
  assert.equal(heatBucket(0.25), 3);
  assert.equal(heatBucket(0.9), 4);
  assert.equal(HEAT_BUCKETS, 5);
});

test("line heat lists each line with GPU time, its after-line text and bucket, in line order", () => {
  assert.deepEqual(lineHeat(indexReport(sampleReport()), SCRIPT), [
    { line: 3, bucket: 2, text: "333 µs · 17%" },
    { line: 4, bucket: 2, text: "333 µs · 17%" },
    { line: 5, bucket: 2, text: "333 µs · 17%" },
    { line: 6, bucket: 3, text: "500 µs · 25%" },
    { line: 10, bucket: 3, text: "500 µs · 25%" },
  ]);
});

test("the run summary counts kernels, GPU time, the driver compile where timed, and compiled functions", () => {
  assert.equal(runSummary(sampleReport()), "3 kernels · 2.00 ms GPU · 1 compiled function");
  assert.equal(
    runSummary(sampleComparedReport()),
    "3 kernels · 2.00 ms GPU · 1 compiled function · up to 4.2× vs eager",
  );
  // A run whose pipelines the driver compiled at first dispatch says how long that took.
  const cold = { ...sampleReport(), driverCompile: { pipelines: 51, totalNs: 5.18e9 } };
  assert.equal(
    runSummary(cold),
    "3 kernels · 2.00 ms GPU · 5.18 s driver compile (51 pipelines) · 1 compiled function",
  );
});

test("the status bar shows the device without driver details and the total GPU time", () => {
  assert.equal(statusBarText(sampleReport()), "$(pulse) llvmpipe · 2.00 ms GPU");
  const cpu = sampleReport();
  cpu.device.backend = "cpu";
  assert.equal(statusBarText(cpu), "$(pulse) CPU · 2.00 ms");
  assert.equal(runSummary(cpu), "3 kernels · 2.00 ms on CPU · 1 compiled function");
});

test("a failed run's summary names the first error and its line", () => {
  const r = sampleReport();
  assert.equal(failureSummary(r), null);
  r.status = "error";
  r.errors.push({
    kind: "shape",
    message: "matmul: [8,4] @ [3,4] mismatch",
    location: { file: SCRIPT, line: 3, column: 13 },
  });
  assert.equal(failureSummary(r), "Run error: matmul: [8,4] @ [3,4] mismatch (line 3)");
});

test("a stopped run's report replaces the last results only when it has kernels or a placed error", () => {
  const empty = sampleReport();
  empty.status = "cancelled";
  empty.kernels = [];
  empty.errors = [{ kind: "cancelled", message: "the run was cancelled", location: null }];
  assert.equal(partialWorthShowing(empty), false);
  empty.errors.push({ kind: "timeout", message: "stopped", location: { file: SCRIPT, line: 7, column: 1 } });
  assert.equal(partialWorthShowing(empty), true);
  const withKernels = sampleReport();
  withKernels.status = "timeout";
  assert.equal(partialWorthShowing(withKernels), true);
});
