// Convolution: the jit's implicit-GEMM conv kernels (lowerConv.ts) under several ConvConfigs on
// the CNN step's convolutions (bench/workloadData.ts CNN: the forward conv, the weight gradient
// and an input gradient of the same shapes), same process, same device, interleaved, medians of
// several rounds. Not a test: timings depend on the machine's load.
// `--shapes fixtures`: the convolutions that lead the fixture CNNs' profiles instead
// (resnet_batchnorm.ts, unet_denoise.ts, conv_autoencoder.ts: 8 to 32 features).
//   node --import tsx bench/dev/conv_tiles.ts [--rounds 5] [--shapes cnn|fixtures]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { analyzeConv, lowerConv } from "../../runtime/src/codegen/lowerConv.js";
import { defaultConvConfig, describeConvConfig, type ConvConfig } from "../../runtime/src/codegen/convConfig.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import type { ConvParams, Var } from "../../runtime/src/ir/types.js";
import { convOutSpatial } from "../../runtime/src/ops/indexConvShapes.js";
import { median } from "../measure.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const rounds = Number(arg("--rounds", "5"));
const STORAGE = 0x80,
  COPY_DST = 0x08;

interface Case {
  readonly title: string;
  readonly lhs: number[];
  readonly rhs: number[];
  readonly p: ConvParams;
}
const same = (pad = 1): ConvParams => ({
  strides: [1, 1],
  padLow: [pad, pad],
  padHigh: [pad, pad],
  lhsDilation: [1, 1],
  rhsDilation: [1, 1],
  groups: 1,
});
// The CNN: x [32,3,16,16] (NCHW after its transpose), w [16,3,3,3].
const cnn: Case[] = [
  { title: "forward x*w [32,3,16,16]*[16,3,3,3]", lhs: [32, 3, 16, 16], rhs: [16, 3, 3, 3], p: same() },
  { title: "weight grad xᵀ*gᵀ [3,32,16,16]*[16,32,16,16]", lhs: [3, 32, 16, 16], rhs: [16, 32, 16, 16], p: same() },
  { title: "input grad g*w' [32,16,16,16]*[3,16,3,3]", lhs: [32, 16, 16, 16], rhs: [3, 16, 3, 3], p: same() },
  { title: "forward 16→32 [8,16,32,32]*[32,16,3,3]", lhs: [8, 16, 32, 32], rhs: [32, 16, 3, 3], p: same() },
];
const fixtures: Case[] = [
  { title: "resnet 8→8 [16,8,12,12]*[8,8,3,3]", lhs: [16, 8, 12, 12], rhs: [8, 8, 3, 3], p: same() },
  { title: "resnet weight grad [8,16,12,12]*[8,16,12,12]", lhs: [8, 16, 12, 12], rhs: [8, 16, 12, 12], p: same() },
  { title: "unet 8→16 [8,8,16,16]*[16,8,3,3]", lhs: [8, 8, 16, 16], rhs: [16, 8, 3, 3], p: same() },
  { title: "unet weight grad [16,8,16,16]*[8,8,16,16]", lhs: [16, 8, 16, 16], rhs: [8, 8, 16, 16], p: same() },
  { title: "autoencoder 8→8 [32,8,8,8]*[8,8,3,3]", lhs: [32, 8, 8, 8], rhs: [8, 8, 3, 3], p: same() },
];
const cases = arg("--shapes", "cnn") === "fixtures" ? fixtures : cnn;

function group(c: Case): FusionGroup {
  const v = (id: number, shape: number[]): Var => ({ kind: "var", id, aval: { shape, dtype: "float32" } });
  const [l, r] = [v(1, c.lhs), v(2, c.rhs)];
  const out = v(3, [c.lhs[0]!, c.rhs[0]!, ...convOutSpatial(c.lhs.slice(2), c.rhs.slice(2), c.p)]);
  const eqn = { id: 0, prim: "conv", params: c.p, inputs: [l, r], outputs: [out], location: null, nameStack: [] };
  return {
    id: "k0",
    kind: "conv",
    eqns: [eqn] as unknown as FusionGroup["eqns"],
    inputs: [l, r],
    outputs: [out],
    reason: "bench",
  };
}

const ctx = await acquireDevice();
const { device } = ctx;
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

function runner(code: string, entryPoint: string, buffers: GPUBuffer[], wg: number[]) {
  const module = device.createShaderModule({ code });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint } });
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return async (n: number) => {
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
    await wait(() => device.queue.onSubmittedWorkDone());
    return (performance.now() - t0) / n;
  };
}

const tms = [1, 2, 4, 8] as const,
  tns = [4, 8, 16] as const;
console.log(`adapter: ${ctx.description}; rounds ${rounds}`);
for (const c of cases) {
  const g = group(c);
  const { shape } = analyzeConv(g);
  const dflt = defaultConvConfig(shape);
  const configs: ConvConfig[] = [dflt];
  for (const tm of tms)
    for (const tn of tns) {
      if (tm * tn > 64 || tm * tn < 4) continue;
      for (const split of dflt.split > 1 ? ([32, 64, 128] as const) : ([1] as const)) {
        if (split * tm * tn * 4 > 16384) continue;
        for (const wg of split > 1 ? [split] : [64, 128]) configs.push({ tm, tn, split, wg });
      }
    }
  const uniq = [...new Map(configs.map((x) => [describeConvConfig(x), x])).values()];
  const out = g.outputs[0]!.aval.shape.reduce((a, b) => a * b, 1);
  const bufs = [
    buf(c.lhs.reduce((a, b) => a * b, 1)),
    buf(c.rhs.reduce((a, b) => a * b, 1)),
    device.createBuffer({ size: out * 4, usage: STORAGE }),
  ];
  const runs = uniq.map((cfg) => {
    const spec = lowerConv(g, "conv", cfg);
    return {
      name: describeConvConfig(cfg) + (describeConvConfig(cfg) === describeConvConfig(dflt) ? " (default)" : ""),
      run: runner(spec.wgsl, spec.entryPoint, bufs, spec.dispatch),
      flops: spec.flops,
    };
  });
  for (const r of runs) {
    const t0 = performance.now();
    await r.run(1);
    if (process.env.VERBOSE) console.log(`  compiled+ran ${r.name} in ${(performance.now() - t0).toFixed(0)} ms`);
  }
  const reps = Math.max(1, Math.round(2e8 / runs[0]!.flops));
  const samples = runs.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++) for (const [k, r] of runs.entries()) samples[k]!.push(await r.run(reps));
  console.log(`\n${c.title}  (${reps} dispatches per block)`);
  const rows = runs.map((r, k) => ({ name: r.name, ms: median(samples[k]!), gf: r.flops / median(samples[k]!) / 1e6 }));
  rows.sort((a, b) => a.ms - b.ms);
  for (const r of rows)
    console.log(`  ${r.name.padEnd(26)} ${r.ms.toFixed(3).padStart(8)} ms  ${r.gf.toFixed(2).padStart(6)} GFLOP/s`);
}
process.exit(0);
