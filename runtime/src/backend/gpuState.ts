// What the WebGPU backend's eager path (webgpu.ts) shares with its compiled programs
// (webgpuExecutable.ts): the device, its caches and pools, and how to get a buffer. Its own file
// so that neither of the two has to import the other for it.

import type { KernelSpec } from "../codegen/kernelPlan.js";
import { avalBytes, type Aval } from "../ir/types.js";
import type { Recorder } from "../profile/recorderApi.js";
import type { DeviceArray } from "./backend.js";
import type { BindGroupCache } from "./bindGroupCache.js";
import type { BufferPool } from "./bufferPool.js";
import type { CommandBatch } from "./commandBatch.js";
import type { DeviceWaiter } from "./deviceWait.js";
import type { CachedPipeline, PipelineCache } from "./pipelineCache.js";
import type { GpuArray } from "./webgpuArray.js";

/** A buffer for an array of `aval`: never empty (WebGPU rejects zero-size bindings). */
export const bufferBytes = (aval: Aval): number => Math.max(4, avalBytes(aval));

/** What compiled programs share with the eager path. */
export interface GpuState {
  readonly device: GPUDevice;
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly batch: CommandBatch;
  readonly bindGroups: BindGroupCache;
  readonly recorder: Recorder;
  /** Waits on a Dawn promise (backend/deviceWait.ts: sleeping between polls on a software adapter). */
  readonly wait: DeviceWaiter;
  check(): void;
  /** check(), and refuses work that makes bind groups while the process is short of memory
   *  mappings (mappingHeadroom.ts); readbacks and waits pass, so a loop can yield and go on. */
  checkBindGroups(): void;
  /** For data written with queue.writeBuffer. */
  allocate(aval: Aval): GpuArray;
  /** For an output first written by an encoded command (a dispatch or a copy). */
  allocateForKernel(aval: Aval): GpuArray;
  bufferOf(a: DeviceArray, what: string): GPUBuffer;
  /** `dynamic[i]`: binding i takes a dynamic offset (a scan body's row bindings); `split[i]`:
   *  binding i goes in group 1 (pipelineCache.ts). */
  pipelineFor(spec: KernelSpec, dynamic?: readonly boolean[], split?: readonly boolean[]): CachedPipeline;
}
