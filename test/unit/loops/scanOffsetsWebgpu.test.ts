// A jitted scan on WebGPU reads row t of its stacked xs and writes row t of its ys where they lie
// (dynamic offsets; rows not a multiple of the offset alignment through a padded stack moved once
// per run): results equal the CPU reference for rows of many sizes and dtypes, forwards and
// reversed, nested scans and zero iterations; the batch encodes no copy per iteration.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { loopLimits, setLoopLimitsForTests } from "../../../runtime/src/backend/scanRows.js";
import { onBackend, webgpuBackendOrSkip } from "../ops/harness.js";
import { input } from "../transforms/fd.js";
import { arr, close, both } from "./loopCheck.js";
import { config } from "../../../runtime/src/config.js";
// These tests are about loops that run their body's kernels each step: a scan with an
// elementwise or small body would run as one recurrence kernel (recurrence.test.ts) instead.
config({ disabledPasses: ["recurrence"] });

type T = Tracer;
const f32 = (shape: number[], seed: number) => np.reshape(np.array(new Float32Array(input(shape, seed).data)), shape);
const i32 = (shape: number[], seed: number) =>
  np.reshape(
    np.array(
      Int32Array.from(input(shape, seed).data, (v) => Math.round(v * 10)),
      { dtype: "int32" },
    ),
    shape,
  );

type Xs = { a: T; w: T; b: T; s: T; n: T };
/** Rows of 16 B (a), 256 B (w), 60 B (b), 4 B (s, one element), 12 B int32 (n): multiples of 16
 *  and of 256 and neither; ys of 256 B, 4 B, 60 B and 12 B int32; carries f32 and int32. */
const manyRows = (reverse: boolean) =>
  jit((h0: T, k0: T, xs: Xs) => {
    const [c, ys] = lax.scan(
      (c: { h: T; k: T }, x: Xs): [{ h: T; k: T }, { big: T; s: T; b: T; k: T }] => {
        const h = np.tanh(np.add(np.multiply(c.h, 0.5), x.a));
        const k = np.add(c.k, x.n);
        const sh = np.sum(h);
        return [
          { h, k },
          { big: np.multiply(x.w, sh), s: np.add(x.s, sh), b: np.multiply(x.b, np.add(sh, 2)), k: np.multiply(k, 3) },
        ];
      },
      { h: h0, k: k0 },
      xs,
      { reverse },
    );
    return [c.h, c.k, ys.big, ys.s, ys.b, ys.k];
  });
const manyArgs = (steps: number): [T, T, Xs] => [
  f32([4], 1),
  i32([3], 2),
  {
    a: f32([steps, 4], 3),
    w: f32([steps, 64], 4),
    b: f32([steps, 5, 3], 5),
    s: f32([steps], 6),
    n: i32([steps, 3], 7),
  },
];

test("WebGPU scan rows in place: rows of 16, 256, 60, 4 and 12 bytes, f32 and int32, a pytree of xs and ys, forwards and reversed, equal the CPU reference", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  for (const steps of [7, 1]) {
    for (const reverse of [false, true]) {
      const { cpu, gpu } = await both(() => manyRows(reverse)(...manyArgs(steps)) as T[]);
      const names = ["carry h", "carry k (int32)", "ys big", "ys s", "ys b", "ys k (int32)"];
      cpu.forEach((c, i) => close(gpu[i]!, c, 1e-5, `${names[i]} steps=${steps} reverse=${reverse}`));
      // The int32 carry is a plain running sum: checkable by hand.
      const n = Array.from(input([steps, 3], 7).data, (v) => Math.round(v * 10));
      const k0 = Array.from(input([3], 2).data, (v) => Math.round(v * 10));
      const want = k0.map((k, j) => n.filter((_, e) => e % 3 === j).reduce((a, b) => a + b, k));
      assert.deepEqual(gpu[1], want, "int32 carry by hand");
    }
  }
});

