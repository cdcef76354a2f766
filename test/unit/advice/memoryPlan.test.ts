// The memory plan in the report (Compilation.memory) and live array bytes over time
// (timeline.liveBytes), with byte counts and lifetimes worked out by hand for a small program.
import { fake } from "../jit/fakeRecorder.js";
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { np, config, lax } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

type NdArray = Tracer;
import { webgpuOrSkip } from "../ops/harness.js";
import { liveAt } from "../../../runtime/src/passes/memoryLifetimes.js";
import { LIVE_BYTES_LIMIT, LiveBytesTrack } from "../../../runtime/src/profile/liveBytes.js";
import { ReportBuilder } from "../../../runtime/src/profile/reportBuilder.js";
import { baseName, formatBytes, validateReport } from "@jitscope/contract";
import { renderHtmlReport } from "../../../runtime/src/profile/html.js";

config({ backend: "cpu" });
const here = new URL(import.meta.url).pathname;

// x [4,3] 48 B, params.w1 [3,8] 96 B, params.w2 [8,2] 64 B, the captured bias [2] 8 B.
// k0 = tanh(x @ w1) → h [4,8] 128 B, read by k1; k1 = h @ w2 + bias → y [4,2] 32 B, read by k2;
// k2 = sum(y) → the output, 4 B. Inputs and the constant are live at every step (216 B).
// step 0: 216 + h = 344; step 1: 216 + h + y = 376; step 2: 216 + y + out = 252 → peak 376 at 1.
const source = readFileSync(here, "utf8").split("\n");
const lineOf = (text: string): number => source.findIndex((l) => l.includes(text) && !l.includes("lineOf")) + 1;
const LINE_H = lineOf("const h = np.tanh(");
const LINE_Y = lineOf("const y = np.add(np.matmul(h");
const LINE_S = lineOf("return np.sum(y);");
function makeNet(): (params: { w1: NdArray; w2: NdArray }, x: NdArray) => NdArray {
  const bias = np.array([0.5, -0.5]);
  return (params, x) => {
    const h = np.tanh(np.matmul(x, params.w1));
    const y = np.add(np.matmul(h, params.w2), bias);
    return np.sum(y);
  };
}

function planOf(backend: "cpu" | "webgpu") {
  const prev = config({ backend });
  try {
    const net = jit(makeNet(), { name: `net_${backend}` });
    net({ w1: np.ones([3, 8]), w2: np.ones([8, 2]) }, np.ones([4, 3]));
    const c = fake.compilations.find((x) => x.functionName === `net_${backend}`)!;
    return c;
  } finally {
    config(prev);
  }
}

function checkPlan(c: ReturnType<typeof planOf>): void {
  const m = c.memory!;
  assert.equal(m.steps, 3);
  const rows = m.buffers.map((b) => [b.kind, b.label, b.bytes, b.start, b.end, b.location?.line ?? null]);
  const [k0, k1, k2] = c.kernels;
  const name = (id: string | undefined): string => fake.kernels.find((k) => k.id === id)!.name;
  assert.deepEqual(rows, [
    ["input", "params.w1", 96, 0, 2, null],
    ["input", "params.w2", 64, 0, 2, null],
    ["input", "x", 48, 0, 2, null],
    ["constant", "constant f32[2]", 8, 0, 2, null],
    ["intermediate", name(k0), 128, 0, 1, LINE_H],
    ["intermediate", name(k1), 32, 1, 2, LINE_Y],
    ["output", name(k2), 4, 2, 2, LINE_S],
  ]);
  for (const b of m.buffers) if (b.location) assert.equal(b.location.file, here);
  assert.equal(m.peakBytes, 376);
  assert.equal(m.peakStep, 1);
  assert.deepEqual(
    liveAt(m, m.peakStep).map((b) => b.bytes),
    [128, 96, 64, 48, 32, 8],
  );
  // The allocation (reused slots sized for their largest value) is at least the live peak.
  assert.ok(c.peakBytes >= m.peakBytes);
}

test("CPU: the memory plan lists inputs by argument path, each buffer's bytes, lifetime in steps and source line, and the peak step", () => {
  checkPlan(planOf("cpu"));
});

test("WebGPU: the same program gets the same memory plan", async (t: TestContext) => {
  if (!(await webgpuOrSkip(t))) return;
  checkPlan(planOf("webgpu"));
});

