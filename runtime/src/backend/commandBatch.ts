// Eager dispatches go into one shared command encoder, submitted at the end of the current
// synchronous stretch of JS (a microtask) or every `maxDispatches` passes, whichever is first:
// few submits, and the JS thread never waits. Compiled calls append their passes here too, so
// a loop of calls shares submits (never more than one per call). Each submit lets the pool reuse buffers freed before it.
//
// A device-driven loop (a while_loop, backend/webgpuWhile.ts) submits its own chunks while it
// runs and learns only from the device when it is over. Until then the batch is gated: what is
// encoded after the loop is finished into command buffers that are held, in order, and submitted
// when the loop ends (a later loop waits its turn in the same queue); readbacks wait for the gate
// (`whenDrained`), and freed buffers stay pending (not reusable by queue.writeBuffer) until the
// held work is submitted, so nothing the loop or the held work reads is overwritten early.

import type { BufferPool } from "./bufferPool.js";
import type { DispatchTimer } from "./timing.js";
import { PipelinePrimer } from "./pipelinePrimer.js";

export interface DispatchTiming {
  readonly kernelId: string;
  readonly startMs: number;
  readonly callId?: number;
}

type Step =
  | { readonly kind: "submit"; readonly buffer: GPUCommandBuffer; readonly after: (() => void) | null }
  | { readonly kind: "loop"; readonly run: () => Promise<void> };

