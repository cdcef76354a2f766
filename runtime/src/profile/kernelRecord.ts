// What the report builder keeps per kernel while events arrive: its facts, its timed samples
// with their dispatch starts, and how many times it ran, timed or not.

import type { KernelInfo } from "./recorderApi.js";

export interface KernelRecord {
  info: KernelInfo;
  /** In landing order until build() puts them in dispatch order (by `starts`). */
  samples: number[];
  /** Each sample's dispatch start, ms. */
  starts: number[];
  /** Every dispatch, timed or not. */
  dispatches: number;
  /** Indices into `samples` of those measured as a batch of back-to-back dispatches. */
  batched: number[];
  batchSize: number;
}

export function kernelRecord(info: KernelInfo): KernelRecord {
  return { info, samples: [], starts: [], dispatches: 0, batched: [], batchSize: 1 };
}

/** The facts of a kernel that was dispatched or listed but never registered: its id for a name,
 *  no code, no bytes. */
export function placeholderInfo(id: string): KernelInfo {
  return {
    id,
    name: id,
    compilation: null,
    mode: "eager",
    wgsl: "",
    ops: [],
    opIds: [],
    locations: [],
    workgroupSize: [1, 1, 1],
    dispatch: [1, 1, 1],
    bytesRead: 0,
    bytesWritten: 0,
    flops: 0,
  };
}

/** Puts a kernel's samples (and its batched indices) in the order of their dispatches: readbacks
 *  can land out of order. */
export function inDispatchOrder(k: KernelRecord): void {
  const order = k.samples.map((_, i) => i).sort((a, b) => k.starts[a]! - k.starts[b]! || a - b);
  if (order.every((i, j) => i === j)) return;
  const batched = new Set(k.batched);
  k.samples = order.map((i) => k.samples[i]!);
  k.starts = order.map((i) => k.starts[i]!);
  k.batched = order.flatMap((i, j) => (batched.has(i) ? [j] : []));
}

/** The samples of single dispatches (not of batches). */
export function singles(k: KernelRecord): number[] {
  const batched = new Set(k.batched);
  return k.samples.filter((_, i) => !batched.has(i));
}