for (const recurrence of [false, true])
  test(`a scan counts as one step: its outputs are buffers written at that step, labelled ${recurrence ? "by its recurrence kernel" : "scan when it runs as a loop"}`, () => {
    const prev = config({ disabledPasses: recurrence ? [] : ["recurrence"] });
    try {
      const name = `scanned_${recurrence}`;
      const f = jit(
        (xs: NdArray) => {
          const [carry, ys] = lax.scan(
            (c: NdArray, x: NdArray) => [np.add(c, x), np.multiply(c, 2)],
            np.zeros([4]),
            xs,
          );
          return np.add(np.sum(ys), np.sum(carry));
        },
        { name },
      );
      f(np.ones([5, 4]));
      const c = fake.compilations.find((x) => x.functionName === name)!;
      const m = c.memory!;
      const kernel = fake.kernels.find((k) => k.id.startsWith(`${c.id}/`) && k.name === "scan_add_mul");
      assert.equal(Boolean(kernel), recurrence, "a recurrence kernel exactly when recurrences are on");
      const label = recurrence ? "scan_add_mul" : "scan";
      const scan = m.buffers.filter((b) => b.label === label);
      assert.ok(scan.length >= 1, `the scan's outputs are labelled ${label}`);
      const steps = new Set(scan.map((b) => b.start));
      assert.equal(steps.size, 1, "all of the scan's outputs are written at one step");
      assert.ok(m.steps >= 2);
    } finally {
      config({ disabledPasses: prev.disabledPasses });
    }
  });

function eagerLiveDeltas(): number[] {
  const before = fake.live.length;
  const base = fake.live[before - 1] ?? 0;
  const x = np.ones([4, 8]); // 128 B
  const y = np.exp(x); // 128 B
  x.dispose();
  y.dispose();
  return fake.live.slice(before).map((b) => b - base);
}

test("CPU: eager arrays report their live bytes as they are allocated and disposed", () => {
  assert.deepEqual(eagerLiveDeltas().slice(-4), [128, 256, 128, 0]);
});

test("WebGPU: eager arrays report their live bytes as they are allocated and disposed", async (t: TestContext) => {
  if (!(await webgpuOrSkip(t))) return;
  const prev = config({ backend: "webgpu" });
  try {
    assert.deepEqual(eagerLiveDeltas().slice(-4), [128, 256, 128, 0]);
  } finally {
    config(prev);
  }
});

test("the report's live-bytes track keeps every sample of a short run, with the run's time offset", () => {
  const b = new ReportBuilder();
  b.timeOffsetMs = 10;
  for (const [t, bytes] of [
    [1, 128],
    [2, 256],
    [3, 128],
    [3, 64],
  ] as const)
    b.apply({ e: "live", t, bytes });
  const r = b.build({ script: "s.ts", status: "completed", wallMs: 20 });
  assert.deepEqual(r.timeline.liveBytes, [
    { t: 11, bytes: 128 },
    { t: 12, bytes: 256 },
    { t: 13, bytes: 128 },
  ]);
  assert.deepEqual(validateReport(JSON.parse(JSON.stringify(r))).timeline.liveBytes, r.timeline.liveBytes);
});

test("a long run's live bytes are merged to at most LIVE_BYTES_LIMIT points, keeping the peak", () => {
  const track = new LiveBytesTrack();
  const n = 5 * LIVE_BYTES_LIMIT + 17;
  for (let i = 0; i < n; i++) track.push(i, i === 12345 ? 1e9 : i % 100);
  const out = track.result();
  assert.ok(out.length <= LIVE_BYTES_LIMIT && out.length >= LIVE_BYTES_LIMIT / 2, `${out.length} points`);
  assert.equal(Math.max(...out.map((s) => s.bytes)), 1e9);
  assert.equal(out.find((s) => s.bytes === 1e9)!.t, 12345);
  for (let i = 1; i < out.length; i++) assert.ok(out[i]!.t > out[i - 1]!.t);
});

test("the HTML page without the panel bundle lists each function's peak, its step and the largest buffers live there", () => {
  const c = planOf("cpu");
  const b = new ReportBuilder();
  b.apply({ e: "compilation", c });
  const html = renderHtmlReport(b.build({ script: "s.ts", status: "completed", wallMs: 1 }), null);
  const [k0] = c.kernels;
  const name = fake.kernels.find((k) => k.id === k0)!.name;
  const file = baseName(here);
  assert.ok(
    html.includes(
      `<td>net_cpu</td><td>376 B</td><td>1 of 3</td><td>${formatBytes(c.peakBytes)}</td><td>${name} 128 B (${file}:${LINE_H}), params.w1 96 B, params.w2 64 B … 3 more</td>`,
    ),
    html.slice(html.indexOf("Memory")),
  );
});
