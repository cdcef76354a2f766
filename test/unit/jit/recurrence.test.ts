// A scan whose body is elementwise runs as one recurrence kernel (codegen/recurrence.ts,
// lowerRecurrence.ts): one dispatch per call whatever its length, each invocation carrying its
// element through every step. Checked on WebGPU against the CPU reference and loops by hand: an
// EMA, discounted returns (reversed, a bool mask, an int step count, a scalar y), a recurrence
// reading a bias row broadcast over the batch and its gradient (whose const cotangents
// passes/sinkLoopReductions.ts turns into elementwise carries), a scalar map of 1,000 steps; the
// scans that stay loops (a reduction in the body, a carry read at another element, too many
// element-steps); and --ablate recurrence putting the loop back with the same values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, lax, np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { currentBackend } from "../../../runtime/src/backend/select.js";
import type { WebGpuBackend } from "../../../runtime/src/backend/webgpu.js";
import { RECURRENCE_MAX_ELEMENT_STEPS } from "../../../runtime/src/codegen/recurrence.js";
import { assertClose, onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

type T = Tracer;
/** A function of arrays to jit (its own parameter and result types). */
type Fn = (...a: never[]) => unknown;
const host = (n: number, k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3));
const arr = (data: ArrayLike<number>, shape: number[]) => np.reshape(np.array(Float32Array.from(data)), shape);
const values = async (x: T) => Array.from(await x.data(), Number);

/** The kernels of `f` lowered on WebGPU: names and plans, and whether any runs inside a loop. */
async function kernelsOf(fn: Fn, ...args: T[]) {
  const lo = await onBackend("webgpu", () => jit(fn as (...a: T[]) => T).lower(...args));
  return {
    plans: lo.kernels.map((k) => `${k.name}: ${k.plan}`),
    inLoop: lo.kernels.filter((k) => k.id.split("/")[1]!.includes(".")).length,
    inputs: lo.kernels.map((k) => k.inputs.length),
  };
}

/** Dispatches of one warm call of `f` on WebGPU. */
async function dispatchesPerCall(fn: Fn, args: () => T[]): Promise<number> {
  const f = jit(fn as (...a: T[]) => T | T[]);
  const backend = onBackend("webgpu", () => currentBackend()) as unknown as WebGpuBackend;
  const call = () => {
    const out = onBackend("webgpu", () => f(...args()));
    return Array.isArray(out) ? out[0]! : out;
  };
  await call().data();
  backend.flush();
  const d0 = backend.stats().dispatches;
  await call().data();
  backend.flush();
  return backend.stats().dispatches - d0;
}

const [STEPS, LANES] = [48, 16];
const series = host(STEPS * LANES, 0.61);
const ema = (xs: T) =>
  lax.scan(
    (c: T, x: T): [T, T] => {
      const n = np.add(np.multiply(0.9, c), np.multiply(0.1, x));
      return [n, n];
    },
    np.zeros([LANES]),
    xs,
  );

test("an EMA over 48 steps of 16 series is one recurrence kernel, one dispatch a call, equal to the loop by hand and the CPU", async (t) => {
  const want: number[] = [];
  const c = new Array<number>(LANES).fill(0);
  for (let s = 0; s < STEPS; s++)
    for (let i = 0; i < LANES; i++) want.push((c[i] = 0.9 * c[i]! + 0.1 * series[s * LANES + i]!));
  const run = () => jit(ema)(arr(series, [STEPS, LANES]));
  const [, cpuYs] = run();
  assertClose(await values(cpuYs), want, "float32", 1e-5, 1e-5, "cpu");
  if (!(await webgpuOrSkip(t))) return;
  const k = await kernelsOf(ema, arr(series, [STEPS, LANES]));
  assert.equal(k.plans.length, 1, k.plans.join("\n"));
  assert.match(k.plans[0]!, /^scan_mul_add: recurrence kernel, scan × 48 over 16 lanes: 3 body ops a step/);
  assert.equal(k.inLoop, 0);
  const [carry, ys] = onBackend("webgpu", run);
  assertClose(await values(ys), want, "float32", 1e-5, 1e-5, "webgpu ys");
  assertClose(await values(carry), want.slice(-LANES), "float32", 1e-5, 1e-5, "webgpu carry");
  assert.equal(await dispatchesPerCall(ema, () => [arr(series, [STEPS, LANES])]), 1);
});

