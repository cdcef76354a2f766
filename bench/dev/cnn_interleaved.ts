// Does ours' CNN step slow down when other workloads run between its runs, as in `npm run bench`
// (where the MLP and GPT steps of every peer interleave with it)? Times ours' CNN step alone,
// interleaved with ours' GPT block step, and interleaved with jax-js's and tfjs's CNN steps
// (each peer on its own device of the same adapter), in one process.
//   node --expose-gc --import tsx bench/dev/cnn_interleaved.ts [--runs 9]
import "../peers/setup.js";
import { median, timeAll, type Contender } from "../measure.js";
import { ours } from "../peers/ours.js";
import { jaxjs } from "../peers/jaxjs.js";
import { initTfjs, tfjs } from "../peers/tfjs.js";
import { defaultDevice, init as initJax } from "@jax-js/jax";
import * as W from "../workloadData.js";
import type { Work } from "../workloadData.js";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] ?? 9) || 9;
const d = W.cnnData();
const cnn = ours.cnnStep(d);
const c = (name: string, w: Work, iters: number): Contender => ({
  name,
  iters,
  step: () => w.step(),
  wait: () => w.wait(),
});
const show = (label: string, t: Map<string, number[]>) =>
  console.log(`${label}: ${[...t].map(([n, ms]) => `${n} ${median(ms).toFixed(2)} ms/step`).join(", ")}`);
show("alone", await timeAll([c("ours cnn", cnn, 3)], runs));
show("with ours' GPT step", await timeAll([c("ours cnn", cnn, 3), c("ours gpt", ours.gptStep(W.gptData()), 2)], runs));
await initJax("webgpu");
defaultDevice("webgpu");
show("with jax-js", await timeAll([c("ours cnn", cnn, 3), c("jax-js cnn", jaxjs.cnnStep(d), 3)], runs));
await initTfjs();
show("with tfjs", await timeAll([c("ours cnn", cnn, 3), c("tfjs cnn", tfjs.cnnStep(d), 3)], runs));
process.exit(0);
