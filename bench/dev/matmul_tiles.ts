// Matmul: the jit's kernels (every autotuner candidate, or the ones named with --configs)
// against hand-written register-blocked kernels (bench/matmulKernel.ts' unrolled 4×4, 4×8, 8×4
// and 8×8, its 4×16 and 2×32 with B shared by a subgroup's lanes where subgroups have one width,
// and matmul_hand_8x8.wgsl), same process, same device, interleaved, medians of several
// rounds. Prints GFLOP/s and the ratio to the BEST hand kernel at the same M, K, N (for a
// transposed case the hand kernels read plain row-major operands of the same sizes). Not a
// test: timings depend on the machine's load.
//   node --import tsx bench/dev/matmul_tiles.ts [--rounds 5] [--shapes 1024,mlp] [--configs "8×8 vec4 wg8×8;4×4 vec4 wg8×8"]

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import { analyzeMatmul } from "../../runtime/src/codegen/matmulOperands.js";
import {
  describeMatmulConfig,
  defaultMatmulConfig,
  matmulCandidates,
  parseMatmulConfig,
  type MatmulConfig,
} from "../../runtime/src/codegen/matmulConfig.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import { setSubgroupSupport } from "../../runtime/src/codegen/subgroupSupport.js";
import { lowerGroup } from "../../runtime/src/codegen/lowerGroup.js";
import type { Var } from "../../runtime/src/ir/types.js";
import { median } from "../measure.js";
import { blockName, matmulGrid, matmulWgsl, sharedBBlocks, type MatmulBlock } from "../matmulKernel.js";

const HAND_BLOCKS: readonly MatmulBlock[] = [
  { rows: 4, cols4: 1, wx: 8, wy: 8 },
  { rows: 4, cols4: 2, wx: 8, wy: 8 },
  { rows: 8, cols4: 1, wx: 8, wy: 8 },
  { rows: 8, cols4: 2, wx: 8, wy: 8 },
];

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const rounds = Number(arg("--rounds", "5"));
const STORAGE = 0x80,
  COPY_DST = 0x08;

interface Case {
  readonly title: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly aT: boolean;
  readonly bT: boolean;
  /** Batched (attention's heads): the hand kernels are unbatched, so only the jit's run. */
  readonly batch?: number;
}
const all: Record<string, Case[]> = {
  "1024": [{ title: "1024² A·B", m: 1024, k: 1024, n: 1024, aT: false, bT: false }],
  "512": [{ title: "512² A·B", m: 512, k: 512, n: 512, aT: false, bT: false }],
  mlp: [
    { title: "MLP x@w 128×784@784×256", m: 128, k: 784, n: 256, aT: false, bT: false },
    { title: "MLP xᵀ@g 784×128@128×256", m: 784, k: 128, n: 256, aT: true, bT: false },
    { title: "MLP g@wᵀ 128×256@256×784", m: 128, k: 256, n: 784, aT: false, bT: true },
  ],
  wgrad: [
    { title: "NeRF xᵀ@g 48×4096@4096×48", m: 48, k: 4096, n: 48, aT: true, bT: false },
    { title: "NeRF xᵀ@g 36×4096@4096×48", m: 36, k: 4096, n: 48, aT: true, bT: false },
  ],
  nerf: [
    { title: "NeRF h@w 4096×48@48×48", m: 4096, k: 48, n: 48, aT: false, bT: false },
    { title: "NeRF x@w 4096×36@36×48", m: 4096, k: 36, n: 48, aT: false, bT: false },
    { title: "NeRF g@wᵀ 4096×48@48×48", m: 4096, k: 48, n: 48, aT: false, bT: true },
    { title: "kv h@w 496×32@32×128", m: 496, k: 32, n: 128, aT: false, bT: false },
  ],
  narrow: [
    { title: "NeRF h@w 4096×48@48×4", m: 4096, k: 48, n: 4, aT: false, bT: false },
    { title: "NeRF xᵀ@g 48×4096@4096×4", m: 48, k: 4096, n: 4, aT: true, bT: false },
    { title: "h@w 2048×64@64×8", m: 2048, k: 64, n: 8, aT: false, bT: false },
    { title: "decode x@w 1×512@512×2048", m: 1, k: 512, n: 2048, aT: false, bT: false },
    { title: "decode x@wᵀ 4×256@256×1024", m: 4, k: 256, n: 1024, aT: false, bT: true },
    { title: "x@w 8×512@512×2048", m: 8, k: 512, n: 2048, aT: false, bT: false },
    { title: "x@w 16×512@512×2048", m: 16, k: 512, n: 2048, aT: false, bT: false },
  ],
  heads: [
    { title: "attention p@v [64×] 31×31@31×8", m: 31, k: 31, n: 8, aT: false, bT: false, batch: 64 },
    { title: "attention pᵀ@dy [64×] 31×31@31×8", m: 31, k: 31, n: 8, aT: true, bT: false, batch: 64 },
    { title: "attention p@v [128×] 17×17@17×8", m: 17, k: 17, n: 8, aT: false, bT: false, batch: 128 },
    { title: "attention p@v [64×] 32×32@32×8", m: 32, k: 32, n: 8, aT: false, bT: false, batch: 64 },
  ],
  small: [
    { title: "GRU step 48×32@32×96", m: 48, k: 32, n: 96, aT: false, bT: false },
    { title: "64×64@64×64", m: 64, k: 64, n: 64, aT: false, bT: false },
    { title: "xᵀ@g 32×1024@1024×32", m: 32, k: 1024, n: 32, aT: true, bT: false },
    { title: "x@w 64×1024@1024×64", m: 64, k: 1024, n: 64, aT: false, bT: false },
    { title: "x@w 128×256@256×64", m: 128, k: 256, n: 64, aT: false, bT: false },
  ],
};
const cases = arg("--shapes", "1024,mlp")
  .split(",")
  .flatMap((s) => all[s] ?? []);

