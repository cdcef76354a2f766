// The CNN training step (bench/workloadData.ts CNN), ours against jax-js on the same Dawn
// device, with the workloads of bench/peers: results checked first (the parameter updates must
// agree), then timed in interleaved runs (bench/measure.ts timeAll). Prints each run's ms per
// step and the ratio jax-js / ours (median, lowest–highest run), with the load average. Not a
// test: on a shared machine the figures move with the others' load.
//   node --expose-gc --import tsx bench/dev/cnn_vs_jaxjs.ts [--runs 7] [--iters 10]

import "../peers/setup.js";
import { loadavg } from "node:os";
import { defaultDevice, init as initJax } from "@jax-js/jax";
import { currentBackend } from "../../runtime/src/index.js";
import { checkClose } from "../check.js";
import { median, timeAll, type Contender } from "../measure.js";
import { ours } from "../peers/ours.js";
import { jaxjs } from "../peers/jaxjs.js";
import * as W from "../workloadData.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const runs = Number(arg("--runs", "7")),
  iters = Number(arg("--iters", "10"));
if (currentBackend().name !== "webgpu") throw new Error("cnn_vs_jaxjs: needs the WebGPU backend");
await initJax("webgpu");
defaultDevice("webgpu");

const load0 = loadavg()[0]!;
const d = W.cnnData();
const base = [d.w, d.b, d.dw, d.db];
const works = [ours, jaxjs].map((f) => ({ name: f.name, w: f.cnnStep(d) }));
const got: Float32Array[][] = [];
for (const { w } of works) {
  w.step();
  await w.wait();
  got.push(await w.read());
}
for (let i = 0; i < base.length; i++) {
  const delta = (x: Float32Array) => x.map((v, j) => v - base[i]![j]!);
  const err = checkClose(delta(got[1]![i]!), delta(got[0]![i]!), 2e-3);
  if (err) throw new Error(`jax-js and ours disagree on the update of output ${i}: ${err}`);
}
const contenders: Contender[] = works.map(({ name, w }) => ({
  name,
  iters,
  step: () => w.step(),
  wait: () => w.wait(),
}));
const t = await timeAll(contenders, runs);
const a = t.get("jax-js")!,
  b = t.get("ours")!;
const ratios = a.map((x, i) => x / b[i]!);
console.log(
  `CNN step, ${runs} interleaved runs of ${iters} steps (load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`,
);
console.log(`  jax-js ms/step: ${a.map((x) => x.toFixed(2)).join(" ")}`);
console.log(`  ours   ms/step: ${b.map((x) => x.toFixed(2)).join(" ")}`);
console.log(
  `  jax-js ${median(a).toFixed(2)} ms vs ours ${median(b).toFixed(2)} ms: jax-js / ours = ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
);
process.exit(0);
