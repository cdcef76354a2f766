// Forward mode through loops composed with the other transformations: a hessian-vector product
// (jvp of grad) through a scan RNN loss against finite differences of grad; vmap of jvp of a scan
// (a forward-mode Jacobian) against one jvp per basis vector; jit(jvp(scan)) on WebGPU against the
// CPU reference; and the errors a bad loop gets under jvp, grad and vmap, naming the user's line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { ScanParams } from "../../../runtime/src/ir/types.js";
import { onBackend, webgpuBackendOrSkip } from "../ops/harness.js";
import { arr, close } from "./loopCheck.js";
import { closeAll, mk } from "./jvpCheck.js";

config({ backend: "cpu" });

type T = Tracer;
const XS = mk([6, 3], 11);

/** An RNN over XS: h ← tanh(h·w + x), loss = Σ_t Σ h_t² + Σ h_T. */
const loss = (w: T, xs: T = XS): T => {
  const [h, ys] = lax.scan(
    (c: T, x: T): [T, T] => {
      const h2 = np.tanh(np.add(np.reshape(np.matmul(np.reshape(c, [1, 3]), w), [3]), x));
      return [h2, np.sum(np.square(h2))];
    },
    np.full([3], 0.1),
    xs,
  );
  return np.add(np.sum(ys), np.sum(h));
};

test("a hessian-vector product through a scan RNN loss (jit(jvp(grad))) matches finite differences of grad", async () => {
  const w = mk([3, 3], 12, -0.8, 0.8),
    v = mk([3, 3], 13);
  const hvp = (wt: T, vt: T) => jvp(grad(loss), [wt], [vt])[1];
  const eps = 1e-2;
  const g = jit(grad(loss));
  const gp = await arr(g(np.add(w, np.multiply(v, eps))));
  const gm = await arr(g(np.subtract(w, np.multiply(v, eps))));
  const fd = gp.map((p, i) => (p - gm[i]!) / (2 * eps));
  close(await arr(jit(hvp)(w, v)), fd, 1e-2, "jit(jvp(grad)) vs finite differences of grad");
  close(await arr(hvp(w, v)), fd, 1e-2, "eager jvp(grad) vs finite differences of grad");
  const lo = await jit(hvp).lower(w, v);
  const scans = lo.program.eqns.filter((e) => e.prim === "scan");
  assert.equal(scans.length, 2, "the forward and the transposed scan, each carrying tangents");
  assert.equal(lo.program.eqns.filter((e) => e.prim === "tanh").length, 0, "nothing unrolled");
});

test("vmap of jvp of a scan (a forward-mode Jacobian, under jit) equals one jvp per basis vector", async () => {
  const f = (w: T): T => {
    const [h] = lax.scan((c: T, x: T): [T, T] => [np.sin(np.add(np.multiply(c, w), x)), c], np.full([3], 0.2), XS);
    return h;
  };
  const w0 = np.array([0.7, -0.4, 1.1]);
  const jac = jit(vmap((t: T) => jvp(f, [w0], [t])[1]))(np.eye(3));
  const rows: number[] = [];
  for (let i = 0; i < 3; i++) {
    const e = np.array([0, 1, 2].map((j) => (j === i ? 1 : 0)));
    rows.push(...(await arr(jit((t: T) => jvp(f, [w0], [t])[1])(e))));
  }
  close(await arr(jac), rows, 1e-6, "Jacobian rows");
  // f is elementwise in w per step, so the Jacobian is diagonal.
  const J = await arr(jac);
  [1, 2, 3, 5, 6, 7].forEach((k) => assert.equal(Math.abs(J[k]!), 0, `off-diagonal entry ${k}`));
  // And jvp of vmap: per-example tangents through a batched scan.
  const ws = mk([4, 3], 14),
    ts = mk([4, 3], 15);
  const jv = jit((a: T, b: T) => jvp(vmap(f), [a], [b])[1])(ws, ts);
  const per: number[] = [];
  for (let b = 0; b < 4; b++) {
    const pick = (x: T) => np.reshape(np.slice(x, [b, 0], [b + 1, 3]), [3]);
    per.push(...(await arr(jit((a: T, t: T) => jvp(f, [a], [t])[1])(pick(ws), pick(ts)))));
  }
  close(await arr(jv), per, 1e-6, "jvp(vmap(scan)) per example");
});

