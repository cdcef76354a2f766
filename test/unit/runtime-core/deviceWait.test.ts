// How the runtime waits on Dawn (backend/deviceWait.ts): Dawn polls a pending promise by
// rescheduling a native callback with the global setImmediate; in "sleep" mode those polls
// sleep between them, JS callbacks pass through untouched, and the global comes back after.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deviceWaitMode, waitForDevice } from "../../../runtime/src/backend/deviceWait.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";
import { jit, np } from "../../../runtime/src/index.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";

type Immediate = typeof globalThis.setImmediate;

/** Spies on setImmediate: keeps every callback it is given (Dawn's polls, plain or wrapped to sleep first). */
function spyImmediate(): { given: unknown[]; restore: () => void } {
  const real = globalThis.setImmediate;
  const given: unknown[] = [];
  const spy = ((cb: (...a: unknown[]) => void, ...args: unknown[]) => {
    given.push(cb);
    return real(cb, ...args);
  }) as unknown as Immediate;
  globalThis.setImmediate = spy;
  return { given, restore: () => void (globalThis.setImmediate = real) };
}

/** Dawn's polling, imitated: a bound function (native to toString) rescheduled until the clock
 *  reaches `endAt` (and `enough()` holds); the poll that finds it there resolves. One clock read
 *  decides both: two reads could disagree and leave the promise pending with no poll scheduled,
 *  which ended the test's event loop early at random. */
function pollUntil(endAt: number, onPoll: () => void = () => {}, enough: () => boolean = () => true): Promise<void> {
  return new Promise((resolve) => {
    const poll = function (this: null) {
      onPoll();
      if (performance.now() >= endAt && enough()) resolve();
      else globalThis.setImmediate(poll.bind(null));
    };
    globalThis.setImmediate(poll.bind(null));
  });
}

test("deviceWaitMode: a software adapter sleeps, a GPU spins; JITSCOPE_DEVICE_WAIT overrides, other values ignored", () => {
  assert.equal(deviceWaitMode(true), "sleep");
  assert.equal(deviceWaitMode(false), "spin");
  assert.equal(deviceWaitMode(true, { JITSCOPE_DEVICE_WAIT: "spin" }), "spin");
  assert.equal(deviceWaitMode(false, { JITSCOPE_DEVICE_WAIT: "sleep" }), "sleep");
  assert.equal(deviceWaitMode(true, { JITSCOPE_DEVICE_WAIT: "fast" }), "sleep");
  assert.equal(deviceWaitMode(false, { JITSCOPE_DEVICE_WAIT: "" }), "spin");
});

test("spin mode leaves setImmediate alone during a wait; the wait resolves", async () => {
  const before = globalThis.setImmediate;
  let during: unknown = null;
  const endAt = performance.now() + 5;
  await waitForDevice("spin", () => {
    during = globalThis.setImmediate;
    return pollUntil(endAt);
  });
  assert.equal(during, before, "Dawn's polls reach the real setImmediate");
  assert.equal(globalThis.setImmediate, before);
});

// Only lower bounds on the gaps and an upper bound on the count: a loaded machine makes polls
// later and fewer, never earlier or more, so neither can fail for want of CPU. The wait lasts
// until 4 polls have come after the first 0.25 ms, however long that takes: a process descheduled
// for 30 ms saw a single poll and failed "polled 1 times in 30 ms" (a CI rehearsal, 2026-12-02).
test("sleep mode: after 0.25 ms every gap between Dawn's polls is at least a quarter of the time waited (at most 1 ms), a 30 ms wait polls under 300 times, and setImmediate is restored", async () => {
  const before = globalThis.setImmediate;
  const polls: number[] = [];
  let started = 0;
  const endAt = performance.now() + 30;
  await waitForDevice("sleep", () => {
    started = performance.now(); // the runtime's own start is no later than this
    return pollUntil(
      endAt,
      () => polls.push(performance.now()),
      () => polls.filter((p) => p - started >= 0.25).length >= 4,
    );
  });
  const took = polls.at(-1)! - started;
  assert.ok(polls.length < 300, `sleep mode polled ${polls.length} times in ${took.toFixed(1)} ms`);
  let checked = 0;
  for (let i = 0; i + 1 < polls.length; i++) {
    const waited = polls[i]! - started;
    if (waited < 0.25) continue;
    const least = Math.min(1, waited * 0.25);
    const gap = polls[i + 1]! - polls[i]!;
    assert.ok(
      gap >= least - 0.02,
      `poll ${i + 1} came ${gap.toFixed(3)} ms after the one before; at least ${least.toFixed(3)} expected`,
    );
    checked++;
  }
  assert.ok(checked >= 3, `only ${checked} gaps after the first 0.25 ms`);
  assert.equal(globalThis.setImmediate, before, "the global setImmediate is the original again");
});

test("sleep mode: a JS callback given to setImmediate during a wait reaches the real setImmediate as itself", async () => {
  const spy = spyImmediate();
  try {
    const mine = () => {};
    const endAt = performance.now() + 5;
    await waitForDevice("sleep", () => {
      globalThis.setImmediate(mine);
      return pollUntil(endAt);
    });
    assert.equal(spy.given[0], mine, "given first, as itself");
    assert.equal(spy.given.filter((f) => f === mine).length, 1);
  } finally {
    spy.restore();
  }
});

test("sleep mode: overlapping waits restore setImmediate only when the last settles; a throwing start restores it", async () => {
  const before = globalThis.setImmediate;
  let release1 = () => {};
  const first = waitForDevice("sleep", () => new Promise<void>((r) => (release1 = r)));
  assert.notEqual(globalThis.setImmediate, before, "installed during the wait");
  let release2 = () => {};
  const second = waitForDevice("sleep", () => new Promise<void>((r) => (release2 = r)));
  release1();
  await first;
  assert.notEqual(globalThis.setImmediate, before, "still installed: the second wait is pending");
  release2();
  await second;
  assert.equal(globalThis.setImmediate, before);
  assert.throws(() =>
    waitForDevice("sleep", () => {
      throw new Error("no device");
    }),
  );
  assert.equal(globalThis.setImmediate, before, "restored after a start that threw");
});

test("on WebGPU in sleep mode, a jitted chain of 6 matmuls read back matches float64 and Dawn polled under 200 times", async (t) => {
  const gpu = await webgpuBackendOrSkip(t);
  if (!gpu) return;
  const n = 256;
  const a = np.reshape(np.divide(np.arange(n * n), n * n), [n, n]) as ConcreteArray;
  const f = jit((x: np.ArrayLike) => {
    let y: np.ArrayLike = x;
    for (let i = 0; i < 6; i++) y = np.tanh(np.matmul(y, x));
    return y;
  });
  await (f(a) as ConcreteArray).blockUntilReady(); // compiled outside the counted wait
  const spy = spyImmediate();
  let out: Float32Array;
  try {
    out = (await (f(a) as ConcreteArray).data()) as Float32Array;
  } finally {
    spy.restore();
  }
  const x = Float64Array.from({ length: n * n }, (_, i) => i / (n * n));
  let y = Float64Array.from(x);
  for (let s = 0; s < 6; s++) {
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const v = y[i * n + k]!;
        for (let j = 0; j < n; j++) next[i * n + j]! += v * x[k * n + j]!;
      }
    y = next.map(Math.tanh);
  }
  let err = 0;
  for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(out[i]! - y[i]!));
  assert.ok(err < 1e-4, `largest difference ${err}`);
  if (gpu.waitMode === "sleep") assert.ok(spy.given.length < 200, `Dawn polled ${spy.given.length} times`);
  else assert.equal(gpu.waitMode, "spin");
});
