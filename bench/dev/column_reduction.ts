// Column reductions (a sum over the leading axis of [R, O]: a bias gradient) in every layout
// codegen/lowerReduction.ts offers: a workgroup per output (the only layout before 2026-12-03),
// a thread per column (1 strip), and a column's rows split into 2-8 strips combined in shared
// memory, at workgroup widths 64 and 256, against the lowering's default; each result checked
// against a float64 sum on the host first. Not a test: timings depend on the machine's load.
//   node --import tsx bench/dev/column_reduction.ts [RxO,RxO,...] [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { setSubgroupSupport } from "../../runtime/src/codegen/subgroupSupport.js";
import { lowerReduction, type ColumnStrips } from "../../runtime/src/codegen/lowerReduction.js";
import { reductionSpace } from "../../runtime/src/codegen/tuneSpaces.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import type { Eqn, Var } from "../../runtime/src/ir/types.js";
import { storageBuffer } from "../handKernels.js";
import { rankKernels, timedDispatches } from "./timedDispatches.js";

const shapes = (process.argv[2] ?? "256x32,512x32,512x4,4096x4,65536x4,65536x16,8192x64,32768x32,1024x512")
  .split(",")
  .map((t) => t.split("x").map(Number) as [number, number]);
const rounds = Number(process.argv[3] ?? 5);
const ctx = await acquireDevice();
const { device } = ctx;
setSubgroupSupport(ctx.subgroups ? ctx.subgroupMinSize : 0, ctx.software, ctx.subgroupMaxSize);
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));

let next = 1;
const v = (shape: number[]): Var => ({ kind: "var", id: next++, aval: { shape, dtype: "float32" } });
for (const [R, O] of shapes) {
  const [x, y] = [v([R, O]), v([O])];
  const sum = {
    id: next++,
    prim: "reduce_sum",
    params: { axes: [0] },
    inputs: [x],
    outputs: [y],
    location: null,
    nameStack: [],
  };
  const g: FusionGroup = { id: "k0", kind: "reduction", eqns: [sum as Eqn], inputs: [x], outputs: [y], reason: "dev" };
  const xs = Float32Array.from({ length: R * O }, (_, i) => ((i * 7919) % 4001) / 4001);
  const want = new Float64Array(O);
  for (let r = 0; r < R; r++) for (let o = 0; o < O; o++) want[o]! += xs[r * O + o]!;
  const X = storageBuffer(device, xs);
  const variants: [string, ReturnType<typeof lowerReduction>][] = [
    [`default (${reductionSpace.describe(reductionSpace.defaultConfig(g))})`, lowerReduction(g)],
  ];
  for (const wg of [64, 256] as const)
    for (const strips of [0, 1, 2, 4, 8] as ColumnStrips[])
      variants.push([reductionSpace.describe({ wg, strips }), lowerReduction(g, undefined, { wg, strips })]);
  const kernels = [];
  for (const [name, spec] of variants) {
    const out = device.createBuffer({ size: O * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const run = timedDispatches(device, wait, { code: spec.wgsl, entryPoint: spec.entryPoint, grid: spec.dispatch }, [
      X,
      out,
    ]);
    await run(1);
    const staging = device.createBuffer({ size: O * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(out, 0, staging, 0, O * 4);
    device.queue.submit([enc.finish()]);
    await wait(() => staging.mapAsync(GPUMapMode.READ));
    const got = new Float32Array(staging.getMappedRange().slice(0));
    const err = Math.max(...Array.from(got, (g2, i) => Math.abs(g2 - want[i]!) / Math.abs(want[i]!)));
    if (!(err < 1e-5)) throw new Error(`${name} on [${R},${O}]: relative error ${err}`);
    kernels.push({ name, run });
  }
  await rankKernels(`sum over axis 0 of [${R},${O}]`, kernels, rounds, 20);
}
process.exit(0);
