// Waiting for the device without taking a CPU core from it.
//
// Dawn in Node (npm `webgpu`) learns that a mapAsync or onSubmittedWorkDone has completed by
// polling: while any such promise is pending it runs its event processing again at every turn
// of the event loop, rescheduling itself with the global `setImmediate`. That is a busy loop on
// the main thread. On a software adapter (lavapipe, SwiftShader) the device's own work runs on
// the same CPU cores, so the loop takes one of them from the kernels: on 2 cores the jit's 1024²
// matmul ran at 11.3 GFLOP/s waited for that way and at 19.4 with the loop sleeping, the best
// hand kernel at 13.7 and 20.9 (bench/dev/device_wait.ts). On a GPU the loop only burns a core,
// and it answers soonest.
//
// "sleep" mode: while one of our waits is pending, the `setImmediate` Dawn looks up each time
// it reschedules is ours. Only native callbacks (Dawn's) are delayed, by a sleep of the main
// thread that grows with the wait (a quarter of the time waited so far, at most 1 ms), after a
// first 250 µs of plain polling so a short wait answers as soon as before (a sleep costs at least
// the kernel's timer slack, ~50 µs, on top of what it asks for). A JS callback
// passed to setImmediate in the meantime runs unchanged. The global is restored when the last
// of our waits settles.

export type DeviceWaitMode = "spin" | "sleep";

/** Plain polling for the first part of a wait: a short kernel answers at once. */
const SPIN_MS = 0.25;
/** Longest sleep between two polls: the most a wait can end late. */
const MAX_SLEEP_MS = 1;
/** A sleep is this share of the time waited so far: a wait ends at most 25% late. */
const SLEEP_SHARE = 0.25;

/** `JITSCOPE_DEVICE_WAIT=spin|sleep` chooses; otherwise a software adapter sleeps and a GPU spins. */
export function deviceWaitMode(software: boolean, env: Record<string, string | undefined> = {}): DeviceWaitMode {
  const given = env.JITSCOPE_DEVICE_WAIT;
  if (given === "spin" || given === "sleep") return given;
  return software ? "sleep" : "spin";
}

type Immediate = (callback: (...args: unknown[]) => void, ...args: unknown[]) => unknown;

let pending = 0;
/** When the newest of the pending waits began: the sleeps grow from there. */
let newestStart = 0;
let original: Immediate | null = null;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const fnSource = Function.prototype.toString;

function sleepMs(): number {
  const waited = performance.now() - newestStart;
  return waited < SPIN_MS ? 0 : Math.min(MAX_SLEEP_MS, waited * SLEEP_SHARE);
}

function calmImmediate(callback: (...args: unknown[]) => void, ...args: unknown[]): unknown {
  const schedule = original!;
  const ms = sleepMs();
  if (ms === 0 || !fnSource.call(callback).includes("[native code]")) return schedule(callback, ...args);
  return schedule(() => {
    Atomics.wait(sleepCell, 0, 0, ms);
    callback(...args);
  });
}

const globals = globalThis as unknown as { setImmediate: Immediate };

/**
 * Starts a Dawn wait (`start` calls mapAsync or onSubmittedWorkDone) and returns its promise; in
 * "sleep" mode Dawn's polling sleeps between polls until it settles.
 */
export function waitForDevice<T>(mode: DeviceWaitMode, start: () => Promise<T>): Promise<T> {
  if (mode === "spin") return start();
  if (pending++ === 0) {
    original = globals.setImmediate;
    globals.setImmediate = calmImmediate;
  }
  newestStart = performance.now();
  const done = (): void => {
    if (--pending > 0) return;
    globals.setImmediate = original!;
    original = null;
  };
  let promise: Promise<T>;
  try {
    promise = start();
  } catch (e) {
    done();
    throw e;
  }
  return promise.finally(done);
}

/** A waiter bound to one mode, for code that only holds a device (calibration, the autotuner). */
export type DeviceWaiter = <T>(start: () => Promise<T>) => Promise<T>;
export const deviceWaiter =
  (mode: DeviceWaitMode): DeviceWaiter =>
  (start) =>
    waitForDevice(mode, start);
