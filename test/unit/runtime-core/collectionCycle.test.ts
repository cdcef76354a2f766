// Arrays nobody references come back when V8 collects them: how much unreferenced storage may
// pile up first (collectFloorBytes), and a buffer pool that keeps what one collection cycle
// brings back, so a loop that drops its outputs reuses buffers instead of allocating them.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Backend, DeviceArray } from "../../../runtime/src/backend/backend.js";
import { BufferPool, COLLECT_FLOOR_ARRAYS, collectFloorBytes } from "../../../runtime/src/backend/bufferPool.js";

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

test("without a cycle size a 1 MiB bucket keeps 32 buffers and a small bucket 256; with one, a small bucket keeps the cycle's 300", () => {
  const { device } = fakeDevice();
  const pool = new BufferPool(device, 256 * MiB, 0);
  for (const b of Array.from({ length: 40 }, () => pool.acquire(MiB))) pool.release(b);
  for (const b of Array.from({ length: 300 }, () => pool.acquire(1024))) pool.release(b);
  pool.afterSubmit();
  assert.equal(pool.stats().pooledBuffers, 32 + 256);

  const cycled = new BufferPool(fakeDevice().device, 256 * MiB, 64 * MiB);
  for (const b of Array.from({ length: 300 }, () => cycled.acquire(1024))) cycled.release(b);
  cycled.afterSubmit();
  assert.equal(cycled.stats().pooledBuffers, 300);
});

test("a loop of tiny arrays freed one collection cycle at a time (8,192 arrays of 16 KiB) creates the first cycle's buffers and reuses them for the next two", () => {
  const { device, created } = fakeDevice();
  const pool = new BufferPool(device, 256 * MiB, 256 * MiB);
  assert.equal(COLLECT_FLOOR_ARRAYS, 8192);
  for (let cycle = 0; cycle < 3; cycle++) {
    const live = Array.from({ length: COLLECT_FLOOR_ARRAYS }, () => pool.acquire(16 * 1024));
    for (const b of live) pool.release(b);
    pool.afterSubmit();
  }
  assert.equal(created.length, COLLECT_FLOOR_ARRAYS);
  assert.equal(created.filter((b) => b.destroyed).length, 0);
  assert.equal(pool.stats().pooledBytes, 128 * MiB);
});

test("a small bucket keeps no more than one cycle's count: 9,000 buffers of 256 B freed at once leave 8,192 pooled", () => {
  const { device, created } = fakeDevice();
  const pool = new BufferPool(device, 256 * MiB, 256 * MiB);
  for (const b of Array.from({ length: 9000 }, () => pool.acquire(256))) pool.release(b);
  pool.afterSubmit();
  assert.equal(pool.stats().pooledBuffers, COLLECT_FLOOR_ARRAYS);
  assert.equal(created.filter((b) => b.destroyed).length, 9000 - COLLECT_FLOOR_ARRAYS);
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
