// 100,000 small eager ops in a loop, the user freeing nothing: arrays nobody references give
// their storage back (FinalizationRegistry), so the backend's live and pooled storage stays bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import { arrayFromHost } from "../../../runtime/src/array.js";
import { bind1, lit, type Tracer } from "../../../runtime/src/trace/core.js";
import { currentBackend } from "../../../runtime/src/backend/select.js";
import { trackedStats } from "../../../runtime/src/arrayMemory.js";

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
