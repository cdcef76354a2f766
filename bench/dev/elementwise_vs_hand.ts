// Dev measurement (issue 16): the jitted chain tanh(x*1.5+0.5)*x - exp(-x*x) on 2^20 floats
// against hand WGSL variants (vec4, workgroup width, vec4s per invocation, contiguous vs strided
// per lane), all in one process, interleaved, medians of per-run ms and of ratios to the jit.
// `node --expose-gc --import tsx bench/dev/elementwise_vs_hand.ts` (BENCH_RUNS, BENCH_N).

import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { storageBuffer } from "../handKernels.js";
import { median, timeBlock } from "../measure.js";

type A = ConcreteArray;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const N = Number(process.env.BENCH_N ?? 1 << 20);
const ITERS = Number(process.env.BENCH_ITERS ?? 20);
const gpu = currentBackend() as WebGpuBackend;
if (gpu.name !== "webgpu") throw new Error("needs WebGPU");
const device = gpu.device;
const xs = Float32Array.from({ length: N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);
const x = np.array(xs) as A;
const jitChain = jit(
  (v: A) =>
    np.subtract(np.multiply(np.tanh(np.add(np.multiply(v, 1.5), 0.5)), v), np.exp(np.negative(np.multiply(v, v)))) as A,
);

const CHAIN = "tanh(v * 1.5 + 0.5) * v - exp(-v * v)";
/** A hand kernel: `k` vec4s per invocation, `wg` wide; strided: lane-adjacent vec4s. */
function handWgsl(wg: number, k: number, strided: boolean | "grid" | "unroll", expr: string): string {
  const T = Math.ceil(N / 4 / (wg * k)) * wg;
  const idx =
    strided === "grid" ? `gid.x + j * ${T}u` : strided ? `wid.x * ${wg * k}u + j * ${wg}u + lid` : `gid.x * ${k}u + j`;
  return `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  ${
    strided === "unroll"
      ? Array.from(
          { length: k },
          (_, j) => `{ let i = gid.x * ${k}u + ${j}u; if (i < ${N / 4}u) { let v = x[i]; y[i] = ${expr}; } }`,
        ).join("\n  ")
      : `for (var j = 0u; j < ${k}u; j++) {
    let i = ${idx};
    if (i < ${N / 4}u) { let v = x[i]; y[i] = ${expr}; }
  }`
  }
}`;
}

const xBuf = storageBuffer(device, xs);
function hand(name: string, code: string, groups: number) {
  const module = device.createShaderModule({ code });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const out = device.createBuffer({ size: N * 4, usage: 0x80 | 0x04 });
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [xBuf, out].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return {
    name,
    step() {
      const enc = device.createCommandEncoder();
      const p = enc.beginComputePass();
      p.setPipeline(pipeline);
      p.setBindGroup(0, bg);
      p.dispatchWorkgroups(groups);
      p.end();
      device.queue.submit([enc.finish()]);
    },
    wait: () => gpu.wait(() => device.queue.onSubmittedWorkDone()),
  };
}
const variants = [];
for (const [wg, k, strided] of [
  [256, 1, false],
  [64, 4, false],
  [64, 4, true],
  [64, 16, true],
  [64, 16, false],
] as const) {
  const groups = Math.ceil(N / 4 / (wg * k));
  variants.push(
    hand(
      `hand wg${wg} ${k}×vec4${k > 1 ? (typeof strided === "string" ? ` ${strided}` : strided ? " strided" : " contig") : ""}`,
      handWgsl(wg, k, strided, CHAIN),
      groups,
    ),
  );
}
/** The jit's own loop shape (i32 index, early return), `k` vec4s per invocation, contiguous
 *  (gid.x * k + u) or lane-neighbouring (gid.x + wid.x * wg * (k - 1) + u * wg). */
function jitShaped(wg: number, k: number, strided: boolean): string {
  const base = strided ? `i32(gid.x + wid.x * ${wg * (k - 1)}u)` : `i32(gid.x) * ${k}`;
  return `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = ${base};
  for (var u = 0; u < ${k}; u = u + 1) {
    let i = t + u${strided ? ` * ${wg}` : ""};
    if (i >= ${N / 4}) { return; }
    let v = x[i];
    y[i] = ${CHAIN};
  }
}`;
}
for (const [wg, k, strided] of [
  [64, 4, false],
  [64, 4, true],
  [64, 16, true],
  [64, 8, true],
] as const)
  variants.push(
    hand(
      `jit-shaped wg${wg} ${k}×vec4 ${strided ? "strided" : "contig"}`,
      jitShaped(wg, k, strided),
      Math.ceil(N / 4 / (wg * k)),
    ),
  );
variants.push(hand("copy wg256 1×vec4", handWgsl(256, 1, false, "v * 1.5"), Math.ceil(N / 4 / 256)));
variants.push(hand("copy wg64 4×vec4 strided", handWgsl(64, 4, true, "v * 1.5"), Math.ceil(N / 4 / 256)));
let last: A | null = null;
const contenders = [
  {
    name: "jit",
    step() {
      last?.dispose();
      last = jitChain(x);
    },
    wait: async () => void (await last!.blockUntilReady()),
  },
  ...variants,
];
for (const c of contenders)
  await timeBlock(
    2,
    () => c.step(),
    () => c.wait(),
  );
const ms = contenders.map(() => [] as number[]);
const cpu = contenders.map(() => [] as number[]);
const ratio = contenders.map(() => [] as number[]);
for (let r = 0; r < RUNS; r++) {
  const row: number[] = [];
  for (const c of contenders) {
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    row.push(
      await timeBlock(
        ITERS,
        () => c.step(),
        () => c.wait(),
      ),
    );
    const du = process.cpuUsage(c0);
    cpu[contenders.indexOf(c)]!.push((du.user + du.system) / 1000 / ITERS);
  }
  row.forEach((t, i) => {
    ms[i]!.push(t);
    ratio[i]!.push(row[0]! / t);
  });
}
const { loadavg } = await import("node:os");
console.log(
  `N=${N}, ${RUNS} runs × ${ITERS} iters, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
contenders.forEach((c, i) => {
  const rs = ratio[i]!;
  console.log(
    `${c.name.padEnd(28)} ${median(ms[i]!).toFixed(3)} ms (min ${Math.min(...ms[i]!).toFixed(3)})  jit/this ${median(rs).toFixed(2)}× (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})  CPU ${median(cpu[i]!).toFixed(3)} ms, jit/this ${(median(cpu[0]!) / median(cpu[i]!)).toFixed(2)}×`,
  );
});
