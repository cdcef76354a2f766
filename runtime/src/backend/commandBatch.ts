// Eager dispatches go into one shared command encoder, submitted at the end of the current
// synchronous stretch of JS (a microtask) or every `maxDispatches` passes, whichever is first:
// few submits, and the JS thread never waits. Compiled calls append their passes here too, so
// a loop of calls shares submits (never more than one per call). Each submit lets the pool reuse buffers freed before it.

import type { BufferPool } from "./bufferPool.js";
import type { DispatchTimer } from "./timing.js";

export interface DispatchTiming {
  readonly kernelId: string;
  readonly startMs: number;
  readonly callId?: number;
}

export class CommandBatch {
  private encoder: GPUCommandEncoder | null = null;
  // Untimed dispatches share one compute pass (WebGPU orders dispatches within a pass and makes
  // each one's writes visible to the next); a timed dispatch gets its own pass for timestamps.
  private pass: GPUComputePassEncoder | null = null;
  private passes = 0;
  private scheduled = false;
  submits = 0;
  dispatches = 0;
  /** copyBufferToBuffer commands encoded through `copy` (a compiled call's data movement). */
  copies = 0;
  /** Dispatches encoded through `restride`. */
  restrides = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    /** Set while the recorder is on. */
    public timer: DispatchTimer | null,
    private readonly maxDispatches = 64,
  ) {}

  /** The open encoder, outside any pass (for copies); flushes are scheduled automatically. */
  current(): GPUCommandEncoder {
    this.endPass();
    return this.encoder_();
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private encoder_(): GPUCommandEncoder {
    if (!this.encoder) {
      this.encoder = this.device.createCommandEncoder();
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    }
    return this.encoder;
  }

  /** A buffer-to-buffer copy in the command stream, between the dispatches around it. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.current().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    this.copies++;
  }

  /** `offsets`: the group's dynamic offsets, in binding order (a scan's row bindings). */
  dispatch(
    pipeline: GPUComputePipeline,
    bindGroup: GPUBindGroup,
    grid: readonly [number, number, number],
    timing: DispatchTiming | null,
    offsets?: readonly number[],
  ): void {
    if (this.timer?.full) this.flush();
    const timed = timing && this.timer ? this.timer.next(timing.kernelId, timing.startMs, timing.callId) : undefined;
    let pass: GPUComputePassEncoder;
    if (timed) {
      pass = this.current().beginComputePass({ timestampWrites: timed.timestampWrites });
    } else {
      pass = this.pass ??= this.encoder_().beginComputePass();
    }
    pass.setPipeline(pipeline);
    if (offsets && offsets.length > 0) pass.setBindGroup(0, bindGroup, offsets);
    else pass.setBindGroup(0, bindGroup);
    // A sub-tick kernel is timed over `repeat` back-to-back runs (same inputs, same output).
    for (let r = timed?.repeat ?? 1; r > 0; r--) pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    this.dispatches++;
    if (timed) pass.end();
    if (++this.passes >= this.maxDispatches) this.flush();
  }

  /** A data-movement dispatch (a scan's rows to/from a padded stack): untimed, and counted apart
   *  from kernel dispatches, as copies are. */
  restride(
    pipeline: GPUComputePipeline,
    bindGroup: GPUBindGroup,
    grid: readonly [number, number, number],
    offsets: readonly number[],
  ): void {
    const pass = (this.pass ??= this.encoder_().beginComputePass());
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup, offsets);
    pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    this.restrides++;
    if (++this.passes >= this.maxDispatches) this.flush();
  }

  /** Submits whatever is encoded. Safe to call at any time. */
  flush(): void {
    const enc = this.encoder;
    if (!enc) {
      this.pool.afterSubmit();
      return;
    }
    this.endPass();
    this.encoder = null;
    this.passes = 0;
    const after = this.timer?.resolve(enc) ?? null;
    this.device.queue.submit([enc.finish()]);
    this.submits++;
    this.pool.afterSubmit();
    after?.();
  }
}
