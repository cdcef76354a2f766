// Frees the storage of arrays nobody references. A FinalizationRegistry gives storage back once
// V8 collects an array, but V8 cannot see GPU memory (or our small host arrays) as pressure:
// a loop of eager ops would only be collected by the next full GC, tens of thousands of arrays
// later. So we count live arrays and bytes ourselves and, when they double since the last
// collection, ask V8 for a full GC; finalizers then free the storage at the next event-loop turn.
// The byte floor is backend/bufferPool.ts `collectFloorBytes` (the pool keeps one cycle's worth).
// Finalizers run only when JS yields to the event loop, and a plain synchronous loop of eager
// ops never does: on lavapipe such a loop died at about 60,000 arrays (a mapping per buffer,
// past Linux's vm.max_map_count). So after the collection we run the finalizers at once, with
// V8's `cleanupSome` (behind a flag, enabled at run time as `gc` is). A collection happens
// inside an array's constructor, after its op has been encoded: what it frees is either done
// with or read by encoded work, which the buffer pool waits for (backend/bufferPool.ts).

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Backend, DeviceArray } from "./backend/backend.js";
import { COLLECT_FLOOR_ARRAYS, collectFloorBytes } from "./backend/bufferPool.js";
import { bytesPerElement, sizeOf, type Aval } from "./ir/types.js";
import { recorder } from "./profile/recorder.js";

const MIN_ARRAYS_BEFORE_GC = COLLECT_FLOOR_ARRAYS;
const MIN_BYTES_BEFORE_GC = collectFloorBytes(typeof process !== "undefined" ? process.env : {});

interface Held {
  readonly backend: Backend;
  readonly device: DeviceArray;
  readonly bytes: number;
}

let liveArrays = 0;
let liveBytes = 0;
let collectAtArrays = MIN_ARRAYS_BEFORE_GC;
let collectAtBytes = MIN_BYTES_BEFORE_GC;
let collections = 0;
let collectRequested = false;

// The held value must not reference the array itself, or the array could never be collected.
const registry = finalizationRegistry<Held>((h) => {
  release(h);
  h.backend.free(h.device);
});

function release(h: Held): void {
  liveArrays--;
  liveBytes -= h.bytes;
  if (recorder.enabled) recorder.liveBytes(liveBytes);
  // Survivors set the next threshold: collect again when they have doubled.
  collectAtArrays = Math.min(collectAtArrays, Math.max(MIN_ARRAYS_BEFORE_GC, 2 * liveArrays));
  collectAtBytes = Math.min(collectAtBytes, Math.max(MIN_BYTES_BEFORE_GC, 2 * liveBytes));
}

/** Starts tracking `owner`'s storage; returns the token for `untrack`. */
export function track(owner: object, backend: Backend, device: DeviceArray): Held {
  const held: Held = { backend, device, bytes: storageBytes(device.aval) };
  registry.register(owner, held, owner);
  liveArrays++;
  liveBytes += held.bytes;
  if (recorder.enabled) recorder.liveBytes(liveBytes);
  if (collectRequested || liveArrays >= collectAtArrays || liveBytes >= collectAtBytes) collect();
  return held;
}

/** `owner` was disposed explicitly: free now, and forget it. */
export function untrack(owner: object, held: Held): void {
  if (registry.unregister(owner)) release(held);
  held.backend.free(held.device);
}

/** A collection at the next array made (a full GC, then the finalizers): for the backend when
 *  Dawn's objects, which V8 cannot see as pressure either, pile up (backend/mappingHeadroom.ts).
 *  Not at once: the backend asks in the middle of encoding an op, whose inputs' storage must stay
 *  until it is encoded; an array's constructor runs after its op was. */
export function requestCollection(): void {
  collectRequested = true;
}

export function trackedStats(): { liveArrays: number; liveBytes: number; collections: number } {
  return { liveArrays, liveBytes, collections };
}

function storageBytes(aval: Aval): number {
  return sizeOf(aval.shape) * bytesPerElement(aval.dtype);
}

function collect(): void {
  collectRequested = false;
  collectAtArrays = Math.max(MIN_ARRAYS_BEFORE_GC, 2 * liveArrays);
  collectAtBytes = Math.max(MIN_BYTES_BEFORE_GC, 2 * liveBytes);
  const gc = fullGc();
  if (!gc) return;
  collections++;
  gc();
  registry.cleanupSome?.();
}

type Registry<T> = FinalizationRegistry<T> & { cleanupSome?: () => void };

/** A registry whose finalizers can also be run synchronously (`cleanupSome`) where V8 has it:
 *  the flag installs the method on contexts created after it is set, so the class comes from a
 *  fresh one. Where it is missing, finalizers run at the next event-loop turn, as before. */
function finalizationRegistry<T>(cleanup: (held: T) => void): Registry<T> {
  let Ctor: typeof FinalizationRegistry = FinalizationRegistry;
  try {
    setFlagsFromString("--harmony-weak-refs-with-cleanup-some");
    const fresh = runInNewContext("FinalizationRegistry") as typeof FinalizationRegistry;
    if (typeof (fresh.prototype as { cleanupSome?: unknown }).cleanupSome === "function") Ctor = fresh;
  } catch {
    // No V8 flags here (a browser, another engine): the plain registry.
  }
  return new Ctor<T>(cleanup) as Registry<T>;
}

let gcFn: (() => void) | null | undefined;

/** V8's `gc()`: the global one under --expose-gc, otherwise enabled at run time (a V8 flag). */
function fullGc(): (() => void) | null {
  if (gcFn !== undefined) return gcFn;
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === "function") return (gcFn = g);
  try {
    setFlagsFromString("--expose-gc");
    gcFn = runInNewContext("gc") as () => void;
  } catch {
    gcFn = null;
  }
  return gcFn;
}
