// The jit's 1024² matmul kernel as emitted (its K loop bounded by a `let`) against the same
// kernel with the bound written as a literal, and the bench's best hand kernel, interleaved in one
// process. Every kernel writes the same output buffer: on lavapipe a 1024-float row stride makes
// the output's placement against the inputs move a kernel's time by up to 20%, which would
// drown the difference being measured. Each kernel is compiled twice (two pipelines): one
// pipeline of the same WGSL can also land 10–20% slow, so look at both rows.
//   node --import tsx bench/dev/matmul_loop_bound.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import { lowerMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import type { Var } from "../../runtime/src/ir/types.js";
import { matmulWgsl } from "../matmulKernel.js";
import { median } from "../measure.js";

const S = 1024;
const rounds = Number(process.argv[2] ?? 11);
let id = 1;
const v = (shape: number[]): Var => ({ kind: "var", id: id++, aval: { shape, dtype: "float32" } });
const [a, b, out] = [v([S, S]), v([S, S]), v([S, S])];
const group = {
  id: "k0",
  kind: "matmul",
  eqns: [{ id: 1, prim: "matmul", params: {}, inputs: [a, b], outputs: [out], location: null, nameStack: [] }],
  inputs: [a, b],
  outputs: [out],
  reason: "bench",
} as unknown as FusionGroup;
const jit = lowerMatmul(group, "mm"); // the default block at 1024²: 4×8 in 8×8 workgroups
const literal = jit.wgsl.replace(/let kSteps = (\d+)u;/, "").replace("kq < kSteps", `kq < ${S / 4}u`);
if (literal === jit.wgsl) throw new Error("the jit's kernel no longer bounds its loop by kSteps");

const ctx = await acquireDevice();
const { device } = ctx;
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const buf = (n: number) => {
  const g = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(
    g,
    0,
    Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 13) / 13 - 0.5),
  );
  return g;
};
const [A, B, C] = [buf(S * S), buf(S * S), buf(S * S)];

const none: Record<string, number> = {};
const kernels = [
  { name: "jit (let bound)", code: jit.wgsl, entryPoint: jit.entryPoint, constants: none },
  { name: "jit, literal bound", code: literal, entryPoint: jit.entryPoint, constants: none },
  {
    name: "hand 4×8 wg 8×8",
    code: matmulWgsl({ rows: 4, cols4: 2, wx: 8, wy: 8 }),
    entryPoint: "main",
    constants: { M: S, N: S, K: S },
  },
].flatMap((k) => [1, 2].map((copy) => ({ ...k, name: `${k.name} #${copy}`, ms: [] as number[] })));
const grid = jit.dispatch;
const runners = kernels.map((k) => {
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module: device.createShaderModule({ code: k.code }), entryPoint: k.entryPoint, constants: k.constants },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [A, B, C].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return async (n: number) => {
    const enc = device.createCommandEncoder();
    for (let i = 0; i < n; i++) {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
      pass.end();
    }
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await wait(() => device.queue.onSubmittedWorkDone());
    return (performance.now() - t0) / n;
  };
});
for (const run of runners) await run(1);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...kernels.keys()].reverse() : [...kernels.keys()];
  for (const i of order) kernels[i]!.ms.push(await runners[i]!(3));
}
const best = Math.min(...kernels.map((k) => median(k.ms)));
console.log(`${device.adapterInfo?.description ?? "adapter"}: ${S}² matmul, ${rounds} rounds of 3 dispatches`);
for (const k of kernels)
  console.log(
    `  ${k.name.padEnd(26)} ${median(k.ms).toFixed(2).padStart(8)} ms  ${(best / median(k.ms)).toFixed(3)}× the fastest`,
  );