const [T_RET, ENVS] = [20, 8];
const rewards = host(T_RET * ENVS, 0.37);
const dones = host(T_RET * ENVS, 1.7).map((v) => (v > 0.7 ? 1 : 0));
const returns = (r: T, done: T) =>
  lax.scan(
    ([g, k]: [T, T], [ri, di]: [T, T]): [[T, T], [T, T]] => {
      const gn = np.add(ri, np.where(di, 0, np.multiply(0.99, g)));
      return [
        [gn, np.add(k, 1)],
        [gn, np.multiply(k, 2)],
      ];
    },
    [np.zeros([ENVS]), np.array(0, { dtype: "int32" })],
    [r, done],
    { reverse: true },
  );

test("discounted returns, reversed, with a bool done mask, an int32 step count and an int32 scalar y, equal the loop by hand and the CPU", async (t) => {
  const g = new Array<number>(ENVS).fill(0);
  const wantG = new Array<number>(T_RET * ENVS);
  const wantK = new Array<number>(T_RET);
  for (let s = 0; s < T_RET; s++) {
    const tt = T_RET - 1 - s;
    for (let i = 0; i < ENVS; i++) {
      g[i] = rewards[tt * ENVS + i]! + (dones[tt * ENVS + i] ? 0 : 0.99 * g[i]!);
      wantG[tt * ENVS + i] = g[i]!;
    }
    wantK[tt] = 2 * s;
  }
  const args = () => [arr(rewards, [T_RET, ENVS]), np.astype(arr(dones, [T_RET, ENVS]), np.bool_)] as const;
  const check = async (backend: "cpu" | "webgpu") => {
    const [[gT, k], [gs, ks]] = onBackend(backend, () => jit(returns)(...args()));
    assertClose(await values(gs), wantG, "float32", 1e-5, 1e-5, `${backend} returns`);
    assertClose(await values(gT), g, "float32", 1e-5, 1e-5, `${backend} final`);
    assert.deepEqual(await values(ks), wantK, `${backend} step counts`);
    assert.deepEqual(await values(k), [T_RET], `${backend} final count`);
  };
  await check("cpu");
  if (!(await webgpuOrSkip(t))) return;
  const k = await kernelsOf(returns, ...args());
  assert.deepEqual(k.plans, [
    "scan_mul_where_add: recurrence kernel, scan × 20 over 8 lanes: 5 body ops a step in registers, reversed",
  ]);
  await check("webgpu");
});

const [B, D, T_LIN] = [4, 6, 10];
const xsLin = host(T_LIN * B * D, 0.23);
const aLin = host(B * D, 0.71).map((v) => 0.5 * v);
const biasLin = Float64Array.from({ length: D }, (_, i) => -1 + (2 * i) / (D - 1));
const recurrent = (a: T, bias: T, xs: T) => {
  const [, hs] = lax.scan(
    (h: T, x: T): [T, T] => {
      const hn = np.tanh(np.add(np.add(np.multiply(a, h), x), bias));
      return [hn, hn];
    },
    np.zeros([B, D]),
    xs,
  );
  return np.sum(np.square(hs));
};
const linArgs = (): [T, T, T] => [arr(aLin, [B, D]), arr(biasLin, [D]), arr(xsLin, [T_LIN, B, D])];

