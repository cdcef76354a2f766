// lax.while_loop under jit on WebGPU, each result checked against the CPU reference and a plain JS
// loop: the condition runs on the device, the body is dispatched indirectly and the flag is read
// once per chunk (backend/webgpuWhile.ts). Data-dependent trip counts, zero iterations, a long
// loop over several chunks with bounded memory, ordering of later work behind a running loop,
// vmap, a scan inside the body, and the refused while_loop inside a scan body.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { currentBackend } from "../../../runtime/src/backend/select.js";
import { lastWhileRun } from "../../../runtime/src/backend/webgpuWhile.js";
import { FIRST_CHUNK, MAX_CHUNK } from "../../../runtime/src/codegen/whileControl.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { here, onBackend, webgpuBackendOrSkip } from "../ops/harness.js";
import { arr, close, both } from "./loopCheck.js";

type T = Tracer;

const squarePlusOne = (z: T) =>
  lax.while_loop(
    (a: T) => np.less(np.max(a), 100),
    (a: T) => np.add(np.multiply(a, a), 1),
    z,
  );

/** Newton's iteration for √a, counting its steps until |x² − a| ≤ 1e-3·a. */
const newton = (a: T) =>
  lax.while_loop(
    ([x]: [T, T]) => np.greater(np.abs(np.subtract(np.multiply(x, x), a)), np.multiply(a, 1e-3)),
    ([x, n]: [T, T]) => [np.multiply(0.5, np.add(x, np.divide(a, x))), np.add(n, 1)] as [T, T],
    [a, np.array(0, { dtype: "int32" })] as [T, T],
  );

function hostNewton(a: number): [number, number] {
  const f = Math.fround;
  let x = f(a),
    n = 0;
  while (Math.abs(f(x * x) - a) > f(a * 1e-3)) {
    x = f(0.5 * f(x + f(a / x)));
    n++;
  }
  return [x, n];
}

/** Collatz steps: n → n/2 when even, 3n + 1 when odd, until n = 1. */
const collatz = (n0: T) =>
  lax.while_loop(
    ([n]: [T, T]) => np.not_equal(n, 1),
    ([n, k]: [T, T]) =>
      [np.where(np.equal(np.mod(n, 2), 0), np.floor_divide(n, 2), np.add(np.multiply(n, 3), 1)), np.add(k, 1)] as [
        T,
        T,
      ],
    [n0, np.array(0, { dtype: "int32" })] as [T, T],
  );

function hostCollatz(n: number): number {
  let k = 0;
  for (; n !== 1; k++) n = n % 2 === 0 ? n / 2 : 3 * n + 1;
  return k;
}

test("WebGPU: while_loop with a data-dependent trip count (z = z² + 1 until max z ≥ 100), jitted and eager, equals the CPU reference and a JS loop", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const { cpu, gpu } = await both(() => jit(squarePlusOne)(np.array([1, 2, 0.5])));
  close(gpu[0]!, cpu[0]!, 1e-6, "CPU reference");
  // By hand: max 2 → 5 → 26 → 677 (three iterations).
  let z = [1, 2, 0.5];
  while (Math.max(...z) < 100) z = z.map((v) => v * v + 1);
  close(gpu[0]!, z, 1e-6, "JS loop");
  assert.deepEqual(lastWhileRun(), { iterations: 3, chunks: 1, encoded: FIRST_CHUNK });
  // Outside jit the predicate lives on the GPU too: the loop runs as one equation, the same way.
  const eager = await arr(onBackend("webgpu", () => squarePlusOne(np.array([1, 2, 0.5]))));
  close(eager, z, 1e-6, "eager on WebGPU");
});

test("WebGPU: Newton's iteration runs a per-input number of steps, each call equal to the CPU reference", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const f = jit(newton);
  const counts = new Set<number>();
  for (const a of [2, 100, 12345]) {
    const { cpu, gpu } = await both(() => f(np.array(a)));
    const [x, n] = hostNewton(a);
    close(gpu[0]!, cpu[0]!, 1e-6, `√${a} vs CPU`);
    assert.deepEqual(gpu[1], cpu[1], `steps for ${a} vs CPU`);
    close(gpu[0]!, [x], 1e-6, `√${a} vs JS`);
    assert.deepEqual(gpu[1], [n], `steps for ${a} vs JS`);
    assert.equal(lastWhileRun()!.iterations, n);
    counts.add(n);
  }
  assert.equal(counts.size, 3, "three inputs, three different trip counts from one compiled loop");
});

