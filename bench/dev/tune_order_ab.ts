// Is a search's verdict biased by the order candidates are tried in? Runs the search of the bench
// CNN's forward conv and the chain's kernel forward and reversed (default first either way, as
// the search needs its reference; the others reversed), interleaved, and prints each
// candidate's median per order. A candidate that is slow only when tried early is an artifact.
//   node --import tsx bench/dev/tune_order_ab.ts [--rounds N]
import { initWebGpu } from "../../runtime/src/backend/select.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { searchKernel } from "../../runtime/src/codegen/tune/search.js";
import { convSpace, elementwiseSpace } from "../../runtime/src/codegen/tuneSpaces.js";
import type { TuneSpace } from "../../runtime/src/codegen/kernelTuning.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import { chain, conv } from "./tuneGroups.js";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] || 2);
const backend = (await initWebGpu()) as WebGpuBackend | null;
if (!backend) throw new Error("no WebGPU adapter");
async function ab<C>(label: string, space: TuneSpace<C>, g: FusionGroup): Promise<void> {
  const all = space.candidates(g).slice(0, 8);
  const orders = { forward: all, reversed: [all[0]!, ...all.slice(1).reverse()] };
  const times = new Map<string, { forward: number[]; reversed: number[] }>();
  for (let r = 0; r < rounds; r++)
    for (const [name, cands] of Object.entries(orders) as ["forward" | "reversed", C[]][]) {
      const res = await searchKernel(backend!.device, space, g, 60_000, (m) => console.error(m), cands);
      for (const cand of res.candidates) {
        const e = times.get(cand.config) ?? { forward: [], reversed: [] };
        e[name].push(cand.medianNs / 1e6);
        times.set(cand.config, e);
      }
    }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(2);
  console.log(`\n${label}: median ms per candidate over ${rounds} searches, forward | reversed order`);
  for (const [cfg, e] of times) console.log(`  ${cfg.padEnd(18)} ${med(e.forward).padStart(7)} | ${med(e.reversed)}`);
}
await ab("CNN forward conv [32,3,16,16]*[16,3,3,3]", convSpace, conv);
await ab("chain on 2^20 floats", elementwiseSpace, chain);
process.exit(0);
