// A driver that compiles a pipeline at its first dispatch (lavapipe) used to have that compile
// timed as the kernel's first sample. The command batch now encodes an empty indirect dispatch
// of each pipeline before its first timed dispatch: in the untimed pass, or with timestamps in a
// timestamped pass of its own (the driver's compile). These tests record what the batch encodes
// on a fake device.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CommandBatch } from "../../../runtime/src/backend/commandBatch.js";
import type { DispatchTimer, TimedPass } from "../../../runtime/src/backend/timing.js";
import type { BufferPool } from "../../../runtime/src/backend/bufferPool.js";

/** A device whose encoders log every command as a string; passes are numbered as begun. */
function recordingDevice() {
  const log: string[] = [];
  let passes = 0;
  let buffers = 0;
  const pass = (n: number, timed: boolean) => ({
    setPipeline: (p: { name: string }) => log.push(`pass${n}${timed ? "(timed)" : ""} setPipeline ${p.name}`),
    setBindGroup: (_i: number, _g: unknown, offsets?: number[]) =>
      log.push(`pass${n} setBindGroup${offsets ? ` [${offsets.join(",")}]` : ""}`),
    dispatchWorkgroups: (x: number) => log.push(`pass${n} dispatch ${x}`),
    dispatchWorkgroupsIndirect: (b: { id: number; size: number }, off: number) =>
      log.push(`pass${n} indirect buffer${b.id}(${b.size} bytes)+${off}`),
    end: () => log.push(`pass${n} end`),
  });
  const encoder = {
    beginComputePass: (d?: { timestampWrites?: unknown }) => pass(++passes, d?.timestampWrites !== undefined),
    copyBufferToBuffer() {},
    finish: () => ({}),
  };
  const device = {
    createCommandEncoder: () => encoder,
    createBuffer: (d: { size: number; usage: number }) => {
      log.push(`createBuffer ${d.size} bytes usage ${d.usage}`);
      return { id: ++buffers, size: d.size };
    },
    queue: { submit: () => log.push("submit") },
  };
  return { device: device as unknown as GPUDevice, log };
}

/** A timer that times every dispatch and resolves nothing; without timestamps for compiles. */
const timeEverything = {
  full: false,
  next: (): TimedPass => ({ timestampWrites: {} as GPUComputePassTimestampWrites, repeat: 1 }),
  nextCompile: () => undefined,
  resolve: () => null,
} as unknown as DispatchTimer;

const pool = { afterSubmit() {} } as unknown as BufferPool;
const pipeline = (name: string) => ({ name }) as unknown as GPUComputePipeline;
const group = {} as GPUBindGroup;
const timing = (kernelId: string) => ({ kernelId, startMs: 0 });

test("a pipeline's first timed dispatch follows an empty indirect dispatch (zero-filled 12-byte args) in an untimed pass; its second does not", () => {
  const { device, log } = recordingDevice();
  const batch = new CommandBatch(device, pool, timeEverything);
  const a = pipeline("A");
  batch.dispatch(a, group, [4, 1, 1], timing("ka"));
  batch.dispatch(a, group, [4, 1, 1], timing("ka"));
  batch.flush();
  assert.deepEqual(log, [
    "createBuffer 12 bytes usage 256", // INDIRECT, never written: reads (0, 0, 0)
    "pass1 setPipeline A",
    "pass1 setBindGroup",
    "pass1 indirect buffer1(12 bytes)+0",
    "pass1 end",
    "pass2(timed) setPipeline A",
    "pass2 setBindGroup",
    "pass2 dispatch 4",
    "pass2 end",
    "pass3(timed) setPipeline A",
    "pass3 setBindGroup",
    "pass3 dispatch 4",
    "pass3 end",
    "submit",
  ]);
  assert.equal(batch.primer.count, 1);
  assert.equal(batch.dispatches, 2); // the empty dispatch is not counted as a kernel dispatch
  assert.equal(batch.indirectDispatches, 0);
});

test("each new pipeline is primed once, with the dynamic offsets its timed dispatch binds, sharing one args buffer", () => {
  const { device, log } = recordingDevice();
  const batch = new CommandBatch(device, pool, timeEverything);
  batch.dispatch(pipeline("A"), group, [1, 1, 1], timing("ka"), [256]);
  batch.dispatch(pipeline("B"), group, [1, 1, 1], timing("kb"));
  batch.flush();
  const primes = log.filter((l) => l.includes("indirect"));
  assert.deepEqual(primes, ["pass1 indirect buffer1(12 bytes)+0", "pass3 indirect buffer1(12 bytes)+0"]);
  assert.ok(log.includes("pass1 setBindGroup [256]"), log.join("\n"));
  assert.equal(log.filter((l) => l.startsWith("createBuffer")).length, 1);
  assert.equal(batch.primer.count, 2);
});

test("without the profiler's timer nothing is primed: untimed dispatches share one pass as before", () => {
  const { device, log } = recordingDevice();
  const batch = new CommandBatch(device, pool, null);
  batch.dispatch(pipeline("A"), group, [2, 1, 1], timing("ka"));
  batch.dispatch(pipeline("B"), group, [3, 1, 1], timing("kb"));
  batch.flush();
  assert.deepEqual(log, [
    "pass1 setPipeline A",
    "pass1 setBindGroup",
    "pass1 dispatch 2",
    "pass1 setPipeline B",
    "pass1 setBindGroup",
    "pass1 dispatch 3",
    "pass1 end",
    "submit",
  ]);
  assert.equal(batch.primer.count, 0);
});

test("an indirect timed dispatch (a while_loop's body) is primed too, before its timed pass", () => {
  const { device, log } = recordingDevice();
  const batch = new CommandBatch(device, pool, timeEverything);
  const args = { id: 99, size: 12 } as unknown as GPUBuffer;
  batch.dispatchIndirect(pipeline("W"), group, args, 0, { ...timing("kw"), ran: Promise.resolve(true) });
  batch.flush();
  assert.deepEqual(
    log.filter((l) => l.includes("indirect")),
    ["pass1 indirect buffer1(12 bytes)+0", "pass2 indirect buffer99(12 bytes)+0"],
  );
  assert.ok(log.indexOf("pass1 end") < log.indexOf("pass2(timed) setPipeline W"));
  assert.equal(batch.indirectDispatches, 1);
});

test("with timestamps, a pipeline's empty first dispatch gets a timestamped pass of its own, registered as the driver's compile of that kernel at its dispatch's start", () => {
  const { device, log } = recordingDevice();
  const compiles: string[] = [];
  const timer = {
    ...timeEverything,
    nextCompile: (kernelId: string, startMs: number) => {
      compiles.push(`${kernelId}@${startMs}`);
      return {} as GPUComputePassTimestampWrites;
    },
  } as unknown as DispatchTimer;
  const batch = new CommandBatch(device, pool, timer);
  const a = pipeline("A");
  batch.dispatch(a, group, [4, 1, 1], { kernelId: "ka", startMs: 7 });
  batch.dispatch(a, group, [4, 1, 1], { kernelId: "ka", startMs: 9 });
  batch.flush();
  assert.deepEqual(compiles, ["ka@7"], "one compile, for the pipeline's first dispatch");
  assert.deepEqual(log.slice(1, 5), [
    "pass1(timed) setPipeline A",
    "pass1 setBindGroup",
    "pass1 indirect buffer1(12 bytes)+0",
    "pass1 end",
  ]);
  assert.equal(log.filter((l) => l.includes("indirect")).length, 1);
  assert.equal(batch.dispatches, 2);
});
