import { test } from "node:test";
import assert from "node:assert/strict";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { SCRIPT, sampleComparedReport, sampleReport } from "../../fixtures/ext/sampleReport.js";

const index = indexReport(sampleReport());

test("a fused line's hover names its kernel, the lines it was fused with, time, share, rates and dispatches", () => {
  const md = lineHoverMarkdown(index, SCRIPT, 4)!;
  const lines = md.split("\n");
  // 1 ms of kernel k0 split over its 3 lines = 333 µs, 1/6 of the 2 ms total.
  assert.equal(lines[0], "**JIT Scope** · 333 µs GPU on this line (17% of total)");
  assert.ok(md.includes("Landed in 1 kernel:"));
  assert.ok(md.includes("**`fused_tanh_mul_sub_0`** (jit · step) — fused with lines 3, 5"));
  // k0: median 200 µs, 1 ms of 2 ms = 50%, 12.3 GB/s, 4.50 GFLOP/s, 5 samples.
  assert.ok(md.includes("200 µs median · 50% of GPU time · 12.3 GB/s · 4.50 GFLOP/s · 5 dispatches"));
});

test("hover links reveal the kernel, open its WGSL and the fuse pass diff through command URIs", () => {
  const md = lineHoverMarkdown(index, SCRIPT, 3)!;
  assert.ok(md.includes(`[Reveal in graph](command:jitscope.revealKernel?${encodeURIComponent('["k0"]')})`));
  assert.ok(md.includes(`[Open WGSL](command:jitscope.openKernelWgslAt?${encodeURIComponent('["k0"]')})`));
  assert.ok(md.includes(`[Pass diff (fuse)](command:jitscope.openPassDiffAt?${encodeURIComponent('["c0","fuse"]')})`));
});

test("a line not fused with its neighbour says why, and shows its eager against jit cost", () => {
  const md = lineHoverMarkdown(index, SCRIPT, 6)!;
  assert.ok(md.startsWith("**JIT Scope** · 500 µs GPU on this line (25% of total)"));
  assert.ok(md.includes("**`reduce_sum_1`** (jit · step)\n"), "a single-line kernel is fused with nothing");
  assert.ok(md.includes("100 µs median · 25% of GPU time · 150 GB/s · 0.80 GFLOP/s · 5 dispatches"));
  assert.ok(md.includes("Not fused: `reduce_sum` — reduction result is consumed by the program output"));
  assert.ok(md.includes("Eager 400 µs → jit 100 µs per call (4.0×)"));
});

test("an eager kernel's hover says eager and offers no pass diff", () => {
  const md = lineHoverMarkdown(index, SCRIPT, 10)!;
  assert.ok(md.includes("**`eager_add`** (eager)"));
  assert.ok(md.includes("50.0 µs median · 25% of GPU time · 1.50 GB/s · 0.01 GFLOP/s · 10 dispatches"));
  assert.ok(!md.includes("Pass diff"));
});

test("the jit site's hover gives calls, kernels and time per call, and each compilation with its reason", () => {
  const md = lineHoverMarkdown(index, SCRIPT, 2)!;
  assert.equal(
    md,
    [
      "**JIT Scope**",
      "",
      "**jit · step** — 5 calls · 2 dispatches/call · 410 µs/call",
      "",
      "Cost of a call (until its results are ready on the device): p10–p90 390 µs–450 µs; host 110 µs + GPU 300 µs",
      "",
      `- \`(float32[4,4], float32[8,4]) -> float32[8]\` — first call · compiled in 12.0 ms · [IR](command:jitscope.openPassIrAt?${encodeURIComponent('["c0","fuse"]')})`,
    ].join("\n"),
  );
});

test("a compilation whose pipelines the driver compiled at first dispatch reads its compile time plus that", () => {
  const r = sampleReport();
  r.compilations[0] = { ...r.compilations[0]!, driverCompileMs: 1800 };
  const md = lineHoverMarkdown(indexReport(r), SCRIPT, 2)!;
  assert.ok(md.includes("— first call · compiled in 12.0 ms + 1.80 s driver compile · [IR]"), md);
});

test("with a comparison the jit site's hover adds eager against jit and the break-even", () => {
  const md = lineHoverMarkdown(indexReport(sampleComparedReport()), SCRIPT, 2)!;
  assert.ok(
    md.endsWith("Eager 1.72 ms → jit 410 µs per call (4.2× faster (3.7–4.6×), 3 runs each) · break-even after 9 calls"),
    md,
  );
});

