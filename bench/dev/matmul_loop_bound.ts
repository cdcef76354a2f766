// The jit's 1024² matmul kernel as emitted (its K loop bounded by a `let`) against the same
// kernel with the bound written as a literal, and the bench's best hand kernel, interleaved in one
// process. Every kernel writes the same output buffer: on lavapipe a 1024-float row stride makes
// the output's placement against the inputs move a kernel's time by up to 20%, which would
// drown the difference being measured. Each kernel is compiled twice (two pipelines): one
// pipeline of the same WGSL can also land 10–20% slow, so look at both rows.
//   node --import tsx bench/dev/matmul_loop_bound.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import { matmulWgsl } from "../matmulKernel.js";
import { rankKernels, timedDispatches } from "./timedDispatches.js";
import { squareMatmulBuffers, squareMatmulGroup } from "./squareMatmul.js";

const S = 1024;
const rounds = Number(process.argv[2] ?? 11);
const group = squareMatmulGroup(S);
const jit = lowerMatmul(group, "mm"); // the default block at 1024²: 4×8 in 8×8 workgroups
const literal = jit.wgsl.replace(/let kSteps = (\d+)u;/, "").replace("kq < kSteps", `kq < ${S / 4}u`);
if (literal === jit.wgsl) throw new Error("the jit's kernel no longer bounds its loop by kSteps");

const ctx = await acquireDevice();
const { device } = ctx;
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const [A, B, C] = squareMatmulBuffers(device, S);

const none: Record<string, number> = {};
const kernels = [
  { name: "jit (let bound)", code: jit.wgsl, entryPoint: jit.entryPoint, constants: none },
  { name: "jit, literal bound", code: literal, entryPoint: jit.entryPoint, constants: none },
  {
    name: "hand 4×8 wg 8×8",
    code: matmulWgsl({ rows: 4, cols4: 2, wx: 8, wy: 8 }),
    entryPoint: "main",
    constants: { M: S, N: S, K: S },
  },
].flatMap((k) => [1, 2].map((copy) => ({ ...k, name: `${k.name} #${copy}` })));
await rankKernels(
  `${device.adapterInfo?.description ?? "adapter"}: ${S}² matmul`,
  kernels.map((k) => ({ name: k.name, run: timedDispatches(device, wait, { ...k, grid: jit.dispatch }, [A, B, C]) })),
  rounds,
  3,
);
