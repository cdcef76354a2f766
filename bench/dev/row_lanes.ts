// Row kernels (codegen/lowerRowLocal.ts) with a subgroup per row against a thread per row
// (rowConfig.ts: lanes 1), for log-softmax and layer norm over rows of 4 to 128 values, each
// kernel's result checked against a float64 reference on the host first, then timed in
// interleaved rounds. Not a test: timings depend on the machine's load.
//   node --import tsx bench/dev/row_lanes.ts [RxC,RxC,...] [rounds]

import { currentBackend, jit, nn, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerRowLocal } from "../../runtime/src/codegen/lowerRowLocal.js";
import { defaultRowConfig } from "../../runtime/src/codegen/rowConfig.js";
import { rowLanes, rowsPerWorkgroup } from "../../runtime/src/codegen/subgroupSupport.js";
import { storageBuffer } from "../handKernels.js";
import { rankKernels, timedDispatches } from "./timedDispatches.js";

type A = ConcreteArray;
const gpu = currentBackend() as WebGpuBackend;
const device = gpu.device;
const wait = deviceWaiter(deviceWaitMode(true, process.env));
const shapes = (process.argv[2] ?? "512x4,128x10,4096x16,2048x32,1024x64,256x128")
  .split(",")
  .map((t) => t.split("x").map(Number) as [number, number]);
const rounds = Number(process.argv[3] ?? 7);

const programs: Record<string, { f: (x: A) => A; ref: (row: number[]) => number[] }> = {
  "log-softmax": {
    f: (x) => nn.logSoftmax(x, -1) as A,
    ref: (row) => {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
      return row.map((v) => v - lse);
    },
  },
  "layer norm": {
    f: (x) => {
      const c = np.subtract(x, np.mean(x, -1, { keepdims: true }));
      return np.divide(c, np.sqrt(np.add(np.mean(np.square(c), -1, { keepdims: true }), 1e-5))) as A;
    },
    ref: (row) => {
      const mean = row.reduce((a, v) => a + v, 0) / row.length;
      const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
      return row.map((v) => (v - mean) / Math.sqrt(variance + 1e-5));
    },
  },
};

async function readBuffer(buf: GPUBuffer, n: number): Promise<Float32Array> {
  const staging = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buf, 0, staging, 0, n * 4);
  device.queue.submit([enc.finish()]);
  await wait(() => staging.mapAsync(GPUMapMode.READ));
  return new Float32Array(staging.getMappedRange().slice(0));
}

for (const [R, C] of shapes) {
  for (const [name, { f, ref }] of Object.entries(programs)) {
    const host = Float32Array.from({ length: R * C }, (_, i) => Math.sin(i * 0.37) * 3);
    const want = Array.from({ length: R }, (_, r) => ref(Array.from(host.subarray(r * C, (r + 1) * C)))).flat();
    const lowered = await jit(f).lower(np.reshape(np.array(host), [R, C]) as A);
    const group = lowered.schedule.groups.find((g) => g.kind === "row");
    if (!group || group.outputs.length !== 1) throw new Error(`${name} [${R},${C}]: not one row kernel`);
    const kernels = [];
    for (const lanes of [rowLanes(), 1]) {
      const config = { ...defaultRowConfig(C), lanes, rowsPerWorkgroup: lanes === 1 ? 64 : rowsPerWorkgroup() };
      const spec = lowerRowLocal(group, rowLanes(), undefined, config);
      const out = device.createBuffer({ size: R * C * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const run = timedDispatches(device, wait, { code: spec.wgsl, entryPoint: spec.entryPoint, grid: spec.dispatch }, [
        storageBuffer(device, host),
        out,
      ]);
      await run(1);
      const got = await readBuffer(out, R * C);
      const err = Math.max(...Array.from(got, (g, i) => Math.abs(g - want[i]!) / (1 + Math.abs(want[i]!))));
      if (!(err < 1e-4)) throw new Error(`${name} [${R},${C}] with ${lanes} lanes per row: error ${err}`);
      kernels.push({ name: lanes === 1 ? "a thread per row" : `a subgroup of ${lanes} lanes per row`, run });
    }
    await rankKernels(`${name} [${R},${C}]`, kernels, rounds, 20);
  }
}
process.exit(0);
