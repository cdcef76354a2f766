// linearize, as jax.linearize: the output equals f's, and f_jvp(...tangents) equals jvp's
// tangent output, for pytree arguments and results, on the CPU and on WebGPU, under jit; f_jvp
// runs fewer ops than jvp less f's own (f is not re-evaluated, as JAX's linearize promises);
// a wrong number of tangents says how many it takes.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { linearize } from "../../../runtime/src/trace/linearize.js";
import { eagerOpCount, type Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, refuses, webgpuOrSkip, type Nested } from "../ops/harness.js";

config({ backend: "cpu" });
type T = Tracer;
type P = { a: T };

const f = (x: T, p: P) => ({ y: np.multiply(np.sin(x), p.a), z: np.sum(np.exp(np.multiply(x, p.a))) });
const primals = () => [np.array([0.5, 1]), { a: np.array([2, 3]) }] as const;
const tangents = () => [np.array([1, 0.5]), { a: np.array([0.1, -0.2]) }] as const;

async function check(backend: "cpu" | "webgpu"): Promise<void> {
  const [x, p] = onBackend(backend, primals);
  const [t, tp] = onBackend(backend, tangents);
  const [out, fJvp] = onBackend(backend, () => linearize(f, x, p));
  const lin = onBackend(backend, () => fJvp(t, tp));
  const [, ref] = onBackend(backend, () => jvp(f, [x, p], [t, tp]));
  // By hand: y = sin(x)·a, dy = cos(x)·a·dx + sin(x)·da; z = Σ exp(x·a), dz = Σ exp(x·a)(a·dx + x·da).
  const xs = [0.5, 1];
  const as = [2, 3];
  const dys = xs.map((v, i) => Math.cos(v) * as[i]! * [1, 0.5][i]! + Math.sin(v) * [0.1, -0.2][i]!);
  const dz = xs.reduce((s, v, i) => s + Math.exp(v * as[i]!) * (as[i]! * [1, 0.5][i]! + v * [0.1, -0.2][i]!), 0);
  assertClose(await out.y.toArray(), [Math.sin(0.5) * 2, Math.sin(1) * 3], "float32", 1e-5);
  assertClose(await lin.y.toArray(), dys, "float32", 1e-5);
  assertClose(await lin.z.toArray(), dz, "float32", 1e-5);
  assertClose(await lin.y.toArray(), (await ref.y.toArray()) as Nested, "float32", 1e-6);
  assertClose(await lin.z.toArray(), (await ref.z.toArray()) as Nested, "float32", 1e-6);
}

test("f_jvp equals jvp's tangent and the numbers by hand, for pytree arguments and results [cpu]", async () => {
  await check("cpu");
});

test("f_jvp equals jvp's tangent and the numbers by hand, for pytree arguments and results [webgpu]", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  await check("webgpu");
});

test("f_jvp does not re-run f: ten tanh layers take fewer ops than jvp less f's own", () => {
  const w = np.multiply(np.ones([8, 8]), 0.1);
  const deep = (x: T) => {
    let h = x;
    for (let i = 0; i < 10; i++) h = np.tanh(np.matmul(h, w));
    return h;
  };
  const x0 = np.ones([4, 8]);
  const count = (fn: () => unknown) => {
    const c = eagerOpCount();
    fn();
    return eagerOpCount() - c;
  };
  const ofF = count(() => deep(x0));
  const ofJvp = count(() => jvp(deep, [x0], [x0]));
  const [, dDeep] = linearize(deep, x0);
  const ofLinear = count(() => dDeep(x0));
  assert.ok(ofLinear < ofJvp - ofF, `f ${ofF} ops, jvp ${ofJvp}, f_jvp ${ofLinear}`);
});

test("f_jvp under jit gives the same tangent; a wrong number of tangents says how many it takes", async () => {
  const [x, p] = primals();
  const [t, tp] = tangents();
  const [, fJvp] = linearize(f, x, p);
  const jitted = jit((a: T, b: P) => fJvp(a, b).y);
  assertClose(await jitted(t, tp).toArray(), (await fJvp(t, tp).y.toArray()) as Nested, "float32", 1e-6);
  refuses(() => fJvp(t), /linearize\(f\): the linearized function takes 2 tangents \(one per primal\), got 1/);
  refuses(() => linearize(5 as never, x), /linearize: the first argument must be a function, got number/);
});
