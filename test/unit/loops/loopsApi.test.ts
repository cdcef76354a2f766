// The rest of JAX's loop API, each against a plain JS loop on the CPU reference, eagerly and under
// jit: lax.map (a scan with no carry, and its batch_size), lax.associative_scan (prefix sums,
// non-commutative matrix products, reverse, another axis, pytree elements, grad through it),
// fori_loop returning a pytree, scan with xs = null and a length, and `unroll` accepted.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { ScanParams } from "../../../runtime/src/ir/types.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { arr, close } from "./loopCheck.js";
import { mk } from "./jvpCheck.js";
import { input } from "../transforms/fd.js";

config({ backend: "cpu" });

type T = Tracer;
const int = (v: number): T => np.array(v, { dtype: "int32" });
const modes = <F>(f: F): [string, F][] => [
  ["eager", f],
  ["jit", jit(f as never) as F],
];

test("lax.map applies f to each row of a pytree xs and stacks a pytree of results, like a plain loop; batch_size gives the same", async () => {
  const xs = { a: mk([5, 3], 1), b: mk([5], 2) };
  const f = ({ a, b }: { a: T; b: T }) => ({ s: np.sum(np.multiply(a, b)), m: np.tanh(a) });
  const A = input([5, 3], 1).data,
    B = input([5], 2).data;
  const wantS = [0, 1, 2, 3, 4].map((i) => A.slice(i * 3, i * 3 + 3).reduce((s, v) => s + v * B[i]!, 0));
  const wantM = A.map(Math.tanh);
  for (const [mode, run] of modes((a: T, b: T) => lax.map(f, { a, b }))) {
    const y = run(xs.a, xs.b);
    close(await arr(y.s), wantS, 1e-5, `${mode} s`);
    close(await arr(y.m), wantM, 1e-5, `${mode} m`);
    assert.deepEqual(y.m.shape, [5, 3]);
  }
  for (const bs of [1, 2, 5, 7]) {
    for (const [mode, run] of modes((a: T, b: T) => lax.map(f, { a, b }, { batch_size: bs }))) {
      const y = run(xs.a, xs.b);
      close(await arr(y.s), wantS, 1e-5, `${mode} batch_size=${bs} s`);
      close(await arr(y.m), wantM, 1e-5, `${mode} batch_size=${bs} m`);
    }
  }
  const lo = await jit((a: T, b: T) => lax.map(f, { a, b })).lower(xs.a, xs.b);
  const scans = lo.program.eqns.filter((e) => e.prim === "scan");
  assert.equal(scans.length, 1);
  assert.equal((scans[0]!.params as ScanParams).numCarry, 0, "no carry");
  const lo2 = await jit((a: T, b: T) => lax.map(f, { a, b }, { batch_size: 2 })).lower(xs.a, xs.b);
  assert.equal((lo2.program.eqns.find((e) => e.prim === "scan")!.params as ScanParams).length, 2, "5 rows: 2 × 2 + 1");
});

/** Product of 2×2 matrices (row-major, 4 numbers each) in order. */
const matmul2 = (p: number[], q: number[]): number[] => [
  p[0]! * q[0]! + p[1]! * q[2]!,
  p[0]! * q[1]! + p[1]! * q[3]!,
  p[2]! * q[0]! + p[3]! * q[2]!,
  p[2]! * q[1]! + p[3]! * q[3]!,
];

test("lax.associative_scan equals a sequential prefix loop: sums, non-commutative matrix products (forwards and reversed), lengths 1 to 9", async () => {
  for (let n = 1; n <= 9; n++) {
    const ms = input([n, 2, 2], 10 + n).data;
    const mat = (i: number) => ms.slice(i * 4, i * 4 + 4);
    const fwd: number[] = [],
      bwd: number[][] = new Array(n);
    let acc = mat(0);
    fwd.push(...acc);
    for (let i = 1; i < n; i++) fwd.push(...(acc = matmul2(acc, mat(i))));
    acc = mat(n - 1);
    bwd[n - 1] = acc;
    for (let i = n - 2; i >= 0; i--) bwd[i] = acc = matmul2(acc, mat(i));
    for (const [reverse, want] of [
      [false, fwd],
      [true, bwd.flat()],
    ] as const) {
      const prefix = (m: T) => lax.associative_scan((a: T, b: T) => np.matmul(a, b), m, { reverse });
      for (const [mode, run] of modes(prefix))
        close(await arr(run(mk([n, 2, 2], 10 + n))), want, 1e-5, `${mode} n=${n} reverse=${reverse} products`);
    }
    const v = input([2, n], n).data;
    const cums = [0, 1].flatMap((r) =>
      v.slice(r * n, r * n + n).map((_, j, row) => row.slice(0, j + 1).reduce((s, x) => s + x, 0)),
    );
    close(await arr(lax.associative_scan(np.add, mk([2, n], n), { axis: 1 })), cums, 1e-5, `n=${n} cumsum on axis 1`);
    close(await arr(lax.associative_scan(np.add, mk([2, n], n), { axis: -1 })), cums, 1e-5, `n=${n} axis -1`);
  }
});

