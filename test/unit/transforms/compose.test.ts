// Transformations compose with jit as in JAX: jit(grad(f)) = grad(f), jit(vmap(f)) = vmap(f),
// jvp under jit; the backward pass is part of the same compiled program, its equations carry the
// name stack ".../grad(loss)/transpose" and the location of the forward op they came from.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad, valueAndGrad } from "../../../runtime/src/trace/grad.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { vjp } from "../../../runtime/src/trace/vjp.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, here, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { input, toArray } from "./fd.js";

config({ backend: "cpu" });

const lines: Record<string, number> = {};
function loss(w: Tracer, x: Tracer, y: Tracer): Tracer {
  const z = np.matmul(x, w); lines.matmul = here();
  const h = np.tanh(z); lines.tanh = here();
  const d = np.subtract(h, y); lines.sub = here();
  return np.mean(np.square(d));
}

const W = toArray(input([3, 2], 1));
const X = toArray(input([4, 3], 2));
const Y = toArray(input([4, 2], 3));

test("jit(grad(loss)) equals grad(loss)", async () => {
  const eager = grad(loss)(W, X, Y) as Tracer;
  const compiled = jit(grad(loss))(W, X, Y) as Tracer;
  assertClose(await compiled.toArray(), (await eager.toArray()) as Nested, "float32", 1e-5, 1e-6);
  const [v1, g1] = jit(valueAndGrad(loss, [0, 2]))(W, X, Y);
  const [v0, g0] = valueAndGrad(loss, [0, 2])(W, X, Y);
  assertClose(await v1.toArray(), (await v0.toArray()) as Nested, "float32", 1e-6, 1e-7);
  for (const i of [0, 1]) {
    assertClose(await (g1 as Tracer[])[i]!.toArray(), (await (g0 as Tracer[])[i]!.toArray()) as Nested, "float32", 1e-5, 1e-6);
  }
});

test("an SGD step under jit lowers the forward and backward pass into one program", async () => {
  const step = jit(function step(w: Tracer, x: Tracer, y: Tracer) {
    return np.subtract(w, np.multiply(0.1, grad(loss)(w, x, y) as Tracer));
  });
  const eager = np.subtract(W, np.multiply(0.1, grad(loss)(W, X, Y) as Tracer));
  assertClose(await step(W, X, Y).toArray(), (await eager.toArray()) as Nested, "float32", 1e-5, 1e-6);
  const lowered = await step.lower(W, X, Y);
  const eqns = lowered.program.eqns;
  const backward = eqns.filter((e) => e.nameStack.includes("transpose"));
  const forward = eqns.filter((e) => !e.nameStack.includes("transpose") && e.nameStack.includes("grad(loss)"));
  assert.ok(forward.some((e) => e.prim === "tanh"), "the forward tanh is in the program");
  assert.ok(backward.length > 0, "backward equations are in the same program");
  for (const e of backward) {
    assert.deepEqual(e.nameStack.slice(-3), ["step", "grad(loss)", "transpose"], `name stack of ${e.prim}`);
    assert.ok(e.location?.file.endsWith("compose.test.ts"), `${e.prim} backward eqn has a user location`);
  }
  // The backward equations of tanh (1 - tanh²) point at the forward tanh's line; matmul's transpose at the matmul line.
  const atLine = (n: number) => backward.filter((e) => e.location?.line === n).map((e) => e.prim);
  assert.ok(atLine(lines.tanh!).includes("sub"), `tanh's backward (1 - y*y) is on its line: ${atLine(lines.tanh!)}`);
  assert.ok(atLine(lines.matmul!).includes("matmul"), `matmul's transpose is on its line: ${atLine(lines.matmul!)}`);
  assert.ok(atLine(lines.matmul!).includes("transpose"), `x^T for the weight gradient is on the matmul line`);
});

