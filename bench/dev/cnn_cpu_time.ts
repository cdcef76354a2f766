// The CNN training step (bench/workloadData.ts CNN), ours against jax-js on the same Dawn device,
// timed in process CPU time (process.cpuUsage: user + system) rather than wall time: on lavapipe
// the GPU is this process's own threads, so CPU time is GPU time plus host time, and it moves
// far less than wall time when other processes load the machine. Blocks of `iters` steps
// alternate between the two; prints CPU ms per step (median, lowest–highest block) and the
// ratio jax-js / ours of the medians. Not a test; never part of `npm run bench`.
//   node --expose-gc --import tsx bench/dev/cnn_cpu_time.ts [--runs 15] [--iters 10]

import "../peers/setup.js";
import { loadavg } from "node:os";
import { defaultDevice, init as initJax } from "@jax-js/jax";
import { currentBackend } from "../../runtime/src/index.js";
import { median } from "../measure.js";
import { ours } from "../peers/ours.js";
import { jaxjs } from "../peers/jaxjs.js";
import * as W from "../workloadData.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const runs = Number(arg("--runs", "15")),
  iters = Number(arg("--iters", "10"));
if (currentBackend().name !== "webgpu") throw new Error("cnn_cpu_time: needs the WebGPU backend");
await initJax("webgpu");
defaultDevice("webgpu");

const load0 = loadavg()[0]!;
const d = W.cnnData();
const works = [ours, jaxjs].map((f) => ({ name: f.name, w: f.cnnStep(d), ms: [] as number[] }));
for (const { w } of works) {
  for (let i = 0; i < 3; i++) w.step(); // compile and warm up
  await w.wait();
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let r = 0; r < runs; r++) {
  for (const c of r % 2 ? [...works].reverse() : works) {
    globalThis.gc?.();
    const t0 = cpuMs();
    for (let i = 0; i < iters; i++) c.w.step();
    await c.w.wait();
    c.ms.push((cpuMs() - t0) / iters);
  }
}
const line = (c: (typeof works)[number]) =>
  `${c.name.padEnd(6)} CPU ms/step ${median(c.ms).toFixed(2)} (${Math.min(...c.ms).toFixed(2)}–${Math.max(...c.ms).toFixed(2)})`;
console.log(
  `CNN step, ${runs} alternating blocks of ${iters} steps (load ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`,
);
for (const c of works) console.log(`  ${line(c)}`);
console.log(`  jax-js / ours (CPU time) = ${(median(works[1]!.ms) / median(works[0]!.ms)).toFixed(2)}×`);
process.exit(0);
