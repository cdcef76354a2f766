// The profile of a while_loop on WebGPU, from the CLI on a fixture of three calls of 4, 6 and 9
// iterations: body kernels count one dispatch per iteration that ran (19), their loop record
// carries the last call's measured count and chunks, the loop's fusion group says how it runs,
// the graph's loop node and the hover on a body line give the last call's count (and time).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fixture, runCli } from "../cli/runCli.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { loopOf } from "../../../webview/src/model/loopBadge.js";
import { FIRST_CHUNK } from "../../../runtime/src/codegen/whileControl.js";
import { webgpuOrSkip } from "../ops/harness.js";

const file = fixture("while_newton.ts");
const lineOf = (text: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(text)) + 1;

test("while_newton: body kernels count 4 + 6 + 9 dispatches, record the last call's 9 iterations; the graph badge and the hover say it", async (t) => {
  // The suite's one WebGPU-or-skip: with an adapter here, the CLI's child process has it too.
  if (!(await webgpuOrSkip(t))) return;
  const r = runCli(file, [], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.stderr);
  const report = r.report;
  assert.equal(report.device.backend, "webgpu", "the CLI profiled on WebGPU");
  const comp = report.compilations.find((c) => c.functionName === "sqrtNewton")!;
  const loopKernels = report.kernels.filter((k) => k.compilation === comp.id && k.loop);
  const body = loopKernels.filter((k) => !k.id.includes("c."));
  const cond = loopKernels.filter((k) => k.id.includes("c."));
  assert.ok(body.length > 0 && cond.length > 0, "body and condition kernels");
  for (const k of loopKernels) {
    assert.equal(k.loop!.kind, "while");
    assert.equal(k.loop!.runsPerCall, null);
    assert.deepEqual(k.loop!.lastCall, { iterations: 9, chunks: 1, encoded: FIRST_CHUNK }, k.name);
  }
  for (const k of body) assert.equal(k.dispatches, 4 + 6 + 9, `${k.name}: one dispatch per iteration that ran`);
  for (const k of cond) assert.equal(k.dispatches, 3 * FIRST_CHUNK, `${k.name}: runs on every iteration encoded`);
  for (const k of body) assert.ok(k.gpuTimesNs.length <= k.dispatches, `${k.name}: no sample of a no-op iteration`);

  const reasons = comp.fusion.decisions.map((d) => JSON.stringify(d));
  assert.ok(
    reasons.some((d) => d.includes("the body is dispatched indirectly, flag read every K iterations")),
    "the loop's fusion record says how it runs",
  );

  // The graph's loop node: drawn once, its badge giving the last call's measured count.
  const node = comp.passes.find((p) => p.name === "lower")!.graph.nodes.find((n) => n.loop)!;
  const loop = loopOf(node, comp.id, new Map(report.kernels.map((k) => [k.id, k])))!;
  assert.equal(node.loop!.tripCount, null);
  assert.equal(loop.badge, "while × 9 (last call)");

  const md = lineHoverMarkdown(indexReport(report), file, lineOf("np.multiply(0.5, np.add(x, np.divide(a, x)))"))!;
  assert.match(
    md,
    /In a while_loop body: runs a data-dependent number of times per call \(9 times in the last call, read from the device once per chunk: 1 chunk\) · .+ per iteration · .+ in the last call · .+ in total/,
  );
});
