// The "not fused" table names a loop on either side of a boundary by its kind, trip count and
// line ("scan ×16 (loop_boundary.ts:8)", grad's reverse loop "scan ×16 backward (…)"), not by its
// internal kernel id ("c0/k1").
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture, runCli } from "./runCli.js";

test("not fused: a scan's operand and result boundaries name the scan and its line, never a raw kernel id", () => {
  // As loops (recurrence kernels off): the fixture's elementwise scan would be one kernel,
  // named as kernels are.
  const r = runCli(fixture("loop_boundary.ts"), ["--backend", "cpu"], {
    env: { JITSCOPE_DISABLE_PASSES: "recurrence" },
  });
  assert.equal(r.code, 0, r.stderr);
  const table = r.stdout.split("\n").filter((l) => l.startsWith("body "));
  const rows = table.filter((l) => l.includes("scan operand") || l.includes("scan result"));
  assert.equal(rows.length, 2, r.stdout);
  assert.match(
    rows.find((l) => l.includes("scan operand"))!,
    /exp → scan ×16 \(loop_boundary\.ts:8\)/,
  );
  assert.match(
    rows.find((l) => l.includes("scan result"))!,
    /scan ×16 \(loop_boundary\.ts:8\) → sum_tanh/,
  );
  assert.doesNotMatch(r.stdout, /\bc\d+\/k\d+\b/, "no internal kernel id in the summary");
  const gradRows = r.stdout.split("\n").filter((l) => l.startsWith("grad_body "));
  assert.ok(
    gradRows.some((l) => / → scan ×16 backward \(loop_boundary\.ts:8\)/.test(l)),
    `grad's reverse loop reads "backward": ${gradRows.join("\n")}`,
  );
});