function group(c: Case): FusionGroup {
  let id = 1;
  const lead = c.batch ? [c.batch] : [];
  const v = (shape: number[]): Var => ({
    kind: "var",
    id: id++,
    aval: { shape: shape.length === 2 ? [...lead, ...shape] : shape, dtype: "float32" },
  });
  const swap = c.batch ? [0, 2, 1] : [1, 0];
  const a = v(c.aT ? [c.k, c.m] : [c.m, c.k]);
  const b = v(c.bT ? [c.n, c.k] : [c.k, c.n]);
  const eqns = [];
  let ao = a,
    bo = b;
  if (c.aT) {
    ao = v([c.m, c.k]);
    eqns.push({
      id: 0,
      prim: "transpose",
      params: { perm: swap },
      inputs: [a],
      outputs: [ao],
      location: null,
      nameStack: [],
    });
  }
  if (c.bT) {
    bo = v([c.k, c.n]);
    eqns.push({
      id: 1,
      prim: "transpose",
      params: { perm: swap },
      inputs: [b],
      outputs: [bo],
      location: null,
      nameStack: [],
    });
  }
  const out = v([c.m, c.n]);
  eqns.push({ id: 2, prim: "matmul", params: {}, inputs: [ao, bo], outputs: [out], location: null, nameStack: [] });
  return {
    id: "k0",
    kind: "matmul",
    eqns: eqns as FusionGroup["eqns"],
    inputs: [a, b],
    outputs: [out],
    reason: "bench",
  };
}

const ctx = await acquireDevice();
const { device } = ctx;
// As the runtime's backend does on attaching: the candidates depend on the device's subgroups.
setSubgroupSupport(ctx.subgroups ? ctx.subgroupMinSize : 0, ctx.software, ctx.subgroupMaxSize);
// Waited for as the runtime waits (a software adapter keeps its cores: backend/deviceWait.ts).
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const buf = (n: number) => {
  const b = device.createBuffer({ size: n * 4, usage: STORAGE | COPY_DST });
  device.queue.writeBuffer(
    b,
    0,
    Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 13) / 13 - 0.5),
  );
  return b;
};

