// lax.while_loop on WebGPU. A jitted call returns at once and its arrays are read later, but a
// while loop's trip count is a device value. So the loop is driven by the device and read back
// rarely:
//   - per iteration: the condition's kernels write the predicate; a control kernel turns it into
//     a flag, an iteration count and the workgroup counts of the iteration's other dispatches
//     (0 once the predicate is false); the body's kernels are dispatched indirectly with them and
//     write a second buffer set; commit kernels, indirect too, copy that set into the carry. An
//     iteration encoded past the loop's end thus runs no body workgroup and changes nothing.
//   - iterations are encoded in chunks of K (16, doubling up to 256) and submitted; the flag is
//     read back (mapAsync) after each chunk and the next chunk encoded only if the loop runs on.
//     Waste is bounded: at most one chunk of no-op iterations (≤ the iterations run, + 16).
//   - ordering: the loop is a step of the shared command batch (commandBatch.ts `deviceLoop`);
//     everything encoded after it is held and submitted when it ends, readbacks wait for it, and
//     freed buffers are not reused for queue writes until then.
// The loop's own buffers (carry, body results, predicate, control) are taken when it starts and
// given back when it ends, so memory stays bounded however many iterations run.

import {
  controlBytes,
  controlEntryOffset,
  controlWgsl,
  copyGrid,
  copyWgsl,
  CONTROL_HEADER_WORDS,
  FIRST_CHUNK,
  MAX_CHUNK,
} from "../codegen/whileControl.js";
import type { LoopPlan } from "../codegen/kernelPlan.js";
import { sizeOf, type WhileParams } from "../ir/types.js";
import { bufferBytes, type GpuState } from "./gpuState.js";
import { JitScopeError } from "../ir/errors.js";
import { wholeBuffers, type LoopKind, type Prepare, type PreparedLoop } from "./webgpuLoop.js";

/** What one run of a while loop did on the device. */
export interface WhileRun {
  /** Iterations the body ran (the trip count). */
  readonly iterations: number;
  /** Chunks submitted, each followed by one read of the flag. */
  readonly chunks: number;
  /** Iterations encoded (≥ iterations: the last chunk's rest ran as no-ops). */
  readonly encoded: number;
}

let lastRun: WhileRun | null = null;
/** `ran` when nobody times the dispatches (the recorder is off). */
const NEVER_READ: Promise<boolean> = Promise.resolve(false);
/** The last while loop that finished on the device in this process (for tests and tools). */
export const lastWhileRun = (): WhileRun | null => lastRun;

const STORAGE = 0x80,
  INDIRECT = 0x100,
  COPY_SRC = 0x04,
  COPY_DST = 0x08,
  MAP_READ = 0x01;

interface SmallPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

const pipelines = new WeakMap<GPUDevice, Map<string, SmallPipeline>>();

/** A one-input, one-output pipeline with an explicit layout, cached by WGSL per device. */
function smallPipeline(device: GPUDevice, wgsl: string, label: string): SmallPipeline {
  let byWgsl = pipelines.get(device);
  if (!byWgsl) pipelines.set(device, (byWgsl = new Map()));
  const hit = byWgsl.get(wgsl);
  if (hit) return hit;
  const layout = device.createBindGroupLayout({
    label,
    entries: [
      { binding: 0, visibility: 4, buffer: { type: "read-only-storage" } },
      { binding: 1, visibility: 4, buffer: { type: "storage" } },
    ],
  });
  const pipeline = device.createComputePipeline({
    label,
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ code: wgsl, label }), entryPoint: "main" },
  });
  const made = { pipeline, layout };
  byWgsl.set(wgsl, made);
  return made;
}