test("vmap of jvp of a while_loop whose trip count differs across the batch equals one jvp per element (under jit)", async () => {
  // z ← z·a + 1/2 until z ≥ 10: each element stops on its own iteration.
  const grow = (z0: T, a: T) =>
    lax.while_loop(
      ([z]: [T, T]) => np.less(z, 10),
      ([z, s]: [T, T]): [T, T] => [np.add(np.multiply(z, a), 0.5), np.add(s, np.sin(z))],
      [z0, np.array(0)] as [T, T],
    );
  const tangents = (z: T, a: T, tz: T, ta: T) => jvp(grow, [z, a], [tz, ta])[1];
  const zs = [0.2, 1.1, 3, 9.5],
    as = [2.3, 1.7, 1.2, 1.5];
  const [bz, bs] = jit(vmap(tangents))(np.array(zs), np.array(as), np.ones([4]), np.full([4], 0.5));
  const want: number[][] = [[], []];
  for (let b = 0; b < 4; b++) {
    const [tz, ts] = jit(tangents)(np.array(zs[b]!), np.array(as[b]!), np.array(1), np.array(0.5));
    want[0]!.push((await arr(tz))[0]!);
    want[1]!.push((await arr(ts))[0]!);
  }
  close(await arr(bz), want[0]!, 1e-5, "tangent of z");
  close(await arr(bs), want[1]!, 1e-5, "tangent of s");
  assert.notEqual(want[0]![0], want[0]![3], "different trip counts give different tangents");
});

test("grad of jvp (reverse over forward) through a scan under jit equals eager (a plain loop) and finite differences", async () => {
  const f = (w: T) => {
    const [h] = lax.scan((c: T, x: T): [T, T] => [np.tanh(np.add(np.multiply(c, w), x)), c], np.full([3], 0.3), XS);
    return h;
  };
  const v = mk([3], 17);
  const g = (w: T) => np.sum(jvp(f, [w], [v])[1]);
  const w0 = mk([3], 18, -0.9, 0.9);
  const eager = await arr(grad(g)(w0));
  close(await arr(jit(grad(g))(w0)), eager, 1e-5, "jit vs eager");
  const eps = 1e-2;
  const fd = [0, 1, 2].map((j) => {
    const e = np.array([0, 1, 2].map((k) => (k === j ? eps : 0)));
    return [g(np.add(w0, e)), g(np.subtract(w0, e))] as const;
  });
  const diffs = await Promise.all(fd.map(async ([p, m]) => ((await arr(p))[0]! - (await arr(m))[0]!) / (2 * eps)));
  close(eager, diffs, 1e-2, "vs finite differences");
  const lo = await jit(grad(g)).lower(w0);
  assert.equal(lo.program.eqns.filter((e) => e.prim === "scan").length, 2, "the jvp scan and its transpose");
});

test("stop_gradient inside a scan body still stops jvp and grad under jit (the body is re-run by the transformation)", async () => {
  // h ← stop_gradient(h)·w + h/2 from h = 1, three steps: d/dw = h2 + (h1 + 1/2)/2 = 7.75 at w = 2
  // (h1 = 2.5, h2 = 6.25); without the stop it would be 3·(w + 1/2)² = 18.75.
  const f = (w: T) =>
    lax.scan(
      (h: T): [T, null] => [np.add(np.multiply(lax.stop_gradient(h), w), np.multiply(h, 0.5)), null],
      np.array(1),
      null,
      { length: 3 },
    )[0];
  const w = np.array(2),
    one = np.array(1);
  const tangent = (x: T, t: T) => jvp(f, [x], [t])[1];
  for (const [mode, d] of [
    ["eager jvp", tangent(w, one)],
    ["jit(jvp)", jit(tangent)(w, one)],
    ["eager grad", grad(f)(w)],
    ["jit(grad)", jit(grad(f))(w)],
    ["jit(vmap(grad))", jit(vmap(grad(f)))(np.array([2, 2]))],
  ] as const)
    close(await arr(d), mode.includes("vmap") ? [7.75, 7.75] : [7.75], 1e-6, mode);
  // A carry reached only through stop_gradient carries no tangent at all (zero, kept symbolic).
  const g = (x: T) =>
    lax.scan((h: T): [T, null] => [np.add(lax.stop_gradient(np.multiply(h, x)), 1), null], np.array(1), null, {
      length: 3,
    })[0];
  const lo = await jit((x: T, t: T) => jvp(g, [x], [t])).lower(w, one);
  const scan = lo.program.eqns.find((e) => e.prim === "scan")!;
  assert.equal((scan.params as ScanParams).numCarry, 1, "h only, no tangent carry");
  close(await arr(jit((x: T, t: T) => jvp(g, [x], [t])[1])(w, one)), [0], 0, "zero tangent");
});