export class CommandBatch {
  private encoder: GPUCommandEncoder | null = null;
  // Untimed dispatches share one compute pass (WebGPU orders dispatches within a pass and makes
  // each one's writes visible to the next); a timed dispatch gets its own pass for timestamps.
  private pass: GPUComputePassEncoder | null = null;
  private passes = 0;
  private scheduled = false;
  /** Work encoded while a device-driven loop runs, in order; a loop step runs when reached. */
  private readonly steps: Step[] = [];
  private loopRunning = false;
  /** > 0 while a device-driven loop encodes its own commands (submitted at once). */
  private direct = 0;
  private waiters: (() => void)[] = [];
  submits = 0;
  dispatches = 0;
  /** Indirect dispatches encoded (each may run zero workgroups: a while_loop past its end). */
  indirectDispatches = 0;
  /** copyBufferToBuffer commands encoded through `copy` (a compiled call's data movement). */
  copies = 0;
  /** Dispatches encoded through `restride`. */
  restrides = 0;
  /** Set when a device-driven loop failed; the backend reports it at its next call. */
  loopFailure: string | null = null;
  /** Compiles each pipeline outside the timestamps of its first timed dispatch. */
  readonly primer: PipelinePrimer;

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    /** Set while the recorder is on. */
    public timer: DispatchTimer | null,
    private readonly maxDispatches = 64,
  ) {
    this.primer = new PipelinePrimer(device);
  }

  /** True while a device-driven loop runs or work waits behind one. */
  get gated(): boolean {
    return this.loopRunning || this.steps.length > 0;
  }

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
      if (!this.scheduled && this.direct === 0) {
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

  /** `offsets`: the group's dynamic offsets, in binding order (a scan's row bindings); `ioGroup`:
   *  group 1, a compiled call's inputs and outputs (webgpuExecutable.ts). */
  dispatch(
    pipeline: GPUComputePipeline,
    bindGroup: GPUBindGroup,
    grid: readonly [number, number, number],
    timing: DispatchTiming | null,
    offsets?: readonly number[],
    ioGroup?: GPUBindGroup,
  ): void {
    if (this.timer?.full) this.flush();
    const timed = timing && this.timer ? this.timer.next(timing.kernelId, timing.startMs, timing.callId) : undefined;
    if (timed && this.primer.needs(pipeline)) this.primeInto(timing!, pipeline, bindGroup, offsets, ioGroup);
    let pass: GPUComputePassEncoder;
    if (timed) {
      pass = this.current().beginComputePass({ timestampWrites: timed.timestampWrites });
    } else {
      pass = this.pass ??= this.encoder_().beginComputePass();
    }
    pass.setPipeline(pipeline);
    if (offsets && offsets.length > 0) pass.setBindGroup(0, bindGroup, offsets);
    else pass.setBindGroup(0, bindGroup);
    if (ioGroup) pass.setBindGroup(1, ioGroup);
    // A sub-tick kernel is timed over `repeat` back-to-back runs (same inputs, same output).
    for (let r = timed?.repeat ?? 1; r > 0; r--) pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    this.dispatches++;
    if (timed) pass.end();
    this.countPass();
  }

  /** A dispatch whose workgroup counts the device wrote into `args` at `offset`. Timed, its
   *  sample is kept once `timing.ran` says it ran workgroups; its loop counts it. */
  dispatchIndirect(
    pipeline: GPUComputePipeline,
    bindGroup: GPUBindGroup,
    args: GPUBuffer,
    offset: number,
    timing: (DispatchTiming & { readonly ran: Promise<boolean> }) | null,
    ioGroup?: GPUBindGroup,
  ): void {
    if (this.timer?.full) this.flush();
    const timed =
      timing && this.timer ? this.timer.next(timing.kernelId, timing.startMs, timing.callId, timing.ran) : undefined;
    if (timed && this.primer.needs(pipeline)) this.primeInto(timing!, pipeline, bindGroup, undefined, ioGroup);
    const pass = timed
      ? this.current().beginComputePass({ timestampWrites: timed.timestampWrites })
      : (this.pass ??= this.encoder_().beginComputePass());
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    if (ioGroup) pass.setBindGroup(1, ioGroup);
    for (let r = timed?.repeat ?? 1; r > 0; r--) pass.dispatchWorkgroupsIndirect(args, offset);
    this.indirectDispatches++;
    if (timed) pass.end();
    this.countPass();
  }

  /** The pipeline's empty dispatch ahead of the timed one: in a pass of its own whose timestamps
   *  time the driver's compile where timestamps allow, else in the shared untimed pass. */
  private primeInto(
    timing: DispatchTiming,
    pipeline: GPUComputePipeline,
    bindGroup: GPUBindGroup,
    offsets?: readonly number[],
    ioGroup?: GPUBindGroup,
  ): void {
    const timestampWrites = this.timer?.nextCompile(timing.kernelId, timing.startMs);
    if (!timestampWrites) {
      this.primer.prime((this.pass ??= this.encoder_().beginComputePass()), pipeline, bindGroup, offsets, ioGroup);
      return;
    }
    const pass = this.current().beginComputePass({ timestampWrites });
    this.primer.prime(pass, pipeline, bindGroup, offsets, ioGroup);
    pass.end();
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
    this.countPass();
  }

  private countPass(): void {
    // A loop's chunk is submitted whole: splitting it would only add submits.
    if (++this.passes >= this.maxDispatches && this.direct === 0) this.flush();
  }

  /** Submits whatever is encoded (held instead while a device-driven loop runs). Safe at any time. */
  flush(): void {
    const enc = this.encoder;
    if (!enc) {
      if (!this.gated) this.pool.afterSubmit();
      return;
    }
    this.endPass();
    this.encoder = null;
    this.passes = 0;
    const after = this.timer?.resolve(enc) ?? null;
    const buffer = enc.finish();
    if (this.direct === 0 && this.gated) {
      this.steps.push({ kind: "submit", buffer, after });
      return;
    }
    this.device.queue.submit([buffer]);
    this.submits++;
    if (!this.gated) this.pool.afterSubmit();
    after?.();
  }

  /**
   * Queues a device-driven loop after everything encoded so far. `run` starts once that work is
   * submitted, submits its own commands through `submitNow` and resolves when the loop is over;
   * until then everything encoded later is held.
   */
  deviceLoop(run: () => Promise<void>): void {
    this.flush();
    this.steps.push({ kind: "loop", run });
    if (!this.loopRunning) this.drain();
  }

  /** Encodes with `encode` into an encoder of its own and submits it at once, ahead of held work
   *  (a device-driven loop's own commands); the held side's open encoder is left as it was. */
  submitNow(encode: () => void): void {
    const saved = { encoder: this.encoder, pass: this.pass, passes: this.passes };
    const timerState = this.timer?.detach();
    this.encoder = null;
    this.pass = null;
    this.passes = 0;
    this.direct++;
    try {
      encode();
      this.flush();
    } finally {
      this.direct--;
      this.encoder = saved.encoder;
      this.pass = saved.pass;
      this.passes = saved.passes;
      if (timerState) this.timer!.attach(timerState);
    }
  }

  /** Resolves once no device-driven loop runs and no work is held (at once when none). */
  whenDrained(): Promise<void> {
    if (!this.gated) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private drain(): void {
    for (let s = this.steps.shift(); s; s = this.steps.shift()) {
      if (s.kind === "submit") {
        this.device.queue.submit([s.buffer]);
        this.submits++;
        s.after?.();
        continue;
      }
      this.loopRunning = true;
      let started: Promise<void>;
      try {
        started = s.run();
      } catch (e) {
        started = Promise.reject(e);
      }
      void started
        .catch((e: unknown) => {
          this.loopFailure ??= `a while_loop on the device failed: ${e instanceof Error ? e.message : String(e)}`;
        })
        .finally(() => {
          this.loopRunning = false;
          this.drain();
        });
      return;
    }
    // Work encoded since the last hold (an open encoder whose flush is still scheduled) goes now,
    // before buffers freed meanwhile become reusable by queue writes (flush's afterSubmit).
    this.flush();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
