// With Dawn's timestamp quantization kept (JITSCOPE_TIMESTAMP_QUANTIZATION=1, as a browser rounds
// GPU timestamps to 65.5 µs), a kernel shorter than a tick is measured in batches: 16
// back-to-back dispatches in one timestamped span, divided by 16 (backend/timingPolicy.ts). By
// default the runtime turns the quantization off and no kernel on lavapipe is below a tick, so
// this path needs its own process.
import "./quantizedTimestamps.js";
import "./timeEveryDispatch.js";
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { webgpuOrSkip } from "../ops/harness.js";

test("on WebGPU with quantized timestamps: a kernel shorter than a tick is measured in batches of 16 back-to-back dispatches, and its result is unchanged", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const prev = config({ backend: "webgpu" });
  const busiestAdd = (r: ReturnType<typeof live.builder.build>) =>
    r.kernels
      .filter((k) => k.ops.includes("add") && k.mode === "eager" && k.dispatch[0] === 1)
      .sort((a, b) => b.dispatches - a.dispatches)[0];
  let report!: ReturnType<typeof live.builder.build>;
  try {
    let x = np.zeros([64]);
    let adds = 0;
    // Rounds of 400 until a batched sample has landed: a sample stretched past one tick by another
    // process's burst restarts the run of sub-tick samples that batching waits for.
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 400; i++) {
        x = np.add(x, 1);
        adds++;
        // Yield now and then so timestamps land and the policy learns the kernel is below a tick.
        if (i % 8 === 7) await x.blockUntilReady();
      }
      await x.blockUntilReady();
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 50));
      report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
      if ((busiestAdd(report)?.batch?.samples ?? 0) > 0) break;
    }
    const data = await x.data();
    assert.ok(
      data.every((v) => v === adds),
      `every element is ${adds} (batched dispatches rewrite the same output): ${data[0]}`,
    );
  } finally {
    config(prev);
  }
  assert.ok(
    report.device.timestampQuery,
    "the adapter has timestamp queries (lavapipe does): batches are timed with them",
  );
  const add = busiestAdd(report)!;
  assert.ok(add, report.kernels.map((k) => k.name).join());
  assert.ok(
    add.batch && add.batch.size === 16 && add.batch.samples > 0,
    `batched samples: ${JSON.stringify(add.batch)} of ${add.gpuTimesNs.length}`,
  );
  assert.ok(
    report.device.notes.some((n) =>
      /shorter than a timestamp tick: .* spans 16 back-to-back dispatches, divided by 16/.test(n),
    ),
    report.device.notes.join("\n"),
  );
  // A batched sample is a whole number of ticks / 16: finer than one tick. The report reads the
  // tick off single samples; on a fast GPU (an H200) they are all 0 or one tick, one distinct
  // value, and it is left unknown: then the tick is Dawn's quantum, 65,536 ns.
  const tick = report.device.timestampTickNs ?? 65_536;
  assert.ok(
    add.gpuTimesNs.some((v) => v > 0 && v < tick) || add.gpuTimesNs.every((v) => v % (tick / 16) === 0),
    JSON.stringify(add.gpuTimesNs),
  );
});
