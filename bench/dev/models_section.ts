// The bench's model section (bench/run.ts, section 5) on its own: every peer's MLP step, GPT
// block forward and step, and CNN step, made and checked first (all resident at once), then
// timed interleaved. KEEP=name,name keeps only the workloads named (e.g. KEEP=CNN) to find
// which neighbours slow which workload down; TIME=ours makes every peer's workloads but times
// only ours' (do the peers' resident devices alone slow ours?).
//   node --expose-gc --import tsx bench/dev/models_section.ts [--runs 5]
import "../peers/setup.js";
import { defaultDevice, init as initJax } from "@jax-js/jax";
import { median, timeAll, type Contender } from "../measure.js";
import { ours } from "../peers/ours.js";
import { jaxjs } from "../peers/jaxjs.js";
import { initTfjs, tfjs } from "../peers/tfjs.js";
import * as W from "../workloadData.js";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] ?? 5) || 5;
await initJax("webgpu");
defaultDevice("webgpu");
await initTfjs();
const keep = (process.env.KEEP ?? "").split(",").filter(Boolean);
const frameworks = (process.env.PEERS ?? "ours,jax-js,tfjs").split(",");
const mlp = W.mlpData(),
  gpt = W.gptData(),
  cnn = W.cnnData();
const workloads: [string, (f: W.Framework) => W.Work, number][] = [
  ["MLP step", (f) => f.mlpStep(mlp), 3],
  ["GPT block forward", (f) => f.gptForward(gpt), 3],
  ["GPT block step", (f) => f.gptStep(gpt), 2],
  ["CNN step", (f) => f.cnnStep(cnn), 3],
];
const contenders: Contender[] = [];
for (const [label, make, iters] of workloads) {
  if (keep.length && !keep.some((k) => label.includes(k))) continue;
  for (const f of [ours, jaxjs, tfjs]) {
    if (!frameworks.includes(f.name)) continue;
    const w = make(f);
    w.step();
    await w.wait();
    if (process.env.TIME && !process.env.TIME.split(",").includes(f.name)) continue;
    contenders.push({ name: `${label} ${f.name}`, iters, step: () => w.step(), wait: () => w.wait() });
  }
}
const t = await timeAll(contenders, runs);
for (const [name, ms] of t)
  console.log(`${name.padEnd(28)} ${median(ms).toFixed(2)} ms  (${ms.map((x) => x.toFixed(1)).join(" ")})`);
process.exit(0);