test("jit(vmap(f)) equals vmap(f), and vmap of a jitted function inlines it", async () => {
  const f = (w: Tracer, x: Tracer) => np.tanh(np.matmul(x, w));
  const xs = toArray(input([5, 3], 4));
  const want = vmap(f, [null, 0])(W, xs);
  assertClose(await jit(vmap(f, [null, 0]))(W, xs).toArray(), (await want.toArray()) as Nested, "float32", 1e-5, 1e-6);
  assertClose(await vmap(jit(f), [null, 0])(W, xs).toArray(), (await want.toArray()) as Nested, "float32", 1e-5, 1e-6);
});

test("grad of a jitted function, and jvp/vjp under jit, equal their eager forms", async () => {
  const g = grad(jit(loss))(W, X, Y) as Tracer;
  assertClose(await g.toArray(), (await (grad(loss)(W, X, Y) as Tracer).toArray()) as Nested, "float32", 1e-5, 1e-6);
  const dir = toArray(input([3, 2], 5));
  const viaJvp = jit((w: Tracer, v: Tracer) => jvp((a: Tracer) => loss(a, X, Y), [w], [v])[1])(W, dir);
  const dot = np.sum(np.multiply(g, dir));
  assertClose(await viaJvp.toArray(), (await dot.toArray()) as Nested, "float32", 1e-5, 1e-6);
  const [out, back] = vjp((w: Tracer) => np.tanh(np.matmul(X, w)), W);
  const ct = np.ones(out.shape);
  const [gw] = back(ct) as Tracer[];
  const direct = grad((w: Tracer) => np.sum(np.tanh(np.matmul(X, w))))(W) as Tracer;
  assertClose(await gw!.toArray(), (await direct.toArray()) as Nested, "float32", 1e-5, 1e-6);
});

test("grad on WebGPU (eager and jit) equals grad on the CPU reference", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const build = () => {
    const args = [toArray(input([3, 2], 1)), toArray(input([4, 3], 2)), toArray(input([4, 2], 3))] as const;
    return [grad(loss, [0, 1])(...args) as Tracer[], jit(grad(loss, [0, 1]))(...args) as Tracer[]];
  };
  const cpu = onBackend("cpu", build);
  const gpu = onBackend("webgpu", build);
  for (let mode = 0; mode < 2; mode++) {
    for (let i = 0; i < 2; i++) {
      assertClose(await gpu[mode]![i]!.toArray(), (await cpu[mode]![i]!.toArray()) as Nested, "float32", 1e-4, 1e-5);
    }
  }
});

test("forward-over-reverse (Hessian-vector product) and jit(grad(grad)) give hand values", async () => {
  // f(x) = sum(x^3): gradient 3x^2, Hessian diag(6x), so H·v = 6 x v.
  const f = (x: Tracer) => np.sum(np.multiply(np.multiply(x, x), x));
  const x = np.array([1, -2, 3]);
  const v = np.array([0.5, 1, -1]);
  const [g, hv] = jvp((a: Tracer) => grad(f)(a) as Tracer, [x], [v]);
  assert.deepEqual(await g.toArray(), [3, 12, 27]);
  assert.deepEqual(await hv.toArray(), [3, -12, -18]);
  // d²/dx² of sum(sin x) = -sin x, through jit
  const second = jit(grad((a: Tracer) => np.sum(grad((b: Tracer) => np.sum(np.sin(b)))(a) as Tracer)));
  const xs = [0.3, 1.1, -0.7];
  assertClose(await second(np.array(xs)).toArray(), xs.map((u) => -Math.sin(u)), "float32", 1e-5, 1e-6);
  // vmap of jvp: per-row directional derivatives of tanh
  const rows = np.array([[0.1, 0.2], [0.3, -0.4]]);
  const dirs = vmap((r: Tracer) => jvp(np.tanh, [r], [np.ones([2])])[1])(rows);
  assertClose(await dirs.toArray(), [[0.1, 0.2], [0.3, -0.4]].map((r) => r.map((u) => 1 - Math.tanh(u) ** 2)), "float32", 1e-5, 1e-6);
});
