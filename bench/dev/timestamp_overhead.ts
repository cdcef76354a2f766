// Dev measurement: what a timestamped pass adds to the span it measures. A copy kernel of N floats
// over G workgroups, 64 dispatches each in a compute pass of its own, timed four ways in one
// submit each: every pass timestamped at start and end ("each"), only at its start ("begin"),
// only at its end ("end"), or one span over all 64 ("one", as an unprofiled program runs them).
// Prints per dispatch the wall time and the span, medians of 7 rounds; the runtime takes the
// difference between "each" and "one" off every timed span (profile/timestampOverhead.ts).
//   node --import tsx bench/dev/timestamp_overhead.ts
//   CASES='[[256,1],[65536,16]]' node --import tsx bench/dev/timestamp_overhead.ts
import { initWebGpu, currentBackend } from "../../runtime/src/index.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { median } from "../measure.js";

type Mode = "each" | "begin" | "end" | "one";
const MODES: readonly Mode[] = ["each", "begin", "end", "one"];
const N_DISPATCH = 64;
const ROUNDS = 7;

await initWebGpu();
const device = (currentBackend() as unknown as WebGpuBackend).device;
const wait = deviceWaiter("sleep");
const querySet = device.createQuerySet({ type: "timestamp", count: 2 * N_DISPATCH });
const resolveBuf = device.createBuffer({ size: 16 * N_DISPATCH, usage: 0x200 | 0x4 });
const readBuf = device.createBuffer({ size: 16 * N_DISPATCH, usage: 0x1 | 0x8 });

function copyKernel(n: number, groups: number) {
  const code = `@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> b: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  for (var i = g.x; i < ${n}u; i += ${64 * groups}u) { b[i] = a[i] * 2.0 + 1.0; }
}`;
  const buffers = [0, 1].map(() => device.createBuffer({ size: n * 4, usage: 0x80 }));
  const module = device.createShaderModule({ code });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return { pipeline, bindGroup, groups };
}

/** The pass's timestamp writes in each mode; which query slots hold the spans' ends. */
function writesOf(mode: Mode, i: number): GPUComputePassTimestampWrites | undefined {
  const last = i === N_DISPATCH - 1;
  switch (mode) {
    case "each":
      return { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
    case "begin":
      return { querySet, beginningOfPassWriteIndex: i, ...(last ? { endOfPassWriteIndex: i + 1 } : {}) };
    case "end":
      return { querySet, endOfPassWriteIndex: i + 1, ...(i === 0 ? { beginningOfPassWriteIndex: 0 } : {}) };
    case "one":
      return i === 0
        ? { querySet, beginningOfPassWriteIndex: 0 }
        : last
          ? { querySet, endOfPassWriteIndex: 1 }
          : undefined;
  }
}

async function run(k: ReturnType<typeof copyKernel>, mode: Mode): Promise<{ wallUs: number; spanUs: number }> {
  const enc = device.createCommandEncoder();
  for (let i = 0; i < N_DISPATCH; i++) {
    const timestampWrites = writesOf(mode, i);
    const pass = enc.beginComputePass(timestampWrites ? { timestampWrites } : {});
    pass.setPipeline(k.pipeline);
    pass.setBindGroup(0, k.bindGroup);
    pass.dispatchWorkgroups(k.groups);
    pass.end();
  }
  const queries = mode === "each" ? 2 * N_DISPATCH : mode === "one" ? 2 : N_DISPATCH + 1;
  enc.resolveQuerySet(querySet, 0, queries, resolveBuf, 0);
  enc.copyBufferToBuffer(resolveBuf, 0, readBuf, 0, 8 * queries);
  const t0 = performance.now();
  device.queue.submit([enc.finish()]);
  await wait(() => device.queue.onSubmittedWorkDone());
  const wallUs = ((performance.now() - t0) * 1000) / N_DISPATCH;
  await readBuf.mapAsync(1);
  const t = new BigUint64Array(readBuf.getMappedRange().slice(0));
  readBuf.unmap();
  const us = (a: number, b: number) => Number(t[b]! - t[a]!) / 1000;
  const spans =
    mode === "each"
      ? Array.from({ length: N_DISPATCH }, (_, i) => us(2 * i, 2 * i + 1))
      : mode === "one"
        ? [us(0, 1) / N_DISPATCH]
        : Array.from({ length: N_DISPATCH }, (_, i) => us(i, i + 1));
  return { wallUs, spanUs: median(spans) };
}

const cases = (
  process.env.CASES
    ? JSON.parse(process.env.CASES)
    : [
        [256, 1],
        [4096, 16],
        [65536, 4],
        [1 << 20, 64],
      ]
) as [number, number][];
console.log(`${N_DISPATCH} dispatches per submit, medians of ${ROUNDS} rounds, µs per dispatch`);
for (const [n, groups] of cases) {
  const k = copyKernel(n, groups);
  await run(k, "one");
  const got = new Map<Mode, { wallUs: number; spanUs: number }[]>(MODES.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++) for (const m of MODES) got.get(m)!.push(await run(k, m));
  const med = (m: Mode, f: "wallUs" | "spanUs") => median(got.get(m)!.map((x) => x[f]));
  const cells = MODES.map((m) => `${m} ${med(m, "spanUs").toFixed(0)} (wall ${med(m, "wallUs").toFixed(0)})`);
  console.log(
    `N=${n} over ${groups} wg: span ${cells.join(" · ")} · each − one ${(med("each", "spanUs") - med("one", "spanUs")).toFixed(0)}`,
  );
}
process.exit(0);
