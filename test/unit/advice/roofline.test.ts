import { test } from "node:test";
import assert from "node:assert/strict";
import type { DevicePeaks } from "@jitscope/contract";
import { classifyKernel, roofFloors, roofTimeMs } from "../../../runtime/src/advice/roofline.js";

// 10 GB/s = 10^7 bytes per ms; 20 GFLOP/s = 2·10^7 flops per ms; an empty dispatch 50 µs.
const peaks: DevicePeaks = {
  gbPerS: 10,
  gflopPerS: 20,
  dispatchUs: 50,
  timestampTickNs: 65536,
  source: "measured",
  measuredAt: "2026-11-30T00:00:00Z",
};

test("the floors are bytes at peak bandwidth, flops at peak rate and one dispatch, in ms", () => {
  const f = roofFloors({ bytesRead: 6e6, bytesWritten: 4e6, flops: 4e6 }, peaks);
  assert.equal(f.memoryMs, 1);
  assert.equal(f.computeMs, 0.2);
  assert.equal(f.latencyMs, 0.05);
  assert.equal(roofTimeMs({ bytesRead: 6e6, bytesWritten: 4e6, flops: 4e6 }, peaks), 1);
});

test("a copy of 8 MB taking 2 ms is memory bound at efficiency 0.4", () => {
  const c = classifyKernel({ bytesRead: 4e6, bytesWritten: 4e6, flops: 0 }, 2e6, peaks);
  assert.deepEqual(c, { bound: "memory", efficiency: 0.4 });
});

test("a matmul of 2·10^8 flops over 1 MB taking 20 ms is compute bound at efficiency 0.5", () => {
  const c = classifyKernel({ bytesRead: 6e5, bytesWritten: 4e5, flops: 2e8 }, 20e6, peaks);
  assert.deepEqual(c, { bound: "compute", efficiency: 0.5 });
});

test("a 4-element add taking 100 µs is latency bound at efficiency 0.5", () => {
  const c = classifyKernel({ bytesRead: 32, bytesWritten: 16, flops: 4 }, 100e3, peaks);
  assert.deepEqual(c, { bound: "latency", efficiency: 0.5 });
});
