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
import type { Eqn, Var, ConvParams } from "../../runtime/src/ir/types.js";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] || 2);
const backend = (await initWebGpu()) as WebGpuBackend | null;
if (!backend) throw new Error("no WebGPU adapter");
let next = 1;
const v = (shape: number[]): Var => ({ kind: "var", id: next++, aval: { shape, dtype: "float32" } });
const eqn = (prim: Eqn["prim"], inputs: Eqn["inputs"], params: unknown, out: Var): Eqn =>
  ({ id: next++, prim, params, inputs, outputs: [out], location: null, nameStack: [] }) as Eqn;

const [x, w, y] = [v([32, 3, 16, 16]), v([16, 3, 3, 3]), v([32, 16, 16, 16])];
const p: ConvParams = {
  strides: [1, 1],
  padLow: [1, 1],
  padHigh: [1, 1],
  lhsDilation: [1, 1],
  rhsDilation: [1, 1],
  groups: 1,
};
const conv: FusionGroup = {
  id: "k0",
  kind: "conv",
  eqns: [eqn("conv", [x, w], p, y)],
  inputs: [x, w],
  outputs: [y],
  reason: "ab",
};
const n = 1 << 20;
const c = v([n]);
const lit = (value: number) => ({ kind: "lit" as const, value, aval: { shape: [], dtype: "float32" as const } });
const t1 = v([n]),
  t2 = v([n]),
  t3 = v([n]),
  t4 = v([n]),
  e1 = v([n]),
  e2 = v([n]),
  e3 = v([n]),
  out = v([n]);
const chain: FusionGroup = {
  id: "k1",
  kind: "elementwise",
  eqns: [
    eqn("mul", [c, lit(1.5)], {}, t1),
    eqn("add", [t1, lit(0.5)], {}, t2),
    eqn("tanh", [t2], {}, t3),
    eqn("mul", [t3, c], {}, t4),
    eqn("mul", [c, c], {}, e1),
    eqn("neg", [e1], {}, e2),
    eqn("exp", [e2], {}, e3),
    eqn("sub", [t4, e3], {}, out),
  ],
  inputs: [c],
  outputs: [out],
  reason: "ab",
};

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