test("a kernel's hover carries its median's spread and its outliers; a median below the timestamp tick reads \"< tick\"", () => {
  const r = sampleReport();
  r.device.timestampTickNs = 65_536;
  const k0 = r.kernels[0]!;
  Object.assign(k0, {
    gpuTimesNs: [150_000, 200_000, 200_000, 300_000, 9_000_000],
    p10Ns: 170_000,
    p90Ns: 5_640_000,
    outliers: [4],
  });
  const k2 = r.kernels[2]!;
  Object.assign(k2, { medianNs: 0, p10Ns: 0, p90Ns: 65_536 });
  const idx = indexReport(r);
  const md = lineHoverMarkdown(idx, SCRIPT, 4)!;
  assert.ok(md.includes("200 µs median (p10–p90 170 µs–5.64 ms) · 50% of GPU time"), md);
  assert.ok(md.includes("1 outlier left out of the total"));
  assert.ok(lineHoverMarkdown(idx, SCRIPT, 10)!.includes("< 65.5 µs median (p10–p90 < 65.5 µs–65.5 µs)"));
});

test("lines without kernels, and other files, have no hover", () => {
  assert.equal(lineHoverMarkdown(index, SCRIPT, 7), null);
  assert.equal(lineHoverMarkdown(index, "/proj/other.ts", 4), null);
});

test("after an edit the hover says results may be out of date", () => {
  const md = lineHoverMarkdown(index, SCRIPT, 4, { edited: true })!;
  assert.ok(md.split("\n")[2]!.includes("edited since this run"));
});

test("a kernel fused across files names the other file's line by basename", () => {
  const report = sampleReport();
  report.kernels[0]!.locations.push({ file: "/proj/lib/act.ts", line: 9, column: 3 });
  const md = lineHoverMarkdown(indexReport(report), SCRIPT, 4)!;
  assert.ok(md.includes("fused with lines 3, 5, act.ts:9"));
});

test("on the CPU backend the hover calls the times CPU time", () => {
  const report = sampleReport();
  report.device.backend = "cpu";
  const md = lineHoverMarkdown(indexReport(report), SCRIPT, 4)!;
  assert.equal(md.split("\n")[0], "**JIT Scope** · 333 µs CPU on this line (17% of total)");
  assert.ok(md.includes("200 µs median · 50% of CPU time"));
});

test("with calibrated peaks the hover shows each kernel's bound and each unfused op's boundary cost", () => {
  const r = sampleReport();
  const k0 = r.kernels.find((k) => k.id === "k0")!;
  k0.bound = "memory";
  k0.efficiency = 0.62;
  const line6 = r.lines[`${SCRIPT}:6`]!;
  line6.unfused = line6.unfused.map((u) => ({ ...u, bytes: 2 * 4096, costMs: 0.0008192 }));
  const md4 = lineHoverMarkdown(indexReport(r), SCRIPT, 4)!;
  assert.ok(
    md4.includes(
      "200 µs median · 50% of GPU time · 12.3 GB/s · 4.50 GFLOP/s · memory-bound · 62% of peak · 5 dispatches",
    ),
  );
  const md6 = lineHoverMarkdown(indexReport(r), SCRIPT, 6)!;
  assert.ok(
    md6.includes(
      "Not fused: `reduce_sum` — reduction result is consumed by the program output · 8.00 KiB written and read back · 819 ns per call",
    ),
    md6,
  );
});

test("a kernel's hover names the call of a helper it belongs to, as the Kernels table does, and where that call is", () => {
  const report = sampleReport();
  const c0 = report.compilations.find((c) => c.id === "c0")!;
  const fuse = c0.passes.find((p) => p.name === "fuse")!;
  const k0 = report.kernels.find((k) => k.id === "k0")!;
  k0.opIds = ["o1", "o2"];
  const op = (id: string, nameStack: string[]) => ({
    id,
    kind: "op" as const,
    label: "mul",
    shape: [4],
    dtype: "float32",
    location: null,
    nameStack,
    kernel: "k0",
  });
  fuse.graph.nodes = [
    op("o1", ["step", "layer", "#2"]),
    op("o2", ["step", "layer", "#2"]),
    op("o3", ["step", "layer", "#1"]),
  ];
  c0.scopeSites = { "step/layer/#2": { file: SCRIPT, line: 7, column: 15 } };
  const md = lineHoverMarkdown(indexReport(report), SCRIPT, 4)!;
  assert.ok(
    md.includes("**`fused_tanh_mul_sub_0`** (jit · step) — fused with lines 3, 5\n\nIn `layer #2`, called at "),
    md,
  );
  assert.match(md, /In `layer #2`, called at \S+:7:15\n/);
  // A kernel at its function's top level names no scope.
  assert.ok(!lineHoverMarkdown(index, SCRIPT, 4)!.includes("\nIn `"));
});
