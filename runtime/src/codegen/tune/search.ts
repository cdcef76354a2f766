// One autotune search: every candidate configuration of a kernel (its TuneSpace: matmul, conv,
// elementwise; codegen/tuneSpaces.ts) compiled and timed on the device with inputs of the
// kernel's shapes, within a time budget (tried in order; the search stops starting candidates
// once the budget is spent, as tinygrad's BEAM search does; the reached ones then get their
// remaining timed blocks round-robin). Each candidate's outputs are checked against the
// default's: one that disagrees is a code generator bug, reported and never chosen.
//
// A block is timed by the GPU's timestamps where the device has them: written at the start of its
// first dispatch and the end of its last, so neither the submit nor the wait for the result
// counts. By the wall clock, a wait that sleeps (a software adapter, backend/deviceWait.ts) ends
// up to 25% late at random, and a short block carries the submit's cost.

import type { FusionGroup, KernelSpec } from "../kernelPlan.js";
import type { TuneSpace } from "../kernelTuning.js";
import { sizeOf } from "../../ir/types.js";
import type { CachedTune } from "./tuneCache.js";
import { beatsDefaultOnFreshPipelines, type DrawPipeline, type TimedBlock } from "./recheck.js";

const STORAGE = 0x80,
  COPY_DST = 0x08,
  COPY_SRC = 0x04,
  MAP_READ = 0x01,
  QUERY_RESOLVE = 0x200;
/** Timed blocks per candidate (the median is kept). */
const BLOCKS = 3;
/** Paired blocks (default, winner) that must confirm a winner other than the default. */
const CONFIRM = 3;
/** Pipelines compiling ahead of the candidate being run. */
const COMPILE_AHEAD = 3;
/** A block lasts at least this long, so submit overhead does not decide between small kernels. */
const MIN_BLOCK_MS = 2;
/** Single dispatches timed to size a candidate's blocks (the fastest is kept). */
const PROBES = 3;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Buffers are whole vec4s: a vec4 kernel's last partial vec4 reads and writes the padding. */
const padded = (bytes: number) => Math.max(16, Math.ceil(bytes / 16) * 16);

