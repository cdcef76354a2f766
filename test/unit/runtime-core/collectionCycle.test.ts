// Arrays nobody references come back when V8 collects them: how much unreferenced storage may
// pile up first (collectFloorBytes), and a buffer pool that keeps what one collection cycle
// brings back, so a loop that drops its outputs reuses buffers instead of allocating them.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Backend, DeviceArray } from "../../../runtime/src/backend/backend.js";
import { BufferPool, collectFloorBytes } from "../../../runtime/src/backend/bufferPool.js";

const MiB = 1024 * 1024;

/** A device whose buffers only record their size and whether they were destroyed. */
function fakeDevice(): { device: GPUDevice; created: { size: number; destroyed: boolean }[] } {
  const created: { size: number; destroyed: boolean }[] = [];
  const device = {
    createBuffer({ size }: { size: number }) {
      const b = {
        size,
        destroyed: false,
        destroy() {
          b.destroyed = true;
        },
      };
      created.push(b);
      return b;
    },
  } as unknown as GPUDevice;
  return { device, created };
}

test("the collection floor is 256 MiB, or JITSCOPE_COLLECT_MIB when that is a positive number", () => {
  assert.equal(collectFloorBytes(), 256 * MiB);
  assert.equal(collectFloorBytes({ JITSCOPE_COLLECT_MIB: "16" }), 16 * MiB);
  assert.equal(collectFloorBytes({ JITSCOPE_COLLECT_MIB: "lots" }), 256 * MiB);
  assert.equal(collectFloorBytes({ JITSCOPE_COLLECT_MIB: "0" }), 256 * MiB);
});

test("a 1 MiB bucket keeps a 64 MiB cycle's 64 buffers, and reuses them all", () => {
  const { device, created } = fakeDevice();
  const pool = new BufferPool(device, 256 * MiB, 64 * MiB);
  const first = Array.from({ length: 80 }, () => pool.acquire(MiB));
  for (const b of first) pool.release(b);
  pool.afterSubmit();
  assert.equal(pool.stats().pooledBuffers, 64);
  assert.equal(created.filter((b) => b.destroyed).length, 16);
  const second = Array.from({ length: 80 }, () => pool.acquire(MiB));
  assert.equal(created.length, 96, "64 buffers reused, 16 created afresh");
  assert.equal(new Set(second).size, 80);
});

test("without a cycle size a 1 MiB bucket keeps 32 buffers; small buckets keep 256 either way", () => {
  const { device } = fakeDevice();
  const pool = new BufferPool(device, 256 * MiB, 0);
  for (const b of Array.from({ length: 40 }, () => pool.acquire(MiB))) pool.release(b);
  for (const b of Array.from({ length: 300 }, () => pool.acquire(1024))) pool.release(b);
  pool.afterSubmit();
  assert.equal(pool.stats().pooledBuffers, 32 + 256);

  const cycled = new BufferPool(fakeDevice().device, 256 * MiB, 64 * MiB);
  for (const b of Array.from({ length: 300 }, () => cycled.acquire(1024))) cycled.release(b);
  cycled.afterSubmit();
  assert.equal(cycled.stats().pooledBuffers, 256);
});

test("the pool's byte bound holds over a bucket's cycle share: 4 MiB × 64 for 256 MiB, no more", () => {
  const { device } = fakeDevice();
  const pool = new BufferPool(device, 256 * MiB, 512 * MiB);
  for (const b of Array.from({ length: 100 }, () => pool.acquire(4 * MiB))) pool.release(b);
  pool.afterSubmit();
  assert.equal(pool.stats().pooledBytes, 256 * MiB);
  assert.equal(pool.stats().pooledBuffers, 64);
});

test("with JITSCOPE_COLLECT_MIB=8 the runtime collects once 8 MiB are live, then at twice the survivors", async () => {
  process.env.JITSCOPE_COLLECT_MIB = "8";
  const { track, trackedStats } = await import("../../../runtime/src/arrayMemory.js");
  const stub = { name: "cpu", free() {} } as unknown as Backend;
  const megabyte = (): DeviceArray => ({ backend: "cpu", aval: { shape: [MiB / 4], dtype: "float32" } });
  const owners: object[] = [];
  const keep = (): void => {
    const owner = {};
    owners.push(owner);
    track(owner, stub, megabyte());
  };
  const before = trackedStats().collections;
  for (let i = 0; i < 7; i++) keep();
  assert.equal(trackedStats().collections, before, "7 MiB live: no collection yet");
  keep();
  assert.equal(trackedStats().collections, before + 1, "8 MiB live: one collection");
  // Survivors set the next threshold: twice what is live.
  for (let i = 0; i < 7; i++) keep();
  assert.equal(trackedStats().collections, before + 1, "15 MiB live, under twice the 8 that survived");
  keep();
  assert.equal(trackedStats().collections, before + 2, "16 MiB live: the next collection");
  assert.equal(owners.length, 16);
});