test("WebGPU: a while_loop whose condition is false at once runs 0 iterations and returns its input", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const { cpu, gpu } = await both(() => {
    const [w] = jit((z: T) => {
      const r = squarePlusOne(z);
      return [np.add(r, 1)];
    })(np.array([150, 3]));
    return w;
  });
  close(gpu[0]!, [151, 4], 0, "input + 1");
  close(gpu[0]!, cpu[0]!, 0, "CPU reference");
  assert.deepEqual(lastWhileRun(), { iterations: 0, chunks: 1, encoded: FIRST_CHUNK });
});

test("WebGPU: a 1,000-iteration while_loop spans several chunks, is correct and leaves GPU memory bounded", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  await onBackend("webgpu", async () => {
    const backend = currentBackend();
    // Array bounds make fori_loop a while loop.
    const f = jit((v: T, n: T) => lax.fori_loop(np.array(0, { dtype: "int32" }), n, (i: T, a: T) => np.add(a, i), v));
    const n = np.array(1000, { dtype: "int32" });
    const x = np.array([0, 0.5]);
    const warm = f(x, n) as T; // compile, warm the pool
    await warm.data();
    warm.dispose();
    const before = backend.stats!();
    const out = f(x, n) as T;
    close(await arr(out), [499500, 499500.5], 1e-6, "Σ i for i < 1000");
    out.dispose();
    const after = backend.stats!();
    // Chunks of 16, 32, 64, 128, then 256 each: 7 chunks reach 1,008 iterations.
    let chunks = 0,
      encoded = 0;
    for (let k = FIRST_CHUNK; encoded < 1000; k = Math.min(2 * k, MAX_CHUNK))
      [chunks, encoded] = [chunks + 1, encoded + k];
    assert.deepEqual(lastWhileRun(), { iterations: 1000, chunks, encoded });
    assert.ok(chunks > 1);
    assert.ok(
      after.liveArrays <= before.liveArrays,
      `no array left behind: ${before.liveArrays} -> ${after.liveArrays}`,
    );
    assert.ok(
      after.liveBytes + after.pooledBytes <= before.liveBytes + before.pooledBytes + 4096,
      `memory grew: ${before.liveBytes + before.pooledBytes} -> ${after.liveBytes + after.pooledBytes} bytes`,
    );
  });
});

test("WebGPU: work encoded after a running while_loop reads its final carry (same jitted call, later eager ops, a second call)", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  // 300 iterations: the loop is still running on the device while the host encodes what follows.
  const slowCount = (z: T) =>
    lax.while_loop(
      ([, k]: [T, T]) => np.less(k, 300),
      ([a, k]: [T, T]) => [np.add(np.multiply(a, 0.5), 1), np.add(k, 1)] as [T, T],
      [z, np.array(0, { dtype: "int32" })] as [T, T],
    );
  const program = () => {
    const f = jit((z: T) => {
      const [a, k] = slowCount(z);
      return [np.add(np.sum(a), k), a];
    });
    const x = np.array([4, -8, 100]);
    const [s1, a1] = f(x) as [T, T];
    x.dispose(); // its buffer must not be rewritten while the loop still reads it
    const y = np.array([10, 20, 30]); // written by the queue while the loop runs
    const later = np.multiply(a1, 10); // an eager op behind the loop
    const [s2, a2] = f(y) as [T, T]; // a second loop queued behind the first
    return [s1, a1, later, s2, a2, np.subtract(a2, a1)];
  };
  const { cpu, gpu } = await both(program);
  cpu.forEach((c, i) => close(gpu[i]!, c, 1e-5, `result ${i}`));
  close(gpu[1]!, [2, 2, 2], 1e-6, "fixed point of a/2 + 1");
  close(gpu[0]!, [306], 1e-5, "sum(a) + k after the loop, in the same call");
  close(gpu[2]!, [20, 20, 20], 1e-5, "eager op after the loop");
});

test("WebGPU: 12 calls queued back to back (no wait between) each get their own trip count and result", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const inputs = Array.from({ length: 12 }, (_, i) => 1 + 97 * i);
  const f = jit(newton);
  const gpu = onBackend("webgpu", () => inputs.map((a) => f(np.array(a)) as [T, T]));
  for (const [i, a] of inputs.entries()) {
    const [x, n] = hostNewton(a);
    close(await arr(gpu[i]![0]), [x], 1e-6, `√${a}`);
    assert.deepEqual(await arr(gpu[i]![1]), [n], `steps for ${a}`);
  }
});

test("WebGPU: vmap(while_loop), jitted and eager, runs each element's own trip count (Collatz steps), equal to a per-element loop", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const starts = [1, 6, 7, 27, 97];
  const { cpu, gpu } = await both(() => jit(vmap((n: T) => collatz(n)[1]))(np.array(starts, { dtype: "int32" })));
  const steps = starts.map(hostCollatz);
  assert.deepEqual(steps, [0, 8, 16, 111, 118]);
  assert.deepEqual(gpu[0], steps, "per-element loop");
  assert.deepEqual(gpu[0], cpu[0], "CPU reference");
  assert.equal(lastWhileRun()!.iterations, 118, "the batched loop runs until its last element is done");
  const eager = onBackend("webgpu", () => vmap((n: T) => collatz(n)[1])(np.array(starts, { dtype: "int32" })));
  assert.deepEqual(await arr(eager), steps, "vmap outside jit");
});