export async function searchKernel<C>(
  device: GPUDevice,
  space: TuneSpace<C>,
  group: FusionGroup,
  budgetMs: number,
  onMismatch: (message: string) => void = () => {},
  candidates: readonly C[] = space.candidates(group),
  /** How to wait on Dawn (backend/deviceWait.ts): a software adapter's kernels run faster when
   *  the wait sleeps instead of polling on a core they need. */
  wait: <T>(start: () => Promise<T>) => Promise<T> = (start) => start(),
): Promise<CachedTune> {
  const t0 = performance.now();
  const buffers: GPUBuffer[] = [];
  const buffer = (bytes: number, usage: number) => {
    const b = device.createBuffer({ size: padded(bytes), usage });
    buffers.push(b);
    return b;
  };
  let seed = 12345;
  const inputs = group.inputs.map((v) => {
    const n = sizeOf(v.aval.shape);
    const data =
      v.aval.dtype === "float32"
        ? Float32Array.from(
            { length: n },
            () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1,
          )
        : Int32Array.from({ length: n }, (_, i) => (v.aval.dtype === "bool" ? i & 1 : (i % 7) - 3));
    const b = buffer(n * 4, STORAGE | COPY_DST);
    device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    return b;
  });
  const outputs = group.outputs.map((v) => buffer(sizeOf(v.aval.shape) * 4, STORAGE | COPY_SRC | COPY_DST));
  // Every output, as its bytes: floats compared with a tolerance, the rest exactly.
  const readOutputs = async (): Promise<ArrayBuffer[]> => {
    const enc = device.createCommandEncoder();
    const staging = group.outputs.map((v, i) => {
      const size = padded(sizeOf(v.aval.shape) * 4);
      const s = device.createBuffer({ size, usage: MAP_READ | COPY_DST });
      enc.copyBufferToBuffer(outputs[i]!, 0, s, 0, size);
      return s;
    });
    device.queue.submit([enc.finish()]);
    return Promise.all(
      staging.map(async (s, i) => {
        await wait(() => s.mapAsync(MAP_READ));
        const copy = s.getMappedRange().slice(0, sizeOf(group.outputs[i]!.aval.shape) * 4);
        s.unmap();
        s.destroy();
        return copy;
      }),
    );
  };
  const floats = group.outputs.map((v) => v.aval.dtype === "float32");
  const stamps = device.features.has("timestamp-query") ? blockStamps(device, buffer, wait) : null;

  const dflt = space.describe(space.defaultConfig(group));
  const results: { config: string; medianNs: number }[] = [];
  let reference: ArrayBuffer[] | null = null;
  const reached: { name: string; spec: KernelSpec; reps: number; block: TimedBlock; times: number[] }[] = [];
  try {
    // Candidates compile a few ahead of the one being run (the driver's compiler threads overlap
    // them with its run); all at once, they would share the cores and every one would be late,
    // so fewer were reached within the budget. Only those reached are timed.
    const lowered = candidates.flatMap((cfg) => {
      try {
        return [{ cfg, spec: space.lower(group, "autotune", cfg) }];
      } catch (e) {
        onMismatch(
          `autotune: ${space.describe(cfg)} cannot be lowered (${e instanceof Error ? e.message : String(e)})`,
        );
        return [];
      }
    });
    /** A new pipeline of `spec` (the search's candidates, and the re-check's fresh draws). */
    const compile = (spec: KernelSpec): Promise<GPUComputePipeline> =>
      device.createComputePipelineAsync({
        layout: "auto",
        compute: { module: device.createShaderModule({ code: spec.wgsl }), entryPoint: spec.entryPoint },
      });
    const compiling: Promise<GPUComputePipeline>[] = [];
    const compileUpTo = (i: number) => {
      for (let j = compiling.length; j <= Math.min(i, lowered.length - 1); j++) {
        const p = compile(lowered[j]!.spec);
        p.catch(() => {}); // awaited below if reached; a failure then is reported there
        compiling.push(p);
      }
    };
    /** A timed block of `n` dispatches of `pipeline` (ms per dispatch). */
    const blockOf = (pipeline: GPUComputePipeline, spec: KernelSpec): TimedBlock => {
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [...inputs, ...outputs].map((b, binding) => ({ binding, resource: { buffer: b } })),
      });
      return async (n: number): Promise<number> => {
        // Work already queued (the script's own, when the search runs beside it) finishes first:
        // the queue is in order, and it would otherwise count as this block's time.
        await wait(() => device.queue.onSubmittedWorkDone());
        const enc = device.createCommandEncoder();
        for (let i = 0; i < n; i++) {
          const timestampWrites = stamps?.writes(i, n);
          const pass = enc.beginComputePass(timestampWrites ? { timestampWrites } : undefined);
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bindGroup);
          pass.dispatchWorkgroups(...spec.dispatch);
          pass.end();
        }
        stamps?.resolve(enc);
        const start = performance.now();
        device.queue.submit([enc.finish()]);
        await wait(() => device.queue.onSubmittedWorkDone());
        const wallMs = performance.now() - start;
        const gpuMs = stamps ? await stamps.read() : null;
        return (gpuMs ?? wallMs) / n;
      };
    };
    for (const [i, { cfg, spec }] of lowered.entries()) {
      const name = space.describe(cfg);
      if (reached.length > 0 && performance.now() - t0 > budgetMs) break;
      compileUpTo(i + COMPILE_AHEAD);
      let pipeline: GPUComputePipeline;
      try {
        pipeline = await compiling[i]!;
      } catch (e) {
        onMismatch(`autotune: ${name} does not compile (${e instanceof Error ? e.message : String(e)}); not used`);
        continue;
      }
      const block = blockOf(pipeline, spec);
      // Outputs cleared first, so a candidate that skips values cannot pass on the previous one's.
      const clear = device.createCommandEncoder();
      for (const o of outputs) clear.clearBuffer(o);
      device.queue.submit([clear.finish()]);
      await block(1); // warm-up: the driver finishes compiling here
      const got = await readOutputs();
      if (reference === null) reference = got;
      else if (!got.every((g, i) => agrees(g, reference![i]!, floats[i]!))) {
        onMismatch(`autotune: ${name} disagrees with the default ${dflt} on ${spec.plan}; not used`);
        continue;
      }
      reached.push({ name, spec, reps: 1, block, times: [] });
    }
    // Timing starts once no candidate is compiling any more (the driver's compiler threads would
    // slow whichever candidates ran meanwhile, the default first of all); then every timed block
    // goes round-robin over the candidates reached, so a change in the machine's load during the
    // search shifts every candidate alike instead of a few.
    await Promise.allSettled(compiling);
    for (const r of reached) {
      // The fastest of three single dispatches: on 2 cores one probe now and then reads
      // milliseconds (its thread preempted), and blocks sized from it held 2 passes of a 0.1 ms
      // kernel, so the submit's cost decided between small kernels again.
      let one = Infinity;
      for (let i = 0; i < PROBES; i++) one = Math.min(one, await r.block(1));
      r.reps = Math.max(1, Math.min(64, Math.ceil(MIN_BLOCK_MS / Math.max(one, 1e-3))));
    }
    for (let round = 0; round < BLOCKS; round++) for (const r of reached) r.times.push(await r.block(r.reps));
    for (const r of reached) results.push({ config: r.name, medianNs: Math.round(median(r.times) * 1e6) });
    if (results.length === 0) throw new Error(`no candidate of ${dflt}'s kernel ${group.id} ran`);
    const best = results.reduce((a, b) => (b.medianNs < a.medianNs ? b : a));
    const base = reached.find((r) => r.name === dflt);
    // A winner other than the default must beat it again in paired blocks (default, winner,
    // alternately), each side on a pipeline compiled for that block (tune/recheck.ts): a
    // candidate that won by a burst of the machine's load, or by its pipeline's luck, does not
    // replace it.
    if (base && best.config !== dflt) {
      const challenger = reached.find((r) => r.name === best.config)!;
      const drawOf =
        (spec: KernelSpec): DrawPipeline =>
        async () => {
          const block = blockOf(await compile(spec), spec);
          await block(1);
          return block;
        };
      const confirmed = await beatsDefaultOnFreshPipelines(
        { draw: drawOf(base.spec), reps: base.reps },
        { draw: drawOf(challenger.spec), reps: challenger.reps },
        CONFIRM,
      );
      if (!confirmed) return { ...record(results, dflt, dflt, budgetMs), unconfirmed: best.config };
    }
    return record(results, best.config, dflt, budgetMs);
  } finally {
    for (const b of buffers) b.destroy();
    stamps?.destroy();
  }
}

