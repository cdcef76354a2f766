// The profile of a loop, from the CLI on examples/rnn_scan.ts: body kernels say they run 32 times
// per call and their dispatches count every iteration; the graph's loop node carries its trip
// count, its body graph and its body's kernels; the hover on a body line says runs per call,
// time per iteration, per call and in total.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, runCli } from "../cli/runCli.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";

const file = join(REPO, "examples", "rnn_scan.ts");
const lineOf = (text: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(text)) + 1;

test("rnn_scan: body kernels run 32× per call, the loop node carries × 32 and its body, the hover says it", () => {
  const r = runCli(file, [], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.stderr);
  const report = r.report;
  const fn = report.functions.find((f) => f.name === "stepScan")!;
  assert.equal(fn.calls, 5);
  const comp = report.compilations.find((c) => c.functionName === "stepScan")!;
  const inBody = report.kernels.filter((k) => k.loop);
  const outside = report.kernels.filter((k) => k.compilation === comp.id && !k.loop);
  assert.ok(inBody.length > 0 && outside.length > 0);
  for (const k of inBody) {
    assert.equal(k.loop!.kind, "scan");
    assert.equal(k.loop!.runsPerCall, 32, k.name);
    assert.equal(k.dispatches, 5 * 32, `${k.name}: one dispatch per iteration of each call`);
  }
  for (const k of outside) assert.equal(k.dispatches, 5, k.name);
  // Kernels per call: the outer kernels plus 32 × each body's.
  assert.equal(fn.kernelsPerCall, outside.length + 32 * inBody.length);
  // GPU part of a call: a body kernel counts 32 dispatches per call, so every kernel's total over
  // the 5 calls, divided by 5 (the per-iteration time alone would undercount the loop 32×).
  const perCallNs =
    [...inBody.filter((k) => k.compilation === comp.id), ...outside].reduce((s, k) => s + k.totalNs, 0) / 5;
  assert.ok(
    Math.abs(fn.gpuMsPerCall * 1e6 - perCallNs) <= 1e-6 * perCallNs + 1,
    `GPU ms per call ${fn.gpuMsPerCall} vs the kernels' totals over 5 calls ${perCallNs / 1e6}`,
  );

  const lower = comp.passes.find((p) => p.name === "lower")!;
  const loops = lower.graph.nodes.filter((n) => n.loop);
  assert.ok(loops.length >= 2, "a forward and a backward loop");
  for (const n of loops) {
    assert.equal(n.loop!.tripCount, 32);
    assert.ok(
      n.loop!.body.nodes.some((b) => b.label === "tanh" || b.label === "matmul"),
      "the body graph holds the cell's ops",
    );
    assert.ok(n.loop!.bodyKernels.length > 0 && n.loop!.bodyKernels.every((id) => inBody.some((k) => k.id === id)));
  }

  const md = lineHoverMarkdown(indexReport(report), file, lineOf("const hNew = np.tanh("))!;
  assert.match(md, /In a scan body \(× 32\): runs 32 times per call · .+ per iteration · .+ per call · .+ in total/);
});