test("WebGPU: jit(jvp(scan)) equals the CPU reference", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const run = () => {
    const f = (w: T, xs: T, tw: T, tx: T) => jvp(loss, [w, xs], [tw, tx]);
    const [p, tan] = jit(f)(mk([3, 3], 12, -0.8, 0.8), mk([6, 3], 11), mk([3, 3], 13), mk([6, 3], 16));
    return [p, tan];
  };
  const cpu = await Promise.all(onBackend("cpu", run).map(arr));
  const gpu = onBackend("webgpu", run);
  await closeAll(gpu, cpu, 1e-4, "WebGPU vs CPU (primal, tangent)");
  assert.notEqual(cpu[1]![0], 0, "a nonzero tangent");
});

test("WebGPU: jit(jvp(while_loop)) with a data-dependent trip count equals the CPU reference", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const run = () => {
    const grow = (z0: T, a: T) =>
      lax.while_loop(
        ([z]: [T, T]) => np.less(np.sum(z), 10),
        ([z, s]: [T, T]): [T, T] => [np.add(np.multiply(z, a), 0.5), np.add(s, np.sin(z))],
        [z0, np.zeros([2])] as [T, T],
      );
    const f = (z: T, a: T, tz: T, ta: T) => jvp(grow, [z, a], [tz, ta]);
    const [p, tan] = jit(f)(np.array([0.2, 0.5]), np.array([1.7, 1.3]), np.array([1, 0]), np.array([0.5, 1]));
    return [...p, ...tan];
  };
  const cpu = await Promise.all(onBackend("cpu", run).map(arr));
  const gpu = onBackend("webgpu", run);
  await closeAll(gpu, cpu, 1e-4, "WebGPU vs CPU (z, s, their tangents)");
  assert.ok(cpu[0]!.reduce((x, y) => x + y, 0) >= 10, "ran until the condition failed");
});

const here = fileURLToPath(import.meta.url);
/** This file's line holding `marker` (1-based), so the expected locations survive edits. */
const lineOf = (marker: string): number =>
  readFileSync(here, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(marker) && !l.includes("lineOf")) + 1;
/** An error that is a JitScopeError matching `message`, located on this file's line `line`. */
const located = (message: RegExp, line: number) => (e: unknown) =>
  e instanceof JitScopeError && message.test(e.message) && e.location?.file === here && e.location.line === line;

test("a scan carry that turns from int32 to float32 under jvp, grad or vmap is a JitScopeError naming the lax.scan line", () => {
  const int0 = np.array(0, { dtype: "int32" });
  const f = (x: T) => lax.scan((c: T, r: T): [T, T] => [np.add(c, np.multiply(r, x)), c], int0, XS)[0]; // @scan
  const line = lineOf("// @scan");
  const msg = /carry 0 as f32\[3\] but it came in as i32\[\]|carry 0 as f32\[.*i32/;
  const cases: [string, () => unknown][] = [
    ["jit(jvp)", () => jit((a: T) => jvp(f, [a], [np.ones([3])]))(np.ones([3]))],
    ["eager jvp", () => jvp(f, [np.ones([3])], [np.ones([3])])],
    ["jit(grad)", () => jit(grad((a: T) => np.sum(f(a))))(np.ones([3]))],
    ["jit(vmap)", () => jit(vmap(f))(np.ones([2, 3]))],
  ];
  for (const [name, run] of cases) {
    assert.throws(run, located(/keeps its shape and dtype/, line), name);
    assert.throws(run, (e: unknown) => e instanceof Error && msg.test(e.message), `${name}: names both avals`);
  }
});

test("grad of a while_loop is a JitScopeError naming the while_loop line and what to use instead", () => {
  const [small, double] = [(v: T) => np.less(np.sum(v), 10), (v: T) => np.multiply(v, 2)];
  const f = (a: T) => lax.while_loop(small, double, a); // @while
  const line = lineOf("// @while");
  for (const [name, run] of [
    ["eager", () => grad((a: T) => np.sum(f(a)))(np.ones([2]))],
    ["jit", () => jit(grad((a: T) => np.sum(f(a))))(np.ones([2]))],
  ] as const) {
    assert.throws(run, located(/while_loop is not differentiable in reverse mode.*fori_loop.*scan/, line), name);
  }
});
