// The CLI on the examples, checking what the report says against the examples' own lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, runCli } from "./runCli.js";
import { kernelTickNs, type Report } from "@jitscope/contract";
import { outlierIndices, robustTotal } from "../../../runtime/src/profile/stats.js";
import { GPU_TID, HOST_TID, type ChromeTrace } from "@jitscope/contract";

const example = (name: string) => join(REPO, "examples", name);

/** 1-based numbers of the lines of `file` that contain `text`. */
function linesWith(file: string, text: string): number[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
}

/** Every kernel has samples, none negative; each compiled function's kernels took time. Single
 *  samples may be 0: lavapipe's timestamps tick in 65,536 ns steps, shorter kernels read 0. */
function assertTimesPositive(r: Report): void {
  assert.ok(r.kernels.length > 0, "kernels recorded");
  // Twins: kernels running the same WGSL on the same grid over as many bytes and FLOPs, one
  // timestamped dispatch per sample; their outliers are judged on their pooled samples.
  const twinKey = (k: Report["kernels"][number]) =>
    [k.wgsl, k.dispatch.join(","), k.bytesRead, k.bytesWritten, k.flops].join("\u0000");
  const twins = new Map<string, Report["kernels"]>();
  for (const k of r.kernels) if (!k.batch) twins.set(twinKey(k), [...(twins.get(twinKey(k)) ?? []), k]);
  for (const k of r.kernels) {
    assert.ok(k.gpuTimesNs.length > 0, `${k.name} has samples`);
    assert.ok(
      k.gpuTimesNs.every((t) => t >= 0 && Number.isFinite(t)),
      `${k.name} samples are times`,
    );
    // The total is dispatches × the mean of the samples without outliers (stats.ts), sampled
    // kernels (backend/timingPolicy.ts) included; outliers are those far above the median of
    // the kernel's samples and its twins'; with none left, the twins' mean stands in.
    const tick = kernelTickNs(k, r.device) ?? 0;
    const group = k.batch ? [k] : twins.get(twinKey(k))!;
    const pool = group.length > 1 ? group.flatMap((t) => t.gpuTimesNs) : undefined;
    assert.deepEqual(k.outliers, outlierIndices(k.gpuTimesNs, tick, pool), `${k.name}: outliers`);
    const poolMean = pool ? robustTotal(pool, 1, outlierIndices(pool, tick)) : 0;
    const expected = robustTotal(k.gpuTimesNs, k.dispatches, k.outliers!, poolMean);
    assert.ok(
      Math.abs(k.totalNs - expected) <= 1e-6 * Math.max(1, expected),
      `${k.name}: total ${k.totalNs} vs ${expected}`,
    );
  }
  for (const c of r.compilations) {
    const ns = r.kernels.filter((k) => c.kernels.includes(k.id)).reduce((t, k) => t + k.totalNs, 0);
    assert.ok(ns > 0, `${c.functionName}'s kernels took time`);
  }
  assert.ok(r.totalGpuNs > 0);
  assertSpansCorrected(r);
}

/** On WebGPU every timed span was reduced by what a timestamped pass adds, measured at the start
 *  of the run (profile/timestampOverhead.ts): the report gives it, and a device note says so. */
function assertSpansCorrected(r: Report): void {
  if (r.device.backend !== "webgpu" || !r.device.timestampQuery) return;
  const ns = r.device.timestampOverheadNs;
  assert.ok(ns !== undefined && Number.isInteger(ns) && ns >= 0, `timestampOverheadNs ${ns}`);
  const us = ns < 10_000 ? (ns / 1000).toFixed(1) : (ns / 1000).toFixed(0);
  assert.ok(
    r.device.notes.some((n) => n.startsWith(`each timed kernel's span is reduced by ${us} µs`)),
    r.device.notes.join("\n"),
  );
}

