// GPU time per dispatch for the profiler: timestamp queries written at the start and end of
// each timed dispatch's compute pass, resolved into a buffer in the same command encoder and read
// back asynchronously after the submit, so the call path never waits. Which dispatches are timed
// is the TimingPolicy's call; the others are recorded at once, untimed. Without
// `timestamp-query` each submit's host-measured completion time is split over its dispatches
// (and the device info says so). Only used while `recorder.enabled`.

import type { Recorder } from "../profile/recorderApi.js";
import type { TimingPolicy } from "./timingPolicy.js";
import type { DeviceWaiter } from "./deviceWait.js";
import type { TimestampOverhead } from "../profile/timestampOverhead.js";

/** A timed dispatch waiting for its timestamps (its dispatch event is already recorded). */
interface Pending {
  readonly kernelId: string;
  readonly startMs: number;
  /** Back-to-back dispatches inside its timestamped span (sub-tick kernels), else 1. */
  readonly batch: number;
  /** An indirect dispatch that may have run no workgroup: its sample is kept only if it ran. */
  readonly ran?: Promise<boolean>;
  /** The empty dispatch that makes the driver compile the kernel's pipeline: its span is that
   *  compile, recorded as one (recorder.recordDriverCompile), not as a sample of the kernel. */
  readonly compile?: true;
}

/** What a timed dispatch is encoded with: its pass's timestamp writes, and how many times to
 *  dispatch it inside that pass (the span is divided by it). */
export interface TimedPass {
  readonly timestampWrites: GPUComputePassTimestampWrites;
  readonly repeat: number;
}

const MAP_READ = 0x01,
  COPY_DST = 0x08,
  QUERY_RESOLVE = 0x200,
  COPY_SRC = 0x04;

/** A query set with its resolve and read-back buffers, reused across submits (creating them per
 * submit cost more than the tiny kernels being timed). Back in the ring once its read is done. */
interface QuerySlot {
  readonly querySet: GPUQuerySet;
  readonly resolveBuf: GPUBuffer;
  readonly readBuf: GPUBuffer;
}

/** What one encoder's timed dispatches hold while another encoder is filled. */
export interface TimerState {
  readonly slot: QuerySlot | null;
  readonly entries: Pending[];
}

/** Submits whose timestamps may be read back at once. A loop that never yields gets none back
 *  until it ends; past this many, its dispatches go untimed (but for kernels' warm-ups) instead
 *  of each submit creating a query set and two buffers. */
const MAX_IN_FLIGHT = 8;

/** The first timestamp this process read: GPU-clock starts are sent relative to it, so they fit a
 *  double exactly (the report builder maps them onto the host clock). */
let clockBase: bigint | null = null;

/** A pass's start on the GPU clock, ns since `clockBase`; undefined for a query never written
 *  (it reads 0: its time is kept, its place on the GPU clock is not). */
function gpuStart(begin: bigint): number | undefined {
  if (begin === 0n) return undefined;
  clockBase ??= begin;
  return Number(begin - clockBase);
}