interface Runner {
  readonly name: string;
  /** [wall ms, process CPU ms] per dispatch. */
  run(n: number): Promise<[number, number]>;
}
interface Stage {
  readonly code: string;
  readonly entryPoint: string;
  readonly buffers: GPUBuffer[];
  readonly wg: readonly number[];
  readonly constants?: Record<string, number>;
}
/** Dispatches one or more kernels (a copy kernel, then the matmul) per iteration. */
function stages(name: string, list: readonly Stage[]): Runner {
  const ready = list.map((st) => {
    const module = device.createShaderModule({ code: st.code });
    const pipeline = device.createComputePipeline({
      layout: "auto",
      compute: { module, entryPoint: st.entryPoint, constants: st.constants ?? {} },
    });
    const bg = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: st.buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return { pipeline, bg, wg: st.wg };
  });
  return {
    name,
    async run(n) {
      const enc = device.createCommandEncoder();
      for (let i = 0; i < n; i++)
        for (const r of ready) {
          const p = enc.beginComputePass();
          p.setPipeline(r.pipeline);
          p.setBindGroup(0, r.bg);
          p.dispatchWorkgroups(r.wg[0]!, r.wg[1]!, r.wg[2]!);
          p.end();
        }
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      device.queue.submit([enc.finish()]);
      await wait(() => device.queue.onSubmittedWorkDone());
      const c = process.cpuUsage(c0);
      return [(performance.now() - t0) / n, (c.user + c.system) / 1000 / n];
    },
  };
}
function runner(
  name: string,
  code: string,
  entryPoint: string,
  buffers: GPUBuffer[],
  wg: number[],
  constants: Record<string, number> = {},
): Runner {
  return stages(name, [{ code, entryPoint, buffers, wg, constants }]);
}

/** The copy path (what jit runs while fuse materializes x.T for a matmul): a layout kernel
 *  writes the transposed operand, then the plain matmul reads it. `generic`: the per-element
 *  layout kernel the jit emitted before the tiled transpose. */
function copyPath(c: Case, a: GPUBuffer, b: GPUBuffer, out: GPUBuffer, generic: boolean): Runner {
  const plain = group({ ...c, aT: false, bT: false });
  const mm = lowerMatmul(plain, "mm", defaultMatmulConfig(analyzeMatmul(plain).shape));
  // The stored operand is [rows, cols]; its transpose [cols, rows] is what the matmul reads.
  const [rows, cols] = c.aT ? [c.k, c.m] : [c.n, c.k];
  let id = 500;
  const x: Var = { kind: "var", id: id++, aval: { shape: [rows, cols], dtype: "float32" } };
  const y: Var = { kind: "var", id: id++, aval: { shape: [cols, rows], dtype: "float32" } };
  const tg: FusionGroup = {
    id: "t0",
    kind: "layout",
    eqns: [
      { id: 9, prim: "transpose", params: { perm: [1, 0] }, inputs: [x], outputs: [y], location: null, nameStack: [] },
    ] as FusionGroup["eqns"],
    inputs: [x],
    outputs: [y],
    reason: "bench",
  };
  const t = generic ? null : lowerGroup(tg, "tr");
  const n = rows * cols;
  const genericWgsl = `@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = i32(gid.x);
  if (i >= ${n}) { return; }
  out0[i] = in0[(i % ${rows}) * ${cols} + (i / ${rows})];
}`;
  const moved = device.createBuffer({ size: n * 4, usage: STORAGE });
  const src = c.aT ? a : b;
  return stages(`copy path (${generic ? "per-element" : "tiled"} transpose)`, [
    generic
      ? { code: genericWgsl, entryPoint: "main", buffers: [src, moved], wg: [Math.ceil(n / 256), 1, 1] }
      : { code: t!.wgsl, entryPoint: t!.entryPoint, buffers: [src, moved], wg: t!.dispatch },
    { code: mm.wgsl, entryPoint: mm.entryPoint, buffers: c.aT ? [moved, b, out] : [a, moved, out], wg: mm.dispatch },
  ]);
}

