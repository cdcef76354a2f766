// The order of a register-blocked matmul's A loads in its K loop (lowerMatmul.ts): all of the
// block's A rows first, then B's rows, then the updates ("A first"), or B's rows first and each A
// row just before its row's updates ("A per row"), for 4×8, 8×4, 4×4 and 8×8 blocks of the jit's
// kernel, beside the bench's hand 8×8 and 4×8 kernels, interleaved in one process. Both orders are
// made from the emitted WGSL by moving its A-load lines. Every kernel writes the same output
// buffer (see matmul_loop_bound.ts).
//   S=1024 node --import tsx bench/dev/matmul_a_order.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import { matmulWgsl } from "../matmulKernel.js";
import { rankKernels, timedDispatches } from "./timedDispatches.js";
import { squareMatmulBuffers, squareMatmulGroup } from "./squareMatmul.js";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

const S = Number(process.env.S ?? 1024);
const rounds = Number(process.argv[2] ?? 11);
const group = squareMatmulGroup(S);
const A_LOAD = /^\s*let (a\d+) = in0\[/;
/** Each A-row load moved to just before its row's first accumulator update. */
function aPerRow(wgsl: string): string {
  const loads = new Map<string, string>();
  const out: string[] = [];
  for (const line of wgsl.split("\n")) {
    const m = A_LOAD.exec(line);
    if (m) {
      loads.set(m[1]!.slice(1), line);
      continue;
    }
    const u = /^\s*acc(\d+)_0 = /.exec(line);
    if (u && loads.has(u[1]!)) {
      out.push(loads.get(u[1]!)!);
      loads.delete(u[1]!);
    }
    out.push(line);
  }
  return out.join("\n");
}
/** Every A-row load moved to the top of the K loop. */
function aFirst(wgsl: string): string {
  const lines = wgsl.split("\n");
  const loads = lines.filter((l) => A_LOAD.test(l));
  const rest = lines.filter((l) => !A_LOAD.test(l));
  const at = rest.findIndex((l) => l.includes("for (var kq = 0u;"));
  return [...rest.slice(0, at + 1), ...loads, ...rest.slice(at + 1)].join("\n");
}
const ctx = await acquireDevice();
const { device } = ctx;
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const [A, B, C] = squareMatmulBuffers(device, S);

const none: Record<string, number> = {};
const cfgs = [
  [4, 8],
  [8, 4],
  [4, 4],
  [8, 8],
] as const;
const kernels = [
  ...cfgs.flatMap(([tm, tn]) => {
    const k = lowerMatmul(group, "mm", { tm, tn, wgx: 8, wgy: 8, vec: 4 });
    return [
      {
        name: `jit ${tm}×${tn}, A first`,
        code: aFirst(k.wgsl),
        entryPoint: k.entryPoint,
        constants: none,
        grid: k.dispatch,
      },
      {
        name: `jit ${tm}×${tn}, A per row`,
        code: aPerRow(k.wgsl),
        entryPoint: k.entryPoint,
        constants: none,
        grid: k.dispatch,
      },
    ];
  }),
  {
    name: "hand 8×8",
    code: readFileSync(join(here, "matmul_hand_8x8.wgsl"), "utf8"),
    entryPoint: "main",
    constants: { M: S, N: S, K: S },
    grid: lowerMatmul(group, "mm", { tm: 8, tn: 8, wgx: 8, wgy: 8, vec: 4 }).dispatch,
  },
  {
    name: "hand 4×8 wg 8×8",
    code: matmulWgsl({ rows: 4, cols4: 2, wx: 8, wy: 8 }),
    entryPoint: "main",
    constants: { M: S, N: S, K: S },
    grid: lowerMatmul(group, "mm", { tm: 4, tn: 8, wgx: 8, wgy: 8, vec: 4 }).dispatch,
  },
];
await rankKernels(
  `${device.adapterInfo?.description ?? "adapter"}: ${S}² matmul`,
  kernels.map((k) => ({ name: k.name, run: timedDispatches(device, wait, k, [A, B, C]) })),
  rounds,
  3,
);
