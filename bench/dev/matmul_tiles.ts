// Matmul: the jit's kernels (every autotuner candidate, or the ones named with --configs)
// against the hand-written 8×8 register-blocked kernel (matmul_hand_8x8.wgsl), same process,
// same device, interleaved, medians of several rounds. Prints GFLOP/s and the ratio to the
// hand kernel at the same M, K, N. Not a test: timings depend on the machine's load.
//   node --import tsx bench/dev/matmul_tiles.ts [--rounds 5] [--shapes 1024,mlp] [--configs "8×8 vec4 wg8×8;4×4 vec4 wg8×8"]

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { lowerMatmul, analyzeMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import {
  describeMatmulConfig,
  defaultMatmulConfig,
  matmulCandidates,
  parseMatmulConfig,
  type MatmulConfig,
} from "../../runtime/src/codegen/matmulConfig.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import type { Var } from "../../runtime/src/ir/types.js";
import { median } from "../measure.js";

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
}
const all: Record<string, Case[]> = {
  "1024": [{ title: "1024² A·B", m: 1024, k: 1024, n: 1024, aT: false, bT: false }],
  "512": [{ title: "512² A·B", m: 512, k: 512, n: 512, aT: false, bT: false }],
  mlp: [
    { title: "MLP x@w 128×784@784×256", m: 128, k: 784, n: 256, aT: false, bT: false },
    { title: "MLP xᵀ@g 784×128@128×256", m: 784, k: 128, n: 256, aT: true, bT: false },
    { title: "MLP g@wᵀ 128×256@256×784", m: 128, k: 256, n: 784, aT: false, bT: true },
  ],
};
const cases = arg("--shapes", "1024,mlp")
  .split(",")
  .flatMap((s) => all[s] ?? []);

function group(c: Case): FusionGroup {
  let id = 1;
  const v = (shape: number[]): Var => ({ kind: "var", id: id++, aval: { shape, dtype: "float32" } });
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
      params: { perm: [1, 0] },
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
      params: { perm: [1, 0] },
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
  run(n: number): Promise<number>;
}
function runner(
  name: string,
  code: string,
  entryPoint: string,
  buffers: GPUBuffer[],
  wg: number[],
  constants = {},
): Runner {
  const module = device.createShaderModule({ code });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint, constants } });
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return {
    name,
    async run(n) {
      const enc = device.createCommandEncoder();
      for (let i = 0; i < n; i++) {
        const p = enc.beginComputePass();
        p.setPipeline(pipeline);
        p.setBindGroup(0, bg);
        p.dispatchWorkgroups(wg[0]!, wg[1]!, wg[2]!);
        p.end();
      }
      const t0 = performance.now();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - t0) / n;
    },
  };
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
  const a = buf(c.m * c.k),
    b = buf(c.k * c.n),
    out = device.createBuffer({ size: c.m * c.n * 4, usage: STORAGE });
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
  const contenders = [hand, ...jits];
  const flops = 2 * c.m * c.k * c.n;
  const reps = Math.max(1, Math.round(2e9 / flops)); // ~0.2 s per block at 10 GFLOP/s
  for (const r of contenders) await r.run(1); // warm-up (pipeline compile)
  const samples = new Map<string, number[]>(contenders.map((r) => [r.name, []]));
  for (let i = 0; i < rounds; i++) for (const r of contenders) samples.get(r.name)!.push(await r.run(reps));
  const handMs = median(samples.get(hand.name)!);
  console.log(`\n${c.title}  (${reps} dispatches per block)`);
  const rows = contenders.map((r) => ({ name: r.name, ms: median(samples.get(r.name)!) })).sort((x, y) => x.ms - y.ms);
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(28)} ${r.ms.toFixed(2).padStart(8)} ms  ${(flops / r.ms / 1e6).toFixed(2).padStart(6)} GFLOP/s  ${(handMs / r.ms).toFixed(2)}× hand`,
    );
}
process.exit(0);