test("softmax: kernel times are positive and the jit kernels point at the body of softmax()", () => {
  const file = example("softmax.ts");
  const r = runCli(file);
  assert.equal(r.code, 0, r.stderr);
  assertTimesPositive(r.report);
  assert.match(r.stdout, /row sums: min 1\.0000\d, max 1\.0000\d|row sums: min 0\.9999\d/);

  const body = [
    ...linesWith(file, "const shifted"),
    ...linesWith(file, "const e ="),
    ...linesWith(file, "return np.divide"),
  ];
  // lavapipe has subgroups: max, sum of exp and the divide over the same rows are one row-local
  // kernel (passes/fuseRows.ts; three kernels without subgroups, test/unit/codegen/rowFused.test.ts).
  const jitKernels = r.report.kernels.filter((k) => k.mode === "jit");
  assert.equal(jitKernels.length, 1, "softmax is one row-local kernel");
  for (const k of jitKernels) {
    assert.ok(k.locations.length > 0);
    for (const l of k.locations) {
      assert.equal(l.file, file);
      assert.ok(body.includes(l.line), `${k.name} points at line ${l.line}, inside softmax() (${body})`);
    }
  }
  const lines = new Set(jitKernels[0]!.locations.map((l) => l.line));
  for (const line of body) assert.ok(lines.has(line), `the row kernel points at line ${line} too`);
  const [c] = r.report.compilations;
  assert.deepEqual(
    c!.fusion.decisions.map((d) => d.kind),
    ["row"],
  );
  assert.match(c!.fusion.decisions[0]!.reason, /^row-local: 2 reductions \(reduce_max, reduce_sum\)/);
  assert.equal(c!.functionName, "softmax");
  assert.equal(c!.location!.line, linesWith(file, "jit(softmax)")[0]);
  assert.ok(r.report.lines[`${file}:${body[0]}`]!.kernels.length > 0, "the line index has the max line");
  assert.equal(r.report.functions[0]!.calls, 11);
});

test("mlp_train --compare: loss falls, and eager dispatches more kernels per step than jit", () => {
  const file = example("mlp_train.ts");
  const r = runCli(file, ["--compare"]);
  assert.equal(r.code, 0, r.stderr);
  assertTimesPositive(r.report);
  const losses = r.report.console
    .filter((l) => l.stream === "stdout" && l.text.startsWith("step "))
    .map((l) => Number(l.text.split("loss ")[1]));
  // The report keeps the jit runs' console: --compare runs each mode 3 times, 6 prints each.
  assert.equal(losses.length, 18);
  assert.deepEqual(losses.slice(6, 12), losses.slice(0, 6), "every run prints the same losses");
  assert.ok(losses[5]! < losses[0]! / 2, `loss falls: ${losses}`);

  const cmp = r.report.comparison!.functions.find((f) => f.name === "sgdStep");
  assert.ok(cmp, "sgdStep compared");
  assert.equal(cmp.location!.line, linesWith(file, "jit(sgdStep,")[0]);
  assert.ok(
    cmp.eager.dispatchesPerCall > cmp.jit.dispatchesPerCall,
    `eager ${cmp.eager.dispatchesPerCall} > jit ${cmp.jit.dispatchesPerCall}`,
  );
  assert.ok(cmp.compileMs > 0);
  assert.ok(cmp.eager.msPerCall > 0 && cmp.jit.msPerCall > 0);
  assert.equal(cmp.speedup, cmp.eager.msPerCall / cmp.jit.msPerCall);
  assert.match(r.stdout, /eager vs jit/);
});

test("attention --trace: the Chrome trace has host spans, GPU kernels and flows from calls", () => {
  const r = runCli(example("attention.ts"), ["--trace", "{dir}/trace.json", "--html", "{dir}/report.html"]);
  assert.equal(r.code, 0, r.stderr);
  assertTimesPositive(r.report);
  const trace = JSON.parse(readFileSync(join(r.dir, "trace.json"), "utf8")) as ChromeTrace;
  const slices = trace.traceEvents.filter((e) => e.ph === "X");
  const gpu = slices.filter((e) => e.tid === GPU_TID);
  assert.equal(gpu.length, r.report.timeline.dispatches.length, "every dispatch on the GPU track");
  assert.ok(
    slices.some((e) => e.tid === HOST_TID && e.name === "call:attention"),
    "jit calls on the host track",
  );
  assert.ok(
    slices.some((e) => e.tid === HOST_TID && e.cat === "compile"),
    "compiler passes on the host track",
  );
  const starts = trace.traceEvents.filter((e) => e.ph === "s");
  const ends = trace.traceEvents.filter((e) => e.ph === "f");
  assert.ok(starts.length > 0 && starts.length === ends.length, "flows from jit calls to kernels");
  const html = readFileSync(join(r.dir, "report.html"), "utf8");
  assert.ok(html.includes('id="jitscope-report"'));
  const matmul = r.report.kernels.filter((k) => k.ops.includes("matmul") && k.mode === "jit");
  assert.ok(matmul.length >= 2, "two matmuls");
  assert.ok(matmul.every((k) => k.flops > 0 && k.gflopPerS > 0));
});

