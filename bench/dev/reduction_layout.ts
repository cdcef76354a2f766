// Dev measurement: a workgroup's loop over a long reduction, in the two layouts lowerReduction.ts
// and lowerPartialReduction.ts emit: lanes a workgroup apart (what a GPU gets) and each run of 8
// lanes over its own part of the row (what a CPU adapter gets: lavapipe runs a workgroup's SIMD
// batches of 8 lanes one after another, so the first layout reads 8 vec4s of every 64 per batch).
// Whole-array sums of 2^22 f32, as one workgroup (a CPU adapter's default) and split over 256
// workgroups (first stage only), interleaved in one process; each result checked against the host.
//   node --import tsx bench/dev/reduction_layout.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerGroup } from "../../runtime/src/codegen/lowerGroup.js";
import { forceSoftwareAdapter } from "../../runtime/src/codegen/subgroupSupport.js";
import { setSplitMinElements } from "../../runtime/src/passes/fuseSplitReductions.js";
import { jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { storageBuffer } from "../handKernels.js";
import { median } from "../measure.js";
import { timedDispatches } from "./timedDispatches.js";

const rounds = Number(process.argv[2] ?? 9);
const N = 1 << 22;
const ctx = await acquireDevice();
const { device } = ctx;
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const want = xs.reduce((a, v) => a + v, 0);
const X = storageBuffer(device, xs);
const out = device.createBuffer({ size: 1024, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
const staging = device.createBuffer({ size: 1024, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });

const kernels: { name: string; run: (n: number) => Promise<number>; check: () => Promise<number>; ms: number[] }[] = [];
for (const split of [false, true]) {
  setSplitMinElements(split ? 1 : Infinity);
  const lowered = await jit((v: ConcreteArray) => np.sum(v) as ConcreteArray).lower(np.array(xs) as ConcreteArray);
  const group = lowered.schedule.groups[0]!;
  for (const software of [false, true]) {
    const was = forceSoftwareAdapter(software);
    const spec = lowerGroup(group);
    forceSoftwareAdapter(was);
    const [gx] = spec.dispatch;
    const run = timedDispatches(device, wait, { ...spec, code: spec.wgsl, grid: spec.dispatch }, [X, out]);
    const check = async () => {
      await run(1);
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(out, 0, staging, 0, 1024);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const partials = new Float32Array(staging.getMappedRange().slice(0, gx * 4));
      staging.unmap();
      return partials.reduce((a, v) => a + v, 0);
    };
    const layout = software ? "runs of 8 lanes" : "lanes a workgroup apart";
    kernels.push({ name: `${split ? `${gx} workgroups` : "one workgroup"}, ${layout}`, run, check, ms: [] });
  }
}
for (const k of kernels) {
  const got = await k.check();
  if (!(Math.abs(got - want) <= 1e-5 * N)) throw new Error(`${k.name}: sum ${got}, want ${want}`);
}
for (let r = 0; r < rounds; r++) for (const k of r % 2 ? [...kernels].reverse() : kernels) k.ms.push(await k.run(5));
console.log(`${ctx.description}: sum of 2^22 f32, ${rounds} rounds of 5 dispatches (first stage only when split)`);
for (const k of kernels)
  console.log(
    `  ${k.name.padEnd(42)} ${median(k.ms).toFixed(3).padStart(7)} ms  (${Math.min(...k.ms).toFixed(3)}–${Math.max(...k.ms).toFixed(3)})`,
  );
process.exit(0);
