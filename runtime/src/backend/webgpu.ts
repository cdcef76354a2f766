// The WebGPU backend (Dawn in Node): eager ops as generated kernels (codegen/lowerEqn.ts),
// pipelines cached by WGSL, buffers pooled, dispatches batched into few submits, readback only
// in read(). Compiled programs: webgpuExecutable.ts. GPU timestamps go to the profiler.

import { lowerEqn } from "../codegen/lowerEqn.js";
import type { ExecutablePlan, KernelSpec } from "../codegen/kernelPlan.js";
import { JitScopeError } from "../ir/errors.js";
import { captureUserLocation, captureUserPath } from "../ir/location.js";
import { markedSite } from "../ir/markedSites.js";
import { avalToString, sizeOf, type Aval, type Eqn, type Lit, type SourceLocation } from "../ir/types.js";
import { calibrateDevice } from "../profile/calibrate.js";
import { measureTimestampOverhead, overheadNote, peaksAtRunFloor } from "../profile/timestampOverhead.js";
import { deviceWaitMode, deviceWaiter, type DeviceWaiter, type DeviceWaitMode } from "./deviceWait.js";
import { recorder } from "../profile/recorder.js";
import type { Recorder } from "../profile/recorderApi.js";
import type { Backend, BackendStats, CompiledProgram, DeviceArray, HostArray } from "./backend.js";
import { BindGroupCache } from "./bindGroupCache.js";
import { BufferPool, collectFloorBytes } from "./bufferPool.js";
import { CommandBatch, type DispatchTiming } from "./commandBatch.js";
import { PipelineCache } from "./pipelineCache.js";
import { DispatchTimer } from "./timing.js";
import { TimingPolicy, timestampCostNs, timingModeFromEnv } from "./timingPolicy.js";
import { GpuArray } from "./webgpuArray.js";
import { acquireDevice } from "./webgpuDevice.js";
import { eagerSiteNotes, profiledEagerSite } from "./eagerSite.js";
import { runSortedScatter, sortsEagerly } from "./eagerSortedScatter.js";
import { setSubgroupSupport } from "../codegen/subgroupSupport.js";
import { setDeviceStorageBufferLimit } from "../codegen/storageBufferLimit.js";
import { createWebGpuExecutable } from "./webgpuExecutable.js";
import { bufferBytes, type GpuState } from "./gpuState.js";
import { attachTuner } from "../codegen/tune/tuner.js";
import { searchKernel } from "../codegen/tune/search.js";
import { linuxMappings, MappingHeadroom } from "./mappingHeadroom.js";
import { requestCollection } from "../arrayMemory.js";

/** User frames kept above a readback's own line (advice/hostSync.ts `callers`). */
const CALLER_FRAMES = 4;

export { GpuArray };
export type { GpuState };

export interface WebGpuBackend extends Backend {
  readonly name: "webgpu";
  /** The Dawn device (benchmarks run hand-written kernels on the same device). */
  readonly device: GPUDevice;
  readonly timestampQuery: boolean;
  readonly maxStorageBuffers: number;
  /** How the runtime waits on this device (benchmarks wait on their hand kernels the same way). */
  readonly wait: DeviceWaiter;
  readonly waitMode: DeviceWaitMode;
  stats(): BackendStats & { pipelines: number; submits: number; dispatches: number; copies: number; restrides: number };
  /** Submits everything encoded so far. */
  flush(): void;
  /** Forgets every compiled pipeline: each kernel's next dispatch compiles a new one. On lavapipe
   *  a pipeline keeps a speed of its own, so benchmarks time their runs on fresh ones. */
  dropPipelines(): void;
}

const MAP_READ = 0x01,
  COPY_DST = 0x08;

