// Storage buffers by size bucket (powers of two from 256 B), bounded in bytes and count so a
// long loop of eager ops reuses a handful of buffers. A freed buffer may still be read by
// encoded-but-unsubmitted work, so it waits in `pending` until the next submit; after that,
// the queue's ordering makes reuse safe. Before it, a pending buffer is still safe for a
// consumer whose first write is itself an encoded command (a dispatch or a copy): commands run
// in the order they were encoded, and WebGPU orders a later write after every earlier-encoded
// read. So a loop of calls with no wait between them cycles through a few buffers instead of
// one fresh buffer per call until the submit (a cache-sized working set: on lavapipe, 20 calls
// of a 2^20-float chain ran 30% slower with 20 distinct outputs than with a recycled one).
// Arrays nobody references come back only when V8 collects them (arrayMemory.ts), in a burst:
// a bucket keeps as many as one collection cycle brings (`cycleBytes`), or a loop that drops its
// outputs would allocate most of them afresh every cycle (see `collectFloorBytes`).

export interface PoolStats {
  pooledBuffers: number;
  pooledBytes: number;
  liveBuffers: number;
  liveBytes: number;
}

const MIN_BUCKET = 256;
/** Live arrays that make the runtime ask V8 for a collection at the least (arrayMemory.ts). */
export const COLLECT_FLOOR_ARRAYS = 8192;
const USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */

export function bucketSize(bytes: number): number {
  let b = MIN_BUCKET;
  while (b < bytes) b *= 2;
  return b;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private pooledBytes = 0;
  private pooledBuffers = 0;
  private liveBytes = 0;
  private liveBuffers = 0;

  constructor(
    private readonly device: GPUDevice,
    readonly maxPooledBytes = 256 * 1024 * 1024,
    /** Unreferenced storage one collection cycle frees. */
    private readonly cycleBytes = collectFloorBytes(),
  ) {}

  /** A bucket holds what one collection cycle frees of its size (within maxPooledBytes): a cycle
   *  ends at COLLECT_FLOOR_ARRAYS arrays or `cycleBytes`, whichever comes first. Small buffers
   *  end it by count: capped at 256, a loop of tiny eager ops got 256 of each cycle's 8,192
   *  back and created the rest afresh (8,743 buffers for 9,000 arrays, about 20 µs each on
   *  lavapipe, with a bind group each). The floors keep a few for arrays freed explicitly. */
  private maxPerBucket(size: number): number {
    const floor = size <= 64 * 1024 ? 256 : size <= 4 * 1024 * 1024 ? 32 : 8;
    return Math.max(floor, Math.min(COLLECT_FLOOR_ARRAYS, Math.ceil(this.cycleBytes / size)));
  }

  acquire(bytes: number): GPUBuffer {
    const size = bucketSize(bytes);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (buf) {
      this.pooledBytes -= size;
      this.pooledBuffers--;
    } else {
      buf = this.device.createBuffer({ size, usage: USAGE });
    }
    this.liveBytes += size;
    this.liveBuffers++;
    return buf;
  }

  /**
   * For a buffer whose first write is a command encoded after this call: a buffer freed since the
   * last submit will do too (see the top). Never for `queue.writeBuffer`, which takes effect
   * ahead of the open batch, and so ahead of that batch's reads of the buffer.
   */
  acquireForEncodedWrite(bytes: number): GPUBuffer {
    const size = bucketSize(bytes);
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i]!.size !== size) continue;
      const buf = this.pending.splice(i, 1)[0]!;
      this.liveBytes += size;
      this.liveBuffers++;
      return buf;
    }
    return this.acquire(bytes);
  }

  /** The buffer is no longer referenced by new work; reusable after the next submit. */
  release(buf: GPUBuffer): void {
    this.liveBytes -= buf.size;
    this.liveBuffers--;
    this.pending.push(buf);
  }

  /** For a buffer every command using which is already submitted (a while loop's own buffers
   *  when it ends, backend/webgpuWhile.ts): reusable at once, even while later work is held. */
  releaseSubmitted(buf: GPUBuffer): void {
    this.liveBytes -= buf.size;
    this.liveBuffers--;
    this.toFree(buf);
  }

  /** Called right after a queue submit: pending buffers become reusable (or are destroyed). */
  afterSubmit(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    for (const buf of pending) this.toFree(buf);
  }

  private toFree(buf: GPUBuffer): void {
    const list = this.free.get(buf.size) ?? [];
    if (list.length >= this.maxPerBucket(buf.size) || this.pooledBytes + buf.size > this.maxPooledBytes) {
      buf.destroy();
      return;
    }
    list.push(buf);
    this.free.set(buf.size, list);
    this.pooledBytes += buf.size;
    this.pooledBuffers++;
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  stats(): PoolStats {
    return {
      pooledBuffers: this.pooledBuffers + this.pending.length,
      pooledBytes: this.pooledBytes + this.pending.reduce((s, b) => s + b.size, 0),
      liveBuffers: this.liveBuffers,
      liveBytes: this.liveBytes,
    };
  }
}

/**
 * Unreferenced array storage that may pile up before the runtime asks V8 for a collection
 * (arrayMemory.ts), and so what one collection brings back to the pool. A collection costs time
 * in proportion to the JS heap; a fresh buffer costs its pages, on lavapipe about 1.2 ms per MiB
 * (Dawn's clear and the kernel touch them first: a 2^20-float chain waited for after each call
 * ran 7.3 ms a call with fresh outputs, 2.4 ms with recycled ones). With the pool holding a
 * cycle, only the first cycle allocates. A lower floor shortens that first cycle but collects
 * more often after it: at 64 MiB the chain ran 1.08–1.18× faster than at 256 in a small process
 * (four sittings), but in the bench's process (jax-js and TensorFlow.js loaded, a larger heap)
 * the eager chain ran 25.9 ms against 9.9 (bench/dev/dropped_outputs.ts, `npm run bench`). So
 * 256 MiB; JITSCOPE_COLLECT_MIB replaces it (a measurement's knob).
 */
export function collectFloorBytes(env: Record<string, string | undefined> = {}): number {
  const given = Number(env.JITSCOPE_COLLECT_MIB);
  if (env.JITSCOPE_COLLECT_MIB && Number.isFinite(given) && given > 0) return given * 1024 * 1024;
  return 256 * 1024 * 1024;
}
