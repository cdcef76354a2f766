// Budgets of `jitscope check` on two reports that differ only in their calls' times: a slowdown
// inside the runs' noise passes, a significant one past the allowed regression fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BudgetError, evaluateBudgets, parseBudgetFile, parseRegression } from "../../../runtime/src/profile/budget.js";
import { diffReports } from "../../../runtime/src/profile/diff.js";
import { validateReport } from "@jitscope/contract";
import type { Report } from "@jitscope/contract";

const gelu = validateReport(readFileSync(join(import.meta.dirname, "../../fixtures/reports/gelu.json"), "utf8"));
const fn = gelu.functions[0]!.name;

/** The gelu report with its call spans' durations replaced by `durs` (ms). */
function withCallTimes(durs: number[]): Report {
  const spans = gelu.timeline.spans.filter((s) => s.cat !== "call");
  durs.forEach((dur, i) => spans.push({ name: `call:${fn}`, cat: "call", start: 1000 + i * 10, dur }));
  return { ...gelu, timeline: { ...gelu.timeline, spans } };
}

// Calls of ~20 ms: the host part dominates the cost (the fixture's GPU part is 1.6 ms).
const noisy = [1.0, 1.3, 0.8, 1.1, 0.9, 1.25, 0.85, 1.05, 0.95, 1.2].map((v) => v * 20);
const none = { default: {}, functions: {} };

test("a call 15% slower in the median but inside both runs' intervals passes a 10% budget", () => {
  const old = withCallTimes(noisy);
  const now = withCallTimes(noisy.map((v, i) => (i % 2 === 0 ? v * 1.3 : v)));
  const d = diffReports(old, now);
  const f = d.functions[0]!;
  assert.equal(f.msPerCall.verdict, "no significant change");
  assert.equal(f.cost.verdict, "no significant change");
  assert.ok(f.cost.relative! > 0.1, `median moved ${f.cost.relative}`);
  const r = evaluateBudgets(d, now, none, 0.1);
  assert.equal(r.ok, true);
  assert.equal(r.checks.find((c) => c.metric === "ms per call")!.note.endsWith("within noise"), true);
});

test("calls twice as slow, outside both intervals, fail a 10% budget and pass a 150% one", () => {
  const old = withCallTimes(noisy);
  const now = withCallTimes(noisy.map((v) => v * 2));
  const d = diffReports(old, now);
  assert.equal(d.functions[0]!.cost.verdict, "slower");
  const failed = evaluateBudgets(d, now, none, 0.1);
  assert.equal(failed.ok, false);
  assert.deepEqual(
    failed.checks.filter((c) => !c.ok).map((c) => c.metric),
    ["ms per call"],
  );
  assert.equal(evaluateBudgets(d, now, none, 1.5).ok, true);
});

test("a budget file's absolute limits replace the baseline's: 0 dispatches per call fails a kernel-running function", () => {
  const d = diffReports(gelu, gelu);
  const r = evaluateBudgets(d, gelu, parseBudgetFile({ functions: { [fn]: { maxKernelsPerCall: 0 } } }), 0.1);
  const k = r.checks.find((c) => c.metric === "dispatches per call")!;
  assert.deepEqual([k.ok, k.limit, k.note], [false, "≤ 0", "budget"]);
});

test("a budget naming a function the run never called fails and says so", () => {
  const r = evaluateBudgets(
    diffReports(gelu, gelu),
    gelu,
    parseBudgetFile({ functions: { trainStep: { maxCompilations: 1 } } }),
    0.1,
  );
  assert.equal(r.ok, false);
  assert.match(r.checks.at(-1)!.note, /names trainStep, which this run never called/);
});

test("budget files and regressions are validated: the message names the bad field", () => {
  assert.equal(parseRegression("10%", "x"), 0.1);
  assert.equal(parseRegression("0.25", "x"), 0.25);
  assert.equal(parseRegression(15, "x"), 0.15);
  assert.throws(
    () => parseRegression("fast", "--max-regression"),
    /--max-regression: expected a percentage such as "10%", got "fast"/,
  );
  assert.throws(
    () => parseBudgetFile({ functions: { step: { maxKernels: 3 } } }),
    (e: unknown) => e instanceof BudgetError && /functions\.step\.maxKernels is not a budget/.test(e.message),
  );
  assert.throws(
    () => parseBudgetFile({ functions: { step: { maxPeakBytes: -1 } } }),
    /functions\.step\.maxPeakBytes must be a number ≥ 0, got -1/,
  );
  assert.throws(() => parseBudgetFile([]), /expected a JSON object/);
  assert.deepEqual(parseBudgetFile({ maxRegression: "5%", functions: { "*": { maxCompilations: 2 } } }), {
    default: { maxRegression: 0.05, maxCompilations: 2 },
    functions: {},
  });
});
