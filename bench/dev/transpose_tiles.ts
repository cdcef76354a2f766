// Layout kernel x.T (a swap of the last two axes): the per-element kernel the jit emitted before
// (nd coordinates, one strided scalar load per element) against the tiled one of
// codegen/lowerTranspose.ts (4×4 blocks, vec4 loads and stores). Interleaved blocks, medians of
// wall and of process CPU time (steadier on a loaded machine). Not a test.
//   node --import tsx bench/dev/transpose_tiles.ts [--rounds 15]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerGroup } from "../../runtime/src/codegen/lowerGroup.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import type { Var } from "../../runtime/src/ir/types.js";
import { median } from "../measure.js";

const i = process.argv.indexOf("--rounds");
const rounds = i >= 0 ? Number(process.argv[i + 1]) : 15;
const ctx = await acquireDevice();
const { device, description } = ctx;
// Waited for as the runtime waits (a software adapter keeps its cores: backend/deviceWait.ts).
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const STORAGE = 0x80;

function kernel(code: string, entryPoint: string, buffers: GPUBuffer[], wg: readonly number[]) {
  const module = device.createShaderModule({ code });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint } });
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return async (n: number): Promise<[number, number]> => {
    const enc = device.createCommandEncoder();
    for (let r = 0; r < n; r++) {
      const p = enc.beginComputePass();
      p.setPipeline(pipeline);
      p.setBindGroup(0, bg);
      p.dispatchWorkgroups(wg[0]!, wg[1]!, wg[2]!);
      p.end();
    }
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    device.queue.submit([enc.finish()]);
    await wait(() => device.queue.onSubmittedWorkDone());
    const c = process.cpuUsage(c0);
    return [(performance.now() - t0) / n, (c.user + c.system) / 1000 / n];
  };
}

console.log(`adapter: ${description}; ${rounds} rounds`);
for (const [rows, cols] of [
  [128, 784],
  [784, 256],
  [1024, 1024],
] as const) {
  const n = rows * cols;
  const src = device.createBuffer({ size: n * 4, usage: STORAGE });
  const dst = device.createBuffer({ size: n * 4, usage: STORAGE });
  const x: Var = { kind: "var", id: 1, aval: { shape: [rows, cols], dtype: "float32" } };
  const y: Var = { kind: "var", id: 2, aval: { shape: [cols, rows], dtype: "float32" } };
  const g: FusionGroup = {
    id: "t0",
    kind: "layout",
    eqns: [
      { id: 0, prim: "transpose", params: { perm: [1, 0] }, inputs: [x], outputs: [y], location: null, nameStack: [] },
    ],
    inputs: [x],
    outputs: [y],
    reason: "bench",
  };
  const tiled = lowerGroup(g, "tr");
  const perElement = `@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = i32(gid.x);
  if (i >= ${n}) { return; }
  out0[i] = in0[(i % ${rows}) * ${cols} + (i / ${rows})];
}`;
  const runs = {
    "per-element": kernel(perElement, "main", [src, dst], [Math.ceil(n / 256), 1, 1]),
    "tiled 4×4": kernel(tiled.wgsl, tiled.entryPoint, [src, dst], tiled.dispatch),
  };
  const reps = Math.max(4, Math.round(2e7 / n));
  const wall = new Map<string, number[]>(),
    cpu = new Map<string, number[]>();
  for (const [k, run] of Object.entries(runs)) {
    await run(1);
    wall.set(k, []);
    cpu.set(k, []);
  }
  for (let r = 0; r < rounds; r++)
    for (const [k, run] of Object.entries(runs)) {
      const [w, c] = await run(reps);
      wall.get(k)!.push(w);
      cpu.get(k)!.push(c);
    }
  console.log(`\n[${rows}, ${cols}] → [${cols}, ${rows}], ${reps} dispatches per block`);
  for (const k of Object.keys(runs))
    console.log(
      `  ${k.padEnd(12)} wall ${median(wall.get(k)!).toFixed(3)} ms (min ${Math.min(...wall.get(k)!).toFixed(3)})  CPU ${median(cpu.get(k)!).toFixed(3)} ms`,
    );
}
process.exit(0);