/** `inLoop`: the loop whose body holds this one (refused: see the error). */
export function prepareWhile(state: GpuState, loop: LoopPlan, prepare: Prepare, inLoop?: LoopKind): PreparedLoop {
  if (inLoop) {
    throw new JitScopeError(
      "backend",
      `lax.while_loop inside a ${inLoop === "scan" ? "lax.scan / fori_loop" : "lax.while_loop"} body cannot run on WebGPU: ` +
        "its trip count is read back from the device between chunks of iterations, which the enclosing loop's iterations (encoded ahead) cannot wait for. " +
        'Move the while_loop out of the loop body, give it a static bound (lax.fori_loop with the test inside, via np.where), or run with backend "cpu"',
      loop.eqn.location,
    );
  }
  const { device, batch, pool, recorder: rec } = state;
  const p = loop.eqn.params as WhileParams;
  const cond = prepare(state, loop.cond!, "while");
  const body = prepare(state, loop.body, "while");
  const nCC = p.condConsts,
    nBC = p.bodyConsts;
  const carryAvals = loop.eqn.outputs.map((v) => v.aval);
  const words = carryAvals.map((a) => sizeOf(a.shape));
  // Indirect dispatches per iteration: the body's kernels, then one commit per non-empty carry.
  const commits: { leaf: number; entry: number; pipe: SmallPipeline }[] = [];
  const grids = [...body.grids];
  words.forEach((n, leaf) => {
    if (n === 0) return;
    commits.push({ leaf, entry: grids.length, pipe: smallPipeline(device, copyWgsl(n), "while_commit") });
    grids.push(copyGrid(n));
  });
  const control = smallPipeline(device, controlWgsl(grids), "while_control");
  const node = loop.node;

  const record = (run: WhileRun, startMs: number, callId: number | undefined): void => {
    // The body's dispatches that ran workgroups: once per iteration (the condition's kernels are
    // counted and timed as encoded, since they run on every iteration encoded).
    for (const id of body.kernelIds)
      for (let i = 0; i < run.iterations; i++) rec.recordDispatch(id, null, startMs, callId);
    // Its count is the node's own only where the node is this loop (not a loop around it).
    const own = node === `op${loop.eqn.id}` ? { lastCall: { ...run } } : {};
    for (const id of [...body.kernelIds, ...cond.kernelIds])
      rec.updateKernel?.(id, { loop: { node, kind: "while", runsPerCall: null, ...own } });
  };

  return {
    // Data dependent: the body's dispatches are counted as they run (record above).
    dispatchesPerRun: 0,
    copiesPerRun: null,
    restridesPerRun: null,
    encode(inViews, outViews, callId) {
      // Whole buffers: a while_loop never runs inside a scan body, where operands are rows.
      const ins = inViews.map((v) => v.buffer),
        outs = outViews.map((v) => v.buffer);
      const condConsts = ins.slice(0, nCC),
        bodyConsts = ins.slice(nCC, nCC + nBC),
        init = ins.slice(nCC + nBC);
      const startMs = rec.enabled ? rec.now() : 0;
      batch.deviceLoop(async () => {
        const carry = carryAvals.map((a) => pool.acquire(bufferBytes(a)));
        const next = carryAvals.map((a) => pool.acquire(bufferBytes(a)));
        const pred = pool.acquire(4);
        const ctl = device.createBuffer({ size: controlBytes(grids.length), usage: STORAGE | INDIRECT | COPY_SRC });
        const flag = device.createBuffer({ size: CONTROL_HEADER_WORDS * 4, usage: MAP_READ | COPY_DST });
        const controlGroup = state.bindGroups.get(control.layout, [pred, ctl]);
        const commitGroups = commits.map((c) => state.bindGroups.get(c.pipe.layout, [next[c.leaf]!, carry[c.leaf]!]));
        const copyAll = (from: readonly GPUBuffer[], to: readonly GPUBuffer[]): void =>
          words.forEach((n, j) => {
            if (n > 0) batch.current().copyBufferToBuffer(from[j]!, 0, to[j]!, 0, n * 4);
          });
        let k = FIRST_CHUNK,
          chunks = 0,
          encoded = 0;
        // Iterations run so far, once this chunk's flag is read (timed samples of iterations
        // past the end are dropped by it); 0 if the loop fails.
        let ranSoFar: (n: number) => void = () => {};
        try {
          for (;;) {
            const counted = new Promise<number>((resolve) => (ranSoFar = resolve));
            batch.submitNow(() => {
              if (chunks === 0) copyAll(init, carry);
              for (let i = 0; i < k; i++) {
                const g = encoded + i;
                const ran = rec.enabled ? counted.then((n) => g < n) : NEVER_READ;
                cond.encode(wholeBuffers([...condConsts, ...carry]), wholeBuffers([pred]), callId);
                batch.dispatch(control.pipeline, controlGroup, [1, 1, 1], null);
                body.encode(wholeBuffers([...bodyConsts, ...carry]), wholeBuffers(next), callId, {
                  buffer: ctl,
                  offset: controlEntryOffset,
                  ran,
                });
                commits.forEach((c, j) =>
                  batch.dispatchIndirect(c.pipe.pipeline, commitGroups[j]!, ctl, controlEntryOffset(c.entry), null),
                );
              }
              batch.current().copyBufferToBuffer(ctl, 0, flag, 0, CONTROL_HEADER_WORDS * 4);
            });
            chunks++;
            encoded += k;
            await state.wait(() => flag.mapAsync(MAP_READ));
            const w = new Uint32Array(flag.getMappedRange().slice(0));
            flag.unmap();
            ranSoFar(w[1]!);
            if (w[0] === 0) {
              lastRun = { iterations: w[1]!, chunks, encoded };
              break;
            }
            k = Math.min(2 * k, MAX_CHUNK);
          }
          batch.submitNow(() => copyAll(carry, outs));
          if (rec.enabled) record(lastRun!, startMs, callId);
        } finally {
          ranSoFar(0);
          // Only the loop's own commands, all submitted, used them: reusable at once (by a loop
          // queued behind this one too), whatever is held.
          for (const b of [...carry, ...next, pred]) pool.releaseSubmitted(b);
          flag.destroy();
          ctl.destroy();
        }
      });
    },
  };
}
