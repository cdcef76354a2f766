// What recording a compiled call's dispatches costs the profiled program's thread, one event per
// dispatch against one event per call (backend/timing.ts `beginRun`): the timer and the recorder
// as a profiled run has them (journal on disk, its batches formatted and written), on a device
// that is never waited for, so only the host's bookkeeping is timed. Calls of 7 kernels (the MLP
// step) and of 77 (the LM fixture's training step); after each kernel's warm-up, none is timed.
// Run: node --expose-gc --import tsx bench/dev/dispatch_runs.ts [calls]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DispatchTimer } from "../../runtime/src/backend/timing.js";
import { TimingPolicy } from "../../runtime/src/backend/timingPolicy.js";
import { JournalWriter } from "../../runtime/src/profile/journal.js";
import { createRecorder } from "../../runtime/src/profile/recorder.js";
import { median } from "../../runtime/src/profile/stats.js";

const calls = Number(process.argv[2] ?? 20_000);
const device = {
  createQuerySet: () => ({ destroy() {} }),
  createBuffer: () => ({ mapAsync: () => new Promise<void>(() => {}), destroy() {}, unmap() {} }),
  queue: { onSubmittedWorkDone: () => new Promise<void>(() => {}) },
} as unknown as GPUDevice;
const encoder = { resolveQuerySet() {}, copyBufferToBuffer() {} } as unknown as GPUCommandEncoder;
const dir = mkdtempSync(join(tmpdir(), "jitscope-runs-"));

/** µs of the thread's time per call (median of 9 blocks), and the journal's bytes per call. */
function time(kernels: number, asRun: boolean, round: number): { us: number; bytes: number } {
  const file = join(dir, `j-${kernels}-${asRun}-${round}.jsonl`);
  const rec = createRecorder(new JournalWriter(file));
  const timer = new DispatchTimer(device, rec, true, new TimingPolicy({ mode: "sampled", costNs: 1e15 }));
  const ids = Array.from({ length: kernels }, (_, k) => `c0/k${k}`);
  const block = (n: number, first: number): void => {
    for (let c = 0; c < n; c++) {
      const callId = first + c;
      if (asRun) timer.beginRun(callId);
      for (const id of ids) timer.next(id, rec.now(), callId);
      if (asRun) timer.endRun();
      timer.resolve(encoder)?.();
    }
  };
  block(16, 0); // each kernel's warm-up (timed, readbacks never land), then the JIT settles
  const per: number[] = [];
  const n = Math.max(1, Math.floor(calls / 9));
  for (let b = 0; b < 9; b++) {
    globalThis.gc?.();
    const t0 = performance.now();
    block(n, 16 + b * n);
    rec.flush();
    per.push(((performance.now() - t0) * 1000) / n);
  }
  rec.flush();
  return { us: median(per), bytes: statSync(file).size / (16 + 9 * n) };
}

try {
  for (const kernels of [7, 77]) {
    const each: number[] = [];
    const runs: number[] = [];
    let bytes = { each: 0, runs: 0 };
    for (let round = 0; round < 5; round++) {
      const a = time(kernels, round % 2 === 1, round);
      const b = time(kernels, round % 2 === 0, round);
      const [e, r] = round % 2 === 1 ? [b, a] : [a, b];
      each.push(e.us);
      runs.push(r.us);
      bytes = { each: e.bytes, runs: r.bytes };
    }
    console.log(
      `${kernels} kernels a call: one event per dispatch ${median(each).toFixed(2)} µs a call ` +
        `(${each.map((v) => v.toFixed(1)).join(", ")}), one per call ${median(runs).toFixed(2)} µs ` +
        `(${runs.map((v) => v.toFixed(1)).join(", ")}); journal ${bytes.each.toFixed(0)} → ${bytes.runs.toFixed(0)} bytes a call`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
