// How a hint reads outside the report: one saving formatter (contract/src/format.ts) and the
// CLI summary's hints section, largest first, capped at SUMMARY_HINTS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { formatSaving, hintKindTitle, hintSavingUnit, type Hint, type Report } from "@jitscope/contract";
import { formatSummary, SUMMARY_HINTS } from "../../../runtime/src/cli/summary.js";

const report = JSON.parse(readFileSync("test/fixtures/reports/gelu.json", "utf8")) as Report;
const at = (line: number) => ({ file: report.script, line, column: 3 });

test("a saving reads '−1.25 ms per call' for jit kinds and 'per run' for loops and readbacks", () => {
  assert.equal(formatSaving({ kind: "dense-lookup", estimatedSavingMs: 1.25 }), "−1.25 ms per call");
  assert.equal(formatSaving({ kind: "host-sync-in-loop", estimatedSavingMs: 310 }), "−310 ms per run");
  assert.equal(formatSaving({ kind: "dispatch-bound", estimatedSavingMs: 0.0421 }), "−42.1 µs per run");
  assert.equal(hintSavingUnit("recompile"), "call");
  assert.equal(hintKindTitle("materialized-transpose"), "materialized transpose");
});

test("the CLI summary lists the top hints with saving, kind, file:line and message; a report without hints has no section", () => {
  assert.doesNotMatch(formatSummary(report), /^hints/m);
  const hints: Hint[] = Array.from({ length: SUMMARY_HINTS + 2 }, (_, i) => ({
    kind: "reshape-boundary",
    message: `reshape number ${i}`,
    location: at(10 + i),
    estimatedSavingMs: 10 - i,
  }));
  const lines = formatSummary({ ...report, hints }).split("\n");
  const start = lines.findIndex((l) => l.startsWith("hints ("));
  assert.ok(start >= 0);
  const file = report.script.split("/").pop();
  assert.equal(lines[start + 1], `−10.0 ms per call  reshape boundary at ${file}:10: reshape number 0`);
  assert.equal(lines[start + SUMMARY_HINTS], `−6.00 ms per call  reshape boundary at ${file}:14: reshape number 4`);
  assert.equal(lines[start + SUMMARY_HINTS + 1], "… and 2 more hints (see the report)");
});
