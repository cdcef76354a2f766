// A loop of a compiled program on WebGPU. The body was compiled to kernels once (its own memory
// plan, pipelines and bind groups); running the loop encodes the body's dispatches once per
// iteration into the shared command batch, so T iterations cost T × (body dispatches) and no
// host round trip: the JS thread encodes and moves on, the queue runs them in order.
//
// Carries live in two sets of buffers used in turn (the body reads one set and writes the other:
// WebGPU forbids binding one buffer as read-only and writable storage in one dispatch). Row t of
// each xs is copied into the body's x buffer and each y is copied into row t of its ys, by
// copyBufferToBuffer commands in the same command stream: no host work, no readback, no extra
// allocation per step, so memory stays bounded however many iterations run. (Binding the xs/ys
// at a per-iteration offset instead would need offsets aligned to 256 bytes and explicit bind
// group layouts; the copies are ~1 µs each next to a dispatch and are what this version does.)
//
// while_loop runs on the device with its own scheme (webgpuWhile.ts): its trip count is a device
// value, so it is driven by a flag the device writes, read back every K iterations.

import type { ExecutablePlan, LoopPlan } from "../codegen/kernelPlan.js";
import { JitScopeError } from "../ir/errors.js";
import { bytesPerElement, sizeOf, type Aval, type ScanParams } from "../ir/types.js";
import type { GpuState } from "./gpuState.js";

export type LoopKind = "scan" | "while";

/** Where a while_loop's body kernels read their workgroup counts (12 bytes each). */
export interface IndirectArgs {
  readonly buffer: GPUBuffer;
  /** Byte offset of the counts of the program's `n`-th non-empty kernel. */
  offset(n: number): number;
  /** Whether this iteration ran (known after the loop's next flag read): timed samples of
   *  iterations past the loop's end are dropped. */
  readonly ran: Promise<boolean>;
}

/** A compiled program ready to encode on given buffers (webgpuExecutable.ts builds them). */
export interface PreparedProgram {
  /** Dispatches one run encodes (a scan counts its body's once per iteration). */
  readonly dispatchesPerCall: number;
  /** The workgroup counts of the program's own non-empty kernels, in dispatch order. */
  readonly grids: readonly (readonly [number, number, number])[];
  /** Their ids as the recorder knows them. */
  readonly kernelIds: readonly string[];
  /** Encodes the program reading `inBufs` (one per program input) and writing `outBufs` (one per
   *  output) into the shared command batch. */
  encode(
    inBufs: readonly GPUBuffer[],
    outBufs: readonly GPUBuffer[],
    callId: number | undefined,
    /** Dispatch the program's own kernels indirectly (untimed), with these counts. */
    indirect?: IndirectArgs,
  ): void;
}

export type Prepare = (state: GpuState, plan: ExecutablePlan, inLoop?: LoopKind) => PreparedProgram;

export interface PreparedLoop {
  readonly dispatchesPerRun: number;
  /** `ins`: the loop equation's operands; `outs`: its results. */
  encode(ins: readonly GPUBuffer[], outs: readonly GPUBuffer[], callId: number | undefined): void;
}

const bytesOf = (a: Aval): number => sizeOf(a.shape) * bytesPerElement(a.dtype);
const bufferBytes = (a: Aval): number => Math.max(4, bytesOf(a));

export function prepareLoop(state: GpuState, loop: LoopPlan, prepare: Prepare): PreparedLoop {
  if (loop.eqn.prim !== "scan") {
    throw new JitScopeError(
      "backend",
      `prepareLoop: a ${loop.eqn.prim} loop goes to webgpuWhile.ts (webgpuExecutable.ts picks)`,
      loop.eqn.location,
    );
  }
  const p = loop.eqn.params as ScanParams;
  const body = prepare(state, loop.body, "scan");
  const nc = p.numConsts,
    nk = p.numCarry,
    T = p.length;
  const bodyIns = loop.body.program.inputs;
  const carryAvals = bodyIns.slice(nc, nc + nk).map((v) => v.aval);
  const xAvals = bodyIns.slice(nc + nk).map((v) => v.aval);
  const yAvals = loop.body.outputs.slice(nk).map((a) => a.aval);
  let bufs: { a: GPUBuffer[]; b: GPUBuffer[]; x: GPUBuffer[]; y: GPUBuffer[] } | null = null;

  return {
    dispatchesPerRun: T * body.dispatchesPerCall,
    encode(ins, outs, callId) {
      const { batch } = state;
      bufs ??= {
        a: carryAvals.map((a) => state.pool.acquire(bufferBytes(a))),
        b: carryAvals.map((a) => state.pool.acquire(bufferBytes(a))),
        x: xAvals.map((a) => state.pool.acquire(bufferBytes(a))),
        y: yAvals.map((a) => state.pool.acquire(bufferBytes(a))),
      };
      const copy = (src: GPUBuffer, srcOff: number, dst: GPUBuffer, dstOff: number, bytes: number): void => {
        if (bytes > 0) batch.current().copyBufferToBuffer(src, srcOff, dst, dstOff, bytes);
      };
      let cur = bufs.a,
        next = bufs.b;
      carryAvals.forEach((a, j) => copy(ins[nc + j]!, 0, cur[j]!, 0, bytesOf(a)));
      const consts = ins.slice(0, nc);
      for (let i = 0; i < T; i++) {
        const t = p.reverse ? T - 1 - i : i;
        xAvals.forEach((a, k) => copy(ins[nc + nk + k]!, t * bytesOf(a), bufs!.x[k]!, 0, bytesOf(a)));
        body.encode([...consts, ...cur, ...bufs.x], [...next, ...bufs.y], callId);
        yAvals.forEach((a, k) => copy(bufs!.y[k]!, 0, outs[nk + k]!, t * bytesOf(a), bytesOf(a)));
        [cur, next] = [next, cur];
      }
      carryAvals.forEach((a, j) => copy(cur[j]!, 0, outs[j]!, 0, bytesOf(a)));
    },
  };
}