export async function createWebGpuBackend(rec: Recorder = recorder): Promise<WebGpuBackend> {
  const ctx = await acquireDevice();
  const { device } = ctx;
  setSubgroupSupport(ctx.subgroups ? ctx.subgroupMinSize : 0, ctx.software, ctx.subgroupMaxSize);
  setDeviceStorageBufferLimit(ctx.maxStorageBuffers);
  const waitMode = deviceWaitMode(ctx.software, process.env);
  const wait = deviceWaiter(waitMode);
  const pool = new BufferPool(device, undefined, collectFloorBytes(process.env));
  const pipelines = new PipelineCache(device);
  const policy = new TimingPolicy({
    mode: timingModeFromEnv(process.env),
    costNs: timestampCostNs(ctx.software, process.env),
  });
  const timer = rec.enabled ? new DispatchTimer(device, rec, ctx.timestampQuery, policy, wait) : null;
  const batch = new CommandBatch(device, pool, timer);
  const bindGroups = new BindGroupCache(device, new MappingHeadroom(linuxMappings, requestCollection));
  // A lost device stays lost; a Dawn validation error is thrown once, at the next call.
  let lost: string | null = null;
  let failure: string | null = null;
  let liveArrays = 0;

  device.addEventListener("uncapturederror", (ev) => {
    failure ??= `Dawn reported an error: ${(ev as GPUUncapturedErrorEvent).error.message}`;
  });
  void device.lost.then((info) => {
    lost ??= `the WebGPU device was lost (${info.reason}): ${info.message}`;
  });
  // The roofs kernels are classified against, only when someone reads the report and the
  // device can time the microbenchmarks itself.
  const calibration =
    rec.enabled && ctx.timestampQuery ? await calibrateDevice(device, ctx.cacheKey, process.env, wait) : null;
  // Measured on every profiled run, not cached: it moves with the machine's load.
  const overhead =
    timer && ctx.timestampQuery && process.env.JITSCOPE_TIMESTAMP_OVERHEAD !== "0"
      ? await measureTimestampOverhead(device, wait)
      : null;
  timer?.correctSpans(overhead?.result ?? null);
  const floored = calibration?.result ? peaksAtRunFloor(calibration.result.peaks, overhead?.result ?? null) : null;
  // The autotuner times its candidates on this device (codegen/tune/search.ts).
  attachTuner(ctx.cacheKey, (space, group, budgetMs) =>
    searchKernel(device, space, group, budgetMs, (m) => process.stderr.write(`jitscope: ${m}\n`), undefined, wait),
  );
  rec.setDeviceInfo({
    backend: "webgpu",
    adapter: ctx.description,
    timestampQuery: ctx.timestampQuery,
    notes: [
      ...(ctx.timestampQuery ? [] : ["no timestamp-query on this adapter: kernel times are host-measured per submit"]),
      ...(calibration?.notes ?? []),
      ...(overhead?.note ? [overhead.note] : []),
      ...(overhead?.result ? [overheadNote(overhead.result)] : []),
      ...(floored?.note ? [floored.note] : []),
      ...eagerSiteNotes(),
    ],
    ...(floored ? { peaks: floored.peaks } : {}),
    ...(overhead?.result ? { timestampOverheadNs: overhead.result.overheadNs } : {}),
  });

  const state: GpuState = {
    device,
    pool,
    pipelines,
    batch,
    bindGroups,
    recorder: rec,
    wait,
    check() {
      if (lost) throw new JitScopeError("backend", lost);
      if (batch.loopFailure) {
        const message = batch.loopFailure;
        batch.loopFailure = null;
        throw new JitScopeError("backend", message);
      }
      if (failure) {
        const message = failure;
        failure = null;
        throw new JitScopeError("backend", message);
      }
    },
    checkBindGroups() {
      state.check();
      if (bindGroups.headroom.exhausted) throw new JitScopeError("backend", bindGroups.headroom.exhausted);
    },
    allocate(aval) {
      liveArrays++;
      return new GpuArray(aval, pool.acquire(bufferBytes(aval)));
    },
    allocateForKernel(aval) {
      liveArrays++;
      return new GpuArray(aval, pool.acquireForEncodedWrite(bufferBytes(aval)));
    },
    bufferOf(a, what) {
      if (!(a instanceof GpuArray)) {
        throw new JitScopeError(
          "backend",
          `${what}: a ${a.backend} array (${avalToString(a.aval)}) was passed to the WebGPU backend`,
        );
      }
      if (!a.buffer)
        throw new JitScopeError("disposed", `${what}: array used after dispose() (${avalToString(a.aval)})`);
      return a.buffer;
    },
    pipelineFor(spec, dynamic, split) {
      // Most calls find it: no clock read and no allocation for them.
      const hit = pipelines.peek(spec, dynamic, split);
      if (hit) return hit;
      const t0 = rec.enabled ? rec.now() : 0;
      const { cached, created } = pipelines.get(spec, dynamic, split);
      if (created && rec.enabled) rec.span(`pipeline:${spec.name}`, "pipeline", t0, rec.now() - t0);
      return cached;
    },
  };

  // Eager reshape shares its input's buffer (row-major data does not move), as XLA's bitcast
  // does; a buffer goes back to the pool when the last array viewing it is freed.
  const views = new Map<GPUBuffer, number>();
  const reshapeView = (x: DeviceArray, aval: Aval): GpuArray => {
    const buffer = state.bufferOf(x, "reshape");
    views.set(buffer, (views.get(buffer) ?? 1) + 1);
    liveArrays++;
    return new GpuArray(aval, buffer);
  };

  const registered = new Set<string>();
  // Report ids by call site, then kernel: a call site's location is one cached object
  // (ir/location.ts), so a profiled loop finds its id without building a string per op.
  const eagerIds = new WeakMap<SourceLocation, Map<string, string>>();
  /** Eager kernels are reported per (kernel, call site) so hovers land on the right line. */
  const eagerTiming = (spec: KernelSpec, eqn: Eqn): DispatchTiming => {
    const loc: SourceLocation | null = profiledEagerSite(eqn);
    let atLoc = loc ? eagerIds.get(loc) : undefined;
    if (loc && !atLoc) eagerIds.set(loc, (atLoc = new Map()));
    const known = atLoc?.get(spec.id);
    if (known !== undefined) return { kernelId: known, startMs: rec.now() };
    const id = loc ? `${spec.id}@${loc.file}:${loc.line}:${loc.column}` : spec.id;
    atLoc?.set(spec.id, id);
    if (!registered.has(id)) {
      registered.add(id);
      rec.registerKernel({
        id,
        name: `eager_${spec.name}`,
        compilation: null,
        mode: "eager",
        wgsl: spec.wgsl,
        ops: [...spec.ops],
        opIds: [],
        locations: loc ? [loc] : [],
        workgroupSize: spec.workgroupSize,
        dispatch: spec.dispatch,
        bytesRead: spec.bytesRead,
        bytesWritten: spec.bytesWritten,
        flops: spec.flops,
      });
    }
    return { kernelId: id, startMs: rec.now() };
  };

  const backend: WebGpuBackend = {
    name: "webgpu",
    description: ctx.description,
    device,
    timestampQuery: ctx.timestampQuery,
    maxStorageBuffers: ctx.maxStorageBuffers,
    wait,
    waitMode,

    fromHost(data: HostArray, aval: Aval): DeviceArray {
      state.check();
      const n = sizeOf(aval.shape);
      if (data.length !== n) {
        throw new JitScopeError("value", `fromHost: ${data.length} values for ${avalToString(aval)}`);
      }
      const out = state.allocate(aval);
      if (n > 0) {
        const words = data instanceof Uint8Array ? Uint32Array.from(data) : data;
        device.queue.writeBuffer(out.buffer!, 0, words.buffer, words.byteOffset, n * 4);
      }
      return out;
    },

    executeOp(eqn: Eqn, inputs: readonly (DeviceArray | Lit)[]): DeviceArray[] {
      state.checkBindGroups();
      if (eqn.prim === "reshape" && inputs[0] instanceof GpuArray)
        return [reshapeView(inputs[0], eqn.outputs[0]!.aval)];
      if (sortsEagerly(eqn)) return runSortedScatter(eqn, inputs, backend.executeOp, backend.free);
      const kernel = lowerEqn(eqn);
      const spec = kernel.spec;
      const outs = eqn.outputs.map((o) => state.allocateForKernel(o.aval));
      if (outs.every((o) => sizeOf(o.aval.shape) === 0)) return outs;
      const { pipeline, layout } = state.pipelineFor(spec);
      const buffers: GPUBuffer[] = kernel.inputPositions.map((pos) =>
        state.bufferOf(inputs[pos] as DeviceArray, eqn.prim),
      );
      for (const o of outs) buffers.push(o.buffer!);
      const bindGroup = bindGroups.get(layout, buffers);
      batch.dispatch(pipeline, bindGroup, spec.dispatch, rec.enabled ? eagerTiming(spec, eqn) : null);
      return outs;
    },

    async read(a: DeviceArray): Promise<HostArray> {
      state.check();
      const src = state.bufferOf(a, "read");
      const n = sizeOf(a.aval.shape);
      const t0 = rec.enabled ? rec.now() : 0;
      // Where the user asked for the value: a readback repeated at one line is a sync in a loop.
      // (The marked call when the profile's bundle marked it: ir/markedSites.ts.)
      const at = rec.enabled ? (markedSite() ?? captureUserLocation()) : null;
      // And the calls that led there: a helper's readback called from many places is no loop.
      const callers = rec.enabled ? captureUserPath(CALLER_FRAMES + 1).slice(1) : [];
      const bytes = Math.max(4, n * 4);
      const staging = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
      batch.current().copyBufferToBuffer(src, 0, staging, 0, bytes);
      batch.flush();
      try {
        // Behind a while_loop still running on the device, the copy is held: map after it went.
        await batch.whenDrained();
        await wait(() => staging.mapAsync(MAP_READ));
      } catch (e) {
        staging.destroy();
        state.check();
        throw new JitScopeError(
          "backend",
          `reading ${avalToString(a.aval)} back failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      const raw = staging.getMappedRange().slice(0, n * 4);
      staging.unmap();
      staging.destroy();
      state.check();
      if (rec.enabled) {
        const dur = rec.now() - t0;
        rec.span("readback", "readback", t0, dur);
        rec.hostSync?.({ kind: "readback", location: at, callers, start: t0, dur, bytes: n * 4 });
      }
      if (a.aval.dtype === "float32") return new Float32Array(raw);
      if (a.aval.dtype === "int32") return new Int32Array(raw);
      return Uint8Array.from(new Uint32Array(raw), (x) => (x ? 1 : 0));
    },

    async ready(a: DeviceArray): Promise<void> {
      state.check();
      state.bufferOf(a, "blockUntilReady");
      batch.flush();
      await batch.whenDrained();
      await wait(() => device.queue.onSubmittedWorkDone());
      state.check();
    },

    free(a: DeviceArray): void {
      if (!(a instanceof GpuArray) || !a.buffer) return;
      const shared = views.get(a.buffer);
      if (shared === undefined) pool.release(a.buffer);
      else if (shared > 2) views.set(a.buffer, shared - 1);
      else views.delete(a.buffer);
      a.buffer = null;
      liveArrays--;
    },

    createExecutable(plan: ExecutablePlan): CompiledProgram {
      return createWebGpuExecutable(state, plan);
    },

    stats() {
      const s = pool.stats();
      return {
        liveArrays,
        liveBytes: s.liveBytes,
        pooledBuffers: s.pooledBuffers,
        pooledBytes: s.pooledBytes,
        pipelines: pipelines.size,
        submits: batch.submits,
        dispatches: batch.dispatches,
        copies: batch.copies,
        restrides: batch.restrides,
      };
    },

    flush() {
      batch.flush();
    },
    dropPipelines() {
      batch.flush();
      pipelines.clear();
    },
  };
  return backend;
}