test("WebGPU scan rows in place: no copyBufferToBuffer per iteration (copies and row moves per call are the same for 8 and 16 steps; dispatches = outer + T × body)", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  await onBackend("webgpu", async () => {
    const per: { copies: number; restrides: number; dispatches: number; outer: number; body: number }[] = [];
    for (const steps of [8, 16]) {
      const f = manyRows(false);
      const args = manyArgs(steps);
      const lo = await f.lower(...args);
      const body = lo.kernels.filter((k) => k.id.split("/")[1]!.includes(".")).length;
      await arr((f(...args) as T[])[2]); // compile and warm up
      backend.flush();
      const s0 = backend.stats();
      const outs = f(...args) as T[];
      backend.flush();
      const s1 = backend.stats();
      await arr(outs[2]);
      per.push({
        copies: s1.copies - s0.copies,
        restrides: s1.restrides - s0.restrides,
        dispatches: s1.dispatches - s0.dispatches,
        outer: lo.kernels.length - body,
        body,
      });
    }
    const [a, b] = [per[0]!, per[1]!];
    // Rows not a multiple of the alignment go through a padded stack: xs a 16, w 256, b 60, s 4,
    // n 12 bytes; ys big 256, s 4, b 60, k 12.
    const align = loopLimits(backend.device).rowAlign;
    const padded = [16, 256, 60, 4, 12, 256, 4, 60, 12].filter((bytes) => bytes % align !== 0).length;
    assert.equal(a.copies, 0, "no copy at all: rows bound in place, carries read from init and written to the outputs");
    assert.equal(b.copies, 0, "16 steps: no copy either");
    assert.equal(a.restrides, b.restrides, "padded rows move once per run, not per step");
    assert.equal(a.restrides, padded, `one move per run for each row not a multiple of ${align} bytes`);
    assert.ok(a.body >= 1);
    assert.equal(a.dispatches, a.outer + 8 * a.body);
    assert.equal(b.dispatches, b.outer + 16 * b.body);
  });
});

/** A scan nested in a scan body: inner xs, init and ys are rows of the outer ones. */
const nested = (reverse: boolean) =>
  jit((h0: T, xs: T) => {
    const [h, ys] = lax.scan(
      (h: T, x: T): [T, [T, T]] => {
        // Inner scan over the rows of x ([3, 4]): xs a row of a row, ys a row of the outer ys.
        const [hi, inner] = lax.scan((c: T, r: T): [T, T] => [np.tanh(np.add(c, r)), np.multiply(r, np.sum(c))], h, x, {
          reverse,
        });
        // Inner scan whose init is the outer row itself and whose carry becomes an outer y.
        const [row, sums] = lax.scan((c: T): [T, T] => [np.multiply(c, 0.5), np.sum(c)], np.reshape(x, [12]), null, {
          length: 3,
        });
        return [hi, [inner, np.add(row, np.sum(sums))]];
      },
      h0,
      xs,
      { reverse },
    );
    return [h, ys[0], ys[1]];
  });

test("WebGPU scan rows in place: a scan nested in a scan body (inner xs, init and ys are rows of the outer ones) equals the CPU reference", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  for (const reverse of [false, true]) {
    const f = nested(reverse);
    const { cpu, gpu } = await both(() => f(f32([4], 11), f32([5, 3, 4], 12)) as T[]);
    cpu.forEach((c, i) => close(gpu[i]!, c, 1e-5, `nested output ${i} reverse=${reverse}`));
  }
});

test("WebGPU scan rows in place: zero iterations return the init carry and empty ys, as on the CPU reference", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const f = jit((h0: T, xs: T) => {
    const [h, ys] = lax.scan((h: T, x: T): [T, T] => [np.add(h, x), np.multiply(x, 2)], h0, xs);
    return [h, ys];
  });
  const { cpu, gpu } = await both(() => f(f32([4], 13), np.zeros([0, 4])) as T[]);
  close(gpu[0]!, Array.from(input([4], 13).data), 1e-6, "init carry");
  close(gpu[0]!, cpu[0]!, 1e-6, "carry vs cpu");
  assert.deepEqual(gpu[1], [], "empty ys");
});

test("WebGPU scan rows in place: a body kernel over the dynamic-binding limit falls back to one copy per row per iteration, still equal to the CPU reference", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  setLoopLimitsForTests({ maxDynamic: 1 }); // a kernel reading one row and writing another needs 2
  try {
    const steps = 6;
    const { cpu, gpu } = await both(() => manyRows(false)(...manyArgs(steps)) as T[]);
    cpu.forEach((c, i) => close(gpu[i]!, c, 1e-5, `fallback output ${i}`));
    await onBackend("webgpu", async () => {
      const f = manyRows(true);
      const args = manyArgs(steps);
      await arr((f(...args) as T[])[2]);
      backend.flush();
      const s0 = backend.stats();
      const outs = f(...args) as T[];
      backend.flush();
      const s1 = backend.stats();
      await arr(outs[2]);
      // 5 xs and 4 ys, each copied once per iteration; nothing padded.
      assert.equal(s1.copies - s0.copies, 9 * steps, "copies per call");
      assert.equal(s1.restrides - s0.restrides, 0, "no row moves");
    });
  } finally {
    setLoopLimitsForTests({});
  }
});