test("WebGPU: a scan inside a while_loop body runs, equal to the CPU reference", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const f = (v: T) =>
    lax.while_loop(
      (a: T) => np.less(np.sum(a), 50),
      (a: T) => lax.scan((c: T, x: T): [T, null] => [np.add(np.multiply(c, 1.5), x), null], a, np.array([1, 2]))[0],
      v,
    );
  const { cpu, gpu } = await both(() => jit(f)(np.array([0.5, 1])));
  close(gpu[0]!, cpu[0]!, 1e-6, "CPU reference");
  let a = [0.5, 1];
  while (a[0]! + a[1]! < 50) for (const x of [1, 2]) a = a.map((c) => c * 1.5 + x);
  close(gpu[0]!, a, 1e-6, "JS loop");
});

test("WebGPU: a while_loop inside a scan or while_loop body is refused with a clear error naming the user's line", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  let line = 0;
  const f = jit((v: T) =>
    lax.scan(
      (c: T, x: T): [T, null] => {
        line = here() + 1;
        const d = lax.while_loop(
          (a: T) => np.less(a, x),
          (a: T) => np.add(a, 1),
          c,
        );
        return [d, null];
      },
      v,
      np.array([3, 5]),
    ),
  );
  onBackend("webgpu", () => {
    assert.throws(
      () => f(np.array(0)),
      (e: unknown) =>
        e instanceof JitScopeError &&
        /while_loop inside a lax\.scan \/ fori_loop body cannot run on WebGPU/.test(e.message) &&
        e.location?.file.endsWith("whileWebgpu.test.ts") === true &&
        e.location.line === line,
    );
  });
  // The CPU backend runs it: 0 → 3 → 5.
  const [c] = onBackend("cpu", () => f(np.array(0)) as [T, null]);
  assert.deepEqual(await arr(c), [5]);
  // Inside a while_loop body too.
  const g = jit((v: T) =>
    lax.while_loop(
      (a: T) => np.less(a, 10),
      (a: T) => {
        line = here() + 1;
        return lax.while_loop(
          (b: T) => np.less(b, np.add(a, 3)),
          (b: T) => np.add(b, 1),
          a,
        );
      },
      v,
    ),
  );
  onBackend("webgpu", () => {
    assert.throws(
      () => g(np.array(0)),
      (e: unknown) =>
        e instanceof JitScopeError &&
        /while_loop inside a lax\.while_loop body cannot run on WebGPU/.test(e.message) &&
        e.location?.line === line,
    );
  });
});

test("WebGPU: a while_loop whose condition is a carried bool (no condition kernel) equals the CPU reference", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const f = (x: T) =>
    lax.while_loop(
      ([, go]: [T, T]) => go,
      ([a]: [T, T]) => {
        const b = np.multiply(a, 3);
        return [b, np.less(np.sum(b), 500)] as [T, T];
      },
      [x, np.array(true)] as [T, T],
    );
  const { cpu, gpu } = await both(() => jit(f)(np.array([1, 2])));
  // 3 → 9 → 27 → 81 → 243 (sums 9, 27, 81, 243, 729): five iterations.
  close(gpu[0]!, [243, 486], 0, "JS loop");
  close(gpu[0]!, cpu[0]!, 0, "CPU reference");
  assert.deepEqual(gpu[1], [0]);
  assert.equal(lastWhileRun()!.iterations, 5);
  const lo = await onBackend("webgpu", () => jit(f).lower(np.array([1, 2])));
  assert.equal(lo.kernels.filter((k) => k.id.includes("c.")).length, 0, "the predicate is copied, not computed");
  assert.ok(
    lo.kernels.some((k) => k.id.includes(".") && !k.id.includes("c.")),
    "the body has kernels",
  );
});

test("WebGPU: the loop's fusion group says how it runs (condition on the device, indirect body, flag every K)", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const lo = await onBackend("webgpu", () => jit(squarePlusOne).lower(np.array([1, 2])));
  const group = lo.schedule.groups.find((g) => g.kind === "loop")!;
  assert.match(
    group.reason,
    new RegExp(
      `^while_loop: .*condition runs on the device, the body is dispatched indirectly, flag read every K iterations \\(K = ${FIRST_CHUNK}, doubling to ${MAX_CHUNK}\\)`,
    ),
  );
});