const pick = arg("--configs", "");
console.log(`adapter: ${ctx.description}; rounds ${rounds}`);
for (const c of cases) {
  const g = group(c);
  const { shape } = analyzeMatmul(g);
  const configs: MatmulConfig[] = pick
    ? pick
        .split(";")
        .map((t) => parseMatmulConfig(t.trim())!)
        .filter((x) => x)
    : matmulCandidates(shape);
  const dflt = defaultMatmulConfig(shape);
  if (!configs.some((x) => describeMatmulConfig(x) === describeMatmulConfig(dflt))) configs.unshift(dflt);
  const nb = c.batch ?? 1;
  const a = buf(nb * c.m * c.k),
    b = buf(nb * c.k * c.n),
    out = device.createBuffer({ size: nb * c.m * c.n * 4, usage: STORAGE });
  const hand = runner(
    "hand 8×8 vec4",
    readFileSync(join(here, "matmul_hand_8x8.wgsl"), "utf8"),
    "main",
    [a, b, out],
    [Math.ceil(c.n / 8 / 8), Math.ceil(c.m / 8 / 8), 1],
    { M: c.m, N: c.n, K: c.k },
  );
  const jits = configs.map((cfg) => {
    const spec = lowerMatmul(g, "mm", cfg);
    const label =
      describeMatmulConfig(cfg) +
      (describeMatmulConfig(cfg) === describeMatmulConfig(defaultMatmulConfig(shape)) ? " (default)" : "");
    return runner(label, spec.wgsl, spec.entryPoint, [a, b, out], spec.dispatch);
  });
  // With subgroups of one width, the hand kernels with B shared by a subgroup's lanes too.
  const lanes = ctx.subgroups && ctx.subgroupMinSize === ctx.subgroupMaxSize ? ctx.subgroupMinSize : 0;
  const sharedHand = lanes ? sharedBBlocks(lanes, c.n) : [];
  const fits = (bl: MatmulBlock) => bl.sharedB || (c.m % bl.rows === 0 && c.n % (4 * bl.cols4) === 0);
  const unrolled = [...HAND_BLOCKS, ...sharedHand].filter(fits).map((bl) =>
    runner(`hand ${blockName(bl)}`, matmulWgsl(bl), "main", [a, b, out], matmulGrid(bl, c.m, c.n), {
      M: c.m,
      N: c.n,
      K: c.k,
    }),
  );
  const hands = c.batch ? [] : [hand, ...unrolled];
  const copies = !c.batch && (c.aT || c.bT) ? [copyPath(c, a, b, out, true), copyPath(c, a, b, out, false)] : [];
  jits.push(...copies);
  const contenders = [...hands, ...jits];
  const flops = 2 * nb * c.m * c.k * c.n;
  const reps = Math.max(1, Math.round(5e8 / flops)); // ~50 ms per block at 10 GFLOP/s
  for (const r of contenders) await r.run(1); // warm-up (pipeline compile)
  const samples = new Map<string, number[]>(contenders.map((r) => [r.name, []]));
  const cpu = new Map<string, number[]>(contenders.map((r) => [r.name, []]));
  for (let i = 0; i < rounds; i++)
    for (const r of contenders) {
      const [wall, cpuMs] = await r.run(reps);
      samples.get(r.name)!.push(wall);
      cpu.get(r.name)!.push(cpuMs);
    }
  // Batched cases have no hand kernel: ratios to the jit's default instead.
  const base = hands.length ? hands : jits.filter((j) => j.name.endsWith("(default)"));
  const handMs = Math.min(...base.map((h) => median(samples.get(h.name)!)));
  const handCpu = Math.min(...base.map((h) => median(cpu.get(h.name)!)));
  const vs = hands.length ? "best hand" : "default";
  console.log(`\n${c.title}  (${reps} dispatches per block; CPU = the process's CPU time, steadier under load)`);
  const rows = contenders
    .map((r) => ({ name: r.name, ms: median(samples.get(r.name)!), cpu: median(cpu.get(r.name)!) }))
    .sort((x, y) => x.cpu - y.cpu);
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(28)} ${r.ms.toFixed(2).padStart(8)} ms  ${(flops / r.ms / 1e6).toFixed(2).padStart(6)} GFLOP/s  ${(handMs / r.ms).toFixed(2)}× ${vs} | CPU ${r.cpu.toFixed(2).padStart(8)} ms  ${(handCpu / r.cpu).toFixed(2)}× ${vs}`,
    );
}
process.exit(0);