test("lax.associative_scan over a pytree (a linear recurrence h = a·h + b) equals lax.scan of the recurrence, and so does its gradient", async () => {
  const combine = (x: [T, T], y: [T, T]): [T, T] => [np.multiply(x[0], y[0]), np.add(np.multiply(y[0], x[1]), y[1])];
  const viaAssoc = (a: T, b: T) => np.sum(np.square(lax.associative_scan(combine, [a, b] as [T, T])[1]));
  const viaScan = (a: T, b: T) =>
    np.sum(
      np.square(
        lax.scan(
          (h: T, ab: [T, T]): [T, T] => {
            const h2 = np.add(np.multiply(ab[0], h), ab[1]);
            return [h2, h2];
          },
          np.zeros([2]),
          [a, b] as [T, T],
        )[1],
      ),
    );
  const a = mk([7, 2], 20, -0.9, 0.9),
    b = mk([7, 2], 21);
  for (const [mode, run] of modes(viaAssoc))
    close(await arr(run(a, b)), await arr(viaScan(a, b)), 1e-5, `${mode} value`);
  for (const k of [0, 1]) {
    close(await arr(jit(grad(viaAssoc, k))(a, b)), await arr(jit(grad(viaScan, k))(a, b)), 1e-4, `d/d${"ab"[k]}`);
  }
});

test("fori_loop returns a pytree carry (static and traced bounds) equal to a plain loop, eagerly and under jit", async () => {
  type C = { x: T; ys: [T, T] };
  const body = (i: T, c: C): C => ({
    x: np.add(np.multiply(c.x, 0.9), i),
    ys: [np.add(c.ys[0], c.x), np.multiply(c.ys[1], 1.5)],
  });
  let [x, y0, y1] = [1, 0, 2];
  for (let i = 3; i < 8; i++) [x, y0, y1] = [x * 0.9 + i, y0 + x, y1 * 1.5];
  const init = (): C => ({ x: np.array(1), ys: [np.array(0), np.array(2)] });
  const check = async (c: C, what: string) => {
    close(await arr(c.x), [x], 1e-5, `${what} x`);
    close(await arr(c.ys[0]), [y0], 1e-5, `${what} ys[0]`);
    close(await arr(c.ys[1]), [y1], 1e-5, `${what} ys[1]`);
  };
  for (const [mode, run] of modes((c: C) => lax.fori_loop(3, 8, body, c))) await check(run(init()), `static ${mode}`);
  for (const [mode, run] of modes((c: C, lo: T, hi: T) => lax.fori_loop(lo, hi, body, c)))
    await check(run(init(), int(3), int(8)), `traced ${mode}`);
});

test("scan with xs = null runs `length` steps (ys stacked), and `unroll` is accepted with the same result", async () => {
  const f = (c: T): [T, T] => [np.add(np.multiply(c, 2), 1), np.square(c)];
  const want: number[] = [];
  let c = 0.5;
  for (let i = 0; i < 6; i++) [want[i], c] = [c * c, c * 2 + 1];
  for (const unroll of [undefined, 1, 3, true] as const) {
    for (const [mode, run] of modes((c0: T) => lax.scan(f, c0, null, { length: 6, unroll }))) {
      const [cT, ys] = run(np.array(0.5));
      close(await arr(cT), [c], 1e-6, `${mode} unroll=${unroll} carry`);
      close(await arr(ys), want, 1e-6, `${mode} unroll=${unroll} ys`);
    }
  }
  assert.throws(
    () => lax.scan(f, np.array(0.5), null),
    (e: unknown) => e instanceof Error && /give the number of iterations as \{ length \}/.test(e.message),
  );
});