test("WebGPU scan rows in place: with a 256-byte offset alignment (as many adapters have) only 256-byte rows bind in place, the rest (nested scans' too) go through padded stacks, results equal the CPU reference with no copy", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  setLoopLimitsForTests({ rowAlign: 256 });
  try {
    for (const reverse of [false, true]) {
      const { cpu, gpu } = await both(() => manyRows(reverse)(...manyArgs(5)) as T[]);
      cpu.forEach((c, i) => close(gpu[i]!, c, 1e-5, `align 256 output ${i} reverse=${reverse}`));
      const n = await both(() => nested(reverse)(f32([4], 11), f32([5, 3, 4], 12)) as T[]);
      n.cpu.forEach((c, i) => close(n.gpu[i]!, c, 1e-5, `align 256 nested output ${i} reverse=${reverse}`));
    }
    await onBackend("webgpu", async () => {
      const f = manyRows(false);
      const args = manyArgs(9);
      await arr((f(...args) as T[])[2]);
      backend.flush();
      const s0 = backend.stats();
      const outs = f(...args) as T[];
      backend.flush();
      const s1 = backend.stats();
      await arr(outs[2]);
      assert.equal(s1.copies - s0.copies, 0, "no copy");
      assert.equal(s1.restrides - s0.restrides, 7, "xs a, b, s, n and ys s, b, k moved once per run");
    });
  } finally {
    setLoopLimitsForTests({});
  }
});

/** Carries that are also ys: the carry read (as grad's saved residuals: h, q) or the carry
 *  written (hidden states: g, s), of 16 B (in place), 12 B and 4 B (padded) rows. */
const carriesAsYs = (reverse: boolean) =>
  jit((h0: T, g0: T, s0: T, q0: T, xs: T) => {
    const [c, ys] = lax.scan(
      (c: { h: T; g: T; s: T; q: T }, x: T): [{ h: T; g: T; s: T; q: T }, T[]] => {
        const h = np.tanh(np.add(np.multiply(c.h, 0.7), x));
        const g = np.add(np.multiply(c.g, 0.5), np.sum(x));
        const s = np.add(c.s, np.sum(h));
        const q = np.subtract(np.multiply(c.q, 0.9), g);
        return [{ h, g, s, q }, [c.h, g, s, c.q, np.sum(h)]];
      },
      { h: h0, g: g0, s: s0, q: q0 },
      xs,
      { reverse },
    );
    return [c.h, c.g, c.s, c.q, ...ys];
  });
const carryArgs = (steps: number): [T, T, T, T, T] => [
  f32([4], 21),
  f32([3], 22),
  f32([], 23),
  f32([3], 25),
  f32([steps, 4], 24),
];

test("WebGPU scan rows in place: carries that are also ys (the carry read, the carry written; 16, 12 and 4-byte rows) equal the CPU reference with one copy per carry per run, for 1, 2 and 7 steps, forwards and reversed, at the adapter's alignment and at 256", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  for (const rowAlign of [undefined, 256]) {
    setLoopLimitsForTests(rowAlign ? { rowAlign } : {});
    try {
      for (const steps of [1, 2, 7]) {
        for (const reverse of [false, true]) {
          const what = `steps=${steps} reverse=${reverse} align=${rowAlign ?? "adapter"}`;
          const { cpu, gpu } = await both(() => carriesAsYs(reverse)(...carryArgs(steps)) as T[]);
          cpu.forEach((c, i) => close(gpu[i]!, c, 1e-5, `output ${i} ${what}`));
          await onBackend("webgpu", async () => {
            const f = carriesAsYs(reverse);
            await arr((f(...carryArgs(steps)) as T[])[4]);
            backend.flush();
            const s0 = backend.stats();
            const outs = f(...carryArgs(steps)) as T[];
            backend.flush();
            const s1 = backend.stats();
            await arr(outs[4]);
            // h, g, s and q each kept in one y's rows: one copy each per run (init in, or last out).
            assert.equal(s1.copies - s0.copies, 4, `copies per call, ${what}`);
          });
        }
      }
    } finally {
      setLoopLimitsForTests({});
    }
  }
});
