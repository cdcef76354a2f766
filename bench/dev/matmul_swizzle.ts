// The order in which a matmul's workgroups walk the output: the jit's default S² kernel as emitted
// (workgroup x along the output's columns, so consecutive workgroups share A's rows and each reads
// a new panel of B), with its workgroup grid walked column-first, and in groups of G workgroup rows
// (consecutive workgroups share a panel of B for G rows, as Triton's GROUP_M does), each compiled
// anew every round on the same buffers. lavapipe hands workgroups to its threads in linear order,
// so the order decides which panels the CPU caches hold. On 2026-12-03 (16 rounds): at 1024² every
// order ran within 1.00–1.03× of the kernel as emitted, at 512² within 1.00–1.06× (two runs, the
// best group differing between them, every per-round range spanning 1): no order worth emitting.
// Not a test: timings depend on the machine's load.
//   S=1024 node --import tsx bench/dev/matmul_swizzle.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { lowerMatmul } from "../../runtime/src/codegen/lowerMatmul.js";
import { setSubgroupSupport } from "../../runtime/src/codegen/subgroupSupport.js";
import { median } from "../measure.js";
import { drawnRounds, type KernelSource } from "./timedDispatches.js";
import { squareMatmulBuffers, squareMatmulGroup } from "./squareMatmul.js";

const S = Number(process.env.S ?? 1024);
const rounds = Number(process.argv[2] ?? 10);
const ctx = await acquireDevice();
const { device } = ctx;
setSubgroupSupport(ctx.subgroups ? ctx.subgroupMinSize : 0, ctx.software, ctx.subgroupMaxSize);
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
const jit = lowerMatmul(squareMatmulGroup(S), "mm");
const [gx, gy] = [jit.dispatch[0]!, jit.dispatch[1]!];

/** The kernel with its workgroup ids replaced by (sx, sy), computed by `lines` from `wid`. */
function remapped(lines: string[], grid: number[]): KernelSource {
  const open = jit.wgsl.indexOf("{", jit.wgsl.indexOf(`fn ${jit.entryPoint}(`));
  const body = jit.wgsl
    .slice(open + 1)
    .replace(/wid\.x/g, "sx")
    .replace(/wid\.y/g, "sy");
  if (/gid\.[xy]/.test(body)) throw new Error("the kernel indexes by gid: remap it too");
  return { code: `${jit.wgsl.slice(0, open + 1)}\n  ${lines.join("\n  ")}${body}`, entryPoint: jit.entryPoint, grid };
}
/** Groups of g workgroup rows: within a group, consecutive workgroups go down the rows. */
function grouped(g: number): KernelSource {
  return remapped(
    [
      `let lin = wid.y * ${gx}u + wid.x;`,
      `let first = lin / ${g * gx}u * ${g}u;`,
      `let rowsIn = min(${gy}u - first, ${g}u);`,
      `let inGroup = lin % ${g * gx}u;`,
      "let sy = first + inGroup % rowsIn;",
      "let sx = inGroup / rowsIn;",
    ],
    [gx, gy, 1],
  );
}
const kernels: { name: string; source: KernelSource }[] = [
  { name: `as emitted (grid ${gx}×${gy})`, source: { code: jit.wgsl, entryPoint: jit.entryPoint, grid: jit.dispatch } },
  { name: "column-first", source: remapped(["let sx = wid.y;", "let sy = wid.x;"], [gy, gx, 1]) },
  ...[2, 4, 8, 16].filter((g) => g < gy).map((g) => ({ name: `groups of ${g} rows`, source: grouped(g) })),
];
// C readable, so each variant's output can be checked against the kernel as emitted.
const buffers = [
  ...squareMatmulBuffers(device, S).slice(0, 2),
  device.createBuffer({ size: S * S * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }),
];
const want = new Float32Array(S * S);
const sources = kernels.map((k) => k.source);
const ms = await drawnRounds(device, wait, sources, buffers, rounds, 2, check);
/** Every variant writes the same C as the kernel as emitted (read back after its first run). */
async function check(i: number): Promise<void> {
  const read = device.createBuffer({ size: S * S * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buffers[2]!, 0, read, 0, S * S * 4);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const got = new Float32Array(read.getMappedRange().slice(0));
  read.destroy();
  if (i === 0) {
    if (!got.some((v) => v !== 0)) throw new Error("the kernel as emitted wrote only zeros");
    return want.set(got);
  }
  const bad = got.findIndex((v, j) => v !== want[j]);
  if (bad >= 0) throw new Error(`${kernels[i]!.name}: C[${bad}] = ${got[bad]}, as emitted ${want[bad]}`);
}
console.log(`${ctx.description}: ${S}² matmul, ${rounds} rounds, fresh pipelines`);
kernels.forEach((k, i) => {
  const per = ms[i]!.map((x, r) => ms[0]![r]! / x);
  const gf = (2 * S ** 3) / (median(ms[i]!) * 1e6);
  console.log(
    `  ${k.name.padEnd(28)} ${median(ms[i]!).toFixed(1).padStart(7)} ms ${gf.toFixed(1).padStart(6)} GFLOP/s  speed-up ${median(per).toFixed(2)} (${Math.min(...per).toFixed(2)}-${Math.max(...per).toFixed(2)})`,
  );
});
process.exit(0);