export class DispatchTimer {
  private slot: QuerySlot | null = null;
  private readonly ring: QuerySlot[] = [];
  private entries: Pending[] = [];
  private inFlight = 0;
  /** What a timestamped pass adds to its span (profile/timestampOverhead.ts); null: none taken off. */
  private overhead: TimestampOverhead | null = null;
  /** A compiled call's dispatches while its commands are encoded (`beginRun`), recorded as one
   *  event when it ends; null outside a call. */
  private run: { readonly callId: number | undefined; kernels: string[]; starts: number[] } | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly recorder: Recorder,
    private readonly timestamps: boolean,
    private readonly policy: TimingPolicy,
    /** Waits on the timestamp readbacks (pending through most of a profiled run). */
    private readonly wait: DeviceWaiter = (start) => start(),
    readonly capacity = 256,
    /** Idle slots kept; more in flight at once are created and destroyed after use. */
    private readonly ringSize = 4,
  ) {}

  /** From now on each span is reduced by `o.overheadNs` before it is divided by its batch, and a
   *  sample reads at least the probe kernel back to back (`o.emptyDispatchNs`). */
  correctSpans(o: TimestampOverhead | null): void {
    this.overhead = o;
  }

  /** A dispatch's time from its span of `batch` back-to-back dispatches. */
  private perDispatch(span: number, batch: number): number {
    const o = this.overhead;
    if (!o || span === 0) return span / batch;
    return Math.max((span - o.overheadNs) / batch, o.emptyDispatchNs);
  }

  /** Takes the open encoder's timed dispatches aside (another encoder is filled meanwhile:
   *  commandBatch.ts `submitNow`); `attach` puts them back. */
  detach(): TimerState {
    const state = { slot: this.slot, entries: this.entries };
    this.slot = null;
    this.entries = [];
    return state;
  }

  attach(state: TimerState): void {
    if (this.slot) this.releaseSlotUnused(this.slot);
    this.slot = state.slot;
    this.entries = state.entries;
  }

  /** A slot taken for an encoder that timed nothing after all. */
  private releaseSlotUnused(slot: QuerySlot): void {
    this.inFlight++;
    this.releaseSlot(slot);
  }

  get count(): number {
    return this.entries.length;
  }

  get full(): boolean {
    return this.entries.length >= this.capacity;
  }

  private takeSlot(): QuerySlot {
    const reused = this.ring.pop();
    if (reused) return reused;
    const bytes = this.capacity * 16;
    return {
      querySet: this.device.createQuerySet({ type: "timestamp", count: this.capacity * 2 }),
      resolveBuf: this.device.createBuffer({ size: bytes, usage: QUERY_RESOLVE | COPY_SRC }),
      readBuf: this.device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST }),
    };
  }

  private releaseSlot(slot: QuerySlot): void {
    this.inFlight--;
    if (this.ring.length < this.ringSize) {
      this.ring.push(slot);
      return;
    }
    slot.querySet.destroy();
    slot.resolveBuf.destroy();
    slot.readBuf.destroy();
  }

  /** Until `endRun`, dispatches of call `callId` are gathered into one record
   *  (recorder.recordDispatches): a call of a program of many kernels writes one journal line for
   *  them, not one each. */
  beginRun(callId: number | undefined): void {
    if (this.recorder.recordDispatches) this.run = { callId, kernels: [], starts: [] };
  }

  /** Records the dispatches gathered since `beginRun` (called even when encoding threw). */
  endRun(): void {
    const run = this.run;
    this.run = null;
    if (run && run.kernels.length > 0) this.recorder.recordDispatches!(run.kernels, run.starts, run.callId);
  }

  /** Registers the next dispatch; returns the timestampWrites for a pass of its own when it is
   *  timed with timestamps (undefined: it may share the untimed pass). */
  next(kernelId: string, startMs: number, callId?: number, ran?: Promise<boolean>): TimedPass | undefined {
    // Counted at once; a timed dispatch's time follows as a sample when its readback lands. An
    // indirect one (`ran`) is counted by its loop, which knows whether it ran, and timed only
    // with timestamps (a submit's host time split evenly would count the no-ops).
    if (!ran) {
      const run = this.run;
      if (run && run.callId === callId) {
        run.kernels.push(kernelId);
        run.starts.push(startMs);
      } else this.recorder.recordDispatch(kernelId, null, startMs, callId);
    } else if (!this.timestamps) return undefined;
    // Past the cap (a loop that never yields has MAX_IN_FLIGHT readbacks pending), only the
    // dispatches the policy must time take a slot: each kernel's warm-up (a kernel first seen
    // deep in such a loop would otherwise get no sample at all) and a few spread over the run
    // (timingPolicy.ts isCheckpoint), at most one extra query set per submit that holds one.
    const capped = !this.slot && this.inFlight >= MAX_IN_FLIGHT;
    if (this.timestamps && !this.policy.shouldTime(kernelId, capped)) return undefined;
    const i = this.entries.length;
    const batch = this.timestamps ? this.policy.batchOf(kernelId) : 1;
    this.entries.push({ kernelId, startMs, batch, ...(ran ? { ran } : {}) });
    if (!this.timestamps) return undefined;
    return { timestampWrites: this.writesFor(i), repeat: batch };
  }

  /** Entry i's two timestamps, in the open encoder's query slot (taken if there is none). */
  private writesFor(i: number): GPUComputePassTimestampWrites {
    this.slot ??= this.takeSlot();
    return { querySet: this.slot.querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  /** The timestampWrites for the pass of a pipeline's empty first dispatch (pipelinePrimer.ts),
   *  whose span is the driver compiling it where the driver compiles at first use (lavapipe);
   *  undefined without timestamps, or with the encoder's query slots full. */
  nextCompile(kernelId: string, startMs: number): GPUComputePassTimestampWrites | undefined {
    if (!this.timestamps || !this.recorder.recordDriverCompile || this.full) return undefined;
    if (!this.slot && this.inFlight >= MAX_IN_FLIGHT) return undefined;
    const i = this.entries.length;
    this.entries.push({ kernelId, startMs, batch: 1, compile: true });
    return this.writesFor(i);
  }

  /** Encodes the resolve (before `encoder.finish()`); returns what to run after the submit. */
  resolve(encoder: GPUCommandEncoder): (() => void) | null {
    const entries = this.entries;
    if (entries.length === 0) return null;
    this.entries = [];
    const recorder = this.recorder;
    if (!this.timestamps || !this.slot) {
      const t0 = recorder.now();
      const queue = this.device.queue;
      return () => {
        // Here the wait is the measurement: Dawn's own polling, which answers soonest (a
        // sleeping wait could end a quarter late).
        void queue.onSubmittedWorkDone().then(() => {
          const each = ((recorder.now() - t0) * 1e6) / entries.length;
          for (const e of entries) recorder.recordSample(e.kernelId, each, e.startMs);
        });
      };
    }
    const slot = this.slot;
    this.slot = null;
    this.inFlight++;
    const bytes = entries.length * 16;
    encoder.resolveQuerySet(slot.querySet, 0, entries.length * 2, slot.resolveBuf, 0);
    encoder.copyBufferToBuffer(slot.resolveBuf, 0, slot.readBuf, 0, bytes);
    return () => {
      void this.wait(() => slot.readBuf.mapAsync(MAP_READ, 0, bytes)).then(
        () => {
          const t = new BigUint64Array(slot.readBuf.getMappedRange(0, bytes).slice(0));
          slot.readBuf.unmap();
          this.releaseSlot(slot);
          entries.forEach((e, i) => {
            const begin = t[2 * i]!;
            const span = Math.max(0, Number(t[2 * i + 1]! - begin));
            const ns = this.perDispatch(span, e.batch);
            if (e.compile) return recorder.recordDriverCompile?.(e.kernelId, ns, e.startMs, gpuStart(begin));
            const keep = (): void => {
              this.policy.observe(e.kernelId, ns, e.batch, span);
              recorder.recordSample(e.kernelId, ns, e.startMs, gpuStart(begin), e.batch);
            };
            if (!e.ran) return keep();
            void e.ran.then((ok) => {
              if (ok) keep();
            });
          });
        },
        () => this.releaseSlot(slot),
      );
    };
  }
}
