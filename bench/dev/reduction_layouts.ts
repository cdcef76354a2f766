// Reductions in every layout codegen/lowerReduction.ts offers (reductionConfig.ts): a workgroup
// per output, a thread per output, and for a column reduction (a sum over the leading axis of
// [R, O]: a bias gradient) a column's rows split into 2-8 strips combined in shared memory, at
// workgroup widths 64 and 256, against the lowering's default; each result checked against a
// float64 sum on the host first. Rows are sums over the last axis of [O, R]. Not a test: timings
// depend on the machine's load.
//   node --import tsx bench/dev/reduction_layouts.ts [columns=RxO,...] [rows=OxR,...] [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { setSubgroupSupport } from "../../runtime/src/codegen/subgroupSupport.js";
import { lowerReduction } from "../../runtime/src/codegen/lowerReduction.js";
import { reductionSpace } from "../../runtime/src/codegen/tuneSpaces.js";
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import type { Eqn, Var } from "../../runtime/src/ir/types.js";
import { storageBuffer } from "../handKernels.js";
import { rankKernels, timedDispatches } from "./timedDispatches.js";

const arg = (name: string, fallback: string) =>
  (process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback)
    .split(",")
    .filter(Boolean)
    .map((t) => t.split("x").map(Number) as [number, number]);
const columns = arg("columns", "256x32,512x32,512x4,4096x4,65536x4,65536x16,8192x64,32768x32,1024x512");
const rows = arg("rows", "4x2048,64x2048,16x8192,1x65536,2x16384,4x65536");
const rounds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);
const ctx = await acquireDevice();
const { device } = ctx;
setSubgroupSupport(ctx.subgroups ? ctx.subgroupMinSize : 0, ctx.software, ctx.subgroupMaxSize);
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));

let next = 1;
const v = (shape: number[]): Var => ({ kind: "var", id: next++, aval: { shape, dtype: "float32" } });
const shapes = [
  ...columns.map(([R, O]) => ({ shape: [R, O], axis: 0, R, O })),
  ...rows.map(([O, R]) => ({ shape: [O, R], axis: 1, R, O })),
];
for (const { shape, axis, R, O } of shapes) {
  const [x, y] = [v(shape), v([O])];
  const sum = { id: next++, prim: "reduce_sum", params: { axes: [axis] }, inputs: [x], outputs: [y] };
  const eqn = { ...sum, location: null, nameStack: [] } as Eqn;
  const g: FusionGroup = { id: "k0", kind: "reduction", eqns: [eqn], inputs: [x], outputs: [y], reason: "dev" };
  const xs = Float32Array.from({ length: R * O }, (_, i) => ((i * 7919) % 4001) / 4001);
  const want = new Float64Array(O);
  for (let i = 0; i < R * O; i++) want[axis === 0 ? i % O : Math.floor(i / R)]! += xs[i]!;
  const X = storageBuffer(device, xs);
  const d = reductionSpace.defaultConfig(g);
  const variants: [string, ReturnType<typeof lowerReduction>][] = [
    [`default (${reductionSpace.describe(d)})`, lowerReduction(g)],
  ];
  for (const c of reductionSpace.candidates(g))
    if (c.wg === 64 || c.wg === 256) variants.push([reductionSpace.describe(c), lowerReduction(g, undefined, c)]);
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
    if (!(err < 1e-5)) throw new Error(`${name} on [${shape}]: relative error ${err}`);
    kernels.push({ name, run });
  }
  await rankKernels(`sum over axis ${axis} of [${shape}]`, kernels, rounds, 20);
}
process.exit(0);
