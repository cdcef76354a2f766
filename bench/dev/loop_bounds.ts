// Matmuls, the bench's workloads and row kernels compiled with every matmul's K loop and every
// row loop hiding its trip count from the driver (codegen/opaqueTripCount.ts; the runtime hides
// only small matmuls' bounds) and with plain bounds, which Mesa may unroll whole: the two timed
// in interleaved rounds (results compared first), or, with --cold=hidden or --cold=plain, only
// that mode's first call of each (run with Mesa's shader cache off, so that a first call
// compiles its pipelines; one mode per process).
// With --shipped, "hidden" is what the runtime ships (only small kernels hide their bounds).
//   node --import tsx bench/dev/loop_bounds.ts [rounds] [name,name…] [--shipped]
//   MESA_SHADER_CACHE_DISABLE=true node --import tsx bench/dev/loop_bounds.ts 0 [names] --cold=plain
// --sweep (cache off too): the driver's compile of the 16×4s @ 4s×32 matmul kernel alone for K
// loops of s = 2 … 32 steps, with the bound plain and hidden (createComputePipeline, then an
// empty dispatch, until the queue is done; twice each, a comment making each compile new).
//   MESA_SHADER_CACHE_DISABLE=true node --import tsx bench/dev/loop_bounds.ts 0 --sweep

import { currentBackend, jit, nn, np } from "../../runtime/src/index.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { setTripCountsHidden } from "../../runtime/src/codegen/opaqueTripCount.js";
import { median } from "../measure.js";
import { layerNorm, ours, work } from "../peers/ours.js";
import { cnnData, gptData, matmulInputs, mlpData, type Work } from "../workloadData.js";

type A = ConcreteArray;
const rounds = Number(process.argv[2] ?? 9);
const only = process.argv[3]?.startsWith("--") ? undefined : process.argv[3]?.split(",");
const rows = (f: (x: A) => A, r: number, c: number) => () => {
  const x = np.reshape(np.array(Float32Array.from({ length: r * c }, (_, i) => Math.sin(i * 0.37) * 3)), [r, c]) as A;
  const g = jit(f);
  return work(() => [g(x) as A]);
};
const mm = (m: number, k: number, n: number) => () => {
  const { a } = matmulInputs(Math.max(m, k, n));
  const x = np.reshape(np.array(a.subarray(0, m * k)), [m, k]) as A;
  const y = np.reshape(np.array(a.subarray(0, k * n)), [k, n]) as A;
  const g = jit((u: A, v: A) => np.matmul(u, v) as A);
  return work(() => [g(x, y) as A]);
};
const workloads: Record<string, () => Work> = {
  "matmul [16,32]@[32,32]": mm(16, 32, 32),
  "matmul [64,32]@[32,64]": mm(64, 32, 64),
  "matmul [256,32]@[32,256]": mm(256, 32, 256),
  "matmul [1024,16]@[16,256]": mm(1024, 16, 256),
  "matmul [4096,32]@[32,256]": mm(4096, 32, 256),
  "matmul 1024²": () => ours.matmul(matmulInputs(1024).a, matmulInputs(1024).b, 1024),
  "MLP step": () => ours.mlpStep(mlpData()),
  "GPT block forward": () => ours.gptForward(gptData()),
  "GPT block step": () => ours.gptStep(gptData()),
  "CNN step": () => ours.cnnStep(cnnData()),
  "softmax [4096,1024]": rows((x) => nn.softmax(x, -1) as A, 4096, 1024),
  "layer norm [4096,1024]": rows((x) => layerNorm(x) as A, 4096, 1024),
  "log-softmax [1024,64]": rows((x) => nn.logSoftmax(x, -1) as A, 1024, 64),
  "layer norm [256,128]": rows((x) => layerNorm(x) as A, 256, 128),
};

async function timeSteps(w: Work, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) w.step();
  await w.wait();
  return (performance.now() - t0) / n;
}

