// A while_loop run eagerly on WebGPU (its predicate lives on the device) is compiled like a
// one-equation program. Repeating it, as a script's outer loop does, reuses that executable: one
// compile, and the memory it holds stays where it was after the first call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { currentBackend } from "../../../runtime/src/backend/select.js";
import { eagerLoopCompilations } from "../../../runtime/src/backend/eagerLoop.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

type T = Tracer;
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
/** Collects unreachable eager arrays (freed by their finalizers) and lets the finalizers run. */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
}
/** z ← z² + 1 until max z ≥ 100. */
const grow = (z: T): T =>
  lax.while_loop(
    (a: T) => np.less(np.max(a), 100),
    (a: T) => np.add(np.multiply(a, a), 1),
    z,
  );
const byHand = (z: number[]): number[] => {
  while (Math.max(...z) < 100) z = z.map((v) => v * v + 1);
  return z;
};

test("WebGPU: an eager while_loop called 12 times compiles once, equals a JS loop each time, and holds no more memory", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  await onBackend("webgpu", async () => {
    const backend = currentBackend();
    const first = grow(np.array([1, 2, 0.5]));
    assert.deepEqual(Array.from(await first.data()), byHand([1, 2, 0.5]));
    first.dispose();
    const compiled = eagerLoopCompilations();
    await collect();
    const before = backend.stats!();
    for (let step = 0; step < 12; step++) {
      const start = [1 + step / 4, 0.5, 1.5];
      const z = grow(np.array(start));
      const got = Array.from(await z.data());
      byHand(start).forEach((v, i) =>
        assert.ok(Math.abs(got[i]! - v) <= 1e-5 * v, `call ${step}: z[${i}] ${got[i]} vs ${v}`),
      );
      z.dispose();
    }
    assert.equal(eagerLoopCompilations(), compiled, "the same loop program reuses its executable");
    await collect();
    const after = backend.stats!();
    // The pool may keep freed buffers for reuse (bounded by its own policy); what is held must not grow.
    assert.ok(
      after.liveBytes <= before.liveBytes + 1024,
      `memory held grew: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
    );
  });
});
