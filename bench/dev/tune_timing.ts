// How steady are the autotuner's candidate times, timed by the GPU's timestamps (the search's
// way where the device has them) against the wall clock around the submit and the wait (its way
// without them; here a device that hides its timestamp feature)? Runs the search of a 512²
// matmul, the bench CNN's forward conv and the chain on 2^20 floats several times each way,
// interleaved, waiting as the runtime does, and prints per candidate the median time and the
// spread (largest ÷ smallest) of its searches' medians, and how often each search's winner won.
//   node --import tsx bench/dev/tune_timing.ts [--rounds N]
import { initWebGpu } from "../../runtime/src/backend/select.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { searchKernel } from "../../runtime/src/codegen/tune/search.js";
import { convSpace, elementwiseSpace, matmulSpace } from "../../runtime/src/codegen/tuneSpaces.js";
import type { TuneSpace } from "../../runtime/src/codegen/kernelTuning.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import { chain, conv, matmul512 } from "./tuneGroups.js";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] || 5);
const backend = (await initWebGpu()) as WebGpuBackend | null;
if (!backend) throw new Error("no WebGPU adapter");
if (!backend.device.features.has("timestamp-query")) throw new Error("the adapter has no timestamp-query");
const real = backend.device;
// The same device with its timestamp feature hidden: the search then times by the wall clock.
const wallOnly = new Proxy(real, {
  get(target, key) {
    if (key === "features") return new Set([...target.features].filter((f) => f !== "timestamp-query"));
    const value: unknown = Reflect.get(target, key, target);
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
});

async function compare<C>(label: string, space: TuneSpace<C>, g: FusionGroup): Promise<void> {
  const ways = { timestamps: real, "wall clock": wallOnly } as const;
  const times = new Map<string, Record<keyof typeof ways, number[]>>();
  const winners: Record<keyof typeof ways, string[]> = { timestamps: [], "wall clock": [] };
  for (let r = 0; r < rounds; r++)
    for (const way of (r % 2 ? ["wall clock", "timestamps"] : ["timestamps", "wall clock"]) as (keyof typeof ways)[]) {
      const cands = space.candidates(g).slice(0, 8);
      const res = await searchKernel(ways[way], space, g, 60_000, (m) => console.error(m), cands, backend!.wait);
      winners[way].push(res.winner);
      for (const c of res.candidates) {
        const e = times.get(c.config) ?? { timestamps: [], "wall clock": [] };
        e[way].push(c.medianNs / 1e6);
        times.set(c.config, e);
      }
    }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const cell = (xs: number[]) => `${med(xs).toFixed(3)} ms ×${(Math.max(...xs) / Math.min(...xs)).toFixed(2)}`;
  console.log(`\n${label}: ${rounds} searches each way; per candidate median and spread (largest ÷ smallest)`);
  console.log(`  ${"candidate".padEnd(20)} ${"timestamps".padEnd(20)} wall clock`);
  for (const [cfg, e] of times)
    console.log(`  ${cfg.padEnd(20)} ${cell(e.timestamps).padEnd(20)} ${cell(e["wall clock"])}`);
  for (const way of Object.keys(ways) as (keyof typeof ways)[]) {
    const counts = new Map<string, number>();
    for (const w of winners[way]) counts.set(w, (counts.get(w) ?? 0) + 1);
    console.log(`  winners by ${way}: ${[...counts].map(([w, n]) => `${w} ${n}×`).join(", ")}`);
  }
}
await compare("matmul 512²", matmulSpace, matmul512);
await compare("CNN forward conv [32,3,16,16]*[16,3,3,3]", convSpace, conv);
await compare("chain on 2^20 floats", elementwiseSpace, chain);
process.exit(0);