const cold = process.argv.find((a) => a.startsWith("--cold="))?.slice("--cold=".length);
// --shipped: "hidden" is the runtime's own choice (only small kernels' bounds hidden).
const hiding = process.argv.includes("--shipped") ? "small kernels" : "every loop";
if (cold !== undefined && cold !== "hidden" && cold !== "plain") throw new Error("--cold=hidden or --cold=plain");

/** `make()` compiled with hidden or plain bounds: its first step run, and how long that took. */
async function firstStep(make: () => Work, hidden: boolean): Promise<{ w: Work; ms: number }> {
  const was = setTripCountsHidden(hidden ? hiding : "none");
  try {
    const w = make();
    const t0 = performance.now();
    w.step();
    await w.wait();
    return { w, ms: performance.now() - t0 };
  } finally {
    setTripCountsHidden(was);
  }
}

/** The driver's compile of `code`: pipeline creation, then an empty dispatch, until done (ms). */
async function compileMs(device: GPUDevice, code: string, entryPoint: string): Promise<number> {
  const t0 = performance.now();
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module: device.createShaderModule({ code }), entryPoint },
  });
  const buffer = () => device.createBuffer({ size: 1 << 16, usage: GPUBufferUsage.STORAGE });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [0, 1, 2].map((binding) => ({ binding, resource: { buffer: buffer() } })),
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(0);
  pass.end();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
  return performance.now() - t0;
}

if (process.argv.includes("--sweep")) {
  const device = (currentBackend() as WebGpuBackend).device;
  for (const steps of [2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 32]) {
    const K = 4 * steps;
    const row: string[] = [];
    for (const hidden of [false, true]) {
      const was = setTripCountsHidden(hidden ? "every loop" : "none");
      try {
        const x = np.zeros([16, K]) as A;
        const y = np.zeros([K, 32]) as A;
        const [k] = (await jit((u: A, v: A) => np.matmul(u, v) as A).lower(x, y)).kernels;
        const ms: number[] = [];
        for (const copy of [1, 2]) ms.push(await compileMs(device, `${k!.wgsl}\n// copy ${copy}\n`, k!.entryPoint));
        row.push(`${hidden ? "hidden" : "plain"} ${ms.map((t) => t.toFixed(0)).join(", ")} ms`);
      } finally {
        setTripCountsHidden(was);
      }
    }
    console.log(`16×${K} @ ${K}×32 (${steps} K steps): ${row.join("; ")}`);
  }
  process.exit(0);
}

for (const [name, make] of Object.entries(workloads)) {
  if (only && !only.some((o) => name.includes(o))) continue;
  if (cold) {
    // One mode per process: in one process the second mode's first call found the shared
    // kernels' pipelines, and the first mode's paid for the device's own start-up.
    console.log(
      `${name.padEnd(26)} first call, ${cold} bounds: ${(await firstStep(make, cold === "hidden")).ms.toFixed(0)} ms`,
    );
    continue;
  }
  const modes = [await firstStep(make, true), await firstStep(make, false)];
  const [a, b] = await Promise.all(modes.map((m) => m.w.read()));
  let err = 0;
  a!.forEach((o, i) => o.forEach((v, j) => (err = Math.max(err, Math.abs(v - b![i]![j]!)))));
  const ms: number[][] = [[], []];
  for (let r = 0; r < rounds; r++)
    for (const i of r % 2 ? [1, 0] : [0, 1]) ms[i]!.push(await timeSteps(modes[i]!.w, 5));
  const [mo, mc] = ms.map(median) as [number, number];
  const ratios = ms[0]!.map((t, i) => ms[1]![i]! / t).sort((x, y) => x - y);
  console.log(
    `${name.padEnd(26)} step: hidden ${mo.toFixed(3)} ms, plain ${mc.toFixed(3)} ms, plain/hidden ${(mc / mo).toFixed(2)}× ` +
      `(${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)})  max |diff| ${err.toExponential(1)}`,
  );
}
