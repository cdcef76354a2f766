// Loops whose user frees nothing: 100,000 small eager ops, and jit calls whose 4 MiB outputs are
// dropped. Arrays nobody references give their storage back (FinalizationRegistry) once the
// runtime has V8 collect, so the backend's live and pooled storage stays bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, np } from "../../../runtime/src/index.js";
import { arrayFromHost } from "../../../runtime/src/array.js";
import { bind1, lit, type Tracer } from "../../../runtime/src/trace/core.js";
import { currentBackend } from "../../../runtime/src/backend/select.js";
import { trackedStats } from "../../../runtime/src/arrayMemory.js";
import { COLLECT_FLOOR_ARRAYS, collectFloorBytes } from "../../../runtime/src/backend/bufferPool.js";

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

test("100,000 small ops keep the backend's storage bounded", async () => {
  const backend = currentBackend();
  if (!backend.stats) return assert.fail(`backend ${backend.name} has no stats()`);
  const start = backend.stats();
  const collectionsBefore = trackedStats().collections;
  let x: Tracer = arrayFromHost([0, 0, 0, 0], [4], "float32");
  let peak = 0;
  for (let i = 1; i <= 100_000; i++) {
    x = bind1("add", {}, [x, lit(1, "float32")]);
    if (i % 1000 === 0) {
      // Finalizers run between tasks: give the event loop a turn, as any real program does.
      await yieldToEventLoop();
      const s = backend.stats();
      peak = Math.max(peak, s.liveArrays - start.liveArrays + s.pooledBuffers - start.pooledBuffers);
    }
  }
  assert.deepEqual(await x.toArray(), [100_000, 100_000, 100_000, 100_000]);
  // Without freeing there would be 100,001 live arrays; a bounded pool stays far below.
  assert.ok(peak < 15_000, `peak live+pooled storage grew to ${peak} arrays`);
  // The runtime asked V8 for collections itself: tiny arrays alone never make V8 collect in time.
  assert.ok(trackedStats().collections > collectionsBefore);
});

test("30,000 small ops in a loop that never yields keep at most two collection cycles of arrays live", () => {
  // Finalizers run between tasks, and this loop never lets one run: the runtime runs them itself
  // right after each collection (arrayMemory.ts, V8's cleanupSome).
  const start = trackedStats();
  let x: Tracer = arrayFromHost([0, 0, 0, 0], [4], "float32");
  let peak = 0;
  for (let i = 1; i <= 30_000; i++) {
    x = bind1("add", {}, [x, lit(1, "float32")]);
    if (i % 500 === 0) peak = Math.max(peak, trackedStats().liveArrays - start.liveArrays);
  }
  // Without running them there would be 30,001 live arrays at the end.
  assert.ok(peak <= 2 * COLLECT_FLOOR_ARRAYS + 500, `${peak} arrays live at the peak`);
  assert.ok(trackedStats().collections >= start.collections + 2);
  return x.toArray().then((v) => assert.deepEqual(v, [30_000, 30_000, 30_000, 30_000]));
});

test("a loop that drops its 4 MiB outputs keeps live storage within the collection floor and a few outputs", async () => {
  const backend = currentBackend();
  if (!backend.stats) return assert.fail(`backend ${backend.name} has no stats()`);
  const floor = collectFloorBytes(process.env);
  const n = 1 << 20;
  const x = arrayFromHost(new Float32Array(n).fill(1), [n], "float32");
  const step = jit((v: np.ArrayLike) => np.add(np.multiply(v, 2), 1));
  const calls = floor / (4 * n) + 24;
  const collectionsBefore = trackedStats().collections;
  let peak = 0;
  let last: Tracer | null = null;
  for (let i = 0; i < calls; i++) {
    last = step(x) as Tracer;
    await last.blockUntilReady();
    peak = Math.max(peak, backend.stats().liveBytes);
  }
  assert.deepEqual(((await last!.data()) as Float32Array).slice(0, 2), new Float32Array([3, 3]));
  // Without collecting, `calls` outputs of 4 MiB would be live at the end.
  assert.ok(peak <= floor + 8 * 4 * n, `live storage peaked at ${(peak / 2 ** 20).toFixed(0)} MiB`);
  assert.ok(trackedStats().collections > collectionsBefore);
});
