// The jit's default 1024² matmul kernel against the bench's B-shared hand blocks (2×32 and 4×16,
// workgroup 8×1), all on the same three buffers, each compiled anew every round (a fresh pipeline
// draw, see pipeline_draws.ts) and run once before its timed block: what the WGSL alone is worth,
// without the luck of one pipeline or of one buffer placement. On 2026-12-02: the jit's kernel
// 58.1 ms, the hand 2×32 58.1 ms (per-round ratio 0.93-1.10), the hand 4×16 67.8 ms, 14 rounds.
// Not a test: timings depend on the machine's load.
//   node --import tsx bench/dev/matmul_drawn_vs_hand.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import { setSubgroupSupport } from "../../runtime/src/codegen/subgroupSupport.js";
import { blockName, matmulGrid, matmulWgsl, sharedBBlocks } from "../matmulKernel.js";
import { median } from "../measure.js";
import { drawnRounds, type KernelSource } from "./timedDispatches.js";
import { squareMatmulBuffers, squareMatmulGroup } from "./squareMatmul.js";

const S = 1024;
const rounds = Number(process.argv[2] ?? 14);
const ctx = await acquireDevice();
const { device } = ctx;
setSubgroupSupport(ctx.subgroups ? ctx.subgroupMinSize : 0, ctx.software, ctx.subgroupMaxSize);
if (!ctx.subgroups || ctx.subgroupMinSize !== ctx.subgroupMaxSize) {
  console.error("matmul_drawn_vs_hand: the B-shared hand blocks need one subgroup width");
  process.exit(1);
}
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const jit = lowerMatmul(squareMatmulGroup(S), "mm");
const kernels: { name: string; source: KernelSource }[] = [
  {
    name: "jit, default configuration",
    source: { code: jit.wgsl, entryPoint: jit.entryPoint, grid: jit.dispatch },
  },
  ...sharedBBlocks(ctx.subgroupMinSize, S)
    .filter((b) => b.wy === 1)
    .map((b) => ({
      name: `hand ${blockName(b)}`,
      source: { code: matmulWgsl(b), entryPoint: "main", grid: matmulGrid(b, S, S), constants: { M: S, N: S, K: S } },
    })),
];
const buffers = squareMatmulBuffers(device, S);
const sources = kernels.map((k) => k.source);
const ms = await drawnRounds(device, wait, sources, buffers, rounds);
console.log(
  `${ctx.description}: ${S}² matmul, ${rounds} rounds, each kernel on a fresh pipeline every round (ms per dispatch)`,
);
kernels.forEach((k, i) =>
  console.log(
    `  ${k.name.padEnd(40)} ${median(ms[i]!).toFixed(1).padStart(7)} | ${ms[i]!.map((x) => x.toFixed(0).padStart(4)).join(" ")}`,
  ),
);
const ratios = kernels.slice(1).map((k, j) => {
  const per = ms[j + 1]!.map((x, r) => x / ms[0]![r]!);
  return `${k.name} / jit: ${median(per).toFixed(2)} (${Math.min(...per).toFixed(2)}-${Math.max(...per).toFixed(2)})`;
});
console.log(`  per-round ratios: ${ratios.join("; ")}`);
process.exit(0);