test("h ← tanh(a·h + x + bias) with bias broadcast over the batch, and its gradient in a and bias, run as recurrence kernels equal to the CPU", async (t) => {
  const df = jit(grad(recurrent, { argnums: [0, 1] }));
  const lo = await df.lower(...linArgs());
  const rules = lo.passes.find((p) => p.name === "simplify")!.effect?.rules ?? {};
  assert.equal(
    rules["scan carry adding a reduce_sum each step → adds elementwise, reduced once after"],
    1,
    JSON.stringify(rules),
  );
  // The backward scan's carry for bias's cotangent now holds a [4, 6] sum, reduced after it.
  const back = lo.program.eqns.filter((e) => e.prim === "scan")[1]!;
  assert.deepEqual(
    back.outputs.slice(0, 3).map((o) => o.aval.shape),
    [
      [B, D],
      [B, D],
      [B, D],
    ],
  );
  const cpu = df(...linArgs()) as T[];
  const cpuValue = await values(jit(recurrent)(...linArgs()));
  // Finite differences in float64 through the same recurrence by hand, for the bias gradient.
  const byHand = (bias: ArrayLike<number>) => {
    let h = new Array<number>(B * D).fill(0),
      loss = 0;
    for (let s = 0; s < T_LIN; s++) {
      h = h.map((v, i) => Math.tanh(aLin[i]! * v + xsLin[s * B * D + i]! + bias[i % D]!));
      loss += h.reduce((acc, v) => acc + v * v, 0);
    }
    return loss;
  };
  assertClose(cpuValue, [byHand(biasLin)], "float32", 1e-4, 1e-4, "loss by hand");
  const fd = Array.from({ length: D }, (_, j) => {
    const up = Float64Array.from(biasLin),
      down = Float64Array.from(biasLin);
    up[j]! += 1e-5;
    down[j]! -= 1e-5;
    return (byHand(up) - byHand(down)) / 2e-5;
  });
  assertClose(await values(cpu[1]!), fd, "float32", 1e-3, 1e-3, "bias gradient vs finite differences");
  if (!(await webgpuOrSkip(t))) return;
  const k = await kernelsOf(grad(recurrent, { argnums: [0, 1] }), ...linArgs());
  assert.equal(k.inLoop, 0, k.plans.join("\n"));
  assert.equal(k.plans.filter((p) => /recurrence kernel/.test(p)).length, 2, k.plans.join("\n"));
  // The zeros the sunk sum starts from are computed by the recurrence kernel, not a kernel of their own.
  assert.ok(!k.plans.some((p) => p.startsWith("broadcast:")), k.plans.join("\n"));
  const gpu = onBackend("webgpu", () => df(...linArgs()) as T[]);
  for (const i of [0, 1])
    assertClose(await values(gpu[i]!), await values(cpu[i]!), "float32", 1e-5, 1e-5, `gradient ${i}`);
});

test("a scalar map x ← 2.5·x·(1 − x) over 1,000 steps runs on one lane and equals the loop by hand in float32", async (t) => {
  const logistic = (x0: T) =>
    lax.scan(
      (x: T, _: null): [T, T] => {
        const n = np.multiply(np.multiply(2.5, x), np.subtract(1, x));
        return [n, n];
      },
      x0,
      null,
      { length: 1000 },
    );
  let x = Math.fround(0.1);
  const want: number[] = [];
  for (let s = 0; s < 1000; s++) want.push((x = Math.fround(Math.fround(2.5 * x) * Math.fround(1 - x))));
  if (!(await webgpuOrSkip(t))) return;
  const k = await kernelsOf(logistic, np.array(0.1));
  assert.match(k.plans[0]!, /scan × 1000 over 1 lane:/);
  const [last, ys] = onBackend("webgpu", () => jit(logistic)(np.array(0.1)));
  assertClose(await values(ys), want, "float32", 1e-6, 1e-6, "every step");
  assertClose(await values(last), [0.6], "float32", 1e-6, 1e-6, "the fixed point 1 − 1/2.5");
});

