// A dev measurement's kernel: one compute pipeline over storage buffers bound 0…n−1, run as `n`
// dispatches in one submit and timed from the submit until the device is done (ms per dispatch).

import type { DeviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { median } from "../measure.js";

export interface KernelSource {
  readonly code: string;
  readonly entryPoint: string;
  readonly constants?: Record<string, number>;
  readonly grid: readonly number[];
}

/** `run(n)`: n dispatches of the kernel in one command buffer; resolves to ms per dispatch. */
export function timedDispatches(
  device: GPUDevice,
  wait: DeviceWaiter,
  k: KernelSource,
  buffers: readonly GPUBuffer[],
): (n: number) => Promise<number> {
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module: device.createShaderModule({ code: k.code }), entryPoint: k.entryPoint, constants: k.constants },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const [gx, gy, gz] = [k.grid[0] ?? 1, k.grid[1] ?? 1, k.grid[2] ?? 1];
  return async (n: number) => {
    const enc = device.createCommandEncoder();
    for (let i = 0; i < n; i++) {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(gx, gy, gz);
      pass.end();
    }
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await wait(() => device.queue.onSubmittedWorkDone());
    return (performance.now() - t0) / n;
  };
}

/** Runs every kernel once, then `rounds` rounds of `reps` dispatches each, the order reversed
 *  every other round, and prints each kernel's median ms per dispatch against the fastest. */
export async function rankKernels(
  title: string,
  kernels: readonly { readonly name: string; readonly run: (n: number) => Promise<number> }[],
  rounds: number,
  reps: number,
): Promise<void> {
  const ms = kernels.map(() => [] as number[]);
  for (const k of kernels) await k.run(1);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...kernels.keys()].reverse() : [...kernels.keys()];
    for (const i of order) ms[i]!.push(await kernels[i]!.run(reps));
  }
  const medians = ms.map(median);
  const best = Math.min(...medians);
  console.log(`${title}, ${rounds} rounds of ${reps} dispatches`);
  kernels.forEach((k, i) =>
    console.log(
      `  ${k.name.padEnd(26)} ${medians[i]!.toFixed(2).padStart(8)} ms  ${(best / medians[i]!).toFixed(3)}× the fastest`,
    ),
  );
}

/** `rounds` rounds over the kernels (order reversed every other round), each compiled anew every
 *  round (a fresh pipeline draw) and run once untimed (`afterFirst(i)` then, in round 0) before
 *  `reps` timed dispatches; returns each kernel's ms per dispatch, one per round. */
export async function drawnRounds(
  device: GPUDevice,
  wait: DeviceWaiter,
  sources: readonly KernelSource[],
  buffers: readonly GPUBuffer[],
  rounds: number,
  reps = 2,
  afterFirst?: (i: number) => Promise<void>,
): Promise<number[][]> {
  const ms: number[][] = sources.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...sources.keys()].reverse() : [...sources.keys()];
    for (const i of order) {
      const run = timedDispatches(device, wait, sources[i]!, buffers);
      await run(1);
      if (r === 0) await afterFirst?.(i);
      ms[i]!.push(await run(reps));
    }
  }
  return ms;
}
