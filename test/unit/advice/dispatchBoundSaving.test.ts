// The dispatch-bound hint's saving, from a hand-built report and the runtime's dispatch facts:
// what jitting the line's eager ops would save is their GPU time or the host's time per dispatch
// times their count, never the span from the line's first dispatch to its last, which also holds
// whatever the program did in between (a busy wait, a jitted training loop).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KernelReport, Report } from "@jitscope/contract";
import { adviseReport } from "../../../runtime/src/advice/hints.js";
import type { AdviceFacts } from "../../../runtime/src/advice/adviceContext.js";
import { SCRIPT, sampleReport } from "../../fixtures/ext/sampleReport.js";

const LINE = 3;
/** Two tiny eager kernels of one line (`np.add(np.multiply(a, 2), 1)` on 4096 floats), each
 *  dispatched `n` times at `gpuUs` µs of GPU time per dispatch. */
function eagerKernel(id: string, op: string, n: number, gpuUs: number): KernelReport {
  return {
    id,
    name: `eager_${op}`,
    compilation: null,
    mode: "eager",
    wgsl: "",
    ops: [op],
    opIds: [],
    locations: [{ file: SCRIPT, line: LINE, column: op === "mul" ? 42 : 35 }],
    workgroupSize: [64, 1, 1],
    dispatch: [64, 1, 1],
    bytesRead: 16384,
    bytesWritten: 16384,
    flops: 4096,
    dispatches: n,
    gpuTimesNs: [gpuUs * 1e3],
    medianNs: gpuUs * 1e3,
    totalNs: n * gpuUs * 1e3,
    gbPerS: 0.5,
    gflopPerS: 0.06,
  };
}

function reportWith(kernels: KernelReport[]): Report {
  return { ...sampleReport(), kernels, functions: [], compilations: [], lines: {} };
}

/** `loops` eager loops of 300 iterations (mul then add, one enqueue every 0.1 ms), with `between`
 *  before the second: host time (ms) that dispatches nothing, or a jitted kernel's dispatches. */
function facts(between: { pauseMs: number; jitDispatches?: number }): AdviceFacts {
  const dispatches: { kernel: string; start: number }[] = [];
  let t = 0;
  const loop = () => {
    for (let i = 0; i < 300; i++) {
      dispatches.push({ kernel: "mul", start: t }, { kernel: "add", start: t + 0.1 });
      t += 0.2;
    }
  };
  loop();
  for (let i = 0; i < (between.jitDispatches ?? 0); i++) {
    dispatches.push({ kernel: "jit", start: t });
    t += between.pauseMs / between.jitDispatches!;
  }
  if (!between.jitDispatches) t += between.pauseMs;
  loop();
  return { syncs: [], dispatches, callPairs: [] };
}

const GPU_US = 50;
const HOST_MS_PER_DISPATCH = 0.1;
const DISPATCHES = 1200;

test("dispatch-bound: two eager loops of 600 dispatches around a 2000 ms busy wait save 120 ms (1200 × 0.1 ms host per dispatch), not the 2120 ms span", () => {
  const r = reportWith([eagerKernel("mul", "mul", 600, GPU_US), eagerKernel("add", "add", 600, GPU_US)]);
  const hints = adviseReport(r, facts({ pauseMs: 2000 }), null);
  assert.deepEqual(
    hints.map((h) => h.kind),
    ["dispatch-bound"],
  );
  const saving = hints[0]!.estimatedSavingMs;
  // The most jitting them could save: all their GPU time (1200 × 50 µs = 60 ms) and all the host's
  // time dispatching them (1200 × 0.1 ms = 120 ms), 180 ms; the estimate is the larger of the two.
  const gpuMs = (DISPATCHES * GPU_US) / 1e3;
  const hostMs = DISPATCHES * HOST_MS_PER_DISPATCH;
  assert.ok(saving <= gpuMs + hostMs, `saving ${saving} ms at most GPU ${gpuMs} + host ${hostMs} ms`);
  assert.ok(Math.abs(saving - Math.max(gpuMs, hostMs)) < 1e-6, `saving ${saving} ms = max(GPU, host) = 120 ms`);
  assert.match(hints[0]!.details!.at(-1)!, /100\.0 µs of host time per dispatch .* 120\.0 ms over 1200/);
});

test("dispatch-bound: an eager line called before and after a jitted loop of 5000 dispatches over 2000 ms saves 120 ms, not the span", () => {
  const jit: KernelReport = { ...eagerKernel("jit", "fused", 5000, 300), mode: "jit", compilation: "c0" };
  const r = reportWith([eagerKernel("mul", "mul", 600, GPU_US), eagerKernel("add", "add", 600, GPU_US), jit]);
  const [hint] = adviseReport(r, facts({ pauseMs: 2000, jitDispatches: 5000 }), null);
  assert.equal(hint?.kind, "dispatch-bound");
  assert.ok(Math.abs(hint.estimatedSavingMs - DISPATCHES * HOST_MS_PER_DISPATCH) < 1e-6, `${hint.estimatedSavingMs}`);
});

test("dispatch-bound: a loop whose GPU time exceeds its host time per dispatch saves its GPU time (1200 × 0.3 ms = 360 ms)", () => {
  const r = reportWith([eagerKernel("mul", "mul", 600, 300), eagerKernel("add", "add", 600, 300)]);
  const [hint] = adviseReport(r, facts({ pauseMs: 2000 }), null);
  assert.equal(hint?.kind, "dispatch-bound");
  assert.ok(Math.abs(hint.estimatedSavingMs - 360) < 1e-6, `${hint.estimatedSavingMs}`);
});