test("scans stay loops when a body op reduces, when a carry is read at another element (a gather), or past the element-step limit", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const xs = arr(series, [STEPS, LANES]);
  const normalised = (v: T) =>
    lax.scan(
      (c: T, x: T): [T, T] => {
        const n = np.add(c, x);
        return [np.divide(n, np.max(np.abs(n))), np.sum(n)];
      },
      np.ones([LANES]),
      v,
    );
  const shifted = (v: T) =>
    lax.scan(
      (c: T, x: T): [T, T] => {
        const n = np.add(
          np.take(c, np.array([1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12], { dtype: "int32" })),
          x,
        );
        return [n, n];
      },
      np.ones([LANES]),
      v,
    );
  const lanes = 2 ** 16;
  const long = (c0: T) =>
    lax.scan((c: T, _: null): [T, null] => [np.multiply(c, 0.5), null], c0, null, {
      length: RECURRENCE_MAX_ELEMENT_STEPS / lanes + 1,
    });
  for (const [f, args, what] of [
    [normalised, [xs], "a max in the body"],
    [shifted, [xs], "a gather of the carry"],
    [long, [np.ones([lanes])], "2^26 element-steps and one more step"],
  ] as const) {
    const k = await kernelsOf(f, ...args);
    assert.ok(k.inLoop > 0, `${what}: ${k.plans.join("; ")}`);
    assert.ok(!k.plans.some((p) => /recurrence/.test(p)), what);
  }
  const cpu = await values((jit(shifted)(xs) as T[])[1]!);
  const gpu = await values((onBackend("webgpu", () => jit(shifted)(xs)) as T[])[1]!);
  assertClose(gpu, cpu, "float32", 1e-5, 1e-5, "the gather's loop");
});

test("--ablate recurrence (disabledPasses) runs the EMA and the gradient as loops of body kernels, with the same values", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const df = jit(grad(recurrent, { argnums: [0, 1] }));
  const on = onBackend("webgpu", () => df(...linArgs()) as T[]);
  const onValues = [await values(on[0]!), await values(on[1]!)];
  const prev = config({ disabledPasses: ["recurrence"] });
  try {
    const k = await kernelsOf(ema, arr(series, [STEPS, LANES]));
    assert.ok(k.inLoop >= 1 && !k.plans.some((p) => /recurrence/.test(p)), k.plans.join("\n"));
    assert.equal(
      await dispatchesPerCall(ema, () => [arr(series, [STEPS, LANES])]),
      STEPS * k.inLoop + (k.plans.length - k.inLoop),
    );
    const off = onBackend("webgpu", () => jit(grad(recurrent, { argnums: [0, 1] }))(...linArgs()) as T[]);
    for (const i of [0, 1]) assertClose(await values(off[i]!), onValues[i]!, "float32", 1e-5, 1e-5, `gradient ${i}`);
  } finally {
    config({ disabledPasses: prev.disabledPasses });
  }
});

// A constant-velocity Kalman filter: state [position, velocity], covariance [2, 2], one noisy
// position a step. Its body multiplies 2×2 matrices, transposes and sums: a state of 6 numbers.
const [T_KF, DT, Q, R] = [200, 0.1, 1e-3, 0.25];
const observations = Float64Array.from({ length: T_KF }, (_, i) => 0.5 * i * DT + 0.4 * Math.sin(i * 1.3));
const kalman = (zs: T) => {
  const F = np.array([
    [1, DT],
    [0, 1],
  ]);
  const Hrow = np.array([1, 0]);
  const step = ([x, P]: [T, T], z: T): [[T, T], T] => {
    const xp = np.matmul(F, np.reshape(x, [2, 1]));
    const Pp = np.add(np.matmul(np.matmul(F, P), np.transpose(F)), np.multiply(Q, np.eye(2)));
    const S = np.add(np.sum(np.multiply(Pp.at(0).get(), Hrow)), R);
    const K = np.divide(Pp.at(null, 0).get(), S); // P Hᵀ / S
    const innovation = np.subtract(z, xp.at(0, 0).get());
    const xn = np.add(np.reshape(xp, [2]), np.multiply(K, innovation));
    const Pn = np.subtract(Pp, np.multiply(np.reshape(K, [2, 1]), np.reshape(Pp.at(0).get(), [1, 2])));
    return [[xn, Pn], xn];
  };
  return lax.scan(step, [np.zeros([2]), np.eye(2)], zs);
};

