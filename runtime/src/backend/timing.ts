// GPU time per dispatch for the profiler: timestamp queries written at the start and end of
// each compute pass, resolved into a buffer in the same command encoder and read back
// asynchronously after the submit, so the call path never waits. Without `timestamp-query`
// each submit's host-measured completion time is split over its dispatches (and the device
// info says so). Only used while `recorder.enabled`.

import type { Recorder } from "../profile/recorderApi.js";

interface Pending {
  readonly kernelId: string;
  readonly startMs: number;
  readonly callId: number | undefined;
}

const MAP_READ = 0x01, COPY_DST = 0x08, QUERY_RESOLVE = 0x200, COPY_SRC = 0x04;

export class DispatchTimer {
  private querySet: GPUQuerySet | null = null;
  private entries: Pending[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly recorder: Recorder,
    private readonly timestamps: boolean,
    readonly capacity = 256,
  ) {}

  get count(): number {
    return this.entries.length;
  }

  get full(): boolean {
    return this.entries.length >= this.capacity;
  }

  /** Registers the next pass's dispatch; returns its timestampWrites (if timestamps exist). */
  next(kernelId: string, startMs: number, callId?: number): GPUComputePassTimestampWrites | undefined {
    const i = this.entries.length;
    this.entries.push({ kernelId, startMs, callId });
    if (!this.timestamps) return undefined;
    this.querySet ??= this.device.createQuerySet({ type: "timestamp", count: this.capacity * 2 });
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  /** Encodes the resolve (before `encoder.finish()`); returns what to run after the submit. */
  resolve(encoder: GPUCommandEncoder): (() => void) | null {
    const entries = this.entries;
    if (entries.length === 0) return null;
    this.entries = [];
    const recorder = this.recorder;
    if (!this.timestamps || !this.querySet) {
      const t0 = recorder.now();
      const queue = this.device.queue;
      return () => {
        void queue.onSubmittedWorkDone().then(() => {
          const each = ((recorder.now() - t0) * 1e6) / entries.length;
          for (const e of entries) recorder.recordDispatch(e.kernelId, each, e.startMs, e.callId);
        });
      };
    }
    const qs = this.querySet;
    this.querySet = null;
    const bytes = entries.length * 16;
    const resolveBuf = this.device.createBuffer({ size: bytes, usage: QUERY_RESOLVE | COPY_SRC });
    const readBuf = this.device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
    encoder.resolveQuerySet(qs, 0, entries.length * 2, resolveBuf, 0);
    encoder.copyBufferToBuffer(resolveBuf, 0, readBuf, 0, bytes);
    return () => {
      void readBuf.mapAsync(MAP_READ).then(
        () => {
          const t = new BigUint64Array(readBuf.getMappedRange().slice(0));
          readBuf.unmap();
          entries.forEach((e, i) => {
            const ns = Number(t[2 * i + 1]! - t[2 * i]!);
            recorder.recordDispatch(e.kernelId, ns >= 0 ? ns : 0, e.startMs, e.callId);
          });
          readBuf.destroy();
          resolveBuf.destroy();
          qs.destroy();
        },
        () => {
          readBuf.destroy();
          resolveBuf.destroy();
          qs.destroy();
        },
      );
    };
  }
}
