// The jit's flat elementwise kernels (lowerElementwise.ts) at several vec4s per invocation, each
// as emitted with neighbouring vec4s (a loop bounded at run time), rewritten with the
// literal-bound loop the compiler emitted before, and interleaved over runs of 8 lanes, beside the bench's hand copy kernels, interleaved in one process: a scaled copy
// (memory-bound) and the chain of issue 16 (tanh and exp: compute-bound) over 2^20 and 2^22 floats.
// Not a test: timings depend on the machine's load.
//   [SIZES=18,20] node --import tsx bench/dev/elementwise_chunks.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerElementwise } from "../../runtime/src/codegen/lowerElementwise.js";
import type { ElementwiseConfig } from "../../runtime/src/codegen/elementwiseConfig.js";
import { jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { handKernel, storageBuffer } from "../handKernels.js";
import { median } from "../measure.js";

type A = ConcreteArray;
const rounds = Number(process.argv[2] ?? 9);
const ctx = await acquireDevice();
const { device } = ctx;
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));

const programs = {
  scale: (v: A) => np.multiply(v, 1.5) as A,
  chain: (v: A) =>
    np.subtract(np.multiply(np.tanh(np.add(np.multiply(v, 1.5), 0.5)), v), np.exp(np.negative(np.multiply(v, v)))) as A,
};
/** The loop as the compiler wrote it before: a literal trip count, the index from the counter. */
const literalLoop = (wgsl: string) =>
  wgsl.replace(
    /let end = min\(t \+ (\d+), (\d+)\);\n(\s*)for \(var i = t; i < end; i = i \+ 1\) \{/,
    (_, p: string, _u: string, pad: string) => `for (var u = 0; u < ${p}; u = u + 1) {\n${pad}  let i = t + u;`,
  );

// SIZES=18,20 picks the sizes as powers of two (default 2^20 and 2^22).
const sizes = (process.env.SIZES ?? "20,22").split(",").map((e) => 1 << Number(e));
for (const n of sizes) {
  const xs = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
  const x = storageBuffer(device, xs);
  for (const [name, f] of Object.entries(programs)) {
    const lowered = await jit(f).lower(np.array(xs) as A);
    const group = lowered.schedule.groups[0]!;
    const out = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const kernels: { name: string; run: (k: number) => Promise<number>; ms: number[] }[] = [];
    const add = (label: string, code: string, entryPoint: string, grid: readonly number[], bufs: GPUBuffer[]) => {
      const pipeline = device.createComputePipeline({
        layout: "auto",
        compute: { module: device.createShaderModule({ code }), entryPoint },
      });
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: bufs.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const run = async (k: number) => {
        const enc = device.createCommandEncoder();
        for (let i = 0; i < k; i++) {
          const pass = enc.beginComputePass();
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bindGroup);
          pass.dispatchWorkgroups(grid[0]!, grid[1]!, grid[2]!);
          pass.end();
        }
        const t0 = performance.now();
        device.queue.submit([enc.finish()]);
        await wait(() => device.queue.onSubmittedWorkDone());
        return (performance.now() - t0) / k;
      };
      kernels.push({ name: label, run, ms: [] });
    };
    for (const per of [4, 8, 16, 32, 64] as const) {
      const cfg: ElementwiseConfig = { vec: 4, perThread: per, wg: 64, interleaved: false };
      const spec = lowerElementwise(group, name, cfg);
      add(`jit ×${per}`, spec.wgsl, spec.entryPoint, spec.dispatch, [x, out]);
      const literal = literalLoop(spec.wgsl);
      if (literal === spec.wgsl) throw new Error("the jit's elementwise loop changed shape");
      add(`jit ×${per}, literal loop`, literal, spec.entryPoint, spec.dispatch, [x, out]);
      const inter = lowerElementwise(group, name, { ...cfg, interleaved: true });
      add(`jit ×${per} interleaved`, inter.wgsl, inter.entryPoint, inter.dispatch, [x, out]);
    }
    const file = name === "scale" ? "scale_copy.wgsl" : "chain_vec4.wgsl";
    for (const [wg, per, blocked, chunk, interleaved] of [
      [64, 4, 1, 0, 0],
      [64, 16, 0, 0, 0],
      [64, 16, 0, 1, 0],
      [64, 64, 0, 1, 0],
      [64, 32, 0, 0, 1],
      [64, 64, 0, 0, 1],
    ] as const) {
      const h = handKernel(device, file, [x], n * 4, [Math.ceil(n / 4 / wg / per), 1, 1], {
        WG: wg,
        PER: per,
        BLOCKED: blocked,
        CHUNK: chunk,
        INTERLEAVED: interleaved,
      });
      kernels.push({
        name: `hand ${file.replace(".wgsl", "")} wg${wg}×${per}${chunk ? "c" : blocked ? "b" : interleaved ? "i" : ""}`,
        run: async (k: number) => {
          const t0 = performance.now();
          h.submitBatch(k);
          await wait(() => device.queue.onSubmittedWorkDone());
          return (performance.now() - t0) / k;
        },
        ms: [],
      });
    }
    for (const k of kernels) await k.run(1);
    const reps = n > 1 << 20 ? 5 : 20;
    for (let r = 0; r < rounds; r++)
      for (const k of r % 2 ? [...kernels].reverse() : kernels) k.ms.push(await k.run(reps));
    const fastest = Math.min(...kernels.map((k) => median(k.ms)));
    console.log(`\n${name}, ${n} floats (${rounds} rounds of ${reps} dispatches)`);
    for (const k of [...kernels].sort((a, b) => median(a.ms) - median(b.ms)))
      console.log(
        `  ${k.name.padEnd(34)} ${median(k.ms).toFixed(3).padStart(7)} ms  ${(fastest / median(k.ms)).toFixed(2)}×`,
      );
  }
}
process.exit(0);