/** Two timestamps around a block of passes: the first pass's start and the last one's end. */
interface BlockStamps {
  /** The timestamp writes of pass `pass` of `passes` (none between the first and the last). */
  writes(pass: number, passes: number): GPUComputePassTimestampWrites | undefined;
  resolve(enc: GPUCommandEncoder): void;
  /** The span read back, ms; null when the timestamps cannot be a span (end before start). */
  read(): Promise<number | null>;
  destroy(): void;
}

function blockStamps(
  device: GPUDevice,
  buffer: (bytes: number, usage: number) => GPUBuffer,
  wait: <T>(start: () => Promise<T>) => Promise<T>,
): BlockStamps {
  const querySet = device.createQuerySet({ type: "timestamp", count: 2 });
  const resolved = buffer(16, QUERY_RESOLVE | COPY_SRC);
  const readback = buffer(16, MAP_READ | COPY_DST);
  return {
    writes: (pass, passes) =>
      pass === 0 || pass === passes - 1
        ? {
            querySet,
            ...(pass === 0 ? { beginningOfPassWriteIndex: 0 } : {}),
            ...(pass === passes - 1 ? { endOfPassWriteIndex: 1 } : {}),
          }
        : undefined,
    resolve(enc) {
      enc.resolveQuerySet(querySet, 0, 2, resolved, 0);
      enc.copyBufferToBuffer(resolved, 0, readback, 0, 16);
    },
    async read() {
      await wait(() => readback.mapAsync(MAP_READ));
      const [begin, end] = new BigUint64Array(readback.getMappedRange().slice(0));
      readback.unmap();
      return blockSpanMs(begin!, end!);
    },
    destroy: () => querySet.destroy(),
  };
}

/** A block's span from its two timestamps, ms; null when they do not make one (a device may
 *  write zeros, or its clock may step back): the wall clock times that block instead. */
export function blockSpanMs(begin: bigint, end: bigint): number | null {
  return end > begin && begin > 0n ? Number(end - begin) / 1e6 : null;
}

function record(
  results: { config: string; medianNs: number }[],
  winner: string,
  dflt: string,
  budgetMs: number,
): CachedTune {
  const ns = (c: string) => results.find((r) => r.config === c)?.medianNs ?? 0;
  const margin = winner !== dflt && ns(winner) > 0 && ns(dflt) > 0 ? ns(dflt) / ns(winner) : 1;
  return { candidates: results, winner, defaultConfig: dflt, speedupOverDefault: margin, budgetMs };
}

function agrees(got: ArrayBuffer, want: ArrayBuffer, float: boolean): boolean {
  if (!float) {
    const a = new Int32Array(got),
      b = new Int32Array(want);
    return a.every((x, i) => x === b[i]);
  }
  const a = new Float32Array(got),
    b = new Float32Array(want);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!,
      y = b[i]!;
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    if (Math.abs(x - y) > 1e-3 * Math.max(1, Math.abs(y))) return false;
  }
  return true;
}
