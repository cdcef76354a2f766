// How the wait for the device changes what a kernel costs: the best hand matmul kernel, and the
// jit's matmul, each waited for with Dawn's busy polling ("spin") and with backend/deviceWait.ts'
// sleeping polls ("sleep"), interleaved, medians of several rounds. On a software adapter the
// polling takes a core from the kernels. Not a test: timings depend on the machine's load.
//   node --import tsx bench/dev/device_wait.ts [--rounds 7] [--shapes 1024x1024x1024,128x784x256]

import { waitForDevice, type DeviceWaitMode } from "../../runtime/src/backend/deviceWait.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { handKernel, storageBuffer } from "../handKernels.js";
import { matmulGrid, matmulWgsl } from "../matmulKernel.js";
import { median } from "../measure.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const rounds = Number(arg("--rounds", "7"));
const shapes = arg("--shapes", "1024x1024x1024,128x784x256")
  .split(",")
  .map((s) => s.split("x").map(Number) as [number, number, number]);

const gpu = currentBackend() as WebGpuBackend;
if (gpu.name !== "webgpu") throw new Error(`needs the WebGPU backend (got ${gpu.name})`);
const device = gpu.device;
console.log(`${gpu.description}; the runtime's own mode here: ${gpu.waitMode}`);
const modes: DeviceWaitMode[] = ["spin", "sleep"];

for (const [m, k, n] of shapes) {
  const a = Float32Array.from({ length: m * k }, (_, i) => ((i * 31) % 97) / 97 - 0.5);
  const b = Float32Array.from({ length: k * n }, (_, i) => ((i * 17) % 89) / 89 - 0.5);
  const block = { rows: 4, cols4: 2, wx: 8, wy: 8 };
  const hand = handKernel(
    device,
    matmulWgsl(block),
    [storageBuffer(device, a), storageBuffer(device, b)],
    m * n * 4,
    matmulGrid(block, m, n),
    { M: m, N: n, K: k },
  );
  const [ua, va] = [np.reshape(np.array(a), [m, k]) as ConcreteArray, np.reshape(np.array(b), [k, n]) as ConcreteArray];
  const f = jit((u: np.ArrayLike, v: np.ArrayLike) => np.matmul(u, v));
  let last = f(ua, va) as ConcreteArray;
  await last.blockUntilReady();
  const iters = m * n * k > 1e8 ? 3 : 20;
  const contenders = modes.flatMap((mode) => [
    {
      name: `hand 4×8, ${mode}`,
      run: async () => {
        for (let i = 0; i < iters; i++) hand.submit();
        await waitForDevice(mode, () => device.queue.onSubmittedWorkDone());
      },
    },
    {
      name: `jit, ${mode}`,
      run: async () => {
        for (let i = 0; i < iters; i++) {
          last.dispose();
          last = f(ua, va) as ConcreteArray;
        }
        gpu.flush();
        await waitForDevice(mode, () => device.queue.onSubmittedWorkDone());
      },
    },
  ]);
  const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r) % contenders.length]!;
      await device.queue.onSubmittedWorkDone();
      const t0 = performance.now();
      await c.run();
      times.get(c.name)!.push((performance.now() - t0) / iters);
    }
  }
  console.log(`\n${m}×${k} @ ${k}×${n}, ${rounds} rounds of ${iters}`);
  for (const [name, t] of times) {
    const ms = median(t);
    console.log(`${name.padEnd(20)} ${ms.toFixed(2)} ms  ${((2 * m * n * k) / ms / 1e6).toFixed(1)} GFLOP/s`);
  }
}
process.exit(0);