test("seed_add: profile.sweep's eager and jit totals for each N land in comparison.sweeps", () => {
  const file = example("seed_add.ts");
  const r = runCli(file, [], { env: { JITSCOPE_COMPARE_CALLS: "10,100" } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /add\(1, 2\) = 3/);
  const [s] = r.report.comparison!.sweeps;
  assert.equal(s!.name, "add");
  // The example asks for 10…10,000 calls explicitly; JITSCOPE_COMPARE_CALLS only sets the default.
  assert.deepEqual(
    s!.points.map((p) => p.calls),
    [10, 100, 1000, 10000],
  );
  assert.ok(s!.points.every((p) => p.eagerMs > 0 && p.jitMs > 0));
  assert.equal(s!.location!.file, file);
  assert.equal(s!.location!.line, linesWith(file, "profile.sweep(")[0]);
  // The sweep's 22,000-odd calls are not in the profile: only the script's own call of addJitted.
  assert.equal(r.report.functions.find((f) => f.name === "add")!.calls, 1);
});

test("--runs 2 merges two runs of softmax: twice the calls and samples", () => {
  const r = runCli(example("softmax.ts"), ["--runs", "2"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.report.functions[0]!.calls, 22);
  const jit = r.report.kernels.filter((k) => k.mode === "jit");
  assert.ok(
    jit.every((k) => k.dispatches === 22),
    jit.map((k) => k.dispatches).join(),
  );
  // Each run times its first 3 dispatches of every kernel at least (backend/timingPolicy.ts).
  assert.ok(
    jit.every((k) => k.gpuTimesNs.length >= 6),
    jit.map((k) => k.gpuTimesNs.length).join(),
  );
});

test("gelu --compare: eager dispatches one kernel per op (nine), jit fuses the chain into one", () => {
  const file = example("gelu.ts");
  const r = runCli(file, ["--compare"]);
  assert.equal(r.code, 0, r.stderr);
  const cmp = r.report.comparison!.functions.find((f) => f.name === "gelu")!;
  assert.equal(cmp.eager.dispatchesPerCall, 9);
  assert.equal(cmp.jit.dispatchesPerCall, 1);
  const [kernel] = r.report.kernels.filter((k) => k.mode === "jit");
  const body = [
    ...linesWith(file, "const cube"),
    ...linesWith(file, "const inner"),
    ...linesWith(file, "return np.multiply(np.multiply(0.5"),
  ];
  assert.deepEqual(
    [...new Set(kernel!.locations.map((l) => l.line))].sort((a, b) => a - b),
    body,
  );
  for (const line of body) {
    const entry = r.report.lines[`${file}:${line}`]!;
    assert.ok(entry.jitMs !== undefined && entry.eagerMs !== undefined, `line ${line} has eager and jit cost`);
  }
});

test("--backend cpu: the report and the table say loudly that no GPU was used", () => {
  const r = runCli(example("softmax.ts"), ["--backend", "cpu"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.report.device.backend, "cpu");
  assert.equal(r.report.device.timestampQuery, false);
  const table = r.stdout.slice(r.stdout.indexOf("device: "));
  assert.match(table.split("\n")[0]!, /^device: cpu · /, "the device line comes first");
  assert.match(table.split("\n")[1]!, /CPU BACKEND/);
});

test("JITSCOPE_TIMESTAMP_OVERHEAD=0 leaves the spans as read: no overhead in the report, no note", () => {
  const r = runCli(example("softmax.ts"), [], { env: { JITSCOPE_TIMESTAMP_OVERHEAD: "0" } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.report.device.backend, "webgpu");
  assert.equal(r.report.device.timestampOverheadNs, undefined);
  assert.ok(!r.report.device.notes.some((n) => n.includes("span is reduced")), r.report.device.notes.join("\n"));
});
