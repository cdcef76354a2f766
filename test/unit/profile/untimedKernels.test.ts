// A kernel that ran but got no timed dispatch has an unknown time, not 0: the timer gives each
// kernel's warm-up a timestamp even past its cap on pending readbacks, and a kernel that still has
// no sample reads "not timed" in the summary, the HTML page, the panel and the hover, with a
// device note saying its time is left out of the totals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import { DispatchTimer } from "../../../runtime/src/backend/timing.js";
import { TimingPolicy } from "../../../runtime/src/backend/timingPolicy.js";
import { formatSummary } from "../../../runtime/src/cli/summary.js";
import { renderHtmlReport } from "../../../runtime/src/profile/html.js";
import { kernelRows } from "../../../webview/src/model/kernelTable.js";
import { kernelMedianText, validateReport, type Report } from "@jitscope/contract";
import { eagerKernel, FILE } from "./sampleRun.js";

const timedKernel = { ...eagerKernel, id: "k3", name: "eager_mul", bytesRead: 800, bytesWritten: 400 };

/** eager_mul timed twice (100 and 300 ns); eager_add dispatched 3 times, never timed. */
function runWithUntimedKernel(): Report {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  r.registerKernel(eagerKernel);
  r.registerKernel(timedKernel);
  r.recordDispatch("k3", 100, 1);
  r.recordDispatch("k3", 300, 2);
  for (let i = 0; i < 3; i++) r.recordDispatch("k2", null, 3 + i);
  return sink.builder.build({ script: FILE, status: "completed", wallMs: 50 });
}

/** The summary's row for a kernel, cells split on the table's two-space gaps. */
function summaryRow(out: string, name: string): string[] {
  const line = out.split("\n").find((l) => l.startsWith(`${name} `));
  assert.ok(line, `no row for ${name} in\n${out}`);
  return line.split(/ {2,}/);
}

test("a kernel with no timed sample reads 'not timed' in the summary, never '< 1 ns' or '0 ns'", () => {
  const out = formatSummary(runWithUntimedKernel());
  const row = summaryRow(out, "eager_add");
  // kernel, function, calls, median, p10–p90, total, outliers, bandwidth, compute, bound, lines
  assert.deepEqual(row.slice(0, 10), ["eager_add", "(eager)", "3", "not timed", "–", "not timed", "0", "–", "–", "–"]);
  assert.doesNotMatch(row.join(" "), /< 1 ns|0 ns|0\.00 GB\/s/);
  assert.match(out, /run: completed · 50\.0 ms wall · 400 ns kernel time/);
});

test("a kernel with no timed sample: the report's device note says its time is unknown and left out of the kernel time", () => {
  const report = runWithUntimedKernel();
  const k = report.kernels.find((x) => x.id === "k2")!;
  assert.equal(k.dispatches, 3);
  assert.deepEqual(k.gpuTimesNs, []);
  assert.equal(report.totalGpuNs, 400); // eager_mul's 2 samples only
  const note = report.device.notes.find((n) => n.includes("no timed dispatch"));
  assert.equal(
    note,
    '1 kernel (3 dispatches) ran with no timed dispatch: its GPU time is unknown, shown as "not timed" and left out of the kernel time and the GPU part of a call (eager_add)',
  );
  assert.deepEqual(validateReport(JSON.stringify(report)), report);
});

test("a kernel with no timed sample reads 'not timed' on the HTML page, in the panel's kernel rows and the median text", () => {
  const report = runWithUntimedKernel();
  const html = renderHtmlReport(report, null);
  const row = html.slice(html.indexOf("<td>eager_add</td>"), html.indexOf("</tr>", html.indexOf("<td>eager_add</td>")));
  assert.match(row, /<td>3<\/td><td>not timed<\/td><td>–<\/td><td>not timed<\/td><td>0<\/td><td>–<\/td><td>–<\/td>/);
  const panel = kernelRows(report).find((x) => x.id === "k2")!;
  assert.equal(panel.medianText, "not timed");
  assert.equal(panel.untimed, true);
  const k = report.kernels.find((x) => x.id === "k2")!;
  assert.equal(kernelMedianText(k, report.device), "not timed");
  // A timed kernel is unaffected.
  assert.equal(kernelRows(report).find((x) => x.id === "k3")!.medianText, "200 ns");
});

/** A device whose timestamp readbacks never land: as in a loop that never yields to the event loop. */
function fakeDevice() {
  const made = { querySets: 0 };
  const buffer = () => ({ mapAsync: () => new Promise<void>(() => {}), destroy() {}, unmap() {} });
  const device = {
    createQuerySet: () => {
      made.querySets++;
      return { destroy() {} };
    },
    createBuffer: buffer,
    queue: { onSubmittedWorkDone: () => new Promise<void>(() => {}) },
  };
  const encoder = { resolveQuerySet() {}, copyBufferToBuffer() {} };
  return { device: device as unknown as GPUDevice, encoder: encoder as unknown as GPUCommandEncoder, made };
}

test("with 8 submits' timestamps pending, a kernel first seen then is timed on its first 3 dispatches, not its 4th", () => {
  const { device, encoder } = fakeDevice();
  const recorder = createRecorder(new MemorySink());
  // "every": the policy would time every dispatch, so only the cap leaves one untimed.
  const policy = new TimingPolicy({ mode: "every", costNs: 250_000 });
  const timer = new DispatchTimer(device, recorder, true, policy);
  // 8 submits, each with a timed dispatch whose readback never lands (no await in between).
  for (let s = 0; s < 8; s++) {
    assert.ok(timer.next(`k${s}`, 0), `submit ${s} is timed`);
    timer.resolve(encoder)!();
  }
  // Each dispatch of the new kernel in a submit of its own, as a long loop's are.
  const timed = [0, 1, 2, 3].map(() => {
    const t = timer.next("fresh", 0);
    timer.resolve(encoder)?.();
    return t !== undefined;
  });
  assert.deepEqual(timed, [true, true, true, false]);
});

test("on the CPU backend the outlier note speaks of time samples, on WebGPU of GPU time samples", () => {
  const noteOf = (backend: "cpu" | "webgpu") => {
    const sink = new MemorySink();
    const r = createRecorder(sink);
    r.setDeviceInfo({ backend, adapter: "test adapter", timestampQuery: backend === "webgpu", notes: [] });
    r.registerKernel(timedKernel);
    [100, 110, 105, 95, 100_000].forEach((ns, i) => r.recordDispatch("k3", ns, i + 1));
    const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 50 });
    return report.device.notes.find((n) => n.includes("far above"));
  };
  const tail =
    "far above its kernel's others (beyond median + 5 robust deviations of its samples and those of kernels running the same pipeline on the same grid) is kept in the samples but left out of the totals";
  assert.equal(noteOf("cpu"), `1 time sample ${tail}`);
  assert.equal(noteOf("webgpu"), `1 GPU time sample ${tail}`);
});
