// The runner against the real CLI (dist/cli.mjs, built by `npm run build`) on a real script, then
// the report mapped onto the editor the way the hover, CodeLens and heat do it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { jitLenses } from "../../../extension/src/model/codeLens.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { findJitSites } from "../../../extension/src/model/jitSites.js";
import { lineHeat } from "../../../extension/src/model/lineHeat.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { DEFAULT_SETTINGS } from "../../../extension/src/model/settings.js";
import { runSummary } from "../../../extension/src/model/summary.js";
import { profileRun } from "../../../extension/src/runner/profileRun.js";

const CLI = resolve("dist/cli.mjs");
const SCRIPT = resolve("test/fixtures/ext/scripts/tinyJit.mjs");

test("profiling a real script through the CLI yields a report the editor features map onto its lines", async () => {
  assert.ok(existsSync(CLI), "dist/cli.mjs is missing: run `npm run build` first");
  let printed = "";
  const result = await profileRun({
    cliPath: CLI,
    script: SCRIPT,
    // CPU keeps this test independent of a GPU; the mapping is the same for WebGPU reports.
    settings: { ...DEFAULT_SETTINGS, backend: "cpu", timeoutSeconds: 60 },
    compare: false,
    nodeExecutable: process.execPath,
    onOutput: (_s, t) => (printed += t),
  });
  assert.equal(result.reportError, null);
  assert.equal(result.child.exitCode, 0);
  assert.ok(printed.includes("done [ 8 ]"), "the script's console reaches the output");
  const report = result.report!;
  assert.equal(report.status, "completed");
  assert.equal(report.device.backend, "cpu");

  const index = indexReport(report);
  // Line 5 holds the jitted add → tanh → multiply (one fused kernel); line 8 an eager add.
  assert.deepEqual(
    lineHeat(index, SCRIPT).map((h) => h.line),
    [5, 8],
  );
  const fused = report.kernels.find((k) => k.mode === "jit")!;
  for (const op of ["add", "tanh", "mul"])
    assert.ok(fused.ops.includes(op), `${op} is fused in (ops: ${fused.ops.join(", ")})`);
  assert.ok(lineHoverMarkdown(index, SCRIPT, 5)!.includes(`**\`${fused.name}\`** (jit · `));
  assert.ok(lineHoverMarkdown(index, SCRIPT, 8)!.includes("(eager)"));

  const sites = findJitSites(readFileSync(SCRIPT, "utf8"));
  assert.deepEqual(sites, [{ line: 5, column: 15 }]);
  const lenses = jitLenses(report, SCRIPT, sites);
  assert.equal(lenses.length, 1, "the jit site gets its CodeLens");
  assert.equal(lenses[0]!.compilation, report.compilations[0]!.id);
  assert.match(lenses[0]!.title, /^[\d.]+ dispatch(es)?\/call · [\d.]+ (ms|µs)\/call$/);
  assert.match(runSummary(report), /^2 kernels · .* on CPU · 1 compiled function$/);
});

test("on the GELU example every annotated line's hover names its kernels, and the jit site gets its lens", async () => {
  assert.ok(existsSync(CLI), "dist/cli.mjs is missing: run `npm run build` first");
  const example = resolve("examples/gelu.ts");
  const result = await profileRun({
    cliPath: CLI,
    script: example,
    settings: { ...DEFAULT_SETTINGS, backend: "cpu", timeoutSeconds: 120 },
    compare: false,
    nodeExecutable: process.execPath,
  });
  const report = result.report!;
  assert.equal(report.status, "completed", result.reportError ?? "");
  const index = indexReport(report);
  const lines = [...index.linesOf(example).values()];
  assert.ok(lines.length > 0);
  for (const entry of lines) {
    const md = lineHoverMarkdown(index, example, entry.line)!;
    for (const id of entry.kernels)
      assert.ok(md.includes(`\`${index.kernel(id)!.name}\``), `line ${entry.line} hover names ${id}`);
  }
  // The nine elementwise ops of gelu (lines 6-8) land in one jit kernel, fused across the three lines.
  const jitKernels = report.kernels.filter((k) => k.mode === "jit");
  assert.equal(jitKernels.length, 1);
  assert.match(lineHoverMarkdown(index, example, 7)!, /— fused with lines 6, 8\n/);
  const lenses = jitLenses(report, example, findJitSites(readFileSync(example, "utf8")));
  assert.deepEqual(
    lenses.map((l) => [l.site.line, l.functionName]),
    [[12, "gelu"]],
  );
  assert.match(lenses[0]!.title, /^1 dispatch\/call · [\d.]+ ms\/call$/);
});
