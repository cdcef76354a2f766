// Live device bytes over a run: one sample each time an array's storage is allocated or freed
// (arrayMemory.ts), kept bounded. Past LIVE_BYTES_LIMIT samples, neighbours are merged pairwise
// keeping the larger (with its time), so a long eager loop keeps its peaks in a few thousand points.

import type { LiveBytesSample } from "@jitscope/contract";

export const LIVE_BYTES_LIMIT = 4000;

export class LiveBytesTrack {
  private samples: LiveBytesSample[] = [];

  push(t: number, bytes: number): void {
    if (!(Number.isFinite(t) && Number.isFinite(bytes) && bytes >= 0)) return;
    const last = this.samples[this.samples.length - 1];
    if (last && last.t === t) {
      // Same instant: the later value stands, the peak stays.
      last.bytes = Math.max(last.bytes, bytes);
      return;
    }
    this.samples.push({ t, bytes });
    if (this.samples.length >= 2 * LIVE_BYTES_LIMIT) this.samples = halve(this.samples);
  }

  /** At most LIVE_BYTES_LIMIT samples, in time order. */
  result(): LiveBytesSample[] {
    let s = this.samples;
    while (s.length > LIVE_BYTES_LIMIT) s = halve(s);
    this.samples = s;
    return s.map((x) => ({ ...x }));
  }

  get length(): number {
    return this.samples.length;
  }
}

function halve(s: readonly LiveBytesSample[]): LiveBytesSample[] {
  const out: LiveBytesSample[] = [];
  for (let i = 0; i < s.length; i += 2) {
    const a = s[i]!;
    const b = s[i + 1];
    out.push(b && b.bytes > a.bytes ? { ...b } : { ...a });
  }
  return out;
}