test("a 2-state Kalman filter over 200 observations runs unrolled on one invocation, equal to the filter by hand and the CPU", async (t) => {
  // By hand, float64.
  let [p0, v0] = [0, 0];
  let P = [1, 0, 0, 1];
  const want: number[] = [];
  for (const z of observations) {
    const [xp0, xp1] = [p0 + DT * v0, v0];
    const FP = [P[0]! + DT * P[2]!, P[1]! + DT * P[3]!, P[2]!, P[3]!];
    const Pp = [FP[0]! + DT * FP[1]! + Q, FP[1]!, FP[2]! + DT * FP[3]!, FP[3]! + Q];
    const S = Pp[0]! + R;
    const K = [Pp[0]! / S, Pp[2]! / S];
    const inn = z - xp0;
    [p0, v0] = [xp0 + K[0]! * inn, xp1 + K[1]! * inn];
    P = [Pp[0]! - K[0]! * Pp[0]!, Pp[1]! - K[0]! * Pp[1]!, Pp[2]! - K[1]! * Pp[0]!, Pp[3]! - K[1]! * Pp[1]!];
    want.push(p0, v0);
  }
  const zs = () => arr(observations, [T_KF]);
  const cpu = (jit(kalman)(zs()) as [unknown, T])[1];
  assertClose(await values(cpu), want, "float32", 1e-4, 1e-4, "cpu");
  if (!(await webgpuOrSkip(t))) return;
  const k = await kernelsOf(kalman, zs());
  const rec = k.plans.filter((p) => /recurrence kernel/.test(p));
  assert.equal(rec.length, 1, k.plans.join("\n"));
  assert.match(rec[0]!, /scan × 200 unrolled on one invocation: \d+ scalar ops a step/);
  assert.equal(k.inLoop, 0);
  const gpu = (onBackend("webgpu", () => jit(kalman)(zs())) as [unknown, T])[1];
  assertClose(await values(gpu), want, "float32", 1e-4, 1e-4, "webgpu");
});

test("an unrolled body slicing, padding, reversing and stacking its state, with iota, equals the CPU; a 65-element state runs as a loop", async (t) => {
  const shift = (xs: T) =>
    lax.scan(
      (c: T, x: T): [T, T] => {
        const moved = np.flip(np.pad(c.at("1:").get(), [[0, 1]]));
        const n = np.add(np.multiply(0.5, moved), np.multiply(np.arange(5), x));
        return [n, np.stack([np.sum(n), n.at(0).get()])];
      },
      np.linspace(0, 1, 5),
      xs,
    );
  const wide = (xs: T) =>
    lax.scan((c: T, x: T): [T, T] => [np.add(c, np.multiply(np.sum(c), x)), np.sum(c)], np.ones([65]), xs);
  const xs = () => arr(host(30, 0.9), [30]);
  const cpu = jit(shift)(xs()) as [T, T];
  if (!(await webgpuOrSkip(t))) return;
  const k = await kernelsOf(shift, xs());
  assert.ok(k.plans.some((p) => /unrolled on one invocation/.test(p)) && k.inLoop === 0, k.plans.join("\n"));
  const gpu = onBackend("webgpu", () => jit(shift)(xs())) as [T, T];
  for (const i of [0, 1])
    assertClose(await values(gpu[i]!), await values(cpu[i]!), "float32", 1e-5, 1e-5, `output ${i}`);
  const w = await kernelsOf(wide, arr(host(10, 0.4), [10]));
  assert.ok(w.inLoop > 0 && !w.plans.some((p) => /recurrence/.test(p)), w.plans.join("\n"));
});
