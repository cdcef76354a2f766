// The driver's compile of a pipeline at its first dispatch (lavapipe compiles then): the profiler
// times the empty dispatch it encodes before a kernel's first timed one, and the report keeps it
// apart from the kernel: Report.driverCompile, and a `compile` slice in queue order on the
// timeline, never a sample or a dispatch of the kernel.
import "./timeEveryDispatch.js";
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { ReportBuilder } from "../../../runtime/src/profile/reportBuilder.js";
import { inQueueOrder, type QueuedDispatch } from "../../../runtime/src/profile/gpuClock.js";
import { compileText, driverCompileText, validateReport } from "@jitscope/contract";
import { sampleReport } from "../../fixtures/ext/sampleReport.js";
import { np, jit, config } from "../../../runtime/src/index.js";
import { webgpuOrSkip } from "../ops/harness.js";

const info = (id: string) => ({
  id,
  name: id,
  compilation: null,
  mode: "eager" as const,
  wgsl: "",
  ops: [],
  opIds: [],
  locations: [],
  workgroupSize: [64, 1, 1] as [number, number, number],
  dispatch: [1, 1, 1] as [number, number, number],
  bytesRead: 0,
  bytesWritten: 0,
  flops: 0,
});

test("driverCompile events: Report.driverCompile sums them and each compilation its kernels', the timeline puts each compile before its kernel's dispatch, the kernel's samples and dispatches leave them out; past half the wall time a note says so", () => {
  const b = new ReportBuilder();
  b.apply({ e: "kernel", info: info("k1") });
  b.apply({ e: "dispatch", kernel: "k1", gpuNs: null, start: 10 });
  b.apply({ e: "sample", kernel: "k1", gpuNs: 50_000, start: 10, gpuT: 1_900_000_000 });
  b.apply({ e: "dispatch", kernel: "k1", gpuNs: null, start: 2000 });
  b.apply({ e: "sample", kernel: "k1", gpuNs: 40_000, start: 2000, gpuT: 1_990_000_000 });
  // Its compile: encoded at the first dispatch's start, 1.8 s of device time before it ran.
  b.apply({ e: "driverCompile", kernel: "k1", gpuNs: 1_800_000_000, start: 10, gpuT: 100_000_000 });
  const r = b.build({ script: "x", status: "completed", wallMs: 2100 });
  assert.deepEqual(r.driverCompile, { pipelines: 1, totalNs: 1_800_000_000 });
  assert.equal(driverCompileText(r), "1.80 s driver compile (1 pipeline)");
  const k = r.kernels.find((x) => x.id === "k1")!;
  assert.equal(k.dispatches, 2);
  assert.deepEqual(k.gpuTimesNs, [50_000, 40_000]);
  assert.deepEqual(
    r.timeline.dispatches.map((d) => [d.kernel, d.compile === true, Math.round(d.dur)]),
    [
      ["k1", true, 1800],
      ["k1", false, 0],
      ["k1", false, 0],
    ],
  );
  const [compile, first] = r.timeline.dispatches;
  assert.ok(first!.start >= compile!.start + compile!.dur, "the kernel runs after its compile ends");
  validateReport(JSON.parse(JSON.stringify(r)));
  // 1.8 s of a 2.1 s run: a device note says the run was mostly the driver compiling.
  const note = (wallMs: number) =>
    b.build({ script: "x", status: "completed", wallMs }).device.notes.find((n) => /driver compiling/.test(n));
  assert.equal(
    note(2100),
    "1.80 s of this run's 2.10 s was the driver compiling 1 pipeline at its first dispatch (the timeline's driver lane); a driver that keeps compiled shaders on disk (Mesa does) compiles little in the next run of the same program",
  );
  assert.equal(note(3601), undefined, "under half the wall time: no note");
  // The compilation holding k1 carries its kernels' driver compile (see compileText).
  assert.equal(r.compilations.length, 0);
  b.apply({ e: "compilation", c: { ...sampleReport().compilations[0]!, id: "c9", kernels: ["k1"] } });
  const c = b.build({ script: "x", status: "completed", wallMs: 2100 }).compilations[0]!;
  assert.equal(c.driverCompileMs, 1800);
  assert.equal(compileText(c), "12.0 ms + 1.80 s driver compile");
  assert.equal(compileText(sampleReport().compilations[0]!), "12.0 ms");
  assert.equal(driverCompileText(new ReportBuilder().build({ script: "x", status: "completed", wallMs: 1 })), null);
});

test("inQueueOrder: a compile goes before the first dispatch enqueued at or after its start, within its epoch", () => {
  const q = (kernel: string, start: number, epoch = 0, compile = false): QueuedDispatch =>
    ({ kernel, start, dur: 1, epoch, ...(compile ? { compile: true } : {}) }) as QueuedDispatch;
  const merged = inQueueOrder(
    [q("a", 1), q("b", 5), q("c", 5), q("d", 1, 100)],
    [q("B", 5, 0, true), q("D", 1, 100, true), q("Z", 9, 0, true)],
  );
  assert.deepEqual(
    merged.map((d) => d.kernel),
    ["a", "B", "b", "c", "Z", "D", "d"],
  );
});

test("on WebGPU, a profiled jit call's kernels: one timed driver compile per pipeline, each before its kernel's first dispatch, and dispatches counted as before", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const prev = config({ backend: "webgpu" });
  try {
    const step = jit((x: ReturnType<typeof np.ones>) => np.tanh(np.matmul(np.add(x, 1), x)));
    let x = np.multiply(np.ones([32, 32]), 0.01);
    for (let i = 0; i < 3; i++) x = step(x);
    const v = await x.data();
    // Every element alike: x ← tanh(32 · (x + 1) · x), from 0.01.
    let want = 0.01;
    for (let i = 0; i < 3; i++) want = Math.tanh(32 * (want + 1) * want);
    assert.ok(
      v.every((e) => Math.abs(e - want) < 1e-5),
      `expected ${want} everywhere, got ${v[0]}`,
    );
  } finally {
    config(prev);
  }
  let r = live.builder.build({ script: "x", status: "completed", wallMs: 1 });
  for (let i = 0; i < 50 && (r.driverCompile?.pipelines ?? 0) < r.kernels.length; i++) {
    await new Promise((res) => setTimeout(res, 50));
    r = live.builder.build({ script: "x", status: "completed", wallMs: 1 });
  }
  // Every kernel of this run (eager ones included) dispatched with a pipeline of its own.
  const compiles = r.timeline.dispatches.filter((d) => d.compile);
  assert.equal(r.driverCompile?.pipelines, r.kernels.length, JSON.stringify(r.driverCompile));
  assert.equal(compiles.length, r.kernels.length);
  assert.ok(r.driverCompile!.totalNs > 0);
  for (const c of compiles) {
    const firstRun = r.timeline.dispatches.find((d) => !d.compile && d.kernel === c.kernel)!;
    assert.ok(
      r.timeline.dispatches.indexOf(c) < r.timeline.dispatches.indexOf(firstRun),
      `${c.kernel}'s compile first`,
    );
  }
  const runs = r.timeline.dispatches.filter((d) => !d.compile).length;
  assert.equal(
    runs,
    r.kernels.reduce((n, k) => n + k.dispatches, 0),
    "the timeline's runs are the kernels' dispatches",
  );
});
