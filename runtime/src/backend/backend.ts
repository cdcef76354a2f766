// What a backend does for eager execution. The CPU reference backend (cpu.ts) and WebGPU
// (webgpu.ts) both implement it; array.ts (level 0 of the trace stack, eager evaluation) calls it for every op.
// Compiled (jit) programs run through the backend's own `compile` (see CompiledProgram).

import type { ExecutablePlan } from "../codegen/kernelPlan.js";
import type { Aval, Eqn, HostArray, Lit } from "../ir/types.js";
import type { BackendName } from "@jitscope/contract";

export type { HostArray } from "../ir/types.js";

/** A backend's handle on one array's storage. Opaque outside the backend. */
export interface DeviceArray {
  readonly backend: BackendName;
  readonly aval: Aval;
}

export interface Backend {
  readonly name: BackendName;
  /** e.g. "llvmpipe (LLVM 15.0.6) · Mesa 25.0.7 · vulkan", or "CPU reference backend". */
  readonly description: string;
  fromHost(data: HostArray, aval: Aval): DeviceArray;
  /** Runs one equation eagerly: `eqn.inputs` gives the avals/literals, `inputs` the storage
   *  (a Lit stays a Lit). Returns immediately; the work may still be in flight. */
  executeOp(eqn: Eqn, inputs: readonly (DeviceArray | Lit)[]): DeviceArray[];
  /** Reads back (waits for the work producing `a`). float32 → Float32Array, int32 → Int32Array,
   *  bool → Uint8Array (0/1). */
  read(a: DeviceArray): Promise<HostArray>;
  /** Resolves when the work producing `a` is done, without reading it back. */
  ready(a: DeviceArray): Promise<void>;
  /** Gives the storage back (to a pool). Idempotent. */
  free(a: DeviceArray): void;
  /** Builds the runnable form of a compiled program (jit). WebGPU runs `plan.kernels` in one
   *  command encoder and one submit; the CPU backend interprets `plan.program` op by op. */
  createExecutable(plan: ExecutablePlan): CompiledProgram;
  /** Storage accounting, for memory tests and the report (optional: a backend may not pool). */
  stats?(): BackendStats;
}

/** Live arrays are allocated and not yet freed; pooled buffers are freed and kept for reuse. */
export interface BackendStats {
  liveArrays: number;
  liveBytes: number;
  pooledBuffers: number;
  pooledBytes: number;
}

export interface CompiledProgram {
  /** Runs the program on already-placed inputs; returns at once (work may be in flight).
   *  Returns one array per `plan.outputs`. `callId` (from the recorder) links the dispatches
   *  of this call to the jit call span (pass it to `recorder.recordDispatch`). `encoded`, while
   *  the recorder is on: takes the time spent encoding the call's commands (start and duration,
   *  ms), which the caller records with its call, and the part of it spent making bind groups
   *  (ms; 0 where the backend has none); without it the backend records an "encode" span. */
  run(
    inputs: readonly DeviceArray[],
    callId?: number,
    encoded?: (startMs: number, durMs: number, bindGroupMs: number) => void,
  ): DeviceArray[];
  /** Kernel dispatches per call (0 on the CPU backend). */
  readonly dispatchesPerCall: number;
  /** WebGPU: copyBufferToBuffer commands per call (a scan adds none per iteration). */
  readonly copiesPerCall?: number | null;
  /** WebGPU: per-run dispatches moving a scan's misaligned rows to/from padded stacks
   *  (webgpuLoop.ts), not counted as kernels. */
  readonly restridesPerCall?: number | null;
}
