// The "not fused" table of the CLI and the HTML page comes from one row model (contract
// boundaryRows): boundaries that read alike share a row with their count, loops are named by kind
// and line on both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { boundaryRows, validateReport } from "@jitscope/contract";
import { renderHtmlReport } from "../../../runtime/src/profile/html.js";
import { formatSummary } from "../../../runtime/src/cli/summary.js";
import { fixture, runCli } from "../cli/runCli.js";

const mlp = validateReport(
  readFileSync(join(import.meta.dirname, "../../fixtures/reports/mlp_train_compare.json"), "utf8"),
);

test("boundaries that read alike share one row with their count, and the counts add up to every boundary", () => {
  const rows = boundaryRows(mlp);
  const all = mlp.compilations.flatMap((c) => c.fusion.boundaries);
  assert.equal(
    rows.reduce((n, r) => n + r.count, 0),
    all.length,
  );
  const name = new Map(mlp.kernels.map((k) => [k.id, k.name]));
  // Counted independently: boundaries from a kernel named transpose into one named matmul_mul_sub
  // for a matmul operand.
  const alike = all.filter(
    (b) =>
      name.get(b.fromKernel) === "transpose" &&
      name.get(b.toKernel) === "matmul_mul_sub" &&
      b.reason.startsWith("matmul operand"),
  ).length;
  assert.ok(alike >= 2, `the fixture has ${alike} such boundaries`);
  const row = rows.filter((r) => r.pair.startsWith("transpose → matmul_mul_sub"));
  assert.equal(row.length, 1);
  assert.equal(row[0]!.pair, `transpose → matmul_mul_sub ×${alike}`);
  assert.equal(row[0]!.count, alike);
  // No two rows read alike.
  const keys = rows.map((r) => JSON.stringify([r.functionName, r.pair, r.reason, r.cost]));
  assert.equal(new Set(keys).size, keys.length);
});

test("the CLI summary and the HTML page print the same not-fused rows", () => {
  const rows = boundaryRows(mlp);
  const summary = formatSummary(mlp);
  const html = renderHtmlReport(mlp, null);
  for (const r of rows.slice(0, 8)) {
    assert.ok(
      summary.split("\n").some((l) => l.includes(r.pair) && l.includes(r.reason)),
      `${r.pair} in the summary`,
    );
    assert.ok(html.includes(`<td>${r.pair.replace(/>/g, "&gt;")}</td>`), `${r.pair} on the HTML page`);
  }
});

test("the static HTML page names a scan on either side of a boundary by its kind, trip count and line, never a kernel id", () => {
  // As a loop (recurrence kernels off): the fixture's elementwise scan would be one kernel.
  const r = runCli(fixture("loop_boundary.ts"), ["--backend", "cpu"], {
    env: { JITSCOPE_DISABLE_PASSES: "recurrence" },
  });
  assert.equal(r.code, 0, r.stderr);
  const html = renderHtmlReport(r.report, null);
  const start = html.indexOf("Not fused: fusion boundaries");
  assert.ok(start > 0, "the page has the not-fused table");
  const section = html.slice(start, html.indexOf("</table>", start));
  assert.match(section, /exp → scan ×16 \(loop_boundary\.ts:8\)/);
  assert.match(section, /scan ×16 \(loop_boundary\.ts:8\) → sum_tanh/);
  assert.doesNotMatch(section, /\bc\d+\/k\d+\b/);
});
