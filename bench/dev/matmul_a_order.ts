// The order of a register-blocked matmul's A loads in its K loop (lowerMatmul.ts): all of the
// block's A rows first, then B's rows, then the updates ("A first"), or B's rows first and each A
// row just before its row's updates ("A per row"), for 4×8, 8×4, 4×4 and 8×8 blocks of the jit's
// kernel, beside the bench's hand 8×8 and 4×8 kernels, interleaved in one process. Both orders are
// made from the emitted WGSL by moving its A-load lines. Every kernel writes the same output
// buffer (see matmul_loop_bound.ts).
//   S=1024 node --import tsx bench/dev/matmul_a_order.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import { lowerMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import type { Var } from "../../runtime/src/ir/types.js";
import { matmulWgsl } from "../matmulKernel.js";
import { median } from "../measure.js";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

const S = Number(process.env.S ?? 1024);
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
const A_LOAD = /^\s*let (a\d+) = in0\[/;
/** Each A-row load moved to just before its row's first accumulator update. */
function aPerRow(wgsl: string): string {
  const loads = new Map<string, string>();
  const out: string[] = [];
  for (const line of wgsl.split("\n")) {
    const m = A_LOAD.exec(line);
    if (m) {
      loads.set(m[1]!.slice(1), line);
      continue;
    }
    const u = /^\s*acc(\d+)_0 = /.exec(line);
    if (u && loads.has(u[1]!)) {
      out.push(loads.get(u[1]!)!);
      loads.delete(u[1]!);
    }
    out.push(line);
  }
  return out.join("\n");
}
/** Every A-row load moved to the top of the K loop. */
function aFirst(wgsl: string): string {
  const lines = wgsl.split("\n");
  const loads = lines.filter((l) => A_LOAD.test(l));
  const rest = lines.filter((l) => !A_LOAD.test(l));
  const at = rest.findIndex((l) => l.includes("for (var kq = 0u;"));
  return [...rest.slice(0, at + 1), ...loads, ...rest.slice(at + 1)].join("\n");
}
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
const cfgs = [
  [4, 8],
  [8, 4],
  [4, 4],
  [8, 8],
] as const;
const kernels = [
  ...cfgs.flatMap(([tm, tn]) => {
    const k = lowerMatmul(group, "mm", { tm, tn, wgx: 8, wgy: 8, vec: 4 });
    return [
      {
        name: `jit ${tm}×${tn}, A first`,
        code: aFirst(k.wgsl),
        entryPoint: k.entryPoint,
        constants: none,
        grid: k.dispatch,
      },
      {
        name: `jit ${tm}×${tn}, A per row`,
        code: aPerRow(k.wgsl),
        entryPoint: k.entryPoint,
        constants: none,
        grid: k.dispatch,
      },
    ];
  }),
  {
    name: "hand 8×8",
    code: readFileSync(join(here, "matmul_hand_8x8.wgsl"), "utf8"),
    entryPoint: "main",
    constants: { M: S, N: S, K: S },
    grid: lowerMatmul(group, "mm", { tm: 8, tn: 8, wgx: 8, wgy: 8, vec: 4 }).dispatch,
  },
  {
    name: "hand 4×8 wg 8×8",
    code: matmulWgsl({ rows: 4, cols4: 2, wx: 8, wy: 8 }),
    entryPoint: "main",
    constants: { M: S, N: S, K: S },
    grid: lowerMatmul(group, "mm", { tm: 4, tn: 8, wgx: 8, wgy: 8, vec: 4 }).dispatch,
  },
].map((k) => ({ ...k, ms: [] as number[] }));
const runners = kernels.map((k) => {
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module: device.createShaderModule({ code: k.code }), entryPoint: k.entryPoint, constants: k.constants },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [A, B, C].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const grid = k.grid;
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
